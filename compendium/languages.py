"""The language codes used in "available in" lists, with the ISO 639 code each stands for."""

from __future__ import annotations

# The three-letter codes are the OSCE's own (as printed in its publication lists), not ISO 639-2:
# MAC and FRE, for instance. The ISO code lets an edition name the language in its own tongue.
PUBLICATION_LANGUAGES: dict[str, str] = {
    "ARM": "hy",
    "AZE": "az",
    "BOS": "bs",
    "CNR": "cnr",
    "ENG": "en",
    "FRE": "fr",
    "GEO": "ka",
    "GER": "de",
    "GRE": "el",
    "ITA": "it",
    "KAZ": "kk",
    "KGZ": "ky",
    "MAC": "mk",
    "RUM": "ro",
    "RUS": "ru",
    "SPA": "es",
    "SQI": "sq",
    "SRP": "sr",
    "TGK": "tg",
    "TUR": "tr",
    "UKR": "uk",
    "UZB": "uz",
}

# Languages an edition of the compendium itself may be written in (ISO 639-1).
EDITION_LANGUAGES = ("en", "ru")
