"""Renders the compendium to HTML through the Jinja layouts; templates see only model objects."""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SecurityError
from markupsafe import Markup, escape

from ..derive import directory, keyword_table
from ..edition import Edition
from ..model import Citation, Compendium, Introduction, Part, Provision, Section, Topic
from ..source.assets import BUILDER
from ..source.catalogue import uri
from ..source.depth import TooDeep
from ..source.fields import FOOTNOTE_MARK
from ..source.inputs import note_absent, outside
from ..source.kinds import MIXED, annex_kind
from ..source.languages import N_, PUBLICATION_LANGUAGES
from ..source.problems import Problems
from ..source.project import Project
from ..source.translations import Fallback
from ..source.typography import TypographyRules, read_rules
from . import hardclock
from .handout import excerpt_gaps
from .locale import Language
from .sandbox import Exhausted, bounded_sandbox, install_gettext, overtime
from .sectionstyle import section_stylesheet
from .typography import NBSP, PHRASE, Typesetter

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

    def __reduce__(self) -> tuple:
        return TypographyError, (self.problems,)  # handed back from the render's process


def typeset_output(typesetter: dict[str, Typesetter], lang: str):
    """Jinja's finalize: every text a layout prints passes the language's rules (markup does not:
    it was built from texts typeset on the way)."""

    def finalize(value):
        if isinstance(value, Markup | Typeset) or not isinstance(value, str):
            return value
        if isinstance(value, Fallback):
            rules = typesetter.get(value.lang) or Typesetter(TypographyRules(value.lang))
            return value.like(rules(str(value)))
        return typesetter[lang](value)

    return finalize


class LayoutError(Exception):
    """A layout that cannot be rendered: one line, file:line first."""


class Layouts(jinja2.BaseLoader):
    """The project's own layouts first, then the builder's, file by file. A layout that is a link
    leaving the project (or the builder's assets) is refused; each path looked at in vain is noted
    for the cache (a project's layout added later takes the builder's place)."""

    def __init__(self, folders: list[Path], root: Path) -> None:
        self.folders = [Path(folder) for folder in folders]
        self.root = Path(root)
        self.last: Path | None = None  # the layout read last: the one a syntax error without a name is in

    def get_source(self, environment, template):
        pieces = split_template_path(template)
        for folder in self.folders:
            path = folder.joinpath(*pieces)
            if not path.is_file():
                note_absent(path)
                continue
            leaves = outside(path, self.root)
            if leaves is not None:
                raise LayoutError(
                    f"{shown_name(path, self.root)}: a link to {leaves}, outside the project folder "
                    "(a project's layouts must be its own files)"
                )
            self.last = path
            text = path.read_text(encoding="utf-8")
            mtime = path.stat().st_mtime
            return text, str(path), lambda path=path, mtime=mtime: path.stat().st_mtime == mtime
        raise jinja2.TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        names = {p.relative_to(f).as_posix() for f in self.folders if f.is_dir() for p in f.rglob("*.html")}
        return sorted(names)


def shown_name(path: Path | str, root: Path) -> str:
    """A layout's name in messages: relative to the project, or to the builder's folder."""
    path = Path(path)
    for base in (root, BUILDER):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return path.as_posix()


