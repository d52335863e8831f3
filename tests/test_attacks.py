"""The attacks of review/attacker.md (issue 21, second round): a hostile project folder and a
careless editor, each refused or reported in one located line, nothing printed that the project
did not write as text, nothing read or written outside the project."""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from compendium import cli
from compendium.edition import Edition
from compendium.model import Wording
from compendium.render.html import render_html
from compendium.render.locale import Language
from compendium.source.project import Project
from tests.conftest import PROJECT

VALID = Path(__file__).parent / "fixtures" / "valid" / "source"
MARKUP = '<b>CONT</b><a href="javascript:app.alert(1)">JSW</a><span style="display:none">HID</span>'


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


def copy_project(tmp_path: Path, *folders: str) -> Path:
    root = tmp_path / "project"
    for folder in ("source", *folders):
        shutil.copytree(PROJECT / folder, root / folder)
    return root


# --- 1. interface strings are text, never markup --------------------------------------------------


def test_a_wording_with_markup_is_printed_as_text(compendium, tmp_path: Path):
    wording = (("Contents", Wording("Contents", (("en", MARKUP),))),)
    language = Language("en", PROJECT / "locale", compendium.metadata.language, wording)
    html = render_html(compendium, Edition(), Project(root=tmp_path), language)
    assert '<a href="javascript:' not in html
    assert "<b>CONT</b>" not in html and "<span style" not in html
    assert "&lt;b&gt;CONT&lt;/b&gt;" in html


def test_a_translated_interface_string_with_markup_is_printed_as_text(compendium, tmp_path: Path):
    locale = tmp_path / "locale"
    shutil.copytree(PROJECT / "locale", locale)
    catalogue = locale / "ru" / "LC_MESSAGES" / "messages.po"
    text = catalogue.read_text(encoding="utf-8")
    old = 'msgid "Contents"\nmsgstr "Содержание"'
    assert old in text
    catalogue.write_text(text.replace(old, 'msgid "Contents"\nmsgstr "<b>Содерж</b><i>x</i>"'), encoding="utf-8")
    language = Language("ru", locale, compendium.metadata.language)
    html = render_html(compendium, Edition("ru", interface_only=True), Project(root=tmp_path), language)
    assert "<b>Содерж</b>" not in html
    assert "&lt;b&gt;Содерж&lt;/b&gt;" in html


def test_check_refuses_markup_in_a_wording_at_its_line(tmp_path: Path):
    root = copy_project(tmp_path, "translations", "locale")
    path = root / "source" / "compendium.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  Provisions: Recital(s)\n" in text
    path.write_text(text.replace("  Provisions: Recital(s)\n", "  Provisions: <b>Recital(s)</b>\n"), encoding="utf-8")
    line = text.splitlines().index("  Provisions: Recital(s)") + 1
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1
    assert any(m.startswith(f"source/compendium.yaml:{line}: ") and "'<b>' is markup" in m for m in err.splitlines()), (
        err
    )


def test_check_refuses_markup_in_a_msgstr_at_its_line(tmp_path: Path):
    root = copy_project(tmp_path, "translations", "locale")
    catalogue = root / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    text = catalogue.read_text(encoding="utf-8")
    old = 'msgid "Contents"\nmsgstr "Содержание"'
    catalogue.write_text(text.replace(old, 'msgid "Contents"\nmsgstr "<a href=\\"javascript:x\\">Содержание</a>"'))
    line = text.splitlines().index('msgid "Contents"') + 1
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1
    assert any(
        m.startswith(f"locale/ru/LC_MESSAGES/messages.po:{line}: ") and "is markup" in m for m in err.splitlines()
    ), err
    assert sum("is markup" in m for m in err.splitlines()) == 1, err  # not again as the edition's reason


# --- 2. check never reads through a link leaving the project ------------------------------------

SECRET = "https://ci-bot:ghp_FAKEtoken1234567890@github.com"


def small(tmp_path: Path) -> Path:
    root = tmp_path / "small"
    shutil.copytree(VALID, root / "source")
    return root


@pytest.mark.parametrize(
    "where",
    ["source/keywords.yaml", "source/decisions/zz.yaml", "source/editions.yaml", "chain"],
)
def test_check_refuses_a_link_leaving_the_project_before_reading_it(tmp_path: Path, where: str):
    root = small(tmp_path)
    secret = tmp_path / "credentials"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    if where == "chain":  # source/keywords.yaml -> ../inner (in the project) -> the secret
        (root / "inner").symlink_to(secret)
        (root / "source" / "keywords.yaml").unlink()
        (root / "source" / "keywords.yaml").symlink_to("../inner")
        where = "source/keywords.yaml"
    else:
        (root / where).unlink(missing_ok=True)
        (root / where).symlink_to(secret)
    code, out, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1
    assert "ghp_FAKE" not in out + err and "ci-bot" not in out + err
    assert f"{where}:1: a link to {secret}, outside the project folder" in err, err
    assert "Traceback" not in err


# --- 4. a loop of links is one line saying so ---------------------------------------------------


@pytest.mark.parametrize("where", ["source/keywords.yaml", "layouts/loop.html", "images", "source/decisions"])
def test_a_loop_of_links_is_one_line_in_check_and_build(tmp_path: Path, where: str):
    root = small(tmp_path)
    path = root / where
    path.parent.mkdir(exist_ok=True)
    if path.is_dir():
        shutil.rmtree(path)
    path.unlink(missing_ok=True)
    path.symlink_to(path.name)
    for command in (["check"], ["--lang", "en", "--jobs", "1", "--quiet"]):
        code, _, err = run_cli(*command, "--source", str(root / "source"))
        assert code == 1, err
        assert "Traceback" not in err
        lines = [line for line in err.splitlines() if where in line]
        assert len(lines) == 1 and "a link that loops" in lines[0], err
        assert lines[0].startswith(f"{where}:"), lines  # the link's name in the project
        assert "outside the project" not in lines[0]


# --- 3. a file in fonts/ that is no font -----------------------------------------------------------

FONT = "NotoSerif-Regular.ttf"


