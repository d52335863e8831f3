"""The command line: every option honoured or refused with its reason, other projects' sources,
reports printed once, the build cache, proofs, exit codes."""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from compendium import cli
from compendium.build.progress import Progress
from compendium.edition import Edition
from compendium.source.project import Project
from tests import source_counts
from tests.conftest import PROJECT, run_build
from tests.pdf import Pdf

FIXTURE = Path(__file__).parent / "fixtures" / "valid" / "source"


def usage(capsys, *argv: str) -> str:
    """What the command line says when it refuses argv; it must exit 2 without building."""
    assert cli.main(list(argv)) == cli.USAGE
    return capsys.readouterr().err.strip()


@pytest.mark.parametrize(
    ("argv", "reason"),
    [
        (["--section", "II"], "--section and --keyword choose a handout's provisions: add --variant handout"),
        (["--lang", "en", "--keyword", "children"], "--section and --keyword choose a handout's provisions"),
        (["--variant", "handout"], "a handout needs --section or --keyword"),
        (["--lang", "en", "--marks", "cross"], "--marks: only the print variant has it"),
        (["--variant", "screen", "--booklet-sheet", "actual"], "--booklet-sheet: only the booklet variant has it"),
        (["check", "--output", "x"], "--output: not an option of check (check writes nothing)"),
        (["check", "--variant", "print"], "--variant: not an option of check"),
        (["check", "--lang", "r!"], "--lang 'r!': not a language code"),  # check --lang ru checks one language
        (["translation", "--lang", "ru", "--jobs", "2"], "--jobs: not an option of translation"),
        (["--accept", "x"], "--accept: not an option of build"),
        (["translation"], "translation needs one --lang"),
        (["build", "--pages", "3"], "--pages: not an option of build (only proof renders pages)"),
        (["proof", "--jobs", "2", "--pages", "1"], "--jobs: not an option of proof"),
        (["proof"], "proof needs --pages (such as 9-12) or --provision (such as 05)"),
        (["proof", "--pages", "x"], "--pages 'x': expected page numbers such as 9-12 or 3,5,9"),
        (["--lang", "x y"], "--lang 'x y': not a language code such as 'fr'"),
        (["--jobs", "0"], "--jobs 0: at least 1"),
        (["--source", "/nonexistent/source"], "--source /nonexistent/source: not a compendium's source folder"),
        (["new", "x", "--lang", "ru"], "--lang: not an option of new (new writes a source folder and nothing else)"),
    ],
)
def test_an_option_the_command_cannot_honour_is_refused_with_its_reason(capsys, argv, reason):
    assert reason in usage(capsys, *argv)


def test_an_unknown_option_is_a_usage_error():
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--colour", "red"])
    assert exit_.value.code == cli.USAGE


def chosen(*argv: str) -> list[Edition]:
    parser = cli.options()
    return cli.chosen_editions(parser.parse_args(list(argv)), Project())


def test_without_lang_or_variant_every_configured_edition_is_built_with_the_options_given():
    configured = chosen()
    assert {e.lang for e in configured} == {"en", "ru"}
    assert {e.variant for e in configured} == {"screen", "print", "booklet", "handout"}
    letter = chosen("--paper", "letter", "--marks", "crop", "cross", "--booklet-sheet", "actual")
    # the paper and the A3 sheet each name their files
    assert [e.filename.replace("-letter", "").replace("-actual", "") for e in letter] == [
        e.filename for e in configured
    ]
    assert all(e.paper == "letter" for e in letter)
    assert all(e.marks == ("crop", "cross") for e in letter if e.variant == "print")
    assert all(e.booklet == "actual" for e in letter if e.variant == "booklet")
    assert all(e.marks == ("crop",) for e in letter if e.variant != "print")


def test_languages_times_variants_when_either_is_given():
    assert chosen("--lang", "ru") == [Edition("ru")]
    assert chosen("build", "--lang", "ru") == [Edition("ru")]
    assert [
        e.filename for e in chosen("--lang", "en", "--lang", "ru", "--variant", "print", "--variant", "screen")
    ] == [
        "compendium-en-print.pdf",
        "compendium-en.pdf",
        "compendium-ru-print.pdf",
        "compendium-ru.pdf",
    ]
    handouts = chosen("--variant", "handout", "--section", "II", "--keyword", "children")
    assert [e.selection for e in handouts] == [("section", "II"), ("keyword", "children")]


