"""The language codes used in "available in" lists, with the ISO 639 code each stands for."""

from __future__ import annotations

import re

from babel import Locale, UnknownLocaleError

from .iso639 import ISO_639_2B

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
# Beside the OSCE's codes, every ISO 639-2/B code (ARA, CHI, GER …, compendium/source/iso639.py):
# a publication of another office is listed in the codes its library writes.
for _code, (_babel, _name) in ISO_639_2B.items():
    PUBLICATION_LANGUAGES.setdefault(_code, _babel)


def language_name(code: str, lang: str = "en") -> str:
    """A publication language's name in an edition's language, from Babel (CLDR) where it has
    one, else the English name of ISO 639-2."""
    iso = PUBLICATION_LANGUAGES.get(code)
    if iso is None:
        return code
    try:
        name = Locale.parse(lang).languages.get(iso)
    except (UnknownLocaleError, ValueError):
        name = None
    return name or ISO_639_2B.get(code, (iso, code))[1]


# The ISO 639-2 languages whose terminology code (/T) differs from the bibliographic one (/B).
TERMINOLOGY = {
    "HYE": "ARM",
    "EUS": "BAQ",
    "MYA": "BUR",
    "ZHO": "CHI",
    "CES": "CZE",
    "NLD": "DUT",
    "FRA": "FRE",
    "KAT": "GEO",
    "DEU": "GER",
    "ELL": "GRE",
    "ISL": "ICE",
    "MKD": "MAC",
    "MRI": "MAO",
    "MSA": "MAY",
    "FAS": "PER",
    "RON": "RUM",
    "SLK": "SLO",
    "BOD": "TIB",
    "CYM": "WEL",
}


def suggest_language(code: str) -> str:
    """ " (did you mean 'RUS', Russian?)" only for a code close in spelling to a known one whose
    language's English name begins with the code's first letter and has all its letters (RSU for
    Russian, GRM for German); never a mere near spelling of another language (ARA for Armenian)."""
    import difflib

    wanted = code.strip().upper()
    bibliographic = TERMINOLOGY.get(wanted)  # DEU, written in ISO 639-2/T: GER in /B
    if bibliographic in PUBLICATION_LANGUAGES:
        return (
            f" (did you mean '{bibliographic}', {language_name(bibliographic)}? "
            f"'{wanted}' is its ISO 639-2/T code; the catalogue writes the /B one)"
        )
    for candidate in difflib.get_close_matches(wanted, list(PUBLICATION_LANGUAGES), n=50, cutoff=0.6):
        name = language_name(candidate)
        word = name.split()[0].split(",")[0].upper()
        if word[:1] == wanted[:1] and set(wanted) <= set(word):
            return f" (did you mean '{candidate}', {name}?)"
    return ""


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


# When a forthcoming publication is expected in the structured form: a year, or Early, Mid or End
# and a year ("End 2019"), which each edition says in its own language. Any other text ("Autumn
# 2025") is printed as written.
FORTHCOMING = re.compile(r"(?:(Early|Mid|End) )?(\d{4})")
