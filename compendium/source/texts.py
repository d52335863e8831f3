"""Every translatable text of the compendium under a stable key, and the rewriting of them all.

One traversal, `rewrite`, both lists the texts (for coverage reports and translation files) and
replaces them (for a language edition), so the keys can never differ between the two.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from ..model import NOWHERE, Block, Compendium, Decision, Introduction, Item, Statement, slug, with_display_lines

Translate = Callable[[str, str, str], str]  # (key, English text, source file) -> text to print
MaybeText = TypeVar("MaybeText", str, str | None)  # a text is translated; an absent one stays absent
METADATA_FIELDS = ("title", "subtitle", "publisher", "organization", "edition")
DECISION_FIELDS = (
    "organization",
    "body",
    "city",
    "original_language",
    "meeting",
    "journal",
    "number_line",
    "session",
    "distribution",
    "report",
    "addressees",
    "title",
    "title_in_text",
    "opening",
)


@dataclass(frozen=True)
class Text:
    """One translatable text: its key (stable across editions), the English, and its source file."""

    key: str
    english: str
    file: str

    @property
    def hash(self) -> str:
        """Identifies the English a translation was made from: a changed text makes it stale."""
        return text_hash(self.english)


def text_hash(english: str) -> str:
    return hashlib.sha256(" ".join(english.split()).encode("utf-8")).hexdigest()[:12]


def decision_file(decision: Decision) -> str:
    """The file a decision was read from: found by its content, whatever its name."""
    if decision.origin.file != NOWHERE.file:
        return decision.origin.file
    return f"source/decisions/{decision.kind.anchor}-{slug(decision.id)}.yaml"


def translatable(compendium: Compendium) -> list[Text]:
    """The texts a translation provides, in reading order. Publication titles and authors are
    not among them: a publication is cited under its own title."""
    texts: list[Text] = []

    def record(key: str, english: str, file: str) -> str:
        texts.append(Text(key, english, file))
        return english

    rewrite(compendium, record)
    return texts


def rewrite(compendium: Compendium, text: Translate) -> Compendium:
    """The compendium with every translatable text replaced by text(key, english, file)."""
    source = "source/compendium.yaml"

    def t(key: str, english: MaybeText, file: str = source) -> MaybeText:
        return text(key, english, file) if english else english

    meta = compendium.metadata
    fields: dict[str, Any] = {f: t(f"metadata.{f}", getattr(meta, f)) for f in METADATA_FIELDS}
    metadata = with_display_lines(
        replace(
            meta,
            **fields,
            address=tuple(t(f"metadata.address.{n}", line) for n, line in enumerate(meta.address, 1)),
            imprint=tuple(t(f"metadata.imprint.{n}", p) for n, p in enumerate(meta.imprint, 1)),
            annex_note=t("metadata.annex_note", meta.annex_note),
        )
    )
    introduction = _introduction(compendium.introduction, t)
    keywords = {
        k.id: replace(k, label=t(f"keyword.{k.id}.label", k.label, "source/keywords.yaml")) for k in compendium.keywords
    }
    decisions = {d.id: _decision(d, text) for d in compendium.decisions}

    def provision(p):
        decision = decisions[p.decision.id]
        groups = tuple(replace(g, keyword=keywords[g.keyword.id]) for g in p.resources)
        return replace(p, decision=decision, paragraph=decision.paragraph(p.paragraph.number), resources=groups)

    rewritten = compendium.with_provisions(provision, lambda level, id, title, field: t(f"{level}.{id}.{field}", title))
    return replace(
        rewritten,
        metadata=metadata,
        introduction=introduction,
        decisions=tuple(decisions.values()),
        keywords=tuple(keywords.values()),
    )


def _introduction(intro: Introduction, t) -> Introduction:
    file = "source/introduction.yaml"
    blocks = []
    for n, block in enumerate(intro.blocks, 1):
        if block.form == "paragraph":
            blocks.append(Block("paragraph", (t(f"introduction.block.{n}", block.texts[0], file),)))
        else:
            items = tuple(t(f"introduction.block.{n}.{m}", item, file) for m, item in enumerate(block.texts, 1))
            blocks.append(Block(block.form, items))
    footnotes = tuple(
        replace(f, text=t(f"introduction.footnote.{f.id}", f.text, file)) if f.text else f for f in intro.footnotes
    )
    return Introduction(t("introduction.title", intro.title, file), tuple(blocks), footnotes)


def _decision(decision: Decision, text: Translate) -> Decision:
    file = decision_file(decision)
    prefix = f"decision.{decision.id}"

    def t(key: str, english: MaybeText) -> MaybeText:
        return text(f"{prefix}.{key}", english, file) if english else english

    fields: dict[str, Any] = {f: t(f, getattr(decision, f)) for f in DECISION_FIELDS}
    preamble = tuple(t(f"preamble.{n}", p) for n, p in enumerate(decision.preamble, 1))
    chapeau = t("chapeau", decision.chapeau)
    paragraphs = tuple(
        replace(
            p,
            text=t(f"paragraph.{p.number}", p.text),
            items=tuple(Item(i.label, t(f"paragraph.{p.number}.{i.label}", i.text)) for i in p.items),
            text_after=t(f"paragraph.{p.number}.after", p.text_after),
        )
        for p in decision.paragraphs
    )
    statements = tuple(
        Statement(
            attachment=t(f"statement.{k}.attachment", s.attachment),
            original_language=t(f"statement.{k}.original_language", s.original_language),
            heading=t(f"statement.{k}.heading", s.heading),
            delegation=t(f"statement.{k}.delegation", s.delegation),
            paragraphs=tuple(t(f"statement.{k}.paragraph.{n}", p) for n, p in enumerate(s.paragraphs, 1)),
        )
        for k, s in enumerate(decision.statements, 1)
    )
    return replace(decision, **fields, preamble=preamble, chapeau=chapeau, paragraphs=paragraphs, statements=statements)
