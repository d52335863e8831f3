"""The files the `new DIR` command writes: a minimal valid compendium to start from."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from .files import write_text

# Every file passes `check` as written and builds to a PDF; the comments say what to change.
# source/README.md documents every field.
FILES = {
    "compendium.yaml": """\
# The publication: what the cover and imprint say, and the structure the provisions hang on.
# Section numbers, part letters and topic numbers are counted from the order below.
slug: my-compendium  # output/my-compendium-en.pdf
title: Compendium of decisions on a theme
subtitle: Provisions and resources by keyword
publisher: The publishing office
publisher_short: PO
organization: The organization
year: 2024
language: en  # the language the source is written in
edition: First edition
address:
  - The publishing office
  - Street 1
  - 1000 City, Country
imprint:
  - © 2024 The organization. All rights reserved.
# The organization's colours: the cover and headings, and the sections' colours in order (and a
# logo on the cover: `logo: mark.svg`, a file in images/ beside source/).
brand:
  colour: "#1f4e79"
  palette: ["#1f5f99", "#2b7a4b"]
sections:
  # A section with parts; a part with topics and a part without.
  - id: prevention
    title: PREVENTION
    parts:
      - id: prevention-national
        title: Action at the national level
        topics:
          - id: prevention-training
            title: Training
      - id: prevention-international
        title: Action at the international level
  # A section without parts: provisions are placed under it with `section: protection`.
  - id: protection
    title: PROTECTION
# The annexed documents (decisions/*.yaml), by id, in the order the annex prints them.
annex: ["1/24"]
""",
    "editions.yaml": """\
# The editions a plain build makes: a language and its variants (screen, print, booklet,
# handout). Another language needs its translations/<lang>.yaml (`partial: true` publishes it
# before every text is translated), or `interface_only: true`; and a language the builder has no
# interface catalogue for, the project's own: `python build.py interface --lang <lang>`.
- lang: en
  variants: [screen]
""",
    "introduction.yaml": """\
title: Introduction
blocks:
  - paragraph: This compendium presents the provisions of a decision with resources by keyword[^guide].
  - list:
      - First point;
      - Second point.
footnotes:
  - id: guide
    publication: guide-2020
""",
    "keywords.yaml": """\
# The keywords of the resource panels, printed as "On <label>:".
- id: training
  label: training
- id: victims
  label: victims
""",
    "publications.yaml": """\
# The catalogue of publications the panels cite. A work online has `url` (https) and may list
# its `languages`; a printed work has neither, and may give `publisher` and `place`.
- id: guide-2020
  authors: [The organization]
  title: A guide to the theme
  year: 2020
  url: https://www.example.org/guide
  languages: [ENG]
- id: commentary-1999
  authors: [A. Author]
  title: A commentary on the theme
  year: 1999
  publisher: University Press
  place: City
""",
    "provisions.yaml": """\
# Each provision is one operative paragraph of an annexed document, placed under a `topic`, a
# `part` without topics or a `section` without parts, with its "Resources by keyword" panel.
- number: 1
  decision: "1/24"
  paragraph: 1
  topic: prevention-training
  resources:
    - keyword: training
      citations:
        - {publication: guide-2020, pages: "10-12"}
- number: 2
  decision: "1/24"
  paragraph: 2
  part: prevention-international
  resources:
    - keyword: training
      citations:
        - {publication: guide-2020}
- number: 3
  decision: "1/24"
  paragraph: 3
  section: protection
  resources:
    - keyword: victims
      citations:
        - {publication: commentary-1999}
        - {publication: guide-2020}
""",
    "decisions/mc-dec-1-24.yaml": """\
# An annexed document, found by its content (any file name in decisions/). Without `kind:` it is
# an OSCE Ministerial Council decision; `kind: un-ga-resolution` for a UN General Assembly
# resolution, which has other header fields (source/README.md).
id: "1/24"
symbol: MC.DEC/1/24
organization: Organization for Security and Co-operation in Europe
date: "2024-12-06"
body: Ministerial Council
city: Malta
year: 2024
original_language: ENGLISH
meeting: Second day of the Thirty-First Meeting
journal: MC(31) Journal No. 2
agenda_item: "7"
number_line: DECISION No. 1/24
title: A DECISION ON THE THEME
opening: The Ministerial Council,
preamble:
  - Recalling its commitments on the theme,
paragraphs:
  - number: 1
    text: Calls on the participating States to train those who work on the theme;
  - number: 2
    text: Tasks the relevant executive structures to support such training;
  - number: 3
    text: Encourages the participating States to protect and assist victims.
""",
}


def write_starter(folder: Path) -> list[Path]:
    """The starter's files under folder/source/; never over an existing source folder."""
    source = folder / "source"
    if source.exists():
        raise FileExistsError(source)
    existed = folder.exists()
    written: list[Path] = []
    try:
        for name, text in FILES.items():
            path = source / name
            write_text(path, text, new=True)  # of two `new` at once, the second stops here
            written.append(path)
    except BaseException:
        # a starter half written (a full disk) would refuse the retry, "source already exists":
        # what this call made goes, and the folder is as it was (attacker round 9, P17)
        _remove(written, source, None if existed else folder)
        raise
    return written


def _remove(written: list[Path], source: Path, folder: Path | None) -> None:
    """The files written, then the folders left empty under `source`, `source` and `folder` itself."""
    for path in written:
        with contextlib.suppress(OSError):
            path.unlink()
    for top in (source, folder):
        if top is None or not top.is_dir():
            continue
        for root, _, _ in sorted(os.walk(top), key=lambda entry: -len(entry[0])):
            with contextlib.suppress(OSError):  # a folder that is not empty is someone else's
                os.rmdir(root)
