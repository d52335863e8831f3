"""The compendium as typed, immutable objects: what a provision, citation or decision paragraph is."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


@dataclass(frozen=True, order=True)
class Origin:
    """Where a piece of source data was written: file (relative to the project) and line."""

    file: str
    line: int

    def __str__(self) -> str:
        # a file name that is not UTF-8 (held with surrogates) shown by its bytes, as \xe9: it
        # could not be printed otherwise (attacker round 13, M3)
        shown = self.file.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        return f"{shown}:{self.line}"


NOWHERE = Origin("<none>", 0)


@dataclass(frozen=True)
class Keyword:
    """A theme of the resource panels, printed as "On <label>:"."""

    id: str
    label: str
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Version:
    """A publication's version in an edition's language: its own title, authors and address,
    each optional (what is not given is cited as in the source language)."""

    lang: str  # ISO 639-1, as an edition's language
    title: str | None = None
    authors: tuple[str, ...] | None = None
    url: str | None = None
    verified: bool = False  # an editor confirmed the title and address as the publisher's own
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Cited:
    """What a citation prints of a publication in one edition: the version in the edition's
    language where the catalogue has one, the source-language metadata otherwise."""

    authors: tuple[str, ...]
    title: str
    url: str | None
    lang: str  # the language of the title and authors as printed


# What a publication is (publications.yaml's `type`); the first two are parts of a larger work.
PART_TYPES = ("article", "chapter")
PUBLICATION_TYPES = (*PART_TYPES, "book", "report", "document", "web page")


@dataclass(frozen=True)
class Publication:
    """One entry of the literature catalogue, cited from any number of panels."""

    id: str
    authors: tuple[str, ...]
    title: str
    year: int
    url: str | None = None
    languages: tuple[str, ...] = ()
    forthcoming: str | None = None
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)
    versions: tuple[Version, ...] = ()
    publisher: str | None = None  # a printed work's publisher, cited before its year
    place: str | None = None  # where a printed work was published
    doi: str | None = None  # "10.1000/xyz123", printed and linked as https://doi.org/10.1000/xyz123
    container: str | None = None  # the journal or series an article or report appears in
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None  # the pages an article takes in its container ("45-67")
    edition: str | None = None  # "2nd edition", as written
    editors: tuple[str, ...] = ()  # the editors of an edited work, or of the book a chapter is in
    # the ISO 639-1 codes of its `languages` in the order the catalogue lists them ("de" for GER)
    written_in: tuple[str, ...] = ()
    type: str | None = None  # what it is (PUBLICATION_TYPES): an article, a chapter, a book, a report

    @property
    def is_part(self) -> bool:
        """A part of a larger work (an article in a journal, a chapter in a book): its title in
        quotation marks, its container in italic. Without a `type`, a work with a container and
        the pages it takes there is one."""
        if self.type is not None:
            return self.type in PART_TYPES
        return bool(self.container and self.pages)

    @property
    def doi_url(self) -> str | None:
        return f"https://doi.org/{self.doi}" if self.doi else None

    def version(self, lang: str) -> Version | None:
        return next((v for v in self.versions if v.lang == lang), None)

    def cited_in(self, lang: str, source_lang: str = "en") -> Cited:
        """The publication as an edition in `lang` cites it. A version without a title of its
        own is cited in the source language, as a whole: a Russian author line before an
        English title would read as a Russian publication. An unverified version is not cited at
        all: a reader could not find the work by a title the publisher may not use."""
        version = self.version(lang)
        if version is not None and not version.verified:
            version = None  # never cited under a title or address nobody checked: the original is
        if version is None or version.title is None:
            return Cited(
                self.authors, self.title, (version and version.url) or self.url, self.entry_language(source_lang)
            )
        return Cited(version.authors or self.authors, version.title, version.url or self.url, lang)

    def entry_language(self, source_lang: str) -> str:
        """The language the entry itself (its title and authors) is written in: the source's,
        unless the publication's languages leave it out (a German-only report in an English
        compendium is cited by its German title); then the first language the catalogue lists."""
        if not self.written_in or source_lang in self.written_in:
            return source_lang
        return self.written_in[0]


@dataclass(frozen=True)
class Citation:
    """A publication as cited in one panel group; the pages belong to the citation."""

    publication: Publication
    pages: str | None = None
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class ResourceGroup:
    """One "On <keyword>:" group of a provision's "Resources by keyword" panel."""

    keyword: Keyword
    citations: tuple[Citation, ...]
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Item:
    """A lettered sub-item (a), (b) ... of an operative paragraph."""

    label: str
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A numbered operative paragraph of a decision."""

    decision: str
    number: str  # as adopted and cited: "5", "12", "CBM 12", "IV.1(A)6"
    text: str
    items: tuple[Item, ...] = ()
    text_after: str | None = None
    not_covered: str | None = None
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)
    kind_anchor: str = field(kw_only=True)  # the prefix of its document's link targets (DocumentKind.anchor)

    @property
    def anchor(self) -> str:
        return f"{self.kind_anchor}-{slug(self.decision)}-para-{slug(self.number)}"


@dataclass(frozen=True)
class Statement:
    """An interpretative statement attached to a decision."""

    attachment: str
    heading: str
    delegation: str
    paragraphs: tuple[str, ...]
    original_language: str | None = None


# What the text of a decision in an edition is: the text as adopted (in its source language),
# an official translation issued by the body that adopted it, an unofficial translation made for the edition, or a
# text whose origin nobody has checked against the official document (say so rather than guess which it is).
class TextStatus(StrEnum):
    """What a decision's printed text is in an edition."""

    ORIGINAL = "original"  # the text as the source holds it, in its own language
    OFFICIAL = "official"  # an official translation, with its source (symbol or address)
    UNOFFICIAL = "unofficial"  # a translation made for the edition
    UNCHECKED = "unchecked"  # not checked against the issuing body's official text in this language


