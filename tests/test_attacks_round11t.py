"""Attacker round 11, M3, S4, M4, S2, S3, S5: a project's proof.html checked as its other layouts,
translation imports that run at once, a heading left no break, a damaged data: font and page
ranges that end before they begin, each told in one located line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import PROJECT, run_build

FETCHED = '<img alt="x" src="file:///etc/passwd"><p style="background:url(file:///etc/hostname)">x</p>'
REFUSED = "layouts/proof.html:4: a reference to file:///etc/passwd: only files under fonts/"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("t") / "p"
    assert run_build("new", str(root)).returncode == 0
    return root


def with_proof_layout(root: Path, snippet: str) -> None:
    """The builder's proof.html with `snippet` at the start of its body (its line 4)."""
    layout = (PROJECT / "layouts" / "proof.html").read_text(encoding="utf-8")
    assert layout.splitlines()[3] == "{% block body %}"
    (root / "layouts").mkdir(exist_ok=True)
    (root / "layouts" / "proof.html").write_text(layout.replace("{% block body %}", "{% block body %}" + snippet))


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [("{{ 1/0 }}", "layouts/proof.html:4: the layout failed: ZeroDivisionError"), (FETCHED, REFUSED)],
)
def test_check_renders_the_projects_proof_layout(project: Path, snippet: str, expected: str):
    with_proof_layout(project, snippet)
    try:
        check = run_build("check", "--source", str(project / "source"))
    finally:
        shutil.rmtree(project / "layouts")
    assert check.returncode == 1, check.stderr
    assert expected in check.stderr, check.stderr
    assert "Traceback" not in check.stderr


def test_proof_refuses_a_file_reference_in_its_layout_at_its_line(project: Path):
    edition = ("--source", str(project / "source"), "--lang", "en", "--variant", "screen")
    assert run_build("proof", "--provision", "1", *edition).returncode == 0
    with_proof_layout(project, FETCHED)
    provisions = project / "source" / "provisions.yaml"
    text = provisions.read_text(encoding="utf-8")
    provisions.write_text(text + "# changed: the PDF is stale, and the provision is laid out alone\n")
    try:
        proof = run_build("proof", "--provision", "1", *edition)
    finally:
        shutil.rmtree(project / "layouts")
        provisions.write_text(text)
    assert proof.returncode == 1, proof.stderr
    assert proof.stderr.startswith(f"proof: {REFUSED}"), proof.stderr
    assert "Traceback" not in proof.stderr and "FatalURLFetchingError" not in proof.stderr
