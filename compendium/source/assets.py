"""Where the builder's own assets are: the repository's top level in a checkout, compendium/assets/ when installed."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # compendium/, above this stage's folder
# An installed package carries its layouts, styles, fonts and interface translations in
# compendium/assets/; a checkout of the repository keeps them at its top level.
BUILDER = PACKAGE / "assets" if (PACKAGE / "assets" / "layouts").is_dir() else PACKAGE.parent
# The repository's own compendium, the default project (None when the package is installed).
REPOSITORY = PACKAGE.parent if (PACKAGE.parent / "source" / "compendium.yaml").is_file() else None
