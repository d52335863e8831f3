"""A hostile project folder, a fault while writing, a careless edit: refused or reported in one
line, nothing lost, nothing run that the builder did not mean to run (issue 21)."""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from compendium import cli
from compendium.build.cache import Manifest
from compendium.edition import Edition
from compendium.render.html import LayoutError, render_html
from compendium.render.locale import Language
from compendium.source import files
from compendium.source.files import WriteError, write_bytes
from compendium.source.inputs import key, recording
from compendium.source.load import load
from compendium.source.project import Project
from tests.conftest import PROJECT

# --- layouts run in a sandbox -------------------------------------------------------------------

ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ joiner.__init__.__globals__['__builtins__']['__import__']('os').popen('id').read() }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ provision_pages.__globals__['__builtins__'] }}",
    "{{ compendium.__class__.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ compendium|attr('__class__') }}",
    "{{ '{0.__class__.__mro__}'.format(compendium) }}",
    "{% set x = [] %}{{ x.append(1) }}",
    "{% set d = {} %}{{ d.update(a=1) }}",
    "{{ meta._fields }}",
    "{{ range.__self__.__import__('os').popen('id').read() }}",
]


def project_with_layout(root: Path, text: str, name: str = "compendium.html") -> Project:
    (root / "layouts").mkdir(parents=True, exist_ok=True)
    (root / "layouts" / name).write_text(text, encoding="utf-8")
    return Project(root=root)


@pytest.fixture(scope="module")
def english(compendium) -> Language:
    return Language("en", PROJECT / "locale", compendium.metadata.language)


@pytest.mark.parametrize("escape", ESCAPES)
def test_a_project_layout_cannot_reach_python(escape: str, compendium, english, tmp_path: Path):
    project = project_with_layout(tmp_path, f"<p>{escape}</p>")
    with pytest.raises(LayoutError) as caught:
        html = render_html(compendium, Edition(), project, english)
        pytest.fail(f"rendered: {html[:200]}")  # never reached: every escape is refused
    message = str(caught.value)
    assert message.startswith("layouts/compendium.html:1: "), message
    assert "\n" not in message
    assert "uid=" not in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<p>\n{% if %}</p>", "layouts/compendium.html:2: layout syntax error: "),
        ("<p>\n\n{{ compendium.no_such_field }}</p>", "layouts/compendium.html:3: "),
        ("<p>\n{% include '_nothing.html' %}</p>", "layouts/compendium.html:2: layout '_nothing.html' not found"),
        ("<p>{{ 1 // 0 }}</p>", "layouts/compendium.html:1: the layout failed: ZeroDivisionError"),
    ],
    ids=["syntax", "undefined", "include", "runtime"],
)
def test_a_broken_project_layout_is_one_located_line(text, expected, compendium, english, tmp_path: Path):
    project = project_with_layout(tmp_path, text)
    with pytest.raises(LayoutError) as caught:
        render_html(compendium, Edition(), project, english)
    assert str(caught.value).startswith(expected), caught.value
    assert "\n" not in str(caught.value)


def test_the_builders_own_layouts_render_in_the_sandbox(compendium, english):
    html = render_html(compendium, Edition(), Project(), english)
    assert html.count('class="provision') >= len(compendium.provisions)


# --- atomic writes ---------------------------------------------------------------------------------


