"""PDF/X-4 for the print shop: output intent, PDF/X keys, XMP, boxes, embedded fonts, CMYK only."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pikepdf
import pytest

from compendium.pdf.pdfx import PROFILE

RGB_SPACES = {"/DeviceRGB", "/CalRGB"}


@pytest.fixture(scope="module")
def press(print_edition) -> Path:
    return print_edition[0].path


@pytest.fixture(scope="module")
def pdf(press):
    with pikepdf.open(press) as document:
        yield document


def test_the_output_intent_is_the_shipped_cmyk_profile(pdf):
    (intent,) = pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFX"
    assert str(intent.OutputConditionIdentifier) == "FOGRA39"
    assert str(intent.RegistryName) == "http://www.color.org"
    profile = intent.DestOutputProfile
    assert profile.N == 4
    assert profile.read_bytes() == PROFILE.read_bytes()
    assert profile.read_bytes()[16:20] == b"CMYK" and profile.read_bytes()[12:16] == b"prtr"  # an output profile


def test_pdfx_keys_and_xmp_agree(pdf):
    assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-4"
    assert pdf.docinfo["/Trapped"] == "/False"
    meta = pdf.open_metadata()
    assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
    assert meta["pdf:Trapped"] == "False"
    assert meta["dc:title"] == str(pdf.docinfo["/Title"])
    assert meta["xmp:CreateDate"] and meta["xmpMM:DocumentID"].startswith("uuid:")
    assert pdf.pdf_version == "1.6" and pdf.trailer.ID  # PDF/X-4 is a profile of PDF 1.6


def test_the_print_shop_file_has_no_link_annotations(pdf):
    """A press has nothing to follow, and PDF/X preflight flags annotations in the trim: what was a
    link is a span of text (a prepress operator counted 1,428)."""
    assert not [a for page in pdf.pages for a in page.obj.get("/Annots", []) if a.get("/Subtype") == "/Link"]
    kinds = Counter()
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        element = stack.pop()
        kids = element.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
        kinds[str(element.get("/S"))] += 1
        stack.extend(k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k)
    assert kinds["/Link"] == 0 and kinds["/Span"]


def test_the_cover_describes_itself_as_pdfx_and_claims_no_pdfua(press):
    """PDF/X-4 requires the XMP packet; the untagged cover must not claim PDF/UA; its dates are the
    interior's (the cover said only "2019")."""
    cover = press.with_name(press.stem + "-cover.pdf")
    with pikepdf.open(cover) as document, pikepdf.open(press) as interior:
        assert document.pdf_version == "1.6"
        meta = document.open_metadata()
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4" and "pdfuaid:part" not in meta
        assert str(document.docinfo["/CreationDate"]) == str(interior.docinfo["/CreationDate"])
        assert len(str(document.docinfo["/CreationDate"])) >= len("D:20190101")


def test_every_page_has_trim_and_bleed_inside_the_media(pdf):
    for page in pdf.pages:
        media, bleed, trim = ([float(v) for v in page.obj[key]] for key in ("/MediaBox", "/BleedBox", "/TrimBox"))
        assert media[0] < bleed[0] < trim[0] and trim[2] < bleed[2] < media[2]
        assert media[1] < bleed[1] < trim[1] and trim[3] < bleed[3] < media[3]
        assert round(trim[0] - bleed[0], 2) == round(3 * 72 / 25.4, 2)


def test_every_font_is_embedded(pdf):
    fonts = 0
    for page in pdf.pages:
        for font in page.obj.Resources.get("/Font", pikepdf.Dictionary()).values():
            fonts += 1
            described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = described.FontDescriptor
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font.get("/BaseFont")
    assert fonts


def rgb_uses(pdf) -> Counter:
    """Every use of an RGB colour: fill and stroke operators, colour spaces set in content, shadings,
    images and transparency groups, in pages and in the forms and patterns they draw, by where."""
    found: Counter = Counter()
    seen: set = set()
    pending = [(page.obj, f"page {number}") for number, page in enumerate(pdf.pages, start=1)]
    while pending:
        obj, where = pending.pop()
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Stream) or "/Contents" in obj:
            for instruction in pikepdf.parse_content_stream(obj):
                op = str(instruction.operator)
                if op in ("rg", "RG") or (op in ("cs", "CS") and str(instruction.operands[0]) in RGB_SPACES):
                    found[f"{op} operator ({where})"] += 1
        group = obj.get("/Group")
        if isinstance(group, pikepdf.Dictionary) and str(group.get("/CS")) in RGB_SPACES:
            found[f"transparency group ({where})"] += 1
        resources = obj.get("/Resources")
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        for name, xobject in resources.get("/XObject", pikepdf.Dictionary()).items():
            if xobject.get("/Subtype") == "/Image" and str(xobject.get("/ColorSpace")) in RGB_SPACES:
                found[f"RGB image {name} ({where})"] += 1
            elif xobject.get("/Subtype") == "/Form":
                pending.append((xobject, f"{where}, form {name}"))
        for name, shading in resources.get("/Shading", pikepdf.Dictionary()).items():
            if str(shading.get("/ColorSpace")) in RGB_SPACES:
                found[f"RGB shading {name} ({where})"] += 1
        for name, pattern in resources.get("/Pattern", pikepdf.Dictionary()).items():
            if pattern.get("/PatternType") == 2 and str(pattern.Shading.get("/ColorSpace")) in RGB_SPACES:
                found[f"RGB shading pattern {name} ({where})"] += 1
            elif pattern.get("/PatternType") == 1:
                pending.append((pattern, f"{where}, pattern {name}"))
        for state in resources.get("/ExtGState", pikepdf.Dictionary()).values():
            mask = state.get("/SMask")
            if isinstance(mask, pikepdf.Dictionary) and "/G" in mask:
                pending.append((mask.G, f"{where}, soft mask"))
    return found


def test_text_rules_tints_tabs_and_groups_are_in_cmyk(pdf):
    """Everything but the bands: no RGB operator, group, image or colour space."""
    uses = rgb_uses(pdf)
    outside_shadings = {where: n for where, n in uses.items() if "shading" not in where}
    assert not outside_shadings, sorted(outside_shadings.items())[:20]


def test_nothing_in_the_print_variant_is_rgb(pdf):
    assert sum(rgb_uses(pdf).values()) == 0, sorted(rgb_uses(pdf).items())[:20]


def test_the_rgb_counter_finds_rgb(tmp_path):
    """The counter is not blind: a page with one RGB fill is counted."""
    document = pikepdf.new()
    document.add_blank_page()
    document.pages[0].obj.Contents = document.make_stream(b"0.5 0.2 0.1 rg 0 0 10 10 re f")
    assert sum(rgb_uses(document).values()) == 1


def test_font_subsets_are_named_by_what_they_hold(pdf):
    """A subset's tag is a digest of its file: two editions' different subsets of one face never
    share a name (a RIP caching fonts by name across jobs could mix them up)."""
    import hashlib

    fonts = [f for f in pdf.objects if isinstance(f, pikepdf.Dictionary) and f.get("/Subtype") == "/Type0"]
    assert fonts
    for font in fonts:
        (descendant,) = font.DescendantFonts
        data = descendant.FontDescriptor.FontFile2.read_bytes()
        tag = "".join(chr(ord("A") + byte % 26) for byte in hashlib.sha256(data).digest()[:6])
        assert str(font.BaseFont).startswith(f"/{tag}+") and descendant.FontDescriptor.FontName == font.BaseFont
