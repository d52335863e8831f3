"""Attacker round 12, M1, M3, S5: a sum of many lists built item by item, a layout stuck inside one C
call ended by the hard clock at its own line, SIGTERM obeyed while check renders, and a template
nested too deeply told in one located line, in check and the build."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

import jinja2
import pytest
from jinja2.sandbox import SecurityError

from compendium.edition import Edition
from compendium.render import hardclock, sandbox, sequences
from compendium.render.html import LayoutError, render_html
from compendium.render.locale import Language
from compendium.render.sandbox import bounded_sandbox
from compendium.source.load import load
from compendium.source.project import Project
from tests.conftest import PROJECT, run_build

SUM_OF_LISTS = "{{ ('x'*300000)|batch(1)|list|sum(start=[])|length }}"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("u") / "p"
    assert run_build("new", str(root)).returncode == 0
    return root


def with_cover(root: Path, *lines: str) -> Path:
    """The project with the builder's _cover.html, `lines` put before its first line."""
    cover = (PROJECT / "layouts" / "_cover.html").read_text(encoding="utf-8")
    (root / "layouts").mkdir(exist_ok=True)
    (root / "layouts" / "_cover.html").write_text("".join(f"{line}\n" for line in lines) + cover, encoding="utf-8")
    return root


def rendered(source: str, **values) -> str:
    return bounded_sandbox().from_string(source).render(**values)


# --- M1. a sum of lists, made in one C call -------------------------------------------------------


def test_a_sum_of_many_lists_is_put_together_item_by_item():
    # Python's sum() copies the list so far at each item: minutes for these 300,000 lists
    started = time.process_time()
    assert rendered(SUM_OF_LISTS) == "300000"
    assert time.process_time() - started < 5


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ [[1], [2, 3]]|sum(start=[0]) }}", "[0, 1, 2, 3]"),
        ("{{ [(1,), (2,)]|sum(start=()) }}", "(1, 2)"),
        ("{{ [1, 2, 3]|sum }}", "6"),
        ("{{ [{'n': 2}, {'n': 5}]|sum(attribute='n', start=1) }}", "8"),
        ("{{ [[1], [2]]|sum(start=[]) is sequence }}", "True"),
    ],
)
def test_sum_adds_as_python_does(source: str, expected: str):
    assert rendered(source) == expected


def test_a_sum_of_lists_and_a_tuple_fails_as_python_does_and_too_many_items_are_refused():
    with pytest.raises(TypeError, match='can only concatenate list \\(not "tuple"\\) to list'):
        rendered("{{ [[1], (2,)]|sum(start=[]) }}")
    with pytest.raises(SecurityError, match="a list of more than"):
        rendered("{% set a = ('x' * 999999)|list %}{{ [a, a]|sum(start=[])|length }}")


def test_check_of_a_layout_summing_300000_lists_ends(project: Path):
    with_cover(project, SUM_OF_LISTS)
    try:
        check = subprocess.run(
            [sys.executable, str(PROJECT / "build.py"), "check", "--source", str(project / "source")],
            capture_output=True,
            text=True,
            timeout=120,  # minutes, with SIGTERM unheard, before
            check=False,
        )
    finally:
        (project / "layouts" / "_cover.html").unlink()
    assert check.returncode == 0, check.stderr


