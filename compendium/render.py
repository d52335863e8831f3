"""Renders the compendium to HTML through the Jinja layouts; templates see only model objects."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from .citations import language_list
from .derive import directory, keyword_table
from .edition import Edition
from .introduction import FOOTNOTE_MARK
from .model import Citation, Compendium, Introduction, Part, Provision, Publication, Section, Topic

STYLESHEETS = ("fonts.css", "tokens.css", "pages.css", "base.css", "components.css")


@dataclass(frozen=True)
class ProvisionPage:
    """A provision's page, with the headings that begin on it."""

    provision: Provision
    opens_section: bool
    part: Part | None
    topic: Topic | None


def provision_pages(section: Section) -> list[ProvisionPage]:
    """One page per provision; a part's or topic's heading goes on the page of its first provision."""
    pages = []
    for part in section.parts:
        runs = [(None, part.provisions)] + [(topic, topic.provisions) for topic in part.topics]
        part_pending = True
        for topic, provisions in runs:
            for index, provision in enumerate(provisions):
                pages.append(
                    ProvisionPage(
                        provision,
                        opens_section=not pages,
                        part=part if part_pending else None,
                        topic=topic if index == 0 else None,
                    )
                )
                part_pending = False
    return pages


def environment(layouts: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(layouts),
        autoescape=True,  # text from the source can never become markup
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_null_translations(newstyle=True)
    register_filters(env)
    return env


def register_filters(env: jinja2.Environment) -> None:
    """Every filter and helper the layouts use, in one place."""
    env.filters["languages"] = lambda codes: language_list(tuple(codes))
    env.filters["long_date"] = long_date
    env.filters["typography"] = typography
    env.filters["sentence"] = sentence_case
    env.filters["with_footnotes"] = with_footnotes
    env.globals["provision_pages"] = provision_pages
    env.globals["reference"] = reference
    env.globals["bare_citation"] = lambda publication: Citation(publication)


NUMBER_RANGE = re.compile(r"(?<=\d)-(?=\d)")
SPACED_DASH = re.compile(r" ([-\u2013\u2014]) ")


def typography(text: str) -> str:
    """What a typesetter does to running text: number ranges take an en dash ("2019–2024"), and
    a dash set between spaces stays on the line of the word before it.

    The no-break space also works around a WeasyPrint 70 line-breaking fault (a citation whose
    first line broke after "ASTRA"); tests/test_pdf.py watches for first lines of one word.
    Citations use no other no-break spaces or nowrap spans: they set off the same fault.
    """
    return SPACED_DASH.sub("\u00a0\\1 ", NUMBER_RANGE.sub("\u2013", text))


def long_date(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


def sentence_case(title: str) -> str:
    """A decision title in capitals, as a sentence for running text ("Strengthening efforts …")."""
    lowered = title.lower()
    return lowered[:1].upper() + lowered[1:]


def reference(provision: Provision) -> str:
    return f"MC Decision {provision.decision.id}, para {provision.paragraph.number}"


def with_footnotes(text: str, introduction: Introduction) -> Markup:
    """Escaped text whose [^id] marks become footnotes (set at the foot of the page by CSS)."""
    numbers = {footnote.id: footnote for footnote in introduction.footnotes}
    pieces = []
    position = 0
    for mark in FOOTNOTE_MARK.finditer(text):
        pieces.append(escape(text[position : mark.start()]))
        pieces.append(footnote_markup(numbers[mark.group(1)]))
        position = mark.end()
    pieces.append(escape(text[position:]))
    return Markup("").join(pieces)


def footnote_markup(footnote) -> Markup:
    body = escape(footnote.text) if footnote.citation is None else citation_markup(footnote.citation)
    return Markup('<span class="footnote">{}</span>').format(body)


def citation_markup(citation: Citation) -> Markup:
    publication: Publication = citation.publication
    authors = typography(", ".join(publication.authors))
    head = escape(f"{authors}, {typography(publication.title)}, {publication.year}")
    cited = f", p. {typography(citation.pages)}" if citation.pages else ""
    url = Markup(', <a class="url" href="{0}">{0}</a>').format(publication.url) if publication.url else ""
    return Markup("{}{}{}.").format(head, cited, url)


def render_html(compendium: Compendium, edition: Edition, layouts: Path, styles: Path) -> str:
    env = environment(layouts)
    template = env.get_template("compendium.html")
    keywords = ", ".join(sorted({k.label for k in compendium.keywords}, key=str.casefold))
    return template.render(
        compendium=compendium,
        meta=compendium.metadata,
        edition=edition,
        keyword_table=keyword_table(compendium),
        directory=directory(compendium),
        pdf_keywords=re.sub(r"\s+", " ", keywords),
        stylesheets=[(styles / name).as_uri() for name in (*STYLESHEETS, *edition.stylesheets)],
    )
