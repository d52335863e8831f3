"""The build of one edition: load and validate, translate, render HTML, lay out with WeasyPrint,
write, finish, move into place; timed per stage."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from html import unescape as html_unescape
from pathlib import Path
from typing import TYPE_CHECKING

from .derive import place_names
from .edition import PAPER_SIZE, Edition, Variant
from .model import Compendium, Origin
from .pdf.glyphs import missing_glyphs
from .pdf.output import OutputError, page_count, put_all_in_place, workspace
from .pdf.problems import (
    NO_ALT_LOGGED,
    character_at,
    drawn_problems,
    dropped_images,
    engine_failure,
    inline_svg_problems,
    link_problems,
    own_styles,
    refused_problems,
    unlabelled_at,
    unlabelled_images,
    weasyprint_warnings,
    written_at,
)
from .render.handout import SelectionError, select
from .render.html import (
    LayoutError,
    Marks,
    Proof,
    TypographyError,
    document_keywords,
    marks,
    render_html,
    selection_title,
)
from .render.leftout import content_unprinted
from .render.locale import Language
from .render.nesting import nesting_problem
from .render.omitted import Expected, cover_at, expected, missing, provisions_unprinted, unseen
from .render.sectionstyle import StyleError
from .source.css import (
    CONTENT_IMAGE,
    DATA_FONT,
    LOCAL,
    LOCAL_FONT,
    font_face_families,
    styled_content_images,
    styled_data_fonts,
    styled_nesting,
    styled_references,
)
from .source.edition_list import missing_files
from .source.fonts import coverage, font_problems, fonts_in_use, own_fonts, own_lacking
from .source.images import shortened
from .source.inputs import too_large
from .source.languages import INTERFACE_LANGUAGE
from .source.load import load
from .source.problems import Problems

if TYPE_CHECKING:  # the engine imports WeasyPrint, which a build whose PDFs are current never needs
    from .pdf.engine import FontUse
    from .pdf.impose import Booklet
from .source.ownwriting import ELSEWHERE, images_without_alt
from .source.project import Project
from .source.stylecheck import check_styles, data_problem
from .source.svg import data_references
from .source.translations import Coverage, localize, read_translations

# The variants whose parts start on the next page, whichever side (screen.css, handout.css): laid
# out in parts under --parts. The others open a part on a right-hand page, after a blank one.
SIDE_FREE = ("screen", "handout")
# `build --parts`: the processes an edition's parts are laid out in at once (0: laid out whole, in
# one process). Set once by the command line before any edition is built; the pool's workers
# inherit it.
PARTS = 0

# Characters the stylesheets add (leaders, separators) besides the text.
CSS_CHARACTERS = ".()\u2009\u00a0-"


class BuildError(Exception):
    """A build that cannot produce a PDF; its messages say why, each on its own line."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class Report:
    """What a build did: where it wrote, how many pages, how long each stage took, what was logged."""

    path: Path | None = None
    pages: int = 0
    stages: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    coverage: Coverage | None = None
    sheet_sides: int = 0  # a booklet's: two pages on each
    booklets: list[Booklet] = field(default_factory=list)  # a booklet's files in order, and what each holds
    layout: str = ""  # a digest of what the pages are laid out from: HTML, stylesheets, fonts, code
    content: str = ""  # the layout's digest and the edition's own settings (marks, imposition)
    reused: bool = False  # the PDF in place was already made from this content
    shop: list[str] = field(default_factory=list)  # print: the figures the print shop checks against
    files: list[str] = field(default_factory=list)  # the files written beside the PDF: cover, shop's sheet, booklets
    parts: tuple[int, int] = (0, 0)  # --parts: the parts laid out, and the layouts again on the other side
    progress: Callable[[str], None] | None = field(default=None, repr=False, compare=False)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self.progress:
            self.progress(name)
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start

    @property
    def seconds(self) -> float:
        return sum(self.stages.values())


def load_source(project: Project, strict: bool, report: Report) -> Compendium:
    with report.stage("load and validate"), fonts_in_use(project.fonts):  # the project's fonts, as check
        compendium, problems = load(project.source, project.root)
    if problems.failed(strict) or compendium is None:
        raise BuildError([str(p) for p in problems.sorted()])
    report.warnings += [str(p) for p in problems.warnings]
    return compendium


def build(
    edition: Edition,
    project: Project | None = None,
    strict: bool = False,
    *,
    progress: Callable[[str], None] | None = None,
    reuse: Callable[[Report], bool] | None = None,
    current: dict[str, str] | None = None,
) -> Report:
    """Builds one edition into project.output; a failed build leaves the previous PDF as it was.

    `reuse(report)`, asked once the content digest is known and before any layout, may answer
    that the PDF in place was made from the same content: the build then stops there.
    `current` names the PDFs of the output folder known to be made from the present source (file
    name → layout digest): a booklet imposes its print edition's PDF when its pages are current.
    """
    project = project or Project()
    report = Report(progress=progress)
    compendium, language = prepare(edition, project, strict, report)
    return publish(compendium, edition, project, strict, report, language, reuse, current or {})


def prepare(edition: Edition, project: Project, strict: bool, report: Report) -> tuple[Compendium, Language]:
    """The compendium loaded, checked and in the edition's language, and that language."""
    missing = missing_files(edition.lang, project, edition.interface_only)
    if missing:
        # a catalogue's fault is told at its line, as check tells it: no missing file to add
        raise BuildError(
            [
                reason
                if LOCATED.fullmatch(reason)
                else f"edition '{edition.lang}': {reason} (README.md, Adding a language)"
                for reason in missing
            ]
        )
    leaving = project.refused_paths()
    if leaving:
        # a file refused by its size is named at its first line, as check names it (a link or a
        # pipe, which has no line to read, by its name alone)
        raise BuildError(
            [f"{name}{':1' if why == too_large(project.root / name) else ''}: {why}" for name, why in leaving]
        )
    fonts = font_problems(project.fonts, project.root)
    if fonts:
        raise BuildError([f"{name}:1: {why}" for name, why in fonts])
    styles = Problems()  # as check finds them, at their lines: WeasyPrint names only the file it refused
    check_styles(project, styles)
    if styles.errors:
        raise BuildError(list(dict.fromkeys(str(problem) for problem in styles.sorted())))
    compendium = load_source(project, strict, report)
    language = Language(
        edition.lang, project.locale(edition.lang), compendium.metadata.language, compendium.metadata.wording
    )
    # An interface-only edition prints the content as written: its texts are the originals.
    if edition.lang != compendium.metadata.language and not edition.interface_only:
        compendium = translate(compendium, edition, language, project, report)
    if language.untranslated:  # interface strings printed in English: counted like content fallbacks
        report.coverage = report.coverage or Coverage(edition.lang)
        report.coverage.interface = list(language.untranslated)
    # a partial edition is published with texts untranslated (marked); a stale one still fails
    if (
        strict
        and report.coverage
        and not report.coverage.complete
        and not (edition.partial and not report.coverage.stale)
    ):
        raise BuildError(["--strict: the translation is incomplete or stale", *report.coverage.lines()])
    return compendium, language


