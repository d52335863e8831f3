"""The kinds of annexed document the builder knows: how each is numbered, headed, cited and named."""

from __future__ import annotations

import re

from ..model import DocumentKind
from .languages import N_

# Every kind's wording is an interface string (marked N_ so that pybabel extracts it): an
# edition prints it through its gettext catalogue, so a layout never fixes it.
KINDS: dict[str, DocumentKind] = {
    kind.id: kind
    for kind in (
        DocumentKind(
            id="osce-mc-decision",
            issuer=N_("OSCE Ministerial Council"),
            document=N_("decision"),
            id_pattern=r"\d{1,2}/\d{2}",
            id_example="6/17",
            symbol="MC.DEC/{id}",
            number_line="DECISION No. {id}",
            header="_header_osce_mc.html",
            required=(
                "symbol",
                "organization",
                "date",
                "body",
                "city",
                "year",
                "original_language",
                "meeting",
                "journal",
                "agenda_item",
                "number_line",
            ),
            optional=("document_code",),
            reference=N_("MC Decision %(decision)s, para %(paragraph)s"),
            tab_label=N_("MC Decision provision"),
            annex_title=N_("Texts of the Decisions"),
            contents_label=N_("Decision No."),
            status_heading=N_("The texts of the decisions in Annex 1:"),
            excerpt_note=N_("Excerpt: only the paragraphs presented in this handout, numbered as in the decision."),
            anchor="mc-dec",
            year_in_header=True,
        ),
        DocumentKind(
            id="un-ga-resolution",
            issuer=N_("United Nations General Assembly"),
            document=N_("resolution"),
            id_pattern=r"A/RES/\d{1,3}/\d{1,4}( [A-Z])?",
            id_example="A/RES/73/148",
            symbol="{id}",
            number_line=None,
            header="_header_un_ga.html",
            required=("symbol", "organization", "date", "body", "session", "agenda_item", "number_line"),
            optional=("distribution", "issued", "original_language", "report", "document_code"),
            reference=N_("%(decision)s, para %(paragraph)s"),
            tab_label=N_("Resolution provision"),
            annex_title=N_("Texts of the Resolutions"),
            contents_label=N_("Resolution"),
            status_heading=N_("The texts of the resolutions in Annex 1:"),
            excerpt_note=N_("Excerpt: only the paragraphs presented in this handout, numbered as in the resolution."),
            anchor="un-res",
            year_in_header=False,
        ),
        DocumentKind(
            id="coe-cm-recommendation",
            issuer=N_("Council of Europe Committee of Ministers"),
            document=N_("recommendation"),
            id_pattern=r"CM/Rec\(\d{4}\)\d{1,2}",
            id_example="CM/Rec(2018)7",
            symbol="{id}",
            number_line="Recommendation {id}",
            header="_header_coe_cm.html",
            required=("symbol", "organization", "date", "body", "number_line", "addressees", "meeting"),
            optional=("original_language", "document_code"),
            reference=N_("%(decision)s, para %(paragraph)s"),
            tab_label=N_("Recommendation provision"),
            annex_title=N_("Texts of the Recommendations"),
            contents_label=N_("Recommendation"),
            status_heading=N_("The texts of the recommendations in Annex 1:"),
            excerpt_note=N_(
                "Excerpt: only the paragraphs presented in this handout, numbered as in the recommendation."
            ),
            anchor="coe-rec",
            year_in_header=False,
        ),
    )
}
DEFAULT_KIND = "osce-mc-decision"

# An annex that prints documents of several kinds names them in general terms.
MIXED = DocumentKind(
    id="mixed",
    issuer="",
    document=N_("document"),
    id_pattern=r".+",
    id_example="",
    symbol="{id}",
    number_line=None,
    header="",
    required=(),
    optional=(),
    reference=N_("%(decision)s, para %(paragraph)s"),
    tab_label=N_("Provision"),
    annex_title=N_("Texts of the annexed documents"),
    contents_label=N_("Document"),
    status_heading=N_("The texts of the documents in Annex 1:"),
    excerpt_note=N_("Excerpt: only the paragraphs presented in this handout, numbered as in the document."),
    anchor="doc",
    year_in_header=False,
)


def annex_kind(decisions) -> DocumentKind:
    """The kind the annex, side tabs and imprint speak of: the one kind of all annexed documents,
    or general wording when they are of several kinds."""
    kinds = {decision.kind.id: decision.kind for decision in decisions}
    return next(iter(kinds.values())) if len(kinds) == 1 else MIXED


def matches(kind: DocumentKind, decision_id: str) -> bool:
    return re.fullmatch(kind.id_pattern, decision_id) is not None
