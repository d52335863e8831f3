"""Reads introduction.yaml: paragraphs, lists and footnotes marked [^id] in the text."""

from __future__ import annotations

from ..model import Block, Citation, Footnote, Introduction, Origin, Publication
from .fields import FOOTNOTE_MARK, LABEL, LIST, TEXT, TEXTS, child, entry_name, items, record
from .problems import Problems, suggest
from .provisions import cited_pages, pages_problem
from .registry import Registry
from .yamlsource import Node

MARK_START = "[^"


def footnote_marks(text: str) -> tuple[list[str], str | None]:
    """The footnote ids marked in a text, in order, and the first '[^' that opens no mark (or None)."""
    marks = []
    opened = 0
    for mark in FOOTNOTE_MARK.finditer(text):
        marks.append(mark.group(1))
        opened += 1
    unclosed = None
    if text.count(MARK_START) != opened:
        matched = {mark.start() for mark in FOOTNOTE_MARK.finditer(text)}
        start = text.find(MARK_START)
        while start in matched:
            start = text.find(MARK_START, start + 1)
        unclosed = text[start : start + 30]
    return marks, unclosed


def read_introduction(
    node: Node | None, publications: Registry[Publication], problems: Problems
) -> Introduction | None:
    if node is None:
        return None
    values = record(node, "", problems, {"title": TEXT, "blocks": LIST}, {"footnotes": LIST})
    if values is None:
        return None
    read = [
        _block(entry, n, problems)
        for n, entry in enumerate(items(child(node, values, "blocks"), "blocks", problems), 1)
    ]
    blocks = [block for block in read if block is not None]
    notes = _footnotes(child(node, values, "footnotes"), publications, problems)
    if len(blocks) < len(read) or notes is None or "title" not in values:
        return None
    footnotes = _number(blocks, notes, node, problems)
    if footnotes is None:
        return None
    return Introduction(values["title"], tuple(blocks), footnotes)


def _block(entry: Node, position: int, problems: Problems) -> Block | None:
    values = record(entry, f"block {position}", problems, {}, {"paragraph": TEXT, "list": TEXTS})
    if values is None:
        return None
    if len(entry.value) != 1:
        problems.error(entry.origin, f"block {position}", "expected exactly one of 'paragraph' or 'list'")
        return None
    if not values:
        return None  # its value was wrong, and reported
    form, content = next(iter(values.items()))
    return Block(form, (content,) if form == "paragraph" else content, entry.origin)


def _footnotes(node: Node | None, publications: Registry[Publication], problems: Problems):
    notes: dict[str, tuple[Citation | None, str | None, Origin]] = {}
    ok = True
    for entry in items(node, "footnotes", problems):
        values = record(
            entry,
            entry_name(entry, "footnote"),
            problems,
            {"id": LABEL},
            {"publication": TEXT, "pages": LABEL, "text": TEXT},
        )
        if not values or "id" not in values:
            ok = False
            continue
        context = f"footnote '{values['id']}'"
        if values["id"] in notes:
            problems.error(
                entry.origin, context, f"id '{values['id']}' is already used at line {notes[values['id']][2].line}"
            )
            ok = False
            continue
        if "pages" in values:
            values["pages"] = cited_pages(values["pages"])
        if "pages" in values and (wrong := pages_problem(values["pages"])):
            problems.error(entry.value["pages"].origin, context, wrong)
            ok = False
        written = [key for key in ("publication", "text") if key in entry.value]
        if len(written) != 1:
            problems.error(
                entry.origin,
                context,
                "expected exactly one of 'publication' (a catalogued publication cited) or 'text'",
            )
            ok = False
            continue
        if not {"publication", "text"} & values.keys():
            ok = False  # its type was wrong, and reported
            continue
        citation = None
        if "publication" in values:
            publication = publications.lookup(
                values["publication"], entry.value["publication"].origin, context, problems
            )
            if publication is None:
                ok = False
                continue
            citation = Citation(publication, values.get("pages"), entry.origin)
        notes[values["id"]] = (citation, values.get("text"), entry.origin)
    return notes if ok else None


def _number(blocks: list[Block], notes: dict, node: Node, problems: Problems) -> tuple[Footnote, ...] | None:
    """Footnotes are numbered by where they are first marked; every mark needs a note and every note a mark."""
    order: list[str] = []
    ok = True
    for block in blocks:
        for text in block.texts:
            marks, unclosed = footnote_marks(text)
            if unclosed is not None:
                problems.error(
                    block.origin, "introduction", f"footnote mark '{unclosed}…' is not closed: write [^id] with a ']'"
                )
                ok = False
            for mark in marks:
                if mark in order:
                    problems.error(block.origin, "introduction", f"footnote mark '[^{mark}]' is used twice")
                    ok = False
                elif mark not in notes:
                    problems.error(
                        block.origin, "introduction", f"footnote mark '[^{mark}]' has no footnote{suggest(mark, notes)}"
                    )
                    ok = False
                elif mark not in order:
                    order.append(mark)
    for note_id, (_, _, origin) in notes.items():
        if note_id not in order:
            problems.error(
                origin, f"footnote '{note_id}'", "never marked in the text (write [^" + note_id + "] where it belongs)"
            )
            ok = False
    if not ok:
        return None
    return tuple(Footnote(note_id, n, notes[note_id][0], notes[note_id][1]) for n, note_id in enumerate(order, 1))
