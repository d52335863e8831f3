"""The command line: `python build.py check` validates the source; later commands build editions."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .load import load

PROJECT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    # The options are accepted before or after the command; SUPPRESS keeps a command's parser
    # from resetting what was given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--source", type=Path, default=argparse.SUPPRESS, help="the source folder (default: source/)")
    common.add_argument(
        "--strict", action="store_true", default=argparse.SUPPRESS, help="treat warnings (unused entries …) as errors"
    )
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Turn the compendium's source data (source/) into print-quality PDF editions.",
        parents=[common],
    )
    parser.set_defaults(source=PROJECT / "source", strict=False)
    commands = parser.add_subparsers(dest="command", metavar="command")
    commands.add_parser(
        "check", parents=[common], help="load and validate the source, print every problem, and a one-line summary"
    )
    args = parser.parse_args(argv)
    if args.command == "check":
        return check(args.source, args.strict)
    parser.print_help()
    return 2


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
