"""Copyfitting: what one more layout mends (a tail alone on a page, a ladder of hyphens, a hyphen at a foot)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from . import engine
from .engine import Box

# A page whose running text fills less than this of the type area's height holds a sliver when that
# text is the tail of an element (with an id) that began on an earlier page. A part's opener
# (whose element begins on the page itself) and the cover are never slivers.
SLIVER = 0.2
# A tail pushed forward takes lines with it until its page is filled to this much: just clear of
# the bound (a further layout mends a tail the next layout still leaves under it), and no more,
# since every line it takes leaves the page before shorter, mid-part (book designer, round 6).
BALANCED = 0.21
# Facing pages balanced by whole groups end this near one depth (of the type area: about two lines
# and a half on A4), or are not balanced at all (book designer, round 8: 4-5 lines apart reads as unbalanced).
FACING = 0.05
ORPHANS = 2  # lines a paragraph keeps at the foot of the page before, when lines go forward
# A page that sets footnotes under its text is a chapter's normal end with this many lines of text
# above them (the book designer's measure): a tail over its footnotes needs no more.
NOTED_LINES = 5
HYPHENATION = "\u2010"  # WeasyPrint's hyphenate-character
HYPHENS = (HYPHENATION, "-")  # a hyphenation, or a word's own hyphen at a line's end
LADDER = 3  # lines in a row ending in a hyphen
SHORT = 0.8  # of the measure: a hyphenated line shorter than this was broken too early
TIGHTER = "2"  # the step components.css ("Copyfitting") sets a pulled-back part in


def text_spans(box: Box) -> Iterator[tuple[float, float, Box]]:
    """(top, bottom, the text box) of each piece of running text under `box`: not the page's
    margin boxes, running or positioned elements, nor the footnote area."""
    for child in engine.children(box):
        if engine.is_furniture(child) or engine.is_footnote_area(child):
            continue
        if engine.is_text(child):
            if engine.text(child).strip():
                yield (*engine.top_bottom(child), child)
        else:
            yield from text_spans(child)


def fill(page: Box) -> float:
    """How much of the page's type area its running text fills, top to bottom (0 for a blank page)."""
    spans = list(text_spans(page))
    if not spans:
        return 0.0
    return (max(s[1] for s in spans) - min(s[0] for s in spans)) / (engine.content_height(page) or 1)


def _owners(box: Box, number: int, begins: dict[str, int], found: tuple = ()) -> tuple | None:
    """The elements with an id, outermost first, holding the page's first text and begun on an
    earlier page (None when `box` holds no text)."""
    own = engine.element(box) if engine.is_own(box) else None
    anchor = own.get("id") if own is not None else None
    if anchor and begins.get(anchor, number) < number and own not in found:
        found = (*found, own)
    for child in engine.children(box):
        if engine.is_furniture(child) or engine.is_footnote_area(child):
            continue
        if engine.is_text(child) and engine.text(child).strip():
            return found
        inner = _owners(child, number, begins, found)
        if inner is not None:
            return inner
    return None


def _owner(page: Box, number: int, begins: dict[str, int]) -> str | None:
    """The id of the part a tail belongs to: the innermost <article> holding it (a provision, a
    decision: set tighter whole, they give back lines where a paragraph alone rarely does), else
    the innermost element with an id."""
    owners = _owners(page, number, begins) or ()
    articles = [element for element in owners if element.tag == "article"]
    chosen = articles[-1] if articles else (owners[-1] if owners else None)
    return chosen.get("id") if chosen is not None else None


def _paragraphs(box: Box, holder=None) -> Iterator[tuple[object, list[Box]]]:
    """(the element, its line boxes) of each block of running text under `box`, in order."""
    own = engine.element(box) if engine.is_own(box) else None
    holder = own if own is not None else holder
    lines = [child for child in engine.children(box) if engine.is_line(child)]
    if lines and holder is not None:
        yield holder, lines
    for child in engine.children(box):
        if not engine.is_line(child) and not engine.is_furniture(child) and not engine.is_footnote_area(child):
            yield from _paragraphs(child, holder)


