"""An edition's language: interface strings (gettext, from locale/*.po), dates, lists and collation."""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import icu
from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

SOURCE_LANGUAGE = "en"
# The Babel locale each edition language is formatted with: British English writes
# "8 December 2017" and "ENG, MAC and SQI", as the OSCE does.
FORMAT_LOCALES = {"en": "en_GB"}


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

    @cached_property
    def translations(self) -> gettext.NullTranslations:
        if self.lang == SOURCE_LANGUAGE:
            return gettext.NullTranslations()
        return compile_po(self.locale_dir / self.lang / "LC_MESSAGES" / "messages.po", self.lang)

    @cached_property
    def locale(self) -> Locale:
        return Locale.parse(FORMAT_LOCALES.get(self.lang, self.lang))

    @cached_property
    def collator(self) -> icu.Collator:
        return icu.Collator.createInstance(icu.Locale(self.lang))

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def sort_key(self, text: str) -> bytes:
        """Collation of the edition's language (Cyrillic before Latin in Russian, ё with е …)."""
        return self.collator.getSortKey(str(text))

    def date(self, value) -> str:
        return format_date(value, format="long", locale=self.locale)

    def language_list(self, codes: tuple[str, ...]) -> str:
        """ENG and RUS / АНГЛ и РУС: the codes as the edition's language writes them, listed."""
        return format_list([self.gettext(code) for code in codes], locale=self.locale)