def spoil_font(root: Path, how: str) -> str:
    """A project's fonts/ holding a file that is no usable font; the name it has."""
    fonts = root / "fonts"
    fonts.mkdir()
    name = "extra.ttf" if how == "unused" else FONT
    path = fonts / name
    real = (PROJECT / "fonts" / FONT).read_bytes()
    if how == "text":
        path.write_text("not a font\n")
    elif how in ("junk", "unused"):
        path.write_bytes(bytes(range(256)) * 40)
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "truncated":
        path.write_bytes(real[: len(real) // 3])
    elif how == "folder":
        path.mkdir()
    return f"fonts/{name}"


@pytest.mark.parametrize("how", ["text", "junk", "empty", "truncated", "folder", "unused"])
def test_a_file_in_fonts_that_is_no_font_is_one_located_line(tmp_path: Path, how: str):
    root = small(tmp_path)
    name = spoil_font(root, how)
    for command in (["check"], ["--lang", "en", "--jobs", "1", "--quiet"]):
        code, _, err = run_cli(*command, "--source", str(root / "source"))
        assert code == 1, (command, err)
        assert "Traceback" not in err and "TTLibError" not in err, err
        lines = [line for line in err.splitlines() if name in line]
        assert len(lines) == 1, err
        assert lines[0].startswith(f"{name}:1: ") and "TrueType/OpenType font" in lines[0], lines


# --- 5. writes stay in the output folder; the cache cannot be forged -----------------------------

BUILD = ("--lang", "en", "--jobs", "1", "--quiet")


def test_an_output_folder_linked_out_of_the_project_is_refused(tmp_path: Path):
    root = small(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "output").symlink_to(elsewhere)
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1 and f"output:1: a link to {elsewhere}, outside the project folder" in err, err
    code, _, err = run_cli(*BUILD, "--source", str(root / "source"))
    assert code == 1
    assert err.splitlines()[0].startswith(f"output: a link to {elsewhere}, outside the project folder"), err
    assert list(elsewhere.iterdir()) == []


def test_a_cache_folder_linked_elsewhere_is_refused(tmp_path: Path):
    root = small(tmp_path)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "builds.json").write_text("precious\n")
    (root / "output").mkdir()
    (root / "output" / ".cache").symlink_to(victim)
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1 and "output/.cache:1: a link to " in err, err
    code, _, err = run_cli(*BUILD, "--source", str(root / "source"))
    assert code == 1 and "output/.cache: a link to " in err, err
    assert [p.name for p in victim.iterdir()] == ["builds.json"]
    assert (victim / "builds.json").read_text() == "precious\n"
    assert not list((root / "output").glob("*.pdf"))


def test_a_forged_manifest_does_not_keep_a_foreign_pdf(tmp_path: Path):
    import hashlib
    import json

    root = small(tmp_path)
    code, _, err = run_cli(*BUILD, "--source", str(root / "source"))
    assert code == 0, err
    pdf = root / "output" / "compendium-en.pdf"
    made = pdf.read_bytes()
    foreign = made.replace(b"%PDF-1.7", b"%PDF-1.7\n% a foreign PDF", 1)
    assert foreign != made
    pdf.write_bytes(foreign)
    manifest = root / "output" / ".cache" / "builds.json"
    entries = json.loads(manifest.read_text())
    entries["compendium-en.pdf"]["pdf"] = hashlib.sha256(foreign).hexdigest()
    manifest.write_text(json.dumps(entries))
    code, out, err = run_cli("--lang", "en", "--jobs", "1", "--source", str(root / "source"))
    assert code == 0, err
    assert "unchanged" not in out, out
    assert pdf.read_bytes() != foreign


# --- 6. an interrupted build leaves no WeasyPrint folder behind ---------------------------------


def test_an_interrupted_build_leaves_no_weasyprint_folder(tmp_path: Path, monkeypatch):
    import tempfile

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))  # WeasyPrint's font folders go here
    others = temporary / "weasyprint-another-process"
    others.mkdir()  # not this build's: left alone

    def interrupted(*args, **kwargs):  # Ctrl-C once WeasyPrint has laid the pages out
        raise KeyboardInterrupt

    monkeypatch.setattr("compendium.pdf.finish.finish", interrupted)
    code, _, err = run_cli(*BUILD, "--source", str(small(tmp_path) / "source"))
    assert code == 130, err
    assert [p.name for p in temporary.iterdir()] == ["weasyprint-another-process"]


# --- 7. a broken image is an error naming it ---------------------------------------------------------


def png(width: int, height: int) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = zlib.compress((b"\x00" + b"\x00" * ((width + 7) // 8)) * height, 9)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def with_image(tmp_path: Path, data: bytes | None) -> Path:
    """The small project with a layout of its own showing images/x.png (None: no such file)."""
    root = small(tmp_path)
    (root / "layouts").mkdir()
    (root / "layouts" / "_imprint.html").write_text('<div><img src="images/x.png" alt="logo"></div>\n')
    (root / "images").mkdir()
    if data is not None:
        (root / "images" / "x.png").write_bytes(data)
    return root


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ("empty", "images/x.png: not an image (the file is empty)"),
        ("junk", "images/x.png: not an image the builder can read ("),
        ("truncated", "images/x.png: the image is damaged or cut short ("),
        ("bomb", "images/x.png: 30000 × 30000 pixels, more than an image in a PDF may have (at most "),
        ("missing", "layouts/_imprint.html:1: images/x.png: not found"),  # the line asking for it
    ],
)
def test_a_broken_image_is_an_error_naming_it(tmp_path: Path, how: str, expected: str):
    good = png(600, 400)
    data = {
        "empty": b"",
        "junk": bytes(range(256)) * 8,
        "truncated": good[: len(good) // 2] if len(good) > 200 else good[:60],
        "bomb": png(30000, 30000),
        "missing": None,
    }[how]
    root = with_image(tmp_path, data)
    code, _, err = run_cli(*BUILD, "--source", str(root / "source"))
    assert code == 1, err
    assert "Traceback" not in err
    assert any(line.startswith(expected) for line in err.splitlines()), err
    assert not (root / "output" / "compendium-en.pdf").exists()


def test_a_good_image_in_a_project_layout_is_built(tmp_path: Path):
    root = with_image(tmp_path, png(600, 400))
    code, _, err = run_cli(*BUILD, "--source", str(root / "source"))
    assert code == 0, err


def test_check_finds_a_broken_image_in_the_projects_images(tmp_path: Path):
    root = with_image(tmp_path, png(600, 400)[:60])
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1
    assert "images/x.png:1: the image is damaged or cut short (" in err, err


# --- 8. deep flow nesting, a malformed catalogue, links a PDF must not hold ----------------------


def test_deeply_nested_flow_brackets_are_refused_at_the_depth_limit(tmp_path: Path):
    root = small(tmp_path)
    depth = 5000  # libyaml stops at 1000 levels; the pure-Python parser took seconds more to say so
    (root / "source" / "keywords.yaml").write_text("a: " + "[" * depth + "]" * depth + "\n")
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1
    assert "source/keywords.yaml:1: malformed YAML: values nested more than 40 levels deep" in err, err


def test_a_catalogue_with_an_unclosed_quote_is_a_located_error(tmp_path: Path):
    root = copy_project(tmp_path, "translations", "locale")
    catalogue = root / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    lines = catalogue.read_text(encoding="utf-8").split("\n")
    line = lines.index('msgid "Contents"') + 1
    lines[line - 1] = 'msgid "Contents\\nbroken'
    catalogue.write_text("\n".join(lines), encoding="utf-8")
    expected = f"locale/ru/LC_MESSAGES/messages.po:{line}: malformed catalogue: the quoted text is not closed"
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1 and expected in err, err
    code, _, err = run_cli("--lang", "ru", "--jobs", "1", "--quiet", "--source", str(root / "source"))
    assert code == 1 and expected in err, err


@pytest.mark.parametrize("target", ["file:///etc/passwd", "javascript:app.alert(1)", "other.html"])
def test_a_project_layout_cannot_put_a_foreign_link_target_in_the_pdf(tmp_path: Path, target: str):
    root = small(tmp_path)
    (root / "layouts").mkdir()
    (root / "layouts" / "_imprint.html").write_text(f'<p>imprint</p>\n<p><a href="{target}">click</a></p>\n')
    code, _, err = run_cli(*BUILD, "--source", str(root / "source"))
    assert code == 1, err
    assert "Traceback" not in err
    assert any("a PDF may link only to" in line and target in line for line in err.splitlines()), err
    if ":" in target:
        assert f"layouts/_imprint.html:2: a link to {target}" in err, err
    assert not (root / "output" / "compendium-en.pdf").exists()


def test_the_builders_own_links_pass(tmp_path: Path):
    root = small(tmp_path)
    (root / "layouts").mkdir()
    links = '<a href="https://www.osce.org/">w</a> <a href="mailto:info@osce.org">m</a> <a href="#contents">c</a>'
    (root / "layouts" / "_imprint.html").write_text(f"<p>{links}</p>\n")
    code, _, err = run_cli(*BUILD, "--source", str(root / "source"))
    assert code == 0, err


# --- 9. smaller things a careless editor meets ---------------------------------------------------


@pytest.mark.parametrize("year", ["-5", "1", "99999999999999999999999"])
def test_the_compendiums_own_year_is_checked_and_no_publication_blamed(tmp_path: Path, year: str):
    root = small(tmp_path)
    path = root / "source" / "compendium.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("year:"))
    lines[line - 1] = f"year: {year}"
    path.write_text("\n".join(lines), encoding="utf-8")
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1
    assert f"source/compendium.yaml:{line}: key 'year': expected the year it is published, 1450 to 9999" in err, err
    assert "publications.yaml" not in err


def test_an_unquoted_no_is_explained(tmp_path: Path):
    root = small(tmp_path)
    path = root / "source" / "compendium.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("language: en", "language: no"), encoding="utf-8")
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1 and "found 'false' (an unquoted yes, no, on, off, true or false: put a text in quotes)" in err


def test_text_that_is_not_utf8_is_reported_at_its_line(tmp_path: Path):
    root = small(tmp_path)
    path = root / "source" / "keywords.yaml"
    lines = path.read_bytes().split(b"\n")
    lines[2] += b" \xff"
    path.write_bytes(b"\n".join(lines))
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1 and "source/keywords.yaml:3: not UTF-8 text" in err, err


def test_a_stopped_worker_ends_instead_of_waiting_for_the_next_job(monkeypatch):
    from compendium.build import batch
    from compendium.pdf.output import Stopped

    def stopped(*args, **kwargs):
        raise Stopped(15)

    def ended(code: int):
        raise SystemExit(code)

    monkeypatch.setattr(batch, "run_job", stopped)
    monkeypatch.setattr(batch.os, "_exit", ended)
    with pytest.raises(SystemExit) as caught:
        batch._pooled_job([], Project(), False, ({}, {}))
    assert caught.value.code == 143


# --- check covers what a project's layouts and stylesheets do ------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("layouts/_imprint.html", "<p>\n{{ ''.__class__ }}</p>\n", "layouts/_imprint.html:2: "),
        ("layouts/_imprint.html", '<p>\n<a href="javascript:x()">x</a></p>\n', "layouts/_imprint.html:2: a link to"),
        ("styles/base.css", "p { color: red }\n@import url(http://127.0.0.1:8765/x.css);\n", "styles/base.css:2: "),
        ("styles/base.css", 'p { background: url("../../secret.png") }\n', "styles/base.css:1: "),
    ],
    ids=["sandbox", "link", "import", "outside"],
)
def test_check_finds_what_a_build_would_refuse_in_layouts_and_styles(tmp_path: Path, name: str, text: str, expected):
    root = small(tmp_path)
    path = root / name
    path.parent.mkdir()
    if name.startswith("styles/"):
        text = (PROJECT / name).read_text(encoding="utf-8") + text
        expected = expected.replace(":1:", f":{text.count(chr(10))}:").replace(":2:", f":{text.count(chr(10))}:")
    path.write_text(text, encoding="utf-8")
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1, err
    assert any(line.startswith(expected) for line in err.splitlines()), err


