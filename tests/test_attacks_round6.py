"""The hostile tester's sixth round (docs/reviews/2026-12-06/attacker-round6.md): each case once
gave a traceback or a wrong result without a word."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from tests.test_attacks_round5 import run, small, svg_mark


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ("styles/screen.css", "body { background: url(../images/a.png%00) }\n"),
        ("styles/screen.css", '@import url("extra.css%00");\n'),
    ],
)
def test_a_nul_byte_in_a_reference_is_one_located_line_in_check(tmp_path: Path, where: str, text: str):
    """Finding 1: %00 in a stylesheet's url() or @import was a ValueError traceback in check."""
    root = small(tmp_path)
    (root / "styles").mkdir()
    (root / "images").mkdir()
    (root / where).write_text(text, encoding="utf-8")
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and "Traceback" not in err, err
    assert f"{where}:1: a reference to " in err and "a NUL byte (%00) in a file name" in err, err


def test_a_phrase_kept_together_never_changes_an_address(tmp_path: Path):
    """Finding 3: a project's keep_together rule with a slash ("24/7") put a word joiner into every
    link whose address held it (…/help/24/%E2%81%A07/guide), and "/" broke the stylesheets' links."""
    root = small(tmp_path)
    (root / "typography").mkdir()
    (root / "typography" / "en.yaml").write_text('keep_together: ["24/7", "/"]\n', encoding="utf-8")
    publications = root / "source" / "publications.yaml"
    text = publications.read_text(encoding="utf-8")
    url = next(line.split("url:", 1)[1].strip() for line in text.splitlines() if "url:" in line)
    publications.write_text(text.replace(url, url.rstrip("/") + "/help/24/7/guide", 1), encoding="utf-8")
    code, err = run("--source", str(root / "source"), "--lang", "en", "--variant", "screen", "--jobs", "1")
    assert code == 0, err
    [pdf] = (root / "output").glob("*.pdf")
    with pikepdf.open(pdf) as document:
        uris = [
            str(annotation.A.URI)
            for page in document.pages
            for annotation in page.get("/Annots", [])
            if "/A" in annotation and "/URI" in annotation.A
        ]
    assert any(uri.endswith("/help/24/7/guide") for uri in uris), uris
    assert not any("\u2060" in uri or "%E2%81%A0" in uri for uri in uris), uris


def _use_bomb(levels: int) -> str:
    groups = ['<g id="l0"><rect width="1" height="1"/></g>']
    for level in range(1, levels + 1):
        groups.append(f'<g id="l{level}">' + f'<use href="#l{level - 1}"/>' * 10 + "</g>")
    inner = "".join(groups)
    head = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="10" height="10">'
    return f'{head}<defs>{inner}</defs><use href="#l{levels}"/></svg>'


@pytest.mark.parametrize(
    ("svg", "wanted"),
    [
        (_use_bomb(9), "draws more than 100000 elements once its <use> elements are repeated"),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n<g id="a"><use href="#a"/></g></svg>',
            "images/mark.svg:2: a <use> that repeats an element holding it",
        ),
    ],
    ids=["bomb", "itself"],
)
def test_an_svg_whose_use_elements_multiply_or_loop_is_refused_by_check(tmp_path: Path, svg: str, wanted: str):
    """Findings 2 and 9: a kilobyte of <use> elements hung the build (10^9 drawn) and passed check; a
    <use> repeating its own group passed check and failed the build."""
    root = svg_mark(tmp_path, svg)
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and wanted in err, err
    assert run("check", "--source", str(svg_mark(tmp_path / "ok", _use_bomb(3)) / "source"))[0] == 0
