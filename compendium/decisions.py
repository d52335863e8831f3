"""Reads the official texts of the decisions, one file each under source/decisions/."""

from __future__ import annotations

import re
import string

from .fields import DATE, LABEL, LIST, TEXT, TEXTS, WHOLE, child, entry_name, items, record
from .model import Decision, Item, Paragraph, Statement
from .problems import Problems
from .yamlsource import Node

DECISION_ID = re.compile(r"^\d{1,2}/\d{2}$")

HEADER = {
    "id": LABEL,
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
    "title": TEXT,
    "opening": TEXT,
    "preamble": TEXTS,
    "paragraphs": LIST,
}
OPTIONAL = {"chapeau": TEXT, "document_code": TEXT, "statements": LIST}


def read_decision(node: Node, problems: Problems) -> Decision | None:
    values = record(node, entry_name(node, "decision"), problems, HEADER, OPTIONAL)
    if values is None or "id" not in values:
        return None
    decision_id = values["id"]
    context = f"decision {decision_id}"
    ok = True
    if not DECISION_ID.match(decision_id):
        problems.error(
            node.value["id"].origin,
            context,
            f"key 'id': expected a decision number such as '6/17', found '{decision_id}'",
        )
        ok = False
    else:
        ok &= _consistent(node, values, context, problems)
    paragraphs = _paragraphs(child(node, values, "paragraphs"), decision_id, context, problems)
    statements = _statements(child(node, values, "statements"), context, problems)
    if not ok or paragraphs is None or statements is None or not HEADER.keys() <= values.keys():
        return None
    return Decision(
        **{key: values[key] for key in HEADER if key not in ("paragraphs",)},
        paragraphs=paragraphs,
        statements=statements,
        chapeau=values.get("chapeau"),
        document_code=values.get("document_code"),
        origin=node.origin,
    )


def _consistent(node: Node, values: dict, context: str, problems: Problems) -> bool:
    """The header repeats the decision number and year in several places; they must agree."""
    ok = True
    decision_id = values["id"]
    expected = {"symbol": f"MC.DEC/{decision_id}", "number_line": f"DECISION No. {decision_id}"}
    for key, want in expected.items():
        if key in values and values[key] != want:
            problems.error(node.value[key].origin, context, f"key '{key}': expected '{want}', found '{values[key]}'")
            ok = False
    if "date" in values and "year" in values and values["date"].year != values["year"]:
        problems.error(
            node.value["year"].origin,
            context,
            f"key 'year': expected {values['date'].year} (the year of the date), found {values['year']}",
        )
        ok = False
    return ok


def _paragraphs(node: Node | None, decision_id: str, context: str, problems: Problems) -> tuple[Paragraph, ...] | None:
    result: list[Paragraph] = []
    ok = True
    if node is not None and node.is_list and not node.value:
        problems.error(
            node.origin, context, "key 'paragraphs': expected at least one operative paragraph, found an empty list"
        )
        return None
    for position, entry in enumerate(items(node, context, problems), start=1):
        values = record(
            entry,
            f"{context}, paragraph {position}",
            problems,
            {"number": WHOLE, "text": TEXT},
            {"items": LIST, "text_after": TEXT, "not_covered": TEXT},
        )
        if values is None or "number" not in values or "text" not in values:
            ok = False
            continue
        if values["number"] != position:
            problems.error(
                entry.value["number"].origin,
                f"{context}, paragraph {values['number']}",
                f"key 'number': expected {position} (paragraphs are numbered 1, 2, 3 … in order), "
                f"found {values['number']}",
            )
            ok = False
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