def test_an_unquoted_colour_is_one_error_naming_the_section(tmp_path: Path):
    root = small(tmp_path)
    path = root / "source" / "compendium.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  - id: prevention\n" in text
    path.write_text(text.replace("  - id: prevention\n", "  - id: prevention\n    colour: #6b3f8f\n"), encoding="utf-8")
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1
    assert [line for line in err.splitlines() if "colour" in line] == [
        "source/compendium.yaml:14: section 'prevention': key 'colour': expected a colour written in quotes, "
        'such as "#1f5f99" (unquoted, # begins a comment)'
    ], err


def test_a_missing_footnote_mark_is_quoted_with_the_english_up_to_the_mark():
    from compendium.model import Origin
    from compendium.source.problems import Problems
    from compendium.source.translations import Translation, same_marks

    english = "This compendium presents the provisions of a decision with resources by keyword[^guide]. More."
    problems = Problems()
    translation = Translation("Этот сборник представляет положения решения с ресурсами.", "h", Origin("t.yaml", 3))
    assert not same_marks("intro.p1", english, translation, problems)
    [problem] = problems.items
    assert str(problem).startswith("t.yaml:3: translation 'intro.p1': footnote mark [^guide] of the English text")
    assert "resources by keyword[^guide]…)" in str(problem), problem


def test_a_pdf_that_may_not_be_replaced_is_named_as_the_file_not_the_folder(tmp_path: Path, monkeypatch):
    import errno
    import os

    from compendium.source import files

    target = tmp_path / "compendium-en.pdf"
    target.write_bytes(b"old")
    finished = tmp_path / "finished.pdf"
    finished.write_bytes(b"new")

    replace = files.os.replace

    def immutable(source, destination):
        if os.fspath(destination) != os.fspath(target):  # a new file beside it is taken
            return replace(source, destination)
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM), str(source))

    monkeypatch.setattr(files.os, "replace", immutable)
    with pytest.raises(files.WriteError) as caught:
        files.move_all_into_place([(finished, target)])
    assert str(caught.value) == (
        f"cannot write {target}: the file in place may not be replaced (immutable, or no permission)"
    )
    assert target.read_bytes() == b"old"


def test_check_notes_that_without_editions_yaml_the_default_edition_is_built(tmp_path: Path):
    root = small(tmp_path)
    (root / "source" / "editions.yaml").unlink(missing_ok=True)
    code, out, _ = run_cli("check", "--source", str(root / "source"))
    assert code == 0
    assert out.splitlines()[1] == (
        "note: no source/editions.yaml: a plain build makes the screen edition in 'en' "
        "(source/README.md lists what the file may say)"
    )


# --- a project's sections.css.j2 is a template too: sandboxed ------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", "styles/sections.css.j2:1: refused: "),
        ("/* sections */\n{{ ''.__class__.__mro__ }}", "styles/sections.css.j2:2: refused: "),
        ("/* sections */\n\n{% if %}", "styles/sections.css.j2:3: template syntax error: "),
        ("{{ no_such_value }}", "styles/sections.css.j2:1: "),
    ],
    ids=["popen", "mro", "syntax", "undefined"],
)
def test_a_projects_section_stylesheet_template_runs_in_the_sandbox(tmp_path: Path, text: str, expected: str):
    root = small(tmp_path)
    (root / "styles").mkdir()
    (root / "styles" / "sections.css.j2").write_text(text + "\n", encoding="utf-8")
    for command in (["check"], list(BUILD)):
        code, out, err = run_cli(*command, "--source", str(root / "source"))
        assert code == 1, (command, err)
        assert "uid=" not in out + err and "Traceback" not in err
        assert any(line.startswith(expected) for line in err.splitlines()), (command, err)


