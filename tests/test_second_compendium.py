"""A second compendium, of another shape than the OSCE one, built by the command line in every
variant: a UN General Assembly resolution beside an OSCE decision, files named by their content."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from compendium.source.load import load
from compendium.source.texts import decision_file
from tests.conftest import build_every_edition, print_cover, run_build
from tests.pdf import Pdf, flat

SECOND = Path(__file__).parent / "fixtures" / "second" / "source"
VARIANTS = {
    "screen": "vaw-compendium-en.pdf",
    "print": "vaw-compendium-en-print.pdf",
    "booklet": "vaw-compendium-en-booklet.pdf",
    "handout": "vaw-compendium-en-handout-section-I.pdf",
}


@pytest.fixture(scope="module")
def second_output(tmp_path_factory) -> Path:
    """Every edition of the second compendium's editions.yaml, built once for this file."""
    return build_every_edition(tmp_path_factory.mktemp("second"), SECOND)


@pytest.fixture(scope="module")
def second(second_output) -> Pdf:
    return Pdf(second_output / VARIANTS["screen"])


def page_of(pdf: Pdf, text: str) -> str:
    pages = pdf.pages_with(text)
    assert pages, f"no page shows {text!r}"
    return flat(pdf.texts[pages[0]])


def test_the_second_compendium_builds_in_every_variant_under_its_own_name(second_output):
    built = sorted(path.name for path in second_output.glob("*.pdf"))
    others = ["vaw-compendium-en-handout-section-II.pdf", "vaw-compendium-ru.pdf", print_cover(VARIANTS["print"])]
    assert built == sorted([*VARIANTS.values(), *others])
    for variant, name in VARIANTS.items():
        pdf = Pdf(second_output / name)
        assert len(pdf) > 0, variant
        assert "A/RES/73/148" in " ".join(pdf.texts), f"{variant}: the resolution is missing"


def test_each_provision_names_its_paragraph_in_its_kind_s_wording(second):
    text = flat(" ".join(second.texts))
    for wording in (
        "(A/RES/73/148, para 6)",
        "(A/RES/73/148, para 7)",
        "(MC Decision 4/18, para 2)",
        "(A/RES/73/148, para 8)",
        "(MC Decision 4/18, para 1)",
    ):
        assert wording in text
    assert "MC Decision A/RES" not in text


def test_a_resolution_has_the_general_assembly_header(second):
    page = page_of(second, "Resolution adopted by the General Assembly on 17 December 2018")
    for field in (
        "United Nations",
        "A/RES/73/148",
        "General Assembly",
        "Distr.: General",
        "11 January 2019",
        "Seventy-third session",
        "Agenda item 28 (a)",
        "[on the report of the Third Committee (A/73/592)]",
        "73/148. Intensification of efforts",
        "The General Assembly,",
    ):
        assert field in page, field
    # None of the OSCE decision header is printed for it.
    assert "Original:" not in page and "Journal" not in page and "DECISION No." not in page


def test_an_osce_decision_beside_it_keeps_the_osce_header_and_a_statement_by_two_states(second):
    page = page_of(second, "DECISION No. 4/18")
    for field in ("MC.DEC/4/18", "Milan 2018", "MC(25) Journal No. 2, Agenda item 7", "Original: ENGLISH"):
        assert field in page, field
    assert "By the delegations of Iceland and Norway:" in flat(" ".join(second.texts))


def test_an_annex_of_two_kinds_is_named_in_general_terms(second):
    outline = [title for _, title, _ in second.outline()]
    assert "Annex 1. Texts of the annexed documents" in outline
    assert "Resolution A/RES/73/148" in outline
    assert "Decision No. 4/18" in outline
    text = flat(" ".join(second.texts))
    assert "Texts of the Decisions" not in text and "MC Decision provision" not in text


def test_decision_files_are_found_by_their_content():
    compendium, problems = load(SECOND)
    assert not problems.errors
    files = {d.id: decision_file(d) for d in compendium.decisions}
    assert files == {
        "A/RES/73/148": "source/decisions/violence-against-women.yaml",
        "4/18": "source/decisions/osce-4-18.yaml",
    }


def copy_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    source = tmp_path / "source"
    shutil.copytree(SECOND, source)
    path = source / "decisions" / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return source


def messages(source: Path) -> list[str]:
    compendium, problems = load(source)
    assert compendium is None
    return [str(p) for p in problems.errors]


def test_an_osce_field_in_a_resolution_says_which_kind_has_it(tmp_path):
    source = copy_with(tmp_path, "violence-against-women.yaml", "session:", "meeting: Some meeting\nsession:")
    (message,) = messages(source)
    assert "violence-against-women.yaml:" in message
    assert "key 'meeting': not a header field of kind un-ga-resolution" in message
    assert "write kind: osce-mc-decision" in message


