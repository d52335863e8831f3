"""Reads the official texts of the decisions, one file each under source/decisions/."""

from __future__ import annotations

import re
import string

from ..model import Decision, DocumentKind, Item, Paragraph, Statement
from .fields import DATE, LABEL, LIST, TEXT, TEXTS, WHOLE, child, describe, entry_name, items, record
from .interface import LONE_PERCENT, lone_percent
from .kinds import DEFAULT_KIND, PLACEHOLDER, matches
from .patterns import TooCostly
from .problems import Problems, suggest
from .yamlsource import Node

# Every header field any kind of document may have, and what it holds; a kind
# (kinds/*.yaml, source/kinds.yaml) says which of them its documents must and may have.
HEADER_FIELDS = {
    "symbol": TEXT,
    "organization": TEXT,
    "date": DATE,
    "body": TEXT,
    "city": TEXT,
    "year": WHOLE,
    "original_language": TEXT,
    "meeting": TEXT,
    "journal": TEXT,
    "agenda_item": LABEL,
    "number_line": TEXT,
    "session": TEXT,
    "distribution": TEXT,
    "issued": DATE,
    "report": TEXT,
    "addressees": TEXT,
    "document_code": TEXT,
}
LONGEST_ID = 200  # the longest real id is 20 characters; a longer one is a mistake (or a pattern's bait)
COMMON = {"id": LABEL, "title": TEXT, "opening": TEXT, "preamble": TEXTS, "paragraphs": LIST}
COMMON_OPTIONAL = {
    "kind": LABEL,
    "chapeau": TEXT,
    "statements": LIST,
    "title_in_text": TEXT,  # the title as running text (contents, annex list) cites it
    "reference": TEXT,  # how its paragraphs are cited, when not as its kind cites them ("CBM {paragraph}")
}


def _reference(node: Node, values: dict, context: str, problems: Problems) -> bool:
    """A document's own reference, its placeholders written {name} and made %(name)s for the
    layouts to fill in: any other '%' is refused as in a kind's wording ('%(paragraph)2000000s'
    printed a reference of two million characters, attacker round 9, P9)."""
    text = values["reference"]
    unknown = [p for p in PLACEHOLDER.findall(text) if p not in ("decision", "paragraph")]
    why = f"unknown placeholder '{{{unknown[0]}}}' (write {{decision}} and {{paragraph}})" if unknown else None
    if why is None and lone_percent(text, braces=True):
        why = LONE_PERCENT
    if why is not None:
        problems.error(node.value["reference"].origin, context, f"key 'reference': {why}")
        return False
    values["reference"] = PLACEHOLDER.sub(r"%(\1)s", text)
    return True


def written_id(node: Node | None) -> str | None:
    """The id a decision file gives itself, when it has a usable one (even if the rest is broken)."""
    if node is None or not node.is_mapping or "id" not in node.value:
        return None
    value = node.value["id"].value
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def read_decision(node: Node, kinds: dict[str, DocumentKind], problems: Problems) -> Decision | None:
    kind = _kind(node, kinds, problems)
    if kind is None:
        return None
    required = {**COMMON, **{key: HEADER_FIELDS[key] for key in kind.required}}
    optional = {**COMMON_OPTIONAL, **{key: HEADER_FIELDS[key] for key in kind.optional}}
    foreign = _foreign_fields(node, kind, kinds, required.keys() | optional.keys(), problems)
    values = record(node, entry_name(node, "decision"), problems, required, {**optional, **foreign})
    if values is None or "id" not in values:
        return None
    ident = values["id"]
    context = f"decision {ident}"
    ok = not foreign.keys() & values.keys()
    matched = _id_matches(node, kind, ident, problems)
    if matched is None:
        ok = False
    elif not matched:
        problems.error(
            node.value["id"].origin,
            context,
            f"key 'id': expected the number of a {kind.document} such as '{kind.id_example}' "
            f"(kind {kind.id}), found '{ident}'",
        )
        ok = False
    else:
        ok &= _consistent(node, values, kind, context, problems)
    if "reference" in values:
        ok &= _reference(node, values, context, problems)
    paragraphs = _paragraphs(child(node, values, "paragraphs"), ident, kind, context, problems)
    statements = _statements(child(node, values, "statements"), context, problems)
    if not ok or paragraphs is None or statements is None or not required.keys() <= values.keys():
        return None
    header = {key: values[key] for key in HEADER_FIELDS if key in values}
    return Decision(
        id=ident,
        title=values["title"],
        opening=values["opening"],
        preamble=values["preamble"],
        paragraphs=paragraphs,
        kind=kind,
        **header,
        statements=statements,
        chapeau=values.get("chapeau"),
        title_in_text=values.get("title_in_text"),
        reference=values.get("reference"),
        origin=node.origin,
    )