def test_weasyprint_failing_on_a_projects_styles_is_one_line(tmp_path: Path):
    root = small(tmp_path)
    (root / "styles").mkdir()
    (root / "styles" / "sections.css.j2").write_text("/* no section rules: the variables they define are missing */\n")
    code, _, err = run_cli(*BUILD, "--source", str(root / "source"))
    assert code == 1
    lines = err.splitlines()
    assert lines[0].startswith("WeasyPrint stopped while laying out the pages (AssertionError at weasyprint/"), lines
    assert "the project's own styles/ are the likely cause" in lines[0]
    assert len(lines) == 2 and lines[1].startswith("build failed: "), lines


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect', "not an SVG image the builder can read ("),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "lol">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
            "an SVG image declaring entities",
        ),
    ],
    ids=["cut-short", "entities"],
)
def test_a_broken_svg_is_an_error_naming_it(tmp_path: Path, data: bytes, expected: str):
    root = small(tmp_path)
    (root / "layouts").mkdir()
    (root / "layouts" / "_imprint.html").write_text('<div><img src="images/x.svg" alt="logo"></div>\n')
    (root / "images").mkdir()
    (root / "images" / "x.svg").write_bytes(data)
    code, _, err = run_cli(*BUILD, "--source", str(root / "source"))
    assert code == 1 and err.startswith(f"images/x.svg: {expected}"), err
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1 and f"images/x.svg:1: {expected}" in err, err


def test_a_typography_folder_linked_out_of_the_project_is_refused_by_name(tmp_path: Path):
    root = small(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "en.yaml").write_text("quotes: ['«', '»']\n")
    (root / "typography").symlink_to(elsewhere)
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1 and f"typography:1: a link to {elsewhere}, outside the project folder" in err, err
    code, _, err = run_cli(*BUILD, "--source", str(root / "source"))
    assert code == 1 and f"typography: a link to {elsewhere}, outside the project folder" in err, err


@pytest.mark.parametrize("href", ["file:///etc/hostname", "http://127.0.0.1:8765/x.png"])
def test_a_refused_reference_inside_an_inline_svg_fails_the_build(tmp_path: Path, href: str):
    root = small(tmp_path)
    (root / "layouts").mkdir()
    svg = f'<svg width="10" height="10"><image href="{href}" width="10" height="10"/></svg>'
    (root / "layouts" / "_imprint.html").write_text(f"<p>imprint</p>\n{svg}\n")
    code, _, err = run_cli(*BUILD, "--source", str(root / "source"))
    assert code == 1, err
    assert f"layouts/_imprint.html:2: a reference to {href}: only files under" in err, err
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1 and f"layouts/_imprint.html:2: a reference to {href}: only files under" in err, err


def set_plural_forms(root: Path, forms: str) -> int:
    """The Russian catalogue's Plural-Forms header set to `forms`, on one line: that line."""
    catalogue = root / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    lines = catalogue.read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, 1) if text.startswith('"Plural-Forms:'))
    while not lines[line - 1].endswith('\\n"'):  # the header runs on over the next lines
        lines[line - 1] += lines.pop(line)
    lines[line - 1] = f'"Plural-Forms: {forms}\\n"'
    catalogue.write_text("\n".join(lines), encoding="utf-8")
    return line


@pytest.mark.parametrize(
    ("plural", "expected"),
    [
        ("n%0", "integer modulo by zero"),
        ("__import__('os').system('true')", "invalid token in plural form: __import__"),
    ],
    ids=["modulo-zero", "foreign-token"],
)
def test_a_catalogue_with_a_bad_plural_expression_is_a_located_error(tmp_path: Path, plural: str, expected: str):
    root = copy_project(tmp_path, "translations", "locale")
    line = set_plural_forms(root, f"nplurals=3; plural={plural};")
    wanted = f"locale/ru/LC_MESSAGES/messages.po:{line}: Plural-Forms: not a valid plural expression ({expected})"
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1 and wanted in err.splitlines(), err
    code, _, err = run_cli("--lang", "ru", "--jobs", "1", "--quiet", "--source", str(root / "source"))
    assert code == 1 and "Traceback" not in err and any(wanted in m for m in err.splitlines()), err


# --- ReDoS: a project's regular expressions that would take exponential time to match ------------


@pytest.mark.parametrize("pattern", ["(a|aa)+$", "(x|xx)+y", "(зло|(x|xx)+y)", r"(\w+\s?)+", "(a?a)*", "(?=(a|aa)+)"])
def test_a_pattern_whose_matching_could_take_exponential_time_is_refused(pattern: str):
    from compendium.source.patterns import CostlyPattern, compile_pattern

    with pytest.raises(CostlyPattern, match="too costly to match"):
        compile_pattern(pattern)


@pytest.mark.parametrize("pattern", [r"\d{1,2}/\d{2}", r"trafficking (in|of) children", r"(?:ab|cd)++", r"\w+ \w*"])
def test_a_pattern_of_the_builder_s_kind_is_accepted(pattern: str):
    from compendium.source.patterns import compile_pattern

    assert compile_pattern(pattern).pattern == pattern


def test_a_kind_s_costly_id_pattern_is_refused_at_its_line_before_any_id_is_matched(tmp_path: Path):
    root = small(tmp_path)
    decision = next((root / "source" / "decisions").glob("*.yaml"))
    text = decision.read_text(encoding="utf-8")
    decision.write_text(text.replace('id: "1/19"', f'id: "{"a" * 46}!"\nkind: evil-kind', 1), encoding="utf-8")
    (root / "source" / "kinds.yaml").write_text(
        "id: evil-kind\nbased_on: osce-mc-decision\nid_pattern: '(a|aa)+$'\nid_example: aa\n"
    )
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1
    assert any(
        m.startswith("source/kinds.yaml:3: ") and "key 'id_pattern': too costly to match" in m for m in err.splitlines()
    ), err


def test_a_terminology_list_s_costly_pattern_is_refused_at_its_line(tmp_path: Path):
    from compendium.source.patterns import COSTLY
    from compendium.source.problems import Problems
    from compendium.source.terms import read_terms

    terms = tmp_path / "translations" / "ru-terms.yaml"
    terms.parent.mkdir()
    terms.write_text("- term: evil\n  en: evil\n  rendering: зло\n  forms: (зло|(x|xx)+y)\n  avoid: (x|xx)+y\n")
    problems = Problems()
    assert read_terms(terms, tmp_path, problems) == []
    assert [str(p) for p in problems.errors] == [f"translations/ru-terms.yaml:4: term 'evil': key 'forms': {COSTLY}"]


# --- a layout that asks for gigabytes: refused at its line, in check and in the build -------------

BOMBS = {
    "repeat": "{{ 'x' * 10**9 }}",
    "list-repeat": "{{ ['x'] * 10**9 }}",
    "center": "{{ 'x'|center(10**9) }}",
    "method": "{{ 'x'.ljust(10**9) }}",
    "percent": "{{ '%1000000000d'|format(1) }}",
    "percent-operator": "{{ '%1000000000d' % 1 }}",
    "brace": "{{ '{:>1000000000}'.format(1) }}",
    "indent": "{{ ('x\\n' * 1000)|indent(10**6) }}",
    "replace": "{{ ('x' * 1000)|replace('x', 'y' * 10**4) }}",
    "macro": "{% macro f(s) %}{{ f(s ~ s) }}{% endmacro %}{{ f('x') }}",
    "namespace": "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "lipsum": "{{ lipsum(10**6) }}",
}


