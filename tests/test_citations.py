"""A citation reads the same wherever it is printed: a panel, the directory, the introduction's
footnote are all formatted by one layout, layouts/_citation.html (inheritor's review, finding 3)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from compendium.edition import Edition
from compendium.render.html import render_html
from compendium.render.locale import Language
from compendium.source.project import Project
from tests.conftest import PROJECT

# Everything a catalogue entry can carry that the panels print: an article in a numbered issue,
# in a second edition, with a DOI, in a language other than the edition's, available in two.
ARTICLE = {
    "container": "Journal of Trafficking Studies",
    "volume": "4",
    "issue": "2",
    "pages": "45–67",
    "edition": "2nd edition",
    "doi": "10.1000/xyz123",
    "place": None,
    "publisher": None,
}


def footnoted(compendium, **changes):
    """The compendium whose publication cited in the introduction's footnote is changed so, in the
    footnote, the catalogue and every panel (and so the directory)."""
    [cited] = [f.citation.publication for f in compendium.introduction.footnotes if f.citation is not None]
    publication = replace(cited, **changes)

    def cite(citation):
        return replace(citation, publication=publication) if citation.publication.id == cited.id else citation

    def provision(p):
        groups = tuple(replace(g, citations=tuple(map(cite, g.citations))) for g in p.resources)
        return replace(p, resources=groups)

    footnotes = tuple(
        replace(f, citation=cite(f.citation)) if f.citation is not None else f
        for f in compendium.introduction.footnotes
    )
    changed = compendium.with_provisions(provision)
    return replace(
        changed,
        introduction=replace(compendium.introduction, footnotes=footnotes),
        publications=tuple(publication if p.id == cited.id else p for p in compendium.publications),
    ), publication


def element(html: str, start: str) -> str:
    """The markup inside the element that begins with `start`, nested elements of its tag included."""
    tag = start[1:].split()[0]
    position = html.index(start) + len(start)
    depth, inner = 1, position
    for match in re.compile(rf"<(/?){tag}\b[^>]*>").finditer(html, position):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return html[inner : match.start()]
    raise AssertionError(f"{start} is never closed")


def printed(html: str, publication) -> tuple[str, str]:
    """(the footnote's citation, the directory's citation of the same publication), the markup
    inside the element that holds each."""
    footnote = element(html, '<span class="footnote">')
    directory = html[html.index('id="directory"') :]
    entries = {e for e in re.findall(r'<p class="citation"[^>]*>(.*?)</p>', directory, re.S) if publication.title in e}
    assert len(entries) == 1, entries  # cited under several keywords, the same each time
    return footnote, entries.pop()


@pytest.mark.parametrize("changes", [{}, ARTICLE, {"forthcoming": "2020-12"}], ids=["report", "article", "forthcoming"])
def test_the_footnote_cites_as_the_directory_does(compendium, changes):
    changed, publication = footnoted(compendium, **changes)
    language = Language("en", PROJECT / "locale", compendium.metadata.language)
    html = render_html(changed, Edition(), Project(), language)
    footnote, entry = printed(html, publication)
    inner = re.sub(r"^<span[^>]*>|\.</span>$", "", footnote.strip())
    assert inner == entry.strip()