def environment(
    layouts: list[Path],
    language: Language,
    root: Path | None = None,
    loader: Layouts | None = None,
    typesetter: dict[str, Typesetter] | None = None,
) -> jinja2.Environment:
    """Every layout, the builder's and a project's, runs in Jinja's immutable sandbox: it can read
    the fields of the data it is given and call the filters registered here, and nothing else (no
    attribute beginning with _, no method that changes a list or dict, no Python code). A project
    folder is data, never code (README.md, "What a project folder can do")."""
    typesetter = typesetter or {language.lang: Typesetter(TypographyRules(language.lang))}
    env = bounded_sandbox(
        finalize=typeset_output(typesetter, language.lang),
        loader=loader or Layouts(layouts, root or BUILDER),  # the project's own layouts first, then the builder's
        autoescape=True,  # text from the source can never become markup
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Through Language.gettext (a kind's wording, an untranslated string marked); the interface
    # strings pass the language's rules before their placeholders are filled in. Jinja takes what
    # a gettext callable returns for markup: a catalogue's msgstr and a compendium's wording come
    # from the project folder like any text, so they are escaped here (a '<b>' prints as written).
    own = typesetter[language.lang]
    install_gettext(
        env,
        lambda message: escape(own(language.gettext(message))),
        lambda singular, plural, count: escape(own(language.ngettext(singular, plural, count))),
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
    # a text filled into an interface string's placeholder, which Jinja escapes but does not finalize
    env.filters["typeset"] = typeset_output(typesetter, language.lang)
    env.filters["shared_provisions"] = shared_provisions
    env.filters["uri"] = uri  # a link's address in ASCII: an IDN host as xn--… (attacker round 12, N4)
    env.filters["available_in"] = lambda codes: language.available_in(tuple(codes))
    env.filters["listed"] = language.listed
    env.filters["forthcoming"] = language.forthcoming
    env.filters["part_letter"] = language.part_letter
    env.filters["panel_order"] = language.panel_order
    env.filters["text_status"] = language.text_status
    env.filters["long_date"] = language.date
    env.filters["typography"] = typography
    env.filters["title_in_text"] = title_in_text
    env.filters["plain"] = plain
    env.filters["together"] = last_words_together
    env.filters["label_together"] = label_together
    env.filters["display_heading"] = lambda text: display_heading(text, _typesetter(text, typesetter, own))
    env.filters["heading_by_sense"] = lambda text, longest=PHRASE: heading_by_sense(
        text, _typesetter(text, typesetter, own), longest
    )
    env.filters["lines_together"] = lines_together
    env.filters["display_lines"] = lambda lines: display_lines(
        tuple(lines), env.filters["typeset"], env.filters["together"]
    )
    env.filters["last_word_whole"] = lambda text, join=True: last_word_whole(
        text, _last_word(text, typesetter, own, join)
    )
    env.filters["heading_together"] = heading_together
    env.filters["toc_entry"] = lambda text, ref: toc_entry(text, ref, _contents_words(text, typesetter, own))
    env.filters["first_upper"] = first_upper
    env.filters["contact_links"] = lambda line: contact_links(line, language.gettext("Website: %(address)s"))
    env.filters["with_footnotes"] = jinja2.pass_context(
        lambda context, text, intro: with_footnotes(text, intro, language, partial(cite_in_text, context), own)
    )
    env.globals["provision_pages"] = provision_pages
    env.globals["language_legend"] = lambda entries: language_legend(entries, language)
    env.globals["citation_note"] = lambda entries: citation_note(entries, language)
    env.globals["excerpt_gaps"] = excerpt_gaps
    env.globals["reference"] = lambda provision: reference(provision, language)
    env.globals["bare_citation"] = lambda publication: Citation(publication)
    env.globals["annex_kind"] = MIXED  # until render_html knows the compendium


def _typesetter(text: str, typesetter: dict[str, Typesetter], own: Typesetter) -> Typesetter:
    """The rules of a text's own language: an untranslated text's, else the edition's."""
    return typesetter.get(text.lang, own) if isinstance(text, Fallback) else own


def _last_word(
    text: str, typesetter: dict[str, Typesetter], own: Typesetter, join: bool = True
) -> tuple[str, str, str]:
    return _typesetter(text, typesetter, own).last_word(str(text), join)


CONTENTS_PHRASE = 52  # characters: the longest phrase a contents entry keeps on one line


def _contents_words(text: str, typesetter: dict[str, Typesetter], own: Typesetter) -> tuple[str, str, str]:
    """A contents entry, a heading's title, split before its last words: the heading rules' words
    kept with the next («всех форм»), the last word with the words before it (Russian editor,
    round 10: «…и органами / ОБСЕ», «…и борьбе / с ней» turned over alone)."""
    rules = _typesetter(text, typesetter, own)
    # its last words a phrase, as a heading's turnover ("…all forms of" / "Trafficking in Human
    # Beings (THB)", not "…Human" / "Beings (THB)": book designer, round 10)
    # and its lines broken between phrases ("…other forms of sexual" / "exploitation of children"
    # parted a noun phrase: book designer, round 10, S5)
    # (a contents line holds about 60 characters, in A5 too: «в том числе в целях сексуальной
    # эксплуатации,» is one phrase there, where a heading's line would halve it: book designer and
    # Russian editor, round 11)
    return rules.last_word(heading_together(rules.phrases(str(text), CONTENTS_PHRASE)), chunks=True)


NUMBER_RANGE = re.compile(r"(?<=\d)-(?=\d)")
SPACED_DASH = re.compile(r" ([-\u2013\u2014]) ")


def keeping_fallback(function):
    """A text filter that keeps the fallback mark of an untranslated text."""

    def wrapped(text: str, *args) -> str:
        result = function(str(text), *args)
        return text.like(result) if isinstance(text, Fallback) else result

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


def title_in_text(decision) -> str:
    """A decision's title as running text cites it: its `title_in_text` as written, else its title
    as written. The builder never changes a title's case (a lower-cased German noun is wrong)."""
    return decision.title_in_text or decision.title


CONTACT = re.compile(r"(?P<mail>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)|(?P<web>(?:https?://|www\.)[^\s,;]+[^\s,;.])")


def contact_links(line: str, website: str = "%(address)s") -> Markup:
    """An address line with its e-mail address and web address as links (a reader can follow
    them; printed as text they were a PDF/UA auditor's finding). Everything else stays text. A
    web link is described in words (`website`: "Website: %(address)s"), not as a bare address."""
    pieces, position = [], 0
    for match in CONTACT.finditer(line):
        pieces.append(escape(line[position : match.start()]))
        text = match.group(0)
        if match.group("mail"):
            pieces.append(Markup('<a href="mailto:{0}">{0}</a>').format(text))
        else:
            target = text if "://" in text else f"https://{text}"
            label = website % {"address": text}
            pieces.append(Markup('<a href="{}" aria-label="{}">{}</a>').format(target, label, text))
        position = match.end()
    pieces.append(escape(line[position:]))
    return Markup("").join(pieces)


@keeping_fallback
def first_upper(text: str) -> str:
    """A decision paragraph quoted on its own: in Russian it follows a chapeau in lower case."""
    return text[:1].upper() + text[1:]


SHORT_LINE = 10  # characters: a title's last line holds at least this many where it can
# characters: a heading's turnover (a keyword's, a statement's delegation, a keyword-table cell)
# holds at least this many where it can: «с жертвами» (10) alone under «Тема: лица, первыми
# вступающие в контакт», «Америки):» under «…Соединенных Штатов» (Russian editor, round 10)
HEADING_LINE = 18
TOGETHER = 28  # characters: two last words longer together may not fit a line of the cover title (28 pt)


def display_lines(lines: tuple[str, ...], typeset, together) -> Markup:
    """A display title (the cover's, the title page's) set line by line where the source marks its
    breaks (Metadata.title_lines: the editor's choice of sense, which no rule can make), each line
    typeset, the last never ending on a lone word."""
    shown = [typeset(line) for line in lines]
    shown[-1] = together(shown[-1])
    # the space before each break keeps the words apart in the tagged text (a screen reader's)
    return Markup(" <br>").join(escape(line) for line in shown)


def lines_together(lines: tuple[str, ...]) -> str:
    """A display title in running text (a handout's cover: "From the …"): its last marked line, if
    short, unbroken, so that the text breaks where the title's own lines do («… ОБСЕ» / «№ 6/17, 7/17
    и 6/18»); a title of one line keeps its last two words together."""
    lines = tuple(plain(line) for line in lines)
    if len(lines) > 1 and len(lines[-1]) <= TOGETHER:
        return Typeset(" ".join([*lines[:-1], lines[-1].replace(" ", "\u00a0")]))
    return last_words_together(" ".join(lines))


@keeping_fallback
def last_words_together(text: str) -> str:
    """A title whose last line can never be a lone word ("… и 6/18"), nor a short pair ("… in" /
    "Annex 1."): its last words go together until they hold SHORT_LINE characters, unless they are
    too long to share a line ("Kommunikationstechnologien ergeben" would run off the cover) or
    would be the whole text (a title of two words keeps the break between them: «УГОЛОВНОЕ
    ПРЕСЛЕДОВАНИЕ» on one line ran out of the A5 tab, Russian editor round 9)."""
    return _together(text, whole=False)


@keeping_fallback
def heading_together(text: str) -> str:
    """A heading's or a table cell's text whose turnover is a phrase, never a stub: its last words
    go together until they hold HEADING_LINE characters («Соединенных Штатов Америки):», «интересы
    ребенка»), never the whole text (the cell's column may be narrow)."""
    return _together(text, whole=False, short=HEADING_LINE)


@keeping_fallback
def label_together(text: str) -> str:
    """A keyword's label set inside a heading ("On supply chains:"): its last words go together as
    a heading's do, all of them if need be, since the heading's own words come before them."""
    return _together(text, whole=True, short=HEADING_LINE)


def _together(text: str, whole: bool, short: int = SHORT_LINE) -> str:
    head, space, last = text.rpartition(" ")
    joined = 0
    short = SHORT_LINE if NBSP in last else short  # the rules' own phrase ("AND\u00a0PROSECUTION")
    # the last word takes one word at least, unless the rules already joined it to the words before
    # it: "AND\u00a0PROSECUTION" is a phrase, and "ENFORCEMENT" taken too set "INVESTIGATION, LAW" /
    # "ENFORCEMENT AND PROSECUTION" (book designer, round 10)
    # (and a phrase the rules joined is long enough at SHORT_LINE: "ENFORCEMENT" taken before
    # "AND\u00a0PROSECUTION" in a contents entry could not follow "INVESTIGATION, LAW" on an A5 line)
    while space and ((joined == 0 and NBSP not in last) or len(last) < short):
        before, space_before, word = head.rpartition(" ")
        if (not space_before and not whole) or len(word) + 1 + len(last) > TOGETHER:
            break
        head, space, last, joined = before, space_before, f"{word}\u00a0{last}", joined + 1
    return f"{head}{space}{last}"


# a compound's own hyphen, between two letters ("CO-OPERATION")
OWN_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


@keeping_fallback
def display_heading(text: str, rules: Typesetter | None = None) -> str:
    """A display heading (an interpretative statement's: "… SECURITY AND CO-OPERATION IN EUROPE")
    that breaks no line at a compound's own hyphen ("CO-" / "OPERATION" reads as two words at a
    glance: a word joiner after the hyphen), nor after a word the language's table keeps with the
    next in headings ("IN" / "HUMAN BEINGS"), and whose last line is never a lone word ("EUROPE")."""
    text = OWN_HYPHEN.sub("-\u2060", text)
    return last_words_together(rules.heading(text) if rules is not None else text)


def heading_by_sense(text: str, rules: Typesetter, longest: int = PHRASE) -> Markup:
    """A decision's title or a statement's heading, a long display heading: its lines break only
    between phrases (Typesetter.phrases) of at most `longest` characters (the layout says what a
    line of its measure holds), never at a compound's own hyphen. A phrase of several pieces is a
    box of its own (.phrase): it starts a line, and breaks inside only where it must."""
    # (the joiner after the phrases are found: a name of the table holds the hyphen as written)
    markup = Markup(" ").join(_phrase_box(pieces) for pieces in rules.phrase_pieces(str(text), longest))
    markup = Markup(OWN_HYPHEN.sub("-\u2060", str(markup)))
    return text.span(markup) if isinstance(text, Fallback) else markup


# after a connector, a space that stays in the text where the box breaks (a plain space at a line
# end inside an inline box is dropped from the page's text: a screen reader read
# «ЧИСЛЕНЕСОПРОВОЖДАЕМЫМИ»), and a break after it
CONNECTOR_BREAK = "\u00a0\u200b"


def _phrase_box(pieces: list[str]) -> Markup:
    """A phrase as printed: one piece as it is; a connector and the rest, a box, and the rest a box
    of its own where a line could break in it («НЕСОПРОВОЖДАЕМЫМИ» / «НЕСОВЕРШЕННОЛЕТНИМИ» broke
    inside the box, A5)."""
    if len(pieces) == 1:
        return escape(pieces[0])
    rest = " ".join(pieces[1:])
    inner = Markup('<span class="phrase">{}</span>').format(rest) if " " in rest else escape(rest)
    return Markup('<span class="phrase">{}{}{}</span>').format(pieces[0], CONNECTOR_BREAK, inner)


# a word with a hyphen of its own, the words joined to it by no-break spaces before it ("о\u00a0штаб-квартирах")
# and the plain space before them (an inline box after a breakable space or within a run of no-break
# spaces makes WeasyPrint 70 break the word before it)
# and the punctuation after it, which would otherwise stand alone where a line breaks after the span
# (a screen reader then announces a lone comma)
COMPOUND = re.compile(r"( |^)((?:\S+\u00a0)*[^\w\s]*[^\W\d_]+(?:[-\u2010][^\W\d_]+)+[.,;:!?)\]»”’]*)(?![\w-])")


# a numbered reference with a dot between its parts ("paragraph IV.1(A)6"): a line may break after the
# dot, which leaves "IV." at a line's end
NUMBERED = re.compile(r"(?<![\w.])([A-Z]+\.\d[\w()]*)")


# a day joined to its month by the rules' no-break space («8\u00a0декабря»): hyphenated, it read
# «8 дека-» / «бря 2017 г.» (Russian editor, round 11); with the words the rules join to it and the
# plain space before them, as a compound's (an inline box after a breakable space or inside a run of
# no-break spaces makes WeasyPrint 70 break the word before it: «несопровождае-» / «мыми»)
DAY_MONTH = re.compile(r"( |^)((?:[^\s<>]+\u00a0)*\d{1,2}\u00a0[^\W\d_]{3,})(?![\w-])")


def whole_dates(markup: Markup) -> Markup:
    """Escaped text whose dates (a day and its month) are never hyphenated (.date)."""
    return Markup(DAY_MONTH.sub(r'<span class="date">\1\2</span>', str(markup)))


def compounds(text: str) -> Markup:
    """The text escaped, each word that holds a hyphen of its own («государствами-участниками»,
    "anti-trafficking") in a span that breaks only at that hyphen: a hyphenation inside it would
    set a second hyphen into the word, and a line ending at its hyphen already counts towards a
    ladder of hyphens (styles/base.css, .compound). The space before it goes into the span, as
    for the last word, with the words a no-break space joins to it. A numbered reference
    ("IV.1(A)6") is kept on one line (.whole)."""
    marked = COMPOUND.sub(r'<span class="compound">\1\2</span>', str(escape(text)))
    return whole_dates(Markup(NUMBERED.sub(r'<span class="whole">\1</span>', marked)))


def last_word_whole(text: str, pieces: tuple[str, str, str]) -> Markup:
    """A paragraph (typeset by its language's rules and split before its last word: `pieces`)
    whose last word is set in a span that is never hyphenated; an untranslated text keeps its
    fallback wrapper (mark and language) around the whole."""
    head, space, tail = pieces
    # the space inside the span: a breakable space before an inline box of other hyphens makes
    # WeasyPrint 70 break after the next word fragment (layouts/_words.html)
    markup = Markup('{}<span class="last-word">{}{}</span>').format(compounds(head), space, tail)
    if isinstance(text, Fallback):
        return text.span(markup)
    return markup


def toc_entry(text: str, ref: Markup, pieces: tuple[str, str, str]) -> Markup:
    """A contents entry whose page reference (leader and number) never stands alone on a turnover
    line: its last word goes with it, unbroken (styles/components.css, .toc-tail)."""
    head, space, tail = pieces
    if isinstance(text, Fallback):  # the mark and language around the title; the reference after it
        return Markup("{}{}").format(text.span(Markup("{}{}{}").format(head, space, tail)), ref)
    return Markup('{}{}<span class="toc-tail">{}{}</span>').format(head, space, tail, ref)


OPEN, CLOSE = "\ue000", "\ue001"  # an interface string printed untranslated (render.locale.Language.gettext)
TAG = re.compile(r"<[^>]*>")


def mark_interface_fallbacks(html: str, lang: str, marker: str) -> str:
    """The interface strings printed in the source language marked as content fallbacks are: a
    span with the mark and the language; in an attribute or the document's head, the plain text."""
    if OPEN not in html:
        return html
    body = html.find("<body")
    head, rest = (html[:body], html[body:]) if body >= 0 else ("", html)
    head = head.replace(OPEN, "").replace(CLOSE, "")
    rest = TAG.sub(lambda tag: tag.group(0).replace(OPEN, "").replace(CLOSE, ""), rest)
    opening = Markup('<span class="fallback" lang="{}" data-marker="{}">').format(
        lang, marker.replace(OPEN, "").replace(CLOSE, "")
    )
    return head + rest.replace(OPEN, opening).replace(CLOSE, "</span>")


MARK_SPAN = re.compile(r'<span class="fallback"(?P<attributes>[^>]*)>(?P<start>[^<]*)')
MARK_TEXT = re.compile(r'data-text="(?P<key>[^"]*)"')


@dataclass(frozen=True)
class Marks:
    """The fallback marks of a document as its imprint counts them: the texts not yet translated
    and the texts whose translation is out of date (made from an earlier English), each with the
    places they are printed at."""

    missing: int = 0
    missing_places: int = 0
    stale: int = 0
    stale_places: int = 0

    def __bool__(self) -> bool:
        return bool(self.missing_places or self.stale_places)


def marks(html: str) -> Marks:
    """The marks of the document's body, by kind; an interface string (no text id) is one text
    whatever its number of places."""
    missing: list[str] = []
    stale: list[str] = []
    for span in MARK_SPAN.finditer(html, max(html.find("<body"), 0)):
        key = MARK_TEXT.search(span["attributes"])
        (stale if " data-stale" in span["attributes"] else missing).append(
            key["key"] if key and key["key"] else f"interface: {span['start']}"
        )
    return Marks(len(set(missing)), len(missing), len(set(stale)), len(stale))


def shared_provisions(entry, directory=()) -> tuple:
    """The provisions that cite every title of a directory entry, when they are the same for all
    (then the directory says them once, under the keyword); () when the titles differ. A keyword
    of one title says them where the rest of the `directory` does: under the keyword while every
    keyword of several titles does so, else under its title, as those whose titles differ."""
    lists = {tuple(provision.anchor for provision in item.provisions) for item in entry.items}
    if len(lists) != 1:
        return ()
    if len(entry.items) == 1 and any(not shared_provisions(other) for other in directory if len(other.items) > 1):
        return ()
    return tuple(entry.items[0].provisions)


def plain(text: str) -> str:
    """The text without its fallback mark, for attributes, bookmarks and the document title, with
    ordinary spaces: a bookmark or a title does not wrap, and a no-break space the interface
    string's rules put in («по\u00a0ключевым») is a different character to a search."""
    # marked as typeset, so that the rules do not put the no-break spaces back
    raw = text.unescape() if isinstance(text, Markup) else str.__str__(text) if isinstance(text, str) else str(text)
    return Typeset(raw.replace("\u00a0", " "))


# Languages Babel's data does not name (Montenegrin, ISO 639-3 cnr): named by the catalogue.
LANGUAGE_NAMES = {"cnr": N_("Montenegrin")}


def language_legend(entries, language: Language) -> str:
    """ "ENG – English, RUS – Russian" / «АНГЛ – английский, РУС – русский»: the codes of the
    publications in the directory, in the order the edition's language sorts them."""
    codes = {code for entry in entries for item in entry.items for code in item.publication.languages}
    names = language.locale.languages

    def name(code: str) -> str:
        iso = PUBLICATION_LANGUAGES.get(code, "")
        return names.get(iso) or language.gettext(LANGUAGE_NAMES.get(iso, code))

    pairs = sorted(
        ((language.gettext(code), name(code)) for code in codes),
        key=lambda pair: language.sort_key(pair[0]),
    )
    # a code never parted from its name («БОС —» / «боснийский» broke a Russian legend)
    return ", ".join(f"{code}\u00a0–\u00a0{name}" for code, name in pairs)


def cites_other_languages(entries, language: Language) -> bool:
    """True when a publication of the directory is cited under a title in another language than
    the edition's (its original, no version in the edition's language being verified)."""
    return any(
        item.publication.cited_in(language.lang, language.source).lang != language.lang
        for entry in entries
        for item in entry.items
    )


def citation_note(entries, language: Language) -> str:
    """Which note says where the cited titles come from: "catalogue" in the source's language (all
    as the catalogue gives them), "unchecked" in another where no version in it is cited (none has
    been checked), "checked" where some are; "" where every title is in the edition's language."""
    if not cites_other_languages(entries, language):
        return ""
    if language.lang == language.source:
        return "catalogue"
    checked = any(
        item.publication.cited_in(language.lang, language.source).lang
        == language.lang
        != item.publication.entry_language(language.source)
        for entry in entries
        for item in entry.items
    )
    return "checked" if checked else "unchecked"


def reference(provision: Provision, language: Language) -> str:
    """How a provision names its paragraph, in the wording of its document's kind ("MC Decision
    7/17, para 6", "A/RES/73/148, para 6")."""
    wording = provision.decision.reference or provision.decision.kind.reference
    return language.gettext(wording) % {
        "decision": provision.decision.id,
        "paragraph": provision.paragraph.number,
    }


def with_footnotes(
    text: str,
    introduction: Introduction,
    language: Language,
    cite: Callable[[Citation], Markup],
    typeset: Typesetter | None = None,
) -> Markup:
    """Escaped text whose [^id] marks become footnotes (set at the foot of the page by CSS),
    typeset by the language's rules; `cite` formats a footnote's citation (cite_in_text)."""
    typeset = typeset or Typesetter(TypographyRules(language.lang))
    numbers = {footnote.id: footnote for footnote in introduction.footnotes}
    pieces = []
    position = 0
    for mark in FOOTNOTE_MARK.finditer(text):
        footnote = numbers.get(mark.group(1))
        if footnote is None:
            continue  # check and localize() refuse such a mark; were one to come here, it stays visible as text
        pieces.append(whole_dates(escape(typeset(text[position : mark.start()]))))
        body = cite(footnote.citation) if footnote.citation is not None else escape(typeset(footnote.text or ""))
        pieces.append(Markup('<span class="footnote">{}</span>').format(body))
        position = mark.end()
    pieces.append(whole_dates(escape(typeset(text[position:]))))
    markup = Markup("").join(pieces)
    if isinstance(text, Fallback):
        return text.span(markup)
    return markup


def cite_in_text(context: jinja2.runtime.Context, citation: Citation) -> Markup:
    """A citation in running text, formatted by the same layout as in a panel or the directory
    (_citation.html, the project's own if it has one), with the variables of the layout citing it."""
    layout = context.environment.get_template("_citation.html")
    return Markup(layout.render({**context.get_all(), "citation": citation, "running": True}).strip())


def selection_title(compendium: Compendium, edition: Edition, language: Language) -> str:
    """What a handout covers, for its cover: a section's title, or a keyword."""
    assert edition.selection is not None, "only a handout, which has a selection, has a selection title"
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


def located(error: Exception, root: Path, last: Path | None = None) -> str:
    """One line for a layout's fault: the layout and line where it happened, and what happened.
    `last`: the layout read last, which a syntax error found by Jinja's lexer does not name."""
    if isinstance(error, LayoutError):
        return str(error)
    if isinstance(error, jinja2.TemplateSyntaxError):
        filename = error.filename or last
        where = f"{shown_name(filename, root)}:{error.lineno or 1}" if filename else str(error.name or "a layout")
        message = " ".join(str(error.message or "cannot be parsed").split())
        return f"{where}: {message}" if isinstance(error, TooDeep) else f"{where}: layout syntax error: {message}"
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename.endswith(".html") and Path(frame.filename).is_file()
    ]
    where = f"{shown_name(frames[-1].filename, root)}:{frames[-1].lineno}: " if frames else ""
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    if isinstance(error, jinja2.TemplateNotFound):
        return f"{where}layout '{error.name}' not found (in the project's layouts/ nor the builder's)"
    if isinstance(error, Exhausted):
        return f"{where}refused: the layout {message}"
    if isinstance(error, SecurityError):
        return f"{where}refused: {message} (layouts run in a sandbox: they read fields and call filters only)"
    if isinstance(error, jinja2.UndefinedError):
        return f"{where}{message} (the layout uses a field the data does not have)"
    return f"{where}the layout failed: {type(error).__name__}: {message}"


def render_html(
    compendium: Compendium,
    edition: Edition,
    project: Project,
    language: Language,
    fallbacks: Marks | int = 0,
    proof: Proof | None = None,
    section_count: int | None = None,
    booklet: tuple[int, int, tuple[tuple[str, ...], ...]] | None = None,
    alone: str = "",
) -> str:
    """The edition's HTML; LayoutError (one located line) when a layout cannot be rendered.
    `alone`: only that page ("cover": the print shop's front cover, "spine"); `booklet` (number,
    count): only the cover of that booklet of an office booklet split in several (from the second
    on, with the imprint, counting the marks `fallbacks` gives). It runs in a process of its own,
    under the hard clock (hardclock.py)."""
    args = (compendium, edition, project, language, fallbacks, proof, section_count, booklet, alone)
    try:
        return hardclock.apart(_rendered_apart, *args)
    except hardclock.Overrun as overrun:
        where = "".join(f"{shown_name(name, project.root)}:{line}: " for name, line in overrun.frames[-1:])
        raise LayoutError(f"{where}refused: the layout {overtime()}") from None


def _rendered_apart(compendium, edition, project, language, fallbacks, proof, section_count, booklet, alone) -> str:
    """render_html(), in the render's own process."""
    loader = Layouts(project.layouts, project.root)
    typesetter = typesetters(project, language)
    try:
        if booklet or alone:
            page = "spine.html" if alone == "spine" else "booklet_cover.html"
            return _render_alone(page, compendium, edition, project, language, booklet, loader, typesetter, fallbacks)
        return _render_html(compendium, edition, project, language, fallbacks, proof, section_count, loader, typesetter)
    except (jinja2.TemplateError, LayoutError) as error:
        raise LayoutError(located(error, project.root, loader.last)) from None
    except (Exception, RecursionError) as error:  # noqa: BLE001 - a project's layout may raise anything
        if not any(frame.filename.endswith(".html") for frame in traceback.extract_tb(error.__traceback__)):
            raise  # not a layout's fault
        raise LayoutError(located(error, project.root)) from None


def _render_html(
    compendium: Compendium,
    edition: Edition,
    project: Project,
    language: Language,
    fallbacks: Marks | int,
    proof: Proof | None,
    section_count: int | None,
    loader: Layouts,
    typesetter: dict[str, Typesetter],
) -> str:
    env = environment(project.layouts, language, project.root, loader, typesetter)
    handout = edition.variant.is_selection
    template = env.get_template("proof.html" if proof else "handout.html" if handout else "compendium.html")
    if proof:
        env.globals["provision_pages"] = proof.pages
    env.globals["annex_kind"] = annex_kind(compendium.decisions)
    marker = language.gettext(language.source.upper())
    # The imprint counts the marks the pages show: rendered again until its count is the count
    # (a number given is only a hint that there are marks).
    counted = fallbacks if isinstance(fallbacks, Marks) else Marks()
    for _ in range(4):
        html = mark_interface_fallbacks(
            _render(template, compendium, edition, project, language, counted, proof, section_count, handout),
            language.source,
            marker,
        )
        found = marks(html)
        if found == counted:
            break
        counted = found
    return html


def _render_alone(page, compendium, edition, project, language, booklet, loader, typesetter, fallbacks) -> str:
    env = environment(project.layouts, language, project.root, loader, typesetter)
    env.globals["booklet"] = {"number": booklet[0], "count": booklet[1], "holdings": booklet[2]} if booklet else None
    env.globals["annex_kind"] = annex_kind(compendium.decisions)  # a later booklet's imprint names them
    template = env.get_template(page)
    # a later booklet's imprint counts the marks of the edition's pages, given as `fallbacks`
    counted = fallbacks if isinstance(fallbacks, Marks) else Marks()
    return _render(template, compendium, edition, project, language, counted, None, None, False)


def _render(template, compendium, edition, project, language, fallbacks, proof, section_count, handout) -> str:
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
        # generated from numbers and checked colours only (compendium/render/sectionstyle.py), never from source text
        section_styles=Markup(section_stylesheet(compendium, edition, project, section_count)),
    )