def test_version_names_the_builder_and_weasyprint(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("compendium builder ")


def test_build_lang_ru_builds_the_russian_edition_and_reports_its_coverage_once(russian_edition):
    result = russian_edition.run
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("coverage ru: ")
    assert [line for line in lines if line.startswith("wrote ")] == [
        line for line in lines if line.startswith(f"wrote {russian_edition.output / 'compendium-ru.pdf'}: ")
    ]
    assert len([line for line in lines if line.startswith("wrote ")]) == 1


def test_a_second_edition_of_a_language_does_not_repeat_its_coverage_report(russian_edition):
    # the screen edition is current (cached): only the handout is built, the report comes once
    result = run_build(
        "--lang", "ru", "--variant", "screen", "--variant", "handout", "--section", "II",
        "--output", str(russian_edition.output),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("coverage ru:") == 1
    assert f"unchanged {russian_edition.output / 'compendium-ru.pdf'}: " in result.stdout
    assert f"wrote {russian_edition.output / 'compendium-ru-handout-section-II.pdf'}: " in result.stdout


def test_an_unchanged_edition_is_not_built_again_and_force_rebuilds_it(english):
    again = run_build("--lang", "en", "--output", str(english.output))
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"unchanged {english.output / 'compendium-en.pdf'}: {english.pages} pages")


def small_project(tmp_path: Path, editions: str | None = None) -> Path:
    """The small valid fixture as a project folder of its own, away from the repository."""
    project = tmp_path / "other"
    shutil.copytree(FIXTURE, project / "source")
    if editions:
        (project / "source" / "editions.yaml").write_text(editions)
    return project


def test_source_builds_another_folders_compendium_into_that_folders_output(tmp_path):
    project = small_project(tmp_path)
    result = run_build("--source", str(project / "source"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("wrote other/output/compendium-en.pdf: ")
    assert (project / "output" / "compendium-en.pdf").is_file()
    assert not (PROJECT / "output" / "other").exists()
    check = run_build("check", "--source", str(project / "source"), cwd=tmp_path)
    assert check.stdout.startswith("source OK: 1 sections, 2 provisions")


def test_a_changed_input_rebuilds_exactly_the_editions_that_contain_it(tmp_path):
    project = small_project(
        tmp_path,
        "- lang: en\n  variants: [screen, handout]\n  handouts:\n    - keyword: children\n    - keyword: prevention\n",
    )
    source = str(project / "source")
    first = run_build("--source", source, "--jobs", "2", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("wrote ") == 3
    decision = project / "source" / "decisions" / "mc-dec-1-19.yaml"
    # paragraph 2 is provision 2's, whose panel has only the keyword 'prevention'
    decision.write_text(decision.read_text().replace("Do the second thing", "Do the second thing well"))
    second = run_build("--source", source, "--jobs", "2", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    rebuilt = sorted(line.split()[1].rstrip(":") for line in second.stdout.splitlines() if line.startswith("wrote"))
    kept = sorted(line.split()[1].rstrip(":") for line in second.stdout.splitlines() if line.startswith("unchanged"))
    assert rebuilt == ["other/output/compendium-en-handout-keyword-prevention.pdf", "other/output/compendium-en.pdf"]
    assert kept == ["other/output/compendium-en-handout-keyword-children.pdf"]
    assert second.stdout.splitlines()[-1].startswith("3 editions: 2 built, 1 unchanged, 0 failed")


def test_proof_writes_the_pages_asked_for_beside_the_pdf(english):
    result = run_build("proof", "--pages", "2-3,9", "--dpi", "36", "--output", str(english.output))
    assert result.returncode == 0, result.stderr
    written = [Path(line.removeprefix("wrote ")) for line in result.stdout.splitlines()]
    width = len(str(len(english.pdf)))  # page numbers in the names have as many digits as the last page's
    assert [path.name for path in written] == [f"compendium-en-p{page:0{width}d}.png" for page in (2, 3, 9)]
    for path in written:
        assert path.parent == english.output
        with Image.open(path) as image:
            assert image.size == (round(595.28 * 36 / 72), round(841.89 * 36 / 72))  # A4 at 36 dpi


def test_proof_of_a_provision_renders_its_pages(english):
    from tests.pdf import flat

    result = run_build("proof", "--provision", "05", "--dpi", "20", "--output", str(english.output))
    assert result.returncode == 0, result.stderr
    [path] = [Path(line.removeprefix("wrote ")) for line in result.stdout.splitlines()]
    page = int(path.stem.rsplit("-p", 1)[1])
    assert "05" in flat(english.pdf.texts[page - 1]).split()  # the provision's number, set large on its page
    assert english.pdf.named["provision-05"] == page - 1
    last = source_counts.count().provisions  # numbered from 01, as the source has them
    missing = run_build("proof", "--provision", f"{last + 1:02d}", "--output", str(english.output))
    assert missing.returncode == 1
    assert missing.stderr.strip() == f"proof: provision {last + 1:02d}: not in this edition (it has 01 to {last:02d})"


def test_progress_shows_on_a_terminal_only():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, log = Terminal(), io.StringIO()
    for stream in (terminal, log):
        progress = Progress(2, enabled=True, stream=stream)
        progress.stage("compendium-en.pdf", "WeasyPrint layout")
        progress.finished("compendium-en.pdf")
        progress.clear()
    assert "[0/2]" in terminal.getvalue() and "compendium-en.pdf: WeasyPrint layout" in terminal.getvalue()
    assert "[1/2]" in terminal.getvalue()
    assert log.getvalue() == ""
    quiet = Terminal()
    Progress(1, enabled=False, stream=quiet).stage("x", "y")
    assert quiet.getvalue() == ""


def test_quiet_prints_nothing_but_problems(english):
    result = run_build("--lang", "en", "--quiet", "--output", str(english.output))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_namespace_without_options_is_a_default_build():
    # options given are told from defaults: nothing given builds every configured edition
    assert {name for name in vars(cli.options().parse_args([])) if name != "command"} == set()
    assert isinstance(cli.options().parse_args(["build"]), argparse.Namespace)


def test_proof_of_an_edited_provision_lays_out_only_its_page(english, tmp_path):
    from tests.pdf import Pdf

    project = tmp_path / "edited"
    shutil.copytree(PROJECT / "source", project / "source")
    shutil.copytree(english.output, project / "output")  # the last build's PDF, now stale
    decision = project / "source" / "decisions" / "mc-dec-6-17.yaml"
    decision.write_text(
        decision.read_text().replace("Promote dialogue and co-operation", "Promote dialogue, trust and co-operation")
    )
    result = run_build("proof", "--provision", "05", "--dpi", "30", "--source", str(project / "source"))
    assert result.returncode == 0, result.stderr
    page = english.pdf.named["provision-05"] + 1
    shown = project / "output" / f"compendium-en-p{page:0{len(str(len(english.pdf)))}d}.png"
    assert result.stdout.strip() == f"wrote {shown} (provision 05 laid out alone, at its page in the last build)"
    old = Pdf(english.output / "compendium-en.pdf").document[page - 1].render(scale=30 / 72).to_pil().convert("RGB")
    with Image.open(shown) as new:
        assert new.size == old.size
        assert new.convert("RGB").tobytes() != old.tobytes()  # the edit is on it
        # the same page furniture: the side tab's colour at the outer edge, and the page number's ink
        assert new.convert("RGB").getpixel((new.size[0] - 3, new.size[1] // 2)) == old.getpixel(
            (old.size[0] - 3, old.size[1] // 2)
        )


def test_new_writes_a_compendium_that_checks_strictly_and_builds(tmp_path):
    folder = tmp_path / "my-compendium"
    made = run_build("new", str(folder))
    assert made.returncode == 0, made.stderr
    assert (folder / "source" / "editions.yaml").is_file()
    checked = run_build("check", "--strict", "--source", str(folder / "source"))
    assert checked.returncode == 0, checked.stderr
    assert "source OK: 2 sections, 3 provisions, 1 decisions" in checked.stdout
    built = run_build("--source", str(folder / "source"))
    assert built.returncode == 0, built.stderr
    assert len(Pdf(folder / "output" / "my-compendium-en.pdf")) > 0


def test_new_never_writes_over_an_existing_source_folder(tmp_path, capsys):
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "compendium.yaml").write_text("title: mine\n")
    assert "already exists (choose a new folder)" in usage(capsys, "new", str(tmp_path))
    assert (tmp_path / "source" / "compendium.yaml").read_text() == "title: mine\n"


# -- the command's name ----------------------------------------------------------------------------


def test_the_installed_command_names_itself_compendium():
    installed = Path(sys.executable).parent / "compendium"
    if not installed.exists():
        pytest.skip("the package is not installed as a command here (pip install -e .)")
    helped = subprocess.run([str(installed), "--help"], capture_output=True, text=True, check=True).stdout
    assert helped.startswith("usage: compendium ")
    assert "  compendium --lang ru " in helped
    assert "build.py" not in helped
    refused = subprocess.run([str(installed), "--lang", "x y"], capture_output=True, text=True, check=False)
    assert (refused.returncode, refused.stderr) == (
        cli.USAGE,
        "compendium: --lang 'x y': not a language code such as 'fr'\n",
    )


def test_build_py_names_itself_build_py():
    helped = run_build("--help").stdout
    assert helped.startswith("usage: build.py ")
    assert "  python build.py --lang ru " in helped
    assert "  compendium " not in helped


@pytest.mark.parametrize(
    ("line", "wrong"), [("variants: [screen]", "variants: [scren]"), ("lang: en", "lang: en\n  paper: a5")]
)
def test_an_unknown_variant_or_paper_in_editions_yaml_is_a_located_error(tmp_path: Path, line: str, wrong: str):
    assert cli.main(["new", str(tmp_path / "project"), "--quiet"]) == cli.DONE
    editions = tmp_path / "project" / "source" / "editions.yaml"
    editions.write_text(editions.read_text(encoding="utf-8").replace(line, wrong, 1), encoding="utf-8")
    result = run_build("--source", str(editions.parent), "--output", str(tmp_path / "out"))
    assert result.returncode == cli.FAILED
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("source/editions.yaml:"), result.stderr