def full_disk(monkeypatch, after: int = 0) -> None:
    """The disk fills after `after` bytes of the next file."""

    def write(descriptor: int, data: bytes) -> None:
        os.write(descriptor, bytes(data[:after]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files, "_write_all", write)


def test_a_full_disk_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch):
    target = tmp_path / "a.yaml"
    target.write_bytes(b"old")
    full_disk(monkeypatch, after=2)
    with pytest.raises(WriteError, match=r"^cannot write .*a\.yaml: the disk is full$"):
        write_bytes(target, b"new and longer")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def translation_project(tmp_path: Path) -> Path:
    for folder in ("source", "translations", "locale"):
        shutil.copytree(PROJECT / folder, tmp_path / folder)
    return tmp_path


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_translation_on_a_full_disk_is_one_line_and_keeps_the_file(tmp_path: Path, monkeypatch):
    root = translation_project(tmp_path)
    path = root / "translations" / "ru.yaml"
    before, names = path.read_bytes(), sorted(p.name for p in path.parent.iterdir())
    full_disk(monkeypatch, after=len(before) // 2)
    code, _, err = run_cli("translation", "--lang", "ru", "--source", str(root / "source"), "--quiet")
    assert code == 1
    assert err.splitlines() == ["cannot write translations/ru.yaml: the disk is full; the file is unchanged"]
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == names  # no temporary file left


def test_a_read_only_translation_is_one_line_and_not_replaced(tmp_path: Path):
    root = translation_project(tmp_path)
    path = root / "translations" / "ru.yaml"
    before = path.read_bytes()
    path.chmod(0o444)
    code, _, err = run_cli("translation", "--lang", "ru", "--source", str(root / "source"), "--quiet")
    assert code == 1
    assert len(err.splitlines()) == 1 and "the file is read-only" in err, err
    assert path.read_bytes() == before


def test_new_on_a_full_disk_is_one_line(tmp_path: Path, monkeypatch):
    full_disk(monkeypatch)
    code, _, err = run_cli("new", str(tmp_path / "mine"))
    assert code == 1
    assert len(err.splitlines()) == 1 and "the disk is full" in err, err


def test_the_manifest_on_a_full_disk_keeps_the_old_one(tmp_path: Path, monkeypatch):
    manifest = Manifest(tmp_path)
    manifest.save()
    before = manifest.path.read_bytes()
    full_disk(monkeypatch, after=1)
    with pytest.raises(WriteError, match="the disk is full"):
        Manifest(tmp_path).save()
    assert manifest.path.read_bytes() == before


# --- the cache sees what the build read ---------------------------------------------------------


@pytest.mark.parametrize("content", ["null", "[]", '"text"', "{", '{"x.pdf": null}', '{"x.pdf": {"inputs": 1}}'])
def test_a_manifest_of_another_shape_is_ignored_with_one_warning(tmp_path: Path, content: str):
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "builds.json").write_text(content, encoding="utf-8")
    manifest = Manifest(tmp_path)
    assert manifest.entries == {}
    assert manifest.warning.startswith("warning: ") and "ignored" in manifest.warning
    assert "\n" not in manifest.warning
    assert manifest.current("x.pdf") is None and manifest.contents() == {}


def test_a_good_manifest_reads_back(tmp_path: Path):
    from compendium.build.cache import Record

    manifest = Manifest(tmp_path)
    manifest.record("x.pdf", Record("i", "c", "l", "p", 3, reads=["file:/a"]))
    manifest.save()
    again = Manifest(tmp_path)
    assert again.warning == "" and again.entries["x.pdf"].reads == ["file:/a"]
    assert json.loads(again.path.read_text())["x.pdf"]["pages"] == 3


def linked_source(tmp_path: Path) -> Path:
    """A project whose source/decisions/ is a link to a folder elsewhere in the project."""
    root = tmp_path / "project"
    shutil.copytree(PROJECT / "source", root / "source")
    shutil.move(root / "source" / "decisions", root / "shared-decisions")
    (root / "source" / "decisions").symlink_to(root / "shared-decisions")
    return root


