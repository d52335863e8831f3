"""Attacker round 10 (docs/reviews/2026-12-06/attacker-round10.md), M6, M7, M8, S1 and S8."""

from __future__ import annotations

from pathlib import Path

import pytest

from compendium.source.load import load
from tests.test_attacks_round5 import run
from tests.test_attacks_round7b import new
from tests.test_attacks_round9b import edited

BASE_60 = (
    "source/compendium.yaml:9: key 'year': expected a whole number, found '1:0:0', which YAML 1.1 reads as 3600 "
    '(base 60); write the number in plain decimal digits, or "1:0:0" in quotes if it is meant as text'
)


def test_a_year_in_base_60_is_refused_at_its_line_with_what_yaml_made_of_it(tmp_path: Path):
    """M6: `year: 1:0:0` printed "3600" on the cover, with check passing."""
    root = new(tmp_path)
    edited(root, "compendium.yaml", "year: 2024", "year: 1:0:0")
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and err.splitlines()[0] == BASE_60, err


@pytest.mark.parametrize(
    ("written", "read"), [("0x10", 16), ("0b11", 3), ("2_024", 2024), ("1:30.5", 90.5), (".inf", "inf")]
)
def test_a_number_field_refuses_every_form_but_decimal_digits(tmp_path: Path, written: str, read):
    """M6: 0x3 was taken as 3 and 3_0 as 30, without a word."""
    root = new(tmp_path)
    edited(root, "decisions/mc-dec-1-24.yaml", "year: 2024", f"year: {written}")
    code, err = run("check", "--source", str(root / "source"))
    wanted = "source/decisions/mc-dec-1-24.yaml:10: decision 1/24: key 'year': expected a whole number, found "
    assert code == 1 and f"{wanted}'{written}', which YAML 1.1 reads as {read} (" in err, err


def test_a_text_field_gets_a_number_form_as_it_is_written(tmp_path: Path):
    """M6: `agenda_item: 7:30` printed "Agenda item 450", `pages: 10:12` printed "p. 612"."""
    root = new(tmp_path)
    edited(root, "decisions/mc-dec-1-24.yaml", 'agenda_item: "7"', "agenda_item: 7:30")
    edited(root, "provisions.yaml", 'pages: "10-12"', "pages: 10:12")
    edited(root, "provisions.yaml", "paragraph: 3", "paragraph: 0x3")
    compendium, problems = load(root / "source", root)
    assert [str(problem) for problem in problems.errors] == [
        "source/provisions.yaml:10: provision 1, keyword 'training': key 'pages': expected page numbers "
        "such as '19-22' or '19-21, 28-29', found '10:12'",
        "source/provisions.yaml:21: provision 3: paragraph 0x3: decision 1/24 has paragraphs 1 to 3",
    ]
    edited(root, "provisions.yaml", "pages: 10:12", 'pages: "10-12"')
    edited(root, "provisions.yaml", "paragraph: 0x3", "paragraph: 3")
    compendium, problems = load(root / "source", root)
    assert problems.errors == [] and compendium is not None
    assert compendium.decisions[0].agenda_item == "7:30"


def test_a_handout_is_not_replaced_by_another_of_the_same_name_from_a_later_command_line(tmp_path: Path):
    """M7: the handout for 'training' on Letter replaced the one for 'training-letter' on A4."""
    root = new(tmp_path)
    for name in ("keywords.yaml", "provisions.yaml"):
        path = root / "source" / name
        path.write_text(path.read_text(encoding="utf-8").replace("victims", "training-letter"), encoding="utf-8")
    handout = ("--source", str(root / "source"), "--variant", "handout", "--jobs", "1")
    assert run(*handout, "--keyword", "training-letter")[0] == 0
    pdf = root / "output" / "my-compendium-en-handout-keyword-training-letter.pdf"
    made = pdf.read_bytes()
    code, err = run(*handout, "--keyword", "training", "--paper", "letter")
    assert code == 1 and err.splitlines() == [
        f"{pdf}: made by the edition 'en handout keyword training-letter on a4'; the edition 'en handout keyword "
        "training on letter' would replace it under the same name: change one (a handout's keyword or section, "
        "the paper, or the variant), build into another --output, or remove the PDF"
    ]
    assert pdf.read_bytes() == made
    assert run(*handout, "--keyword", "training-letter")[0] == 0  # the same edition again is no clash