@pytest.mark.parametrize("bomb", BOMBS.values(), ids=BOMBS.keys())
def test_a_layout_that_would_make_a_huge_text_is_refused_at_its_line(tmp_path: Path, bomb: str):
    from compendium.render.sandbox import LIMIT

    root = small(tmp_path)
    (root / "layouts").mkdir()
    (root / "layouts" / "_cover.html").write_text(f"<p>\n{bomb}</p>\n")
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1
    assert any(m.startswith("layouts/_cover.html:2: refused: a text longer than ") for m in err.splitlines()), err
    assert str(LIMIT) in err


def test_a_huge_power_is_refused_at_its_line(tmp_path: Path):
    root = small(tmp_path)
    (root / "layouts").mkdir()
    (root / "layouts" / "_cover.html").write_text("<p>{{ 10 ** 100000000 }}</p>\n")
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1
    assert any(m.startswith("layouts/_cover.html:1: refused: a number of more than ") for m in err.splitlines()), err


def test_a_huge_text_in_the_section_stylesheet_template_is_refused_at_its_line(tmp_path: Path):
    root = small(tmp_path)
    (root / "styles").mkdir()
    (root / "styles" / "sections.css.j2").write_text("/* sections */\n{{ 'x' * 10**9 }}\n")
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1
    assert any(m.startswith("styles/sections.css.j2:2: refused: a text longer than ") for m in err.splitlines()), err


def test_the_build_refuses_a_huge_text_at_the_layout_s_line(tmp_path: Path):
    root = small(tmp_path)
    (root / "layouts").mkdir()
    (root / "layouts" / "_cover.html").write_text("<p>{{ 'x' * 10**9 }}</p>\n")
    code, _, err = run_cli(*BUILD, "--source", str(root / "source"))
    assert code == 1 and "Traceback" not in err
    assert any(m.startswith("layouts/_cover.html:1: refused: a text longer than ") for m in err.splitlines()), err
    assert not (root / "output" / "compendium-en.pdf").exists()


# --- a lone '%' in an interface string: check names its line, not the builder's layout ---------


@pytest.mark.parametrize(
    "wording", ["Recital(s) (100% sure)", "{target} (100% sure), page {page}"], ids=["plain", "placeholders"]
)
def test_check_refuses_a_lone_percent_in_a_wording_at_its_line(tmp_path: Path, wording: str):
    root = copy_project(tmp_path, "translations", "locale")
    path = root / "source" / "compendium.yaml"
    text = path.read_text(encoding="utf-8")
    key = "Provisions" if "{" not in wording else '"{target}, page {page}"'
    path.write_text(text.replace("  Provisions: Recital(s)\n", f'  {key}: "{wording}"\n'), encoding="utf-8")
    line = text.splitlines().index("  Provisions: Recital(s)") + 1
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1
    assert any(
        m.startswith(f"source/compendium.yaml:{line}: ") and "a lone '%': write %% for a percent sign" in m
        for m in err.splitlines()
    ), err


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('msgid "Contents"\nmsgstr "Содержание"', 'msgid "Contents"\nmsgstr "Содержание (100%)"'),
        ('msgstr[0] "имеется на языке: %(languages)s"', 'msgstr[0] "есть на 5% языке: %(languages)s"'),
    ],
    ids=["plain", "plural"],
)
def test_check_refuses_a_lone_percent_in_a_msgstr_at_its_line(tmp_path: Path, old: str, new: str):
    root = copy_project(tmp_path, "translations", "locale")
    catalogue = root / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    text = catalogue.read_text(encoding="utf-8")
    assert old in text
    catalogue.write_text(text.replace(old, new), encoding="utf-8")
    msgid = text.rindex("\nmsgid ", 0, text.index(old) + len("msgid ")) + 1  # the entry's msgid line
    line = text.count("\n", 0, msgid) + 1
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1
    assert any(
        m.startswith(f"locale/ru/LC_MESSAGES/messages.po:{line}: ") and "msgstr has a lone '%'" in m
        for m in err.splitlines()
    ), err


def test_a_msgid_given_twice_in_a_catalogue_is_a_located_error(tmp_path: Path):
    root = copy_project(tmp_path, "translations", "locale")
    catalogue = root / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    text = catalogue.read_text(encoding="utf-8")
    old = 'msgid "Contents"\nmsgstr "Содержание"\n'
    assert old in text
    catalogue.write_text(text.replace(old, old + '\nmsgid "Contents"\nmsgstr "Содержание два"\n'), encoding="utf-8")
    first = text.splitlines().index('msgid "Contents"') + 1
    expected = f'locale/ru/LC_MESSAGES/messages.po:{first + 3}: msgid "Contents": appears twice (first at line {first})'
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1 and expected in err.splitlines(), err
    assert sum("appears twice" in m for m in err.splitlines()) == 1, err


# --- attacker, round 3: a kind's symbol with a format spec, a repeat count past C's int -----------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('symbol: "{id:>{id}}"', "key 'symbol': unknown placeholder '{id:>{id}}' (only {id} is filled in)"),
        ("id_pattern: 'a{4294967296}'", "key 'id_pattern': not a regular expression"),
    ],
)
def test_a_kind_s_symbol_or_pattern_that_would_raise_is_a_located_error(tmp_path: Path, line: str, expected: str):
    """'{id:>{id}}' padded a symbol to the id's value (billions of characters, then a MemoryError);
    'a{4294967296}' gave re's OverflowError traceback."""
    root = small(tmp_path)
    lines = ["id: evil-kind", "based_on: osce-mc-decision", "id_pattern: 'a+'", "id_example: aa"]
    key = line.split(":")[0]
    lines = [line if existing.startswith(key + ":") else existing for existing in lines]
    if key not in {existing.split(":")[0] for existing in lines[:4]}:
        lines.append(line)
    (root / "source" / "kinds.yaml").write_text("\n".join(lines) + "\n")
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1 and "Traceback" not in err, err
    assert any(m.startswith("source/kinds.yaml:") and expected in m for m in err.splitlines()), err


def test_many_catalogue_items_of_one_title_get_ids_numbered_in_turn():
    """Attacker, round 3: the suffix was searched from 2 again for each item (quadratic)."""
    from compendium.source.csl import convert

    items = [
        {"id": f"a{i}", "title": "T", "author": [{"family": "X"}], "issued": {"date-parts": [[2020]]}}
        for i in range(50)
    ]
    converted, _ = convert(items)
    assert [entry["id"] for entry in converted] == ["x-2020-t"] + [f"x-2020-t-{n}" for n in range(2, 51)]


def test_a_catalogue_claiming_millions_of_plural_forms_is_refused_at_its_header(tmp_path: Path):
    """Attacker, round 3: nplurals=99999999 had Babel fill 4 GB before any check."""
    root = copy_project(tmp_path, "translations", "locale")
    line = set_plural_forms(root, "nplurals=99999999; plural=0;")
    code, _, err = run_cli("check", "--source", str(root / "source"))
    wanted = f"locale/ru/LC_MESSAGES/messages.po:{line}: malformed catalogue: Plural-Forms: nplurals=99999999"
    assert code == 1 and any(m.startswith(wanted) for m in err.splitlines()), err


def test_interface_writes_nothing_through_a_link_leaving_the_project(tmp_path: Path):
    """Attacker, round 3: locale/ a link to a folder elsewhere, and `interface --lang fr` wrote there."""
    root = small(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "locale").symlink_to(elsewhere)
    code, _, err = run_cli("interface", "--lang", "fr", "--source", str(root / "source"))
    assert code == 1 and "locale: a link to" in err and "outside the project folder" in err, err
    assert list(elsewhere.iterdir()) == []


