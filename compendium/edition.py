"""An edition: one language and one variant of the compendium, on one paper size, and where its PDF goes."""

from __future__ import annotations

from dataclasses import dataclass, replace

VARIANTS = ("screen", "print", "booklet", "handout")
PAPERS = ("a4", "letter")
MARKS = ("crop", "cross")
BOOKLET_SHEETS = ("reduced", "actual")


@dataclass(frozen=True)
class Edition:
    """What one PDF is: its language, its variant, its paper, and for a handout its selection."""

    lang: str = "en"
    variant: str = "screen"
    paper: str = "a4"
    marks: tuple[str, ...] = ("crop",)  # print: crop marks, and cross (registration) marks if asked
    selection: tuple[str, str] | None = None  # handout: ("section", "II") or ("keyword", "children")
    booklet: str = "reduced"  # booklet: two reduced pages on a sheet of the paper (A5 on A4), or "actual" (A4 on A3)
    interface_only: bool = False  # the interface in `lang`, the content as written in the source language
    slug: str = "compendium"  # the compendium's name in its file names (compendium.yaml's `slug`)

    @property
    def stylesheets(self) -> tuple[str, ...]:
        """The variant's own stylesheet and the paper's, each changing only what differs."""
        sheets = ("print.css" if self.variant in ("print", "booklet") else f"{self.variant}.css",)
        if self.variant == "print":
            sheets += ("bleed.css",)
        if self.variant == "handout":
            sheets = ("print.css", "handout.css")
        if self.paper != "a4":
            sheets += (f"paper-{self.paper}.css",)
            if self.variant == "print":
                sheets += (f"paper-{self.paper}-bleed.css",)
        return sheets

    @property
    def layout(self) -> Edition:
        """The edition whose pages this one shows: a booklet imposes the print edition's pages,
        cut to their trim box, so that the two can never differ."""
        if self.variant == "booklet":
            return replace(self, variant="print", booklet="reduced")
        return self

    @property
    def filename(self) -> str:
        parts = [self.slug, self.lang]
        if self.variant != "screen":
            parts.append(self.variant)
        if self.selection:
            parts += list(self.selection)
        if self.paper != "a4":
            parts.append(self.paper)
        return "-".join(parts) + ".pdf"
