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


def _import(tmp_path, text: str | bytes, name: str = "b.json"):
    catalogue = tmp_path / name
    catalogue.write_bytes(text.encode() if isinstance(text, str) else text)
    target = tmp_path / "out.yaml"
    return catalogue, target, run_build("import-catalogue", str(catalogue), str(target))


def test_a_value_of_the_wrong_type_is_one_located_line_per_item_and_nothing_is_written(tmp_path):
    items = (
        '[{"id":1,"title":["x"],"author":"bob","issued":{"date-parts":[["x"]]}},'
        ' {"id":2,"title":"t","author":[5],"issued":{"date-parts":"2020"}}]'
    )
    catalogue, target, result = _import(tmp_path, items)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.splitlines() == [
        f"import-catalogue: {catalogue}: item 1: key 'author': expected a list of names, found a text",
        f"import-catalogue: {catalogue}: item 1: key 'issued': 'date-parts': expected a year, found a text",
        f"import-catalogue: {catalogue}: item 1: key 'title': expected a text, found a list",
        f"import-catalogue: {catalogue}: item 2: key 'author': name 1: expected an object (family, given or "
        "literal), found a number (5)",
        f"import-catalogue: {catalogue}: item 2: key 'issued': 'date-parts': expected a list of [year, month, "
        "day] lists, found a text",
    ]
    assert not target.exists()


def test_a_file_nested_too_deeply_not_utf8_or_missing_is_named(tmp_path):
    catalogue, target, result = _import(tmp_path, "[" * 100000 + "]" * 100000)
    assert result.stderr == f"import-catalogue: {catalogue}: not CSL-JSON (nested too deeply)\n"
    catalogue, target, result = _import(tmp_path, "[]".encode("utf-16"), "u.json")
    assert result.stderr == f"import-catalogue: {catalogue}: UTF-16 text; export or save it as UTF-8\n"
    missing = tmp_path / "missing.json"
    result = run_build("import-catalogue", str(missing), str(target))
    assert result.returncode == 1
    assert result.stderr == f"import-catalogue: {missing}: cannot read it (No such file or directory)\n"
    assert not target.exists()


# Attacker round 5, N6.
ITEM = '"title":"T","author":[{"family":"F","given":"G"}],"issued":{"date-parts":[[2020]]}'


def test_a_key_given_twice_is_refused_not_its_last_value_kept(tmp_path):
    catalogue, target, result = _import(tmp_path, '[{"id":"a","title":"One",' + ITEM + "}]")
    assert result.returncode == 1 and result.stderr.splitlines() == [
        f"import-catalogue: {catalogue}: an object ('a') has the key 'title' twice: keep one value (which was meant?)"
    ], result.stderr
    assert not target.exists()


def test_an_address_check_would_refuse_and_an_item_that_is_no_object_are_said_so(tmp_path):
    items = '[{"id":"a","URL":"javascript:alert(1)",' + ITEM + "}, [1]]"
    _, target, result = _import(tmp_path, items)
    assert result.returncode == 0 and target.exists(), result.stderr
    assert (
        "import-catalogue: f-2020-t: URL 'javascript:alert(1)' is no https:// address, "
        "which publications.yaml requires; left out" in result.stderr
    )
    assert "item 2: not a CSL item (expected a JSON object, found a list); left out" in result.stderr
    assert "javascript" not in target.read_text(encoding="utf-8")
