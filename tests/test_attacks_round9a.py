"""Attacker round 9 (/tmp/attacker-round9.md), P1, P2, P3, P6, P23: each failed before."""

from __future__ import annotations

from pathlib import Path

from tests.test_attacks_round5 import run
from tests.test_attacks_round7b import new


def test_a_command_line_edition_writing_a_configured_edition_s_pdf_is_refused(tmp_path: Path):
    """P6: `--variant handout --keyword training --paper letter` replaced the configured handout
    of the keyword training-letter (on A4), under the same file name, without a word."""
    root = new(tmp_path)
    keywords = root / "source" / "keywords.yaml"
    keywords.write_text(
        keywords.read_text(encoding="utf-8") + "- id: training-letter\n  label: training letters\n", encoding="utf-8"
    )
    editions = "- lang: en\n  variants: [handout]\n  handouts: [{keyword: training-letter}]\n"
    (root / "source" / "editions.yaml").write_text(editions, encoding="utf-8")
    asked = ("--variant", "handout", "--keyword", "training", "--paper", "letter", "--jobs", "1")
    code, err = run("--source", str(root / "source"), *asked)
    assert (code, err) == (
        1,
        "source/editions.yaml:3: editions: the editions 'en handout keyword training-letter on a4' and "
        "'en handout keyword training on letter' would both write "
        "my-compendium-en-handout-keyword-training-letter.pdf: change one (a handout's keyword or section, "
        "the paper, or the variant) (the second from the command line)\n",
    )
    assert not (root / "output").exists()
