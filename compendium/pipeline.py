"""The build: load and validate, render HTML, lay out with WeasyPrint, write, finish; timed per stage."""

from __future__ import annotations

import logging
import os
import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from .accessibility import tagging
from .edition import Edition
from .fetcher import AssetFetcher
from .finish import finish
from .glyphs import missing_glyphs
from .handout import SelectionError, select
from .i18n import SOURCE_LANGUAGE, Language
from .impose import impose
from .load import load
from .model import Compendium
from .problems import Problems
from .render import document_keywords, render_html
from .translate import Coverage, localize, read_translations

PROJECT = Path(__file__).resolve().parent.parent
FONTS = PROJECT / "fonts"
# Every font face the stylesheets declare must cover every character shown.
TEXT_FONTS = sorted(FONTS.glob("*.ttf"))
# Characters the stylesheets add (leaders, separators) besides the text.
CSS_CHARACTERS = ".()\u2009\u00a0-"


class BuildError(Exception):
    """A build that cannot produce a PDF; its messages say why, each on its own line."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class Project:
    """Where the builder finds its inputs and puts its output."""

    root: Path = PROJECT
    output_dir: Path | None = None  # default: output/ in the project

    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def layouts(self) -> Path:
        return self.root / "layouts"

    @property
    def styles(self) -> Path:
        return self.root / "styles"

    @property
    def output(self) -> Path:
        return self.output_dir or self.root / "output"

    @property
    def assets(self) -> list[Path]:
        """The only folders WeasyPrint may read from."""
        return [self.styles, self.root / "fonts", self.root / "images"]


@dataclass
class Report:
    """What a build did: where it wrote, how many pages, how long each stage took, what was logged."""

    path: Path | None = None
    pages: int = 0
    stages: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    coverage: Coverage | None = None
    sheet_sides: int = 0  # a booklet's: two pages on each

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start

    @property
    def seconds(self) -> float:
        return sum(self.stages.values())


class _Collect(logging.Handler):
    """Keeps what a logger says at warning level or above."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def weasyprint_warnings() -> Iterator[list[str]]:
    """Collects what WeasyPrint logs (ignored CSS, unresolved targets …) while it works."""
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


def load_source(project: Project, strict: bool, report: Report) -> Compendium:
    with report.stage("load and validate"):
        compendium, problems = load(project.source, project.root)
    if problems.failed(strict):
        raise BuildError([str(p) for p in problems.sorted()])
    report.warnings += [str(p) for p in problems.warnings]
    return compendium


def build(edition: Edition, project: Project | None = None, strict: bool = False) -> Report:
    """Builds one edition into project.output; a failed build leaves the previous PDF as it was."""
    project = project or Project()
    report = Report()
    compendium = load_source(project, strict, report)
    language = Language(edition.lang, project.root / "locale")
    if edition.lang != SOURCE_LANGUAGE:
        compendium = translate(compendium, edition, language, project, strict, report)
    return publish(compendium, edition, project, strict, report, language)


def translate(
    compendium: Compendium, edition: Edition, language: Language, project: Project, strict: bool, report: Report
) -> Compendium:
    """The compendium in the edition's language; --strict fails on any fallback or stale text."""
    with report.stage("load and validate"):
        problems = Problems()
        path = project.root / "translations" / f"{edition.lang}.yaml"
        entries = read_translations(path, project.root, problems)
        localized, coverage = localize(compendium, edition.lang, entries, language.gettext("EN"))
    if problems.errors:
        raise BuildError([str(p) for p in problems.sorted()])
    report.coverage = coverage
    if strict and not coverage.complete:
        raise BuildError(["--strict: the translation is incomplete or stale", *coverage.lines()])
    return localized


def publish(
    compendium: Compendium, edition: Edition, project: Project, strict: bool, report: Report, language: Language
) -> Report:
    """Everything after loading: HTML, layout, PDF, finishing, and the move into place."""
    if edition.variant == "handout":
        try:
            compendium = select(compendium, edition.selection)
        except SelectionError as error:
            raise BuildError([str(error)]) from None
    fallbacks = len(report.coverage.fallbacks) if report.coverage else 0
    with report.stage("templating"):
        html = render_html(compendium, edition, project.layouts, project.styles, language, fallbacks)
        missing = missing_glyphs(html, TEXT_FONTS, CSS_CHARACTERS)
    if missing:
        raise BuildError(
            [
                f"no glyph for '{char}' (U+{ord(char):04X}) in the shipped fonts, in: …{where}…"
                for char, where in missing.items()
            ]
        )
    project.output.mkdir(parents=True, exist_ok=True)
    target = project.output / edition.filename
    with tempfile.TemporaryDirectory(dir=project.output, prefix=".build-") as work:
        raw = Path(work) / "raw.pdf"
        finished = Path(work) / "finished.pdf"
        typeset(html, project, raw, report, strict)
        with report.stage("finishing"):
            marks = edition.marks if edition.variant == "print" else None
            keywords = document_keywords(compendium, language)
            report.pages = finish(raw, finished, compendium, edition.lang, keywords, marks)
        if edition.variant == "booklet":
            with report.stage("imposition"):
                imposed = Path(work) / "imposed.pdf"
                report.sheet_sides = impose(finished, imposed, edition.booklet)
                finished = imposed
        os.replace(finished, target)
    report.path = target
    return report


def declared_families(fonts_css: Path) -> set[str]:
    """The font families the stylesheets declare with @font-face (all from fonts/)."""
    return set(re.findall(r'font-family:\s*"([^"]+)"', fonts_css.read_text(encoding="utf-8")))


def check_fonts(document, families: set[str]) -> list[str]:
    """Every glyph must come from a shipped font: a machine font standing in, or a missing glyph,
    is an error, so that the PDF is the same on every machine and never shows a tofu box."""
    problems = []
    for font in document.fonts.values():
        shown = "".join(sorted(set(font.to_unicode.values())))
        if font.family not in families:
            problems.append(
                f"text set in '{font.family}', a font of this machine, instead of a font from fonts/: {shown!r}"
                " (add the characters' font to fonts/ and styles/fonts.css, or avoid the characters)"
            )
        if font.missing:
            missing = "".join(chr(code) for code in font.missing)
            problems.append(f"no glyph in '{font.family}' for {missing!r}")
    return problems


def typeset(html: str, project: Project, raw: Path, report: Report, strict: bool) -> None:
    fetcher = AssetFetcher(project.assets)
    with weasyprint_warnings() as logged:
        try:
            with report.stage("WeasyPrint layout"):
                document = HTML(string=html, base_url=str(project.root) + "/", url_fetcher=fetcher).render(
                    pdf_tags=True
                )
            with report.stage("PDF writing"), tagging():
                document.write_pdf(raw, pdf_tags=True)
            font_problems = check_fonts(document, declared_families(project.styles / "fonts.css"))
        except FatalURLFetchingError as error:
            refused = fetcher.refused or [str(error)]
            raise BuildError(
                [
                    f"the layouts refer to {url}: only files under fonts/, styles/ and images/, "
                    "and data: URIs, may be used"
                    for url in refused
                ]
            ) from None
    if font_problems:
        raise BuildError(font_problems)
    report.warnings += [f"WeasyPrint: {message}" for message in logged]
    if strict and logged:
        raise BuildError([f"WeasyPrint: {message}" for message in logged])