def _id_matches(node: Node, kind: DocumentKind, ident: str, problems: Problems) -> bool | None:
    """Whether the id is one of its kind's; None, with an error, when it is too long to try or the
    kind's pattern ran out of time (the pattern's fault, reported at its line once, not this id's)."""
    if len(ident) > LONGEST_ID:
        problems.error(
            node.value["id"].origin,
            f"decision {ident[:20]}…",
            f"key 'id': expected at most {LONGEST_ID} characters, found {len(ident)}",
        )
        return None
    try:
        return matches(kind, ident)
    except TooCostly as error:
        if error.first:
            problems.error(error.origin, error.context, error.message)
        return None


def _kind(node: Node, kinds: dict[str, DocumentKind], problems: Problems) -> DocumentKind | None:
    """The kind a decision file declares (`kind:`), an OSCE MC decision when it declares none."""
    if not node.is_mapping or "kind" not in node.value:
        if DEFAULT_KIND in kinds:
            return kinds[DEFAULT_KIND]
        problems.error(node.origin, entry_name(node, "decision"), f"missing key 'kind' (one of {', '.join(kinds)})")
        return None
    written = node.value["kind"].value
    if isinstance(written, str) and written.strip() in kinds:
        return kinds[written.strip()]
    problems.error(
        node.value["kind"].origin,
        entry_name(node, "decision"),
        f"key 'kind': expected one of {', '.join(kinds)} (or a kind declared in source/kinds.yaml), "
        f"found {describe(written)}{suggest(str(written), list(kinds))}",
    )
    return None


def _foreign_fields(
    node: Node, kind: DocumentKind, kinds: dict[str, DocumentKind], allowed, problems: Problems
) -> dict:
    """Header fields of another kind: named as such, with the fields this kind has instead."""
    if not node.is_mapping:
        return {}
    foreign = {}
    for key in node.value:
        if key in HEADER_FIELDS and key not in allowed:
            owners = [k.id for k in kinds.values() if key in k.required + k.optional] or [kind.id]
            problems.error(
                node.key_origins[key],
                entry_name(node, "decision"),
                f"key '{key}': not a header field of kind {kind.id} (it belongs to {', '.join(owners)}); "
                f"write kind: {owners[0]} for such a document, or use the fields of {kind.id}: "
                f"{', '.join(kind.required + kind.optional)}",
            )
            foreign[key] = HEADER_FIELDS[key]
    return foreign


def _consistent(node: Node, values: dict, kind: DocumentKind, context: str, problems: Problems) -> bool:
    """The header repeats the document number and year in several places; they must agree."""
    ok = True
    ident = values["id"]
    expected = {"symbol": kind.symbol.format(id=ident)}
    if kind.number_line:
        expected["number_line"] = kind.number_line.format(id=ident)
    for key, want in expected.items():
        if key in values and values[key] != want:
            problems.error(node.value[key].origin, context, f"key '{key}': expected '{want}', found '{values[key]}'")
            ok = False
    if kind.year_in_header and "date" in values and "year" in values and values["date"].year != values["year"]:
        problems.error(
            node.value["year"].origin,
            context,
            f"key 'year': expected {values['date'].year} (the year of the date), found {values['year']}",
        )
        ok = False
    return ok


