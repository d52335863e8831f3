"""Fuzzing `check`: mutated and generated source files give located problems, never a traceback, in bounded time.

CI runs a few hundred examples; FUZZ_EXAMPLES=20000 runs a long search (README.md, Fuzzing). Examples that
once failed are kept in tests/fixtures/fuzz/ and replayed on every run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compendium.source.audit import check_source
from compendium.source.project import Project
from tests.conftest import PROJECT

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
# processor seconds, generous: one check of the real source takes a tenth of a second. Not wall
# time: a 20,000-case run under `nice` on a shared machine once saw a check take 20.3 s of wall
# time that took 0.7 s when replayed; a runaway check burns processor time and is still caught.
SECONDS = 20.0
REGRESSIONS = sorted((Path(__file__).parent / "fixtures" / "fuzz").glob("*.yaml"))

FILES = [
    "source/compendium.yaml",
    "source/introduction.yaml",
    "source/keywords.yaml",
    "source/publications.yaml",
    "source/provisions.yaml",
    "source/decisions/mc-dec-6-17.yaml",
    "source/editions.yaml",
    "translations/ru.yaml",
    "locale/ru/LC_MESSAGES/messages.po",
]
# Fragments an editor might type, or a fuzzer might: YAML syntax, strange values, strange characters.
NASTY = [
    "",
    ":",
    "- ",
    "~",
    "null",
    "yes",
    "0x1F",
    "1e999",
    "2019-02-30",
    "12:30:00",
    "!!timestamp x",
    "!!binary x",
    "!!python/object:os.system x",
    "!foo x",
    "&a x",
    "*a",
    "<<: *a",
    "? [a, b]",
    "[" * 300,
    "[" * 1200,
    "{" * 1200,
    "- " * 700,
    "[^" * 2000,
    "[^x]",
    "[^]",
    '"\\ud800"',
    '"\\x01"',
    "\t",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\u2028",
    "\x85",
    "★",
    "中文",
    "'unterminated",
    '"unterminated',
    "|",
    ">-",
    "---",
    "...",
    "%YAML 1.1",
    "#",
    'msgstr "%(x)s"',
    "  hash: 1234567890",
    "  text: [^nothing]",
    "kind: un-ga-resolution",
    "kind: no-such-kind",
    "kind: ../../etc/passwd",
    'msgstr[0] "%(nope)s"',
    'msgstr[3] "x"',
    'msgid_plural "%(num)d x"',
    "  - keyword: childern",
    "  - section: IX",
    "  paper: letter",
    "  variants: [handout, handout]",
]

# Changing a value is what an editor does most: it is drawn most often.
HOW = ["replace", "replace", "replace", "splice", "splice", "delete", "repeat", "indent", "dedent", "cut", "swap"]


class Tree:
    """A pristine copy of the project's source, translations and catalogues; one file is changed per example."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
        for name in ("source", "translations", "locale"):
            shutil.copytree(PROJECT / name, self.folder / name)
        self.original = {name: (PROJECT / name).read_bytes() for name in FILES}
        self.times: list[float] = []

    def check(self, name: str, data: bytes):
        path = self.folder / name
        path.write_bytes(data)
        try:
            start = time.process_time()
            compendium, problems = check_source(Project(root=self.folder))
            seconds = time.process_time() - start
            self.times.append(seconds)
            return compendium, problems, seconds
        finally:
            path.write_bytes(self.original[name])


@pytest.fixture(scope="module")
def tree():
    made = Tree()
    yield made
    shutil.rmtree(made.folder)
    if made.times:  # the figures of a long run (pytest -s)
        slowest, total = max(made.times), sum(made.times)
        print(f"\nfuzz: {len(made.times)} checks, slowest {slowest:.2f} processor seconds, total {total:.0f}")


def holds(tree: Tree, name: str, data: bytes) -> None:
    """The property: located problems or none, never an exception, in bounded time."""
    compendium, problems, seconds = tree.check(name, data)
    assert seconds < SECONDS, f"check took {seconds:.1f} s"
    for problem in problems.items:
        assert problem.origin.line >= 1, str(problem)
        assert (tree.folder / problem.origin.file).exists(), str(problem)
        assert "Traceback" not in str(problem)
    if problems.errors:
        assert compendium is None
    else:
        assert compendium is not None


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    """A real file with a few lines deleted, repeated, moved, re-indented, cut, or spliced with a nasty fragment."""
    name = draw(st.sampled_from(FILES))
    lines = (PROJECT / name).read_bytes().decode("utf-8").split("\n")
    for _ in range(draw(st.integers(1, 2))):
        if not lines:
            lines = [""]
        at = draw(st.sampled_from(range(len(lines))))  # any line alike (integers() would favour the first)
        how = draw(st.sampled_from(HOW))
        fragment = draw(
            st.one_of(st.sampled_from(NASTY), st.sampled_from(NASTY), st.sampled_from(NASTY), st.text(max_size=12))
        )
        line = lines[at]
        if how == "delete":
            del lines[at : at + draw(st.integers(1, 5))]
        elif how == "repeat":
            lines.insert(at, line)
        elif how == "indent":
            lines[at] = "  " + line
        elif how == "dedent":
            lines[at] = line[2:]
        elif how == "splice":
            column = draw(st.integers(0, len(line)))
            lines[at] = line[:column] + fragment + line[column:]
        elif how == "replace":
            key, colon, _ = line.partition(": ")
            lines[at] = f"{key}: {fragment}" if colon else fragment
        elif how == "cut":
            column = draw(st.integers(0, len(line)))
            lines = lines[:at] + [line[:column]]
        else:
            other = draw(st.sampled_from(range(len(lines))))
            lines[at], lines[other] = lines[other], lines[at]
    text = "\n".join(lines)
    return name, text.encode("utf-8", "surrogatepass")


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.dates(),
    st.text(max_size=20),
    st.sampled_from(["6/17", "children", "survey-2016", "II", "ru", "screen", "https://www.osce.org/x"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(["id", "title", "text", "number", "paragraph", "topic", "part", "hash", "lang", "label"])
            | st.text(max_size=8),
            inner,
            max_size=5,
        ),
    ),
    max_leaves=25,
)