def test_an_edit_through_a_linked_folder_changes_the_key(tmp_path: Path):
    root = linked_source(tmp_path)
    with recording() as reads:
        compendium, problems = load(root / "source", root)
    assert compendium is not None, problems.sorted()
    before = key(reads, root, root / "output")
    decision = next((root / "shared-decisions").glob("*.yaml"))
    decision.write_text(decision.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert key(reads, root, root / "output") != before


def test_a_new_decision_file_changes_the_key(tmp_path: Path):
    root = linked_source(tmp_path)
    with recording() as reads:
        load(root / "source", root)
    before = key(reads, root, root / "output")
    (root / "shared-decisions" / "zz.yaml").write_text("id: x\n", encoding="utf-8")
    assert key(reads, root, root / "output") != before


def test_a_project_layout_added_later_changes_the_key(compendium, english, tmp_path: Path):
    project = Project(root=tmp_path)
    with recording() as reads:
        render_html(compendium, Edition(), project, english)
    before = key(reads, tmp_path, tmp_path / "output")
    project_with_layout(tmp_path, "<p>mine</p>", "_cover.html")
    assert key(reads, tmp_path, tmp_path / "output") != before


def test_a_link_leaving_the_project_is_refused_by_name(tmp_path: Path):
    root = tmp_path / "project"
    shutil.copytree(PROJECT / "source", root / "source")
    (root / "images").symlink_to("/")
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1
    assert "images:1: a link to /, outside the project folder" in err, err
    code, _, err = run_cli("--source", str(root / "source"), "--lang", "en", "--jobs", "1", "--quiet")
    assert code == 1
    assert "images: a link to /, outside the project folder" in err, err
    assert "Traceback" not in err


# --- output collisions and what check reads ----------------------------------------------------


def with_editions(tmp_path: Path, text: str) -> Path:
    root = translation_project(tmp_path)
    (root / "source" / "editions.yaml").write_text(text, encoding="utf-8")
    return root


COLLIDING = """\
- lang: en
  variants: [handout]
  handouts:
    - keyword: children-letter
- lang: en
  variants: [handout]
  paper: letter
  handouts:
    - keyword: children
"""


def test_two_editions_writing_one_file_are_an_error_in_check_and_before_any_build(tmp_path: Path):
    root = with_editions(tmp_path, COLLIDING)
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1
    expected = (
        "source/editions.yaml:9: editions: the editions 'en handout keyword children-letter on a4' and "
        "'en handout keyword children on letter' would both write compendium-en-handout-keyword-children-letter.pdf"
    )
    assert expected in err, err
    code, _, err = run_cli("--source", str(root / "source"), "--jobs", "1", "--quiet")
    assert code == 1 and expected in err, err
    assert not (root / "output").exists() or not list((root / "output").glob("*.pdf"))


def test_editions_differing_only_in_what_the_file_name_omits_are_refused_by_the_batch(tmp_path: Path):
    from compendium.build.batch import build_editions

    root = translation_project(tmp_path)
    editions = [Edition("en", "print", marks=("crop",)), Edition("en", "print", marks=("crop", "cross"))]
    err = io.StringIO()
    with redirect_stderr(err):
        failed = build_editions(editions, Project(root=root), strict=False, force=False, quiet=True, jobs=1)
    assert failed == 2
    assert err.getvalue().splitlines() == [
        "build.py: the editions 'en print on a4 marks crop' and 'en print on a4 marks crop cross' would both write "
        "compendium-en-print.pdf: change one (a handout's keyword or section, the paper, or the variant)"
    ]


def test_check_finds_a_misspelt_handout_selection_with_did_you_mean(tmp_path: Path):
    root = with_editions(tmp_path, "- lang: en\n  variants: [screen, handout]\n  handouts:\n    - keyword: chldren\n")
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1
    assert (
        "source/editions.yaml:4: edition 'en', handout: key 'keyword': no keyword 'chldren' in source/keywords.yaml "
        "(did you mean 'children'?)"
    ) in err, err


@pytest.mark.parametrize("variants", ["[handout]", "[screen, handout]"])
def test_a_handout_without_handouts_is_a_located_error_in_check_and_the_build(tmp_path: Path, variants: str):
    root = with_editions(tmp_path, f"- lang: en\n  variants: {variants}\n")
    expected = (
        "source/editions.yaml:2: edition 'en': variant handout needs handouts: (a list of {section: …} or {keyword: …})"
    )
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1 and expected in err.splitlines(), err
    code, _, err = run_cli("--jobs", "1", "--quiet", "--source", str(root / "source"))
    assert code == 1 and expected in err.splitlines(), err
    assert not (root / "output").exists() or not list((root / "output").glob("*.pdf"))


@pytest.mark.parametrize(
    ("change", "expected", "at"),
    [
        (
            ('msgstr[1] "имеется на языках: %(languages)s"', 'msgstr[1] "имеется на языках: %(langauges)s"'),
            "msgstr[1] has the placeholders %(langauges)s, which the msgid does not have",
            "msgstr[1] ",  # the form at fault (attacker round 6, finding 18)
        ),
        (
            ('msgstr[2] "имеется на языках: %(languages)s"\n', ""),
            "msgstr[2] is missing: the language has 3 plural forms",
            "msgid ",
        ),
    ],
    ids=["misspelt-placeholder", "missing-form"],
)
def test_check_reads_every_plural_form_of_a_catalogue(tmp_path: Path, change, expected, at):
    root = translation_project(tmp_path)
    catalogue = root / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    text = catalogue.read_text(encoding="utf-8")
    assert change[0] in text
    catalogue.write_text(text.replace(change[0], change[1]), encoding="utf-8")
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1
    start = next(n for n, s in enumerate(text.splitlines(), 1) if s.startswith("msgid ") and "available in" in s)
    line = next(n for n, s in enumerate(text.splitlines(), 1) if n >= start and s.startswith(at))
    assert any(
        m.startswith(f"locale/ru/LC_MESSAGES/messages.po:{line}: ") and expected in m for m in err.splitlines()
    ), err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<p>\n{% for x in %}</p>", "layouts/_cover.html:2: layout syntax error: "),
        ("<p>\n\n{% include '_nowhere.html' %}</p>", "layouts/_cover.html:3: layout '_nowhere.html' not found"),
    ],
    ids=["syntax", "include"],
)
def test_check_parses_the_projects_own_layouts(tmp_path: Path, text: str, expected: str):
    root = translation_project(tmp_path)
    project_with_layout(root, text, "_cover.html")
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1
    assert any(line.startswith(expected) for line in err.splitlines()), err


