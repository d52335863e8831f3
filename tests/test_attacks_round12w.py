"""Attacker round 12, M5, M6, S6, S7 and N1-N5: a translator's save made while a command ran, two
commands making one new file at once, a project stylesheet's page and nesting, and the smaller
faults, each told in one located line."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from compendium import cli
from compendium.source import files
from tests.conftest import PROJECT, run_build


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("w") / "p"
    assert run_build("new", str(root)).returncode == 0
    return root


def saved_by_an_editor(path: Path, text: str) -> None:
    """As an editor (or sed -i) saves: a new file renamed over the old."""
    fresh = path.with_name(path.name + ".new")
    fresh.write_text(text, encoding="utf-8")
    os.replace(fresh, path)


def test_a_translators_save_while_translation_runs_is_kept(tmp_path: Path, monkeypatch, capsys):
    for folder in ("source", "translations", "locale"):
        shutil.copytree(PROJECT / folder, tmp_path / folder)
    ru = tmp_path / "translations" / "ru.yaml"
    edited = ru.read_text(encoding="utf-8") + "# the translator's note, saved while the command ran\n"
    loading = cli._load_translation

    def load_then_save(project, lang):
        loaded = loading(project, lang)
        saved_by_an_editor(ru, edited)  # after the command read the file, before it writes it back
        return loaded

    monkeypatch.setattr(cli, "_load_translation", load_then_save)
    status = cli.main(["translation", "--source", str(tmp_path / "source"), "--lang", "ru"])
    err = capsys.readouterr().err
    assert status == cli.FAILED, err
    assert ru.read_text(encoding="utf-8") == edited
    assert err.strip().splitlines() == [
        "cannot write translations/ru.yaml: it changed while this command ran (saved in an editor?): "
        "run the command again; the file is unchanged"
    ]
    assert not [p.name for p in ru.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_rewrite_over_an_unchanged_file_goes_ahead(tmp_path: Path):
    target = tmp_path / "t.yaml"
    target.write_text("a\n")
    files.write_text(target, "b\n", since=files.Read.of(target))
    assert target.read_text() == "b\n"
    files.write_text(tmp_path / "new.yaml", "c\n", since=files.Read.of(tmp_path / "new.yaml"))
    assert (tmp_path / "new.yaml").read_text() == "c\n"


def made_meanwhile(monkeypatch, text: str) -> None:
    """Another command makes the file just before this one's final step (the window of the race)."""
    placing = files._into_place

    def first_another(temporary: Path, target: Path, doing: str, since, new: bool) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        placing(temporary, target, doing, since, new)

    monkeypatch.setattr(files, "_into_place", first_another)


def test_two_imports_into_one_new_file_keep_the_first(tmp_path: Path, monkeypatch, capsys):
    target = tmp_path / "out.yaml"
    made_meanwhile(monkeypatch, "# the other import's catalogue\n")
    status = cli.main(["import-catalogue", str(PROJECT / "tests" / "fixtures" / "csl" / "library.json"), str(target)])
    err = capsys.readouterr().err
    assert status == cli.FAILED, err
    assert target.read_text(encoding="utf-8") == "# the other import's catalogue\n"
    assert err.strip().splitlines() == [
        f"import-catalogue: cannot write {target}: another command made it while this one ran, "
        "and it is never overwritten; nothing is written"
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["out.yaml"]


def test_interface_and_new_never_overwrite_a_file_made_meanwhile(tmp_path: Path, monkeypatch, capsys):
    shutil.copytree(PROJECT / "source", tmp_path / "p" / "source")
    made_meanwhile(monkeypatch, "# the other's\n")
    status = cli.main(["interface", "--source", str(tmp_path / "p" / "source"), "--lang", "fr"])
    err = capsys.readouterr().err
    assert status == cli.FAILED, err
    po = tmp_path / "p" / "locale" / "fr" / "LC_MESSAGES" / "messages.po"
    assert po.read_text(encoding="utf-8") == "# the other's\n"
    assert "another command made it while this one ran, and it is never overwritten" in err
    assert len(err.strip().splitlines()) == 1
    status = cli.main(["new", str(tmp_path / "q")])
    err = capsys.readouterr().err
    assert status == cli.FAILED, err
    assert "another command made it while this one ran" in err and len(err.strip().splitlines()) == 1
    assert [p.read_text(encoding="utf-8") for p in (tmp_path / "q" / "source").iterdir()] == ["# the other's\n"]