@dataclass
class Fit:
    """What the second layout changes, each element named by its place in the parsed tree (the same
    HTML parses to the same tree): paragraphs that carry lines forward to the next page (`widows`:
    how many they leave there; a tail given the lines it needs, a compound's hyphen taken off a
    page's foot), elements a page starts before (a tail pushed forward with whole blocks enough
    to balance it), parts set a step tighter (the last resort), and paragraphs laid out
    unhyphenated (a ladder of hyphens, a hyphenation on a page's last line)."""

    tighter: list[int] = field(default_factory=list)
    page_before: list[int] = field(default_factory=list)
    unhyphenated: list[int] = field(default_factory=list)
    widows: dict[int, int] = field(default_factory=dict)
    whole_words: dict[int, list[str]] = field(default_factory=dict)  # words never to hyphenate, per paragraph

    def __bool__(self) -> bool:
        return bool(self.tighter or self.page_before or self.unhyphenated or self.widows or self.whole_words)

    def count(self) -> int:
        """How many marks: for a plan of a laid-out document, how many faults it shows."""
        words = sum(len(words) for words in self.whole_words.values())
        return len(self.tighter) + len(self.page_before) + len(self.unhyphenated) + len(self.widows) + words

    def apply(self, root) -> None:
        """Marks the elements of a fresh parse of the HTML: attributes, not a stylesheet of
        selectors that every element would be matched against."""
        elements = list(root.iter())
        for place in self.tighter:
            elements[place].set("data-copyfit", TIGHTER)
        for place in self.page_before:
            _add_style(elements[place], "break-before: page")
        for place in self.unhyphenated:
            _add_style(elements[place], "hyphens: manual")
        for place, lines in self.widows.items():
            _add_style(elements[place], f"widows: {lines}")
        for place, words in self.whole_words.items():
            for word in words:
                _keep_whole(elements[place], word)

    def joined(self, other: Fit) -> Fit:
        """Both fits' marks (a paragraph carrying lines keeps the larger count)."""
        joined = Fit(
            [*self.tighter, *(p for p in other.tighter if p not in self.tighter)],
            [*self.page_before, *(p for p in other.page_before if p not in self.page_before)],
            [*self.unhyphenated, *(p for p in other.unhyphenated if p not in self.unhyphenated)],
            dict(self.widows),
            {place: list(words) for place, words in self.whole_words.items()},
        )
        for place, lines in other.widows.items():
            joined.carry(place, lines)
        for place, words in other.whole_words.items():
            kept = joined.whole_words.setdefault(place, [])
            kept.extend(word for word in words if word not in kept)
        return joined

    def carry(self, place: int | None, lines: int) -> None:
        if place is not None:
            self.widows[place] = max(lines, self.widows.get(place, 0))


def _broken_word(last: tuple[object, list[Box]], following: Box | None) -> str:
    """The word a page's last line hyphenates, whole: its start on that line, its end on the next
    page's first line of the same paragraph ("" when the paragraph does not go on there)."""
    if following is None:
        return ""
    first = next(_paragraphs(following), None)
    if first is None or first[0] is not last[0]:
        return ""
    start = engine.edge_text(last[1][-1], last=True).rstrip().rstrip(HYPHENATION).split()
    end = engine.edge_text(first[1][0]).lstrip().split()
    return start[-1] + end[0] if start and end else ""


def _keep_whole(element, word: str) -> None:
    """Wraps each occurrence of `word` in the element's own text in a span set unhyphenated: the
    line breaks before the word rather than inside it. Punctuation around the word stays outside."""
    bare = word.strip(".,;:!?()«»\"'“”„")
    if not bare:
        return
    for node in list(element.iter()):
        if node.get("data-whole") is not None:
            continue
        if node.text and bare in node.text:
            before, _, after = node.text.partition(bare)
            span = _whole_span(node, bare, after)
            node.text = before
            node.insert(0, span)
            return
        for index, child in enumerate(list(node)):
            if child.tail and bare in child.tail:
                before, _, after = child.tail.partition(bare)
                span = _whole_span(node, bare, after)
                child.tail = before
                node.insert(index + 1, span)
                return


def _whole_span(parent, word: str, tail: str):
    span = parent.makeelement("span", {"style": "hyphens: manual", "data-whole": ""})
    span.text, span.tail = word, tail
    return span


def _add_style(element, declaration: str) -> None:
    # an inline declaration outranks every rule of the stylesheets that is not !important
    given = (element.get("style") or "").strip().rstrip(";")
    element.set("style", f"{given}; {declaration}" if given else declaration)


def _noted(places: list[int], place: int | None) -> None:
    if place is not None and place not in places:
        places.append(place)


