"""Attacker round 10, S5, S7, S10, S12: a stylesheet or image too large to read, a full disk, an
immutable translation file and an http: address from a catalogue, each told in one located line."""

from __future__ import annotations

import errno
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT, run_build

SIZE = "a file of 70 MB, more than the builder reads (at most 64 MB)"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("q") / "p"
    assert run_build("new", str(root)).returncode == 0
    return root


@pytest.mark.parametrize("where", ["styles/screen.css", "images/mark.svg"])
def test_a_stylesheet_or_image_too_large_is_refused_by_check_and_before_the_build(project: Path, where: str):
    """A sparse file: 70 MB by its size, nothing on the disk; refused by its size, never read."""
    big = project / where
    big.parent.mkdir(exist_ok=True)
    big.write_text((PROJECT / "styles" / "screen.css").read_text(encoding="utf-8") if where.endswith("css") else "")
    os.truncate(big, 70 * 2**20)
    try:
        check = run_build("check", "--source", str(project / "source"))
        build = run_build("--source", str(project / "source"), "--lang", "en", "--variant", "screen", "-q")
    finally:
        big.unlink()
    for result in (check, build):
        assert result.returncode == 1, result.stderr
        assert f"{where}:1: {SIZE}" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr and "WeasyPrint" not in result.stderr