class Wording(str):
    """An interface wording: the English text (a gettext message id, placeholders written
    %(name)s), with the texts a kind file or the compendium gives for other languages."""

    by_language: tuple[tuple[str, str], ...]

    def __new__(cls, english: str, by_language: tuple[tuple[str, str], ...] = ()) -> Wording:
        made = super().__new__(cls, english)
        made.by_language = by_language
        return made

    def in_language(self, lang: str) -> str | None:
        return dict(self.by_language).get(lang)


@dataclass(frozen=True)
class DocumentKind:
    """A kind of annexed document (an OSCE Ministerial Council decision, a UN General Assembly
    resolution ...): how its id and symbol are written, which header fields it has and which
    layout prints them, and the interface strings (gettext message ids) that name it."""

    id: str
    issuer: str  # the issuing body, as an interface string
    document: str  # what one document is called ("decision", "resolution")
    id_pattern: str  # a regular expression an id must match in full
    id_example: str
    symbol: str  # the symbol an id gives ("MC.DEC/{id}"), checked when the kind is strict
    number_line: str | None  # the number line an id gives ("DECISION No. {id}"), checked likewise
    header: str  # the layout that prints the header fields
    required: tuple[str, ...]  # header fields a document of this kind must have
    optional: tuple[str, ...]  # header fields it may have
    reference: str  # "MC Decision %(decision)s, para %(paragraph)s"
    tab_label: str  # "MC Decision provision", above the provision number on the side tab
    annex_title: str  # "Texts of the Decisions"
    contents_label: str  # "Decision No.", before the id in the contents and the imprint
    status_heading: str  # "The texts of the decisions in Annex 1:", before each text's status in the imprint
    excerpt_note: str  # what a handout says of the excerpted paragraphs ("numbered as in the decision")
    anchor: str  # the prefix of the document's link targets
    year_in_header: bool  # the header repeats the year of the date (checked to agree)
    name: str = ""  # what the kind is, for messages ("OSCE Permanent Council decision")
    # the generic header prints the meeting line after the number line, as a UN SC resolution has it
    meeting_after_number: bool = False
    # what a handout's cover says of the paragraphs it annexes ("The decision paragraphs presented are in Annex 1.")
    handout_scope: str = "The document paragraphs presented are in Annex 1."
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)  # the kind file that declares it
    # the project's id_pattern compiled and timed (source/patterns.py ProjectPattern); None: the builder's own
    id_matcher: Any = field(default=None, compare=False, repr=False)


