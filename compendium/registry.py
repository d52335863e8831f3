"""Entries by id, remembering which ids were written but broken, so references to them are not reported twice."""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(dict[str, T], Generic[T]):
    """The valid entries of one kind, by id.

    An id whose entry had errors is `broken`; a file that could not be parsed makes the whole
    kind `unreadable`. A reference to either has already been explained by the entry's own error.
    """

    def __init__(self) -> None:
        super().__init__()
        self.broken: set[str] = set()
        self.unreadable = False

    def unexplained(self, key: str) -> bool:
        """True when a reference to `key` resolves to nothing and no other error explains why."""
        return key not in self and key not in self.broken and not self.unreadable
