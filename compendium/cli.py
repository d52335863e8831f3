"""The command line: `build` (the default) makes the PDFs, `check` validates the source,
`translation` writes a translator's file, `proof` renders pages of a PDF to PNG, `new` starts a
compendium."""

from __future__ import annotations

import argparse
import os
import re
import sys
from importlib import metadata
from pathlib import Path

from . import __version__
from .edition import BOOKLET_SHEETS, MARKS, PAPERS, VARIANTS, Edition
from .source.edition_list import LANG, read_editions
from .source.problems import Problems
from .source.project import Project

DONE, FAILED, USAGE = 0, 1, 2

EPILOG = """
commands:
  build          build the editions (the default when no command is given)
  check          load and validate the source and its translations, print every problem
  translation    write translations/<lang>.yaml for a translator (needs --lang)
  proof          build one edition if needed and write PNGs of chosen pages next to it
  new DIR        write a minimal valid compendium into DIR/source/ to start from

examples:
  python build.py                     every edition in source/editions.yaml, in parallel
  python build.py --lang ru           the Russian screen edition
  python build.py build --lang en --variant print --marks crop cross
  python build.py --variant booklet --booklet-sheet actual
  python build.py --variant handout --section II
  python build.py --variant handout --keyword children --paper letter
  python build.py --source ../other/source    another compendium, into ../other/output/
  python build.py check --strict      warnings (a publication never cited …) fail too
  python build.py translation --lang fr
  python build.py proof --provision 05        PNGs of provision 05's pages
  python build.py proof --lang ru --pages 9-12
  python build.py new my-compendium && python build.py check --source my-compendium/source

exit status:
  0  done
  1  the source, a translation or a build failed (every problem is printed)
  2  the command line is wrong (an unknown option, or one the command cannot honour)
"""

# Which options each command honours; any other given is refused with the reason.
BUILD_OPTIONS = {
    "lang",
    "variant",
    "paper",
    "marks",
    "booklet_sheet",
    "paper_caliper",
    "section",
    "keyword",
    "output",
    "strict",
}
COMMANDS = {
    "build": BUILD_OPTIONS | {"source", "quiet", "jobs", "force"},
    "check": {"source", "strict", "quiet"},
    "translation": {"source", "lang", "quiet"},
    "proof": BUILD_OPTIONS | {"source", "quiet", "force", "pages", "provision", "dpi"},
    "new": {"folder", "quiet"},
}
WHY_NOT = {
    "check": "check writes nothing",
    "proof": "proof builds one edition, in this process",
    "translation": "translation writes translations/<lang>.yaml and nothing else",
    "build": "only proof renders pages",
    "new": "new writes a source folder and nothing else",
}


