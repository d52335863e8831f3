"""Typography an editor signs off, checked over every page of the English and Russian screen
editions: no forced breaks, limited hyphenation, unbroken page references and addresses, keyword
table entries apart, no blank pages on screen (the print variant keeps right-hand openers), and
openers without a running head. Each rule's check is tried on a line that breaks it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.lines import HYPHEN, Line, Lines
from tests.pdf import Pdf

MM = 72 / 25.4


@pytest.fixture(scope="module")
def editions(english, russian_edition) -> dict[str, Path]:
    return {"en": english.path, "ru": russian_edition.path}


@pytest.fixture(scope="module")
def lines(editions) -> dict[str, Lines]:
    return {lang: Lines(path) for lang, path in editions.items()}


def blocks(page: list[Line]) -> list[list[Line]]:
    """Runs of lines set one under the other at the same left edge and the normal line spacing:
    a paragraph, a table cell, an item (a paragraph's space before ends a run)."""
    runs: list[list[Line]] = []
    for line in page:
        last = runs[-1][-1] if runs else None
        if last and abs(last.left - line.left) < 1 and 0 < last.bottom - line.top < 0.6 * last.height:
            runs[-1].append(line)
        else:
            runs.append([line])
    return runs


LEADERED = re.compile(r"\.{3,}\s*\d+$")  # a line ending in leader dots and a page number


def forced_breaks(page: list[Line], exempt: set[str] = frozenset()) -> list[str]:
    """A line broken although the next word would have fitted on it (a greedy line breaker never
    does that), where the next line goes on with the same sentence (a lower-case start)."""
    found = []
    for block in blocks(page):
        # a contents entry's page number stands in a column of its own, right of where its
        # turnovers end: the measure is the text's
        measure = max((line.right for line in block if not LEADERED.search(line.text)), default=0)
        for line, following in zip(block, block[1:], strict=False):
            exempted = following.text.replace("\u00a0", " ") in exempt
            if line.text.endswith(HYPHEN) or not following.text[:1].islower() or exempted:
                continue
            # the space the line itself sets between its words (a ragged line's natural space): a
            # quarter of the glyphs' height underestimates it by up to a point; a justified line's
            # stretched space is not counted past 0.35 of it. A fault leaves a whole word's room.
            words = len(line.word_widths)
            space = (line.right - line.left - sum(line.word_widths)) / (words - 1) if words > 1 else 0
            space = max(0.25 * line.height, min(space, 0.35 * line.height))
            if line.right + space + following.word_widths[0] < measure - 0.5:
                found.append(f"p.{line.page + 1}: …{line.text[-30:]!r} / {following.text[:30]!r}…")
    return found


def hyphenation_faults(page: list[Line]) -> list[str]:
    """Hyphenated line ends: at least three letters on each side, not in capitals, not more than
    two in a row, and never leaving only the end of the word on a paragraph's last line."""
    found = []
    for block in blocks(page):
        run = 0
        for index, line in enumerate(block):
            if not line.text.endswith(HYPHEN):
                run = 0
                continue
            run += 1
            where = f"p.{line.page + 1}: …{line.text[-25:]!r}"
            before = re.findall(r"\w+", line.text)[-1]
            following = block[index + 1] if index + 1 < len(block) else None  # None: on the next page
            after = re.match(r"\w*", following.text).group(0) if following else "???"
            if len(before) < 3 or len(after) < 3:
                found.append(f"{where}: fewer than three letters on a side ({before}‐{after})")
            if before.isupper() and len(before) > 1:
                found.append(f"{where}: a word in capitals hyphenated")
            if run > 2:
                found.append(f"{where}: a third hyphenated line in a row")
            if following is block[-1] and len(block) > 2 and " " not in following.text:
                found.append(f"{where}: the paragraph's last line is only the end of a hyphenated word")
    return found


def broken_references(page: list[Line], addresses: set[str]) -> list[str]:
    """A page reference split across lines, or an address split other than after a slash or a dot
    (an address that ends a line whole, one of the given ones, is not split)."""
    found = []
    for line in page:
        if re.search(r"\d[–-]$", line.text) or re.search(r"(^|\s)(p|pp|с)\.$", line.text):
            found.append(f"p.{line.page + 1}: page reference broken after {line.text[-20:]!r}")
        last = line.text.split(" ")[-1]
        whole = last.rstrip(",.;") in addresses
        if "://" in last and not whole and (last.endswith("://") or not last.endswith(("/", "."))):
            found.append(f"p.{line.page + 1}: address broken after {last!r}")
    return found


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_forced_break_inside_a_paragraph(lines, lang, compendium):
    address = set(compendium.metadata.address)  # an address is set line by line on purpose
    # and so is a display title where its text marks its lines (" | ", the translation's own)
    address |= {*compendium.metadata.title_lines, *compendium.metadata.subtitle_lines}
    if lang != "en":
        texts = yaml.safe_load((Path(__file__).parent.parent / "translations" / f"{lang}.yaml").read_text("utf-8"))
        address |= {line for key in ("title", "subtitle") for line in texts[f"metadata.{key}"]["text"].split(" | ")}
    faults = [fault for page in lines[lang].pages for fault in forced_breaks(page, address)]
    assert not faults, faults[:10]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_hyphenation_is_limited(lines, lang):
    faults = [fault for page in lines[lang].pages for fault in hyphenation_faults(page)]
    assert not faults, faults[:10]
    hyphenated = sum(line.text.endswith(HYPHEN) for page in lines[lang].pages for line in page)
    assert hyphenated  # the text is hyphenated, only within limits


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_hyphens_in_the_contents_and_the_keyword_table(lines, editions, lang):
    pdf = Pdf(editions[lang])
    pages = {pdf.named["contents"], pdf.named["keyword-table"], pdf.named["keyword-table"] + 1}
    hyphenated = [line.text for index in pages for line in lines[lang].pages[index] if line.text.endswith(HYPHEN)]
    # The keyword table's lead paragraph may be hyphenated; its cells and the contents may not.
    assert not [text for text in hyphenated if len(text) < 60], hyphenated


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_page_references_and_addresses_are_never_broken(lines, lang, compendium):
    # every address a citation may print: the publication's, and its versions' in other languages
    addresses = {publication.url for publication in compendium.publications}
    addresses |= {version.url for publication in compendium.publications for version in publication.versions}
    faults = [fault for page in lines[lang].pages for fault in broken_references(page, addresses)]
    assert not faults, faults[:10]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_provision_numbers_stand_apart_from_their_page_in_the_keyword_table(editions, lang):
    pdf = Pdf(editions[lang])
    table = pdf.texts[pdf.named["keyword-table"]]
    assert re.search(r"\d\d\s\((p|с)\.\s\d+\)", table)
    assert not re.search(r"\d\((p|с)\.", table)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_blank_page_in_the_screen_edition(editions, lang):
    pdf = Pdf(editions[lang])
    assert not [index + 1 for index, text in enumerate(pdf.texts) if not text.strip()]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_openers_have_no_running_head(editions, lang, compendium):
    pdf = Pdf(editions[lang])
    page = pdf.document[0]
    height = page.get_height()
    for section in compendium.sections:
        index = pdf.named[section.provisions[0].anchor]
        textpage = pdf.document[index].get_textpage()
        top = textpage.get_text_bounded(0, height - 20 * MM, page.get_width(), height)
        assert not top.strip(), (index + 1, top)
        following = pdf.document[index + 1].get_textpage()
        assert following.get_text_bounded(0, height - 20 * MM, page.get_width(), height).strip()  # others keep it


@pytest.mark.parametrize(
    ("lang", "resources", "heading", "continued"),
    [
        ("en", "Resources by keyword", r"On (.+):", r"On (.+) \(continued\):"),
        ("ru", "Материалы по ключевым словам", r"Тема: (.+)", r"Тема: (.+) \(продолжение\)"),
    ],
)
def test_a_keyword_group_continued_on_the_next_page_repeats_its_heading(
    lines, editions, compendium, lang, resources, heading, continued
):
    """A provision's resources that run onto the next page start it with a keyword's heading: the
    heading of the group that runs on, marked as continued, or a group's own that starts there."""
    pdf = Pdf(editions[lang])
    first, last = pdf.named[compendium.sections[0].provisions[0].anchor], pdf.named["annex-decisions"]
    pages = [i for i in range(first, last) if pdf.flat_texts[i] and resources not in pdf.flat_texts[i]]
    assert pages
    marked = 0
    for index in pages:
        height = pdf.document[index].get_height()
        body = [line for line in lines[lang].pages[index] if line.top < height - 20 * MM and line.left > 22 * MM]
        # a continued heading is written whole (pdf/continued.py), on two lines when it wraps
        two = " ".join(line.text for line in body[:2])
        runs_on = re.fullmatch(continued, body[0].text) or re.fullmatch(continued, two)
        starts = None if runs_on else re.fullmatch(heading, body[0].text)
        assert runs_on or starts, (index + 1, body[0].text)
        label = (runs_on or starts).group(1)
        assert "…" not in label, (index + 1, two)
        before = [line.text.replace("\u00a0", " ") for line in lines[lang].pages[index - 1]]  # a heading's no-break
        heads = [n for n, text in enumerate(before) if re.fullmatch(heading, text) or re.fullmatch(continued, text)]
        last = " ".join(before[heads[-1] : heads[-1] + 2]) if heads else ""  # the last group of the page before
        assert bool(runs_on) == (label in last), (index + 1, two, last)
        marked += bool(runs_on)
    assert marked  # the editions have groups that run on


@pytest.mark.parametrize(
    ("lang", "heading", "continued"),
    [("en", r"On (.+):", r"On (.+) \(continued\):"), ("ru", r"Тема: (.+)", r"Тема: (.+) \(продолжение\)")],
)
def test_a_directory_entry_continued_on_the_next_page_repeats_its_heading_marked(
    lines, editions, lang, heading, continued
):
    """The keyword-literature directory's entries run from page to page: a page that continues the
    entry of the page before starts with its heading marked as continued (a book designer found
    eight such pages repeating the plain heading)."""
    pdf = Pdf(editions[lang])
    marked = 0
    for index in range(pdf.named["directory"] + 1, len(pdf)):
        height = pdf.document[index].get_height()
        body = [line for line in lines[lang].pages[index] if line.top < height - 20 * MM]
        if not body:
            continue
        before = [line.text.replace("\u00a0", " ") for line in lines[lang].pages[index - 1]]
        headings = [text for text in before if re.fullmatch(heading, text) or re.fullmatch(continued, text)]
        runs_on = re.fullmatch(continued, body[0].text)
        if runs_on:
            label = runs_on.group(1)
            assert "…" not in label and any(label in text for text in headings[-1:]), (index + 1, body[0].text)
            marked += 1
        else:  # a page that starts a new entry, or the plain heading repeated: the fault
            plain = re.fullmatch(heading, body[0].text)
            assert not plain or not any(text == body[0].text for text in headings[-1:]), (index + 1, body[0].text)
    assert marked


@pytest.mark.parametrize(
    ("lang", "resources"), [("en", "Resources by keyword"), ("ru", "Материалы по ключевым словам")]
)
def test_a_page_a_panel_runs_onto_holds_more_than_a_line_or_two(lines, editions, compendium, lang, resources):
    """No page of a provision holds only a heading and a line: the last citations go together."""
    pdf = Pdf(editions[lang])
    first, last = pdf.named[compendium.sections[0].provisions[0].anchor], pdf.named["annex-decisions"]
    short = []
    for index in range(first, last):
        if not pdf.flat_texts[index] or resources in pdf.flat_texts[index]:
            continue  # a provision's own first page, or a blank one
        width, height = pdf.document[index].get_size()
        body = [
            line
            for line in lines[lang].pages[index]
            if 22 * MM < line.top < height - 20 * MM and 22 * MM < line.left < width - 30 * MM
        ]
        if len(body) < 4:
            short.append((index + 1, [line.text for line in body]))
    assert not short


# The print variant keeps right-hand openers, and its blank versos stay blank.


@pytest.fixture(scope="module")
def press(print_edition) -> Pdf:
    return print_edition[1]


def test_print_sections_open_on_right_hand_pages(press, compendium):
    for section in compendium.sections:
        assert press.named[section.provisions[0].anchor] % 2 == 0  # page numbers 1, 3, 5 … are right-hand


def test_print_blank_pages_are_truly_blank(press):
    blanks = [i for i, text in enumerate(press.texts) if not text.strip()]
    assert blanks
    for index in blanks:
        image = press.render(index, scale=0.3)
        # The marks and the bleed lie outside the trimmed page; inside it, nothing is drawn.
        width, height = image.size
        mark = round(10 * MM * 0.3)  # mark area and bleed, at this scale
        trimmed = image.crop((mark, mark, width - mark, height - mark))
        assert trimmed.getextrema() == ((255, 255), (255, 255), (255, 255)), index
        assert not [link for link in press.links if link.page == index]


# Each check finds the fault it is for.


def line(text: str, top: float, right: float = 400.0, words: tuple[float, ...] = (30.0,), left: float = 50.0) -> Line:
    return Line(0, text, left, right, top, top - 10, words)


def test_the_checks_find_what_they_look_for():
    forced = [line("culture of impunity,", 700, right=450), line("and", 686, right=70), line("reducing", 672)]
    assert forced_breaks(forced)
    assert not forced_breaks([line("a full line", 700, right=450), line("next", 686, words=(80,))])
    hyphen = f"word{HYPHEN}"
    assert hyphenation_faults([line(f"ab{HYPHEN}", 700), line("cdef", 686), line("x", 672)])  # two letters
    assert hyphenation_faults([line(f"ДЕТЬ{HYPHEN}", 700), line("МИ и", 686), line("x", 672)])  # capitals
    three = [line(hyphen, 700 - 14 * i) for i in range(3)] + [line("wordy end", 658), line("more", 644)]
    assert any("third" in fault for fault in hyphenation_faults(three))
    last = [line("text", 714), line(hyphen, 700), line("ing;", 686)]
    assert any("last line" in fault for fault in hyphenation_faults(last))
    known = {"https://www.osce.org/secretariat/1"}
    assert broken_references([line("Europe, 2005, p. 7–", 700)], known)
    assert broken_references([line("Crime, 2010, https://", 700)], known)
    assert broken_references([line("2010, https://www.osce.org/secre", 700)], known)
    assert not broken_references([line("2010, https://www.osce.org/", 700)], known)
    assert not broken_references([line("2010, https://www.osce.org/secretariat/1", 700)], known)