def proof_layout(edition: Edition, project: Project, proof: Proof, target: Path) -> Report:
    """One provision's pages laid out alone, numbered and sided as in the edition (a proof for an
    editor, not a PDF to distribute: no finishing, and links out of the page go nowhere)."""
    from .pdf import engine
    from .pdf.fetcher import AssetFetcher

    report = Report()
    compendium, language = prepare(edition, project, False, report)
    if not any(p.number == proof.provision for p in compendium.provisions):
        raise BuildError([f"provision {proof.provision:02d}: not in the compendium"])
    with report.stage("templating"):
        try:
            html = render_html(compendium, edition.layout, project, language, proof=proof)
        except (LayoutError, StyleError) as error:
            raise BuildError([str(error)]) from None
        except TypographyError as error:
            raise BuildError(error.problems) from None
    refused = page_problems(html, project)  # at the layout's line, as the build (attacker round 11, M3)
    if refused:
        raise BuildError(refused)
    fetcher = AssetFetcher(project.assets, project.root)
    with weasyprint_warnings(), report.stage("WeasyPrint layout"):
        try:
            engine.render(html, str(project.root) + "/", fetcher).write_pdf(target)
        except engine.FatalURLFetchingError as error:  # found before layout; here if not
            raise BuildError(refused_problems(fetcher, project, [str(error)])) from None
        except OSError:
            raise  # the machine's (the proof command words it)
        except (Exception, RecursionError) as error:  # noqa: BLE001 - WeasyPrint fails on some stylesheets
            raise BuildError([engine_failure(error, project)]) from None
    report.path = target
    return report


def translate(
    compendium: Compendium, edition: Edition, language: Language, project: Project, report: Report
) -> Compendium:
    """The compendium in the edition's language, and its coverage in the report."""
    with report.stage("load and validate"):
        problems = Problems()
        entries = read_translations(project.translations(edition.lang), project.root, problems)
        marker = language.gettext(compendium.metadata.language.upper())  # "EN": the source language's code
        localized, coverage = localize(compendium, edition.lang, entries, marker, problems)
    if problems.errors:
        raise BuildError([str(p) for p in problems.sorted()])
    report.coverage = coverage
    return localized


def titled(compendium: Compendium, edition: Edition, language: Language) -> Compendium:
    """The compendium as its PDF's title names it: a handout by what it presents, then the
    publication it comes from (two handouts of one compendium had the same title)."""
    if not edition.variant.is_selection:
        return compendium
    title = f"{selection_title(compendium, edition, language)} \u2014 {compendium.metadata.title}"
    return replace(compendium, metadata=replace(compendium.metadata, title=title))


HYPHENATION = (
    "\u2010"  # the glyph WeasyPrint draws where it hyphenates; read as a soft hyphen when the text has none of its own
)


def publish(
    compendium: Compendium,
    edition: Edition,
    project: Project,
    strict: bool,
    report: Report,
    language: Language,
    reuse: Callable[[Report], bool] | None = None,
    current: dict[str, str] | None = None,
) -> Report:
    """Everything after loading: HTML, layout, PDF, finishing, and the move into place."""
    compendium, html = checked_html(compendium, edition, project, report, language)
    layout = edition.layout  # a booklet on A3 imposes the pages of the print layout
    report.layout = layout_digest(html, project)
    covers = covers_digest(compendium, edition, project, language, marks(html))
    report.content = hashlib.sha256(f"{report.layout} {covers} {edition!r}".encode()).hexdigest()
    # a booklet imposes the print edition's pages when they were laid out from the same HTML
    imposes_print = (
        edition.variant.is_imposed
        and layout.variant.for_print_shop
        and (current or {}).get(layout.filename) == report.layout
    )
    report.path = project.output / edition.filename
    if reuse and reuse(report):
        report.reused = True
        return report
    try:
        with workspace(project.output) as work:
            write_edition(Path(work), html, compendium, edition, project, strict, report, language, imposes_print)
    except OutputError as error:
        raise BuildError([str(error)]) from None
    return report


def covers_digest(
    compendium: Compendium, edition: Edition, project: Project, language: Language, imprint: Marks
) -> str:
    """A digest of the edition's covers and spine as their layouts are now (those files as the
    template loader opened them, and the HTML they make), so that an edit to booklet_cover.html or
    spine.html is built (attacker round 9, P2); "" for an edition without them. BuildError at the
    layout's line for a reference the build would refuse, as for the other layouts (P3)."""
    from .source.inputs import key, noted, recording

    with recording() as read:
        pages = covers_html(compendium, edition, project, language, imprint)
    noted(read)  # the build's own record holds them too
    refused = [problem for page in pages for problem in page_problems(page, project)]
    if refused:
        raise BuildError(list(dict.fromkeys(refused)))
    return key(read, project.root, project.output, "\0".join(pages)) if pages else ""


