"""Repairs WeasyPrint's tagged PDF: page furniture as artifacts, one annotation per link, tab order.

WeasyPrint 70 gives margin boxes (running heads, page numbers, running side tabs) structure
elements that nothing in the tree links to, and accessibility.tagging() does the same for
elements marked aria-hidden="true" (side tabs, bands), so "furniture" here means: marked content
whose structure element cannot be reached from the structure tree root. Its marked-content
sequences become /Artifact, its ParentTree entries go, and qpdf drops the orphaned elements when
the file is written. Painting outside any marked content (a group drawn for opacity, a band)
becomes an artifact too, because in a tagged PDF everything drawn is either content or artifact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, ContentStreamInstruction, Dictionary, Name, Operator, String

PATH_START = {"m", "re"}
PATH_PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}
TEXT_SHOW = {"Tj", "TJ", "'", '"'}
PAINT_ONE = {"Do", "sh", "INLINE IMAGE"}


@dataclass
class Repairs:
    """What the repair changed, for the build report and the tests."""

    artifacts: int = 0  # marked-content sequences of furniture made artifacts
    untagged: int = 0  # paintings outside marked content wrapped as artifacts
    nested_links: int = 0  # link annotations removed because they sat inside another link
    furniture_links: int = 0  # link annotations of artifacts (a leader in a contents entry's link)
    soft_hyphens: int = 0  # fonts whose hyphenation glyph now reads as a soft hyphen
    empty_content: int = 0  # marked-content sequences that painted nothing, unmarked
    orphans: set = field(default_factory=set)  # structure elements no longer referenced


def repair(pdf: pikepdf.Pdf, soft_hyphens: bool = False) -> Repairs:
    """Repairs the document in place. `soft_hyphens`: the text has no hard hyphen U+2010 of its
    own, so each one drawn is WeasyPrint's hyphenation at a line end, to be read as a soft hyphen."""
    repairs = Repairs()
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None:
        return repairs
    if soft_hyphens:
        repairs.soft_hyphens = _read_hyphens_as_soft(pdf)
    reachable, nested = _walk(tree)
    parents = _number_tree(tree.ParentTree)
    removed_annotations = _unnest_links(nested, parents, repairs)
    for index, page in enumerate(pdf.pages):
        mapping = parents.get(index)
        furniture = set()
        if isinstance(mapping, Array):
            for mcid, element in enumerate(mapping):
                if isinstance(element, Dictionary) and element.objgen not in reachable:
                    furniture.add(mcid)
                    mapping[mcid] = pikepdf.Object.parse(b"null")
        empty = _rewrite_content(pdf, page, furniture, repairs)
        if isinstance(mapping, Array):
            _forget_content(mapping, empty, repairs)
        annotations = page.obj.get("/Annots")
        if annotations is not None:
            kept = []
            for annotation in annotations:
                if annotation.objgen in removed_annotations:
                    continue
                if _in_furniture(annotation, parents, reachable):
                    repairs.furniture_links += 1
                    continue
                kept.append(annotation)
            page.obj.Annots = Array(kept)
            for annotation in kept:
                annotation.F = 4  # printed, as on screen
            # Tab order follows the structure tree (PDF/UA requires /Tabs /S on pages with annotations).
            page.obj.Tabs = Name.S
    _drop_empty(tree, reachable)  # after the pages: elements left with no content go too
    nums = Array([item for key in sorted(parents) for item in (key, parents[key])])
    tree.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    tree.ParentTreeNextKey = max(parents, default=-1) + 1
    _index_ids(tree)
    return repairs


HARD_HYPHEN = re.compile(rb"(<[0-9A-Fa-f]+>\s*)<2010>")


def _read_hyphens_as_soft(pdf: pikepdf.Pdf) -> int:
    """The glyph WeasyPrint draws where it hyphenates a word at a line end (hyphenate-character,
    U+2010) reads as a soft hyphen U+00AD: text extraction, search and reflow then join the word
    ("internatio-|nal" reads "international", ISO 32000-1 14.8.2.2.3), and a reader says it whole."""
    changed = 0
    seen: set = set()
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        fonts = resources.get("/Font", Dictionary()) if resources is not None else Dictionary()
        for name in list(fonts.keys()):
            cmap = fonts[name].get("/ToUnicode")
            if cmap is None or cmap.objgen in seen:
                continue
            seen.add(cmap.objgen)
            data = cmap.read_bytes()
            soft, count = HARD_HYPHEN.subn(rb"\1<00AD>", data)
            if count:
                cmap.write(soft)
                changed += 1
    return changed


