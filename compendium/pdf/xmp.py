"""The XMP metadata packet: title, language, dates and the PDF/UA and PDF/X claims."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

NAMESPACES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfxid": "http://www.npes.org/pdfx/ns/id/",
}


@dataclass(frozen=True)
class Description:
    """What the packet says about the publication."""

    title: str
    author: str
    subject: str
    keywords: str
    lang: str
    date: str  # ISO 8601, the same in the information dictionary
    document_id: str  # a UUID URN naming the document for good
    producer: str
    pdfua: bool  # claims PDF/UA-1
    pdfx: bool  # claims PDF/X-4 (and says the file is not trapped)
    # which project's source made it (build/owner.py): another project's build into the same
    # output folder does not replace it, whether or not output/.cache/ is there (attacker round 10, S11)
    made_from: str = ""


def packet(description: Description) -> bytes:
    """The whole packet, with padding so that a tool can edit it in place."""
    d = description
    properties = [
        "<dc:format>application/pdf</dc:format>",
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(d.title)}</rdf:li>'
        f"<rdf:li xml:lang={quoteattr(d.lang)}>{escape(d.title)}</rdf:li></rdf:Alt></dc:title>",
        f"<dc:creator><rdf:Seq><rdf:li>{escape(d.author)}</rdf:li></rdf:Seq></dc:creator>",
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(d.subject)}</rdf:li>'
        "</rdf:Alt></dc:description>",
        f"<dc:language><rdf:Bag><rdf:li>{escape(d.lang)}</rdf:li></rdf:Bag></dc:language>",
        f"<pdf:Keywords>{escape(d.keywords)}</pdf:Keywords>",
        f"<pdf:Producer>{escape(d.producer)}</pdf:Producer>",
        "<xmp:CreatorTool>compendium builder</xmp:CreatorTool>",
        f"<xmp:CreateDate>{d.date}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{d.date}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{d.date}</xmp:MetadataDate>",
        f"<xmpMM:DocumentID>{escape(d.document_id)}</xmpMM:DocumentID>",
        f"<xmpMM:InstanceID>{escape(d.document_id)}</xmpMM:InstanceID>",
        "<xmpMM:RenditionClass>default</xmpMM:RenditionClass>",
        "<xmpMM:VersionID>1</xmpMM:VersionID>",
    ]
    if d.made_from:  # xmp:Identifier is XMP's own property: no extension schema for PDF/UA or PDF/X
        properties.append(f"<xmp:Identifier><rdf:Bag><rdf:li>{escape(d.made_from)}</rdf:li></rdf:Bag></xmp:Identifier>")
    if d.pdfua:
        properties.append("<pdfuaid:part>1</pdfuaid:part>")
    if d.pdfx:
        properties += ["<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>", "<pdf:Trapped>False</pdf:Trapped>"]
    declarations = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
    body = "\n".join(f"   {line}" for line in properties)
    xml = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        f" <rdf:RDF {declarations}>\n"
        '  <rdf:Description rdf:about="">\n'
        f"{body}\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n" + (" " * 99 + "\n") * 20 + '<?xpacket end="w"?>'
    )
    return xml.encode("utf-8")


def source_mark_in(path: Path) -> str:
    """The mark of the project's source that made the PDF (Description.made_from), "" when it has
    none: made by an older builder, by hand, or not a PDF at all."""
    import pikepdf  # only when a PDF is in place

    try:
        with pikepdf.open(path) as pdf:
            metadata = pdf.Root.get("/Metadata")
            xmp = metadata.read_bytes() if isinstance(metadata, pikepdf.Stream) else b""
    except Exception:  # noqa: BLE001 - whatever the file is, it carries no mark that can be read
        return ""
    found = re.search(rb"compendium-source:[0-9a-f:]+", xmp)
    return found.group().decode("ascii") if found else ""
