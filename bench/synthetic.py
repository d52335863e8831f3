"""A larger source for the benchmark: the real one written out several times over."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parent.parent


def synthetic_source(times: int, folder: Path) -> Path:
    """The source written out `times` over: every decision copied under new numbers (6/17 →
    6/27, 6/37 …) and every provision repeated once for each copy, so that the whole pipeline,
    loading included, sees `times` the content."""
    source = folder / "source"
    shutil.copytree(PROJECT / "source", source)
    outline = yaml.safe_load((source / "compendium.yaml").read_text())
    provisions = yaml.safe_load((source / "provisions.yaml").read_text())

    def renamed(decision_id: str, copy: int) -> str:
        number, year = decision_id.split("/")
        return f"{number}/{int(year) + 10 * copy}"

    for path in sorted((source / "decisions").glob("*.yaml")):
        decision = yaml.safe_load(path.read_text())
        for number in range(1, times):
            ident = renamed(decision["id"], number)
            clone = {**decision, "id": ident, "symbol": f"MC.DEC/{ident}", "number_line": f"DECISION No. {ident}"}
            (source / "decisions" / f"mc-dec-{ident.replace('/', '-')}.yaml").write_text(yaml.safe_dump(clone))
    outline["annex"] = [renamed(d, number) for number in range(times) for d in outline["annex"]]
    copies = []
    for provision in provisions:
        for number in range(times):
            clone = copy.deepcopy(provision)  # no shared objects: PyYAML would write them as aliases
            copies.append({**clone, "number": len(copies) + 1, "decision": renamed(provision["decision"], number)})
    (source / "compendium.yaml").write_text(yaml.safe_dump(outline, allow_unicode=True))
    (source / "provisions.yaml").write_text(yaml.safe_dump(copies, allow_unicode=True))
    return source
