"""An edition's language: interface strings (gettext, from locale/*.po), dates, lists and collation."""

from __future__ import annotations

import gettext
import io
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import icu
from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from ..model import Wording
from ..source.interface import translated, untranslated_messages
from ..source.languages import FORTHCOMING, INTERFACE_LANGUAGE, N_

PUNCTUATION = re.compile(r"[^\w\s]")  # ignored by collation, as an index sorts

# The Babel locale each edition language is formatted with: British English writes
# "8 December 2017" and "ENG, MAC and SQI", as the OSCE does.
FORMAT_LOCALES = {"en": "en_GB"}
# The letters parts are lettered with, in order, where a language does not use A, B, C: Russian
# documents letter with the Cyrillic alphabet less Ё, З, Й, О, Ч, Ъ, Ы, Ь (as GOST 2.105 letters
# annexes), so that no letter reads as a digit or another letter.
PART_LETTERS = {"ru": "АБВГДЕЖИКЛМНПРСТУФХЦШЩЭЮЯ"}
# What a decision's text is (model.TextStatus), as the imprint, Annex 1 and the decision say it.
TEXT_STATUS_NAMES = {
    "original": N_("original text"),
    "official": N_("official text, %(source)s"),
    "unofficial": N_("unofficial translation"),
    "unchecked": N_("not checked against the official text"),
}
FORTHCOMING_PERIODS = {"Early": N_("Early %(year)s"), "Mid": N_("Mid %(year)s"), "End": N_("End %(year)s")}


def compile_po(po_file: Path, lang: str) -> gettext.GNUTranslations:
    """A .po file compiled in memory: no .mo file is kept in the repository."""
    with po_file.open("rb") as stream:
        catalog = read_po(stream, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@dataclass
class Language:
    """What an edition needs to speak its language."""

    lang: str
    locale_dir: Path
    source: str = "en"  # the language the compendium's source is written in
    wording: tuple[tuple[str, Wording], ...] = ()  # the compendium's own wording (Metadata.wording)

    @cached_property
    def translations(self) -> gettext.NullTranslations:
        if self.lang == INTERFACE_LANGUAGE:
            return gettext.NullTranslations()
        return compile_po(self.locale_dir / self.lang / "LC_MESSAGES" / "messages.po", self.lang)

    @cached_property
    def untranslated(self) -> tuple[str, ...]:
        """The catalogue's messages printed in English: an empty or fuzzy msgstr."""
        if self.lang == INTERFACE_LANGUAGE:
            return ()
        return tuple(untranslated_messages(self.locale_dir / self.lang / "LC_MESSAGES" / "messages.po", self.lang))

    @cached_property
    def locale(self) -> Locale:
        return Locale.parse(FORMAT_LOCALES.get(self.lang, self.lang))

    @cached_property
    def collator(self) -> icu.Collator:
        return icu.Collator.createInstance(icu.Locale(self.lang))

    @cached_property
    def translated(self) -> frozenset[str]:
        """The msgids the catalogue translates (a msgstr given, not fuzzy)."""
        if self.lang == INTERFACE_LANGUAGE:
            return frozenset()
        with (self.locale_dir / self.lang / "LC_MESSAGES" / "messages.po").open("rb") as stream:
            catalog = read_po(stream, locale=self.lang)
        return frozenset(
            str(m.id[0]) if isinstance(m.id, (tuple, list)) else str(m.id) for m in catalog if m.id and translated(m)
        )

    def _marked(self, message: str, result: str) -> str:
        """An interface string the catalogue does not translate, between the private-use marks
        that render.html turns into a fallback mark (or removes, in an attribute)."""
        if self.lang == INTERFACE_LANGUAGE or message in self.translated:
            return result
        return f"\ue000{result}\ue001"

    def gettext(self, message: str) -> str:
        """An interface string in the edition's language: a kind's own text for the language when
        its file gives one (model.Wording), else the catalogue's translation; the compendium's own
        wording for the language (compendium.yaml's `wording`) before either."""
        for key, own_wording in self.wording:
            if key == message and own_wording.in_language(self.lang) is not None:
                return own_wording.in_language(self.lang) or ""
        if isinstance(message, Wording):
            own = message.in_language(self.lang)
            if own is not None:
                return own
        return self._marked(message, self.translations.gettext(message))

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self._marked(singular, self.translations.ngettext(singular, plural, count))

    def sort_key(self, text: str) -> bytes:
        """Collation of the edition's language (Cyrillic before Latin in Russian, ё with е …),
        word by word with punctuation ignored, as an index sorts: «подход, ориентированный…»
        before «подход с учетом…» (a comma sorted before a space put it after)."""
        return self.collator.getSortKey(PUNCTUATION.sub("", str(text)))

    def date(self, value) -> str:
        return format_date(value, format="long", locale=self.locale)

    def language_list(self, codes: tuple[str, ...]) -> str:
        """ENG and RUS / АНГЛ и РУС: the codes as the edition's language writes them, listed in
        its collation (ФР after РУС in Russian, as FRE before RUS in English)."""
        written = sorted((self.gettext(code) for code in codes), key=self.sort_key)
        return format_list(written, locale=self.locale)

    def listed(self, items) -> str:
        """ "A, B and C" / «А, Б и В»: items as the edition's language lists them, in the order given."""
        return format_list([str(item) for item in items], locale=self.locale)

    def available_in(self, codes: tuple[str, ...]) -> str:
        """ "available in ENG" / «имеется на языке: АНГЛ», «… на языках: АНГЛ и РУС»."""
        message = self.ngettext("available in %(languages)s", "available in %(languages)s", len(codes))
        return message % {"languages": self.language_list(codes)}

    def forthcoming(self, when: str) -> str:
        """When a forthcoming publication is expected, in the edition's language ("конец 2019 г.")."""
        match = FORTHCOMING.fullmatch(when)
        if match is None:  # the catalogue checks the form: only a hand-made model gets here
            return when
        period, year = match.groups()
        return self.gettext(FORTHCOMING_PERIODS[period]) % {"year": year} if period else year

    def panel_order(self, groups: tuple) -> tuple:
        """The keyword groups of a resource panel in the order the keyword table lists them in
        this language. The source language keeps the editor's order (the seed's: alphabetical
        but for two panels); a translation's labels sort otherwise, so a reader who knows the
        keyword table finds a keyword where he expects it."""
        if self.lang == self.source:
            return groups
        return tuple(sorted(groups, key=lambda group: self.sort_key(group.keyword.label)))

    def text_status(self, decision) -> str:
        """ "unofficial translation" / «неофициальный перевод»: what the printed text of a decision is."""
        return self.gettext(TEXT_STATUS_NAMES[decision.text_status]) % {"source": decision.text_source or ""}

    def part_letter(self, letter: str) -> str:
        """A part's letter (A, B, C in the source's order) as the edition's language letters it."""
        letters = PART_LETTERS.get(self.lang)
        index = ord(letter) - ord("A")
        return letters[index] if letters and len(letter) == 1 and 0 <= index < len(letters) else letter
