"""The hostile tester's sixth round (docs/reviews/2026-12-06/attacker-round6.md): each case once
gave a traceback or a wrong result without a word."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from tests.test_attacks_round5 import run, small


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
