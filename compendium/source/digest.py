"""Digests of what an edition is made from: files under folders, the builder's code, the libraries' versions."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

from .assets import PACKAGE

# The libraries whose version changes what a PDF looks like.
LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "fonttools", "pikepdf", "jinja2", "babel")


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
