"""Renders the compendium to HTML through the Jinja layouts; templates see only model objects."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from ..derive import directory, keyword_table
from ..edition import Edition
from ..model import Citation, Compendium, Introduction, Part, Provision, Publication, Section, Topic
from ..source.introduction import FOOTNOTE_MARK
from ..source.kinds import MIXED, annex_kind
from ..source.problems import Problems
from ..source.project import Project
from ..source.translations import Fallback
from ..source.typography import TypographyRules, read_rules
from .locale import Language
from .sectionstyle import section_stylesheet
from .typography import Typesetter

STYLESHEETS = ("fonts.css", "tokens.css", "pages.css", "base.css", "components.css", "tabs.css")


@dataclass(frozen=True)
class ProvisionPage:
    """A provision's page, with the headings that begin on it."""

    provision: Provision
    opens_section: bool
    part: Part | None
    topic: Topic | None


def provision_pages(section: Section) -> list[ProvisionPage]:
    """One page per provision; a part's or topic's heading goes on the page of its first provision."""
    pages = [ProvisionPage(provision, not index, None, None) for index, provision in enumerate(section.direct)]
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


class Typeset(str):
    """A text already typeset by the rules of its own language: the pass leaves it as it is."""


def typesetters(project: Project, language: Language) -> dict[str, Typesetter]:
    """The rule tables of the edition's language and of the source's (for an untranslated text)."""
    problems = Problems()
    found = {lang: Typesetter(read_rules(project, lang, problems)) for lang in {language.lang, language.source}}
    if problems.errors:
        raise TypographyError([str(problem) for problem in problems.sorted()])
    return found


class TypographyError(Exception):
    """A typographic rule table that cannot be used: each problem located in its file."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def typeset_output(typesetter: dict[str, Typesetter], lang: str):
    """Jinja's finalize: every text a layout prints passes the language's rules (markup does not:
    it was built from texts typeset on the way)."""

    def finalize(value):
        if isinstance(value, Markup | Typeset) or not isinstance(value, str):
            return value
        if isinstance(value, Fallback):
            rules = typesetter.get(value.lang) or Typesetter(TypographyRules(value.lang))
            return Fallback(rules(str(value)), value.marker, value.lang)
        return typesetter[lang](value)

    return finalize


def environment(
    layouts: list[Path], language: Language, typesetter: dict[str, Typesetter] | None = None
) -> jinja2.Environment:
    typesetter = typesetter or {language.lang: Typesetter(TypographyRules(language.lang))}
    env = jinja2.Environment(
        finalize=typeset_output(typesetter, language.lang),
        loader=jinja2.FileSystemLoader(layouts),  # the project's own layouts first, then the builder's
        autoescape=True,  # text from the source can never become markup
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # The interface strings pass the language's rules before their placeholders are filled in.
    own = typesetter[language.lang]
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: own(language.translations.gettext(message)),
        lambda singular, plural, count: own(language.translations.ngettext(singular, plural, count)),
        newstyle=True,
    )
    register_filters(env, language, typesetter)
    return env


def register_filters(env: jinja2.Environment, language: Language, typesetter: dict[str, Typesetter]) -> None:
    """Every filter and helper the layouts use, in one place."""
    own = typesetter[language.lang]

    def typeset_in(text: str, lang: str) -> Typeset:
        """A text in another language than the edition's (a cited title) typeset by its own rules."""
        return Typeset(typesetter.get(lang, Typesetter(TypographyRules(lang)))(text))

    env.filters["typeset_in"] = typeset_in
    env.filters["last_word"] = lambda text: tuple(Typeset(piece) for piece in _last_word(text, typesetter, own))
    env.filters["shared_provisions"] = shared_provisions
    env.filters["languages"] = lambda codes: language.language_list(tuple(codes))
    env.filters["available_in"] = lambda codes: language.available_in(tuple(codes))
    env.filters["forthcoming"] = language.forthcoming
    env.filters["part_letter"] = language.part_letter
    env.filters["panel_order"] = language.panel_order
    env.filters["text_status"] = language.text_status
    env.filters["long_date"] = language.date
    env.filters["typography"] = typography
    env.filters["sentence"] = sentence_case
    env.filters["plain"] = plain
    env.filters["together"] = last_words_together
    env.filters["first_upper"] = first_upper
    env.filters["with_footnotes"] = lambda text, intro: with_footnotes(text, intro, language, own)
    env.globals["provision_pages"] = provision_pages
    env.globals["reference"] = lambda provision: reference(provision, language)
    env.globals["bare_citation"] = lambda publication: Citation(publication)
    env.globals["annex_kind"] = MIXED  # until render_html knows the compendium


