"""Attacker round 10, S2: a line or paragraph separator pasted into a text is refused at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_build


@pytest.mark.parametrize("separator", ["\\u2028", "\\u2029"])
def test_a_pasted_line_separator_is_refused_at_its_line(tmp_path: Path, separator: str):
    """Written as an escape in a double-quoted text (a raw one is a YAML line break: a space)."""
    project = tmp_path / "p"
    assert run_build("new", str(project)).returncode == 0
    keywords = project / "source" / "keywords.yaml"
    lines = keywords.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(number for number, line in enumerate(lines) if "label:" in line)
    head, label = lines[at].split("label:", 1)
    lines[at] = f'{head}label: "{label.strip().strip(chr(34) + chr(39))}{separator}more"\n'
    keywords.write_text("".join(lines), encoding="utf-8")
    result = run_build("check", "--source", str(project / "source"))
    assert result.returncode == 1, result.stdout
    assert f"source/keywords.yaml:{at + 1}: " in result.stderr and "separator" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