def test_an_unknown_kind_lists_the_known_ones(tmp_path):
    source = copy_with(tmp_path, "violence-against-women.yaml", "kind: un-ga-resolution", "kind: un-ga-resolutoin")
    (message,) = messages(source)
    assert "violence-against-women.yaml:2:" in message
    listed = message.split("expected one of ")[1].split(" (")[0].split(", ")
    assert {"osce-mc-decision", "un-ga-resolution", "osce-pc-decision", "un-sc-resolution"} <= set(listed)
    assert "did you mean 'un-ga-resolution'?" in message


def test_an_id_of_another_kind_is_refused_with_an_example(tmp_path):
    source = copy_with(tmp_path, "violence-against-women.yaml", "kind: un-ga-resolution\n", "")
    found = messages(source)
    assert any("expected the number of a decision such as '6/17' (kind osce-mc-decision)" in m for m in found)


def test_a_resolution_symbol_must_repeat_its_id(tmp_path):
    source = copy_with(tmp_path, "violence-against-women.yaml", "symbol: A/RES/73/148", "symbol: A/RES/73/149")
    (message,) = messages(source)
    assert "key 'symbol': expected 'A/RES/73/148', found 'A/RES/73/149'" in message


def test_a_section_without_parts_prints_its_provisions_under_its_own_heading(second, second_output):
    outline = [(level, title) for level, title, _ in second.outline()]
    at = outline.index((1, "Section II. PREVENTION"))
    assert [title[:2] for level, title in outline[at + 1 : at + 3]] == ["04", "05"]
    assert all(level == 2 for level, _ in outline[at + 1 : at + 3])  # no part heading between
    page = page_of(second, "(A/RES/73/148, para 8)")
    # the section's heading and its first provision on one page (the number stands in the side
    # column, which text extraction reads after the running text)
    assert page.upper().startswith("SECTION II PREVENTION") and "PROVISION 04" in page.upper()
    handout = flat(" ".join(Pdf(second_output / "vaw-compendium-en-handout-section-II.pdf").texts))
    assert "(A/RES/73/148, para 8)" in handout and "(MC Decision 4/18, para 1)" in handout
    assert "(A/RES/73/148, para 6)" not in handout


def copy_compendium_with(tmp_path: Path, file: str, old: str, new: str) -> Path:
    source = tmp_path / "source"
    shutil.copytree(SECOND, source)
    path = source / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return source


def test_an_empty_list_of_parts_is_a_located_error_saying_what_to_write(tmp_path):
    source = copy_compendium_with(
        tmp_path, "compendium.yaml", "    title: PREVENTION\n", "    title: PREVENTION\n    parts: []\n"
    )
    found = messages(source)
    assert len(found) == 1  # the provisions placed under the section are not reported again
    assert any(
        m.startswith("source/compendium.yaml:24:")
        and "key 'parts': expected at least one part, found an empty list" in m
        and "place provisions under the section itself with 'section: <id>'" in m
        for m in found
    ), found


def test_an_empty_list_of_topics_is_a_located_error(tmp_path):
    source = copy_compendium_with(
        tmp_path,
        "compendium.yaml",
        "        title: Action at the national level\n",
        "        title: Action at the national level\n        topics: []\n",
    )
    found = messages(source)
    assert any("key 'topics': expected at least one topic, found an empty list" in m for m in found), found


def test_a_provision_under_a_section_with_parts_is_told_to_use_a_part(tmp_path):
    source = copy_compendium_with(tmp_path, "provisions.yaml", "part: protection-national", "section: protection")
    (message,) = messages(source)
    assert message.startswith("source/provisions.yaml:4:")
    assert "section 'protection': not defined in source/compendium.yaml (this section has parts" in message
    assert "with 'part')" in message


def test_a_section_without_parts_or_provisions_is_an_error(tmp_path):
    source = copy_compendium_with(
        tmp_path,
        "compendium.yaml",
        "    title: PREVENTION\n",
        "    title: PREVENTION\n  - id: empty\n    title: EMPTY\n",
    )
    source_provisions = (source / "provisions.yaml").read_text()
    assert "section: empty" not in source_provisions
    found = messages(source)
    assert any("section 'empty': has no provisions" in m for m in found), found


PRINTED = "Jane Doe, Violence in the home, a commentary, Geneva: Test University Press, 1968"


def test_a_printed_work_is_cited_with_place_and_publisher_and_no_address(second):
    page = page_of(second, "(MC Decision 4/18, para 2)")
    assert f"{PRINTED}, p. 7–9" in page
    text = flat(" ".join(second.texts))
    assert "None" not in text and "available in )" not in text and "()" not in text
    # The only web links are the handbook's: the printed work has none, not even an empty one.
    assert {link.uri for link in second.links if link.uri} == {
        "https://www.unwomen.org/en/digital-library/publications/2012/12/handbook-for-legislation-on-violence-against-women"
    }


def test_the_directory_lists_a_printed_work_with_the_provisions_citing_it(second):
    directory = flat(" ".join(second.texts[i] for i in second.pages_with("Keyword-Literature Directory")[-1:]))
    assert "On education: United Nations Women" in directory
    assert f"Provisions: 04, 05 {PRINTED} Provision: 05" in directory  # one number: the singular label
    assert f"{PRINTED} Provision: 03" in directory


