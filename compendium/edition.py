"""An edition: one language and one variant of the compendium, and where its PDF goes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Edition:
    lang: str = "en"
    variant: str = "screen"

    @property
    def stylesheets(self) -> tuple[str, ...]:
        """The variant's own stylesheet, which changes only what differs."""
        return (f"{self.variant}.css",)

    @property
    def filename(self) -> str:
        suffix = "" if self.variant == "screen" else f"-{self.variant}"
        return f"compendium-{self.lang}{suffix}.pdf"