# --- process faults -------------------------------------------------------------------------------

VALID = Path(__file__).parent / "fixtures" / "valid" / "source"


def small(tmp_path: Path, editions: str | None = None) -> Path:
    root = tmp_path / "small"
    shutil.copytree(VALID, root / "source")
    if editions is not None:
        (root / "source" / "editions.yaml").write_text(editions, encoding="utf-8")
    return root


def test_ctrl_c_is_one_line_and_exit_130(tmp_path: Path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("compendium.source.audit.check_source", interrupted)
    code, _, err = run_cli("check", "--source", str(small(tmp_path) / "source"))
    assert code == 130
    assert err.splitlines() == ["check: interrupted (Ctrl-C); nothing was written"]


def test_a_full_disk_while_finishing_is_one_line_and_keeps_the_old_pdf(tmp_path: Path, monkeypatch):
    root = small(tmp_path)
    output = root / "output"
    output.mkdir()
    (output / "compendium-en.pdf").write_bytes(b"%PDF-1.7 the previous, good PDF")
    full_disk(monkeypatch, after=1000)  # the finished PDF (pikepdf saves into memory, then files.py writes)
    code, _, err = run_cli("--source", str(root / "source"), "--lang", "en", "--jobs", "1", "--quiet", "--force")
    assert code == 1
    lines = err.splitlines()
    assert lines[0].startswith("cannot write ") and lines[0].endswith("finished.pdf: the disk is full"), lines
    assert lines[1:] == [
        f"build failed: {output}/compendium-en.pdf not written (the previous one, if any, is unchanged)"
    ]
    assert (output / "compendium-en.pdf").read_bytes() == b"%PDF-1.7 the previous, good PDF"


def children(pid: int) -> set[int]:
    try:
        return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] not in "ZX"
    except OSError:
        return False


