"""What a PDF/UA auditor reads in a tagged PDF: the structure tree in reading order, each
element's text as a structure-based reader gets it (its marked content concatenated in /K order,
nothing added between pieces), and the findings the checkers cannot make (docs/accessibility.md).

`python -m tests.audit FILE.pdf` prints the counts; tests/test_accessibility.py asserts them."""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pikepdf
from outloud.model import Document

from compendium.source.iso639 import ISO_639_2B

HEADING = re.compile(r"H\d?")
CONTINUED = re.compile(r"\((continued|продолжение)\)", re.IGNORECASE)
INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
WORD = re.compile(r"[^\W_]+(?:\u2010[^\W_]+)*")


@dataclass
class Node:
    """A structure element: its type, attributes, kids in /K order (Nodes, or (page, mcid) pairs)."""

    type: str
    obj: pikepdf.Object
    page: int | None
    kids: list = field(default_factory=list)
    parent: Node | None = None

    def walk(self):
        yield self
        for kid in self.kids:
            if isinstance(kid, Node):
                yield from kid.walk()

    def get(self, key: str) -> str | None:
        value = self.obj.get(key)
        return None if value is None else str(value)

    def attribute(self, key: str) -> str | None:
        attributes = self.obj.get("/A")
        for owner in attributes if isinstance(attributes, pikepdf.Array) else [attributes]:
            if isinstance(owner, pikepdf.Dictionary) and key in owner:
                return str(owner[key]).lstrip("/")
        return None


