"""Finishes the PDF with pikepdf: tagged-PDF repairs, metadata, XMP, how viewers open it, and
for the print shop the marks and the PDF/X-4 output intent."""

from __future__ import annotations

import io
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
from pikepdf import Dictionary, Name, String

from ..model import Compendium
from ..source.files import write_bytes
from .cover import pad_to_even
from .marks import add_marks
from .pdfx import blend_in_inks, make_pdfx, tag_subsets_by_content, without_links
from .tagged import repair
from .xmp import Description, packet


def finish(
    raw: Path,
    target: Path,
    compendium: Compendium,
    lang: str,
    keywords: str,
    marks: tuple[str, ...] = (),
    *,
    press: bool = False,
    inks: bool = False,
    soft_hyphens: bool = False,
    made_from: str = "",
) -> int:
    """Writes the finished PDF to target; returns its page count. For the print shop (`press`) it
    is made PDF/X-4 as well as PDF/UA-1, with the marks asked for (none is fine) and an even page
    count (a blank page added at the end when needed)."""
    with pikepdf.open(raw) as pdf:
        repair(pdf, soft_hyphens)
        root = pdf.Root
        root.Lang = String(lang)
        # The print shop's PDF opens as a book (spreads, the cover alone), the others page after page
        # (no blank versos to pair pages); the outline shown, the title in the window bar.
        root.PageLayout = Name.TwoPageRight if press else Name.OneColumn
        root.PageMode = Name.UseOutlines
        root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        root.MarkInfo = Dictionary(Marked=True)
        meta = compendium.metadata
        date = _date()
        _information(pdf, meta.title, meta.publisher, meta.subtitle, keywords, date)
        _for_its_printer(pdf, marks, press, inks)
        description = Description(
            title=meta.title,
            author=meta.publisher,
            subject=meta.subtitle,
            keywords=keywords,
            lang=lang,
            date=date.isoformat(timespec="seconds"),
            document_id=f"uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'compendium:{meta.title}:{lang}:{press}')}",
            producer=str(pdf.docinfo["/Producer"]),
            pdfua=True,
            pdfx=press,
            made_from=made_from,
        )
        root.Metadata = pdf.make_stream(packet(description), Type=Name.Metadata, Subtype=Name.XML)
        pages = len(pdf.pages)
        # Saved into memory, then written in one step: QPDF writing to a full disk aborts the process.
        buffer = io.BytesIO()
        # PDF/X-4 is a profile of PDF 1.6 (preflight refuses a 1.7 header)
        pdf.save(
            buffer,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            deterministic_id=True,
            force_version="1.6" if press else pdf.pdf_version,
        )
    write_bytes(target, buffer.getvalue())
    return pages


def _for_its_printer(pdf: pikepdf.Pdf, marks: tuple[str, ...], press: bool, inks: bool) -> None:
    """For the print shop (`press`): an even page count, the marks, no links, PDF/X-4. Otherwise its
    font subsets named by what they hold (an office printer caches fonts by name too), and on paper
    (`inks`) its transparency blended in the inks it is drawn in, and printed on both sides."""
    if press:
        pad_to_even(pdf)  # bound: two pages to a leaf
        add_marks(pdf, marks)
        without_links(pdf)
        make_pdfx(pdf)
        return
    tag_subsets_by_content(pdf)
    if inks:
        blend_in_inks(pdf)
        # a handout goes to an office printer, both sides of the sheet (its tabs alternate sides)
        pdf.Root.ViewerPreferences.Duplex = Name.DuplexFlipLongEdge


def _information(pdf: pikepdf.Pdf, title: str, author: str, subject: str, keywords: str, date: datetime) -> None:
    """The information dictionary (the XMP packet says the same)."""
    for key, value in {
        "/Title": title,
        "/Author": author,
        "/Subject": subject,
        "/Keywords": keywords,
        "/Creator": "compendium builder",
        "/Producer": _producer(pdf),
    }.items():
        pdf.docinfo[key] = String(value)
    pdf.docinfo.CreationDate = pdf.docinfo.ModDate = String(_pdf_date(date))


def _date() -> datetime:
    """Now, or SOURCE_DATE_EPOCH for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.replace(microsecond=0)


def _pdf_date(moment: datetime) -> str:
    return moment.strftime("D:%Y%m%d%H%M%SZ")


def _producer(pdf: pikepdf.Pdf) -> str:
    weasyprint = str(pdf.docinfo.get("/Producer", "WeasyPrint"))
    return f"{weasyprint}; pikepdf {pikepdf.__version__}"