def options() -> argparse.ArgumentParser:
    """Every option, accepted before or after the command; SUPPRESS leaves an option not given
    out of the namespace, so that what was given can be told from a default."""
    common = argparse.ArgumentParser(add_help=False)
    add = common.add_argument
    S = argparse.SUPPRESS
    add(
        "--source",
        type=Path,
        default=S,
        help="the compendium's source folder (default: source/); "
        "its project folder (the folder around it) holds translations/ and output/",
    )
    add("--output", type=Path, default=S, help="the folder for the PDFs (default: output/ in the project folder)")
    add("--lang", action="append", default=S, help="this language's edition (repeatable; default: every configured)")
    add(
        "--variant",
        action="append",
        choices=VARIANTS,
        default=S,
        help="this variant (repeatable; with --lang or alone; default with --lang: screen)",
    )
    add("--paper", choices=PAPERS, default=S, help="the paper size of every edition built (a4, letter)")
    add(
        "--marks",
        nargs="*",
        choices=MARKS,
        default=S,
        help="print variant: the marks outside the bleed (crop, cross); none for a printer that refuses them",
    )
    add(
        "--booklet-sheet",
        choices=BOOKLET_SHEETS,
        default=S,
        help="booklet: two reduced pages on a sheet of the paper (A5 on A4; the default) or actual size (A4 on A3)",
    )
    add(
        "--paper-caliper",
        type=float,
        default=S,
        metavar="MM",
        help="print variant: the thickness of one leaf of the interior's paper in mm, which makes the cover's "
        "spine pages / 2 × MM wide (default 0.1, a 90 g/m² uncoated paper; ask the shop for its paper's)",
    )
    add("--section", action="append", default=S, help="handout: the section to hand out, by its numeral (II)")
    add("--keyword", action="append", default=S, help="handout: the keyword to hand out, by its id (children)")
    add(
        "--strict",
        action="store_true",
        default=S,
        help="warnings (unused entries, anything WeasyPrint logs, untranslated texts) fail the build",
    )
    add("--quiet", action="store_true", default=S, help="print problems only: no progress, reports or summaries")
    add("--jobs", type=int, default=S, help=f"editions built at once (default: the cores, {_cores()})")
    add("--force", action="store_true", default=S, help="rebuild even the PDFs whose inputs have not changed")
    add("--pages", default=S, help="proof: the pages to render, such as 9-12 or 3,5,9")
    add("--provision", action="append", default=S, help="proof: the pages of this provision, such as 05")
    add("--dpi", type=int, default=S, help="proof: the resolution of the PNGs (default: 100)")
    main = argparse.ArgumentParser(
        prog="build.py",
        description="Turn a compendium's source data (source/) into print-quality PDF editions (output/).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    main.add_argument("--version", action="version", version=version())
    commands = main.add_subparsers(dest="command", metavar="command")
    for name, text in (
        ("build", "build the editions into output/ (the default)"),
        ("check", "load and validate the source, print every problem and a one-line summary"),
        ("translation", "write translations/<lang>.yaml for a translator: every text id with its English"),
        ("proof", "write PNGs of chosen pages or provisions next to the PDF, building it if needed"),
    ):
        commands.add_parser(name, parents=[common], help=text, description=text)
    text = "write a minimal valid compendium into DIR/source/ to start from"
    new = commands.add_parser("new", parents=[common], help=text, description=text)
    new.add_argument("folder", type=Path, metavar="DIR", help="the new compendium's project folder")
    return main


def version() -> str:
    try:
        installed = metadata.version("compendium-builder")
    except metadata.PackageNotFoundError:
        installed = __version__
    weasyprint = metadata.version("weasyprint")
    return f"compendium builder {installed} (WeasyPrint {weasyprint}, Python {sys.version.split()[0]})"


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class UsageError(Exception):
    """A command line the builder cannot honour: exit 2 with the reason."""


def main(argv: list[str] | None = None) -> int:
    args = options().parse_args(argv)
    command = args.command or "build"
    given = {name for name in vars(args) if name != "command"}
    try:
        for name in sorted(given - COMMANDS[command]):
            raise UsageError(f"--{name.replace('_', '-')}: not an option of {command} ({WHY_NOT[command]})")
        if command == "new":
            return new(args.folder, quiet=getattr(args, "quiet", False))
        project = _project(args)
        if command == "check":
            return check(project, strict=getattr(args, "strict", False))
        if command == "translation":
            return translation(project, args)
        editions = chosen_editions(args, project, one=command == "proof")
        if editions is None:
            return FAILED
        if command == "proof":
            return proof(editions, project, args)
        return build(editions, project, args)
    except UsageError as error:
        print(f"build.py: {error}", file=sys.stderr)
        return USAGE


def new(folder: Path, quiet: bool = False) -> int:
    """A starter compendium in folder/source/; an existing source folder is never overwritten."""
    from .source.starter import write_starter

    try:
        written = write_starter(folder)
    except FileExistsError as error:
        raise UsageError(f"new {folder}: {error} already exists (choose a new folder)") from None
    except OSError as error:
        print(f"new {folder}: {error.strerror or error}", file=sys.stderr)
        return FAILED
    if not quiet:
        print(f"wrote {len(written)} files into {folder / 'source'}; next:")
        print(f"  python build.py check --source {folder / 'source'}")
        print(f"  python build.py --source {folder / 'source'}")
    return DONE


def _project(args: argparse.Namespace) -> Project:
    source, output = getattr(args, "source", None), getattr(args, "output", None)
    if source is not None:
        if not (source / "compendium.yaml").is_file():
            raise UsageError(f"--source {source}: not a compendium's source folder (it has no compendium.yaml)")
        return Project.from_source(source, output)
    project = Project(output_dir=output.resolve() if output else None)
    if not project.source.is_dir():
        raise UsageError(f"no source/ folder in {project.root}: give the compendium's with --source")
    return project


def chosen_editions(args: argparse.Namespace, project: Project, one: bool = False) -> list[Edition] | None:
    """The editions the options ask for: languages times variants when either is given, else
    every edition configured in editions.yaml (`one`: the first language's screen edition); the
    other options change them or are refused."""
    langs, variants = getattr(args, "lang", None), getattr(args, "variant", None)
    if one and not (langs or variants):
        langs = [_first_language(project)]
    selections = [("section", v) for v in getattr(args, "section", [])]
    selections += [("keyword", v) for v in getattr(args, "keyword", [])]
    for lang in langs or []:
        if not LANG.match(lang):
            raise UsageError(f"--lang {lang!r}: not a language code such as 'fr'")
    if langs or variants:
        variants = variants or ["screen"]
        if selections and "handout" not in variants:
            raise UsageError("--section and --keyword choose a handout's provisions: add --variant handout")
        if "handout" in variants and not selections:
            raise UsageError("a handout needs --section or --keyword (the provisions it hands out)")
        # A language editions.yaml builds interface-only is built so from the command line too.
        interface_only = {e.lang for e in read_editions(project, Problems()) if e.interface_only}
        editions = [
            Edition(lang, variant, selection=selection, interface_only=lang in interface_only, slug=project.slug)
            for lang in langs or [_first_language(project)]
            for variant in variants
            for selection in (selections if variant == "handout" else [None])
        ]
    else:
        if selections:
            raise UsageError("--section and --keyword choose a handout's provisions: add --variant handout")
        problems = Problems()
        editions = read_editions(project, problems)
        for problem in problems.sorted():
            print(problem, file=sys.stderr)
        if problems.errors:
            return None
    return _adjusted(editions, args)


def _first_language(project: Project) -> str:
    problems = Problems()
    configured = read_editions(project, problems)
    return configured[0].lang if configured else project.language


def _adjusted(editions: list[Edition], args: argparse.Namespace) -> list[Edition]:
    """The editions with the paper, marks and booklet sheet given; an option no edition can
    honour is refused rather than ignored."""
    from dataclasses import replace

    changes = {}
    if hasattr(args, "paper"):
        changes["paper"] = args.paper
    if hasattr(args, "paper_caliper") and not 0.03 <= args.paper_caliper <= 1:
        raise UsageError(
            f"--paper-caliper: expected a leaf's thickness in mm (0.03 to 1), found {args.paper_caliper:g}"
        )
    for option, variant in (("marks", "print"), ("paper_caliper", "print"), ("booklet_sheet", "booklet")):
        if hasattr(args, option) and not any(e.variant == variant for e in editions):
            raise UsageError(
                f"--{option.replace('_', '-')}: only the {variant} variant has it, and none of the editions "
                f"to build is one (add --variant {variant})"
            )
    result = []
    for edition in editions:
        own = dict(changes)
        if edition.variant == "print" and hasattr(args, "marks"):
            own["marks"] = tuple(args.marks)
        if edition.variant == "print" and hasattr(args, "paper_caliper"):
            own["caliper"] = args.paper_caliper
        if edition.variant == "booklet" and hasattr(args, "booklet_sheet"):
            own["booklet"] = args.booklet_sheet
        result.append(replace(edition, **own))
    return list(dict.fromkeys(result))  # each edition once, in the order asked


def check(project: Project, strict: bool) -> int:
    """The source, the editions it is built in, and every edition's translation and catalogue."""
    from .source.audit import check_source

    compendium, problems = check_source(project)
    for problem in problems.sorted():
        print(problem, file=sys.stderr)
    if problems.failed(strict):
        errors, warnings = len(problems.errors), len(problems.warnings)
        print(f"check failed: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
        return FAILED
    print(f"source OK: {compendium.summary()}")
    return DONE


def build(editions: list[Edition], project: Project, args: argparse.Namespace) -> int:
    """Builds the editions (those whose inputs changed), in parallel, reporting in a stable order."""
    from .build.batch import build_editions

    jobs = getattr(args, "jobs", _cores())
    if jobs < 1:
        raise UsageError(f"--jobs {jobs}: at least 1")
    failed = build_editions(
        editions,
        project,
        strict=getattr(args, "strict", False),
        force=getattr(args, "force", False),
        quiet=getattr(args, "quiet", False),
        jobs=jobs,
    )
    return FAILED if failed else DONE


def proof(editions: list[Edition], project: Project, args: argparse.Namespace) -> int:
    """PNGs of the pages or provisions asked for, of the one edition the options choose."""
    from .build.proof import DEFAULT_DPI, PAGES, proof

    if len(editions) != 1:
        raise UsageError(f"proof renders one edition; these options choose {len(editions)} (give --lang and --variant)")
    pages, provisions = getattr(args, "pages", None), getattr(args, "provision", [])
    if not pages and not provisions:
        raise UsageError("proof needs --pages (such as 9-12) or --provision (such as 05)")
    if pages and not PAGES.match(pages.replace(" ", "")):
        raise UsageError(f"--pages {pages!r}: expected page numbers such as 9-12 or 3,5,9")
    dpi = getattr(args, "dpi", DEFAULT_DPI)
    if not 10 <= dpi <= 1200:
        raise UsageError(f"--dpi {dpi}: expected 10 to 1200")
    if editions[0].variant == "booklet":
        raise UsageError("a booklet's pages are sheets: proof its print variant (--variant print)")
    force, quiet = getattr(args, "force", False), getattr(args, "quiet", False)
    return proof(editions[0], project, pages, provisions, dpi, force, quiet)


def translation(project: Project, args: argparse.Namespace) -> int:
    """Rewrites translations/<lang>.yaml with every current id; nothing translated is lost."""
    from .source.load import load
    from .source.translations import localize, read_translations, template
    from .source.yamlsource import relative_name

    langs = getattr(args, "lang", None)
    if not langs or len(langs) != 1:
        raise UsageError("translation needs one --lang, such as --lang fr")
    lang = langs[0]
    if not re.fullmatch(LANG.pattern.strip("^$"), lang):
        raise UsageError(f"--lang {lang!r}: not a language code such as 'fr'")
    compendium, problems = load(project.source, project.root)
    path = project.translations(lang)
    existing = read_translations(path, project.root, problems) if path.exists() else {}
    for problem in problems.sorted():
        print(problem, file=sys.stderr)
    if problems.errors:
        print(f"{relative_name(path, project.root)} not rewritten: correct the problems above first", file=sys.stderr)
        return FAILED
    path.parent.mkdir(exist_ok=True)
    path.write_text(template(compendium, existing, lang), encoding="utf-8")
    _, coverage = localize(compendium, lang, read_translations(path, project.root, Problems()), "EN")
    if not getattr(args, "quiet", False):
        print(f"wrote {relative_name(path, project.root)}")
        print("\n".join(coverage.lines()))
    return DONE
