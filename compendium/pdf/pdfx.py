"""PDF/X-4 for the print shop: the output intent (profiles/FOGRA39L-coated.icc) and the PDF/X keys."""

from __future__ import annotations

import hashlib
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
    blend_in_inks(pdf)
    overprint_black_text(pdf)
    tag_subsets_by_content(pdf)
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


def blend_in_inks(pdf: pikepdf.Pdf) -> None:
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


BLACK = (0.0, 0.0, 0.0, 1.0)
SET_FILL = {"k", "sc", "scn"}


def overprint_black_text(pdf: pikepdf.Pdf) -> int:
    """Sets the text drawn in black ink alone (0 0 0 1) to overprint: a text object whose fill is
    100 % K is drawn with an ExtGState that has /OP, /op and overprint mode 1, so that a RIP which
    honours it prints the black over the tints and bands instead of knocking them out (no white
    halo when the plates are slightly out of register). Only text objects that set no colour of
    their own are changed; the object is wrapped in q … Q. Returns the count of objects set."""
    state = pdf.make_indirect(Dictionary(Type=Name.ExtGState, OP=True, op=True, OPM=1))
    count = 0
    for page in pdf.pages:
        instructions = pikepdf.parse_content_stream(page)
        fills: list[tuple[float, ...] | None] = [None]
        result: list = []
        changed = 0
        index = 0
        while index < len(instructions):
            instruction = instructions[index]
            if not isinstance(instruction, pikepdf.ContentStreamInstruction):
                result.append(instruction)  # an inline image
                index += 1
                continue
            operands, op = instruction.operands, str(instruction.operator)
            if op == "q":
                fills.append(fills[-1])
            elif op == "Q" and len(fills) > 1:
                fills.pop()
            elif op in SET_FILL:
                values = tuple(float(v) for v in operands if isinstance(v, int | float | pikepdf.Object) and _number(v))
                fills[-1] = values if len(values) == 4 else None
            elif op in ("g", "rg", "cs"):
                fills[-1] = None
            if op == "BT" and fills[-1] == BLACK:
                end = next((i for i in range(index, len(instructions)) if str(instructions[i][1]) == "ET"), None)
                inner = {str(i[1]) for i in instructions[index:end]} if end is not None else SET_FILL
                if end is not None and not inner & (SET_FILL | {"g", "rg", "cs"}):
                    result.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("q")))
                    result.append(pikepdf.ContentStreamInstruction([Name("/OPk")], pikepdf.Operator("gs")))
                    result.extend(instructions[index : end + 1])
                    result.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("Q")))
                    index = end + 1
                    changed += 1
                    continue
            result.append(instructions[index])
            index += 1
        if changed:
            resources = page.obj.get("/Resources")
            if not isinstance(resources, Dictionary):
                resources = page.obj.Resources = Dictionary()
            if "/ExtGState" not in resources:
                resources.ExtGState = Dictionary()
            resources.ExtGState.OPk = state
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(result))
            count += changed
    return count


def _number(value: object) -> bool:
    try:
        float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


def without_links(pdf: pikepdf.Pdf) -> int:
    """The print shop's file has no link annotations (a press has nothing to follow, and PDF/X
    preflight flags annotations inside the trim); what was a link reads as a span of text.
    Returns how many annotations went."""
    dropped = 0
    for page in pdf.pages:
        annotations = page.obj.get("/Annots")
        if annotations is None:
            continue
        kept = [a for a in annotations if a.get("/Subtype") != Name.Link]
        dropped += len(annotations) - len(kept)
        page.obj.Annots = Array(kept)
    tree = pdf.Root.get("/StructTreeRoot")
    stack = [tree] if tree is not None else []
    while stack:
        element = stack.pop()
        found = element.get("/K")
        kids: list = list(found) if isinstance(found, Array) else [] if found is None else [found]
        if element.get("/S") == Name.Link:
            element.S = Name.Span
            kids = [k for k in kids if not (isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR)]
            element.K = Array(kids)
        stack.extend(k for k in kids if isinstance(k, Dictionary) and "/S" in k)
    return dropped


def tag_subsets_by_content(pdf: pikepdf.Pdf) -> int:
    """Each embedded font subset named by what it holds ("ABCDEF+Name", the tag from a digest of
    the subset's file): WeasyPrint's tags repeat across files for different glyph sets, and a RIP
    that caches fonts by name across jobs (the English and Russian editions run together) could
    draw one file's text with the other's subset. Returns how many subsets were renamed."""
    renamed = 0
    for font in pdf.objects:
        if not isinstance(font, Dictionary) or font.get("/Type") != Name.Font or font.get("/Subtype") != Name.Type0:
            continue
        for descendant in font.get("/DescendantFonts", []):
            descriptor = descendant.get("/FontDescriptor")
            if descriptor is None:
                continue
            data = descriptor.get("/FontFile2")
            name = str(descendant.get("/BaseFont", ""))
            if data is None or "+" not in name:
                continue
            digest = hashlib.sha256(data.read_bytes()).digest()
            tag = "".join(chr(ord("A") + byte % 26) for byte in digest[:6])
            tagged = Name("/" + tag + "+" + name.split("+", 1)[1])
            descendant.BaseFont = descriptor.FontName = font.BaseFont = tagged
            renamed += 1
    return renamed
