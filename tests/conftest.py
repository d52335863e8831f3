"""Shared fixtures: the project's own source, loaded once, and the seed."""

from __future__ import annotations

from pathlib import Path

import pytest

from compendium.load import load
from compendium.model import Compendium
from tests.seed import Seed

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def compendium() -> Compendium:
    result, problems = load(PROJECT / "source")
    assert not problems.items, "\n".join(str(p) for p in problems.sorted())
    return result


@pytest.fixture(scope="session")
def seed() -> Seed:
    return Seed()


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The English edition, built once for the session with --strict (any WeasyPrint warning fails)."""
    from compendium.edition import Edition
    from compendium.pipeline import Project, build
    from tests.pdf import Pdf

    output = tmp_path_factory.mktemp("output")
    report = build(Edition(), Project(output_dir=output), strict=True)
    return report, Pdf(report.path)
