"""Whether a project's layouts print the annexed decisions' text, the panels' citations and the directory whole."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from html import unescape

from ..derive import directory
from ..model import Compendium, Decision, Publication
from ..source.project import Project
from .omitted import START_TAG, TAG, _end, _excerpt, blamed, letters, printed, shown

# What a project's layout could cut short or leave out (attacker round 10, M4: `preamble[:0]`,
# `paragraph.text[:30]`, `entry.items[:1]`, `group.citations[:1]` and a paragraph replaced by a
# condition each passed check and the build): how a message calls one and more than one of each,
# and the words the layout's line that does it names, for blamed().
KINDS = {
    "opening": ("annexed decision's opening", "annexed decisions' openings", ("opening",)),
    "preamble": ("preamble paragraph", "preamble paragraphs", ("preamble",)),
    "chapeau": ("annexed decision's chapeau", "annexed decisions' chapeaux", ("chapeau",)),
    "operative": ("operative paragraph", "operative paragraphs", ("paragraph", "item", "operative")),
    "citation": ("resource panel's citation", "resource panels' citations", ("citation", "group", "resources")),
    "directory": ("directory entry", "directory entries", ("entry", "item", "directory")),
}
CUT = "a slice, a filter, a condition or a loop left out in the project's layouts"


def _pieces(decision: Decision) -> Iterator[tuple[str, str, str]]:
    """(kind, its name in a message, text) of each part of a decision's official text the annex
    prints, in order: a handout's excerpt leaves the preamble out, as its layout says."""
    yield "opening", f"{decision.symbol}, opening", decision.opening
    if not decision.excerpt_of:
        for n, recital in enumerate(decision.preamble, 1):
            yield "preamble", f"{decision.symbol}, preamble paragraph {n}", recital
    if decision.chapeau:
        yield "chapeau", f"{decision.symbol}, chapeau", decision.chapeau
    for paragraph in decision.paragraphs:
        name = f"{decision.symbol}, paragraph {paragraph.number}"
        yield "operative", name, paragraph.text
        for item in paragraph.items:
            yield "operative", f"{name} ({item.label})", item.text
        if paragraph.text_after:
            yield "operative", name, paragraph.text_after


def _element(html: str, anchor: str) -> str | None:
    """The letters of the element whose id is `anchor`, its tags left out (None: not in the HTML)."""
    for tag in START_TAG.finditer(html):
        if re.search(rf"\bid=[\"']?{re.escape(anchor)}[\"'\s]", tag[2] + " "):
            return letters(unescape(TAG.sub(" ", html[tag.start() : _end(html, tag)])))
    return None


def _decisions(html: str, compendium: Compendium) -> Iterator[tuple[str, str, str]]:
    """(kind, name, text) of each part of an annexed decision that its element does not print
    whole, in order: each part's letters looked for after the part before."""
    for decision in compendium.decisions:
        printed = _element(html, decision.anchor)
        if printed is None:
            continue
        position = 0
        for kind, name, text in _pieces(decision):
            found = printed.find(letters(text), position)
            if found < 0:
                yield kind, name, text
            else:
                position = found + len(letters(text))


def _titles(publication: Publication) -> set[str]:
    """The letters of each title a citation may print: the original's, or a version's."""
    return {letters(t) for t in (publication.title, *(v.title for v in publication.versions)) if t}


def _short(printed: str, wanted: Counter) -> Iterator[Publication]:
    """Each publication of `wanted` (how many times it is cited) printed fewer times than that."""
    for publication, times in wanted.items():
        if max(printed.count(title) for title in _titles(publication)) < times:
            yield publication


def _citations(html: str, compendium: Compendium) -> Iterator[tuple[str, str, str]]:
    """(kind, name, title) of each citation a provision's panel leaves out: in the provision's part
    of the HTML, from its anchor to the next provision's (or the end of its article). A provision
    left out whole is told by omitted.py, its panel with it."""
    starts = sorted(s for p in compendium.provisions if (s := html.find(f'id="{p.anchor}"')) >= 0)
    for provision, shown_whole in zip(compendium.provisions, printed(html, compendium), strict=True):
        start = html.find(f'id="{provision.anchor}"')
        if start < 0 or not provision.resources or not shown_whole:
            continue
        later = [s for s in starts if s > start]
        end = later[0] if later else html.find("</article>", start)
        panel = letters(unescape(TAG.sub(" ", html[start : end if end > 0 else len(html)])))
        wanted = Counter(c.publication for group in provision.resources for c in group.citations)
        for publication in _short(panel, wanted):
            yield "citation", f"provision {provision.label}'s panel", publication.title


def _directory(html: str, compendium: Compendium) -> Iterator[tuple[str, str, str]]:
    """(kind, name, title) of each publication the directory (id="directory") lists fewer times
    than the keywords it is cited under."""
    printed = _element(html, "directory")
    if printed is None:
        return
    entries = directory(compendium, str)
    wanted = Counter(item.publication for entry in entries for item in entry.items)
    for publication in _short(printed, wanted):
        under = [e.keyword.label for e in entries if any(i.publication == publication for i in e.items)]
        yield "directory", f"the directory, under {', '.join(under)}", publication.title


def content_unprinted(html: str, compendium: Compendium, project: Project) -> list[str]:
    """One located line for each kind of KINDS the project's layouts leave out or cut short in
    the HTML (what is hidden by styles, the laid-out pages tell): at the layout's line that does
    it, how many and the first one."""
    if not project.has_own_templates:
        return []
    html = shown(html)
    left_out = [*_decisions(html, compendium), *_citations(html, compendium), *_directory(html, compendium)]
    lines = []
    for kind, (one, more, names) in KINDS.items():
        found = [(name, text) for k, name, text in left_out if k == kind]
        if not found:
            continue
        at = blamed(project, names) or "layouts:1"
        name, text = found[0]
        what = (
            f"the whole text of the {one} ({name}: '{_excerpt(text)}'), found it"
            if len(found) == 1
            else f"the whole text of {len(found)} {more} (the first: {name}: '{_excerpt(text)}'), found them"
        )
        lines.append(f"{at}: expected {what} left out or cut short in the HTML the layouts write ({CUT}?)")
    return lines