def test_a_publication_key_without_value_is_an_error_not_a_printed_work(tmp_path):
    source = copy_compendium_with(tmp_path, "publications.yaml", "  place: Geneva", "  place: Geneva\n  url:")
    (message,) = messages(source)
    assert "publication 'commentary-1968': key 'url': expected text, found nothing" in message


def test_a_handout_names_each_excerpt_after_its_document_s_kind(second_output):
    handout = flat(" ".join(Pdf(second_output / VARIANTS["handout"]).texts))
    assert "Excerpt: only the paragraphs presented in this handout, numbered as in the resolution." in handout
    assert "Excerpt: only the paragraphs presented in this handout, numbered as in the decision." in handout


def test_an_interface_only_edition_translates_the_interface_and_prints_the_content_as_written(second_output):
    pdf = Pdf(second_output / "vaw-compendium-ru.pdf")
    text = flat(" ".join(pdf.texts))
    for interface in (
        "Содержание",
        "Раздел I. PROTECTION OF VICTIMS",
        "(A/RES/73/148, пункт 6)",
        "(Решение СМ № 4/18, пункт 2)",
    ):
        assert interface in text, interface
    assert "Urges States to take effective measures to prevent and eliminate sexual harassment;" in text
    # The content is the original: no fallback marks, no claim of a translation.
    assert not re.search(r"\bEN\b", text)
    assert "(имеется на языках: АНГЛ и РУС)" in text  # the interface's own words stay translated
    assert "перевод" not in text


def with_language(tmp_path: Path, language: str) -> Path:
    return copy_compendium_with(tmp_path, "compendium.yaml", "language: en", f"language: {language}")


def test_the_source_may_be_written_in_any_language_babel_knows(tmp_path):
    compendium, problems = load(with_language(tmp_path, "fr"))
    assert not problems.errors and compendium.metadata.language == "fr"


def test_a_source_language_that_is_no_language_code_is_refused(tmp_path):
    (message,) = messages(with_language(tmp_path, "english"))
    assert message.startswith("source/compendium.yaml:11:")
    assert "key 'language': expected a language code such as en, ru or fr, found 'english'" in message


def test_a_slug_must_be_fit_for_a_file_name(tmp_path):
    source = copy_compendium_with(tmp_path, "compendium.yaml", "slug: vaw-compendium", "slug: VAW compendium/2")
    (message,) = messages(source)
    assert message.startswith("source/compendium.yaml:4:")
    assert "key 'slug': expected lower-case letters, digits and hyphens" in message


RECOMMENDATION = """\
kind: coe-cm-recommendation
id: CM/Rec(2018)7
symbol: CM/Rec(2018)7
organization: COUNCIL OF EUROPE
body: COMMITTEE OF MINISTERS
number_line: Recommendation CM/Rec(2018)7
addressees: of the Committee of Ministers to member States
title: on Guidelines to respect, protect and fulfil the rights of the child in the digital environment
date: "2018-07-04"
meeting: 1321st meeting of the Ministers' Deputies
opening: The Committee of Ministers,
preamble: [Considering that the aim of the Council of Europe is to achieve a greater unity between its members;]
paragraphs:
  - {number: 1, not_covered: general, text: "Recommends that governments of member States review their legislation;"}
  - {number: 2, text: "Recommends that they promote the guidelines in education;"}
"""


def test_a_council_of_europe_recommendation_has_its_own_header_and_reference(tmp_path):
    source = copy_compendium_with(
        tmp_path,
        "compendium.yaml",
        'annex: ["A/RES/73/148", "4/18"]',
        'annex: ["A/RES/73/148", "4/18", "CM/Rec(2018)7"]',
    )
    (source / "decisions" / "child-rights.yaml").write_text(RECOMMENDATION)
    provisions = source / "provisions.yaml"
    provisions.write_text(
        provisions.read_text()
        + '- number: 6\n  decision: "CM/Rec(2018)7"\n  paragraph: 2\n  section: prevention\n'
        + "  resources:\n    - keyword: education\n      citations:\n        - {publication: handbook-2012}\n"
    )
    output = tmp_path / "output"
    result = run_build("--source", str(source), "--output", str(output), "--lang", "en", "--strict")
    assert result.returncode == 0, result.stderr
    pdf = Pdf(output / "vaw-compendium-en.pdf")
    assert "(CM/Rec(2018)7, para 2)" in flat(" ".join(pdf.texts))
    page = page_of(pdf, "(Adopted by the Committee of Ministers on 4 July 2018 at the 1321st meeting")
    for field in (
        "COUNCIL OF EUROPE",
        "COMMITTEE OF MINISTERS",
        "Recommendation CM/Rec(2018)7",
        "of the Committee of Ministers to member States",
    ):
        assert field in page, field
    assert "Recommendation CM/Rec(2018)7" in [title for _, title, _ in pdf.outline()]