def covers_html(
    compendium: Compendium, edition: Edition, project: Project, language: Language, imprint: Marks | int = 0
) -> list[str]:
    """The HTML of the pages laid out apart from the edition's own: the print shop's front cover
    and spine, a booklet's front cover on the print edition's pages, or the covers of a booklet
    split in several (the first, and a later one with the imprint on its back); none for the rest.
    The parts a split booklet's covers name are known only once imposed: none are named here."""
    asked: list[dict] = []
    if edition.variant.for_print_shop:
        asked = [{"alone": "cover"}, {"alone": "spine"}]
    elif edition.variant.is_imposed and not edition.has_own_pages:
        edition, asked = edition.layout, [{"alone": "cover"}]
    elif edition.variant.is_imposed:
        asked = [{"booklet": (n, 2, ((), ())), "fallbacks": imprint} for n in (1, 2)]
    try:
        return [render_html(compendium, edition, project, language, **a) for a in asked]
    except (StyleError, LayoutError) as error:
        raise BuildError([str(error)]) from None
    except TypographyError as error:
        raise BuildError(error.problems) from None


def checked_html(
    compendium: Compendium, edition: Edition, project: Project, report: Report, language: Language
) -> tuple[Compendium, str]:
    """The edition's selection of the compendium (a handout's) and its HTML, every character of
    which the shipped fonts have; BuildError otherwise."""
    section_count = len(compendium.sections)  # a handout's tabs sit where the whole compendium's do
    if edition.variant.is_selection:
        if edition.selection is None:
            raise BuildError(["a handout needs a selection: --section or --keyword"])
        try:
            compendium = select(compendium, edition.selection)
        except SelectionError as error:
            raise BuildError([str(error)]) from None
    fallbacks = len(report.coverage.fallbacks) if report.coverage else 0
    with report.stage("templating"):
        try:
            html = render_html(compendium, edition.layout, project, language, fallbacks, section_count=section_count)
        except (StyleError, LayoutError) as error:
            raise BuildError([str(error)]) from None
        except TypographyError as error:
            raise BuildError(error.problems) from None
        missing = missing_glyphs(html, project.fonts, CSS_CHARACTERS, own_styles(project))
    nesting = nesting_problem(html, project)
    unprinted = page_problems(html, project) + (
        [nesting] if nesting else provisions_unprinted(html, compendium, project)
    )
    unprinted += [] if nesting else content_unprinted(html, compendium, project)
    if unprinted:
        raise BuildError(unprinted)
    if missing:
        raise BuildError(glyph_messages(missing, project))
    return compendium, html


def glyph_messages(missing: dict[str, str], project: Project) -> list[str]:
    """One line for each character no font has (with the text around it): at the project's font
    file lacking it, when the builder's has it (attacker round 9, P12: the shipped fonts were blamed)."""
    messages = []
    for char, where in missing.items():
        own = own_lacking(ord(char), project.fonts)
        messages += [
            f"{name}:1: no glyph for '{char}' (U+{ord(char):04X}), which the pages print, in: …{where}…: use a "
            "font file that has it, as the builder's does"
            for name in own
        ] or [
            f"{character_at(project, char)}no glyph for '{char}' (U+{ord(char):04X}) in the shipped fonts, "
            f"in: …{where}…"
        ]
    return messages


def write_edition(
    work: Path,
    html: str,
    compendium: Compendium,
    edition: Edition,
    project: Project,
    strict: bool,
    report: Report,
    language: Language,
    imposes_print: bool,
) -> None:
    """Lays out and finishes the edition in the work folder (a booklet: imposes the print edition's
    pages, when that was laid out from the same HTML), then puts its files in place: the PDF, and
    for the print shop the cover and the shop's figures."""
    layout = edition.layout
    printed = project.output / layout.filename
    target = project.output / edition.filename
    finished = work / "finished.pdf"
    if imposes_print and printed.is_file():
        finished = printed  # laid out from the same HTML: no need to lay the pages out again
        report.pages = page_count(printed)
    else:
        raw = work / "raw.pdf"
        wanted = expected(compendium, project, edition.lang)
        typeset(html, project, raw, report, strict, place_names(compendium), wanted, layout.variant in SIDE_FREE)
        with report.stage("finishing"):
            from .pdf.finish import finish

            press = layout.variant.for_print_shop
            keywords = document_keywords(compendium, language)
            report.pages = finish(
                raw,
                finished,
                titled(compendium, edition, language),
                edition.lang,
                keywords,
                layout.marks,
                press=press,
                inks=layout.variant.in_inks,
                soft_hyphens=HYPHENATION not in html,
                made_from=project.source_mark,
            )
    if edition.variant.for_print_shop:
        with report.stage("cover"):
            cover = print_cover(compendium, edition, project, language, raw, finished, report, work)
    files = [(finished, target)]
    if edition.variant.is_imposed:
        imprint = marks(html)  # a later booklet's inside cover repeats the imprint, with its counts
        finished, booklets = impose_edition(finished, compendium, edition, project, language, report, work, imprint)
        report.booklets = placed_booklets(booklets, target)
        files = [(made.path, placed.path) for made, placed in zip(booklets, report.booklets, strict=True)]
    if edition.variant == "print":
        shop = work / "shop.txt"  # the job ticket beside the PDFs, for the shop and for `build` to print
        shop.write_text("\n".join(job_ticket(compendium, edition, language, report)) + "\n", encoding="utf-8")
        files += [(cover, project.output / edition.cover_filename), (shop, project.output / edition.shop_filename)]
    put_all_in_place(files)  # all of them or none: the edition's files are one set (attacker round 9, P1)
    report.files = [placed.name for _, placed in files[1:]]
    if edition.variant.is_imposed:
        remove_stale_booklets(target, len(booklets))


