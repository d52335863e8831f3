"""Digests of what an edition is made from: files under folders, the builder's code, the libraries' versions."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

from .assets import PACKAGE

# The libraries whose version can change what a PDF holds: every library a build imports but the
# few that cannot (tests/test_dependencies.py holds the list to what the render path imports).
LIBRARIES = (
    "weasyprint",
    "pydyf",
    "tinycss2",
    "cssselect2",
    "tinyhtml5",  # WeasyPrint's HTML parser
    "webencodings",  # tinycss2's decoding of stylesheets
    "pyphen",  # WeasyPrint's hyphenation dictionaries: line breaks
    "fonttools",  # font subsetting
    "pillow",  # ImageCms: the print colours in the inks (render/inks.py), images
    "pikepdf",  # finishing, PDF/X, marks, imposition
    "lxml",  # pikepdf's XML
    "jinja2",
    "markupsafe",  # the layouts' escaping
    "babel",  # dates, lists, plural forms
    "pyicu-wheels",  # ICU collation: the order of the keyword table and the directory
    "PyICU",  # the same `icu` module, built against the machine's ICU (either may be installed)
    "pyyaml",  # reading the source
    "regex",  # a project's patterns (which ids a kind accepts), matched with a time budget
)


def digest_files(paths: list[Path]) -> str:
    """The names and contents of the files, in the order given."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path).encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def files(folders: list[Path]) -> list[Path]:
    """Every file under the folders, sorted."""
    return sorted(path for folder in folders if folder.is_dir() for path in folder.rglob("*") if path.is_file())


def files_digest(folders: list[Path]) -> str:
    """Every file under the folders, names and contents."""
    return digest_files(files(folders))


@cache
def code_digest() -> str:
    """The builder's own code and the versions of the libraries it lays out and writes with."""
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} absent")
    return hashlib.sha256(
        (digest_files(sorted(PACKAGE.rglob("*.py"))) + "\n".join(versions)).encode("utf-8")
    ).hexdigest()
