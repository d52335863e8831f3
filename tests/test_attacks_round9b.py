"""Attacker round 9 (/tmp/attacker-round9.md), P7, P8, P9 and P24: each passed check before."""

from __future__ import annotations

from pathlib import Path

import pytest

from compendium.source.problems import Problems
from compendium.source.yamlsource import parse
from tests.test_attacks_round5 import run
from tests.test_attacks_round7b import new
from tests.test_attacks_round8d import laid_out


def edited(root: Path, name: str, old: str, new_text: str) -> None:
    path = root / "source" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new_text, 1), encoding="utf-8")


def check(root: Path, *more: str) -> tuple[int, str]:
    return run("check", "--source", str(root / "source"), *more)


def test_a_number_with_a_leading_zero_is_refused_at_its_line_in_every_source_file(tmp_path: Path):
    """P7: `number: 010` printed "para 8" and `year: 02024` was compared as 1044; `08` stayed "08"."""
    root = new(tmp_path)
    edited(root, "decisions/mc-dec-1-24.yaml", "year: 2024", "year: 02024")
    edited(root, "decisions/mc-dec-1-24.yaml", "  - number: 3", "  - number: 010")
    edited(root, "provisions.yaml", "paragraph: 3", "paragraph: 08")
    (root / "source" / "kinds.yaml").write_text(
        "id: osce-mc-decision\nbased_on: osce-mc-decision\nid_example: 0_7\n", encoding="utf-8"
    )
    code, err = check(root)
    octal = (
        'a number with a leading zero is read as octal ({}) by YAML; write {}, or "{}" in quotes if it is meant as text'
    )
    assert code == 1
    assert err.splitlines()[:-1] == [
        "source/decisions/mc-dec-1-24.yaml:10: year: 02024: " + octal.format(1044, 2024, "02024"),
        "source/decisions/mc-dec-1-24.yaml:25: number: 010: " + octal.format(8, 10, "010"),
        "source/kinds.yaml:3: id_example: 0_7: " + octal.format(7, 7, "0_7"),
        "source/provisions.yaml:21: paragraph: 08: a number with a leading zero is read as text by YAML, "
        'not as a number; write 8, or "08" in quotes if it is meant as text',
    ]


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("- 007\n", "x.yaml:1: 007: a number with a leading zero is read as octal (7) by YAML"),
        ("010: a\n", "x.yaml:1: 010: a number with a leading zero is read as octal (8) by YAML"),
        ("a:\n  b: -012\n", "x.yaml:2: b: -012: a number with a leading zero is read as octal (-10) by YAML"),
    ],
)
def test_a_leading_zero_is_refused_in_a_list_a_key_and_with_a_sign(text: str, wanted: str):
    problems = Problems()
    parse(text, "x.yaml", problems)
    assert [str(problem).split(";")[0] for problem in problems.errors] == [wanted]


@pytest.mark.parametrize("text", ['a: "010"\n', "a: '08'\n", "a: 10\n", "a: 0\n", "a: 0.5\n", "a: 2024-01-05\n"])
def test_a_quoted_text_zero_itself_a_decimal_and_a_date_are_read_as_before(text: str):
    problems = Problems()
    assert parse(text, "x.yaml", problems) is not None
    assert problems.errors == []


RUSSIAN_PARTIAL = "- lang: en\n  variants: [screen]\n- lang: ru\n  partial: true\n  variants: [screen]\n"
PARAGRAPH_2 = "text: Tasks the relevant executive structures to support such training;"


@pytest.mark.parametrize("invisible", ["\\u00ad", "\\u200b", "\\u2060", "\\u00ad\\u200b\\u00a0", "\\u3164", "\\ufe0f"])
def test_a_source_text_of_invisible_characters_alone_is_an_empty_text(tmp_path: Path, invisible: str):
    """P24: a soft hyphen alone passed check --strict, and provision 02 printed without its text."""
    root = new(tmp_path)
    edited(root, "decisions/mc-dec-1-24.yaml", PARAGRAPH_2, f'text: "{invisible}"')
    code, err = check(root)
    wanted = (
        "source/decisions/mc-dec-1-24.yaml:24: decision 1/24, paragraph 2: key 'text': expected text, "
        "found an empty text"
    )
    assert code == 1 and wanted in err.splitlines(), err


def test_a_translation_of_invisible_characters_alone_is_an_empty_text(tmp_path: Path):
    """P24: `text: "\\u00ad"` in translations/ru.yaml passed check --lang ru --strict; the Russian
    edition printed the provision and the annexed paragraph empty."""
    root = new(tmp_path)
    (root / "source" / "editions.yaml").write_text(RUSSIAN_PARTIAL, encoding="utf-8")
    assert run("translation", "--lang", "ru", "--source", str(root / "source"))[0] == 0
    path = root / "translations" / "ru.yaml"
    text = path.read_text(encoding="utf-8")
    entry = text.index("decision.1/24.paragraph.1:")
    at = text.index('text: ""', entry)
    path.write_text(text[:at] + 'text: "\\u00ad"' + text[at + len('text: ""') :], encoding="utf-8")
    line = text[:at].count("\n") + 1
    code, err = check(root, "--lang", "ru")
    wanted = (
        f"translations/ru.yaml:{line}: translation 'decision.1/24.paragraph.1': key 'text': expected text, "
        "found an empty text"
    )
    assert code == 1 and wanted in err.splitlines(), err


