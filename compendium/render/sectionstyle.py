"""The stylesheet generated for a compendium's sections: colours, named pages, side tabs, bands and running heads."""

from __future__ import annotations

import colorsys
import math
import re
import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2.sandbox import SecurityError

from ..edition import Edition
from ..model import Compendium
from ..source.assets import BUILDER
from ..source.depth import TooDeep
from ..source.project import Project
from .inks import press_inks
from .sandbox import bounded_sandbox, refusal

# mm: the trimmed page, as pages.css, paper-letter.css and the booklet's half-size pages
# (booklet.css: A5; paper-letter-booklet.css: half Letter) set it
PAPER_HEIGHT = {"a4": 297.0, "letter": 279.4, "half-a4": 210.0, "half-letter": 215.9}
# The tab's section part and each later section's step while all sections fit at these sizes (the
# OSCE compendium's four); with more sections, both shrink and the gap between tabs stays.
TAB = {"a4": (50.0, 56.0), "letter": (46.0, 50.0), "half-a4": (33.0, 37.0), "half-letter": (33.0, 37.0)}
TAB_PROVISION = 30.0  # mm: the tab's provision part (the label and the provision's number), never shrunk
TAB_TEXT = 6.5  # pt: the smallest tab text; "Section N" is 7.5 pt while its tab is long enough
TAB_SHORT = 30.0  # mm: a tab's section part below which "Section N" is set at TAB_TEXT
TAB_TINT = 0.75  # the tab's provision part: the section colour at 75 % on white (its inks at 75 % in print)
TINT = 0.12  # a provision box's tint, when neither the palette nor the source gives one: the colour at 12 %

TOKEN = re.compile(r"--([\w-]+)\s*:\s*([^;]+);")
HEX = re.compile(r"#[0-9a-f]{6}")


@dataclass(frozen=True)
class Colour:
    """A colour written #rrggbb, checked: the only form that reaches the stylesheet."""

    hex: str

    def __post_init__(self) -> None:
        if not HEX.fullmatch(self.hex):
            raise ValueError(f"expected a colour written #rrggbb, found '{self.hex}'")

    @property
    def rgb(self) -> tuple[int, int, int]:
        red, green, blue = (int(self.hex[i : i + 2], 16) for i in (1, 3, 5))
        return red, green, blue

    def on_white(self, fraction: float) -> Colour:
        """The colour at `fraction` of its strength, printed on white."""
        return Colour("#" + "".join(f"{round(255 - (255 - c) * fraction):02x}" for c in self.rgb))

    def cmyk(self) -> tuple[float, float, float, float]:
        """The inks that print it on the output intent's press, through its ICC profile (render/inks.py)."""
        return press_inks(self.rgb)


def device_cmyk(inks: tuple[float, ...]) -> str:
    return "device-cmyk({})".format(" ".join(f"{ink:g}" for ink in inks))


def tokens(text: str) -> dict[str, str]:
    """The custom properties a stylesheet declares, by name (without the dashes)."""
    return {name: value.strip() for name, value in TOKEN.findall(re.sub(r"/\*.*?\*/", "", text, flags=re.S))}


def palette(declared: dict[str, str]) -> list[tuple[Colour, Colour | None]]:
    """The default section colours of tokens.css (--palette-1, 2 …), each with its tint if given."""
    colours: list[tuple[Colour, Colour | None]] = []
    while f"palette-{len(colours) + 1}" in declared:
        n = len(colours) + 1
        tint = declared.get(f"palette-{n}-tint")
        try:
            colours.append((Colour(declared[f"palette-{n}"].lower()), Colour(tint.lower()) if tint else None))
        except ValueError as error:
            raise StyleError(f"tokens.css, --palette-{n}: {error}") from None
    if not colours:
        raise StyleError("tokens.css declares no section palette (--palette-1, --palette-2 …)")
    return colours


GOLDEN = 0.381966  # a turn of the hue circle by the golden angle: far from every hue turned before


def further_colour(colours: list[Colour], taken: set[str], number: int) -> Colour:
    """Section `number`'s colour when the palette has fewer: a palette colour at the same
    lightness and saturation turned round the hue circle, never one the compendium has already."""
    base = colours[(number - 1) % len(colours)]
    turn = (number - 1) // len(colours)
    hue, lightness, saturation = colorsys.rgb_to_hls(*(c / 255 for c in base.rgb))
    step = 0
    while True:
        shifted = (hue + GOLDEN * (turn + step)) % 1.0
        rgb = colorsys.hls_to_rgb(shifted, lightness, saturation)
        made = Colour("#" + "".join(f"{round(c * 255):02x}" for c in rgb))
        if made.hex not in taken:
            return made
        step += 1


def millimetres(value: str) -> float:
    if not value.endswith("mm"):
        raise StyleError(f"expected a length in mm in tokens.css, found '{value}'")
    return float(value[:-2])


@dataclass(frozen=True)
class ThumbIndex:
    """Where the side tabs sit: each section's tab `step` mm lower than the one before, `height` mm long."""

    height: float
    step: float


def thumb_index(count: int, paper: str, page_top: float, page_bottom: float) -> ThumbIndex:
    """The longest tabs, up to today's, whose steps fit every section's tab between the margins."""
    height, step = TAB[paper]
    area = PAPER_HEIGHT[paper] - page_top - page_bottom
    if (count - 1) * step + height + TAB_PROVISION <= area:
        return ThumbIndex(height, step)
    gap = step - height
    shorter = math.floor((area - TAB_PROVISION - (count - 1) * gap) / count * 10) / 10  # to 0.1 mm, rounded down
    return ThumbIndex(shorter, round(shorter + gap, 1))


