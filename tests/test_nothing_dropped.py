"""Nothing the source holds is dropped on the way to the HTML: every provision, citation, paragraph and footnote.

The source is read here with plain PyYAML, not through the builder's model, so that an entry the loader
lost without an error (an empty `topic:` once did that) is still looked for in the HTML.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from compendium.edition import Edition
from compendium.render.html import render_html
from compendium.render.locale import Language
from compendium.source.load import load
from compendium.source.project import Project
from tests.conftest import PROJECT

FIXTURES = Path(__file__).parent / "fixtures"


class Segments(HTMLParser):
    """The document's text, cut at each element whose id names a provision or a decision paragraph."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.current = "front"
        self.text: dict[str, list[str]] = {"front": []}
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        anchor = attributes.get("id") or ""
        if anchor.startswith(("provision-", "mc-dec-")) or anchor in ("introduction", "directory"):
            self.current = anchor
            self.text.setdefault(anchor, [])
        if "href" in attributes:
            self.hrefs.append(attributes["href"] or "")

    def handle_data(self, data):
        self.text[self.current].append(data)

    def of(self, anchor: str) -> str:
        return normal("".join(self.text[anchor]))  # text split by inline tags (<wbr> in addresses) is one text


def normal(text: str) -> str:
    """Text as compared: the typographer's dashes and no-break spaces undone, white space collapsed, any case."""
    text = text.replace("\u00a0", " ").replace("\u2013", "-").replace("\u00ad", "").replace("\u2060", "")
    return " ".join(text.split()).lower()


def assert_nothing_dropped(source: Path, html: str) -> None:
    document = Segments()
    document.feed(html)
    everything = " ".join("".join(t) for t in document.text.values())
    assert not re.search(r"\bNone\b", everything) and "None" not in document.hrefs, "a missing value printed as None"
    pages = [page.split("</article>")[0] for page in re.split(r'id="provision-\d+"', html)[1:]]
    panels = dict(zip(re.findall(r'id="(provision-\d+)"', html), pages, strict=True))
    publications = {p["id"]: p for p in yaml.safe_load((source / "publications.yaml").read_text("utf-8"))}
    keywords = {k["id"]: k["label"] for k in yaml.safe_load((source / "keywords.yaml").read_text("utf-8"))}
    for position, provision in enumerate(yaml.safe_load((source / "provisions.yaml").read_text("utf-8")), 1):
        anchor = f"provision-{position:02d}"
        assert anchor in document.text, f"provision {position} is not in the HTML"
        segment = document.of(anchor)
        for group in provision["resources"]:
            assert normal(keywords[group["keyword"]]) in segment, (position, group["keyword"])
            for citation in group["citations"]:
                publication = publications[citation["publication"]]
                assert normal(publication["title"]) in segment, (position, publication["id"])
                assert normal(str(publication.get("forthcoming") or publication.get("url"))) in segment
                if citation.get("pages"):
                    assert normal(str(citation["pages"])) in segment, (position, citation)
        cited = sum(len(group["citations"]) for group in provision["resources"])
        assert panels[anchor].count('class="citation"') == cited, f"provision {position}: a citation is missing"
    for path in sorted((source / "decisions").glob("*.yaml")):
        decision = yaml.safe_load(path.read_text("utf-8"))
        for paragraph in decision["paragraphs"]:
            anchor = f"mc-dec-{decision['id'].replace('/', '-')}-para-{paragraph['number']}"
            assert anchor in document.text, f"decision {decision['id']}, paragraph {paragraph['number']} is missing"
            assert normal(paragraph["text"]) in document.of(anchor)
    introduction = yaml.safe_load((source / "introduction.yaml").read_text("utf-8"))
    text = document.of("introduction")
    for footnote in introduction.get("footnotes") or []:
        if footnote.get("text"):
            assert normal(footnote["text"]) in text, footnote["id"]
        else:
            assert normal(publications[footnote["publication"]]["title"]) in text, footnote["id"]
    assert html.count('class="footnote"') == len(introduction.get("footnotes") or [])


def rendered(source: Path) -> str:
    compendium, problems = load(source, source.parent)
    assert compendium is not None and not problems.errors, [str(p) for p in problems.errors]
    language = Language("en", PROJECT / "locale")
    return render_html(compendium, Edition(), Project(), language)


def test_the_shipped_source_is_all_in_the_html():
    assert_nothing_dropped(PROJECT / "source", rendered(PROJECT / "source"))


INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))


@pytest.mark.parametrize("fixture", INVALID, ids=[f.stem for f in INVALID])
def test_bad_input_stops_with_a_located_error_or_is_all_in_the_html(tmp_path: Path, fixture: Path):
    """Bad input either stops the load with errors, each naming the file and line of what is wrong
    (nothing is built, so nothing is lost unsaid), or everything in it is printed: never a silent loss."""
    source = tmp_path / "source"
    shutil.copytree(FIXTURES / "valid" / "source", source)
    text = fixture.read_text(encoding="utf-8")
    replaced = text.splitlines()[0].removeprefix("# replaces: ")
    (source / replaced).write_text(text, encoding="utf-8")
    compendium, problems = load(source, source.parent)
    if problems.errors:
        assert compendium is None, "a source with errors gave a compendium to build"
        unlocated = [str(p) for p in problems.errors if not (p.origin.file.startswith("source/") and p.origin.line > 0)]
        assert not unlocated, "an error that does not say where"
        assert any(p.origin.file == f"source/{replaced}" for p in problems.errors), (
            f"no error in source/{replaced}, the file the fixture replaces: {[str(p) for p in problems.errors]}"
        )
    else:
        assert_nothing_dropped(source, rendered(source))