def slug(text: str) -> str:
    """An id as a link target: "A/RES/73/148" as "A-RES-73-148", "6/17" as "6-17"."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


@dataclass(frozen=True)
class Decision:
    """The official text of one annexed document: a decision, resolution or recommendation, its
    header fields as its kind has them (those it has not are None)."""

    id: str
    symbol: str
    organization: str
    date: datetime.date
    body: str
    title: str
    opening: str
    preamble: tuple[str, ...]
    paragraphs: tuple[Paragraph, ...]
    kind: DocumentKind
    city: str | None = None
    year: int | None = None
    original_language: str | None = None
    meeting: str | None = None
    journal: str | None = None
    agenda_item: str | None = None
    number_line: str | None = None
    session: str | None = None  # "Seventy-third session"
    distribution: str | None = None  # "Distr.: General"
    issued: datetime.date | None = None  # the date the document was issued, when not that of adoption
    report: str | None = None  # "[on the report of the Third Committee (A/73/592)]"
    addressees: str | None = None  # "of the Committee of Ministers to member States"
    statements: tuple[Statement, ...] = ()
    chapeau: str | None = None
    document_code: str | None = None
    title_in_text: str | None = None  # the title as running text cites it, when not as written
    reference: str | None = None  # how its paragraphs are cited, when not as its kind cites them
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)
    text_status: TextStatus = TextStatus.ORIGINAL  # as the edition prints it
    # a handout's excerpt: the numbers of all the document's paragraphs, of which `paragraphs` are some
    excerpt_of: tuple[str, ...] = ()
    text_source: str | None = None  # where an official translation comes from (symbol or address)

    @property
    def anchor(self) -> str:
        return f"{self.kind.anchor}-{slug(self.id)}"

    def paragraph(self, number: str | int) -> Paragraph | None:
        """The paragraph numbered so ("2", or 2: a number as adopted may also be "2 bis")."""
        return next((p for p in self.paragraphs if p.number == str(number)), None)


@dataclass(frozen=True)
class Provision:
    """A decision paragraph as it stands in the compendium, with its resource panel."""

    number: int
    decision: Decision
    paragraph: Paragraph
    resources: tuple[ResourceGroup, ...]
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)

    @property
    def label(self) -> str:
        """The printed number: 01, 02 ..."""
        return f"{self.number:02d}"

    @property
    def anchor(self) -> str:
        return f"provision-{self.label}"

    @property
    def keywords(self) -> tuple[Keyword, ...]:
        return tuple(group.keyword for group in self.resources)


@dataclass(frozen=True)
class Topic:
    """A numbered topic heading within a part ("1. Capacity-building and training")."""

    id: str
    number: int
    title: str
    provisions: tuple[Provision, ...]


@dataclass(frozen=True)
class Part:
    """A lettered part of a section ("A. Recommended action at the national level")."""

    id: str
    letter: str
    title: str
    topics: tuple[Topic, ...] = ()
    provisions: tuple[Provision, ...] = ()  # only for a part without topics

    @property
    def all_provisions(self) -> tuple[Provision, ...]:
        return self.provisions + tuple(p for t in self.topics for p in t.provisions)


@dataclass(frozen=True)
class Section:
    """A section of provisions (the OSCE compendium has four, one per P of the 4P framework)."""

    id: str
    number: int
    title: str
    parts: tuple[Part, ...]
    direct: tuple[Provision, ...] = ()  # only for a section without parts
    colour: str | None = None  # "#rrggbb" from the source; None: the palette's (compendium/render/sectionstyle.py)
    tint: str | None = None  # the provision box's; None: the palette's, or computed from the colour
    short_title: str | None = None  # for a side tab too small for the title (the A5 booklet's)

    @property
    def numeral(self) -> str:
        return to_roman(self.number)

    @property
    def provisions(self) -> tuple[Provision, ...]:
        return self.direct + tuple(p for part in self.parts for p in part.all_provisions)


@dataclass(frozen=True)
class Footnote:
    """A footnote of the introduction: a catalogued publication cited, or plain text."""

    id: str
    number: int
    citation: Citation | None = None
    text: str | None = None


@dataclass(frozen=True)
class Block:
    """A paragraph or a bulleted list of the introduction."""

    form: str  # "paragraph" or "list"
    texts: tuple[str, ...]
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Introduction:
    """The introduction: its title, paragraphs and lists, and its footnotes in order."""

    title: str
    blocks: tuple[Block, ...]
    footnotes: tuple[Footnote, ...] = ()


@dataclass(frozen=True)
class Brand:
    """How the publication looks as its organisation's (compendium.yaml's `brand`): the cover's and
    headings' colour, the section colours in order, and a logo on the cover; each None or empty
    where the builder's own (styles/tokens.css) stands. Colours are checked #rrggbb."""

    colour: str | None = None
    palette: tuple[tuple[str, str | None], ...] = ()  # (colour, tint or None), section 1 first
    logo: str | None = None  # a file in the project's images/ folder, as written ("coe-logo.svg")