def limited(size: int, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """build.py run as on a full disk: no file it writes may grow past `size` bytes (ulimit -f)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        preexec_fn=limit,  # noqa: PLW1509 (no threads here: the test's own process)
        check=False,
    )


def test_interface_on_a_full_disk_names_the_file_and_leaves_nothing(tmp_path: Path):
    root = tmp_path / "p"
    assert run_build("new", str(root)).returncode == 0
    before = sorted(root.rglob("*"))
    result = limited(2048, "interface", "--lang", "ru", "--source", str(root / "source"), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "interface --lang ru: cannot write locale/ru/LC_MESSAGES/messages.po: " in result.stderr, result.stderr
    assert "ulimit -f" in result.stderr and "Traceback" not in result.stderr
    assert sorted(root.rglob("*")) == before  # no .part, no .tmp, no empty locale/ru/LC_MESSAGES
    assert run_build("interface", "--lang", "ru", "--source", str(root / "source")).returncode == 0


def test_import_catalogue_on_a_full_disk_names_the_file_and_leaves_nothing(tmp_path: Path):
    catalogue = tmp_path / "catalogue.json"
    item = {"id": "a", "type": "book", "title": "A title " * 200, "author": [{"family": "Smith", "given": "J."}]}
    catalogue.write_text(json.dumps([item | {"issued": {"date-parts": [[2020]]}}]), encoding="utf-8")
    result = limited(1024, "import-catalogue", str(catalogue), str(tmp_path / "out.yaml"), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert f"import-catalogue: cannot write {tmp_path / 'out.yaml'}: " in result.stderr, result.stderr
    assert "ulimit -f" in result.stderr and "Traceback" not in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["catalogue.json"]


def test_an_immutable_translation_file_is_named_as_the_file_not_its_folder(tmp_path: Path):
    root = tmp_path / "p"
    assert run_build("new", str(root)).returncode == 0
    source = str(root / "source")
    assert run_build("translation", "--lang", "ru", "--source", source).returncode == 0
    ru = root / "translations" / "ru.yaml"
    if subprocess.run(["chattr", "+i", str(ru)], capture_output=True, check=False).returncode != 0:
        pytest.skip("chattr +i is not permitted here (test_a_failed_write_is_worded_by_what_failed covers it)")
    try:
        result = run_build("translation", "--lang", "ru", "--source", source)
    finally:
        subprocess.run(["chattr", "-i", str(ru)], check=False)
    assert result.returncode == 1
    wanted = "cannot write translations/ru.yaml: the file in place may not be replaced (immutable, or no permission)"
    assert wanted in result.stderr and "the folder" not in result.stderr, result.stderr
    assert sorted(path.name for path in ru.parent.iterdir()) == ["ru.yaml"]


@pytest.mark.parametrize(
    "fails, code, wanted",
    [
        ("replace", errno.EPERM, "the file in place may not be replaced (immutable, or no permission)"),
        ("open", errno.EACCES, "the folder may not be written to (read-only, or no permission)"),
        ("open", errno.EROFS, "the folder may not be written to (read-only, or no permission)"),
    ],
)
def test_a_failed_write_is_worded_by_what_failed(tmp_path: Path, monkeypatch, fails: str, code: int, wanted: str):
    """The rename over the file in place, refused (chattr +i gives EPERM), is the file's fault; the
    new file beside it, refused, is the folder's."""
    from compendium.source import files

    target = tmp_path / "ru.yaml"
    target.write_text("old\n", encoding="utf-8")

    def refused(*args, **kwargs):
        raise OSError(code, os.strerror(code), str(args[0]))

    monkeypatch.setattr(files.os, fails, refused)
    with pytest.raises(files.WriteError) as raised:
        files.write_text(target, "new\n", what="translations/ru.yaml")
    assert str(raised.value).startswith(f"cannot write translations/ru.yaml: {wanted}"), raised.value
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["ru.yaml"]


def test_an_http_address_from_a_catalogue_is_left_out_with_a_note_not_written_for_check_to_refuse(tmp_path: Path):
    """Not made https:// either: the publication may have no such address (the data says only what is known)."""
    catalogue, target = tmp_path / "catalogue.json", tmp_path / "publications.yaml"
    item = {"title": "Report", "author": [{"family": "Smith"}], "issued": {"date-parts": [[2020]]}}
    items = [
        item | {"id": "a", "URL": "http://insecure.example.org"},
        item | {"id": "b", "URL": "https://ok.example.org"},
    ]
    catalogue.write_text(json.dumps(items), encoding="utf-8")
    result = run_build("import-catalogue", str(catalogue), str(target), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "URL 'http://insecure.example.org' is no https:// address, which publications.yaml requires; left out" in (
        result.stderr
    )
    written = target.read_text(encoding="utf-8")
    assert "insecure.example.org" not in written and "url: https://ok.example.org" in written, written


def test_a_refused_replacement_in_output_leaves_no_old_copy_and_a_later_one_sweeps_them(tmp_path: Path, monkeypatch):
    """The shop's sheet may not be replaced (chattr +i: the rename gives EPERM): the set is
    refused, and no `.<name>.<hex>.old` is left in output/; the next build removes old ones."""
    from compendium.source import files

    output = tmp_path / "output"
    output.mkdir()
    pdf, sheet = output / "c-en-print.pdf", output / "c-en-print-shop.txt"
    for target in (pdf, sheet):
        target.write_text("old\n", encoding="utf-8")

    def finished() -> list[tuple[Path, Path]]:
        made = tmp_path / "made"
        made.mkdir(exist_ok=True)
        for target in (pdf, sheet):
            (made / target.name).write_text("new\n", encoding="utf-8")
        return [(made / target.name, target) for target in (pdf, sheet)]

    replace = os.replace

    def immutable(source, target, *args, **kwargs):
        if Path(target) == sheet:
            raise PermissionError(errno.EPERM, os.strerror(errno.EPERM), str(source), str(target))
        return replace(source, target, *args, **kwargs)

    monkeypatch.setattr(files.os, "replace", immutable)
    with pytest.raises(files.WriteError, match="the file in place may not be replaced"):
        files.move_all_into_place(finished())
    monkeypatch.undo()
    assert sorted(path.name for path in output.iterdir()) == sorted([pdf.name, sheet.name])
    assert pdf.read_text(encoding="utf-8") == sheet.read_text(encoding="utf-8") == "old\n"
    stale = output / f".{sheet.name}.2f32ad97.old"  # left by a refusal before this was mended
    stale.write_text("old\n", encoding="utf-8")
    kept = output / f".{sheet.name}.notes.old"  # not the builder's name for a copy: kept
    kept.write_text("mine\n", encoding="utf-8")
    files.move_all_into_place(finished())
    assert sorted(path.name for path in output.iterdir()) == sorted([pdf.name, sheet.name, kept.name])
    assert pdf.read_text(encoding="utf-8") == sheet.read_text(encoding="utf-8") == "new\n"


@pytest.mark.parametrize(
    "pages, wanted",
    [
        ("0", "--pages '0': page 0: pages are numbered from 1 (the cover)"),
        ("3-1", "--pages '3-1': page 3-1: a range runs from its first page to its last (1-3?)"),
        ("2,0-4", "--pages '2,0-4': page 0-4: pages are numbered from 1 (the cover)"),
    ],
)
def test_proof_of_a_page_no_edition_has_is_a_wrong_command_line(project: Path, pages: str, wanted: str):
    """Told before any build, with the status of a wrong command line (2), not of a failed build (1)."""
    before = sorted(project.rglob("*"))
    result = run_build(
        "proof", "--source", str(project / "source"), "--lang", "en", "--variant", "screen", "--pages", pages
    )
    assert result.returncode == 2, result.stderr
    assert wanted in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert sorted(project.rglob("*")) == before  # nothing built


def test_a_source_given_as_the_compendium_yaml_or_the_project_folder_is_told_the_folder_meant(project: Path):
    for given, meant in (
        (project / "source" / "compendium.yaml", "it is the file compendium.yaml"),
        (project, "a project folder"),
    ):
        result = run_build("check", "--source", str(given))
        assert result.returncode == 2, result.stderr
        wanted = f"--source {given}: not a compendium's source folder ({meant}; "
        assert wanted in result.stderr and f"--source {project / 'source'})" in result.stderr, result.stderr
        assert "it has no compendium.yaml" not in result.stderr


def _nothing_written(*args, **kwargs):
    raise AssertionError("the starter was written")


@pytest.mark.parametrize("where", ["/", "home"])
def test_new_into_a_file_system_s_root_or_a_folder_of_other_things_is_refused(
    tmp_path: Path, monkeypatch, capsys, where: str
):
    """`new /` wrote /source (as root); `new ~` would mix a project into a home folder. Run in this
    process, the starter's writer replaced: nothing is written even where the refusal is missing."""
    from compendium import cli
    from compendium.source import starter

    folder = Path(where) if where == "/" else tmp_path / where
    if where == "home":
        (folder / "Documents").mkdir(parents=True)
        for name in ("notes.txt", ".bashrc"):  # a hidden file is not named
            (folder / name).write_text("mine\n", encoding="utf-8")
    monkeypatch.setattr(starter, "write_starter", _nothing_written)
    assert cli.main(["new", str(folder)]) == cli.USAGE
    err = capsys.readouterr().err
    wanted = "the root of the file system" if where == "/" else "holds other things (Documents, notes.txt)"
    assert f"new {folder}: " in err and wanted in err and "choose a new folder" in err, err


def test_new_into_an_empty_folder_or_a_project_s_folder_without_source_is_written(tmp_path: Path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "project" / "translations").mkdir(parents=True)
    for folder in (tmp_path / "empty", tmp_path / "project"):
        assert run_build("new", str(folder)).returncode == 0
        assert (folder / "source" / "compendium.yaml").is_file()


def test_import_catalogue_says_a_year_bc_ids_other_scripts_and_refuses_a_folder_s_name(tmp_path: Path):
    catalogue = tmp_path / "catalogue.json"
    items = [
        {
            "id": "a",
            "title": "Доклад",
            "author": [{"family": "Иванов", "given": "И."}],
            "issued": {"date-parts": [[2020]]},
        },
        {"id": "b", "title": "报告", "author": [{"family": "王"}], "issued": {"date-parts": [[2020]]}},
        {"id": "c", "title": "De bello Gallico", "author": [{"family": "Caesar"}], "issued": {"date-parts": [[-44]]}},
    ]
    catalogue.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    folder = run_build("import-catalogue", str(catalogue), "out/", cwd=tmp_path)
    assert folder.returncode == 2 and "out/: a folder's name (it ends in /)" in folder.stderr, folder.stderr
    assert not (tmp_path / "out").exists()
    result = run_build("import-catalogue", str(catalogue), "publications.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "item 3 ('c'): issued -44, before 1450, the first year publications.yaml takes; left out" in result.stderr
    assert "no issued" not in result.stderr, result.stderr
    written = (tmp_path / "publications.yaml").read_text(encoding="utf-8")
    assert "- id: ivanov-2020-doklad\n" in written and "- id: wang-2020-bao-gao\n" in written, written