def _index_ids(tree: pikepdf.Object) -> None:
    """The IDTree every element with an /ID is found through (ISO 32000-1 14.7.2: required once
    any element has an ID; a footnote's Note has one)."""
    found: dict[bytes, pikepdf.Object] = {}
    stack = list(_kids(tree))
    while stack:
        element = stack.pop()
        if not isinstance(element, Dictionary) or element.get("/Type") in (Name.MCR, Name.OBJR):
            continue
        if "/ID" in element:
            found.setdefault(bytes(element.ID), element)
        stack.extend(_kids(element))
    if found:
        names = [item for key in sorted(found) for item in (String(key), found[key])]
        tree.IDTree = Dictionary(Names=Array(names))


def _walk(tree: pikepdf.Object) -> tuple[set, list]:
    """The structure elements reachable from the root, and the links inside other links."""
    reachable: set = set()
    nested: list = []
    stack = [(kid, False) for kid in _kids(tree)]
    while stack:
        element, in_link = stack.pop()
        if not isinstance(element, Dictionary) or element.get("/Type") in (Name.MCR, Name.OBJR):
            continue
        if element.objgen in reachable:
            continue
        reachable.add(element.objgen)
        kind = element.get("/S")
        if kind in (Name.TD, Name.TH):
            _scope_only(element)
        is_link = kind == Name.Link
        if in_link:  # a span or link inside a link may carry an annotation of its own
            nested.append(element)
        stack.extend((kid, in_link or is_link) for kid in _kids(element))
    return reachable, nested


def _drop_empty(tree: pikepdf.Object, reachable: set) -> None:
    """Elements with nothing in them (an empty table cell of a layout table, a span WeasyPrint
    made for an empty inline) go: a reader would announce them with nothing to say."""
    pending = [tree]
    while pending:
        element = pending.pop()
        kids = _kids(element)
        kept = []
        for kid in kids:
            if isinstance(kid, Dictionary) and "/S" in kid:  # a structure element, not a content item
                if not _kids(kid) and "/Alt" not in kid and "/ActualText" not in kid:
                    reachable.discard(kid.objgen)
                    continue
                pending.append(kid)
            kept.append(kid)
        if len(kept) < len(kids):
            element.K = Array(kept)


def _scope_only(cell: Dictionary) -> None:
    """Header cells carry /Scope (accessibility.tagging() sets it); WeasyPrint's /Headers and /ID
    name the header row of each page's piece of a table, which is tagged only once, so they go."""
    attributes = cell.get("/A")
    if isinstance(attributes, Dictionary) and "/Headers" in attributes:
        del attributes["/Headers"]
    if "/ID" in cell:
        del cell["/ID"]


def _kids(element: pikepdf.Object) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _number_tree(tree: pikepdf.Object) -> dict:
    """A number tree as a dictionary (WeasyPrint writes it flat; /Kids are read too)."""
    result = {}
    nums = tree.get("/Nums")
    if nums is not None:
        for i in range(0, len(nums), 2):
            result[int(nums[i])] = nums[i + 1]
    for kid in tree.get("/Kids", []):
        result.update(_number_tree(kid))
    return result


def _in_furniture(annotation: pikepdf.Object, parents: dict, reachable: set) -> bool:
    """The annotation belongs to a structure element outside the tree (WeasyPrint gives every
    box inside a link its own annotation, an unlinked leader's too): it goes with its parent-tree
    entry, since an annotation of an artifact has no place in a tagged PDF; the link's own
    annotation covers the line."""
    found = annotation.get("/StructParent")
    if found is None:
        return False
    key = int(found)
    element = parents.get(key)
    if isinstance(element, Dictionary) and element.objgen not in reachable and "/S" in element:
        parents.pop(key, None)
        return True
    return False


