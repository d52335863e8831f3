"""The compendium an editor at another organisation wrote without reading the code (tests/fixtures/other:
Council of Europe recommendations, a Security Council resolution and a kind of the editor's own),
and what the builder got wrong for it (issue 19's review, /work/review/other-editor.md)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from compendium.edition import Edition
from compendium.model import Compendium
from compendium.pipeline import Project
from compendium.render.handout import select
from compendium.render.html import render_html
from compendium.render.locale import Language
from compendium.source.load import load
from tests.conftest import PROJECT, run_build

OTHER = Path(__file__).parent / "fixtures" / "other" / "source"


def loaded(source: Path = OTHER) -> Compendium:
    compendium, problems = load(source)
    assert compendium is not None, [str(p) for p in problems.errors]
    return compendium


def copy_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    source = tmp_path / "source"
    shutil.copytree(OTHER, source)
    path = source / name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    return source


def errors(source: Path) -> list[str]:
    compendium, problems = load(source)
    assert compendium is None
    return [str(p) for p in problems.errors]


def handout_html(compendium: Compendium, selection: tuple[str, str], lang: str = "en") -> str:
    edition = Edition(lang, "handout", selection=selection)
    project = Project.from_source(OTHER, None)
    language = Language(lang, project.locale(lang), "en", compendium.metadata.wording)
    return render_html(select(compendium, selection), edition, project, language)


def scope(html: str) -> str:
    found = re.search(r'<p class="handout-scope">(.*?)</p>', html, flags=re.S)
    assert found, "no handout scope on the cover"
    return " ".join(found.group(1).split())


# 1. The handout cover speaks of the annexed documents as their kind names them ------------------


def test_the_handout_cover_names_the_paragraphs_by_the_kind_of_their_documents():
    compendium = loaded()
    assert scope(handout_html(compendium, ("keyword", "corporate-liability"))) == (
        "2 provisions, with their resources by keyword. The recommendation paragraphs presented are in Annex 1."
    )
    assert scope(handout_html(compendium, ("keyword", "armed-conflict"))).endswith(
        "The resolution paragraphs presented are in Annex 1."
    )
    mixed = scope(handout_html(compendium, ("keyword", "supply-chains")))
    assert mixed == "3 provisions, with their resources by keyword. The document paragraphs presented are in Annex 1."
    assert "decision" not in mixed


def test_the_handout_cover_s_wording_can_be_the_compendium_s_own(tmp_path):
    source = copy_with(
        tmp_path,
        "compendium.yaml",
        "annex:",
        'wording:\n  "The document paragraphs presented are in Annex 1.": "Annex 1 gives the standards."\nannex:',
    )
    assert scope(handout_html(loaded(source), ("keyword", "supply-chains"))).endswith("Annex 1 gives the standards.")


def test_a_wording_of_plural_forms_is_an_error_that_says_so(tmp_path):
    source = copy_with(
        tmp_path,
        "compendium.yaml",
        "annex:",
        'wording:\n  "{num} provisions, with their resources by keyword.": "{num} standards"\nannex:',
    )
    (found,) = errors(source)
    assert found.startswith("source/compendium.yaml:42: wording: '{num} provisions, with their resources by keyword.'")
    assert "a message with plural forms, which `wording:` cannot reword" in found
    assert "python build.py wording" in found


def test_an_unknown_wording_says_how_to_list_the_strings_and_suggests_the_closest(tmp_path):
    source = copy_with(
        tmp_path, "compendium.yaml", "annex:", 'wording:\n  "Texts of the annexed document": "Texts"\nannex:'
    )
    (found,) = errors(source)
    assert "did you mean 'Texts of the annexed documents'?" in found
    assert "`python build.py wording` lists them all" in found
    listed = run_build("wording")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    expected = ("Provisions", "Texts of the annexed documents", "The decision paragraphs presented are in Annex 1.")
    for accepted in expected:
        assert accepted in lines
    assert "MC Decision {decision}, para {paragraph}" in lines  # written as in compendium.yaml
    assert not any("%(" in line for line in lines)


def test_the_builder_s_catalogue_holds_the_kinds_wordings():
    from babel.messages.pofile import read_po

    with (PROJECT / "locale" / "messages.pot").open("rb") as stream:
        ids = {m.id for m in read_po(stream)}
    assert "The decision paragraphs presented are in Annex 1." in ids
    assert "MC Decision provision" in ids
