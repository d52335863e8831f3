"""The command line: `python build.py` builds the PDF; `python build.py check` validates the source."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .edition import Edition
from .load import load
from .pipeline import PROJECT, BuildError, Project, build

EPILOG = """
examples:
  python build.py                 build output/compendium-en.pdf
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
    main.add_argument("--output", type=Path, default=None, help="the folder for the PDF (default: output/)")
    main.set_defaults(source=PROJECT / "source", strict=False, command="build")
    commands = main.add_subparsers(dest="command", metavar="command")
    commands.add_parser(
        "build", parents=[common], help="build the English edition into output/compendium-en.pdf (the default)"
    )
    commands.add_parser(
        "check", parents=[common], help="load and validate the source, print every problem, and a one-line summary"
    )
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "check":
        return check(args.source, args.strict)
    return build_edition(Edition(), args.strict, args.output)


def check(source: Path, strict: bool) -> int:
    compendium, problems = load(source, root=source.resolve().parent)
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
    where = report.path.relative_to(project.root) if report.path.is_relative_to(project.root) else report.path
    stages = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in report.stages.items())
    print(f"wrote {where}: {report.pages} pages in {report.seconds:.1f} s ({stages})")
    return 0
