"""What a build prints: each edition's result in the order asked, a language's coverage report once."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ..edition import Edition
from ..source.project import Project

# A problem of the source says its place and "warning:" itself, as check prints it (file:line: warning: …).
LOCATED_WARNING = re.compile(r"[^\n:]+:\d+: warning: ")
# An edition's files are put in place together or not at all (pdf/output.py, put_all_in_place):
# a failed build names those it left as they were.
ONE = " (the previous one, if any, is unchanged)"
BESIDE = {
    "print": ", nor its cover and the print shop's sheet (the previous ones, if any, are unchanged)",
    "booklet": ", nor its further booklets (the previous ones, if any, are unchanged)",
}


class Printer:
    """Prints each edition's result in the order the editions were asked for, as soon as it and
    every one before it are known; a language's coverage report once, and each problem once."""

    def __init__(self, editions: list[Edition], project: Project, quiet: bool, progress) -> None:
        self.editions = editions
        self.project = project
        self.quiet = quiet
        self.progress = progress
        self.next = 0
        self.covered: set[str] = set()
        self.said: set[str] = set()  # each problem once per run, however many editions meet it

    def once(self, messages: list[str]) -> list[str]:
        fresh = [message for message in dict.fromkeys(messages) if message not in self.said]
        self.said.update(fresh)
        return fresh

    def take(self, outcomes: dict) -> None:
        while self.next < len(self.editions) and self.editions[self.next] in outcomes:
            self.progress.clear()
            self.show(outcomes[self.editions[self.next]])
            self.next += 1
        self.progress.show()

    def show(self, outcome) -> None:
        edition = outcome.edition
        where = shown(self.project.output / edition.filename)
        if outcome.status == "failed":
            for message in self.once(outcome.messages):
                print(message, file=sys.stderr)
            print(f"build failed: {where} not written{BESIDE.get(edition.variant, ONE)}", file=sys.stderr)
            return
        for warning in self.once(outcome.warnings):
            print(warning if LOCATED_WARNING.match(warning) else f"warning: {warning}", file=sys.stderr)
        if outcome.stale:
            print(outcome.stale, file=sys.stderr)
        if self.quiet:
            return
        if outcome.coverage and edition.lang not in self.covered:
            self.covered.add(edition.lang)
            print("\n".join(outcome.coverage))
        sheets = f", imposed on {outcome.sheet_sides} sheet sides" if outcome.sheet_sides else ""
        if outcome.status == "unchanged":
            print(f"unchanged {where}: {outcome.pages} pages{sheets} (made from the same inputs; --force rebuilds)")
            return
        stages = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in outcome.stages.items())
        print(f"wrote {where}: {outcome.pages} pages{sheets} in {outcome.seconds:.1f} s ({stages})")
        for booklet in outcome.booklets:  # print and fold each on its own, in this order
            print(f"  {booklet}")
        shop = self.project.output / edition.shop_filename
        if edition.variant == "print" and shop.is_file():  # the cover and the print shop's figures (pipeline.py)
            print(f"  cover: {shown(self.project.output / edition.cover_filename)}")
            # the ticket without its first two lines (the job, the files): said just above
            print("\n".join(f"  {line}" for line in shop.read_text(encoding="utf-8").splitlines()[2:]))


def shown(path: Path) -> Path:
    """A path as the user would type it: relative to the working folder when under it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path
