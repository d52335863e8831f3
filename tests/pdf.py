"""Reading the built PDF for tests: page texts, links, destinations, fonts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import pypdfium2
from pypdf import PdfReader
from pypdf.generic import IndirectObject

SOFT = "\u00ad"  # the builder maps its hyphenation glyph to the soft hyphen (pdf/tagged.py)
GENERATED = "\ufffe"  # what pdfium reports for a hyphen that ends a line, and the break after it
FRAGMENT = re.compile(r"[^\W_]+$")


def pdfium_text(path: Path, document: pypdfium2.PdfDocument, index: int) -> str:
    """A page's text as pdfium reads it, with a word hyphenated at a line end told apart from a
    hard hyphen there: pdfium reports both as U+FFFE, so the page's content stream (which holds
    U+00AD after the fragment of a hyphenated word) decides. A hyphenated word reads as WeasyPrint
    drew it ("implement\u2010", a line break, "ation"); a hard hyphen stays U+FFFE."""
    text = document[index].get_textpage().get_text_range()
    if GENERATED not in text:
        return text
    soft = soft_fragments(path, index)
    pieces = text.split(GENERATED)
    out = [pieces[0]]
    for piece in pieces[1:]:
        fragment = FRAGMENT.search(out[-1])
        out.append(f"\u2010\r\n{piece}" if fragment and fragment.group(0) in soft else f"{GENERATED}{piece}")
    return "".join(out)


def soft_fragments(path: Path, index: int) -> set[str]:
    """The word fragments before each soft hyphen of a page's content."""
    content = _content_reader(str(path)).content(index)
    text = "".join(content.mcid_text.values())
    return {match.group(0) for part in text.split(SOFT)[:-1] if (match := FRAGMENT.search(part))}


@lru_cache(maxsize=4)
def _content_reader(path: str):
    from outloud.model import Document

    return Document(path)


def flat(text: str) -> str:
    """Text with white space and soft line-break hyphens folded, for searching. pdfium reports a
    hard hyphen that ends a line (co-|operate) as U+FFFE in place of the hyphen and the break."""
    text = text.replace("\u2010\r\n", "").replace("\u2010\n", "").replace("\ufffe", "-")
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Link:
    page: int  # 0-based page the link is on
    uri: str | None
    target: int | None  # 0-based page an internal link goes to
    rect: tuple[float, ...]


class Pdf:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.reader = PdfReader(path)
        self.document = pypdfium2.PdfDocument(path)

    def __len__(self) -> int:
        return len(self.document)

    @cached_property
    def texts(self) -> list[str]:
        return [pdfium_text(self.path, self.document, i) for i in range(len(self.document))]

    @cached_property
    def flat_texts(self) -> list[str]:
        return [flat(t) for t in self.texts]

    def pages_with(self, text: str) -> list[int]:
        wanted = flat(text)
        return [i for i, page in enumerate(self.flat_texts) if wanted in page]

    @cached_property
    def named(self) -> dict[str, int]:
        return {
            name: self.reader.get_destination_page_number(dest) for name, dest in self.reader.named_destinations.items()
        }

    @cached_property
    def links(self) -> list[Link]:
        links = []
        for number, page in enumerate(self.reader.pages):
            for ref in page.get("/Annots", []) or []:
                annotation = ref.get_object()
                if annotation.get("/Subtype") != "/Link":
                    continue
                action = annotation.get("/A")
                uri = action.get_object().get("/URI") if action is not None else None
                target = None
                dest = annotation.get("/Dest")
                if dest is not None:
                    target = self._destination_page(dest)
                elif action is not None and action.get_object().get("/S") == "/GoTo":
                    target = self._destination_page(action.get_object()["/D"])
                rect = tuple(float(v) for v in annotation["/Rect"])
                links.append(Link(number, str(uri) if uri is not None else None, target, rect))
        return links

    def _destination_page(self, dest) -> int | None:
        dest = dest.get_object() if isinstance(dest, IndirectObject) else dest
        if isinstance(dest, str):
            return self.named.get(dest)
        if hasattr(dest, "__getitem__") and len(dest):
            return self.reader.get_page_number(dest[0].get_object())
        return None

    def render(self, index: int, scale: float = 1.0):
        return self.document[index].render(scale=scale).to_pil().convert("RGB")

    def outline(self) -> list[tuple[int, str, int]]:
        """(level, title, 0-based page) for every bookmark, in order."""
        out: list[tuple[int, str, int]] = []

        def walk(items, level):
            for item in items:
                if isinstance(item, list):
                    walk(item, level + 1)
                else:
                    out.append((level, item.title, self.reader.get_destination_page_number(item)))

        walk(self.reader.outline, 1)
        return out
