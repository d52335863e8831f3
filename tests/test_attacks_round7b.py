"""The hostile tester's sixth round, findings 8 and 10-20 (docs/reviews/2026-12-06/attacker-round6.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from compendium.source.starter import write_starter
from tests.test_attacks_round5 import run


def new(tmp_path: Path, name: str = "p") -> Path:
    """A project as `compendium new` writes it (its root, with source/ inside)."""
    root = tmp_path / name
    write_starter(root)
    return root


def build(root: Path, *more: str) -> tuple[int, str]:
    return run("--source", str(root / "source"), "--lang", "en", "--variant", "screen", "--jobs", "1", *more)


@pytest.mark.parametrize("header", ["_decision.html", "_annex_decisions.html", "_provision.html", "_words.html"])
def test_a_kind_s_header_naming_another_part_s_layout_is_refused_in_check_and_build(tmp_path: Path, header: str):
    """Finding 8: the build recursed (RecursionError blaming _decision.html) or printed no header."""
    root = new(tmp_path)
    kinds = f"id: osce-mc-decision\nbased_on: osce-mc-decision\nheader: {header}\n"
    (root / "source" / "kinds.yaml").write_text(kinds, encoding="utf-8")
    wanted = (
        f"source/kinds.yaml:3: kind 'osce-mc-decision': key 'header': '{header}' is the builder's layout "
        "of another part, not a header (the headers are _header_coe_cm.html,"
    )
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and err.startswith(wanted), err
    code, err = build(root)
    assert code == 1 and err.startswith(wanted) and "Recursion" not in err, err