@st.composite
def generated(draw) -> tuple[str, bytes]:
    """A file of the right name holding any YAML value at all."""
    name = draw(st.sampled_from([f for f in FILES if f.endswith(".yaml")]))
    text = yaml.safe_dump(draw(values), allow_unicode=True, sort_keys=False)
    return name, text.encode("utf-8", "surrogatepass")


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(st.one_of(mutated(), generated()))
def test_check_reports_located_problems_and_never_fails(tree, example):
    name, data = example
    holds(tree, name, data)


@pytest.mark.parametrize("fixture", REGRESSIONS, ids=[f.stem for f in REGRESSIONS])
def test_examples_the_fuzzer_found_stay_fixed(tree, fixture: Path):
    """Each regression fixture's first line names the file it replaces: '# replaces: source/keywords.yaml'."""
    data = fixture.read_bytes()
    name = data.split(b"\n", 1)[0].decode("utf-8").removeprefix("# replaces: ")
    holds(tree, name, data)


# Layouts: a project's own layout, mutated from one of the builder's, is rendered in the sandbox. The
# property: the HTML, or one located line (LayoutError); never another exception, never an escape.
LAYOUT_EXAMPLES = int(os.environ.get("FUZZ_LAYOUT_EXAMPLES", "25"))
LAYOUTS = ["_cover.html", "_provision.html", "_contents.html", "compendium.html", "_citation.html"]
JINJA = [
    "{{",
    "}}",
    "{%",
    "%}",
    "{% if %}",
    "{% endif %}",
    "{% for x in %}",
    "{% endfor %}",
    "{{ x.__class__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ lipsum.__globals__ }}",
    "{{ compendium|attr('__init__') }}",
    "{{ meta._private }}",
    "{% include 'nothing.html' %}",
    "{% include '../../etc/passwd' %}",
    "{% extends 'base.html' %}",
    "{% import '_url.html' as u %}{{ u.nothing() }}",
    "{{ 1/0 }}",
    "{{ undefined_name }}",
    "{{ compendium.sections[99] }}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "{{ range(10) | sum }}",
    "{% set x = [] %}{{ x.append(1) }}",
    "{{ _('%(x)s') }}",
    "{{ '%s' % 1 }}",
    "{# unclosed comment",
    "{% raw %}",
]


@st.composite
def layout(draw) -> tuple[str, str]:
    name = draw(st.sampled_from(LAYOUTS))
    text = (PROJECT / "layouts" / name).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        fragment = draw(st.one_of(st.sampled_from(JINJA), st.sampled_from(JINJA), st.text(max_size=8)))
        cut = draw(st.sampled_from([0, 0, 0, 1, 5]))
        text = text[:at] + fragment + text[at + cut :]
    return name, text


@pytest.fixture(scope="module")
def rendering(compendium):
    from compendium.render.locale import Language

    folder = Path(tempfile.mkdtemp(prefix="fuzz-layouts-"))
    (folder / "layouts").mkdir()
    yield folder, Language("en", PROJECT / "locale", compendium.metadata.language), compendium
    shutil.rmtree(folder)


@settings(
    max_examples=LAYOUT_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(layout())
def test_a_mutated_project_layout_renders_or_is_one_located_line(rendering, example):
    import re

    from compendium.edition import Edition
    from compendium.render.html import LayoutError, render_html
    from compendium.source.audit import check_layouts
    from compendium.source.problems import Problems

    folder, language, compendium = rendering
    name, text = example
    path = folder / "layouts" / name
    path.write_text(text, encoding="utf-8")
    try:
        try:
            html = render_html(compendium, Edition(), Project(root=folder), language)
        except LayoutError as error:
            assert re.match(r"^layouts/[\w.]+\.html:\d+: |^layout '[^']+' not found", str(error)), str(error)
            assert "\n" not in str(error)
        else:
            assert "uid=" not in html
        problems = Problems()
        check_layouts(Project(root=folder), problems)
        for problem in problems.items:
            assert problem.origin.file == f"layouts/{name}" and problem.origin.line >= 1, str(problem)
    finally:
        path.unlink()