def plan(document) -> Fit:
    """What to mend in a laid-out document, all at once: one more layout, never a loop of them."""
    begins = engine.anchors(document)
    pages = engine.pages(document)
    root = engine.root_element(document)
    # places in the HTML as parsed: a span a mend wrapped round a word (data-whole) is not counted
    place = (
        {element: n for n, element in enumerate(e for e in root.iter() if e.get("data-whole") is None)}
        if root is not None
        else {}
    )
    ids = {element.get("id"): number for element, number in place.items() if element.get("id")}
    fit = Fit()
    facing = engine.spreads(document)
    for number, page in enumerate(pages, 1):
        paragraphs = list(_paragraphs(page))
        for element, lines in paragraphs:
            run = 0
            for line in lines:
                run = run + 1 if engine.edge_text(line, last=True).rstrip().endswith(HYPHENS) else 0
                if run == LADDER:
                    _noted(fit.unhyphenated, place.get(element))
        for element in _short_hyphenated(paragraphs):
            _noted(fit.unhyphenated, place.get(element))
        if paragraphs:
            _mend_foot(fit, paragraphs[-1], pages[number] if number < len(pages) else None, place)
        filled = fill(page)
        height = engine.content_height(page) or 1
        if facing and engine.is_left(page) and number < len(pages):
            _noted(fit.page_before, place.get(_verso_stub(page, pages[number], height)))
        sliver, target = SLIVER, BALANCED
        if engine.holds_footnotes(page) and paragraphs:  # five lines over the footnotes will do
            pitch = _pitch(paragraphs[0][1]) / height
            sliver, target = min(SLIVER, (NOTED_LINES - 0.5) * pitch), min(BALANCED, NOTED_LINES * pitch)
        if not 0 < filled < sliver or number == 1:
            continue
        owner = _owner(page, number, begins)
        if owner is None:
            continue
        # Lines of the page before go forward to the tail, as few as fill its page to `target`: the
        # paragraph broken between the two pages carries them, else the lowest whole blocks go.
        # Setting the part tighter to pull the tail back is the last resort: it shows.
        before = pages[number - 2]
        carried = _carried_lines(before, page, filled, height, target)
        if carried is not None:
            fit.carry(place.get(carried[0]), carried[1])
            continue
        # a sliver facing its page before is seen with it: the spread evened by whole groups, else
        # the sliver lifted as overleaf (book designer, round 8: one convention or the other)
        moved = _facing_block(before, filled, height) if facing and engine.is_left(before) else None
        if moved is None:
            moved = _balancing_block(before, filled, height, target, facing and engine.is_left(before))
        if moved is not None:
            _noted(fit.page_before, place.get(moved))
        else:
            _noted(fit.tighter, ids.get(owner))
    return fit


def _short_hyphenated(paragraphs: list[tuple[object, list[Box]]]) -> Iterator[object]:
    """The paragraphs with a line that ends in a hyphenation though it fills less than SHORT of the
    measure (the widest line on the page that starts where it does): WeasyPrint hyphenates a run of
    words joined by no-break spaces from its first word, so «(в обрат-» broke a line at half its
    width (Russian editor, round 8); set unhyphenated, the word goes whole onto the next line."""
    right: dict[int, float] = {}
    for _, lines in paragraphs:
        for line in lines:
            left, end = engine.extent(line)  # a line box is as wide as its text
            right[round(left)] = max(right.get(round(left), end), end)
    for element, lines in paragraphs:
        for line in lines[:-1]:
            left, end = engine.extent(line)  # a line box is as wide as its text
            measure = right[round(left)] - left
            if end - left < SHORT * measure and engine.edge_text(line, last=True).rstrip().endswith(HYPHENATION):
                yield element
                break


def _mend_foot(fit: Fit, last: tuple[object, list[Box]], following: Box | None, place: dict) -> None:
    """A hyphen on the page's last line: the reader turns the leaf mid-word."""
    end = engine.edge_text(last[1][-1], last=True).rstrip()
    if end.endswith(HYPHENATION):
        # the word alone is set unhyphenated: its line breaks before it, and the paragraph keeps
        # its other lines (unhyphenated whole, it runs on down a decision's pages)
        word = _broken_word(last, following)
        if word and place.get(last[0]) is not None:
            fit.whole_words.setdefault(place[last[0]], []).append(word)
        else:
            _noted(fit.unhyphenated, place.get(last[0]))
    elif end.endswith("-") and following is not None:
        # a compound's own hyphen ("gender-|sensitive") cannot be unhyphenated: its line goes over
        going = _going_on(last, following)
        if going is not None and len(last[1]) > ORPHANS:
            fit.carry(place.get(last[0]), going + 1)


def _going_on(last: tuple[object, list[Box]], following: Box) -> int | None:
    """How many lines the page's last paragraph sets on the following page (None: it ends here)."""
    first = next(_paragraphs(following), None)
    if first is None or first[0] is not last[0]:
        return None
    return len(first[1])


