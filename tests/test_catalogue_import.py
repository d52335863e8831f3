"""A librarian's catalogue exported as CSL-JSON becomes publications.yaml that check accepts."""

from __future__ import annotations

from pathlib import Path

from compendium.source.catalogue import read_publications
from compendium.source.problems import Problems
from compendium.source.yamlsource import read
from tests.conftest import run_build

LIBRARY = Path(__file__).parent / "fixtures" / "csl" / "library.json"


def test_a_csl_export_becomes_publications_the_loader_accepts_and_says_what_it_left_out(tmp_path):
    target = tmp_path / "publications.yaml"
    result = run_build("import-catalogue", str(LIBRARY), str(target))
    assert result.returncode == 0, result.stderr
    assert "item 3 ('untitled'): no title, author (publications.yaml requires them); left out" in result.stderr
    assert "not carried over (no field in publications.yaml): abstract" in result.stderr
    problems = Problems()
    publications = read_publications(read(target, tmp_path, problems), 2030, problems)
    assert not problems.errors, [str(p) for p in problems.errors]
    article = publications["example-2019-confidence-building-in-cyberspace"]
    assert (article.container, article.volume, article.issue, article.pages) == (
        "Journal of Test Security Studies",
        "12",
        "3",
        "45-67",
    )
    assert article.doi_url == "https://doi.org/10.5555/jtss.2019.045" and article.url is None
    assert article.authors == ("Jane Example", "John Sample") and article.languages == ("ENG",)
    report = publications["tgge-2015-report-on-developments"]  # an organisation: its initials
    assert report.languages == ("CHI",) and (report.place, report.publisher) == ("New York", "United Nations")


def test_an_existing_file_is_never_overwritten(tmp_path):
    target = tmp_path / "publications.yaml"
    target.write_text("[]\n")
    result = run_build("import-catalogue", str(LIBRARY), str(target))
    assert result.returncode == 2 and "already exists" in result.stderr
    assert target.read_text() == "[]\n"
