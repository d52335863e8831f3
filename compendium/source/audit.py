"""What `check` examines: everything a build reads. The source, the editions it is built in (and
their handouts' selections), each edition's translation, interface catalogue and typographic
rules, the project's own layouts, and the links of the project's folders."""

from __future__ import annotations

from pathlib import Path

import jinja2
import jinja2.meta

from ..edition import Edition
from ..model import Compendium, Origin
from .assets import BUILDER
from .css import font_face_families
from .depth import TooDeep, parsed
from .edition_list import read_editions
from .fonts import font_problems, fonts_in_use
from .images import check_images
from .inputs import refusal
from .load import load
from .ownwriting import check_layout_images, check_layout_writing
from .problems import Problems, suggest, suggest_section
from .project import Project
from .strays import RULE_TABLE
from .stylecheck import check_styles
from .translations import check_translations
from .typography import read_rules
from .yamlsource import read, relative_name


def check_source(project: Project, only: list[str] | None = None) -> tuple[Compendium | None, Problems]:
    """The compendium (None when there is any error) and every located problem of every file a build
    reads; the translations of the `only` languages when given, else of every edition's. Texts are
    measured against the fonts the build sets them in: the project's own too."""
    with fonts_in_use(project.fonts):
        return _checked(project, only)


def _checked(project: Project, only: list[str] | None) -> tuple[Compendium | None, Problems]:
    """check_source(), with the project's fonts in use."""
    leaving = project.refused_paths()
    if relative_name(project.source, project.root) in {name for name, _ in leaving}:
        # a source folder that leads out of the project is not read: one line, not one for each file
        problems = Problems()
        for name, why in leaving:
            problems.error(Origin(name, 1), "", why)
        return None, problems
    compendium, problems = load(project.source, root=project.root)
    for name, why in leaving + project.output_links():
        problems.error(Origin(name, 1), "", why)
    origins: dict[Edition, Origin] = {}
    editions = read_editions(project, problems, origins)
    langs = only or [edition.lang for edition in editions]
    # a language every edition of which is published partial: its untranslated texts are notes
    partial = {e.lang for e in editions if e.partial} - {e.lang for e in editions if not e.partial}
    check_translations(project, langs, compendium, problems, partial)
    # typography/<lang>.yaml, as the build reads it; the project's own for a language no edition is
    # in yet too (a fault there was found only once an edition was added)
    own = sorted(path.stem for path in (project.root / "typography").glob("*.yaml") if RULE_TABLE.fullmatch(path.name))
    for lang in dict.fromkeys([*langs, compendium.metadata.language if compendium else project.language, *own]):
        read_rules(project, lang, problems)
    if compendium is not None:
        check_selections(editions, origins, compendium, problems)
        check_wording_languages(project, {e.lang for e in editions} | {compendium.metadata.language}, problems)
    layouts = check_layouts(project, problems)
    for name, why in font_problems(project.fonts, project.root):
        problems.error(Origin(name, 1), "", why)
    fonts_css = project.stylesheet("fonts.css").read_text(encoding="utf-8", errors="replace")
    check_images(project.root / "images", project.root, problems, tuple(project.assets), font_face_families(fonts_css))
    check_styles(project, problems)
    for text, name in layouts:  # once the references a layout's line makes are checked
        check_layout_images(text, name, problems)
    # A link refused by its reader (before it was opened) and by the walk of the folders: once; a
    # catalogue's problem is not repeated as the reason its edition cannot be built.
    items = list(dict.fromkeys(problems.items))
    said = {str(problem) for problem in items}
    problems.items = [problem for problem in items if problem.message not in said]
    if problems.errors:
        compendium = None
    return compendium, problems


def check_selections(
    editions: list[Edition], origins: dict[Edition, Origin], compendium: Compendium, problems: Problems
) -> None:
    """Each handout's section or keyword exists (the build would fail on it), with "did you mean"."""
    sections = [section.numeral for section in compendium.sections]
    keywords = [keyword.id for keyword in compendium.keywords]
    cited = {keyword.id for provision in compendium.provisions for keyword in provision.keywords}
    seen = set()
    for edition in editions:
        if edition.selection is None or edition.selection in seen:
            continue
        seen.add(edition.selection)
        kind, value = edition.selection
        where = origins.get(edition, Origin("source/editions.yaml", 1))
        context = f"edition '{edition.lang}', handout"
        if kind == "section" and value not in sections:
            problems.error(
                where,
                context,
                f"key 'section': no section '{value}' (the sections are {', '.join(sections)})"
                f"{suggest_section(value, sections)}",
            )
        elif kind == "keyword" and value not in keywords:
            problems.error(
                where, context, f"key 'keyword': no keyword '{value}' in source/keywords.yaml{suggest(value, keywords)}"
            )
        elif kind == "keyword" and value not in cited:
            problems.error(where, context, f"key 'keyword': no provision's panel uses the keyword '{value}'")


def check_wording_languages(project: Project, langs: set[str], problems: Problems) -> None:
    """A warning for each language of compendium.yaml's `wording:` that no edition is in: the
    text is never printed (a typo for another language's code, most likely)."""
    node = read(project.source / "compendium.yaml", project.root, Problems())  # read, and checked, by load
    wording = node.value.get("wording") if node is not None and node.is_mapping else None
    if wording is None or not wording.is_mapping:
        return
    for key, child in wording.value.items():
        if not child.is_mapping:
            continue  # one text: the English edition's
        for lang in child.value:
            if lang not in langs:
                problems.warning(
                    child.key_origins[lang],
                    f"wording '{key}'",
                    f"language '{lang}': no edition is in it (the editions are in {', '.join(sorted(langs))}), "
                    f"so the text is never printed{suggest(str(lang), sorted(langs))}",
                )


def check_layouts(project: Project, problems: Problems) -> list[tuple[str, str]]:
    """The project's own layouts parse, and every layout they include exists (file:line); the text
    and name of each one read."""
    own = project.root / "layouts"
    read_ones: list[tuple[str, str]] = []
    if not own.is_dir() or own.resolve() == (BUILDER / "layouts").resolve():
        return read_ones
    folders = [own, BUILDER / "layouts"]
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    for path in sorted(own.rglob("*.html")):
        name = relative_name(path, project.root)
        refused = refusal(path, project.root)
        if refused is not None:
            problems.error(Origin(name, 1), "", refused)
            continue
        try:
            text = path.read_text(encoding="utf-8")
            tree = parsed(lambda: env.parse(text, name, str(path)), name, str(path))  # noqa: B023 - called at once
        except TooDeep as error:
            problems.error(Origin(name, error.lineno), "", error.message or "")
            continue
        except jinja2.TemplateSyntaxError as error:
            problems.error(Origin(name, error.lineno or 1), "", f"layout syntax error: {error.message}")
            continue
        except (OSError, UnicodeDecodeError) as error:
            problems.error(Origin(name, 1), "", f"cannot be read ({getattr(error, 'strerror', None) or error})")
            continue
        check_layout_writing(text, name, problems)
        read_ones.append((text, name))
        for included in jinja2.meta.find_referenced_templates(tree):
            if included is None or any(Path(folder, included).is_file() for folder in folders):
                continue
            problems.error(
                Origin(name, _line_of(path, included)),
                "",
                f"layout '{included}' not found (in the project's layouts/ nor the builder's)",
            )
    return read_ones


def _line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number
    return 1
