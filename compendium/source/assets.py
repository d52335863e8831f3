"""Where the builder's own assets are: the repository's top level in a checkout, compendium/assets/ when installed."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # compendium/, above this stage's folder
# An installed package carries its layouts, styles, fonts and interface translations in
# compendium/assets/; a checkout of the repository keeps them at its top level.
BUILDER = PACKAGE / "assets" if (PACKAGE / "assets" / "layouts").is_dir() else PACKAGE.parent
# The repository's own compendium, the default project (None when the package is installed).
REPOSITORY = PACKAGE.parent if (PACKAGE.parent / "source" / "compendium.yaml").is_file() else None


# The asset folders whose files a project's own may replace one by one: a file the project lacks is
# the builder's (a project's copy of styles/fonts.css names ../fonts/NotoSans-Regular.ttf, which
# only the builder has: attacker round 9, P19).
FALLBACK_FOLDERS = ("fonts", "styles", "images")


def builder_fallback(path: Path, root: Path | None) -> Path | None:
    """The builder's file standing for a missing file of a project's asset folder, or None."""
    if root is None or path.exists():
        return None
    root = root.resolve()
    if not path.is_relative_to(root) or root == BUILDER.resolve():
        return None
    relative = path.relative_to(root)
    if not relative.parts or relative.parts[0] not in FALLBACK_FOLDERS:
        return None
    candidate = BUILDER.resolve() / relative
    return candidate if candidate.is_file() else None