def started(root: Path, *options: str):
    """A build of the project at `root` in a session of its own (a signal to the group reaches
    all its processes, as a terminal's Ctrl-C does), with its errors captured."""
    import subprocess
    import sys

    command = [sys.executable, str(PROJECT / "build.py"), "--source", str(root / "source"), *options, "--quiet"]
    return subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        restore_signals=True,
        preexec_fn=_signals_as_at_a_terminal,
    )


def _signals_as_at_a_terminal() -> None:
    """Run in the child before the build starts: Ctrl-C and SIGTERM as a terminal's shell leaves them.
    A signal ignored by whoever started pytest (`nohup sh -c '… &'` ignores SIGINT) stays ignored
    across exec, and Python then installs no KeyboardInterrupt handler: the build would run on
    through the test's SIGINT and the test would fail for its launcher, not for the builder."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def children_started(main, count: int = 2) -> set[int]:
    """The main process's children, once `count` of them have started (or a minute has gone)."""
    import time

    deadline = time.monotonic() + 60
    while len(children(main.pid)) < count and main.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return children(main.pid)


def any_alive(pids: set[int]) -> bool:
    """Whether any of the processes is alive after ten seconds: a bound, not a measurement (they
    end at once: PDEATHSIG, or their own handler)."""
    import time

    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return any(alive(pid) for pid in pids)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads the process tree from /proc")
@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM", "SIGINT"])
def test_workers_end_when_the_main_process_is_killed(tmp_path: Path, how: str):
    import signal

    root = small(tmp_path, "- lang: en\n  variants: [screen, print]\n")
    main = started(root, "--jobs", "2")
    try:
        workers = children_started(main)
        assert len(workers) >= 2, "the pool did not start"
        sig = getattr(signal, how)
        if how == "SIGINT":
            os.killpg(main.pid, sig)
        else:
            main.send_signal(sig)
        _, err = main.communicate(timeout=60)
        assert not any_alive(workers)
        if how != "SIGKILL":
            assert main.returncode == 128 + sig
            assert len(err.splitlines()) == 1 and "Traceback" not in err, err
            assert not list((root / "output").glob(".build-*"))  # every work folder removed
    finally:
        if main.poll() is None:
            main.kill()


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads the process tree from /proc")
@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT"])
def test_a_signal_to_the_whole_group_ends_the_parts_in_one_line(tmp_path: Path, how: str):
    """`timeout` and a terminal signal the whole process group: the parts' processes (--parts) end
    without a traceback of their own, and the build says one line."""
    import signal

    root = small(tmp_path, "- lang: en\n  variants: [screen]\n")
    main = started(root, "--parts", "--jobs", "2")
    try:
        parts = children_started(main)
        assert len(parts) >= 2, "the parts were not laid out in processes of their own"
        sig = getattr(signal, how)
        os.killpg(main.pid, sig)
        _, err = main.communicate(timeout=60)
        assert not any_alive(parts)
        assert main.returncode == 128 + sig
        assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    finally:
        if main.poll() is None:
            main.kill()


# --- errors that point at the mistake ------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "old", "new", "expected"),
    [
        (
            8,
            '  decision: "7/17"',
            '  decision: "7/17',
            "the text in quotes that begins on this line is not closed on it",
        ),
        (
            8,
            '  decision: "7/17"',
            "  decision: '7/17",
            "the text in quotes that begins on this line is not closed on it",
        ),
        (10, "  topic: criminalizing-and-prosecuting", "  topic: criminalizing: and prosecuting", "a colon followed"),
        (9, "  paragraph: 3", "\tparagraph: 3", "a tab character; indent with spaces only"),
    ],
    ids=["double-quote", "single-quote", "colon", "tab"],
)
def test_a_yaml_mistake_is_named_at_its_line_and_not_buried(tmp_path: Path, line: int, old: str, new: str, expected):
    root = translation_project(tmp_path)
    path = root / "source" / "provisions.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[line - 1] == old
    lines[line - 1] = new
    path.write_text("\n".join(lines), encoding="utf-8")
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1
    messages = err.splitlines()
    assert messages[0].startswith(f"source/provisions.yaml:{line}: malformed YAML: {expected}"), messages
    for false in ("never cited", "never used", "used by no provision", "has no provisions"):
        assert not any(false in message for message in messages), messages


