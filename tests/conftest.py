"""Shared fixtures: the project's own source, loaded once; the seed; and the editions several
test files read, each built once per test run through the command line."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from compendium.model import Compendium
from compendium.source.load import load
from tests.seed import SEED, Seed

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def compendium() -> Compendium:
    result, problems = load(PROJECT / "source")
    assert not problems.items, "\n".join(str(p) for p in problems.sorted())
    return result


@pytest.fixture(scope="session")
def seed() -> Seed:
    """The seed edition's text; the tests that hold the source to it skip in a clone without it."""
    if not SEED.is_file():
        pytest.skip(f"the seed edition's text is not here ({SEED}): it lives beside the project in ../shared")
    return Seed()


def run_build(*args: str, cwd: Path = PROJECT) -> subprocess.CompletedProcess:
    """build.py as a user runs it, in its own process."""
    return subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), *args], capture_output=True, text=True, cwd=cwd, check=False
    )


def build_every_edition(output: Path, source: Path) -> Path:
    """Every edition of a fixture compendium's editions.yaml, built by the command line under --strict."""
    result = run_build("--source", str(source), "--output", str(output), "--strict")
    assert result.returncode == 0, result.stderr
    return output


def print_cover(name: str) -> str:
    """The cover a print edition comes with, for the print shop: its file beside the interior's."""
    return name.removesuffix(".pdf") + "-cover.pdf"


@dataclass
class Built:
    """An edition built by the command line: what it printed, and the PDF."""

    output: Path
    run: subprocess.CompletedProcess
    pdf: object  # tests.pdf.Pdf

    @property
    def warnings(self) -> list[str]:
        return [line for line in self.run.stderr.splitlines() if line.startswith("warning:")]

    @property
    def path(self) -> Path:
        return self.pdf.path

    @property
    def pages(self) -> int:
        return int(re.search(r": (\d+) pages", self.run.stdout).group(1))


def build_with_cli(output: Path, lang: str, strict: bool = True) -> Built:
    from tests.pdf import Pdf

    result = run_build("build", "--lang", lang, *(["--strict"] if strict else []), "--output", str(output))
    assert result.returncode == 0, result.stderr
    return Built(output, result, Pdf(output / f"compendium-{lang}.pdf"))


@pytest.fixture(scope="session")
def english(tmp_path_factory) -> Built:
    """The English screen edition, built once for the run without --strict: the tests themselves
    assert that it warns of nothing (test_pdf.py) and of no overflow (test_overflow.py), so that
    each can fail on its own and say what it found rather than the fixture failing."""
    return build_with_cli(tmp_path_factory.mktemp("en"), "en", strict=False)


@pytest.fixture(scope="session")
def built(english):
    """The English screen edition as (what the build said, the PDF)."""
    return english, english.pdf


@pytest.fixture(scope="session")
def russian_edition(tmp_path_factory) -> Built:
    """The Russian screen edition, built once for the run with --strict."""
    return build_with_cli(tmp_path_factory.mktemp("ru"), "ru")


@pytest.fixture(scope="session")
def print_edition(tmp_path_factory):
    """The English print edition, with crop and registration marks, built once for the run with
    --strict: (what the build reported, the PDF); its folder is where the booklet test imposes it."""
    from compendium.edition import Edition
    from compendium.pipeline import Project, build
    from tests.pdf import Pdf

    output = tmp_path_factory.mktemp("print")
    report = build(Edition("en", "print", marks=("crop", "cross")), Project(output_dir=output), strict=True)
    return report, Pdf(report.path)