# --- attacker, round 3, finding 1: patterns whose matching backtracks polynomially ----------------

SLOW_ID_PATTERN = "(?:a|aa){1,10}" * 8 + "[bc]"  # no repeat over 10 of its own: past the static rule


def evil_kind(root: Path, pattern: str, ident: str, example: str = "aaaaaaaab") -> None:
    decision = root / "source" / "decisions" / "mc-dec-1-19.yaml"
    text = decision.read_text(encoding="utf-8")
    decision.write_text(text.replace('id: "1/19"', f'id: "{ident}"\nkind: evil-kind', 1), encoding="utf-8")
    (root / "source" / "kinds.yaml").write_text(
        f"id: evil-kind\nbased_on: osce-mc-decision\nid_pattern: '{pattern}'\nid_example: {example}\n"
    )


def test_a_kind_s_pattern_that_runs_out_of_time_is_one_error_at_its_line(tmp_path: Path, monkeypatch):
    """'a*a*…a*$' on 46 a's and a '!' ran `check` for minutes: now each match has a time budget (made
    small here), and the pattern that exhausts it is one error at its line, never tried again."""
    from compendium.source import patterns

    monkeypatch.setattr(patterns, "MATCH_SECONDS", 0.05)
    root = small(tmp_path)
    evil_kind(root, SLOW_ID_PATTERN, "a" * 80 + "!")
    code, _, err = run_cli("check", "--source", str(root / "source"))
    lines = [m for m in err.splitlines() if "too costly" in m]
    assert code == 1 and "Traceback" not in err, err
    assert lines == [
        f"source/kinds.yaml:3: kind 'evil-kind': key 'id_pattern': too costly to match "
        f"(gave up after 0.05 s on '{'a' * 20}… (81 characters)')"
    ], err
    assert "key 'id': expected the number" not in err, err  # the pattern's fault, not the id's


def test_a_pattern_of_adjacent_stars_matches_at_once(tmp_path: Path):
    """The attacker's 'a*' × 12 + '$' against 46 a's and a '!' (more than 60 s with re)."""
    root = small(tmp_path)
    evil_kind(root, "a*" * 12 + "$", "a" * 46 + "!", example="aa")
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert (
        code == 1
        and f"key 'id': expected the number of a decision such as 'aa' (kind evil-kind), found '{'a' * 46}!'" in err
    ), err


def test_an_id_longer_than_any_real_one_is_a_located_error(tmp_path: Path):
    root = small(tmp_path)
    evil_kind(root, "a+", "a" * 201, example="aa")
    code, _, err = run_cli("check", "--source", str(root / "source"))
    wanted = (
        f"source/decisions/mc-dec-1-19.yaml:1: decision {'a' * 20}…: "
        "key 'id': expected at most 200 characters, found 201"
    )
    assert code == 1 and wanted in err.splitlines(), err


def test_a_terminology_pattern_that_runs_out_of_time_is_one_error_at_its_line(tmp_path: Path, monkeypatch):
    """The attacker's 'x*x*y' family against a 3000-character text: `check` ran for ever."""
    from compendium.model import Origin
    from compendium.source import patterns
    from compendium.source.problems import Problems
    from compendium.source.terms import inconsistencies, read_terms

    monkeypatch.setattr(patterns, "MATCH_SECONDS", 0.05)
    terms = tmp_path / "translations" / "ru-terms.yaml"
    terms.parent.mkdir()
    terms.write_text("- term: evil\n  en: x*x*x*x*[yz]\n  rendering: xy\n  forms: xy\n")
    problems = Problems()
    listed = read_terms(terms, tmp_path, problems)
    bait = "x" * 3000 + "w"
    pairs = [(f"text-{n}", Origin("translations/ru.yaml", n), bait, "xy") for n in range(3)]
    assert inconsistencies(listed, pairs, problems) == []
    assert [str(p) for p in problems.errors] == [
        "translations/ru-terms.yaml:2: term 'evil': key 'en': too costly to match "
        f"(gave up after 0.05 s on '{'x' * 20}… (3001 characters)')"
    ]
    assert listed[0].en.spent < 0.5  # tried once, not once a text


# --- attacker, round 3, findings 2 and 3: a render's whole output, `~`, format(*…), time ----------

OUTPUT_BOMBS = {
    "loop": "{% set s = 'x' * 900000 %}{% for i in range(300) %}{{ s }}{% endfor %}",
    "format-star": "{{ ('%s' * 900)|format(*(['x' * 999999] * 900)) }}",
    "format-two": "{{ '%s%s'|format('x' * 999999, 'x' * 999999) }}",
    "tilde": "{% set s = 'x' * 900000 %}{{ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s }}",
    "list-of-texts": "{{ ['x' * 999999] * 999999 }}",
}
TIME_BOMBS = {
    "empty-loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "macro": "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(40) }}",
    "loops-over-text": "{% set s = 'x' * 999999 %}{% for c in s %}{% for d in s %}{% endfor %}{% endfor %}",
    "macro-tilde": "{% macro f(n) %}{{ f(n - 1) ~ f(n - 1) if n else 'x' }}{% endmacro %}{{ f(40) }}",
}


@pytest.mark.parametrize("bomb", OUTPUT_BOMBS.values(), ids=OUTPUT_BOMBS.keys())
def test_a_layout_writing_too_much_is_refused_at_its_line(tmp_path: Path, bomb: str):
    root = small(tmp_path)
    (root / "layouts").mkdir()
    (root / "layouts" / "_cover.html").write_text(f"<p>\n{bomb}</p>\n")
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1 and "Traceback" not in err, err
    assert any(
        m.startswith("layouts/_cover.html:2: refused: ") and ("a text longer than" in m or "writes more than" in m)
        for m in err.splitlines()
    ), err


def test_a_render_past_the_output_cap_names_the_cap(tmp_path: Path, monkeypatch):
    from compendium.render import sandbox

    monkeypatch.setattr(sandbox, "OUTPUT_LIMIT", 2_000_000)
    root = small(tmp_path)
    (root / "layouts").mkdir()
    (root / "layouts" / "_cover.html").write_text(
        "<p>\n{% set s = 'x' * 900000 %}\n{% for i in range(3) %}{{ s }}{% endfor %}</p>\n"
    )
    code, _, err = run_cli("check", "--source", str(root / "source"))
    wanted = "layouts/_cover.html:3: refused: the layout writes more than 2000000 characters"
    assert code == 1 and wanted in err.splitlines(), err


@pytest.mark.parametrize(
    "bomb", [*TIME_BOMBS.values(), "{{ ('x' * 999999)|wordwrap(1) }}"], ids=[*TIME_BOMBS, "wordwrap"]
)
@pytest.mark.parametrize("where", ["layouts/_cover.html", "styles/sections.css.j2"])
def test_a_template_running_too_long_is_refused_at_its_line(tmp_path: Path, monkeypatch, bomb: str, where: str):
    from compendium.render import sandbox

    monkeypatch.setattr(sandbox, "SECONDS", 0.3)
    root = small(tmp_path)
    (root / where).parent.mkdir()
    (root / where).write_text(f"/* */\n{bomb}\n")
    code, _, err = run_cli("check", "--source", str(root / "source"))
    subject = "layout" if where.endswith(".html") else "template"
    assert code == 1 and "Traceback" not in err, err
    assert any(
        m.startswith(f"{where}:2: refused: ")
        and (f"the {subject} runs longer than 0.3 s" in m or "a text longer than" in m)
        for m in err.splitlines()
    ), err


