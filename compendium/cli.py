"""The command line: `python build.py` builds the PDF; `python build.py check` validates the source."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .audit import check_source
from .edition import BOOKLET_SHEETS, MARKS, PAPERS, VARIANTS, Edition
from .editions import LANG, missing_files, read_editions
from .load import load
from .output import output_problem
from .pipeline import PROJECT, BuildError, Project, build
from .problems import Problems
from .translate import localize, read_translations, template

EPILOG = """
examples:
  python build.py                 build every edition (output/compendium-en.pdf, compendium-ru.pdf …)
  python build.py --lang ru       build the Russian edition only
  python build.py --lang en --variant print --marks crop cross      the print shop's PDF, with registration marks
  python build.py --variant booklet --booklet-sheet actual          A4 pages on A3 sheets
  python build.py --variant handout --section II                    a workshop handout of Section II
  python build.py --variant handout --keyword children --paper letter
  python build.py --strict        the same, but warnings (WeasyPrint's or the source's) fail the build
  python build.py check           validate source/ and print every problem, or a summary
"""


def parser() -> argparse.ArgumentParser:
    # The options are accepted before or after the command; SUPPRESS keeps a command's parser
    # from resetting what was given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--source", type=Path, default=argparse.SUPPRESS, help="the source folder to check (default: source/)"
    )
    common.add_argument(
        "--strict",
        action="store_true",
        default=argparse.SUPPRESS,
        help="treat warnings (unused entries, anything WeasyPrint logs) as errors",
    )
    main = argparse.ArgumentParser(
        prog="build.py",
        description="Turn the compendium's source data (source/) into print-quality PDF editions in output/.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    main.add_argument("--output", type=Path, default=None, help="the folder for the PDFs (default: output/)")
    main.add_argument(
        "--lang",
        action="append",
        help="build this language's edition only (repeatable; default: every edition in source/editions.yaml)",
    )
    main.add_argument("--variant", choices=VARIANTS, help="build this variant (default with --lang: screen)")
    main.add_argument("--paper", choices=PAPERS, default="a4", help="the paper size (default: a4)")
    main.add_argument(
        "--marks",
        nargs="*",
        choices=MARKS,
        default=["crop"],
        help="print variant: the marks to draw outside the bleed; none for a printer that refuses them (default: crop)",
    )
    main.add_argument(
        "--booklet-sheet",
        choices=BOOKLET_SHEETS,
        default="reduced",
        help="booklet: two reduced pages on a sheet of the paper (A5 on A4), or actual size (A4 on A3)",
    )
    main.add_argument("--section", help="handout: the section to hand out, by its numeral (II)")
    main.add_argument("--keyword", help="handout: the keyword to hand out, by its id (children)")
    main.set_defaults(source=PROJECT / "source", strict=False, command="build")
    commands = main.add_subparsers(dest="command", metavar="command")
    commands.add_parser(
        "build", parents=[common], help="build the editions into output/compendium-<lang>.pdf (the default)"
    )
    commands.add_parser(
        "check", parents=[common], help="load and validate the source, print every problem, and a one-line summary"
    )
    translation = commands.add_parser(
        "translation",
        parents=[common],
        help="write translations/<lang>.yaml for a translator: every text id with its English, keeping the "
        "translations already there, and print the coverage",
    )
    translation.add_argument("--lang", dest="translation_lang", required=True, help="the language, such as ru")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "check":
        return check(args.source, args.strict)
    if args.command == "translation":
        if not LANG.match(args.translation_lang):
            print(f"--lang {args.translation_lang}: not a language code such as 'fr'", file=sys.stderr)
            return 1
        return update_translation(args.source, args.translation_lang)
    editions = requested_editions(args) if args.lang or args.variant else configured_editions()
    if editions is None:
        return 1
    for edition in editions:
        reasons = missing_files(edition.lang, PROJECT) if LANG.match(edition.lang) else ["not a language code"]
        if reasons:
            print(f"--lang {edition.lang}: {'; '.join(reasons)} (README.md, Adding a language)", file=sys.stderr)
            return 1
    unusable = output_problem(args.output.resolve() if args.output else PROJECT / "output")
    if unusable:
        print(unusable, file=sys.stderr)
        return 1
    return max(build_edition(edition, args.strict, args.output) for edition in editions)


def requested_editions(args: argparse.Namespace) -> list[Edition] | None:
    """The editions the options ask for: languages times one variant."""
    variant = args.variant or "screen"
    selection = ("section", args.section) if args.section else ("keyword", args.keyword) if args.keyword else None
    if (variant == "handout") != (selection is not None):
        print("a handout needs --section or --keyword, and only a handout takes them", file=sys.stderr)
        return None
    return [
        Edition(lang, variant, args.paper, tuple(args.marks), selection, args.booklet_sheet)
        for lang in (args.lang or ["en"])
    ]


def configured_editions() -> list[Edition] | None:
    problems = Problems()
    editions = read_editions(PROJECT / "source" / "editions.yaml", PROJECT, problems)
    for problem in problems.sorted():
        print(problem, file=sys.stderr)
    return None if problems.errors else editions


def check(source: Path, strict: bool) -> int:
    compendium, problems = check_source(source, source.resolve().parent)
    for problem in problems.sorted():
        print(problem, file=sys.stderr)
    if problems.failed(strict):
        errors, warnings = len(problems.errors), len(problems.warnings)
        print(f"check failed: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
        return 1
    print(f"source OK: {compendium.summary()}")
    return 0


def build_edition(edition: Edition, strict: bool, output: Path | None = None) -> int:
    project = Project(output_dir=output.resolve() if output else None)
    try:
        report = build(edition, project, strict)
    except BuildError as error:
        for message in error.messages:
            print(message, file=sys.stderr)
        print(f"build failed: {edition.filename} not written (the previous one, if any, is unchanged)", file=sys.stderr)
        return 1
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if report.coverage:
        print("\n".join(report.coverage.lines()))
    where = report.path.relative_to(project.root) if report.path.is_relative_to(project.root) else report.path
    stages = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in report.stages.items())
    sheets = f", imposed on {report.sheet_sides} sheet sides" if report.sheet_sides else ""
    print(f"wrote {where}: {report.pages} pages{sheets} in {report.seconds:.1f} s ({stages})")
    return 0


def update_translation(source: Path, lang: str) -> int:
    """Rewrites translations/<lang>.yaml with every current id; nothing translated is lost."""
    root = source.resolve().parent
    compendium, problems = load(source, root=root)
    path = root / "translations" / f"{lang}.yaml"
    existing = read_translations(path, root, problems) if path.exists() else {}
    for problem in problems.sorted():
        print(problem, file=sys.stderr)
    if problems.errors:
        print(f"{path.relative_to(root)} not rewritten: correct the problems above first", file=sys.stderr)
        return 1
    path.parent.mkdir(exist_ok=True)
    path.write_text(template(compendium, existing, lang), encoding="utf-8")
    _, coverage = localize(compendium, lang, read_translations(path, root, Problems()), "EN")
    print(f"wrote {path.relative_to(root)}")
    print("\n".join(coverage.lines()))
    return 0