def impose_edition(
    finished: Path,
    compendium: Compendium,
    edition: Edition,
    project: Project,
    language: Language,
    report: Report,
    work: Path,
    imprint: Marks | None = None,
) -> tuple[Path, list[Booklet]]:
    """The booklet's pages imposed on sheets: the print edition's behind its front cover, or the
    booklet's own pages with a cover naming each booklet where there are several."""
    with report.stage("imposition"):
        from .pdf.impose import impose

        imposed = work / "imposed.pdf"
        covers = None
        if not edition.has_own_pages:  # the print edition's pages open on its title page
            from .pdf.cover import cover_first

            front = lay_out_cover(compendium, edition.layout, project, language, work / "front.pdf")
            cover_first(finished, front, work / "covered.pdf")
            finished = work / "covered.pdf"
            report.pages += 2
        if edition.has_own_pages:  # each booklet of several with a cover naming it
            from .pdf.impose import holdings, plan

            parts = plan(finished, MOST_SHEETS, cover=2)
            if len(parts) > 1:
                held = holdings(finished, parts)
                covers = booklet_covers(compendium, edition, project, language, held, work, imprint)
        booklets = impose(finished, imposed, *booklet_sheet(edition), covers=covers)
        report.sheet_sides = 2 * sum(b.sheets for b in booklets)
    return imposed, booklets


def job_ticket(compendium: Compendium, edition: Edition, language: Language, report: Report) -> list[str]:
    """The print shop's ticket: which job and files, then the figures the shop checks them against."""
    name = language.locale.get_language_name("en")  # "English", not the locale's "English (United Kingdom)"
    return [
        f"print job: {compendium.metadata.title}, {name} edition",
        f"files: {edition.filename} (interior), {edition.cover_filename} (cover)",
        *report.shop,
    ]


MOST_SHEETS = 20  # sheets an office stapler or booklet finisher takes (80 g/m²): more are split into booklets


def booklet_sheet(edition: Edition) -> tuple[tuple[float, float] | None, float, int]:
    """The sheet a booklet's pages are imposed on (pt; None: twice the page), the paper's caliper
    for the creep, and the most sheets a booklet may have."""
    sheet = None
    if edition.has_own_pages:  # its half-size pages on the paper turned landscape
        width, height = PAPER_SIZE[edition.paper]
        sheet = (height * 72 / 25.4, width * 72 / 25.4)
    return sheet, edition.caliper, MOST_SHEETS


def booklet_covers(
    compendium: Compendium,
    edition: Edition,
    project: Project,
    language: Language,
    held: list[tuple[str, ...]],
    work: Path,
    imprint: Marks | None = None,
) -> list[Path]:
    """The cover of each booklet ("Booklet 2 of 3", with the parts each booklet holds: `held`), laid
    out as the edition's own cover; from the second on, the imprint on its back (`imprint`: the
    edition's fallback counts), since each booklet goes round on its own and must say what its
    texts are."""
    count = len(held)
    return [
        lay_out_cover(
            compendium, edition, project, language, work / f"cover-{n}.pdf", (n, count, tuple(held)), imprint=imprint
        )
        for n in range(1, count + 1)
    ]


def lay_out_cover(
    compendium: Compendium,
    edition: Edition,
    project: Project,
    language: Language,
    target: Path,
    booklet: tuple[int, int, tuple[tuple[str, ...], ...]] | None = None,
    spine: tuple[float, float] | None = None,
    imprint: Marks | None = None,
) -> Path:
    """The edition's cover alone, one page (of one booklet of several: `booklet`, number and count;
    from the second booklet on, with the imprint on its back: two pages), or with `spine` (width
    and height, mm) the cover's spine alone."""
    from .pdf import engine
    from .pdf.cover import spine_fits
    from .pdf.fetcher import AssetFetcher
    from .pdf.printed import cover_problems

    which = f"booklet {booklet[0]} of {booklet[1]}" if booklet else "the spine" if spine else "the print shop's cover"
    try:
        html = render_html(
            compendium, edition, project, language, imprint or 0, booklet=booklet, alone="spine" if spine else "cover"
        )
    except (StyleError, LayoutError) as error:
        raise BuildError([str(error)]) from None
    sheets = []
    if spine:  # numbers only: the spine's size, and its type at most 10 pt, under half its width
        width, height = spine
        size = min(10.0, width * 0.45 * 72 / 25.4)
        sheets.append(
            engine.stylesheet(
                f"@page spine {{ size: {width:.2f}mm {height:.2f}mm; }} "
                f":root {{ --spine-width: {width:.2f}mm; --spine-height: {height:.2f}mm; --spine-size: {size:.2f}pt; }}"
            )
        )
    fetcher = AssetFetcher(project.assets, project.root)
    with weasyprint_warnings() as warnings:
        try:
            document = engine.render(html, str(project.root) + "/", fetcher, sheets)
        except engine.FatalURLFetchingError as error:  # found before layout (covers_digest); here if not
            raise BuildError(refused_problems(fetcher, project, [str(error)])) from None
        if spine and not spine_fits(document):
            length = f"{spine[1]:g} mm less 15 mm at each end"
            raise BuildError([f"the spine: the title is longer than the spine ({length}), on one line"])
        if not spine and (uncovered := cover_problems(document, cover_at(compendium, project, edition.lang))):
            raise BuildError(uncovered)
        document.write_pdf(target)
    pages = 2 if booklet and booklet[0] > 1 else 1  # a later booklet's cover has the imprint on its back
    if warnings or page_count(target) != pages:
        raise BuildError([f"{which}: not {'one page' if pages == 1 else 'two pages'} ({'; '.join(warnings)})"])
    return target


def placed_booklets(booklets: list[Booklet], target: Path) -> list[Booklet]:
    """The booklets as they go in place: the first as `target`, booklets 2, 3 … beside it."""
    from .pdf.impose import booklet_path

    return [replace(booklet, path=booklet_path(target, n)) for n, booklet in enumerate(booklets, start=1)]


def remove_stale_booklets(target: Path, count: int) -> None:
    """A further booklet left from an earlier build that made more of them, removed."""
    from .pdf.impose import booklet_path

    number = count + 1
    while booklet_path(target, number).is_file():  # stale: an earlier build made more booklets
        booklet_path(target, number).unlink()
        number += 1


