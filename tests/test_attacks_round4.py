"""The attacks of docs/reviews/2026-12-06/attacker-round4.md: each refused in one located line, in
bounded time and memory. The command line runs in a process of its own, under a memory limit and
a timeout, so that a regression fails the test instead of hanging it or exhausting the machine."""

from __future__ import annotations

import os
import resource
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from compendium.source.patterns import MAX_STEPS, LargePattern, compile_pattern

VALID = Path(__file__).parent / "fixtures" / "valid" / "source"
MEMORY = 2_000_000_000  # bytes a command may take: the attacks took 2 to 4 GB


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_limited(*args: str, timeout: float = 60) -> tuple[int, str]:
    """(exit status, stderr) of the command line run in its own process, memory-limited; a run
    that outlives `timeout` fails the test (the process is killed)."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "compendium", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=_limit_memory,
            cwd=Path(__file__).parent,  # not the repository's root: the installed builder, not ./compendium
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"compendium {' '.join(args)} ran longer than {timeout} s")
    return done.returncode, done.stderr


def small(tmp_path: Path) -> Path:
    root = tmp_path / "small"
    shutil.copytree(VALID, root / "source")
    return root


# --- 1. a pattern costly to compile ----------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern", [r"(?:\d{60000}){60000}", r"(?:\d{1000}){1000}", r"(?:\d{6000,}){600}", r"(?=\d{1000}){1000}"]
)
def test_a_pattern_too_large_to_compile_is_refused_before_it_is_compiled(pattern: str):
    with pytest.raises(LargePattern, match=rf"too large to compile \(about \d+ steps; at most {MAX_STEPS}\)"):
        compile_pattern(pattern)


def test_a_pattern_nested_too_deeply_is_refused_as_such():
    with pytest.raises(LargePattern, match="nested too deeply to compile"):
        compile_pattern("(?:" * 10_000 + "a" + ")" * 10_000)


@pytest.mark.parametrize("pattern", [r"\d{9999}\d{9999}\d{9999}", r"(?:\d{300}){300}", r"\d{1,2}/\d{2}", "a{100000}"])
def test_a_long_but_flat_pattern_is_accepted(pattern: str):
    assert compile_pattern(pattern).pattern == pattern


def test_check_refuses_a_kind_s_pattern_too_large_to_compile_at_its_line(tmp_path: Path):
    root = small(tmp_path)
    (root / "source" / "kinds.yaml").write_text(
        "id: k2\nbased_on: osce-mc-decision\nname: K2\nid_pattern: '(?:\\d{60000}){60000}'\nid_example: '1/24'\n"
    )
    code, err = run_limited("check", "--source", str(root / "source"))
    wanted = (
        "source/kinds.yaml:4: kind 'k2': key 'id_pattern': the pattern is too large to compile "
        f"(about 3600000000 steps; at most {MAX_STEPS})"
    )
    assert code == 1 and wanted in err.splitlines() and "Traceback" not in err, err


def test_check_refuses_a_term_pattern_too_large_to_compile_at_its_line(tmp_path: Path):
    root = small(tmp_path)
    assert run_limited("translation", "--lang", "ru", "--source", str(root / "source"))[0] == 0
    (root / "translations" / "ru-terms.yaml").write_text(
        "- term: victims\n  en: '(?:victims{60000}){60000}'\n  rendering: жертвы\n  forms: жертв\\w*\n",
        encoding="utf-8",
    )
    code, err = run_limited("check", "--lang", "ru", "--source", str(root / "source"))
    wanted = (
        "translations/ru-terms.yaml:2: term 'victims': key 'en': the pattern is too large to compile "
        f"(about 3600360000 steps; at most {MAX_STEPS})"
    )
    assert code == 1 and wanted in err.splitlines() and "Traceback" not in err, err


# --- 2 and 6. a named pipe, a socket or a device where a file is read ----------------------------

NOT_REGULAR = "not a regular file (a named pipe): the builder reads only files"
PIPES = [
    "source/decisions/pipe.yaml",
    "source/keywords.yaml",
    "source/kinds/pipe.yaml",
    "translations/ru.yaml",
    "locale/ru/LC_MESSAGES/messages.po",
    "layouts/_imprint.html",
    "styles/print.css",
    "fonts/pipe.ttf",
    "images/logo.png",
    "output/.cache/builds.json",
]


@pytest.mark.parametrize("where", PIPES)
def test_a_named_pipe_in_the_project_is_refused_by_name_before_it_is_opened(tmp_path: Path, where: str):
    root = small(tmp_path)
    pipe = root / where
    pipe.parent.mkdir(parents=True, exist_ok=True)
    pipe.unlink(missing_ok=True)
    os.mkfifo(pipe)
    code, err = run_limited("check", "--source", str(root / "source"))
    assert code == 1 and f"{where}:1: {NOT_REGULAR}" in err, err
    code, err = run_limited("--source", str(root / "source"), "--lang", "en", "--variant", "screen")
    assert code == 1 and any(line.startswith(f"{where}: {NOT_REGULAR}") for line in err.splitlines()), err


def test_a_socket_in_the_project_is_refused_by_name(tmp_path: Path, monkeypatch):
    root = small(tmp_path)
    monkeypatch.chdir(root / "source" / "decisions")  # a socket's path is short: bound by its name here
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind("socket.yaml")
        code, err = run_limited("check", "--source", str(root / "source"))
    finally:
        server.close()
    wanted = "source/decisions/socket.yaml:1: not a regular file (a socket)"
    assert code == 1 and wanted in err, err


def test_a_compendium_yaml_that_is_a_pipe_is_named_as_such(tmp_path: Path):
    root = small(tmp_path)
    (root / "source" / "compendium.yaml").unlink()
    os.mkfifo(root / "source" / "compendium.yaml")
    code, err = run_limited("check", "--source", str(root / "source"))
    assert code == 2 and f"compendium.yaml: {NOT_REGULAR}" in err and "it has no compendium.yaml" not in err, err


def test_a_device_is_told_from_a_file_without_opening_it():
    from compendium.source.inputs import not_regular

    assert (not_regular(Path("/dev/null")) or "").startswith("not a regular file (a character device)")
    assert not_regular(Path(__file__)) is None and not_regular(Path(__file__).parent) is None


def test_translation_import_of_a_named_pipe_is_refused(tmp_path: Path):
    root = small(tmp_path)
    assert run_limited("translation", "--lang", "ru", "--source", str(root / "source"))[0] == 0
    os.mkfifo(root / "ru.po")
    code, err = run_limited(
        "translation", "--lang", "ru", "--source", str(root / "source"), "--import", str(root / "ru.po")
    )
    assert code == 1 and f"ru.po:1: {NOT_REGULAR}" in err, err


def test_import_catalogue_of_a_named_pipe_is_refused(tmp_path: Path):
    os.mkfifo(tmp_path / "library.json")
    code, err = run_limited("import-catalogue", str(tmp_path / "library.json"), str(tmp_path / "publications.yaml"))
    assert code == 1 and f"library.json: {NOT_REGULAR}" in err and not (tmp_path / "publications.yaml").exists(), err


# --- 7. -q for --quiet ----------------------------------------------------------------------------


def test_q_is_the_short_form_of_quiet_and_the_help_shows_it(tmp_path: Path):
    from compendium.cli import options

    assert "-q, --quiet" in options().format_help()
    root = small(tmp_path)
    for command in (["check"], ["translation", "--lang", "ru"]):
        code, err = run_limited(*command, "-q", "--source", str(root / "source"))
        assert code == 0 and "unrecognized arguments" not in err, err
    done = subprocess.run(
        [sys.executable, "-m", "compendium", "-q", "--source", str(root / "source"), "--lang", "en", "--jobs", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).parent,
        check=False,
    )
    assert done.returncode == 0 and "wrote" not in done.stdout + done.stderr, done.stderr


# --- 3. a filter gathering many texts: join, list, sort … -------------------------------------------

LONG = "range(300)|map('string')|map('center', 9999)"  # 3 million characters, each text under the cap
FULL = "range(99999)|map('string')|map('center', 999)"  # 100 million characters, past what a render writes
GATHERING = {
    "join": (f"{{{{ {LONG}|join|length }}}}", "a text longer than 1000000 characters"),
    "join-separator": ("{{ range(99999)|map('string')|join('x' * 99)|length }}", "a text longer than 1000000"),
    "join-attribute": (
        "{{ [{'t': 'x' * 999999}, {'t': 'x' * 999999}]|join(attribute='t')|length }}",
        "a text longer than 1000000",
    ),
    "str-join": (f"{{{{ ''.join({LONG})|length }}}}", "a text longer than 1000000 characters"),
    "plus": ("{% set a = 'x' * 999999 %}{% set b = a + a %}{{ b|length }}", "a text longer than 1000000"),
    "list": (f"{{{{ {FULL}|list|length }}}}", "a list holding more than 50000000 characters"),
    "sort": (f"{{{{ {FULL}|sort|length }}}}", "a list holding more than 50000000 characters"),
    "unique": (f"{{{{ {FULL}|unique|list|length }}}}", "a list holding more than 50000000 characters"),
    "batch": (f"{{{{ {FULL}|batch(3)|list|length }}}}", "a list holding more than 50000000 characters"),
    "slice": (f"{{{{ {FULL}|slice(3)|list|length }}}}", "a list holding more than 50000000 characters"),
    "reverse": (f"{{{{ {FULL}|reverse|length }}}}", "a list holding more than 50000000 characters"),
    "select": (f"{{{{ {FULL}|select|list|length }}}}", "a list holding more than 50000000 characters"),
    "groupby": (f"{{{{ {FULL}|groupby('0')|length }}}}", "a list holding more than 50000000 characters"),
    "string": ("{{ (range(99999)|map('string')|map('center', 20)|list)|string|length }}", "a text longer than"),
    "pprint": ("{{ (range(99999)|map('string')|map('center', 20)|list)|pprint|length }}", "a text longer than"),
    "tojson": ("{{ (range(99999)|map('string')|map('center', 20)|list)|tojson|length }}", "a text longer than"),
}


@pytest.mark.parametrize("template, refused", GATHERING.values(), ids=GATHERING.keys())
def test_a_filter_gathering_too_much_is_refused(template: str, refused: str):
    from jinja2.sandbox import SecurityError

    from compendium.render.sandbox import bounded_sandbox

    with pytest.raises(SecurityError, match=refused):
        bounded_sandbox(autoescape=True).from_string(template).render()


def test_a_list_of_too_many_items_is_refused(monkeypatch):
    from jinja2.sandbox import SecurityError

    from compendium.render import sequences
    from compendium.render.sandbox import bounded_sandbox

    monkeypatch.setattr(sequences, "MAX_ITEMS", 1000)
    with pytest.raises(SecurityError, match="a list of more than"):
        bounded_sandbox().from_string("{{ range(1001)|map('string')|list|length }}").render()


@pytest.mark.parametrize(
    "template, expected",
    [
        ("{{ ['<', '&']|join('>') }}", "&lt;&gt;&amp;"),
        ("{{ range(99999)|map('string')|join(',')|length }}", "588883"),
        ("{{ [1, 2, 3]|slice(2)|list }}", "[[1, 2], [3]]"),  # refused by a TypeError before
        ("{{ [[1], [2]]|sum(start=[]) }}", "[1, 2]"),
        ("{{ [{'t': 'a'}, {'t': 'b'}]|join(',', attribute='t') }}", "a,b"),
        ("{{ range(5)|map('string')|reverse|join }}", "43210"),
        ("{{ 1 + 2 }}{{ 'a' + 'b' }}", "3ab"),
    ],
)
def test_a_filter_gathering_what_a_layout_needs_works_as_before(template: str, expected: str):
    from compendium.render.sandbox import bounded_sandbox

    assert bounded_sandbox(autoescape=True).from_string(template).render() == expected


def test_check_refuses_a_layout_joining_two_gigabytes_at_its_line(tmp_path: Path):
    root = small(tmp_path)
    (root / "layouts").mkdir()
    (root / "layouts" / "_imprint.html").write_text(
        "<p>{{ range(99999)|map('string')|map('center', 9999)|join|length }}</p>\n"
    )
    code, err = run_limited("check", "--source", str(root / "source"))
    wanted = "layouts/_imprint.html:1: refused: a text longer than 1000000 characters"
    assert code == 1 and any(line.startswith(wanted) for line in err.splitlines()), err


# --- 4 and 5. an SVG logo referring elsewhere through CSS, or to an image ---------------------------

SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="20">'
EVIL = "https://evil.example/a.css"


def svg_logo(tmp_path: Path, body: str) -> Path:
    """The small project with brand: logo: logo.svg, an SVG whose second line is `body`."""
    root = small(tmp_path)
    with (root / "source" / "compendium.yaml").open("a", encoding="utf-8") as stream:
        stream.write("brand:\n  logo: logo.svg\n")
    (root / "images").mkdir()
    (root / "images" / "logo.svg").write_text(f"{SVG_HEAD}\n{body}\n<rect width='9' height='9'/></svg>\n")
    return root


SVG_CSS = {
    "import-url": f"<style>@import url({EVIL});</style>",
    "import-unspaced": f'<style>@import"{EVIL}";</style>',
    "import-comment": f'<style>@import/**/"{EVIL}";</style>',
    "import-escaped-url": "<style>@import \\75rl(https://evil.example/a.css);</style>",
    "url-escaped": "<style>rect { fill: url(https\\:\\/\\/evil.example/a.css) }</style>",
    "style-attribute-escaped": '<rect style="fill: u\\72l(https://evil.example/a.css)" width="9" height="9"/>',
    "presentation-attribute": f'<rect fill="url({EVIL}#g)" width="9" height="9"/>',
    "font-face": f"<style>@font-face {{ font-family: x; src: url({EVIL}) }}</style>",
    "cdata-split": f'<style>@import <![CDATA["{EVIL}"]]>;</style>',
    "image": '<image xlink:href="https://evil.example/a.css" width="10" height="10"/>',
}


@pytest.mark.parametrize("body", SVG_CSS.values(), ids=SVG_CSS.keys())
def test_check_refuses_an_svg_logo_referring_elsewhere_naming_it(tmp_path: Path, body: str):
    root = svg_logo(tmp_path, body)
    code, err = run_limited("check", "--source", str(root / "source"))
    wanted = f"images/logo.svg:2: a reference to {EVIL}"
    assert code == 1 and any(line.startswith(wanted) for line in err.splitlines()), err


@pytest.mark.parametrize("body", [SVG_CSS["import-url"], SVG_CSS["image"]], ids=["import", "image"])
def test_the_build_refuses_an_svg_logo_referring_elsewhere_naming_the_svg(tmp_path: Path, body: str):
    """The build wrote the PDF without the logo (an empty warning), or blamed 'the layouts or stylesheets'."""
    root = svg_logo(tmp_path, body)
    code, err = run_limited("--source", str(root / "source"), "--lang", "en", "--variant", "screen", "--jobs", "1")
    wanted = f"images/logo.svg:2: a reference to {EVIL}: only files under fonts/, styles/ and images/"
    assert code == 1 and wanted in err and "the layouts or stylesheets" not in err, err


def test_an_svg_logo_importing_a_stylesheet_of_its_own_folder_is_refused_with_the_reason(tmp_path: Path):
    """WeasyPrint 70 leaves out an SVG that imports any stylesheet, with an empty warning."""
    root = svg_logo(tmp_path, "<style>@import 'mark.css';</style>")
    (root / "images" / "mark.css").write_text("rect { fill: red }\n")
    code, err = run_limited("check", "--source", str(root / "source"))
    wanted = "images/logo.svg:2: an SVG image importing a stylesheet (@import mark.css), which WeasyPrint cannot draw"
    assert code == 1 and any(line.startswith(wanted) for line in err.splitlines()), err


def test_an_svg_logo_with_styles_of_its_own_is_accepted(tmp_path: Path):
    body = '<style>rect { fill: url(#g) } /* url(#x) */</style><rect style="stroke: url(\'#g\')" fill="url(#g)"/>'
    root = svg_logo(tmp_path, body)
    code, err = run_limited("check", "--source", str(root / "source"))
    assert code == 0 and "logo.svg" not in err, err


def test_a_reference_the_fetcher_refused_is_named_at_the_svg_that_holds_it(tmp_path: Path):
    from compendium.pdf.problems import refused_problems
    from compendium.source.project import Project

    root = svg_logo(tmp_path, SVG_CSS["image"])

    class Refused:
        problems: list[str] = []
        refused = [EVIL]

    [message] = refused_problems(Refused(), Project(root=root))  # type: ignore[arg-type]
    assert message.startswith(f"images/logo.svg:2: a reference to {EVIL}: "), message
