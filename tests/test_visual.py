"""Visual regression: chosen pages rendered with pypdfium2 and compared with committed PNGs.

Refresh the references after an intended change of the layout with:
    REFRESH_VISUAL=1 python3 -m pytest tests/test_visual.py
On a failure the actual and expected images and their difference are written to
tests/visual/failures/ for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from compendium.model import Compendium
from tests.pdf import Pdf

REFERENCES = Path(__file__).parent / "visual"
FAILURES = REFERENCES / "failures"
SCALE = 0.6  # about 43 dpi: enough to see the layout, small enough to keep in git
MEAN_TOLERANCE = 1.5  # mean absolute difference per channel, of 255
PIXEL_TOLERANCE = 0.01  # share of pixels that may differ by more than 48


def provision_page(pdf: Pdf, compendium: Compendium, number: int) -> int:
    provision = compendium.provisions[number - 1]
    return next(i for i in pdf.pages_with(provision.paragraph.text[:80]) if "Resources by keyword" in pdf.flat_texts[i])


def pages(pdf: Pdf, compendium: Compendium) -> dict[str, Image.Image]:
    """The pages to watch, found by their content rather than by number."""
    opener = provision_page(pdf, compendium, compendium.sections[1].provisions[0].number)
    provision = provision_page(pdf, compendium, 7)
    section_3 = [provision_page(pdf, compendium, p.number) for p in compendium.sections[2].provisions]
    right_page_of_section_3 = next(page for page in section_3 if page % 2 == 0)  # odd page numbers are right-hand
    decision = pdf.named[compendium.decisions[-1].anchor]
    tab_page = pdf.render(right_page_of_section_3, SCALE)
    width, height = tab_page.size
    return {
        "section-opener": pdf.render(opener, SCALE),
        "provision": pdf.render(provision, SCALE),
        "side-tab": tab_page.crop((int(width * 0.85), 0, width, height)),
        "decision": pdf.render(decision, SCALE),
    }


@pytest.fixture(scope="module")
def rendered(built, compendium) -> dict[str, Image.Image]:
    return pages(built[1], compendium)


@pytest.mark.parametrize("name", ["section-opener", "provision", "side-tab", "decision"])
def test_page_looks_as_it_did(rendered, name: str):
    actual = rendered[name]
    reference = REFERENCES / f"{name}.png"
    if os.environ.get("REFRESH_VISUAL") == "1":
        actual.save(reference, optimize=True)
        pytest.skip(f"refreshed tests/visual/{name}.png")
    expected = Image.open(reference).convert("RGB")
    difference = None
    if expected.size == actual.size:
        difference = ImageChops.difference(actual, expected)
        histogram = difference.convert("L").histogram()  # how many pixels differ by 0, 1, … 255
        count = sum(histogram)
        mean = sum(value * n for value, n in enumerate(histogram)) / count
        changed = sum(histogram[49:]) / count
        if mean <= MEAN_TOLERANCE and changed <= PIXEL_TOLERANCE:
            return
    FAILURES.mkdir(exist_ok=True)
    actual.save(FAILURES / f"{name}-actual.png")
    expected.save(FAILURES / f"{name}-expected.png")
    if difference is not None:
        difference.save(FAILURES / f"{name}-difference.png")
    pytest.fail(f"{name} differs from tests/visual/{name}.png: see tests/visual/failures/")