def print_cover(
    compendium: Compendium,
    edition: Edition,
    project: Project,
    language: Language,
    raw: Path,
    interior: Path,
    report: Report,
    work: Path,
) -> Path:
    """The print shop's cover spread from the front cover laid out alone (the interior opens on its
    title page) and, where the spine is wide enough, its title; its back and spine in the cover's
    colour (the compendium's brand colour in the inks, else inks.css's --brand); the shop's figures
    into the report."""
    from .pdf.cover import SPINE_TITLE, make_cover, spine_width
    from .render.sectionstyle import Colour, tokens

    brand = compendium.metadata.brand
    back: tuple[float, ...]
    if brand.colour:
        back = Colour(brand.colour).cmyk()
    else:
        declared = tokens(project.stylesheet("inks.css").read_text(encoding="utf-8"))
        inks = re.fullmatch(r"device-cmyk\(([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)\)", declared.get("brand", ""))
        if not inks:
            raise BuildError(["inks.css: expected --brand: device-cmyk(c m y k), the cover's colour in the inks"])
        back = tuple(float(v) for v in inks.groups())
    laid_out = page_count(raw)
    blanks = tuple(range(laid_out + 1, report.pages + 1))
    front = lay_out_cover(compendium, edition, project, language, work / "front.pdf")
    spine = None
    width = spine_width(report.pages, edition.caliper)
    if width >= SPINE_TITLE:
        height = PAPER_SIZE[edition.paper][1]
        spine = lay_out_cover(compendium, edition, project, language, work / "spine.pdf", spine=(width, height))
    target = work / "cover.pdf"
    figures = make_cover(front, target, report.pages, blanks, edition.caliper, back, interior, spine)
    report.shop = figures.lines()
    return target


def layout_digest(html: str, project: Project) -> str:
    """A digest of everything the pages are laid out from: the HTML, every stylesheet and font it
    may use, the builder's code and the libraries' versions."""
    from .source.digest import code_digest, files_digest

    digest = hashlib.sha256()
    digest.update(html.encode("utf-8"))
    digest.update(files_digest(project.assets).encode("ascii"))
    digest.update(code_digest().encode("ascii"))
    return digest.hexdigest()


def declared_families(fonts_css: Path) -> set[str]:
    """The font families the stylesheets declare with @font-face (all from fonts/)."""
    return set(re.findall(r'font-family:\s*"([^"]+)"', fonts_css.read_text(encoding="utf-8")))


def check_fonts(fonts: list[FontUse], families: set[str], project: Project | None = None) -> list[str]:
    """Every glyph must come from a shipped font: a machine font standing in, or a missing glyph,
    is an error, so that the PDF is the same on every machine and never shows a tofu box. A
    machine font a project's layout, stylesheet or SVG image names is told at that line."""
    problems = []
    for font in fonts:
        if font.family not in families:
            named = written_at(project, font.family) if project else ""
            if named:  # the cause is the family a project file names, not the characters (attacker round 12, S2)
                problems.append(
                    f"{named}font-family '{font.family}': a font of this machine, not a family of styles/fonts.css "
                    f"(the families: {', '.join(sorted(families)) or 'none'}), set for {font.shown!r}"
                )
            else:
                where = (_monospace_at(project, font.family) or _uncovered_at(project, font.shown)) if project else ""
                problems.append(
                    f"{where}text set in '{font.family}', a font of this machine, instead of a font from fonts/: "
                    f"{font.shown!r} (add the characters' font to fonts/ and styles/fonts.css, or avoid the characters)"
                )
        if font.missing:
            problems.append(f"no glyph in '{font.family}' for {font.missing!r}")
    return problems


def _uncovered_at(project: Project, shown: str) -> str:
    """For text a machine font stands in for, the first line of a project layout or stylesheet
    that writes one of its characters the fonts lack (a `content:` string, say: attacker round
    10, S14), else ""."""
    sets = [coverage(font) for font in project.fonts]
    covered = frozenset.intersection(*sets) if sets else frozenset()
    uncovered = [char for char in shown if not char.isspace() and ord(char) not in covered]
    return next((at for char in uncovered if (at := character_at(project, char))), "")


# The elements WeasyPrint's user-agent stylesheet sets in monospace, as a layout opens them.
MONOSPACED = ("<code", "<pre", "<kbd", "<samp", "<tt", "<xmp", "<listing", "<plaintext")


def _monospace_at(project: Project, family: str) -> str:
    """For a monospaced font of the machine no project file names (fontconfig's answer to the
    user-agent stylesheet's monospace), the first layout line opening an element set in it: a
    project's base.css without the builder's rule for them (attacker round 8, N6), else ""."""
    if "mono" not in family.lower():
        return ""
    return next((at for at in (written_at(project, tag) for tag in MONOSPACED) if at), "")


LOCATED = re.compile(r"(?P<file>[^:\n]+):(?P<line>\d+): (?P<message>.*)", re.DOTALL)


def check_layouts_render(compendium: Compendium, project: Project, problems: Problems) -> None:
    """`check` for a project with layouts of its own: the compendium rendered through them (in the
    sandbox, as a build renders it), and each handout editions.yaml lists through the handout's,
    so that a refused escape, an undefined field, a link the PDF may not hold or a provision left
    out is found before a build; each problem at its file and line."""
    from .source.edition_list import read_editions

    if not project.has_own_templates:
        return  # the builder's own layouts: its tests render them
    edition, language = _checked_edition(compendium, project)
    unlabelled: list[str] = []
    messages = _rendered_problems(compendium, edition, project, language, unlabelled=unlabelled)
    declared = read_editions(project, Problems())
    handouts = {e.selection for e in declared if e.variant.is_selection and e.selection}
    for selection in sorted(handouts):  # editions.yaml's handouts: a handout.html printing none failed the build
        try:
            selected = select(compendium, selection)
        except SelectionError:
            continue  # the source's check names the selection
        handout = replace(edition, variant=Variant.HANDOUT, selection=selection)
        found = _rendered_problems(selected, handout, project, language, section_count=len(compendium.sections))
        messages += [m for m in found if m not in messages]
    # the covers and spine, laid out apart from the pages, for the editions that have them (attacker round 9, P3)
    covered = {replace(edition, variant=e.variant, booklet=e.booklet) for e in declared if e.variant.is_imposed}
    covered |= {replace(edition, variant=Variant.PRINT) for e in declared if e.variant.for_print_shop}
    for cover in sorted(covered, key=repr):
        messages += [m for m in _cover_problems(compendium, cover, project, language) if m not in messages]
    messages += [m for m in _proof_problems(compendium, edition, project, language) if m not in messages]
    told = {_said(problem.origin, problem.message) for problem in problems.errors}
    for message in messages:
        match = LOCATED.fullmatch(message)
        origin = Origin(match["file"], int(match["line"])) if match else Origin("layouts", 1)
        text = match["message"] if match else message
        if _said(origin, text) not in told:
            problems.error(origin, "", text)
    warned = {(problem.origin, problem.message) for problem in problems.warnings}
    refused = {problem.origin for problem in problems.errors}  # an image refused as it is is never printed
    for message in unlabelled:  # warned of as the build warns of them; written as they are, warned of already
        match = LOCATED.fullmatch(message)
        origin = Origin(match["file"], int(match["line"])) if match else Origin("layouts", 1)
        text = match["message"] if match else message
        if (origin, text) not in warned and origin not in refused:
            problems.warning(origin, "", text)


