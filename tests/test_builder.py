"""How the builder behaves: failed builds keep the old PDF, no file outside the assets is read,
source text never becomes markup, missing glyphs and machine fonts are errors, the CLI reports."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from weasyprint.urls import FatalURLFetchingError

from compendium import cli
from compendium.edition import Edition
from compendium.pdf.fetcher import AssetFetcher
from compendium.pipeline import BuildError, Project, build
from compendium.render.html import render_html
from compendium.render.locale import Language
from tests.conftest import PROJECT, run_build


@pytest.fixture
def project_copy(tmp_path: Path) -> Project:
    """A copy of the project's inputs, to break on purpose."""
    for folder in ("source", "layouts", "styles", "fonts"):
        shutil.copytree(PROJECT / folder, tmp_path / folder)
    return Project(root=tmp_path)


def test_failed_build_leaves_the_previous_pdf_untouched(project_copy: Project):
    output = project_copy.output
    output.mkdir()
    previous = output / "compendium-en.pdf"
    previous.write_bytes(b"%PDF-1.7 the good one")
    provisions = project_copy.source / "provisions.yaml"
    provisions.write_text(provisions.read_text().replace("keyword: children", "keyword: childen", 1))
    with pytest.raises(BuildError) as failure:
        build(Edition(), project_copy)
    assert failure.value.messages == [
        "source/provisions.yaml:12: provision 1, keyword 'childen': not defined in source/keywords.yaml "
        "(did you mean 'children'?)"
    ]
    assert previous.read_bytes() == b"%PDF-1.7 the good one"
    assert sorted(p.name for p in output.iterdir()) == ["compendium-en.pdf"]  # no temporary left behind


def test_fetcher_serves_assets_and_data_only(tmp_path: Path):
    fetcher = AssetFetcher([PROJECT / "styles", PROJECT / "fonts"])
    response = fetcher.fetch((PROJECT / "styles" / "tokens.css").as_uri())
    assert b"--palette-1: #1f5f99" in response.read()
    response.close()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    outside = tmp_path / "secret.css"
    outside.write_text("p { color: red }")
    for url in ("https://example.org/font.woff2", "http://127.0.0.1/x.css", outside.as_uri(), "file:///etc/hostname"):
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)
    assert fetcher.refused == [
        "https://example.org/font.woff2",
        "http://127.0.0.1/x.css",
        outside.as_uri(),
        "file:///etc/hostname",
    ]


def test_a_stylesheet_reaching_outside_stops_the_build_and_names_the_reference(project_copy: Project):
    base = project_copy.root / "styles" / "base.css"
    base.write_text('@import url("https://fonts.example.org/face.css");\n' + base.read_text())
    with pytest.raises(BuildError) as failure:
        build(Edition(), project_copy)
    assert failure.value.messages == [
        "styles/base.css:1: a reference to https://fonts.example.org/face.css: only files under fonts/, styles/ "
        "and images/, and data: URIs, may be used"
    ]


def test_source_text_never_becomes_markup(compendium):
    title = '<script>alert(1)</script><b>bold</b> & "quoted"'
    meta = dataclasses.replace(compendium.metadata, title=title)
    english = Language("en", PROJECT / "locale")
    html = render_html(dataclasses.replace(compendium, metadata=meta), Edition(), Project(), english)
    assert "<script>" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt; &amp; &#34;quoted&#34;" in html


def test_a_character_no_shipped_font_has_is_a_build_error(project_copy: Project):
    keywords = project_copy.source / "keywords.yaml"
    keywords.write_text(keywords.read_text().replace('label: "children"', 'label: "children 児童"'))
    with pytest.raises(BuildError) as failure:
        build(Edition(), project_copy)
    messages = failure.value.messages
    # Found when the source is read, at its file and line, before any layout (issue 11).
    line = keywords.read_text().split("\n").index('  label: "children 児童"') + 1
    assert [m.split(", in:")[0] for m in messages] == [
        f"source/keywords.yaml:{line}: no glyph for '児' (U+5150 CJK UNIFIED IDEOGRAPH-5150) in the shipped fonts "
        "(fonts/*.ttf)",
        f"source/keywords.yaml:{line}: no glyph for '童' (U+7AE5 CJK UNIFIED IDEOGRAPH-7AE5) in the shipped fonts "
        "(fonts/*.ttf)",
    ]
    assert "children 児童" in messages[0]


def test_a_character_no_shipped_font_has_in_generated_content_is_a_located_build_error(project_copy: Project):
    # Generated content escapes the source's text check; a stylesheet's `content:` strings are
    # measured against the fonts before the layout, at their line (attacker round 10, S14), where
    # a machine font once stood in after the layout with no line named.
    components = project_copy.root / "styles" / "components.css"
    text = components.read_text() + '\n.front-title::after { content: "\\2766"; }\n'
    components.write_text(text)
    with pytest.raises(BuildError) as failure:
        build(Edition(), project_copy)
    [message] = failure.value.messages
    line = text.rstrip("\n").count("\n") + 1
    assert message.startswith(f"styles/components.css:{line}: no glyph for '❦' (U+2766 FLORAL HEART)"), message


def test_help_documents_every_option_command_and_exit_status():
    result = run_build("--help")
    assert result.returncode == 0
    for option in ("--strict", "--source", "--output", "--lang", "--jobs", "--force", "--quiet", "--version"):
        assert option in result.stdout
    listing = result.stdout.split("positional arguments:")[1].split("options:")[0]
    commands = {
        line.split()[0]: line.split()[1:] for line in listing.splitlines() if line.startswith("    ") and line[4] != " "
    }
    assert commands["build"][:3] == ["build", "the", "editions"]
    assert commands["check"][:3] == ["load", "and", "validate"]
    assert commands["translation"][:3] == ["write", "translations/<lang>.yaml", "for"]
    assert commands["proof"][:3] == ["write", "PNGs", "of"]
    assert commands["new"][:3] == ["write", "a", "minimal"]
    assert "new DIR        write a minimal valid compendium into DIR/source/" in result.stdout
    # the epilog's list of commands and the module's docstring name every command the parser has
    epilog = result.stdout.split("\ncommands:\n")[1].split("\n\n")[0]
    named = [line.split()[0] for line in epilog.splitlines() if line[2] != " "]  # a description runs on, indented
    assert sorted(named) == sorted(commands), epilog
    assert all(f"`{command}`" in cli.__doc__ for command in commands), cli.__doc__
    status = result.stdout.split("exit status:")[1]
    assert re.search(r"^  0  done$", status, re.M)
    assert re.search(r"^  1  .*failed", status, re.M)
    assert re.search(r"^  2  the command line is wrong", status, re.M)


def test_python_m_compendium_is_the_command():
    """`python -m compendium` runs the same command line as `compendium` and names itself so."""
    result = subprocess.run(
        [sys.executable, "-m", "compendium", "--help"], capture_output=True, text=True, cwd=PROJECT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: compendium "), result.stdout[:200]
    assert "import-catalogue" in result.stdout


def test_build_command_writes_the_pdf_and_reports_pages_and_stages(english):
    result = english.run
    assert result.stderr == ""  # not a terminal: no progress line, and nothing went wrong
    [line] = result.stdout.strip().splitlines()
    assert line.startswith(f"wrote {english.output / 'compendium-en.pdf'}: ")
    for stage in ("load and validate", "templating", "WeasyPrint layout", "PDF writing", "finishing"):
        assert f"{stage} " in line
    assert english.pages == len(PdfReader(english.output / "compendium-en.pdf").pages)
