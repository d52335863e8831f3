"""How a citation reads in a panel: "OSCE OSR/CTHB, Title, 2015, p. 51-68, https://… (available in ENG and RUS)"."""

from __future__ import annotations

from .model import Citation


def language_list(codes: tuple[str, ...], conjunction: str = "and") -> str:
    """ENG / ENG and RUS / ENG, MAC and SQI: the seed's way of listing languages."""
    if len(codes) < 2:
        return "".join(codes)
    return f"{', '.join(codes[:-1])} {conjunction} {codes[-1]}"


def citation_text(citation: Citation) -> str:
    """The citation as one line of plain text, as the original prints it."""
    publication = citation.publication
    parts = [", ".join(publication.authors), publication.title]
    if publication.forthcoming:
        parts.append(f"{publication.forthcoming}, forthcoming")
        return ", ".join(parts)
    parts.append(str(publication.year))
    if citation.pages:
        parts.append(f"p. {citation.pages}")
    parts.append(f"{publication.url} (available in {language_list(publication.languages)})")
    return ", ".join(parts)
