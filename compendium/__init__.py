"""The compendium builder: structured source data in, print-quality PDF out."""

__version__ = "0.1.0"