def _pitch(lines: list[Box]) -> float:
    """The distance from one line to the next in a block (a line's height when it has one)."""
    tops = [engine.top_bottom(line)[0] for line in lines]
    return (tops[-1] - tops[0]) / (len(tops) - 1) if len(tops) > 1 else engine.top_bottom(lines[0])[1] - tops[0]


def _carried_lines(before: Box, page: Box, filled: float, height: float, target: float) -> tuple[object, int] | None:
    """(the paragraph broken between the page before and the sliver, the lines it should set on
    the sliver: `widows`), when it has lines enough to fill the sliver to `target` and keep
    ORPHANS at the foot of the page before; None otherwise."""
    blocks = list(_paragraphs(before))
    going = _going_on(blocks[-1], page) if blocks else None
    if going is None:
        return None
    element, lines = blocks[-1]
    needed = math.ceil((target - filled) * height / (_pitch(lines) or 1))
    if needed < 1 or len(lines) - needed < ORPHANS:
        return None
    return element, going + needed


def _balancing_block(before: Box, filled: float, height: float, target: float, spread: bool = False) -> object | None:
    """The element on the page before a sliver whose block, with what follows it there, fills the
    sliver's page to `target` when moved onto it: the lowest such block (not the page's first, which
    may have begun on a page before) that a page break can go before. Some entries of a group go
    over under the group's repeated heading, a line and a half more on the sliver's page: counted,
    so that no more entries go than the page needs (book designer, round 8: tails of 26-33 %).
    `spread`: the page before faces the sliver, and a group the lift would split goes across whole,
    with its heading: a group's entries at a verso's foot facing its own "(continued)" heading read
    as a mistake (book designer, rounds 9 and 10)."""
    found = _blocks(before)
    if found is None:
        return None
    first, bottom, blocks = found
    for index in range(len(blocks) - 1, -1, -1):
        lines, mover, split = blocks[index]
        top, line_bottom = engine.top_bottom(lines[0])
        if top <= first:
            return None
        heading = 1.5 * (line_bottom - top) if split else 0.0
        # a whole block keeps the space above it (a group's margin) between it and the tail it
        # goes before: counted, or a lift reckons that space short and takes one unit too many
        # (book designer, round 9: "On protection and assistance:" whole filled EN print p51 to 22 %)
        gap = 0.0 if split or index == 0 else max(0.0, top - engine.top_bottom(blocks[index - 1][0][-1])[1])
        if mover is not None and filled + (bottom - top + heading + gap) / (height or 1) >= target:
            whole = _whole_group(blocks, index, first) if spread and split else None
            return whole if whole is not None else mover
    return None


# A right-hand page filled past this takes no stub from the page it faces: the entry pushed off
# its foot would start a page of its own.
ROOM = 0.85


def _verso_stub(verso: Box, recto: Box, height: float) -> object | None:
    """The keyword group a left-hand page ends with one entry of, its heading over it, whose other
    entries go on overleaf on the page facing it under its "(continued)" heading: moved across
    whole when the right-hand page has room (book designer, round 10: nine spreads, the stub made
    by the normal flow, not by a lift)."""
    found = _blocks(verso)
    if found is None or not found[2]:
        return None
    first, _, blocks = found
    lines, mover, split = blocks[-1]
    top, bottom = engine.top_bottom(lines[0])[0], engine.top_bottom(lines[-1])[1]
    if mover is None or split or top <= first or mover not in set(_tables(recto)):
        return None
    return mover if fill(recto) + (bottom - top) / (height or 1) <= ROOM else None


def _whole_group(blocks: list[tuple[list[Box], object | None, bool]], index: int, first: float) -> object | None:
    """The group a split at `blocks[index]` would leave entries of above it, when they (with its
    heading) can go too: the group's table, moved by its first entry's block; None otherwise."""
    before = index - 1
    while before >= 0 and (blocks[before][1] is None or blocks[before][2]):  # its entries, their paragraphs
        before -= 1
    if before < 0 or blocks[before][2] or blocks[before][1] is None:
        return None
    lines, mover, _ = blocks[before]
    return mover if engine.top_bottom(lines[0])[0] > first else None


