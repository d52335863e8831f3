"""Interface strings go through gettext, translations are complete, and sorting follows the language."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from compendium.render.locale import Language
from tests.conftest import PROJECT

LAYOUTS = PROJECT / "layouts"
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
TAG = re.compile(r"<[^>]*>", re.S)
STYLE = re.compile(r"<style\b.*?</style>", re.S | re.I)


def literal_text(template: str) -> list[str]:
    """Words a template would print that are not inside a Jinja expression or tag (a <style>
    element's rules are not printed)."""
    text = STYLE.sub(" ", JINJA.sub(" ", template))
    text = TAG.sub(" ", text)
    text = re.sub(r"&#?\w+;", " ", text)
    return re.findall(r"[^\W\d_]{2,}", text)


def test_templates_print_no_untranslated_literal_text():
    offenders = {path.name: literal_text(path.read_text()) for path in sorted(LAYOUTS.glob("*.html"))}
    assert {name: words for name, words in offenders.items() if words} == {}


def test_the_literal_check_catches_a_literal():
    assert literal_text('<p class="x">{{ _("Contents") }} Page</p>') == ["Page"]
    assert literal_text("<style>@page { counter-reset: page }</style><p>Printed</p>") == ["Printed"]


def extracted() -> set[str]:
    method_map = [
        ("compendium/**.py", "python"),
        ("kinds/**.yaml", "compendium.source.kinds:extract"),
        ("layouts/**.html", "jinja2"),
    ]
    options = {"layouts/**.html": {"extensions": "jinja2.ext.i18n"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found = set()
    for _, _, message, _, _ in extract_from_dir(PROJECT, method_map, options, keywords=keywords):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def catalog_ids(path: Path) -> set:
    with path.open("rb") as stream:
        return {m.id for m in read_po(stream) if m.id}


def test_the_pot_file_is_up_to_date():
    assert catalog_ids(PROJECT / "locale" / "messages.pot") == extracted()


def test_every_language_translates_every_interface_string():
    for po in sorted((PROJECT / "locale").glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as stream:
            catalog = read_po(stream)
        untranslated = [
            m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)
        ]
        assert untranslated == [], po
        assert {m.id for m in catalog if m.id} == extracted(), f"{po}: run pybabel update (README, Languages)"


def test_russian_collation_differs_from_code_point_order():
    words = ["ёмкость", "жизнь", "Европа", "apple", "дети", "Zebra"]
    russian = sorted(words, key=Language("ru", PROJECT / "locale").sort_key)
    assert russian == ["дети", "Европа", "ёмкость", "жизнь", "apple", "Zebra"]
    assert sorted(words) != russian
    english = sorted(words, key=Language("en", PROJECT / "locale").sort_key)
    assert english == ["apple", "Zebra", "дети", "Европа", "ёмкость", "жизнь"]


def test_collation_ignores_punctuation_word_by_word():
    """Russian editor, rounds 3-5: «подход с учетом…» sorted before «подход, ориентированный…» (a
    comma weighed after a space); an index sorts word by word, punctuation ignored."""
    russian = Language("ru", PROJECT / "locale").sort_key
    labels = ["подход с учетом психологической травмы", "подход, ориентированный на интересы жертв"]
    assert sorted(labels, key=russian) == labels[::-1]
    english = Language("en", PROJECT / "locale").sort_key
    assert sorted(["child trafficking", "children", "child, rights of"], key=english) == [
        "child, rights of",
        "child trafficking",
        "children",
    ]


def test_dates_and_language_lists_in_the_edition_language():
    import datetime

    english, russian = Language("en", PROJECT / "locale"), Language("ru", PROJECT / "locale")
    assert english.date(datetime.date(2017, 12, 8)) == "8 December 2017"
    assert russian.date(datetime.date(2017, 12, 8)) == "8 декабря 2017\u202fг."  # narrow no-break space
    assert english.language_list(("ENG", "MAC", "SQI")) == "ENG, MAC and SQI"
    assert russian.language_list(("ENG", "RUS")) == "АНГЛ и РУС"