def _unnest_links(nested: list, parents: dict, repairs: Repairs) -> set:
    """A link inside a link (WeasyPrint makes one for every box inside an <a>, pseudo-elements
    included) becomes a /Span of its parent link, and its annotation goes: the parent's covers it."""
    removed = set()
    for element in nested:
        kept = []
        for kid in _kids(element):
            if isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR:
                annotation = kid.Obj
                removed.add(annotation.objgen)
                parents.pop(int(annotation.get("/StructParent", -1)), None)
                repairs.nested_links += 1
            else:
                kept.append(kid)
        if len(kept) < len(_kids(element)):
            element.K = Array(kept)
        if element.get("/S") == Name.Link:
            element.S = Name.Span
    return removed


def _forget_content(mapping: Array, empty: set[int], repairs: Repairs) -> None:
    """The MCIDs of sequences that painted nothing leave their elements and the parent tree."""
    for mcid in empty:
        element = mapping[mcid]
        if isinstance(element, Dictionary):
            kids = _kids(element)
            kept = [kid for kid in kids if not (isinstance(kid, int) and int(kid) == mcid)]
            element.K = Array(kept)
        mapping[mcid] = pikepdf.Object.parse(b"null")
        repairs.empty_content += 1


def _rewrite_content(pdf: pikepdf.Pdf, page: pikepdf.Page, furniture: set[int], repairs: Repairs) -> set[int]:
    """The page's content with furniture and untagged painting marked as artifacts. A sequence of
    content that paints nothing (WeasyPrint marks a text box that is only a space, and draws
    nothing) loses its marking, so that a reader meets no empty piece; returns those MCIDs."""
    out: list = []
    stack: list[str] = []  # per open marked-content sequence: keep, artifact or drop
    opened: list = []  # per open sequence: [index of its BDC in out, its MCID, painted]
    empty: set[int] = set()
    path_start = text_start = None
    text_shown = False

    def wrap(start: int) -> None:
        out.insert(start, ContentStreamInstruction([Name.Artifact], Operator("BMC")))
        out.append(ContentStreamInstruction([], Operator("EMC")))
        repairs.untagged += 1

    for instruction in pikepdf.parse_content_stream(page):
        op = str(instruction.operator)
        if op in ("BDC", "BMC"):
            tag = instruction.operands[0]
            properties = instruction.operands[1] if op == "BDC" else None
            mcid = properties.get("/MCID") if isinstance(properties, Dictionary) else None
            if mcid is not None and int(mcid) in furniture:
                opened.append([len(out), None, False])
                if "artifact" in stack:  # already inside an artifact: the marking just goes
                    stack.append("drop")
                    continue
                stack.append("artifact")
                repairs.artifacts += 1
                out.append(ContentStreamInstruction([Name.Artifact], Operator("BMC")))
                continue
            stack.append("artifact" if tag == Name.Artifact else "keep")
            opened.append([len(out), None if mcid is None or tag == Name.Artifact else int(mcid), False])
            path_start = text_start = None
            out.append(instruction)
            continue
        if op == "EMC":
            start, mcid, painted = opened.pop() if opened else (0, None, True)
            if stack and stack.pop() == "drop":
                continue
            if mcid is not None and not painted and _last_marking(out, start):
                del out[start]  # the marking goes; what it held (no painting) stays
                empty.add(mcid)
                continue
            out.append(instruction)
            continue
        if op in PATH_PAINT or op in TEXT_SHOW or op in PAINT_ONE:
            for sequence in opened:
                sequence[2] = True
        out.append(instruction)
        if stack:
            continue
        # Outside any marked content: whatever paints must become an artifact.
        if op in PATH_START and path_start is None:
            path_start = len(out) - 1
        elif op in PATH_PAINT:
            wrap(len(out) - 1 if path_start is None else path_start)
            path_start = None
        elif op == "n":
            path_start = None
        elif op == "BT":
            text_start, text_shown = len(out) - 1, False
        elif op in TEXT_SHOW:
            text_shown = True
        elif op == "ET":
            if text_start is not None and text_shown:
                wrap(text_start)
            text_start = None
        elif op in PAINT_ONE and text_start is None:
            wrap(len(out) - 1)
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))
    return empty


def _last_marking(out: list, start: int) -> bool:
    """The marking at `start` holds no other marked-content operator (nothing nested to keep)."""
    return not any(str(i.operator) in ("BDC", "BMC", "EMC") for i in out[start + 1 :])