def _said(origin: Origin, message: str) -> tuple[Origin, str]:
    """A problem as told once: a character the fonts lack by its line and character alone, which
    the layout's own check (written as it is) words otherwise."""
    glyph = re.match(r"no glyph for '.'", message, re.DOTALL)
    return origin, glyph[0] if glyph else message


def _checked_edition(compendium: Compendium, project: Project) -> tuple[Edition, Language]:
    """The edition check renders: the source's language, when the builder can speak it (it has
    its catalogue), else English; the layouts are the same in every language."""
    source = compendium.metadata.language
    catalogue = project.locale(source) / source / "LC_MESSAGES" / "messages.po"
    lang = source if source == INTERFACE_LANGUAGE or catalogue.is_file() else INTERFACE_LANGUAGE
    language = Language(lang, project.locale(lang), source, compendium.metadata.wording)
    return Edition(lang, interface_only=lang != source), language


def check_fonts_render(compendium: Compendium, project: Project, problems: Problems) -> None:
    """`check` for a project with fonts of its own: the characters the layouts add to its texts (an
    imprint's dash, a leader's dots) measured against them, as the build measures them; the
    source's characters are measured as they are read, at their lines (attacker round 9, P12)."""

    if not own_fonts(project.fonts) or project.has_own_templates:
        return  # the project's own layouts: measured as they are rendered (check_layouts_render)
    edition, language = _checked_edition(compendium, project)
    try:
        html = render_html(compendium, edition.layout, project, language)
    except (LayoutError, StyleError, TypographyError):
        return  # told by check_layouts_render, or by the build
    for message in glyph_messages(missing_glyphs(html, project.fonts, CSS_CHARACTERS, own_styles(project)), project):
        match = LOCATED.fullmatch(message)
        if match:  # a character the builder's fonts lack too is the builder's to mend
            problems.error(Origin(match["file"], int(match["line"])), "", match["message"])


def _rendered_problems(
    compendium: Compendium,
    edition: Edition,
    project: Project,
    language: Language,
    section_count: int | None = None,
    unlabelled: list[str] | None = None,
) -> list[str]:
    """What check finds in the edition's HTML rendered through the project's layouts; and into
    `unlabelled`, the images it shows without alt text, which the build warns of (an <img> whose
    tag a variable writes passed check --strict: attacker round 12, S3)."""
    try:
        html = render_html(compendium, edition.layout, project, language, section_count=section_count)
    except (LayoutError, StyleError) as error:
        return [str(error)]
    except TypographyError as error:
        return error.problems
    messages = page_problems(html, project)
    if unlabelled is not None:
        unlabelled += unlabelled_in(html, project)
    # a character the fonts lack that a layout writes through Jinja or an attribute attr() prints:
    # only the rendered page holds it (attacker round 12, S1); the source's own are told at their lines
    glyphs = glyph_messages(missing_glyphs(html, project.fonts, CSS_CHARACTERS, own_styles(project)), project)
    messages += [message for message in glyphs if LOCATED.fullmatch(message)]
    nesting = nesting_problem(html, project)
    if nesting:
        return [*messages, nesting]
    return messages + provisions_unprinted(html, compendium, project) + content_unprinted(html, compendium, project)


def _cover_problems(compendium: Compendium, edition: Edition, project: Project, language: Language) -> list[str]:
    """What check finds in the edition's covers and spine rendered through the project's layouts,
    as the build finds it before laying them out (covers_digest)."""
    try:
        pages = covers_html(compendium, edition, project, language)
    except BuildError as error:
        return error.messages
    return list(dict.fromkeys(problem for page in pages for problem in page_problems(page, project)))


def proof_layout_problems(edition: Edition, project: Project) -> list[str]:
    """What check finds in a project's own proof.html, for `proof --provision` before it takes the
    provision's pages from the edition's PDF (proof.html lays a provision out alone only when that
    PDF is stale): a proof.html check refuses is refused by every proof (attacker round 12, N3)."""
    own = project.layouts[0] / "proof.html"
    if len(project.layouts) < 2 or not own.is_file():
        return []
    try:
        compendium, language = prepare(edition, project, False, Report())
    except BuildError:
        return []  # the build that follows tells the source's faults
    return _proof_problems(compendium, edition, project, language)


def _proof_problems(compendium: Compendium, edition: Edition, project: Project, language: Language) -> list[str]:
    """What check finds in the proof of the first provision rendered through the project's
    proof.html, as `proof` finds it before laying it out (attacker round 11, S4)."""
    first = next(iter(compendium.provisions), None)
    if first is None:
        return []
    try:
        html = render_html(compendium, edition.layout, project, language, proof=Proof(first.number, 1))
    except (LayoutError, StyleError) as error:
        return [str(error)]
    except TypographyError as error:
        return error.problems
    return page_problems(html, project)


