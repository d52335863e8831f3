"""Located problems found in the source, collected so one run reports them all."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Origin

ERROR = "error"
WARNING = "warning"
NOTE = "note"  # what an editor should know but chose (a partial edition's untranslated texts): never fails


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the source: where, about what, and what was expected and found."""

    origin: Origin
    context: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"{self.origin}: "
        if self.severity in (WARNING, NOTE):
            where += f"{self.severity}: "
        context = f"{self.context}: " if self.context else ""
        return f"{where}{context}{self.message}"


@dataclass
class Problems:
    """Every problem found, in the order found; errors stop the build, warnings only under --strict."""

    items: list[Problem] = field(default_factory=list)
    reported: set = field(default_factory=set)  # what is reported only once per run (a character no font has)

    def first_time(self, what) -> bool:
        """True the first time `what` is asked about: the caller reports it then, and never again."""
        if what in self.reported:
            return False
        self.reported.add(what)
        return True

    def error(self, origin: Origin, context: str, message: str) -> None:
        self.items.append(Problem(origin, context, message, ERROR))

    def warning(self, origin: Origin, context: str, message: str) -> None:
        self.items.append(Problem(origin, context, message, WARNING))

    def note(self, origin: Origin, context: str, message: str) -> None:
        self.items.append(Problem(origin, context, message, NOTE))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == WARNING]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Problem]:
        """Problems by file and line, so the report reads like the source; at one line, its errors
        first (a layout's <img> refused for its src is that before it is one without alt text)."""
        return sorted(self.items, key=lambda p: (p.origin.file, p.origin.line, p.severity != ERROR))


def suggest(wrong: str, known: Iterable[str]) -> str:
    """The ' (did you mean ...?)' tail for a misspelt name, or nothing."""
    close = difflib.get_close_matches(str(wrong), sorted(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def suggest_section(wrong: str, numerals: list[str]) -> str:
    """suggest() for a section, which is named by its numeral: '2' stands for the second ('II')."""
    if wrong.isdigit() and 1 <= int(wrong) <= len(numerals):
        return f" (did you mean '{numerals[int(wrong) - 1]}'?)"
    same = [numeral for numeral in numerals if numeral.casefold() == wrong.strip().casefold()]
    if same:  # 'ii' for 'II': too short for suggest()'s likeness (attacker round 10, N10)
        return f" (did you mean '{same[0]}'?)"
    return suggest(wrong, numerals)
