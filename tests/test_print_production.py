"""Print production as a print shop and a workshop's office see it: handouts without blank pages
and with their excerpts marked, type clear of the trim, an even interior and its cover."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from compendium.edition import Edition
from compendium.pipeline import Project, build
from compendium.render.handout import excerpt_gaps, select
from compendium.render.html import render_html
from compendium.render.locale import Language

MM = 72 / 25.4


def page_texts(pdf: Path) -> list[str]:
    """Each page's text, as poppler extracts it."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def blank_pages(pdf: Path) -> list[int]:
    """The pages (from 1) on which nothing is printed: no text, no page number."""
    return [n for n, text in enumerate(page_texts(pdf), start=1) if not text.strip()]


# Handouts ---------------------------------------------------------------------------------------


def test_excerpt_gaps_mark_every_paragraph_left_out(compendium):
    decision = compendium.decisions[0]
    numbers = [p.number for p in decision.paragraphs]
    kept = tuple(p for p in decision.paragraphs if p.number in (numbers[1], numbers[2], numbers[4]))
    gaps = excerpt_gaps(replace(decision, paragraphs=kept, excerpt_of=tuple(numbers)))
    assert gaps.before == {numbers[1], numbers[4]} and gaps.after
    whole = excerpt_gaps(decision)  # not an excerpt: nothing is left out
    assert not whole.before and not whole.after
    last = tuple(p for p in decision.paragraphs if p.number == numbers[-1])
    assert excerpt_gaps(replace(decision, paragraphs=last, excerpt_of=tuple(numbers))).after is False


def test_the_excerpt_note_stands_above_the_official_text_and_omissions_are_marked(compendium):
    edition = Edition("en", "handout", selection=("section", "II"))
    project = Project()
    selected = select(compendium, edition.selection)
    html = render_html(selected, edition, project, Language("en", project.locale("en"), "en"))
    for article in re.findall(r'<article class="decision.*?</article>', html, flags=re.S):
        note = article.index('class="excerpt-note"')
        assert note < article.index('class="decision-opening"')  # not between the opening and the text
        assert "[…]" in article
        numbers = [int(n) for n in re.findall(r'<li id="[^"]*-para-\d+" value="(\d+)"', article)]
        shown = [int(n) for n in re.findall(r'<span class="para-number">(\d+)\.</span>', article)]
        assert numbers == shown  # each paragraph keeps its own number


@pytest.fixture(scope="module", params=["en", "ru"])
def handout(request, tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp(f"handout-{request.param}")
    report = build(Edition(request.param, "handout", selection=("section", "II")), Project(output_dir=output))
    return report.path


def test_a_handout_has_no_blank_page_but_perhaps_the_last(handout):
    blanks = blank_pages(handout)
    assert blanks in ([], [len(page_texts(handout))]), blanks
