"""Entries by id, remembering which ids were written but broken, so references to them are not reported twice."""

from __future__ import annotations

from typing import Generic, TypeVar

from ..model import Origin
from .problems import Problems, suggest

T = TypeVar("T")


class Registry(dict[str, T], Generic[T]):
    """The valid entries of one sort (publications, keywords, decisions), by id.

    An id whose entry had errors is `broken`; a file that could not be parsed makes the whole
    sort `unreadable`. A reference to either has already been explained by the entry's own error.
    """

    def __init__(self, noun: str, where: str) -> None:
        super().__init__()
        self.noun = noun  # "publication": how an entry is named in messages
        self.where = where  # "source/publications.yaml": where entries are defined
        self.broken: set[str] = set()
        self.unreadable = False

    def unexplained(self, key: str) -> bool:
        """True when a reference to `key` resolves to nothing and no other error explains why."""
        return key not in self and key not in self.broken and not self.unreadable

    def lookup(self, key: str, origin: Origin, context: str, problems: Problems, *, named: bool = True) -> T | None:
        """The entry a reference names; a miss no other error explains is reported at the reference.

        `named` puts "publication 'x': " before the message; without it the context already names it.
        """
        entry = self.get(key)
        if entry is None and self.unexplained(key):
            prefix = f"{self.noun} '{key}': " if named else ""
            problems.error(origin, context, f"{prefix}not defined in {self.where}{suggest(key, self)}")
        return entry
