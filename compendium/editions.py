"""Reads source/editions.yaml: the editions (languages) a plain `python build.py` builds."""

from __future__ import annotations

import re
from pathlib import Path

from .edition import Edition
from .fields import TEXT, items, record
from .problems import Problems
from .yamlsource import read

LANG = re.compile(r"^[a-z]{2,3}$")


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
        if lang != "en":
            for needed in (
                root / "locale" / lang / "LC_MESSAGES" / "messages.po",
                root / "translations" / f"{lang}.yaml",
            ):
                if not needed.exists():
                    problems.error(
                        entry.value["lang"].origin, f"edition '{lang}'", f"{needed.relative_to(root)} is missing"
                    )
        editions.append(Edition(lang))
    return editions
