"""What each decision text of an edition is: original, official, unofficial or unchecked (per translation file)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from ..model import Compendium, Origin, TextStatus
from .fields import TEXT, record
from .problems import Problems
from .yamlsource import Node

SUFFIX = ".status"  # decision.6/17.status: the status of that decision's text in the file's language
TRANSLATED = tuple(s.value for s in TextStatus if s is not TextStatus.ORIGINAL)  # what a translation file may say


@dataclass(frozen=True)
class StatusEntry:
    """A translation file's word on one decision's text: official (with its source), unofficial, or
    unchecked (nobody has compared it with the official text in this language)."""

    status: TextStatus
    source: str | None
    origin: Origin


def is_status_key(key: str) -> bool:
    return key.startswith("decision.") and key.endswith(SUFFIX)


def read_status(node: Node, key: str, origin: Origin, problems: Problems) -> StatusEntry | None:
    """One `decision.<id>.status` entry: {status: official | unofficial | unchecked, source: …}; an official
    text must say where it comes from."""
    context = f"translation '{key}'"
    values = record(node, context, problems, {"status": TEXT}, {"source": TEXT})
    if not values or "status" not in values:
        return None
    if values["status"] not in TRANSLATED:
        problems.error(
            node.value["status"].origin,
            context,
            f"key 'status': expected {', '.join(TRANSLATED[:-1])} or {TRANSLATED[-1]}, found '{values['status']}'",
        )
        return None
    if values["status"] == TextStatus.OFFICIAL and "source" not in values:
        problems.error(
            origin, context, "an official text needs 'source': the issuing body's document symbol or address"
        )
        return None
    return StatusEntry(TextStatus(values["status"]), values.get("source"), origin)


def with_text_status(compendium: Compendium, entries: dict, translated: set[str]) -> tuple[Compendium, set[str]]:
    """The decisions with the status of their text in this edition, and the status keys used.

    A decision none of whose paragraphs (preamble, operative paragraphs, statements) is printed
    translated is printed in its original; one with a
    translation is an unofficial translation unless the file says it is the official text.
    `translated` are the keys of the texts the edition prints translated."""
    decisions, used = [], set()
    for decision in compendium.decisions:
        key = f"decision.{decision.id}{SUFFIX}"
        given = entries.get(key)
        if given is not None:
            used.add(key)
        if not any(k.startswith(f"decision.{decision.id}.") and _is_body(k) for k in translated):
            decisions.append(replace(decision, text_status=TextStatus.ORIGINAL, text_source=None))
        elif given is None:
            decisions.append(replace(decision, text_status=TextStatus.UNOFFICIAL, text_source=None))
        else:
            decisions.append(replace(decision, text_status=given.status, text_source=given.source))
    by_id = {d.id: d for d in decisions}
    relinked = compendium.with_provisions(lambda p: replace(p, decision=by_id[p.decision.id]))
    return replace(relinked, decisions=tuple(decisions)), used


BODY = (".preamble.", ".chapeau", ".paragraph.", ".statement.")


def _is_body(key: str) -> bool:
    """A key of a decision's text itself (preamble, paragraphs, statements), not of its header: a
    translated title over English paragraphs does not make the text a translation."""
    return any(part in key for part in BODY)


def status_template(compendium: Compendium, entries: dict) -> list[str]:
    """The status entries of a translation file, kept when the file is rewritten, each decision's
    entry saying "unofficial" until one is given."""
    lines = [
        "# What each decision text above is: unofficial (a translation made for this compendium), unchecked",
        "# (nobody has compared it with the issuing body's official text in this language), or official,",
        "# with source: <document symbol or address> (only once an editor has compared the two). The",
        "# imprint and Annex 1 say which.",
    ]
    for decision in compendium.decisions:
        key = f"decision.{decision.id}{SUFFIX}"
        given = entries.get(key)
        lines.append(f"{key}:")
        lines.append(f"  status: {given.status if given else 'unofficial'}")
        if given and given.source:
            lines.append(f"  source: {json.dumps(given.source, ensure_ascii=False)}")
        lines.append("")
    return lines