def test_the_build_refuses_a_layout_running_too_long(tmp_path: Path, monkeypatch):
    from compendium.render import sandbox

    monkeypatch.setattr(sandbox, "SECONDS", 0.3)
    root = small(tmp_path)
    (root / "layouts").mkdir()
    (root / "layouts" / "_cover.html").write_text(f"<p>\n{TIME_BOMBS['empty-loops']}</p>\n")
    code, _, err = run_cli(*BUILD, "--source", str(root / "source"))
    assert code == 1 and "Traceback" not in err, err
    assert any(
        m.startswith("layouts/_cover.html:2: refused: the layout runs longer than 0.3 s") for m in err.splitlines()
    ), err


# --- attacker, round 3, findings 10 and 14: editions.yaml with no editions, or one given twice ----


def test_an_empty_list_of_editions_is_a_located_error_in_check_and_the_build(tmp_path: Path):
    root = small(tmp_path)
    (root / "source" / "editions.yaml").write_text("[]\n")
    wanted = "source/editions.yaml:1: editions: no editions: list at least one {lang: …, variants: […]}"
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1 and wanted in err.splitlines(), err
    code, _, err = run_cli("--jobs", "1", "--quiet", "--source", str(root / "source"))
    assert code == 1 and any(wanted in m for m in err.splitlines()), err


@pytest.mark.parametrize(
    ("editions", "wanted"),
    [
        (
            "- lang: en\n  variants: [screen]\n- lang: en\n  variants: [screen]\n",
            "source/editions.yaml:4: edition 'en': variant 'screen' listed twice (also at source/editions.yaml:2)",
        ),
        (
            "- lang: en\n  variants: [screen, screen]\n",
            "source/editions.yaml:2: edition 'en': variant 'screen' listed twice on this line",
        ),
    ],
    ids=["edition", "variant"],
)
def test_an_edition_listed_twice_is_a_located_error(tmp_path: Path, editions: str, wanted: str):
    root = small(tmp_path)
    (root / "source" / "editions.yaml").write_text(editions)
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1 and f"{wanted}: give it once" in err.splitlines(), err


# --- attacker, round 3, findings 8 and 9: a catalogue declaring a charset other than UTF-8 --------


@pytest.mark.parametrize("charset", ["latin-1", "utf-16"])
def test_a_catalogue_declaring_another_charset_is_refused_at_its_header(tmp_path: Path, charset: str):
    root = copy_project(tmp_path, "translations", "locale")
    catalogue = root / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    lines = catalogue.read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, 1) if "charset=" in text)
    lines[line - 1] = lines[line - 1].replace("charset=utf-8", f"charset={charset}")
    catalogue.write_text("\n".join(lines), encoding="utf-8")
    wanted = (
        f"locale/ru/LC_MESSAGES/messages.po:{line}: malformed catalogue: "
        f"Content-Type: charset {charset}: the catalogue must be UTF-8"
    )
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1 and wanted in err.splitlines(), err


def test_an_include_in_the_section_stylesheet_template_is_refused_at_its_line(tmp_path: Path):
    """Attacker, round 3, finding 13: 'TypeError: no loader for this environment specified'."""
    root = small(tmp_path)
    (root / "styles").mkdir()
    (root / "styles" / "sections.css.j2").write_text("/* sections */\n{% include 'base.html' %}\n")
    code, _, err = run_cli("check", "--source", str(root / "source"))
    wanted = "styles/sections.css.j2:2: refused: includes are not available in sections.css.j2"
    assert code == 1 and any(m.startswith(wanted) for m in err.splitlines()), err


# --- attacker, round 3, finding 9: a catalogue's errors at the line that is wrong ------------------


def ru_catalogue(root: Path) -> Path:
    return root / "locale" / "ru" / "LC_MESSAGES" / "messages.po"


def test_a_plural_form_past_nplurals_is_reported_at_its_own_line(tmp_path: Path):
    """A msgstr[2] under nplurals=2 was 'malformed catalogue: expected a msgid …' at the good msgid
    line before it, and the plural expression picking form 5 was not reported at all."""
    root = copy_project(tmp_path, "translations", "locale")
    header = set_plural_forms(root, "nplurals=2; plural=n>1 ? 5 : 0;")
    lines = ru_catalogue(root).read_text(encoding="utf-8").split("\n")
    form = next(n for n, text in enumerate(lines, 1) if text.startswith("msgstr[2]"))
    po = "locale/ru/LC_MESSAGES/messages.po"
    wanted = [
        f"{po}:{form}: msgstr[2]: Plural-Forms says nplurals=2",
        f"{po}:{header}: Plural-Forms: not a valid plural expression (it picks form 5; there are 2, from 0)",
        f"{po}:{header}: Plural-Forms: nplurals=2; ru has 3 plural forms",
    ]
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1 and all(m in err.splitlines() for m in wanted), err
    assert "malformed catalogue" not in err and " is empty" not in err, err
    code, _, err = run_cli("--lang", "ru", "--jobs", "1", "--quiet", "--source", str(root / "source"))
    assert code == 1 and all(any(m in line for line in err.splitlines()) for m in wanted), err


def test_a_catalogue_without_its_header_entry_is_one_line_at_its_top(tmp_path: Path):
    root = copy_project(tmp_path, "translations", "locale")
    text = ru_catalogue(root).read_text(encoding="utf-8")
    start = text.index('msgid ""\nmsgstr ""\n"')
    ru_catalogue(root).write_text(text[:start] + text[text.index("\n\n", start) + 2 :], encoding="utf-8")
    wanted = 'locale/ru/LC_MESSAGES/messages.po:1: no header entry (msgid "" with Content-Type and Plural-Forms)'
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1 and [m for m in err.splitlines() if "messages.po" in m][0].startswith(wanted), err
    assert "malformed catalogue" not in err, err
    code, _, err = run_cli("--lang", "ru", "--jobs", "1", "--quiet", "--source", str(root / "source"))
    assert code == 1 and wanted in err, err


def test_plural_forms_left_empty_are_named(tmp_path: Path):
    """'1 plural forms given (msgstr[0] …)' when all three were given and two were empty."""
    root = copy_project(tmp_path, "translations", "locale")
    text = ru_catalogue(root).read_text(encoding="utf-8")
    old = 'msgstr[1] "имеется на языках: %(languages)s"\nmsgstr[2] "имеется на языках: %(languages)s"'
    assert old in text
    ru_catalogue(root).write_text(text.replace(old, 'msgstr[1] ""\nmsgstr[2] ""'), encoding="utf-8")
    line = text.split("\n").index('msgid "available in %(languages)s"') + 1
    wanted = (
        f'locale/ru/LC_MESSAGES/messages.po:{line}: msgid "available in %(languages)s": '
        "msgstr[1], msgstr[2] are empty: the language has 3 plural forms; translate each"
    )
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert code == 1 and wanted in err.splitlines(), err


# --- attacker, round 3, finding 11: an SVG logo referring to a file outside the asset folders -----

SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'