def number(value: float) -> str:
    return f"{value:g}"


class StyleError(ValueError):
    """A project's tokens.css the section rules cannot be made from: a build error, not a traceback."""


def section_stylesheet(
    compendium: Compendium, edition: Edition, project: Project, section_count: int | None = None
) -> str:
    """The rules every section needs, for however many there are; in CMYK for the print shop.
    `section_count` is the whole compendium's, when this one is a handout of some of them."""
    declared = tokens(project.stylesheet("tokens.css").read_text(encoding="utf-8"))
    brand = compendium.metadata.brand
    # the compendium's own palette (compendium.yaml's `brand`) before the builder's
    colours = [(Colour(c), Colour(t) if t else None) for c, t in brand.palette] or palette(declared)
    if edition.has_own_pages:  # the booklet's own page grid: its margins
        declared |= tokens(project.stylesheet("booklet.css").read_text(encoding="utf-8"))
    # A handout keeps the sections it hands out, numbered as in the whole compendium, and places
    # their tabs as the whole compendium does.
    count = section_count or max((s.number for s in compendium.sections), default=0)
    margins = millimetres(declared["page-top"]), millimetres(declared["page-bottom"])
    index = thumb_index(count, edition.page_format, *margins)
    cmyk = edition.variant.in_inks
    sections = []
    taken = {colour.hex for colour, _ in colours}
    for section in compendium.sections:
        if section.number <= len(colours):
            default, default_tint = colours[section.number - 1]
        else:  # more sections than the palette has colours: further colours, none repeated
            default = further_colour([c for c, _ in colours], taken, section.number)
            default_tint = None
            taken.add(default.hex)
        colour = Colour(section.colour) if section.colour else default
        tint = Colour(section.tint) if section.tint else (default_tint if not section.colour else None)
        tint = tint or colour.on_white(TINT)
        if cmyk:
            inks = colour.cmyk()
            shown = (
                device_cmyk(inks),
                device_cmyk(tint.cmyk()),
                device_cmyk(tuple(round(i * TAB_TINT, 3) for i in inks)),
            )
        else:
            shown = colour.hex, tint.hex, colour.on_white(TAB_TINT).hex
        n = section.number
        sections.append({"number": n, "index": n - 1, "colour": shown[0], "tint": shown[1], "tab_tint": shown[2]})
    names = [f"section-{s['number']}" for s in sections]
    # A project's own sections.css.j2 is a template like its layouts: it runs in the same immutable
    # sandbox (README.md, "What a project folder can do"), and a fault in it is one located line.
    env = bounded_sandbox(
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # CSS, not HTML: every value is a number or a checked colour
    )
    path = project.stylesheet("sections.css.j2")
    name = stylesheet_name(path, project.root)
    own_brand = Colour(brand.colour) if brand.colour else None
    shown_brand = (device_cmyk(own_brand.cmyk()) if cmyk else own_brand.hex) if own_brand else None
    try:
        return _render(env, path, sections, index, names, shown_brand)
    except (Exception, RecursionError) as error:  # noqa: BLE001 - a project's template may raise anything
        raise _style_error(error, name, path) from None


def _style_error(error: BaseException, name: str, path: Path) -> StyleError:
    """A fault of the project's sections.css.j2 (`name`), as one line at its file and line."""
    if isinstance(error, TooDeep):
        return StyleError(f"{name}:{error.lineno}: {error.said('the template')}")
    if isinstance(error, jinja2.TemplateSyntaxError):
        message = " ".join(str(error.message or "cannot be parsed").split())
        return StyleError(f"{name}:{error.lineno or 1}: template syntax error: {message}")
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__) if frame.filename == str(path)]
    where = f"{name}:{lines[-1] if lines else 1}"
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    if isinstance(error, SecurityError):
        return StyleError(f"{where}: refused: {refusal(error, 'the template', SANDBOXED)}")
    if isinstance(error, jinja2.UndefinedError):
        return StyleError(f"{where}: {message} (the template uses a value it is not given)")
    return StyleError(f"{where}: the template failed: {type(error).__name__}: {message}")


SANDBOXED = "templates run in a sandbox"


def stylesheet_name(path: Path, root: Path) -> str:
    """A stylesheet's name in messages: relative to the project, or to the builder's folder."""
    for base in (root, BUILDER):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return path.as_posix()


def _render(
    env: jinja2.Environment, path: Path, sections: list, index, names: list[str], brand: str | None = None
) -> str:
    source = path.read_text(encoding="utf-8")
    template = env.template_class.from_code(env, env.compile(source, path.name, str(path)), env.make_globals(None))
    return template.render(
        sections=sections,
        brand=brand,
        tab_height=number(index.height),
        tab_step=number(index.step),
        tab_provision=number(TAB_PROVISION),
        tab_section_size=number(7.5 if index.height >= TAB_SHORT else TAB_TEXT),
        # rounded down: six stripes of 16.6667 % would be wider than the band and wrap to a second row
        stripe_width=number(math.floor(100 / max(len(sections), 1) * 10_000) / 10_000),
        pages=", ".join(names),
        pages_right=", ".join(f"{n}:right" for n in names),
        pages_left=", ".join(f"{n}:left" for n in names),
        pages_blank=", ".join(f"{n}:blank" for n in names),
    )