def _paragraphs(
    node: Node | None, decision_id: str, kind: DocumentKind, context: str, problems: Problems
) -> tuple[Paragraph, ...] | None:
    result: list[Paragraph] = []
    ok = True
    if node is not None and node.is_list and not node.value:
        problems.error(
            node.origin, context, "key 'paragraphs': expected at least one operative paragraph, found an empty list"
        )
        return None
    seen: dict[str, int] = {}
    previous: str | None = None
    for position, entry in enumerate(items(node, context, problems), start=1):
        values = record(
            entry,
            f"{context}, paragraph {position}",
            problems,
            {"number": LABEL, "text": TEXT},
            {"items": LIST, "text_after": TEXT, "not_covered": TEXT},
        )
        if values is None or "number" not in values or "text" not in values:
            ok = False
            continue
        number = values["number"]
        if number in seen:
            problems.error(
                entry.value["number"].origin,
                f"{context}, paragraph {number}",
                f"key 'number': paragraph {number} is numbered twice (also entry {seen[number]} of the list)",
            )
            ok = False
        elif previous is not None and not _after(previous, number):
            problems.error(
                entry.value["number"].origin,
                f"{context}, paragraph {number}",
                f"key 'number': expected a number after {previous} (paragraphs are listed in the order adopted; "
                f"they may start anywhere and leave gaps), found {number}",
            )
            ok = False
        seen.setdefault(number, position)
        previous = number
        values["number"] = number
        sub_items = _items(child(entry, values, "items"), f"{context}, paragraph {values['number']}", problems)
        if sub_items is None:
            ok = False
            continue
        result.append(
            Paragraph(
                decision=decision_id,
                number=values["number"],
                text=values["text"],
                items=sub_items,
                text_after=values.get("text_after"),
                not_covered=values.get("not_covered"),
                origin=entry.origin,
                kind_anchor=kind.anchor,
            )
        )
    return tuple(result) if ok else None


def _items(node: Node | None, context: str, problems: Problems) -> tuple[Item, ...] | None:
    result: list[Item] = []
    for position, entry in enumerate(items(node, context, problems)):
        values = record(entry, f"{context}, item {position + 1}", problems, {"label": LABEL, "text": TEXT})
        if not values or not {"label", "text"} <= values.keys():
            return None
        if position >= len(string.ascii_lowercase):
            problems.error(entry.origin, context, "expected at most 26 lettered items (a to z)")
            return None
        want = string.ascii_lowercase[position]
        if values["label"] != want:
            problems.error(
                entry.value["label"].origin, context, f"key 'label': expected '{want}', found '{values['label']}'"
            )
            return None
        result.append(Item(values["label"], values["text"]))
    return tuple(result)


def _statements(node: Node | None, context: str, problems: Problems) -> tuple[Statement, ...] | None:
    result: list[Statement] = []
    for position, entry in enumerate(items(node, context, problems), start=1):
        values = record(
            entry,
            f"{context}, statement {position}",
            problems,
            {"attachment": TEXT, "heading": TEXT, "delegation": TEXT, "paragraphs": TEXTS},
            {"original_language": TEXT},
        )
        if not values or not {"attachment", "heading", "delegation", "paragraphs"} <= values.keys():
            return None
        result.append(Statement(**values))
    return tuple(result)


NUMBERS = re.compile(r"\d+")


def _after(previous: str, number: str) -> bool:
    """Whether a paragraph number may follow another: numbers of the same form ("12", "CBM 13",
    "IV.1(A)6") compare by their figures; a number of another form (a new label) starts a new run."""
    if NUMBERS.sub("#", previous) != NUMBERS.sub("#", number):
        return True
    return [int(n) for n in NUMBERS.findall(number)] > [int(n) for n in NUMBERS.findall(previous)]