class Audit:
    """The structure tree of one tagged PDF, read as a structure-based reader reads it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.document = Document(str(path))
        self.pdf = self.document.pdf if hasattr(self.document, "pdf") else pikepdf.open(path)
        self._pages = {page.objgen: index for index, page in enumerate(self.pdf.pages)}

    def close(self) -> None:
        self.document.close()

    @cached_property
    def root(self) -> Node | None:
        tree = self.pdf.Root.get("/StructTreeRoot")
        if tree is None:
            return None
        root = Node("StructTreeRoot", tree, None)
        self._read(tree, root, None, set())
        return root

    def _read(self, obj, node: Node, page: int | None, seen: set) -> None:
        kids = obj.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int):
                node.kids.append((page, int(kid)))
            elif isinstance(kid, pikepdf.Dictionary):
                if kid.get("/Type") == "/MCR":
                    pg = kid.get("/Pg")
                    node.kids.append((self._pages.get(pg.objgen, page) if pg is not None else page, int(kid.MCID)))
                elif kid.get("/Type") == "/OBJR":
                    continue
                elif "/S" in kid and kid.objgen not in seen:
                    seen.add(kid.objgen)
                    pg = kid.get("/Pg")
                    kid_page = self._pages.get(pg.objgen, page) if pg is not None else page
                    child = Node(str(kid.S).lstrip("/"), kid, kid_page, parent=node)
                    node.kids.append(child)
                    self._read(kid, child, kid_page, seen)

    @property
    def elements(self) -> list[Node]:
        return [] if self.root is None else list(self.root.walk())[1:]

    def piece(self, page: int | None, mcid: int) -> str:
        if page is None:
            return ""
        return self.document.content(page).mcid_text.get((None, mcid), "")

    def pieces(self, node: Node):
        """(page, text) of each marked-content piece of the element, in reading order."""
        for kid in node.kids:
            if isinstance(kid, Node):
                yield from self.pieces(kid)
            else:
                yield kid[0], self.piece(*kid)

    def text(self, node: Node) -> str:
        """The element's text; a soft hyphen (a word hyphenated at a line end) joins the word, as
        ISO 32000-1 14.8.2.2.3 tells a reader to."""
        return "".join(text for _, text in self.pieces(node)).replace("\u00ad", "")

    def read(self, node: Node) -> str:
        """What a reader announces for the element: its /Alt or /ActualText, else its text."""
        return node.get("/Alt") or node.get("/ActualText") or self.text(node)

    def pages_of(self, node: Node) -> set[int]:
        return {page for page, text in self.pieces(node) if page is not None and text.strip()}

    # The auditor's findings ------------------------------------------------------------------

    @cached_property
    def headings(self) -> list[Node]:
        return [e for e in self.elements if HEADING.fullmatch(e.type)]

    def announced(self, node: Node) -> str:
        level = node.type[1:] or "?"
        return f"heading level {level}: {' '.join(self.read(node).split())}"

    def bare_number_headings(self) -> list[str]:
        return [self.text(h) for h in self.headings if re.fullmatch(r"\W*\d+\W*", self.text(h).strip())]

    def headings_over_two_pages(self) -> list[str]:
        return [self.text(h) for h in self.headings if len(self.pages_of(h)) > 1]

    def continued_with_other_text(self) -> list[str]:
        found = []
        for heading in self.headings:
            text = " ".join(self.text(heading).split())
            if CONTINUED.search(text) and len(CONTINUED.split(text)) > 3 - 1 and text.count(":") > 1:
                found.append(text)
        return found

    def header_cells(self) -> list[Node]:
        return [e for e in self.elements if e.type == "TH"]

    def duplicated_header_text(self) -> list[str]:
        texts = [" ".join(self.text(th).split()) for th in self.header_cells()]
        doubled = [t for t in texts if _doubled(t.replace(" ", ""))]
        repeated = [t for t, n in Counter(t for t in texts if t).items() if n > 1]
        return doubled + repeated

    def link_descriptions(self) -> list[str]:
        return [
            str(a.get("/Contents", ""))
            for page in self.pdf.pages
            for a in page.get("/Annots", [])
            if a.get("/Subtype") == "/Link"
        ]

    def bad_link_descriptions(self) -> list[str]:
        return [
            d for d in self.link_descriptions() if not d.strip() or INVISIBLE.search(d) or d.count("(") != d.count(")")
        ]

    def content_pieces(self) -> list[str]:
        return [self.piece(*kid) for e in self.elements for kid in e.kids if not isinstance(kid, Node)]

    def punctuation_only(self) -> list[str]:
        """Content pieces of punctuation alone, as a reader announces them: a piece inside an
        element with /Alt or /ActualText is announced by that text instead ("[…]": "Text omitted")."""
        spoken = [e for e in self.elements if not any(a.get("/Alt") or a.get("/ActualText") for a in _lineage(e))]
        pieces = [self.piece(*kid) for e in spoken for kid in e.kids if not isinstance(kid, Node)]
        return [t for t in pieces if t.strip() and all(_punctuation(c) for c in t.strip())]

    def empty_pieces(self) -> int:
        return sum(1 for t in self.content_pieces() if not t.strip())

    def block_texts(self) -> list[str]:
        """The text of each element whose kids are content (paragraphs, headings, cells …)."""
        return [self.text(e) for e in self.elements if any(not isinstance(k, Node) for k in e.kids) or _leafy(e)]

    def words(self) -> list[str]:
        words = []
        for element in self.elements:
            if element.parent is not None and element.parent.type != "StructTreeRoot" and _leafy(element.parent):
                continue
            if _leafy(element):
                words += WORD.findall(self._worded(element))
        return words

    def _worded(self, node: Node) -> str:
        """The element's text as a reader voices it word by word: a footnote's reference and its
        note are announced apart from the word they follow ("года" [reference: 1] [note: 1. …])."""
        parts = []
        for kid in node.kids:
            if not isinstance(kid, Node):
                parts.append(self.piece(*kid))
            elif kid.type in ("Reference", "Note"):
                parts.append(f" {self._worded(kid)} ")
            else:
                parts.append(self._worded(kid))
        return "".join(parts).replace("\u00ad", "")

    def word_joins(self, vocabulary: set[str]) -> list[str]:
        """Words of the tagged text that are not in the source but are two source words run together."""
        joins = []
        for word in self.words():
            folded = word.casefold()
            if folded in vocabulary or "\u2010" in word or folded.isdigit():
                continue
            if any(folded[:i] in vocabulary and folded[i:] in vocabulary for i in range(1, len(folded))):
                joins.append(word)
        return joins

    def hard_hyphen_splits(self) -> list[str]:
        return [w for w in self.words() if "\u2010" in w]

    def notes(self) -> list[Node]:
        return [e for e in self.elements if e.type == "Note"]

    def unreferenced_notes(self) -> list[str]:
        """Notes not directly after a Reference (or Link) to them in the reading order."""
        order = self.elements
        bad = []
        for note in self.notes():
            index = order.index(note)
            before = [e for e in order[:index] if e.type in ("Reference", "Link")]
            mark = before[-1] if before else None
            between = [e for e in order[order.index(mark) + 1 : index] if _leafy(e)] if mark else []
            if mark is None or any(self.text(e).strip() for e in between if not _inside(e, mark)):
                bad.append(self.text(note)[:60])
        return bad

    def claims_pdfua(self) -> bool:
        return "pdfuaid:part" in self.pdf.open_metadata()

    def is_tagged(self) -> bool:
        return self.root is not None and bool(self.elements)


def _doubled(text: str) -> bool:
    half = len(text) // 2
    return bool(text) and len(text) % 2 == 0 and text[:half] == text[half:]


def _inside(node: Node, ancestor: Node) -> bool:
    while node is not None:
        if node is ancestor:
            return True
        node = node.parent
    return False


def _leafy(node: Node) -> bool:
    """A block whose text is read as one: a paragraph, heading, cell, label, note."""
    return node.type in {"P", "TH", "TD", "Lbl", "LBody", "Note", "Caption"} or bool(HEADING.fullmatch(node.type))


def _lineage(node: Node):
    """The element and its ancestors."""
    while node is not None:
        yield node
        node = node.parent


def _punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PZ"


def source_vocabulary(project: Path) -> set[str]:
    """Every word of the project's source, translations and interface strings, and of the language
    names the builder writes for a publication's language codes ("available in BOS" reads
    "Bosnian"), case-folded."""
    words: set[str] = {w.casefold() for _, name in ISO_639_2B.values() for w in WORD.findall(name)}
    where = (("source", "**/*.yaml"), ("translations", "*.yaml"), ("locale", "**/*.po"), ("layouts", "*.html"))
    for folder, pattern in where:
        for path in (project / folder).glob(pattern):
            words.update(w.casefold() for w in WORD.findall(path.read_text(encoding="utf-8")))
    return words


ROLES = {
    "P": "",
    "TH": "header cell: ",
    "TD": "cell: ",
    "Lbl": "",
    "LBody": "",
    "Note": "note: ",
    "Caption": "caption: ",
}


def linearized(audit: Audit, page: int) -> list[str]:
    """What a screen reader reads on a page, from the structure tree alone, in its reading order:
    one line per block (heading, paragraph, cell, list item, note), links and references marked
    with what their annotation says; artifacts (running heads, page numbers, tabs, a repeated
    header) are not in the tree and are not read."""
    lines = []
    for element in audit.elements:
        inside = element.parent is not None and _in_block(element.parent)
        if inside or not _leafy(element) or page not in audit.pages_of(element):
            continue
        # a soft hyphen (a word hyphenated at a line end) is not read: the word is read whole
        text = " ".join(_spoken(audit, element).replace("\u00ad", "").split())
        if not text:
            continue
        if HEADING.fullmatch(element.type):
            lines.append(f"heading level {element.type[1:]}: {text}")
        else:
            lines.append(ROLES.get(element.type, "") + text)
    return lines


def _in_block(node: Node | None) -> bool:
    while node is not None:
        if _leafy(node):
            return True
        node = node.parent
    return False


def _spoken(audit: Audit, node: Node) -> str:
    parts = []
    for kid in node.kids:
        if not isinstance(kid, Node):
            parts.append(audit.piece(*kid))
        elif kid.type == "Link":
            target, said = _annotation_contents(kid), _spoken(audit, kid)
            parts.append(f"[link: {said.strip()}{f' → {target}' if target else ''}]" + " " * said.endswith(" "))
        elif kid.type == "Reference":
            parts.append(f"[reference: {_spoken(audit, kid).strip()}]")
        elif kid.type == "Note":
            parts.append(f" [note: {' '.join(_spoken(audit, kid).split())}] ")
        else:
            parts.append(kid.get("/Alt") or _spoken(audit, kid))
    return "".join(parts)


def _annotation_contents(link: Node) -> str:
    kids = link.obj.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
            return str(kid.Obj.get("/Contents", ""))
    return ""


def representative_pages(audit: Audit) -> dict[str, int]:
    """A provision page, a keyword-table page and an annex page, found by their headings."""
    found = {}
    for heading in audit.headings:
        text = audit.read(heading)
        pages = sorted(audit.pages_of(heading))
        if not pages:
            continue
        if "provision" not in found and re.fullmatch(r"\w+ 02", text.strip()):
            found["provision"] = pages[0]
        elif "annex" not in found and heading.type == "H2" and re.search(r"\d+/\d+$", text.strip()):
            found["annex"] = pages[0]
    cells = audit.header_cells()
    if cells:
        found["keyword table"] = sorted(audit.pages_of(cells[0]))[0]
    return found


def screen_reader_text(audit: Audit) -> str:
    """docs/screen-reader.md: the three representative pages as a screen reader reads them."""
    out = [
        "# What a screen reader reads",
        "",
        "Generated from the structure tree of the English screen edition by `python -m tests.audit",
        "--docs output/compendium-en.pdf` and compared by tests/test_accessibility.py: three pages,",
        "each in the reading order of its tagged content (artifacts are not read). `[link: text → what",
        "its annotation says]`, `[reference: mark]` and `[note: …]` mark what a reader announces.",
    ]
    for name, page in representative_pages(audit).items():
        out += ["", f"## The {name} page (page {page + 1})", "", "```"]
        out += linearized(audit, page)
        out += ["```"]
    return "\n".join(out) + "\n"


def summary(audit: Audit, vocabulary: set[str]) -> dict[str, int]:
    pieces = audit.content_pieces()
    return {
        "headings": len(audit.headings),
        "bare-number headings": len(audit.bare_number_headings()),
        "headings over two pages": len(audit.headings_over_two_pages()),
        "continued headings with other text": len(audit.continued_with_other_text()),
        "header cells": len(audit.header_cells()),
        "duplicated header text": len(audit.duplicated_header_text()),
        "link descriptions": len(audit.link_descriptions()),
        "bad link descriptions": len(audit.bad_link_descriptions()),
        "U+2060 in link descriptions": sum("\u2060" in d for d in audit.link_descriptions()),
        "bare URL descriptions": sum(d.startswith("http") for d in audit.link_descriptions()),
        "content pieces": len(pieces),
        "empty pieces": audit.empty_pieces(),
        "punctuation-only pieces": len(audit.punctuation_only()),
        "word joins": len(audit.word_joins(vocabulary)),
        "hard hyphen splits": len(audit.hard_hyphen_splits()),
        "notes": len(audit.notes()),
        "unreferenced notes": len(audit.unreferenced_notes()),
        "claims PDF/UA": int(audit.claims_pdfua()),
        "tagged": int(audit.is_tagged()),
    }


if __name__ == "__main__":
    project = Path(__file__).resolve().parent.parent
    if sys.argv[1] == "--docs":
        audit = Audit(Path(sys.argv[2]))
        (project / "docs" / "screen-reader.md").write_text(screen_reader_text(audit), encoding="utf-8")
        sys.exit(0)
    vocabulary = source_vocabulary(project)
    for name in sys.argv[1:]:
        audit = Audit(Path(name))
        print(name)
        for key, value in summary(audit, vocabulary).items():
            print(f"  {key}: {value}")
        audit.close()
