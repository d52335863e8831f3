"""Bad input gets exact, located messages (one fixture per rule), and the shipped source is clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from compendium.source.load import load
from tests import source_counts
from tests.conftest import PROJECT

FIXTURES = Path(__file__).parent / "fixtures"
INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))


def fixture_tree(tmp_path: Path, fixture: Path) -> Path:
    """The valid fixture source with one file replaced by the bad-input fixture."""
    source = tmp_path / "source"
    shutil.copytree(FIXTURES / "valid" / "source", source)
    text = fixture.read_text(encoding="utf-8")
    target = text.splitlines()[0].removeprefix("# replaces: ")
    (source / target).write_text(text, encoding="utf-8")
    return source


def expected(fixture: Path) -> list[str]:
    lines = fixture.read_text(encoding="utf-8").splitlines()
    return [line.removeprefix("# expect: ") for line in lines if line.startswith("# expect: ")]


def test_valid_fixture_loads_without_problems():
    compendium, problems = load(FIXTURES / "valid" / "source")
    assert [str(p) for p in problems.items] == []
    assert compendium.summary() == (
        "1 sections, 2 provisions, 1 decisions, 2 paragraphs, 2 keywords, 2 publications, 3 citations"
    )


def test_every_fixture_states_what_it_expects():
    assert len(INVALID) >= 25
    assert all(expected(f) for f in INVALID)


@pytest.mark.parametrize("fixture", INVALID, ids=[f.stem for f in INVALID])
def test_bad_input_gives_exact_located_messages(tmp_path: Path, fixture: Path):
    compendium, problems = load(fixture_tree(tmp_path, fixture))
    assert [str(p) for p in problems.sorted()] == expected(fixture)
    if problems.errors:
        assert compendium is None


def test_shipped_source_is_clean_even_under_strict():
    compendium, problems = load(PROJECT / "source")
    assert [str(p) for p in problems.items] == []
    assert compendium.summary() == source_counts.count().summary()


def run_check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "check", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        check=False,
    )


def test_check_command_prints_a_summary_and_succeeds():
    result = run_check()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"source OK: {source_counts.count().summary()}"


def test_check_command_reports_every_problem_without_traceback(tmp_path: Path):
    source = fixture_tree(tmp_path, FIXTURES / "invalid" / "unknown_key.yaml")
    result = run_check("--source", str(source))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        *expected(FIXTURES / "invalid" / "unknown_key.yaml"),
        "check failed: 2 error(s), 0 warning(s)",
    ]


def test_warnings_fail_only_under_strict(tmp_path: Path):
    source = fixture_tree(tmp_path, FIXTURES / "invalid" / "publication_never_cited.yaml")
    assert run_check("--source", str(source)).returncode == 0
    strict = run_check("--source", str(source), "--strict")
    assert strict.returncode == 1
    assert "warning: publication 'never-cited-2010': never cited" in strict.stderr