def svg_logo(tmp_path: Path, body: str) -> Path:
    """The small project with brand: logo: mark.svg, an SVG whose second line is `body`."""
    root = small(tmp_path)
    with (root / "source" / "compendium.yaml").open("a", encoding="utf-8") as stream:
        stream.write("brand:\n  logo: mark.svg\n")
    (root / "images").mkdir()
    (root / "images" / "mark.svg").write_text(f"{SVG_HEAD}\n{body}\n</svg>\n", encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("body", "target"),
    [
        ('<image href="file:///etc/passwd" width="10" height="10"/>', "file:///etc/passwd"),
        ('<image xlink:href="../../../../etc/passwd" width="10" height="10"/>', "../../../../etc/passwd"),
        ('<rect style="fill: url(http://127.0.0.1:8765/x.svg#p)" width="10" height="10"/>', "http://127.0.0.1"),
        ("<style>@import 'file:///etc/hostname';</style>", "file:///etc/hostname"),
    ],
    ids=["href", "xlink-href", "style-url", "import"],
)
def test_an_svg_logo_referring_outside_the_asset_folders_is_refused_by_check_naming_it(
    tmp_path: Path, body: str, target: str
):
    root = svg_logo(tmp_path, body)
    code, out, err = run_cli("check", "--source", str(root / "source"))
    wanted = f"images/mark.svg:2: a reference to {target}"
    assert code == 1 and "source OK" not in out and any(m.startswith(wanted) for m in err.splitlines()), err


def test_an_svg_logo_referring_outside_the_asset_folders_fails_the_build_naming_it(tmp_path: Path):
    root = svg_logo(tmp_path, '<image href="file:///etc/passwd" width="10" height="10"/>')
    code, _, err = run_cli(*BUILD, "--source", str(root / "source"))
    wanted = "images/mark.svg:2: a reference to file:///etc/passwd: only files under fonts/, styles/ and images/"
    assert code == 1 and wanted in err, err


def test_an_svg_logo_referring_to_itself_and_the_images_folder_is_accepted(tmp_path: Path):
    body = '<a href="https://example.org"><use href="#r"/></a><rect id="r" style="fill: url(#g)"/><image href="x.png"/>'
    root = svg_logo(tmp_path, body)
    shutil.copy(PROJECT / "docs" / "pages.png", root / "images" / "x.png")
    code, _, err = run_cli("check", "--source", str(root / "source"))
    assert "mark.svg" not in err and code == 0, err


# --- attacker, round 3, finding 12: an interruption said by the command that ran -----------------


def test_sigterm_during_check_names_check_and_writes_nothing(tmp_path: Path, monkeypatch):
    """check said 'build stopped by signal 15 (SIGTERM); the previous PDF, if any, is unchanged'."""
    from compendium.pdf.output import Stopped

    def stopped(*args, **kwargs):
        raise Stopped(15)

    monkeypatch.setattr("compendium.source.audit.check_source", stopped)
    code, _, err = run_cli("check", "--source", str(small(tmp_path) / "source"))
    assert (code, err.splitlines()) == (143, ["check: stopped by signal 15 (SIGTERM); nothing was written"])


@pytest.mark.parametrize(
    ("editions", "unchanged"),
    [
        ("- lang: en\n  variants: [screen]\n", "the previous PDF, if any, is unchanged"),
        ("- lang: en\n  variants: [screen, handout]\n  handouts: [{section: I}]\n", "the previous PDFs, if any, are"),
    ],
    ids=["one-pdf", "two-pdfs"],
)
def test_ctrl_c_during_a_build_says_pdf_or_pdfs_as_many_as_it_makes(
    tmp_path: Path, monkeypatch, editions: str, unchanged: str
):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    root = small(tmp_path)
    (root / "source" / "editions.yaml").write_text(editions, encoding="utf-8")
    monkeypatch.setattr("compendium.build.batch.build_editions", interrupted)
    code, _, err = run_cli("--jobs", "1", "--quiet", "--source", str(root / "source"))
    assert code == 130 and len(err.splitlines()) == 1, err
    assert err.startswith(f"build: interrupted (Ctrl-C); {unchanged}"), err


# --- attacker, round 3, finding 15: a translation the edition never asks for ----------------------


def test_a_catalogue_message_used_nowhere_is_a_warning_at_its_line(tmp_path: Path):
    """msgctxt "x" before a known msgid, and msgid "a" the builder does not know, were accepted
    without a word, though neither translation is ever printed."""
    root = copy_project(tmp_path, "translations", "locale")
    text = ru_catalogue(root).read_text(encoding="utf-8").rstrip("\n")
    ru_catalogue(root).write_text(f'{text}\n\nmsgctxt "x"\nmsgid "Contents"\nmsgstr "С"\n\nmsgid "a"\nmsgstr "b"\n')
    line = text.count("\n") + 4  # the msgid after the msgctxt
    po = "locale/ru/LC_MESSAGES/messages.po"
    code, _, err = run_cli("check", "--strict", "--source", str(root / "source"))
    assert code == 1, err
    assert f'{po}:{line}: warning: msgctxt "x": msgid "Contents": the builder asks for no message in a context' in err
    assert f'{po}:{line + 3}: warning: msgid "a": not a string the builder or the project\'s kinds print' in err


# --- attacker, round 3, finding 16: import-catalogue writing questionable data without a word -----


def import_items(tmp_path: Path, items: str) -> tuple[int, str, str, Path]:
    catalogue, target = tmp_path / "export.json", tmp_path / "publications.yaml"
    catalogue.write_text(items, encoding="utf-8")
    return (*run_cli("import-catalogue", str(catalogue), str(target)), target)


def test_an_import_that_leaves_every_item_out_fails_and_writes_nothing(tmp_path: Path):
    code, out, err, target = import_items(tmp_path, '[{"id": "a", "title": "T"}]')
    assert code == 1 and "wrote" not in out and not target.exists(), (out, err)
    assert "export.json: no publication to import (every item was left out)" in err, err
    assert "item 1 ('a'): no author, issued" in err, err


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ('"issued": {"date-parts": [[2020, 13, 45]]}', "'date-parts': expected a month from 1 to 12, found 13"),
        ('"issued": {"date-parts": [[2021, 2, 29]]}', "'date-parts': expected a day from 1 to 28, found 29"),
        ('"title": "T\\u202eevil"', "key 'title': U+202E RIGHT-TO-LEFT OVERRIDE, a control character"),
        ('"author": [{"family": "X\\u0000"}]', "key 'author': name 1, 'family': U+0000, a control character"),
    ],
    ids=["month-13", "february-29", "bidi-title", "nul-author"],
)
def test_an_impossible_date_or_a_control_character_is_refused_naming_the_item(
    tmp_path: Path, change: str, expected: str
):
    item = {
        "title": '"title": "T"',
        "author": '"author": [{"family": "X"}]',
        "issued": '"issued": {"date-parts": [[2020]]}',
    }
    item[change.split('"')[1]] = change
    code, out, err, target = import_items(tmp_path, f'[{{"id": "a", {", ".join(item.values())}}}]')
    assert code == 1 and not target.exists(), (out, err)
    assert "export.json: item 1: key " in err and expected in err, err


def test_two_items_with_one_csl_id_are_noted(tmp_path: Path):
    item = '{"id": "a", "title": "T", "author": [{"family": "X"}], "issued": {"date-parts": [[2020]]}}'
    code, out, err, target = import_items(tmp_path, f"[{item}, {item}]")
    assert code == 0 and target.exists(), err
    assert "import-catalogue: item 2 ('a'): the same CSL id as item 1; imported as x-2020-t-2 (a duplicate?)" in err
