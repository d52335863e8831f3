"""The lines of a built PDF, with where they sit, for the typography tests."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pypdfium2

from tests.pdf import FRAGMENT, GENERATED, soft_fragments

HYPHEN = "\u2010"  # what WeasyPrint sets at a hyphenated line end
REAL_HYPHENS = ("-", "\u2011")  # a word's own hyphen, at which a line may end too
LINE_END_HYPHEN = "\ufffe"  # what pdfium reads a word's own hyphen at a line end as (it joins the lines)


@dataclass(frozen=True)
class Line:
    page: int  # 0-based
    text: str
    left: float
    right: float
    top: float
    bottom: float
    word_widths: tuple[float, ...]  # the widths of the line's words, in order

    @property
    def height(self) -> float:
        return self.top - self.bottom


class Lines:
    """Every page's lines, in the order pdfium extracts them."""

    def __init__(self, path) -> None:
        self.path = path
        self.document = pypdfium2.PdfDocument(path)

    @cached_property
    def pages(self) -> list[list[Line]]:
        return [self._page(index) for index in range(len(self.document))]

    def _page(self, index: int) -> list[Line]:
        textpage = self.document[index].get_textpage()
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count)
        lines, chars = [], []
        soft = soft_fragments(self.path, index) if GENERATED in text else set()
        for i, char in enumerate(text[:count]):
            fragment = FRAGMENT.search("".join(c for c, _ in chars)) if char == GENERATED else None
            if fragment and fragment.group(0) in soft:  # a hyphenated word's line end (tests/pdf.py)
                lines.append(self._line(index, [*chars, (HYPHEN, textpage.get_charbox(i))]))
                chars = []
                continue
            if char in "\r\n":
                if chars:
                    lines.append(self._line(index, chars))
                chars = []
                continue
            box = None if char.isspace() else textpage.get_charbox(i)
            char = "-" if char == LINE_END_HYPHEN else char
            if box is not None and chars and chars[-1][0] in REAL_HYPHENS and self._turns(chars[-1][1], box):
                lines.append(self._line(index, chars))  # pdfium joins a line ending at a word's own hyphen
                chars = []
            chars.append((char, box))
        if chars:
            lines.append(self._line(index, chars))
        return [line for line in lines if line.text.strip()]

    @staticmethod
    def _turns(before, box) -> bool:
        """The character at `box` starts a new line after the one at `before` (left, bottom, right, top)."""
        return before is not None and box[2] < before[0] and box[3] < before[1]

    @staticmethod
    def _line(page: int, chars: list) -> Line:
        boxes = [box for _, box in chars if box is not None]
        widths, current = [], []
        for char, box in [*chars, (" ", None)]:
            if char == " ":  # a break opportunity; a no-break space joins its words
                if current:
                    widths.append(max(b[2] for b in current) - min(b[0] for b in current))
                current = []
            elif box is not None:
                current.append(box)
        text = "".join(char for char, _ in chars)
        return Line(
            page,
            text.strip(),
            min(b[0] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
            min(b[1] for b in boxes),
            tuple(widths),
        )
