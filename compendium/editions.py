"""Reads source/editions.yaml: the editions (languages) a plain `python build.py` builds."""

from __future__ import annotations

import re
from pathlib import Path

from .edition import Edition
from .fields import TEXT, items, record
from .problems import Problems
from .yamlsource import read

LANG = re.compile(r"^[a-z]{2,3}$")


def missing_files(lang: str, root: Path) -> list[str]:
    """What a language other than English needs before it can be built, and is not there."""
    if lang == "en":
        return []
    needed = (Path("locale") / lang / "LC_MESSAGES" / "messages.po", Path("translations") / f"{lang}.yaml")
    return [f"{path} is missing" for path in needed if not (root / path).exists()]


def read_editions(path: Path, root: Path, problems: Problems) -> list[Edition]:
    node = read(path, root, problems)
    editions: list[Edition] = []
    for entry in items(node, "editions", problems):
        values = record(entry, "edition", problems, {"lang": TEXT})
        if not values or "lang" not in values:
            continue
        lang = values["lang"]
        if not LANG.match(lang):
            problems.error(
                entry.value["lang"].origin,
                "edition",
                f"key 'lang': expected a language code such as 'ru', found '{lang}'",
            )
            continue
        for message in missing_files(lang, root):
            problems.error(entry.value["lang"].origin, f"edition '{lang}'", message)
        editions.append(Edition(lang))
    return editions
