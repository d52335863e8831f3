"""Reads compendium.yaml's `brand`: the organisation's colour, its section palette and its logo."""

from __future__ import annotations

import re
from pathlib import Path

from ..model import Brand
from .assets import BUILDER, FALLBACK_FOLDERS
from .fields import LIST, TEXT, ValueType, describe, record
from .inputs import link_out_message, link_out_of
from .problems import Problems
from .yamlsource import INVALID, Node

COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
EXAMPLE = '"#1f5f99"'
# What WeasyPrint draws as an image on the cover.
LOGO_TYPES = (".svg", ".png", ".jpg", ".jpeg")
CONTEXT = "brand"
COLOUR_VALUE = ValueType("a colour", lambda value: value)  # checked by _checked, which says what is wrong
# What text is set on or in a colour: the brand colour's text (the resource panels' titles, the
# directory's keywords) on the white page, and the provisions' text (tokens.css's --ink) on a
# section's tint. Less contrast than the build's visibility test asks (pdf/engine.py's
# MIN_CONTRAST: WCAG's ratio) hides that text: the build then refused it far from this line.
PAPER = (0xFF, 0xFF, 0xFF)
INK = (0x1D, 0x1D, 0x1B)
MIN_CONTRAST = 1.5


def read_brand(node: Node, root: Path, problems: Problems) -> Brand:
    """The brand as given; whatever is wrong is reported at its line and left to the builder's own."""
    values = record(node, CONTEXT, problems, {}, {"colour": COLOUR_VALUE, "palette": LIST, "logo": TEXT})
    if values is None:
        return Brand()
    colour = _colour(node, "colour", CONTEXT, problems)
    if colour is not None and _hides(colour, PAPER):
        problems.error(
            node.value["colour"].origin,
            CONTEXT,
            f"key 'colour': expected a colour that stands out from the white page (the resource panels' "
            f"and the directory's headings are set in it), found '{colour}', {_contrast_said(colour, PAPER)}",
        )
        colour = None
    palette = []
    if "palette" in values:
        if not values["palette"]:
            problems.error(
                node.value["palette"].origin, CONTEXT, "key 'palette': expected a list of colours, found an empty list"
            )
        for position, entry in enumerate(values["palette"], 1):
            found = _palette_entry(entry, position, problems)
            if found:
                palette.append(found)
    logo = _logo(node, values.get("logo"), root, problems)
    return Brand(colour, tuple(palette), logo)


def _colour(node: Node, key: str, context: str, problems: Problems) -> str | None:
    given = node.value.get(key)
    if given is None or given.value is INVALID:
        return None
    return _checked(given, node.key_origins[key], f"key '{key}'", context, problems)


def _checked(given: Node, key_origin, what: str, context: str, problems: Problems) -> str | None:
    """A colour as the stylesheet takes it: #rrggbb, lower-case; else a located error."""
    if given.value is None:
        # `colour: #0b4f8a` unquoted is a YAML comment: the colour would be dropped without a word
        problems.error(
            key_origin,
            context,
            f"{what}: expected a colour written in quotes, such as {EXAMPLE} (unquoted, # begins a comment)",
        )
        return None
    if not (isinstance(given.value, str) and COLOUR.fullmatch(given.value.strip())):
        problems.error(
            given.origin,
            context,
            f"{what}: expected a colour written #rrggbb, such as {EXAMPLE}, found {describe(given.value)}",
        )
        return None
    return given.value.strip().lower()


def _palette_entry(entry: Node, position: int, problems: Problems) -> tuple[str, str | None] | None:
    """One section colour: "#rrggbb", or {colour: "#rrggbb", tint: "#rrggbb"}."""
    what = f"palette item {position}"
    if entry.is_mapping:
        values = record(entry, CONTEXT, problems, {"colour": COLOUR_VALUE}, {"tint": COLOUR_VALUE})
        if values is None or "colour" not in entry.value:
            return None
        colour = _checked(
            entry.value["colour"], entry.key_origins["colour"], f"{what}, key 'colour'", CONTEXT, problems
        )
        tint = None
        if "tint" in entry.value:
            tint = _checked(entry.value["tint"], entry.key_origins["tint"], f"{what}, key 'tint'", CONTEXT, problems)
            if tint is None:
                return None
            if tint_hides(tint):
                problems.error(entry.value["tint"].origin, CONTEXT, f"{what}, {tint_hiding(tint)}")
                return None
        return (colour, tint) if colour else None
    if entry.value is None:
        problems.error(
            entry.origin,
            CONTEXT,
            f"{what}: expected a colour written in quotes, such as {EXAMPLE} (unquoted, # begins a comment)",
        )
        return None
    colour = _checked(entry, entry.origin, what, CONTEXT, problems)
    return (colour, None) if colour else None


def _logo(node: Node, name: str | None, root: Path, problems: Problems) -> str | None:
    """A logo: a file in the project's images/ folder (the only images the layout may load)."""
    if name is None:
        return None
    origin = node.value["logo"].origin
    images = root / "images"
    path = images / name
    if Path(name).is_absolute() or ".." in Path(name).parts:
        problems.error(
            origin, CONTEXT, f"key 'logo': expected a file name in the project's images/ folder, found '{name}'"
        )
        return None
    if path.suffix.lower() not in LOGO_TYPES:
        problems.error(
            origin,
            CONTEXT,
            f"key 'logo': expected an image ({', '.join(LOGO_TYPES)}) in the project's images/ folder, found '{name}'",
        )
        return None
    if not path.is_file():
        shown = images.name + "/" + name
        problems.error(
            origin,
            CONTEXT,
            f"key 'logo': {shown} is missing (put the logo in the project's images/ folder, beside source/)",
        )
        return None
    folders = [base / folder for base in (root, BUILDER) for folder in FALLBACK_FOLDERS]
    link = link_out_of(path, folders)
    if link is not None:  # the build's fetcher would refuse it, once the pages were laid out
        problems.error(origin, CONTEXT, f"key 'logo': {link[0]} is {link_out_message(link[1])}")
        return None
    return Path(name).as_posix()


def _luminance(rgb: tuple[int, ...]) -> float:
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(colour: str, other: tuple[int, ...]) -> float:
    """WCAG's contrast ratio of a colour written #rrggbb and another (red, green, blue, 0 to 255)."""
    rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    lighter, darker = sorted((_luminance(rgb), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _hides(colour: str, other: tuple[int, ...]) -> bool:
    return contrast(colour, other) < MIN_CONTRAST


def _contrast_said(colour: str, other: tuple[int, ...]) -> str:
    return f"a contrast of {contrast(colour, other):.1f} to 1 (at least {MIN_CONTRAST} to 1 is needed)"


def tint_hides(tint: str) -> bool:
    """A section's tint (#rrggbb) the provisions' text does not stand out on."""
    return _hides(tint, INK)


def tint_hiding(tint: str) -> str:
    return (
        "key 'tint': expected a tint the text stands out on (the provisions' text is set on it in dark "
        f"ink), found '{tint}', {_contrast_said(tint, INK)}"
    )
