"""PDF/X-4 for the print shop: the output intent (profiles/FOGRA39L-coated.icc) and the PDF/X keys."""

from __future__ import annotations

from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

PROFILE = Path(__file__).resolve().parent.parent / "profiles" / "FOGRA39L-coated.icc"
CONDITION = "FOGRA39"  # the ICC registry's name of the press condition
CONDITION_NAME = "Coated FOGRA39 (ISO 12647-2:2004)"
VERSION = "PDF/X-4"


def add_output_intent(pdf: pikepdf.Pdf, profile: Path = PROFILE) -> None:
    """The press condition the colours are meant for, with its ICC profile embedded."""
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