@pytest.mark.parametrize("text", ["a\u00ad", "\u2014", "\u200bx", "\u0301"])
def test_a_text_with_one_visible_character_is_a_text(text: str):
    from compendium.source.textcheck import printable

    assert printable(text)


KEEP = "(keep each {{name}}: the printed text would lose what it says)"
LEFT_OUT = {
    # P8: every panel's groups were headed "Topic:", every reference read "(MC)"
    "wording": (
        "compendium.yaml",
        'wording:\n  "On {keyword}:": "Topic:"\n  "MC Decision {decision}, para {paragraph}": "MC"\n',
        [
            "source/compendium.yaml:{}: wording: key 'On {{keyword}}:': the text has no placeholder; "
            "expected those of the original: {{keyword}} " + KEEP,
            "source/compendium.yaml:{}: wording: key 'MC Decision {{decision}}, para {{paragraph}}': the text has "
            "no placeholder; expected those of the original: {{decision}}, {{paragraph}} " + KEEP,
        ],
    ),
    "wording-by-language": (
        "compendium.yaml",
        'wording:\n  "MC Decision {decision}, para {paragraph}": {en: "MC {decision}, para {paragraph}", '
        'ru: "СМ {decision}"}\n',
        [
            "source/compendium.yaml:{}: wording: key 'MC Decision {{decision}}, para {{paragraph}}': the ru text "
            "has the placeholders {{decision}}; expected those of the original: {{decision}}, {{paragraph}} " + KEEP,
        ],
    ),
    # P8: references printed "MC Dec 1/24, para", the paragraph's number gone
    "kind-reference": (
        "kinds.yaml",
        'id: osce-mc-decision\nbased_on: osce-mc-decision\nreference: {en: "MC Dec {decision}, para"}\n',
        [
            "source/kinds.yaml:{}: kind 'osce-mc-decision': key 'reference': the en text has the placeholders "
            "{{decision}}; expected those of the original: {{decision}}, {{paragraph}} " + KEEP,
        ],
    ),
}


@pytest.mark.parametrize(("name", "added", "wanted"), LEFT_OUT.values(), ids=LEFT_OUT.keys())
def test_a_wording_that_leaves_out_a_placeholder_of_the_original_is_refused_at_its_line(
    tmp_path: Path, name: str, added: str, wanted: list[str]
):
    """P8: the same slip in a catalogue's msgstr is refused; in a wording it passed check and
    silently dropped the keyword, or the decision and paragraph, from every panel or reference."""
    root = new(tmp_path)
    path = root / "source" / name
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(before + added, encoding="utf-8")
    first = before.count("\n") + 2 if name == "compendium.yaml" else 3
    code, err = check(root)
    assert code == 1
    assert err.splitlines()[:-1] == [line.format(first + at) for at, line in enumerate(wanted)]


SANDBOX = "(layouts run in a sandbox: they read fields and call filters only)"
FORMATTING = {
    # P9: each built a string of a gigabyte or more before the layout's cap applied
    "underscore-width": '{{ _("%(x)999999999s", x=1)|length }}',
    "gettext-precision": '{{ gettext("%(x).999999999f", x=1.5)|length }}',
    "ngettext-width": '{{ ngettext("%(num)999999999d", "%(num)999999999d", 2)|length }}',
    "ngettext-unused-form": '{{ ngettext("%(num)999999999d", "%(num)d", 2)|length }}',
    "values": '{{ _("%(x)s%(x)s%(x)s%(x)s", x="a" * 900000)|length }}',
}


@pytest.mark.parametrize("first", FORMATTING.values(), ids=FORMATTING.keys())
def test_a_layout_s_gettext_that_would_make_a_huge_text_is_refused_before_it_is_filled_in(tmp_path: Path, first: str):
    """P9: `_()` and `ngettext()` filled the message in first (2 GB for a width of 999999999),
    where the `format` filter and str.format were refused at once."""
    root = laid_out(tmp_path, first)
    code, err = check(root)
    assert (code, err.splitlines()[:1]) == (
        1,
        [f"layouts/_cover.html:1: refused: a text longer than 1000000 characters {SANDBOX}"],
    )


def test_a_layout_s_gettext_fills_in_its_values_and_percent_signs_as_before(tmp_path: Path):
    from compendium.render.html import environment
    from compendium.render.locale import Language

    builder = Path(__file__).parents[1]
    env = environment([builder / "layouts"], Language("en", builder / "locale"))
    template = env.from_string('{{ _("%(x)s%% of <b>", x="<i>") }}|{{ ngettext("%(num)d file", "%(num)d files", 3) }}')
    assert template.render() == "&lt;i&gt;% of &lt;b&gt;|3 files"


def test_a_document_s_reference_with_a_width_is_refused_as_a_lone_percent(tmp_path: Path):
    """P9, found while fixing it: a decision's own `reference:` was filled in with Python's % outside
    the sandbox, so '%(paragraph)2000000s' passed check and the build laid out references of two
    million characters each until it was stopped; a kind's wording refused it already."""
    root = new(tmp_path)
    title = "title: A DECISION ON THE THEME"
    edited(root, "decisions/mc-dec-1-24.yaml", title, f'{title}\nreference: "MC %(paragraph)2000000s {{decision}}"')
    code, err = check(root)
    assert (code, err.splitlines()[:1]) == (
        1,
        [
            "source/decisions/mc-dec-1-24.yaml:17: decision 1/24: key 'reference': a lone '%': "
            "write %% for a percent sign"
        ],
    )
