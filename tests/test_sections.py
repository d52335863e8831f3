"""Compendia of 1 to 8 sections: each section's colour, side tab at its own step, band, running head, cover stripe."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pypdfium2
import pytest

from compendium.model import to_roman
from compendium.render.sectionstyle import TAB_PROVISION, TAB_TEXT, Colour, palette, thumb_index, tokens
from compendium.source.load import load
from compendium.source.project import Project
from tests.conftest import PROJECT, run_build
from tests.pdf import Pdf

FIXTURE = PROJECT / "tests" / "fixtures" / "valid" / "source"
MM = 72 / 25.4  # PDF points per millimetre
TOKENS = tokens((PROJECT / "styles" / "tokens.css").read_text(encoding="utf-8"))
# A title too long for a short tab's three lines: it ends in an ellipsis there
LONG_TITLE = "COOPERATION WITH CIVIL SOCIETY, INTERNATIONAL ORGANIZATIONS, TRADE UNIONS AND THE PRIVATE SECTOR"


def title(n: int) -> str:
    return LONG_TITLE if n == 2 else f"SECTION TITLE {n}"


def write_source(folder: Path, count: int, colours: dict[int, str] | None = None) -> Path:
    """The valid fixture with `count` sections, each of one part holding two provisions (paragraphs
    2n-1 and 2n of the fixture's decision: an opener and a page with the running head), and `colours`
    (section number -> YAML value) written into compendium.yaml."""
    source = folder / "source"
    shutil.copytree(FIXTURE, source)
    colours = colours or {}
    compendium = (FIXTURE / "compendium.yaml").read_text(encoding="utf-8")
    head = compendium[: compendium.index("sections:")]
    lines = [head + "sections:"]
    for n in range(1, count + 1):
        lines += [f"  - id: section-{n}", f"    title: {title(n)}"]
        if n in colours:
            lines.append(f"    colour: {colours[n]}")
        lines += ["    parts:", f"      - id: part-{n}", f"        title: Part of section {n}"]
    lines.append('annex: ["1/19"]')
    (source / "compendium.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    decision = (FIXTURE / "decisions" / "mc-dec-1-19.yaml").read_text(encoding="utf-8")
    paragraphs = "\n".join(f"  - number: {n}\n    text: Do thing number {n};" for n in range(1, 2 * count + 1))
    start, end = decision.index("paragraphs:"), decision.index("statements:")
    (source / "decisions" / "mc-dec-1-19.yaml").write_text(
        decision[:start] + "paragraphs:\n" + paragraphs + "\n" + decision[end:], encoding="utf-8"
    )
    provisions = []
    for n in range(1, 2 * count + 1):
        keyword = "children" if n % 2 else "prevention"
        citation = "{publication: ict-forthcoming}" if n == 1 else "{publication: survey-2016}"
        provisions.append(
            f'- number: {n}\n  decision: "1/19"\n  paragraph: {n}\n  part: part-{(n + 1) // 2}\n  resources:\n'
            f"    - keyword: {keyword}\n      citations:\n        - {citation}\n"
        )
    (source / "provisions.yaml").write_text("\n".join(provisions), encoding="utf-8")
    return source


def expected_colour(n: int, given: dict[int, str]) -> tuple[int, int, int]:
    if n in given:
        return Colour(given[n].strip('"').lower()).rgb
    colours = palette(TOKENS)
    return colours[(n - 1) % len(colours)][0].rgb


def build(folder: Path, count: int, variant: str = "screen", colours: dict[int, str] | None = None) -> Pdf:
    source = write_source(folder, count, colours)
    run = run_build(
        "build", "--source", str(source), "--output", str(folder / "out"), "--lang", "en", "--variant", variant
    )
    assert run.returncode == 0, run.stderr
    name = "compendium-en.pdf" if variant == "screen" else f"compendium-en-{variant}.pdf"
    return Pdf(folder / "out" / name)


def section_pages(pdf: Pdf, count: int) -> list[int]:
    """The page of each section's first provision (its opener)."""
    pages = []
    for n in range(1, count + 1):
        found = [i for i, text in enumerate(pdf.flat_texts) if f"SECTION {to_roman(n)} " in text.upper() + " "]
        found = [i for i in found if "MC DECISION PROVISION" in pdf.flat_texts[i].upper()]
        assert found, n
        pages.append(found[0])
    return pages


def right_hand(page: int) -> bool:
    """Page 1 (index 0) is a right-hand page; the screen edition starts sections on either side."""
    return page % 2 == 0


def outer(page: int, width: int, inset: float) -> int:
    """The x, `inset` points in from the page's outer edge (the right edge of a right-hand page)."""
    return width - 1 - round(inset) if right_hand(page) else round(inset)


def in_tab(box: tuple[float, ...], width: float, right: bool) -> bool:
    """A character's box lies in the outer 18 mm of the page, where the tab is."""
    return box[0] > width - 18 * MM if right else box[2] < 18 * MM


def tab_rows(image, column: int, colour: tuple[int, int, int]) -> list[int]:
    return [y for y in range(image.size[1]) if image.getpixel((column, y)) == colour]


# (sections, paper): 3 and 8 on A4, 5 on A4 with a colour of its own for section 5
SHAPES = {3: {}, 5: {5: '"#C0392B"'}, 8: {}}


@pytest.fixture(scope="module", params=sorted(SHAPES))
def shaped(request, tmp_path_factory):
    count = request.param
    return count, SHAPES[count], build(tmp_path_factory.mktemp(f"sections-{count}"), count, colours=SHAPES[count])


def test_every_section_has_a_tab_in_its_colour_at_its_own_step(shaped):
    count, given, pdf = shaped
    boxes = []
    for n, page in enumerate(section_pages(pdf, count), 1):
        image = pdf.render(page, scale=1)
        width, height = image.size
        # 0.7 mm into the tab (18 mm wide, 8 mm from the page area): clear of the text centred in it
        rows = tab_rows(image, outer(page, width, 17.3 * MM - 1), expected_colour(n, given))
        assert rows, n
        assert rows[-1] - rows[0] + 1 == len(rows), n  # one piece
        boxes.append((rows[0], rows[-1]))
        # between the margins (20 mm top, 22 mm bottom), with the provision part below the section part
        assert rows[0] >= 20 * MM - 1 and rows[-1] + TAB_PROVISION * MM <= height - 22 * MM + 1, (n, rows[0], rows[-1])
    tops = [top for top, _ in boxes]
    assert tops == sorted(tops) and len(set(tops)) == count, tops
    for (_, bottom), (top, _) in zip(boxes, boxes[1:], strict=False):
        assert bottom < top, boxes  # the section parts of the tabs never overlap


def test_every_section_has_its_band_and_running_head(shaped):
    count, given, pdf = shaped
    for n, page in enumerate(section_pages(pdf, count), 1):
        image = pdf.render(page, scale=1)
        width, height = image.size
        band = {image.getpixel((outer(page, width, x), y)) for x in range(2) for y in (5, height // 2, height - 5)}
        assert band == {expected_colour(n, given)}, n  # from the top edge to the bottom edge, at the page's edge
        # the opener has no running head: the page of the section's second provision has
        page += 1
        textpage = pdf.document[page].get_textpage()
        page_width, page_height = pdf.document[page].get_size()
        head = textpage.get_text_bounded(0, page_height - 20 * MM, page_width, page_height)  # the top margin
        if right_hand(page):  # the section's title on the right; the publication's on the left
            assert f"Section {to_roman(n)}." in head, (n, head)
            assert (title(n).split()[0]) in head, (n, head)
        else:
            assert head.strip() == "Test compendium", (n, head)


def test_section_headings_are_in_the_section_colour(shaped):
    count, given, pdf = shaped
    for n, page in enumerate(section_pages(pdf, count), 1):
        image = pdf.render(page, scale=2)
        width, height = image.size
        body = image.crop((round(22 * MM * 2), round(20 * MM * 2), round(width * 0.75), round(height * 0.3)))
        assert expected_colour(n, given) in {colour for _, colour in body.getcolors(1 << 20)}, n


def test_cover_stripes_share_the_full_width(shaped):
    count, given, pdf = shaped
    image = pdf.render(0, scale=1)
    width, _ = image.size
    row = [image.getpixel((x, round(4 * MM))) for x in range(width)]
    runs = [[row[0], 1]]
    for pixel in row[1:]:
        if pixel == runs[-1][0]:
            runs[-1][1] += 1
        else:
            runs.append([pixel, 1])
    stripes = [run for run in runs if run[1] > 3]  # anti-aliased seams are a pixel or two wide
    assert [colour for colour, _ in stripes] == [expected_colour(n, given) for n in range(1, count + 1)]
    assert sum(length for _, length in runs) == width and row[0] == stripes[0][0] and row[-1] == stripes[-1][0]
    for _, length in stripes:
        assert abs(length - width / count) <= 3, [length for _, length in stripes]


def test_a_five_section_print_edition_has_its_colours_in_cmyk_and_its_tabs_in_the_bleed(tmp_path):
    given = {5: '"#C0392B"'}
    pdf = build(tmp_path, 5, "print", given)
    expected = {Colour(given[5].strip('"').lower()).cmyk()} | {c.cmyk() for c, _ in palette(TOKENS)[:4]}
    with pikepdf.open(pdf.path) as document:
        pages = section_pages(pdf, 5)
        filled = set()
        for index in pages:
            for operands, operator in pikepdf.parse_content_stream(document.pages[index]):
                if str(operator) in ("k", "scn", "sc") and len(operands) == 4:
                    filled.add(tuple(round(float(v), 2) for v in operands))
            assert not any(
                str(op) in ("rg", "RG") and any(float(v) not in (0.0, 1.0) for v in ops)
                for ops, op in pikepdf.parse_content_stream(document.pages[index])
            ), index  # no colour of a section left in RGB
        assert expected <= filled, sorted(expected - filled)
        trim = [float(v) for v in document.pages[pages[0]].TrimBox]
        media = [float(v) for v in document.pages[pages[0]].MediaBox]
    for n, page in zip(range(1, 6), pages, strict=True):
        image = pdf.render(page, scale=1)
        width, height = image.size
        bleed_edge = width - round(media[2] - trim[2]) + 2  # inside the 3 mm of bleed past the trimmed edge
        tab_column = [image.getpixel((bleed_edge, y)) for y in range(height)]
        assert tab_column.count((255, 255, 255)) < height - 3, n  # the tab runs into the bleed
        # … and only the tab: no band down the whole edge, which would hide the thumb index's steps
        assert tab_column.count((255, 255, 255)) > height / 2, n


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("count", range(1, 9))
def test_thumb_index_steps_fit_every_tab_between_the_margins(count, paper):
    page_height = {"a4": 297.0, "letter": 279.4}[paper]
    index = thumb_index(count, paper, 20.0, 22.0)
    assert index.step > index.height  # tabs of neighbouring sections never overlap
    assert (count - 1) * index.step + index.height + TAB_PROVISION <= page_height - 42.0
    assert index.height - 4 >= 15  # the tab still holds "Section VIII" at 6.5 pt on one line
    if count <= 4:  # the OSCE compendium's four tabs where they were
        assert (index.height, index.step) == ({"a4": (50.0, 56.0), "letter": (46.0, 50.0)}[paper])


def test_the_tab_text_stays_at_least_six_and_a_half_points(shaped):
    count, _, pdf = shaped
    for n, index in enumerate(section_pages(pdf, count), 1):
        page = pdf.document[index]
        textpage = page.get_textpage()
        width, _ = page.get_size()
        tab = [
            (textpage.get_text_range(i, 1), pypdfium2.raw.FPDFText_GetFontSize(textpage.raw, i) * 0.75)  # px to pt
            for i in range(textpage.count_chars())
            if (
                textpage.get_charbox(i)[0] > width - 14 * MM
                if right_hand(index)
                else textpage.get_charbox(i)[2] < 14 * MM
            )
            and not textpage.get_text_range(i, 1).isspace()
        ]
        assert f"SECTION{to_roman(n)}" in "".join(char for char, _ in tab), n  # spaces left out
        assert min(size for _, size in tab) >= TAB_TEXT - 0.01, (n, sorted({size for _, size in tab}))


def test_a_palette_colour_that_is_not_rrggbb_is_refused_with_its_token():
    with pytest.raises(ValueError, match=r"tokens.css, --palette-2: expected a colour written #rrggbb, found 'red'"):
        palette(tokens(":root { --palette-1: #1f5f99; --palette-2: red; }"))


def test_the_palette_converts_to_the_press_profile_s_inks():
    """The first four colours and their tints as the output intent's profile (FOGRA39, relative
    colorimetric) prints them: no longer the plain formula's heavy black (OSCE blue was C92 M43 Y0 K46)."""
    colours = palette(TOKENS)
    assert len(colours) >= 8 and len({c.hex for c, _ in colours}) == len(colours)
    assert [c.cmyk() for c, _ in colours[:4]] == [
        (0.88, 0.51, 0.0, 0.23),
        (0.76, 0.0, 0.78, 0.42),
        (0.0, 0.69, 0.97, 0.31),
        (0.71, 0.89, 0.0, 0.07),
    ]
    assert [t.cmyk() for _, t in colours[:4]] == [
        (0.09, 0.04, 0.03, 0.05),
        (0.09, 0.02, 0.09, 0.04),
        (0.02, 0.07, 0.11, 0.05),
        (0.07, 0.09, 0.02, 0.04),
    ]
    assert [c.on_white(0.75).hex for c, _ in colours[:4]] == ["#5787b2", "#609b78", "#c87f55", "#906fab"]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ('"#12345"', "key 'colour': expected a colour written #rrggbb, such as \"#1f5f99\", found '#12345'"),
        ("red", "key 'colour': expected a colour written #rrggbb"),
        ('"#1f5f99; background: url(x)"', "found '#1f5f99; background: url(x)'"),
        ("#1f5f99", "key 'colour': expected a colour written in quotes"),
    ],
)
def test_a_section_colour_is_checked_and_located(tmp_path, written, message):
    source = write_source(tmp_path, 2, {2: written})
    _, problems = load(source)
    errors = [str(p) for p in problems.errors]
    line = (source / "compendium.yaml").read_text(encoding="utf-8").splitlines().index(f"    colour: {written}") + 1
    assert any(message in error and f"compendium.yaml:{line}" in error for error in errors), errors


def test_a_source_colour_is_used_and_its_tint_computed(tmp_path):
    source = write_source(tmp_path, 2, {2: '"#C0392B"'})
    compendium, problems = load(source)
    assert not problems.errors
    assert [s.colour for s in compendium.sections] == [None, "#c0392b"]
    from compendium.edition import Edition
    from compendium.render.sectionstyle import section_stylesheet

    css = section_stylesheet(compendium, Edition(), Project.from_source(source))
    assert "--section-2: #c0392b;" in css and "--section-2-tint: #f7e7e6;" in css
    assert "--section-1: #1f5f99;" in css and "--section-1-tint: #e3ecf5;" in css


def test_a_handout_places_its_tabs_as_the_whole_compendium_does(tmp_path):
    from compendium.edition import Edition
    from compendium.render.handout import select
    from compendium.render.sectionstyle import section_stylesheet

    compendium, problems = load(write_source(tmp_path, 8), tmp_path)
    assert not problems.errors, [str(p) for p in problems.errors]
    handout = select(compendium, ("section", "II"))
    assert len(handout.sections) == 1
    whole = section_stylesheet(compendium, Edition(), Project(root=tmp_path))
    narrowed = section_stylesheet(handout, Edition("en", "handout"), Project(root=tmp_path), section_count=8)
    step = next(line for line in whole.splitlines() if "--tab-step" in line)
    assert step in narrowed.splitlines()
    alone = section_stylesheet(handout, Edition("en", "handout"), Project(root=tmp_path))
    assert step not in alone.splitlines()  # without the whole count, a tab would sit as in a 2-section book


def test_a_project_palette_that_is_no_colour_stops_the_build_with_one_line(tmp_path):
    project = tmp_path / "project"
    write_source(project, 2)
    (project / "styles").mkdir()
    tokens_css = (PROJECT / "styles" / "tokens.css").read_text(encoding="utf-8")
    (project / "styles" / "tokens.css").write_text(tokens_css.replace("--palette-2: #", "--palette-2: red; --x: #"))
    result = run_build("--source", str(project / "source"), "--output", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == "tokens.css, --palette-2: expected a colour written #rrggbb, found 'red'"


@pytest.mark.parametrize("count", [6, 12])
def test_stripes_fit_one_row_and_no_section_colour_repeats(tmp_path, count):
    source = write_source(tmp_path, count)
    compendium, problems = load(source)
    assert not problems.errors
    from compendium.edition import Edition
    from compendium.render.sectionstyle import section_stylesheet

    css = section_stylesheet(compendium, Edition(), Project.from_source(source))
    width = float(re.search(r"\.cover-stripe \{ width: ([\d.]+)%; \}", css).group(1))
    assert count * width <= 100 and count * width > 99.99
    colours = [re.search(rf"--section-{n}: (#[0-9a-f]{{6}});", css).group(1) for n in range(1, count + 1)]
    assert len(set(colours)) == count, colours