@dataclass(frozen=True)
class Metadata:
    """What the cover and imprint page say about the publication."""

    title: str
    subtitle: str
    publisher: str
    publisher_short: str
    organization: str
    year: int
    language: str
    edition: str
    address: tuple[str, ...]
    imprint: tuple[str, ...]
    # what the imprint says of the annexed texts as a whole ("… reproduced in the Annex are the
    # official English texts …"): a handout, whose annex holds extracts, says so instead
    annex_note: str = ""
    # the title and subtitle as the cover sets them, line by line: where the source's text (or its
    # translation) marks a break with " | " (the editor's choice of sense, «Сборник решений |
    # Совета министров ОБСЕ | № 6/17, 7/17 и 6/18»); everywhere else they read as one text
    title_lines: tuple[str, ...] = ()
    subtitle_lines: tuple[str, ...] = ()
    # The compendium's own wording for interface strings (compendium.yaml's `wording`): the English
    # string the builder or a kind uses, with what this compendium prints instead.
    wording: tuple[tuple[str, Wording], ...] = ()
    brand: Brand = Brand()


def with_display_lines(meta: Metadata) -> Metadata:
    """The metadata with its title and subtitle split where they mark a line break (" | ")."""
    lines: dict[str, Any] = {}
    for name in ("title", "subtitle"):
        text, known = getattr(meta, name), getattr(meta, f"{name}_lines")
        if LINE_BREAK in text:
            parts = tuple(part.strip() for part in text.split(LINE_BREAK))
        elif type(text) is str and known and " ".join(known) == text:
            parts = known  # split before: the text kept (an edition in the source's language)
        else:
            parts = (text,)  # one line; a text printed untranslated keeps its mark (a str of its own)
        lines[name] = " ".join(parts) if len(parts) > 1 else text
        lines[f"{name}_lines"] = parts
    return replace(meta, **lines)


LINE_BREAK = " | "


@dataclass(frozen=True)
class Compendium:
    """Everything the PDF shows, loaded, checked and linked."""

    metadata: Metadata
    introduction: Introduction
    sections: tuple[Section, ...]
    decisions: tuple[Decision, ...]  # in annex order
    keywords: tuple[Keyword, ...]
    publications: tuple[Publication, ...]

    @property
    def provisions(self) -> tuple[Provision, ...]:
        return tuple(p for s in self.sections for p in s.provisions)

    @property
    def citations(self) -> tuple[Citation, ...]:
        return tuple(c for p in self.provisions for g in p.resources for c in g.citations)

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(p for d in self.decisions for p in d.paragraphs)

    def with_provisions(
        self, change: Callable[[Provision], Provision], retitle: Callable[..., str] | None = None
    ) -> Compendium:
        """The compendium with each provision replaced by change(provision) where it is placed, and
        with retitle(level, id, title, field) the title of each section, part and topic ("topic",
        "capacity-building", its title, "title") and a section's short title (field "short_title"):
        the one traversal of the structure for whoever rewrites it."""

        def title(level: str, id: str, old: str, field: str = "title") -> str:
            return retitle(level, id, old, field) if retitle else old

        def short(s: Section) -> str | None:
            return title("section", s.id, s.short_title, "short_title") if s.short_title is not None else None

        def provisions(placed: tuple[Provision, ...]) -> tuple[Provision, ...]:
            return tuple(map(change, placed))

        def part(p: Part) -> Part:
            heading = title("part", p.id, p.title)  # before its topics': retitle sees them in reading order
            topics = tuple(
                replace(t, title=title("topic", t.id, t.title), provisions=provisions(t.provisions)) for t in p.topics
            )
            return replace(p, title=heading, topics=topics, provisions=provisions(p.provisions))

        sections = tuple(
            replace(
                s,
                title=title("section", s.id, s.title),
                short_title=short(s),
                parts=tuple(map(part, s.parts)),
                direct=provisions(s.direct),
            )
            for s in self.sections
        )
        return replace(self, sections=sections)

    def summary(self) -> str:
        return (
            f"{len(self.sections)} sections, {len(self.provisions)} provisions, "
            f"{len(self.decisions)} decisions, {len(self.paragraphs)} paragraphs, "
            f"{len(self.keywords)} keywords, {len(self.publications)} publications, "
            f"{len(self.citations)} citations"
        )


def to_roman(number: int) -> str:
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, numeral in numerals:
        while number >= value:
            out += numeral
            number -= value
    return out