NOTES = {
    "# en: training\n": "# en: training\n# TRANSLATOR NOTE: check this term with the legal team\n",
    "keyword.training.label:\n  hash:": (
        "keyword.training.label:  # on its line\n  # another note inside the entry\n  hash:"
    ),
    'text: ""\n\n# en: victims': 'text: "обучение"  # after the text\n\n# en: victims',
}


def translated(root: Path) -> Path:
    """The project's Russian translation file with a translator's notes above, inside and after entries."""
    assert run("translation", "--lang", "ru", "--source", str(root / "source"), "--quiet")[0] == 0
    path = root / "translations" / "ru.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new_text in NOTES.items():
        assert old in text
        text = text.replace(old, new_text, 1)
    path.write_text(text + "# a last word\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("more", [(), ("--accept", "keyword.training.label")])
def test_rewriting_a_translation_file_keeps_the_translator_s_comments_with_their_entries(tmp_path: Path, more):
    """M8: the plain command, --import and --accept dropped every comment a translator wrote."""
    root = new(tmp_path)
    path = translated(root)
    if more:  # a translation of other English, for --accept to take
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('"обучение"', '"обучение"\n  reviewed: false', 1), encoding="utf-8")
    code, err = run("translation", "--lang", "ru", "--source", str(root / "source"), "--quiet", *more)
    assert code == 0, err
    lines = path.read_text(encoding="utf-8").split("\n")
    at = lines.index("keyword.training.label:")
    assert lines[at - 2 : at + 5] == [
        "# en: training",
        "# TRANSLATOR NOTE: check this term with the legal team",
        "keyword.training.label:",
        "  # on its line",
        "  # another note inside the entry",
        "  # after the text",
        lines[at + 4],
    ]
    assert lines[at + 4].startswith("  hash: ") and lines[at + 5] == '  text: "обучение"'
    assert lines[-2:] == ["# a last word", ""]
    assert run("translation", "--lang", "ru", "--source", str(root / "source"), "--quiet")[0] == 0
    assert path.read_text(encoding="utf-8").split("\n") == lines  # kept once, not again and again


@pytest.mark.parametrize(
    ("more", "wanted"),
    [
        (("--export", "x.po", "--import", "y.po"), "so --import would not be acted on: run translation --import"),
        (("--accept", "keyword.victims.label", "--export", "x.po"), "so --accept would not be acted on"),
        (("--accept-reviewed", "--export", "x.po"), "so --accept-reviewed would not be acted on"),
        (("--pending",), "--pending chooses the texts --export writes: add --export FILE.po"),
    ],
)
def test_translation_refuses_options_it_would_not_act_on(tmp_path: Path, more: tuple, wanted: str):
    """S1: --import and --accept were ignored with --export, and --pending alone rewrote the file."""
    root = new(tmp_path)
    more = tuple(str(tmp_path / word) if word.endswith(".po") else word for word in more)
    code, err = run("translation", "--lang", "ru", "--source", str(root / "source"), *more)
    assert code == 2 and wanted in err, err
    assert not (root / "translations").exists() and not (tmp_path / "x.po").exists()


def test_a_percent_sign_written_as_told_is_no_placeholder(tmp_path: Path):
    """S8: a lone % was told to be written %%, and %% was then refused as a placeholder."""
    from tests.test_attacks_round5 import catalogue_problems, msgid_line

    line = msgid_line("On %(keyword)s:")
    lone = catalogue_problems(tmp_path / "a", 'msgstr "Тема: %(keyword)s"', 'msgstr "Тема: %(keyword)s %"')
    assert lone == [
        f"locale/ru/LC_MESSAGES/messages.po:{line}: msgid \"On %(keyword)s:\": msgstr has a lone '%': "
        "write %% for a percent sign"
    ]
    assert catalogue_problems(tmp_path / "b", 'msgstr "Тема: %(keyword)s"', 'msgstr "Тема: %(keyword)s %%"') == []
    plural = 'msgstr[1] "имеется на языках: %(languages)s"'
    assert catalogue_problems(tmp_path / "c", plural, plural.replace("s:", "s (100 %%):")) == []