def test_a_filter_that_ran_long_is_refused_at_its_own_line(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(sandbox, "SECONDS", 0.2)
    (tmp_path / "x.html").write_text("a\n{{ x|slow }}\n{% for i in range(3) %}{{ i }}{% endfor %}\n")
    env = bounded_sandbox(loader=jinja2.FileSystemLoader(tmp_path))

    def slow(value):
        started = time.process_time()
        while time.process_time() - started < 0.5:  # no look at the clock meanwhile
            pass
        return value

    env.filters["slow"] = slow
    with pytest.raises(sandbox.Exhausted) as raised:
        env.get_template("x.html").render(x=1)
    frames = traceback.extract_tb(raised.value.__traceback__)
    lines = [frame.lineno for frame in frames if frame.filename.endswith("x.html")]
    assert lines[-1] == 2  # not the loop's line after it


# --- M1. the hard clock ---------------------------------------------------------------------------


def stuck_in_c() -> int:
    return len(sum(([n] for n in range(400000)), []))  # minutes inside one C call


def render_stuck(folder: Path) -> str:
    """In the render's process: a layout whose line 3 calls into C for minutes, under a 1 s clock."""
    sandbox.SECONDS = 1
    hardclock.MARGIN = 0
    env = bounded_sandbox(loader=jinja2.FileSystemLoader(folder))
    return env.get_template("x.html").render(stuck=stuck_in_c)


def test_the_hard_clock_ends_a_render_stuck_in_c_at_its_layout_line(tmp_path: Path):
    (tmp_path / "x.html").write_text("a\nb\n{{ stuck() }}\nc\n")
    started = time.monotonic()
    with pytest.raises(hardclock.Overrun) as overrun:
        hardclock.apart(render_stuck, tmp_path)
    assert time.monotonic() - started < 30  # 1 s of processor time, on a machine shared with others
    assert overrun.value.frames[-1] == (str(tmp_path / "x.html"), 3)


def test_a_render_apart_returns_its_text_and_raises_its_error(tmp_path: Path):
    (tmp_path / "x.html").write_text("a\n{{ 1/0 }}\n")
    env = bounded_sandbox(loader=jinja2.FileSystemLoader(tmp_path))
    assert hardclock.apart(rendered, "{{ 6 * 7 }}") == "42"
    with pytest.raises(ZeroDivisionError):
        hardclock.apart(env.get_template("x.html").render)


def test_a_project_layout_stuck_in_c_is_refused_at_its_line(project: Path, monkeypatch):
    # the sum of lists as Python's sum() made it, in one C call: what the hard clock must stop
    monkeypatch.setattr(sequences, "_sum", lambda env: jinja2.filters.do_sum)
    monkeypatch.setattr(sandbox, "SECONDS", 3)  # the 300,000 lists are made well within it
    monkeypatch.setattr(hardclock, "MARGIN", 0)
    with_cover(project, "a", SUM_OF_LISTS)
    try:
        compendium, _ = load(project / "source")
        language = Language("en", Project.from_source(project / "source").locale("en"), "en")
        with pytest.raises(LayoutError) as refused:
            render_html(compendium, Edition("en").layout, Project.from_source(project / "source"), language)
    finally:
        (project / "layouts" / "_cover.html").unlink()
    assert str(refused.value) == "layouts/_cover.html:2: refused: the layout runs longer than 3 s"


def test_sigterm_ends_check_while_a_layout_renders(project: Path):
    with_cover(project, '{% for i in range(400) %}{{ "x "*499999 }}{% endfor %}')
    try:
        check = subprocess.Popen(
            [sys.executable, str(PROJECT / "build.py"), "check", "--source", str(project / "source")],
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(4)
        check.send_signal(signal.SIGTERM)
        stopped = time.monotonic()
        _, err = check.communicate(timeout=60)
        waited = time.monotonic() - stopped
    finally:
        (project / "layouts" / "_cover.html").unlink()
    assert check.returncode == 128 + signal.SIGTERM, err
    assert waited < 5 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err


# --- M3, S5. nested too deeply --------------------------------------------------------------------


BRACKETS = "{{ " + "[" * 95 + "1" + "]" * 95 + "|length }}"
PARENTHESES = "{{ " + "(" * 120 + "1" + ")" * 120 + " }}"
TERMS = "{{ " + " + ".join(["1"] * 3000) + " }}"
LOOPS = ["{% for a in [1] %}"] * 25 + ["x" + "{% endfor %}" * 25]  # the 21st loop on line 23
IFS = "{% if true %}" * 120 + "x" + "{% endif %}" * 120


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["a", "b", BRACKETS], "layouts/_cover.html:3: the layout nests expressions too deeply"),
        (["a", "b", PARENTHESES], "layouts/_cover.html:3: the layout nests expressions too deeply"),
        (["a", "b", TERMS], "layouts/_cover.html:3: the layout nests expressions or blocks too deeply"),
        (["a", "b", *LOOPS], "layouts/_cover.html:23: the layout nests blocks too deeply"),
        ([IFS], "layouts/_cover.html:1: the layout nests expressions or blocks too deeply"),
    ],
)
def test_check_tells_a_layout_nested_too_deeply_at_its_line(project: Path, lines: list[str], expected: str):
    with_cover(project, *lines)
    try:
        check = run_build("check", "--source", str(project / "source"))
    finally:
        (project / "layouts" / "_cover.html").unlink()
    assert check.returncode == 1, check.stderr
    assert check.stderr.startswith(expected), check.stderr
    assert "Traceback" not in check.stderr and "compendium.html" not in check.stderr


def test_the_build_tells_loops_nested_too_deeply_at_the_layouts_line(project: Path):
    with_cover(project, "a", "b", *LOOPS)
    try:
        build = run_build("build", "--source", str(project / "source"), "--lang", "en", "--variant", "screen")
    finally:
        (project / "layouts" / "_cover.html").unlink()
    assert build.returncode == 1, build.stderr
    assert build.stderr.startswith("layouts/_cover.html:23: the layout nests blocks too deeply"), build.stderr
    assert "Traceback" not in build.stderr


def test_sections_css_j2_nested_too_deeply_is_told_at_its_line(project: Path):
    own = (PROJECT / "styles" / "sections.css.j2").read_text(encoding="utf-8")
    (project / "styles").mkdir(exist_ok=True)
    (project / "styles" / "sections.css.j2").write_text(own + f"/* {PARENTHESES} */\n", encoding="utf-8")
    line = own.count("\n") + 1
    try:
        check = run_build("check", "--source", str(project / "source"))
    finally:
        (project / "styles" / "sections.css.j2").unlink()
    assert check.returncode == 1, check.stderr
    expected = f"styles/sections.css.j2:{line}: the template nests expressions too deeply"
    assert check.stderr.startswith(expected), check.stderr
    assert "Traceback" not in check.stderr and "RecursionError" not in check.stderr


def test_the_builders_own_layouts_nest_well_within_the_limit():
    from compendium.source.depth import _past_limit

    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    for path in sorted((PROJECT / "layouts").glob("*.html")):
        assert _past_limit(env.parse(path.read_text(encoding="utf-8"))) is None, path