def page_problems(html: str, project: Project) -> list[str]:
    """What `check` and the build both refuse in an edition's HTML before it is laid out, each at
    the project's line: a link or attachment the PDF may not hold, and a file WeasyPrint would be
    refused (WeasyPrint's own refusal named no line, and an <iframe>'s it never asked for)."""
    base = re.search(r"<base\b[^>]*?\bhref=\"([^\"]*)\"", html)
    links = re.findall(r"<a\b[^>]*?\bhref=\"([^\"]*)\"", html)
    found = [("internal" if href.startswith("#") else "external", href) for href in links]
    found += [("attachment", href) for href in attached(html)]
    messages, drawn = inline_svg_problems(html, project)
    messages += drawn_problems(html, project)
    messages += unlabelled_problems(html, project)
    messages += link_problems([(kind, resolved(html_unescape(href), project), href) for kind, href in found], project)
    messages += reference_problems(html, html_unescape(base.group(1)) if base else None, project, drawn)
    return list(dict.fromkeys(messages))


# An element that shows an image the PDF cannot give a text saying what it shows: WeasyPrint wrote
# an <object>'s image with no /Figure or /Alt, and `build --strict` passed it (attacker round 12, S3).
UNLABELLED = re.compile(r"<(object|embed)\b", re.IGNORECASE)
OBJECT = (
    "an <{tag}>, whose image the PDF cannot give a text saying what it shows (PDF/UA needs one): use an "
    '<img> with alt="…"'
)


def unlabelled_problems(html: str, project: Project) -> list[str]:
    """One line for each image a page shows that can have no alternative text: an <object> or
    <embed>, and an image a <style> or style="…" sets as content (content: url(…)), at the
    project's line writing it."""
    found = [
        f"{written_at(project, f'<{tag}') or 'the layouts: '}{OBJECT.format(tag=tag.lower())}"
        for tag in dict.fromkeys(match.lower() for match in UNLABELLED.findall(html))
    ]
    for what, target in styled_content_images(html):
        found.append(
            f"{written_at(project, target) or 'the layouts: '}"
            f"{CONTENT_IMAGE.format(property=what, target=shortened(target))}"
        )
    return found


# What WeasyPrint fetches from a page: images, objects, stylesheets linked, an SVG's images.
FETCHED = re.compile(
    r"<(?:[a-z]+\b[^>]*?\b(?:src|data|poster)|(?:link|image|feImage)\b[^>]*?\b(?:xlink:)?href)=\"([^\"]*)\"",
    re.IGNORECASE,
)


def reference_problems(html: str, base: str | None, project: Project, drawn: list[str] | None = None) -> list[str]:
    """One line for each file the rendered HTML, or an inline SVG's references `drawn`, would have
    WeasyPrint fetch that the build would refuse (outside the asset folders) or could not use
    (missing, a folder, a broken image)."""
    from urllib.parse import urljoin

    from .pdf.fetcher import AssetFetcher  # imports WeasyPrint: only when laying out

    fetcher = AssetFetcher(project.assets, project.root)
    families = font_face_families(project.stylesheet("fonts.css").read_text(encoding="utf-8", errors="replace"))
    styled = styled_references(html)
    problems = [
        f"{written_at(project, 'local(')}{LOCAL_FONT.format(target=t[:100])}" for t, how in styled if how == LOCAL
    ]
    problems += [
        f"{written_at(project, t) or 'the layouts: '}{DATA_FONT.format(target=t[:30])}" for t in styled_data_fonts(html)
    ]
    problems += [f"{written_at(project, line) or 'the layouts: '}{why}" for line, why in styled_nesting(html)]
    written_refs = [html_unescape(ref) for ref in FETCHED.findall(html)] + [t for t, how in styled if how != LOCAL]
    written_refs += drawn or []
    for written in dict.fromkeys(written_refs):
        inside = data_problem(written, families) if written.lower().startswith("data:") else None
        if inside is not None:
            where = written_at(project, written) or next(
                (written_at(project, t) for t, _ in data_references(written) if written_at(project, t)), ""
            )
            problems.append(f"{where or 'the layouts: '}{inside}")
        if not written or written.startswith(("data:", "#")):
            continue
        url = urljoin(base, written) if base else resolved(written, project)
        served = fetcher.served(url)
        if isinstance(served, str) and not served.startswith("a reference to"):
            # a file at fault itself (damaged, not an image) is named alone, at its own line, as the
            # fetcher names it; one missing, or a name no file has, at the line asking for it
            at_fault = not served.endswith((": not found", ": a folder, not a file"))
            problems.append(served if at_fault else f"{written_at(project, written)}{served}")
        elif isinstance(served, str):
            problems.append(f"{written_at(project, written)}{served}")
        elif served is None:
            problems.append(
                f"{written_at(project, written) or 'the layouts: '}a reference to {url}: only files under "
                "fonts/, styles/ and images/, and data: URIs, may be used"
            )
    return problems


def attached(html: str) -> list[str]:
    """The files a layout's <link rel="attachment" href="…"> would embed in the PDF (attacker, round 8)."""
    tags = re.findall(r"<link\b[^>]*>", html, flags=re.IGNORECASE)
    rels = [(re.search(r"\brel=\"([^\"]*)\"", tag, re.I), re.search(r"\bhref=\"([^\"]*)\"", tag, re.I)) for tag in tags]
    return [href[1] for rel, href in rels if rel and href and "attachment" in rel[1].lower().split()]


def resolved(href: str, project: Project) -> str:
    """A link target as WeasyPrint resolves it against the project folder."""
    from urllib.parse import urljoin

    return href if href.startswith("#") else urljoin(project.root.as_uri() + "/", href)


