"""An edition: one language and one variant of the compendium, on one paper size, and where its PDF goes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class Variant(StrEnum):
    """What a PDF is for: the screen, the print shop, an office printer's booklet, a workshop."""

    SCREEN = "screen"
    PRINT = "print"
    BOOKLET = "booklet"
    HANDOUT = "handout"

    @property
    def for_print_shop(self) -> bool:
        """PDF/X with bleed, marks and CMYK colours, opened as a book."""
        return self is Variant.PRINT

    @property
    def in_inks(self) -> bool:
        """Printed on paper, so coloured in CMYK (styles/inks.css): black text in black ink or toner
        alone, never a mix; only the screen edition is in RGB."""
        return self is not Variant.SCREEN

    @property
    def read_as_spreads(self) -> bool:
        """Printed on both sides and bound: a left-hand page faces a right-hand one, and a part's
        last two pages that face each other end at one depth (pdf/copyfit.py)."""
        return self in (Variant.PRINT, Variant.BOOKLET)

    @property
    def is_imposed(self) -> bool:
        """Pages imposed two to a sheet: the booklet's own (A5 on A4) or the print edition's (A4 on A3)."""
        return self is Variant.BOOKLET

    @property
    def is_selection(self) -> bool:
        """Some provisions only, chosen by section or keyword."""
        return self is Variant.HANDOUT


class Paper(StrEnum):
    """The trimmed page size of an edition."""

    A4 = "a4"
    LETTER = "letter"


VARIANTS = tuple(variant.value for variant in Variant)
PAPERS = tuple(paper.value for paper in Paper)
PAPER_SIZE = {Paper.A4: (210.0, 297.0), Paper.LETTER: (215.9, 279.4)}  # mm: width, height
MARKS = ("crop", "cross")
# A booklet's sheet: "reduced" lays the edition out on pages half the paper's size (A5, styles/booklet.css)
# and imposes them two to a sheet of the paper at actual size; "actual" imposes the print
# edition's pages on a sheet twice the paper's size (A4 on A3).
BOOKLET_SHEETS = ("reduced", "actual")


@dataclass(frozen=True)
class Edition:
    """What one PDF is: its language, its variant, its paper, and for a handout its selection."""

    lang: str = "en"
    variant: Variant = Variant.SCREEN
    paper: Paper = Paper.A4
    marks: tuple[str, ...] = ("crop",)  # print: crop marks, and cross (registration) marks if asked
    selection: tuple[str, str] | None = None  # handout: ("section", "II") or ("keyword", "children")
    booklet: str = "reduced"  # booklet: its own half-size pages on the paper (A5 on A4), or "actual" (A4 on A3)
    interface_only: bool = False  # the interface in `lang`, the content as written in the source language
    slug: str = "compendium"  # the compendium's name in its file names (compendium.yaml's `slug`)
    caliper: float = 0.1  # print, booklet: mm a leaf of the paper (90 g/m² uncoated), for the spine and the creep
    # published with its translation incomplete: what is not translated prints in the source
    # language, marked, and --strict does not fail for it (a stale translation still fails it)
    partial: bool = False

    def __post_init__(self) -> None:
        # Given as text (editions.yaml, the command line) or as members: always members, so that
        # two equal editions are one, and a value that is neither fails here.
        object.__setattr__(self, "variant", Variant(self.variant))
        object.__setattr__(self, "paper", Paper(self.paper))

    @property
    def stylesheets(self) -> tuple[str, ...]:
        """The variant's own stylesheet and the paper's, each changing only what differs."""
        sheets: tuple[str, ...] = ("print.css" if self.variant in ("print", "booklet") else f"{self.variant}.css",)
        if self.variant == "print":
            sheets += ("bleed.css",)
        if self.variant == "handout":
            sheets = ("print.css", "handout.css")
        inks = ("inks.css",) if self.variant.in_inks else ()
        if self.has_own_pages:
            paper = () if self.paper == "a4" else (f"paper-{self.paper}-booklet.css",)
            return ("print.css", "booklet.css", *paper, *inks)
        if self.paper != "a4":
            sheets += (f"paper-{self.paper}.css",)
            if self.variant == "print":
                sheets += (f"paper-{self.paper}-bleed.css",)
        return sheets + inks

    @property
    def has_own_pages(self) -> bool:
        """A booklet laid out on its own pages, half the paper's size (A5 on A4), with its own grid
        and type sizes (styles/booklet.css), rather than the print edition's pages shrunk."""
        return self.variant == "booklet" and self.booklet == "reduced"

    @property
    def goes_with_print(self) -> bool:
        """Built with the print edition of its language and paper, after it: the print edition, and
        a booklet on A3, which imposes its pages (a booklet on its own pages goes on its own)."""
        return self.variant.for_print_shop or (self.variant.is_imposed and not self.has_own_pages)

    @property
    def page_format(self) -> str:
        """The trimmed page's format, as the thumb index is computed for it (render/sectionstyle.py):
        the paper's, or half of it for a booklet laid out on its own pages."""
        return f"half-{self.paper}" if self.has_own_pages else self.paper

    @property
    def layout(self) -> Edition:
        """The edition whose pages this one shows: a booklet on A3 imposes the print edition's
        pages, cut to their trim box, so that the two can never differ; a booklet on its own
        pages is laid out as itself."""
        if self.variant == "booklet" and not self.has_own_pages:
            return replace(self, variant=Variant.PRINT, booklet="reduced")
        return self

    @property
    def cover_filename(self) -> str:
        """The print shop's cover spread, beside the interior: `…-print-cover.pdf`."""
        return self.filename.removesuffix(".pdf") + "-cover.pdf"

    @property
    def shop_filename(self) -> str:
        """The print shop's sheet (the job ticket and its figures), beside the interior: `…-print-shop.txt`."""
        return self.filename.removesuffix(".pdf") + "-shop.txt"

    @property
    def written_beside(self) -> tuple[str, ...]:
        """The files every build of the edition writes beside its PDF (a booklet's further files vary)."""
        return (self.cover_filename, self.shop_filename) if self.variant == Variant.PRINT else ()

    @property
    def longest_name(self) -> str:
        """The longest name of a file the edition writes in the output folder: its PDF, the print
        shop's cover and sheet beside it, a booklet split in up to 999 (`…-999.pdf`)."""
        names = [self.filename, *self.written_beside]
        if self.variant.is_imposed:
            names.append(self.filename.removesuffix(".pdf") + "-999.pdf")
        return max(names, key=lambda name: len(name.encode()))

    @property
    def filename(self) -> str:
        parts = [self.slug, self.lang]
        if self.variant != "screen":
            parts.append(self.variant)
        if self.variant.is_imposed and not self.has_own_pages:
            parts.append("actual")  # the print edition's pages on a sheet twice their size: not the booklet's file
        if self.selection:
            parts += list(self.selection)
        if self.paper != "a4":
            parts.append(self.paper)
        return "-".join(parts) + ".pdf"