def _last_word(text: str, typesetter: dict[str, Typesetter], own: Typesetter) -> tuple[str, str, str]:
    rules = typesetter.get(text.lang, own) if isinstance(text, Fallback) else own
    return rules.last_word(str(text))


NUMBER_RANGE = re.compile(r"(?<=\d)-(?=\d)")
SPACED_DASH = re.compile(r" ([-\u2013\u2014]) ")


def keeping_fallback(function):
    """A text filter that keeps the fallback mark of an untranslated text."""

    def wrapped(text: str) -> str:
        result = function(str(text))
        return Fallback(result, text.marker, text.lang) if isinstance(text, Fallback) else result

    wrapped.__doc__ = function.__doc__
    return wrapped


@keeping_fallback
def typography(text: str) -> str:
    """What a typesetter does to running text: number ranges take an en dash ("2019–2024"), and
    a dash set between spaces stays on the line of the word before it.

    The no-break space also works around a WeasyPrint 70 line-breaking fault (a citation whose
    first line broke after "ASTRA"); tests/test_pdf.py watches for first lines of one word.
    Citations use no other no-break spaces or nowrap spans: they set off the same fault.
    """
    return SPACED_DASH.sub("\u00a0\\1 ", NUMBER_RANGE.sub("\u2013", text))


@keeping_fallback
def sentence_case(title: str) -> str:
    """A decision title in capitals, as a sentence for running text ("Strengthening efforts …")."""
    lowered = title.lower()
    return lowered[:1].upper() + lowered[1:]


@keeping_fallback
def first_upper(text: str) -> str:
    """A decision paragraph quoted on its own: in Russian it follows a chapeau in lower case."""
    return text[:1].upper() + text[1:]


@keeping_fallback
def last_words_together(text: str) -> str:
    """A title whose last line can never be a lone word ("… и 6/18")."""
    head, space, last = text.rpartition(" ")
    return f"{head}\u00a0{last}" if space else text


def shared_provisions(entry) -> tuple:
    """The provisions that cite every title of a directory entry, when they are the same for all
    (then the directory says them once); () when the titles differ."""
    lists = {tuple(provision.anchor for provision in item.provisions) for item in entry.items}
    return tuple(entry.items[0].provisions) if len(lists) == 1 else ()


def plain(text: str) -> str:
    """The text without its fallback mark, for attributes, bookmarks and the document title."""
    # marked as typeset, so that an attribute, a bookmark or the title keeps ordinary spaces
    return Typeset(str.__str__(text) if isinstance(text, str) else str(text))


def reference(provision: Provision, language: Language) -> str:
    """How a provision names its paragraph, in the wording of its document's kind ("MC Decision
    7/17, para 6", "A/RES/73/148, para 6")."""
    return language.gettext(provision.decision.kind.reference) % {
        "decision": provision.decision.id,
        "paragraph": provision.paragraph.number,
    }


