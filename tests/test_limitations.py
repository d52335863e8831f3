"""One test per limitation in docs/weasyprint-limitations.md, each on a tiny document through plain
WeasyPrint (no hook of the builder's): it passes while WeasyPrint still has the limitation, and
fails when an upgrade lifts or changes it, the time to look again at the builder's workaround.
Item 15 has none: its reproduction as written does not show the early break (see the document)."""

from __future__ import annotations

import io
import logging

import pikepdf
import pypdfium2
import pytest
from weasyprint import HTML

from compendium.pdf import engine
from tests.conftest import PROJECT
from tests.test_engine import FONTS, STYLE, laid_out, texts, written


def tagged(body: str, head: str = "", lang: str = "en", **options) -> pikepdf.Pdf:
    html = f'<html lang="{lang}"><head>{FONTS}{STYLE}{head}</head><body>{body}</body></html>'
    return written(HTML(string=html, base_url=str(PROJECT) + "/"), pdf_tags=True, **options)


def elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """The structure elements reachable from the root, depth first."""
    found, pending = [], list(_kids(pdf.Root.StructTreeRoot))
    while pending:
        element = pending.pop(0)
        found.append(element)
        pending[:0] = _kids(element)
    return found


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def types(pdf: pikepdf.Pdf) -> list[str]:
    return [str(e.S) for e in elements(pdf)]


def operators(page: pikepdf.Page) -> list[tuple[str, list, int]]:
    """Each operator of the page's content with its operands and how deep in marked content it is."""
    out, depth = [], 0
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name == "EMC":
            depth -= 1
        out.append((name, list(operands), depth))
        if name in ("BDC", "BMC"):
            depth += 1
    return out


def test_1_margin_boxes_are_tagged_as_content_of_an_unreachable_element():
    pdf = tagged("<p>Text</p>", "<style>@page { @bottom-center { content: 'Running head' } }</style>")
    marked = [operands for name, operands, _ in operators(pdf.pages[0]) if name == "BDC"]
    assert marked and all(str(operands[0]) != "/Artifact" for operands in marked)
    reachable = {e.objgen for e in elements(pdf)}
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    mapped = [element for element in nums[1]] if isinstance(nums[1], pikepdf.Array) else [nums[1]]
    assert any(e.objgen not in reachable for e in mapped), "every marked sequence is reachable now"


def test_2_aria_hidden_is_read():
    pdf = tagged('<div aria-hidden="true">Tab</div><p>Text</p>')
    assert types(pdf)[:2] == ["/Document", "/Div"]


def test_3_an_element_with_opacity_is_painted_outside_marked_content():
    pdf = tagged('<p style="opacity: 0.5">Faint</p>')
    assert [name for name, _, depth in operators(pdf.pages[0]) if name == "Do" and depth == 0]


def test_4_no_lang_on_structure_elements():
    pdf = tagged('<p>Текст <span lang="en">English</span></p>', lang="ru")
    assert not [e for e in elements(pdf) if "/Lang" in e]


def test_5_one_link_annotation_per_box_with_the_raw_id_as_contents():
    pdf = tagged(
        '<a href="#x">A <span>link</span></a><p id="x">Target</p>', "<style>a::after { content: ' (page)' }</style>"
    )
    links = [a for a in pdf.pages[0].Annots if a.Subtype == "/Link"]
    assert len(links) == 3
    assert {str(a.get("/Contents")) for a in links} == {"x"}


def test_6_th_has_no_scope_and_a_repeated_header_is_tagged_again():
    rows = "".join(f"<tr><td>Row {n}</td></tr>" for n in range(60))
    pdf = tagged(f"<table><thead><tr><th>Head</th></tr></thead><tbody>{rows}</tbody></table>")
    headers = [e for e in elements(pdf) if e.S == "/TH"]
    assert len(headers) == len(pdf.pages) > 1  # one header cell per page, each its own element
    assert all("/Scope" not in e.get("/A", pikepdf.Dictionary()) for e in headers)
    assert types(pdf).count("/Table") == len(pdf.pages)


def test_7_an_element_split_over_pages_is_several_elements():
    pdf = tagged("<p>" + "A paragraph long enough to run over several small pages. " * 120 + "</p>")
    assert len(pdf.pages) > 1
    assert types(pdf).count("/P") == len(pdf.pages)


def test_8_footnotes_are_not_notes_and_lose_their_float():
    document = laid_out('<p>Text<span style="float: footnote">A note</span></p>')
    pdf = written(document, pdf_tags=True)
    assert "/Note" not in types(pdf)
    notes = [box for page in engine.pages(document) for box in texts(page) if engine.text(box) == "A note"]
    assert notes


def test_9_no_alternative_text_for_a_heading():
    pdf = tagged('<h1 aria-label="Provision 09">09</h1>')
    assert not [e for e in elements(pdf) if "/Alt" in e]


def test_10_a_layout_table_is_a_data_table():
    pdf = tagged('<table role="presentation"><tr><td>Cell</td></tr></table>')
    assert "/Table" in types(pdf) and "/TD" in types(pdf)


def test_11_the_pdf_ua_variant_does_none_of_the_above():
    pdf = tagged('<p lang="en">Text</p><h1 aria-label="Provision 09">09</h1>', pdf_variant="pdf/ua-1")
    with pdf.open_metadata() as metadata:
        assert metadata.get("pdfuaid:part") == "1"
    assert not [e for e in elements(pdf) if "/Lang" in e or "/Alt" in e]


def test_12_no_cmyk_gradients():
    html = "<div style='height: 5mm; background: linear-gradient(device-cmyk(1 0 0 0), device-cmyk(0 1 0 0))'></div>"
    with pytest.raises(NotImplementedError):
        HTML(string=html).write_pdf()


def test_13_transparency_groups_blend_in_device_rgb():
    pdf = tagged('<p style="opacity: 0.5">Faint</p>')
    groups = [x.Group for x in pdf.pages[0].Resources.XObject.values() if "/Group" in x]
    assert groups and all(str(group.CS) == "/DeviceRGB" for group in groups)


def test_14_white_and_black_are_rgb():
    pdf = tagged('<p style="color: black">Black</p><p style="color: white; background: #000">White</p>')
    fills = [tuple(float(v) for v in operands) for name, operands, _ in operators(pdf.pages[0]) if name == "rg"]
    assert (0.0, 0.0, 0.0) in fills and (1.0, 1.0, 1.0) in fills


def _lines(body: str) -> list[str]:
    document = laid_out(body)
    return [engine.text(box) for box in texts(engine.pages(document)[0])]


def test_16_no_hyphenate_limit_lines(caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        laid_out('<p style="hyphenate-limit-lines: 2; hyphenate-limit-chars: 6 3 3">Text</p>')
    ignored = " ".join(record.getMessage() for record in caplog.records)
    assert "hyphenate-limit-lines" in ignored and "hyphenate-limit-chars" not in ignored


def test_17_pango_breaks_after_the_scheme_of_a_url():
    lines = _lines('<p style="width: 30mm">https://www.osce.org/secretariat/69028</p>')
    assert lines[0].strip() == "https://"


def test_18_a_repeated_table_header_cannot_say_continued():
    rows = "".join(f"<tr><td>Citation {n}</td></tr>" for n in range(60))
    pdf = tagged(f"<table><thead><tr><th>On children:</th></tr></thead><tbody>{rows}</tbody></table>")
    assert len(pdf.pages) > 1
    out = io.BytesIO()
    pdf.save(out)
    second = pypdfium2.PdfDocument(out.getvalue())[1].get_textpage().get_text_range()
    assert "On children:" in second and "continued" not in second
