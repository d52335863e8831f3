"""`python -m compendium`: the same command line as the installed `compendium`."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
