"""Finishes the PDF with pypdf: document language, metadata and how viewers open it.

The changes are appended as an incremental update (new versions of the catalog and the
information dictionary, and a cross-reference stream pointing back to the original), so
finishing costs the same for a 10-page and a 1,000-page document: nothing else is rewritten.
"""

from __future__ import annotations

import hashlib
import io
import struct
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
    read_object,
)

from .marks import add_marks
from .model import Compendium


def finish(
    raw: Path, target: Path, compendium: Compendium, lang: str, keywords: str, marks: tuple[str, ...] | None = None
) -> int:
    """Writes the finished PDF to target; returns its page count."""
    original = raw.read_bytes()
    reader = PdfReader(io.BytesIO(original))
    root_ref = reader.trailer.raw_get("/Root")
    root = DictionaryObject(_object(reader, root_ref))
    root[NameObject("/Lang")] = TextStringObject(lang)
    # Open as a book: spreads with the cover alone, the outline shown, the title in the window bar.
    root[NameObject("/PageLayout")] = NameObject("/TwoPageRight")
    root[NameObject("/PageMode")] = NameObject("/UseOutlines")
    preferences = DictionaryObject(root.get("/ViewerPreferences", DictionaryObject()))
    preferences[NameObject("/DisplayDocTitle")] = BooleanObject(True)
    root[NameObject("/ViewerPreferences")] = preferences

    info = DictionaryObject(_object(reader, reader.trailer.raw_get("/Info")) if "/Info" in reader.trailer else {})
    meta = compendium.metadata
    for key, value in {
        "/Title": meta.title,
        "/Author": meta.publisher,
        "/Subject": meta.subtitle,
        "/Keywords": keywords,
        "/Creator": "compendium builder",
    }.items():
        info[NameObject(key)] = TextStringObject(value)

    size = int(reader.trailer["/Size"])
    # The information dictionary keeps its object number when there is one, so nothing is orphaned.
    info_number = reader.trailer.raw_get("/Info").idnum if "/Info" in reader.trailer else size
    objects: dict[int, PdfObject] = {root_ref.idnum: root, info_number: info}
    size += 1
    if marks is not None:
        kids = _object(reader, root.raw_get("/Pages"))["/Kids"]
        pages = {ref.idnum: DictionaryObject(_object(reader, ref)) for ref in kids}
        size = add_marks(pages, objects, size, marks, reader)
        objects.update(pages)
    update = _update(original, reader, objects, size, root_ref, info_number)
    target.write_bytes(original + update)
    return int(_object(reader, root.raw_get("/Pages"))["/Count"])


def _object(reader: PdfReader, reference: IndirectObject) -> PdfObject:
    """One object, parsed alone. pypdf parses a whole object stream to get one object from it,
    and WeasyPrint puts nearly all of the document (its structure tree) in one stream."""
    if reference.idnum not in reader.xref_objStm:
        return reader.get_object(reference)
    stream_number, index = reader.xref_objStm[reference.idnum]
    streams = reader.__dict__.setdefault("_decompressed_streams", {})  # once per reader and stream
    if stream_number not in streams:
        stream = reader.get_object(stream_number)
        streams[stream_number] = (stream.get_data(), int(stream["/First"]))
    data, first = streams[stream_number]
    offset = int(data[:first].split()[2 * index + 1])
    buffer = io.BytesIO(data)
    buffer.seek(first + offset)
    return read_object(buffer, reader)


def _serialise(obj: PdfObject) -> bytes:
    stream = io.BytesIO()
    obj.write_to_stream(stream)
    return stream.getvalue()


def _update(
    original: bytes, reader: PdfReader, objects: dict[int, PdfObject], size: int, root_ref, info_number: int
) -> bytes:
    """An incremental update section: the objects, then an xref stream that links to the previous one."""
    previous = int(original[original.rindex(b"startxref") + 9 :].split()[0])
    out = io.BytesIO()
    out.write(b"\n")
    offsets: dict[int, int] = {}
    for number, obj in sorted(objects.items()):
        offsets[number] = len(original) + out.tell()
        out.write(b"%d 0 obj\n" % number + _serialise(obj) + b"\nendobj\n")
    xref_number = size
    offsets[xref_number] = len(original) + out.tell()
    numbers = sorted(offsets)
    rows = b"".join(struct.pack(">BIH", 1, offsets[n], 0) for n in numbers)
    xref = StreamObject()
    xref.set_data(rows)
    index = ArrayObject()
    for number in numbers:
        index += [NumberObject(number), NumberObject(1)]
    xref.update(
        {
            NameObject("/Type"): NameObject("/XRef"),
            NameObject("/Size"): NumberObject(xref_number + 1),
            NameObject("/Index"): index,
            NameObject("/W"): ArrayObject([NumberObject(1), NumberObject(4), NumberObject(2)]),
            NameObject("/Prev"): NumberObject(previous),
            NameObject("/Root"): root_ref,
            NameObject("/Info"): IndirectObject(info_number, 0, reader),
        }
    )
    # The file identifier: the first part names the document for good, the second this version of it.
    first = reader.trailer["/ID"][0] if "/ID" in reader.trailer else ByteStringObject(hashlib.md5(original).digest())
    xref[NameObject("/ID")] = ArrayObject([first, ByteStringObject(hashlib.md5(original + out.getvalue()).digest())])
    out.write(b"%d 0 obj\n" % xref_number + _serialise(xref) + b"\nendobj\n")
    out.write(b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number])
    return out.getvalue()