def _facing_block(before: Box, filled: float, height: float) -> object | None:
    """The element on a left-hand page, facing the sliver's right-hand page, whose block moved over
    leaves the two pages within FACING of one depth (a spread is seen at once: 72 % facing 27 %
    reads as unfinished, book designer round 7), the nearest such: a whole keyword group or block,
    never some entries of a group (a group split across a spread looks like a mistake: round 8).
    None when no such block brings the pages that near: the tail is then lifted as overleaf."""
    found = _blocks(before)
    if found is None:
        return None
    first, bottom, blocks = found
    best: tuple[float, object] | None = None
    above = first  # where the text before the block ends: the left-hand page's foot once it goes
    for lines, mover, split in blocks:
        top, end = engine.top_bottom(lines[0])[0], engine.top_bottom(lines[-1])[1]
        whole = mover is not None and top > first and not split
        # the space above a whole block goes over with it, as _balancing_block counts it
        tail, left = filled + (bottom - min(top, above)) / (height or 1), (above - first) / (height or 1)
        if whole and tail >= BALANCED and abs(left - tail) <= FACING and (best is None or abs(left - tail) < best[0]):
            best = (abs(left - tail), mover)
        above = max(above, end)
    return best[1] if best else None


def _blocks(page: Box) -> tuple[float, float, list[tuple[list[Box], object | None, bool]]] | None:
    """Where the page's running text begins and ends, and its blocks in order: (line boxes, the
    element a page break goes before to move them, whether that move splits a keyword group,
    carrying some of its entries under its repeated heading); None for a page without text."""
    spans = list(text_spans(page))
    if not spans:
        return None
    tables = set(_tables(page))
    blocks: list[tuple[list[Box], object | None, bool]] = []
    for element, lines, mover in _movable(page):
        if mover is not None and mover in tables:
            # a whole group goes with its heading (its header row, which no page break moves on its
            # own): measured from the heading, or a lift reckons a line short and takes one unit
            # too many (book designer, round 9: EN print 50|51 split "On private sector" for it)
            while blocks and blocks[-1][1] is None and _heading_of(blocks[-1][0], lines):
                lines = blocks.pop()[0] + lines
        blocks.append((lines, mover, mover is not None and mover is not element and mover not in tables))
    return min(s[0] for s in spans), max(s[1] for s in spans), blocks


def _heading_of(heading: list[Box], lines: list[Box]) -> bool:
    """Lines no page break moves on their own stand right above a group's first entry: its heading."""
    bottom, top = engine.top_bottom(heading[-1])[1], engine.top_bottom(lines[0])[0]
    return 0 <= top - bottom < 2 * (bottom - engine.top_bottom(heading[-1])[0])


def _tables(box: Box) -> Iterator[object]:
    """The elements of the tables under `box` (keyword groups: moving one moves its heading too)."""
    if engine.body_rows(box) is not None and engine.is_own(box):
        yield engine.element(box)
    for child in engine.children(box):
        if not engine.is_line(child):
            yield from _tables(child)


def _row_mover(row: Box, first: Box | None, table, rows: list[Box], mover: list | None) -> list:
    """What a page break goes before to move a row of a table: the table for its first row, the
    row's own element for a later one (a row WeasyPrint made up, or one of a table inside another
    table's cell, cannot be moved)."""
    if mover is not None:
        return []
    if row is first:
        return [table]
    own = row in rows and engine.is_own(row) and engine.element(row) is not table
    return [engine.element(row)] if own else []


def _movable(box: Box, holder=None, mover: list | None = None) -> Iterator[tuple[object, list[Box], object | None]]:
    """(the element, its line boxes, the element a page break goes before to move it: itself, the
    table or row it opens, or None) of each block of running text under `box`, in order. WeasyPrint
    breaks no page before a block inside a table's cell (a keyword group is set as a table, so that
    its heading repeats on the next page), only before a row: the first row's first block moves the
    table (the heading goes with it), a later row's first block moves its row (an entry of the
    group: the rest of the group goes on under its repeated heading). `mover`: inside a table, a
    one-item list with the element the next block may name (emptied once named)."""
    own = engine.element(box) if engine.is_own(box) else None
    holder = own if own is not None else holder
    lines = [child for child in engine.children(box) if engine.is_line(child)]
    if lines and holder is not None:
        if mover is None:
            yield holder, lines, holder
        else:
            yield holder, lines, mover.pop() if mover else None
    rows = engine.body_rows(box)
    if rows is not None:
        first = rows[0] if rows else None
        for group in engine.children(box):
            for row in engine.children(group):
                yield from _movable(row, holder, _row_mover(row, first, own, rows, mover))
        return
    for child in engine.children(box):
        if not engine.is_line(child) and not engine.is_furniture(child) and not engine.is_footnote_area(child):
            yield from _movable(child, holder, mover)