def typeset(
    html: str,
    project: Project,
    raw: Path,
    report: Report,
    strict: bool,
    names: dict[str, str],
    wanted: Expected,
    parts: bool = False,
) -> None:
    """Lays the HTML out and writes the tagged PDF to `raw`; in parts (`parts` and --parts) when
    asked. The pages must print what `wanted` says (each provision, the cover's whole title)."""
    if parts and PARTS > 1:  # one process at a time: laid out whole
        return typeset_parts(html, project, raw, report, strict, names, wanted)
    # WeasyPrint is imported only when something is laid out: a build whose PDFs are all current
    # never pays for it.
    from .pdf import engine, paging
    from .pdf.accessibility import tagging
    from .pdf.continued import mark_continued
    from .pdf.fetcher import AssetFetcher  # imports WeasyPrint: only when laying out
    from .pdf.overdrawn import overdrawn, overdrawn_problems
    from .pdf.overflow import cut_tab_warnings, overflow_warnings, overflows
    from .pdf.printed import cover_problems
    from .source.written import where_written

    fetcher = AssetFetcher(project.assets, project.root)
    with weasyprint_warnings() as logged:
        try:
            with report.stage("WeasyPrint layout"):
                document = paging.render(html, base_url=str(project.root) + "/", url_fetcher=fetcher, pdf_tags=True)
                mark_continued(document)
            foreign = link_problems(engine.links(document), project) + refused_problems(fetcher, project)
            covered = cover_problems(document, wanted.cover)  # before writing: a failed build is quick
            # a cover text too long runs into the next one: said once, at its line
            running = frozenset(o.text for o in overflows(document))  # the overflow check's to tell
            foreign += covered or overdrawn_problems(overdrawn(document, overflowing=running), project)
            foreign += not_printed(document, project, names, wanted)
            if foreign:
                raise BuildError(foreign)
            with report.stage("PDF writing"), tagging(document):
                document.write_pdf(raw, pdf_tags=True)
            late = refused_problems(fetcher, project)  # an SVG fetches its images as it is drawn
            if late:
                raise BuildError(late)
            font_problems = check_fonts(
                engine.fonts(document), declared_families(project.stylesheet("fonts.css")), project
            )
        except paging.PlaceholderError as error:
            raise BuildError([str(error)]) from None
        except engine.FatalURLFetchingError as error:
            raise BuildError(refused_problems(fetcher, project, [str(error)])) from None
        except (BuildError, OSError):
            raise  # a located problem, or the machine's (the workspace words it)
        except (Exception, RecursionError) as error:  # noqa: BLE001 - WeasyPrint fails on some stylesheets
            raise BuildError([engine_failure(error, project)]) from None
    if font_problems:
        raise BuildError(font_problems)
    overflowing = overflow_warnings(document, names, lambda text: where_written(text, project))
    take_warnings(overflowing, logged, strict, report, project, html)
    report.warnings += cut_tab_warnings(document)  # never fatal: see there


def not_printed(document, project: Project, names: dict[str, str], wanted: Expected) -> list[str]:
    """One located line for each word cut off at the paper's edge (at its source line), then for
    each provision and other content the laid-out pages do not show, what a cut word leaves out
    not among them."""
    from .pdf.overflow import cut_off
    from .pdf.printed import explained, printed
    from .source.written import where_written

    cut = cut_off(document, lambda text: where_written(text, project))
    found, left_out = explained(cut, *printed(document, wanted), wanted)
    lines = list(dict.fromkeys(o.line(names) for o in cut))
    return lines + missing(found, wanted, project) + unseen(left_out, project)


def typeset_parts(
    html: str, project: Project, raw: Path, report: Report, strict: bool, names: dict[str, str], wanted: Expected
) -> None:
    """typeset(), the edition's parts laid out in processes of their own, PARTS at a time
    (pdf/parts.py), then joined into one PDF (pdf/join.py)."""
    from .pdf.parts import Parts, PartsError

    try:
        written = _in_parts(Parts(html, project, names, raw.parent, PARTS, wanted), raw, report)
    except PartsError as error:
        raise BuildError(error.messages) from None
    late = [p for w in written for p in w.problems]
    if late:
        raise BuildError(list(dict.fromkeys(late)))
    font_problems = check_fonts(
        [use for w in written for use in w.font_uses], declared_families(project.stylesheet("fonts.css")), project
    )
    if font_problems:
        raise BuildError(list(dict.fromkeys(font_problems)))
    take_warnings(
        [line for w in written for line in w.overflow],
        list(dict.fromkeys(m for w in written for m in w.logged)),
        strict,
        report,
        project,
        html,
    )


def _in_parts(parts, raw: Path, report: Report) -> list:
    """The parts laid out, their sides settled, written and joined into `raw`: what each part's writing found."""
    from .pdf import engine
    from .pdf.join import join

    with parts:
        with report.stage("WeasyPrint layout"):
            laid = parts.lay_out()
            problems = [p for part in laid for p in part.problems]
            problems += missing({a for part in laid for a in part.printed}, parts.wanted, parts.project)
            problems += unseen([left for part in laid for left in part.unseen], parts.project)
            if problems:
                raise BuildError(list(dict.fromkeys(problems)))
            offsets, pages = parts.settle_sides()
            report.parts = (len(laid), parts.relaid)
        with report.stage("PDF writing"):
            written = parts.write(offsets, pages)
        with report.stage("joining"):
            outline = engine.bookmark_tree([page for part in parts.laid for page in part.bookmarks])
            join([w.path for w in written], [set(part.anchors) for part in parts.laid], outline, raw)
    return written


def unlabelled_in(html: str, project: Project) -> list[str]:
    """One line for each image a page shows without alt text, at the project layout's line; none
    for an image refused as it is (a web address, a file of the machine)."""
    return [unlabelled_at(project, src) for _, src in images_without_alt(html) if not ELSEWHERE.match(src)]


def take_warnings(
    overflowing: list[str], logged: list[str], strict: bool, report: Report, project: Project, html: str
) -> None:
    """The overflow and what WeasyPrint logged into the report; under --strict, a failed build.
    An image WeasyPrint left out fails the build, strict or not."""
    dropped = dropped_images(logged, project)
    if dropped:
        raise BuildError(dropped)
    # an image without alt text is told at its layout line, as check tells it: found in the page as
    # check finds it (an alt of spaces, an <input type="image">, an <svg>'s <image> WeasyPrint
    # passed: attacker round 13, S3), and as WeasyPrint found it
    unlabelled = unlabelled_in(html, project) + unlabelled_images(logged, project)
    overflowing = [*dict.fromkeys(unlabelled), *overflowing]
    logged = [message for message in logged if not NO_ALT_LOGGED.fullmatch(message)]
    if strict and overflowing:
        raise BuildError(overflowing)
    report.warnings += overflowing
    report.warnings += [f"WeasyPrint: {message}" for message in logged]
    if strict and logged:
        raise BuildError([f"WeasyPrint: {message}" for message in logged])
