"""PDF/X-4 for the print shop: the output intent (profiles/FOGRA39L-coated.icc) and the PDF/X keys."""

from __future__ import annotations

from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from ..source.assets import BUILDER

PROFILE = BUILDER / "profiles" / "FOGRA39L-coated.icc"  # shipped with the builder (profiles/README.md)
CONDITION = "FOGRA39"  # the ICC registry's name of the press condition
CONDITION_NAME = "Coated FOGRA39 (ISO 12647-2:2004)"
VERSION = "PDF/X-4"


def make_pdfx(pdf: pikepdf.Pdf, profile: Path = PROFILE) -> None:
    """The press condition the colours are meant for, with its ICC profile embedded, the PDF/X keys
    of the information dictionary (the XMP packet says the same, see xmp.py), and transparency
    blended in the inks rather than in RGB."""
    _blend_in_inks(pdf)
    icc = pdf.make_stream(profile.read_bytes())
    icc.N = 4  # CMYK
    intent = Dictionary(
        Type=Name.OutputIntent,
        S=Name.GTS_PDFX,
        OutputConditionIdentifier=String(CONDITION),
        OutputCondition=String(CONDITION_NAME),
        RegistryName=String("http://www.color.org"),
        Info=String(CONDITION_NAME),
        DestOutputProfile=icc,
    )
    pdf.Root.OutputIntents = Array([pdf.make_indirect(intent)])
    pdf.docinfo[Name.GTS_PDFXVersion] = String(VERSION)
    # Not trapped: the print shop traps (or not) in its RIP; PDF/X requires the key to say so.
    pdf.docinfo[Name.Trapped] = Name("/False")


def _blend_in_inks(pdf: pikepdf.Pdf) -> None:
    """WeasyPrint gives every transparency group (opacity, gradient masks) the blending space
    DeviceRGB, which PDF/X-4 does not allow with a CMYK output intent: soft masks blend in gray
    (they are luminosity masks drawn in gray), every other group in the inks."""
    seen: set = set()
    pending: list[tuple[pikepdf.Object, bool]] = [(page.obj, False) for page in pdf.pages]
    while pending:
        obj, is_mask = pending.pop()
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        group = obj.get("/Group")
        if isinstance(group, Dictionary) and group.get("/CS") == Name.DeviceRGB:
            group.CS = Name.DeviceGray if is_mask else Name.DeviceCMYK
        resources = obj.get("/Resources")
        if not isinstance(resources, Dictionary):
            continue
        for form in resources.get("/XObject", Dictionary()).values():
            if form.get("/Subtype") == Name.Form:
                pending.append((form, False))
        for state in resources.get("/ExtGState", Dictionary()).values():
            mask = state.get("/SMask")
            if isinstance(mask, Dictionary) and "/G" in mask:
                pending.append((mask.G, True))
        for pattern in resources.get("/Pattern", Dictionary()).values():
            if pattern.get("/PatternType") == 1:
                pending.append((pattern, False))