def test_each_problem_is_printed_once_per_run_not_once_per_edition(tmp_path: Path):
    from compendium.build.batch import Outcome
    from compendium.build.report import Printer

    class Quiet:
        def clear(self): ...
        def show(self): ...

    editions = [Edition("en"), Edition("en", "print"), Edition("ru")]
    printer = Printer(editions, Project(root=tmp_path), True, Quiet())
    message = "source/provisions.yaml:8: malformed YAML: …"
    err = io.StringIO()
    with redirect_stderr(err):
        printer.take({e: Outcome(e, "failed", messages=[message]) for e in editions})
    lines = err.getvalue().splitlines()
    assert lines.count(message) == 1
    assert sum(line.startswith("build failed: ") for line in lines) == 3


def test_proof_of_a_provision_that_is_no_number_is_a_usage_error(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["build.py"])  # as run from a checkout: messages begin with the command
    code, _, err = run_cli("proof", "--source", str(small(tmp_path) / "source"), "--provision", "²")
    assert code == 2
    assert err.splitlines() == ["build.py: --provision '²': expected a provision's number, such as 05"]


def test_proof_of_a_damaged_pdf_is_one_line(tmp_path: Path):
    root = small(tmp_path)
    (root / "output").mkdir()
    (root / "output" / "compendium-en.pdf").write_bytes(b"%PDF-1.7 damaged")
    code, _, err = run_cli("proof", "--source", str(root / "source"), "--provision", "01", "--quiet")
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 1 and "compendium-en.pdf cannot be read (" in lines[0], lines
    assert lines[0].endswith("make it again with --force")


def test_a_manifest_copied_into_another_project_vouches_for_nothing(tmp_path: Path):
    from compendium.build.cache import inputs_digest

    reads = [f"file:{PROJECT / 'source' / 'compendium.yaml'}"]
    here, there = Project(root=tmp_path / "a"), Project(root=tmp_path / "b")
    assert inputs_digest(here, Edition(), reads) != inputs_digest(there, Edition(), reads)
    assert inputs_digest(here, Edition(), reads) == inputs_digest(Project(root=tmp_path / "a"), Edition(), reads)


@pytest.mark.parametrize("hidden", [".local", ".worktrees/x", ".ci"])
def test_a_project_under_a_hidden_folder_has_its_files_in_the_key(tmp_path: Path, hidden: str):
    """Only the part of a path below the project folder decides whether it is hidden (.git, .venv):
    a project kept under ~/.local or a .worktrees folder has every file in the key (inheritor's
    review, finding 1: its stale PDF was reused after an edit)."""
    from compendium.source.inputs import Reads

    root = tmp_path / hidden / "project"
    provisions = root / "source" / "provisions.yaml"
    provisions.parent.mkdir(parents=True)
    provisions.write_text("provisions: []\n", encoding="utf-8")
    inside = root / ".git" / "HEAD"
    inside.parent.mkdir()
    inside.write_text("ref: main\n", encoding="utf-8")
    reads = Reads(files={str(provisions), str(inside)})
    assert reads.within(root, root / "output").files == {str(provisions)}
    before = key(reads, root, root / "output")
    provisions.write_text("provisions: [edited]\n", encoding="utf-8")
    assert key(reads, root, root / "output") != before