def with_footnotes(
    text: str, introduction: Introduction, language: Language, typeset: Typesetter | None = None
) -> Markup:
    """Escaped text whose [^id] marks become footnotes (set at the foot of the page by CSS),
    typeset by the language's rules."""
    typeset = typeset or Typesetter(TypographyRules(language.lang))
    numbers = {footnote.id: footnote for footnote in introduction.footnotes}
    pieces = []
    position = 0
    for mark in FOOTNOTE_MARK.finditer(text):
        footnote = numbers.get(mark.group(1))
        if footnote is None:
            continue  # check and localize() refuse such a mark; were one to come here, it stays visible as text
        pieces.append(escape(typeset(text[position : mark.start()])))
        pieces.append(footnote_markup(footnote, language, typeset))
        position = mark.end()
    pieces.append(escape(typeset(text[position:])))
    markup = Markup("").join(pieces)
    if isinstance(text, Fallback):
        return Markup('<span class="fallback" lang="{}" data-marker="{}">{}</span>').format(
            text.lang, text.marker, markup
        )
    return markup


def footnote_markup(footnote, language: Language, typeset: Typesetter) -> Markup:
    body = escape(typeset(footnote.text)) if footnote.citation is None else citation_markup(footnote.citation, language)
    return Markup('<span class="footnote">{}</span>').format(body)


def citation_markup(citation: Citation, language: Language) -> Markup:
    """A citation in running text (a footnote): authors, title, year, pages, address."""
    publication: Publication = citation.publication
    version = publication.cited_in(language.lang, language.source)
    authors = typography(", ".join(version.authors))
    printed = ": ".join(part for part in (publication.place, publication.publisher) if part)
    imprint = f"{printed}, " if printed else ""  # a printed work's place and publisher
    head = Markup('<span lang="{}">{}</span>').format(
        version.lang, f"{authors}, {typography(version.title)}, {imprint}{publication.year}"
    )
    cited = f", {language.gettext('p.')} {typography(citation.pages)}" if citation.pages else ""
    url = Markup(', <a class="url" href="{0}">{0}</a>').format(version.url) if version.url else ""
    return Markup("{}{}{}.").format(head, cited, url)


def selection_title(compendium: Compendium, edition: Edition, language: Language) -> str:
    """What a handout covers, for its cover: a section's title, or a keyword."""
    kind, value = edition.selection
    if kind == "section":
        section = next(s for s in compendium.sections if s.numeral == value)
        return f"{language.gettext('Section')} {section.numeral}. {plain(section.title)}"
    keyword = next(k for k in compendium.keywords if k.id == value)
    return language.gettext("Keyword: %(keyword)s") % {"keyword": plain(keyword.label)}


def document_keywords(compendium: Compendium, language: Language) -> str:
    """The PDF's keywords: the keyword labels in the edition's order."""
    labels = sorted({plain(k.label) for k in compendium.keywords}, key=language.sort_key)
    return re.sub(r"\s+", " ", ", ".join(labels))


@dataclass(frozen=True)
class Proof:
    """A proof of one provision: its page alone, numbered and sided as in the edition."""

    provision: int
    page: int  # the printed page number of its first page in the edition

    def pages(self, section: Section) -> list[ProvisionPage]:
        return [page for page in provision_pages(section) if page.provision.number == self.provision]


def render_html(
    compendium: Compendium,
    edition: Edition,
    project: Project,
    language: Language,
    fallbacks: int = 0,
    proof: Proof | None = None,
    section_count: int | None = None,
) -> str:
    env = environment(project.layouts, language, typesetters(project, language))
    handout = edition.variant == "handout"
    template = env.get_template("proof.html" if proof else "handout.html" if handout else "compendium.html")
    if proof:
        env.globals["provision_pages"] = proof.pages
    env.globals["annex_kind"] = annex_kind(compendium.decisions)
    return template.render(
        proof=proof,
        compendium=compendium,
        meta=compendium.metadata,
        edition=edition,
        fallbacks=fallbacks,
        handout=handout,
        selection_title=selection_title(compendium, edition, language) if handout else "",
        keyword_table=keyword_table(compendium, language.sort_key),
        directory=directory(compendium, language.sort_key),
        pdf_keywords=document_keywords(compendium, language),
        stylesheets=[project.stylesheet(name).as_uri() for name in (*STYLESHEETS, *edition.stylesheets)],
        # generated from numbers and checked colours only (compendium/sectionstyle.py), never from source text
        section_styles=Markup(section_stylesheet(compendium, edition, project, section_count)),
    )
