"""The language codes used in "available in" lists, with the ISO 639 code each stands for."""

from __future__ import annotations

import re

from babel import Locale, UnknownLocaleError

# The three-letter codes are the OSCE's own (as printed in its publication lists), not ISO 639-2:
# MAC and FRE, for instance. The ISO code lets an edition name the language in its own tongue.


def N_(message: str) -> str:
    """Marks a string for extraction into locale/messages.pot; editions print it translated."""
    return message


PUBLICATION_LANGUAGES: dict[str, str] = {
    N_("ARM"): "hy",
    N_("AZE"): "az",
    N_("BOS"): "bs",
    N_("CNR"): "cnr",
    N_("ENG"): "en",
    N_("FRE"): "fr",
    N_("GEO"): "ka",
    N_("GER"): "de",
    N_("GRE"): "el",
    N_("ITA"): "it",
    N_("KAZ"): "kk",
    N_("KGZ"): "ky",
    N_("MAC"): "mk",
    N_("RUM"): "ro",
    N_("RUS"): "ru",
    N_("SPA"): "es",
    N_("SQI"): "sq",
    N_("SRP"): "sr",
    N_("TGK"): "tg",
    N_("TUR"): "tr",
    N_("UKR"): "uk",
    N_("UZB"): "uz",
}

# The language of the interface strings' message ids (layouts and code are written in English):
# an edition in it needs no interface catalogue. The content's language is the compendium's own
# (compendium.yaml's `language`, Language.source).
INTERFACE_LANGUAGE = "en"

# Languages the builder ships an interface catalogue for (ISO 639-1); a compendium may be written
# in any language Babel knows (is_language), and a project may add a catalogue of its own.
EDITION_LANGUAGES = ("en", "ru")


def is_language(code: str) -> bool:
    """A language code Babel has locale data for (dates and lists can be written in it)."""
    if not re.fullmatch(r"[a-z]{2,3}", code):
        return False
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return False
    return True


# When a forthcoming publication is expected, as the catalogue writes it: a year, or Early, Mid
# or End and a year ("End 2019"); each edition says it in its own language.
FORTHCOMING = re.compile(r"(?:(Early|Mid|End) )?(\d{4})")
