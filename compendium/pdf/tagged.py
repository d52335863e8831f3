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

from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, ContentStreamInstruction, Dictionary, Name, Operator

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
    orphans: set = field(default_factory=set)  # structure elements no longer referenced


def repair(pdf: pikepdf.Pdf) -> Repairs:
    """Repairs the document in place."""
    repairs = Repairs()
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None:
        return repairs
    reachable, nested, kids = _walk(tree)
    parents = _number_tree(tree.ParentTree)
    removed_annotations = _unnest_links(nested, parents, repairs, kids)
    _drop_empty(tree, reachable, kids)
    for index, page in enumerate(pdf.pages):
        mapping = parents.get(index)
        furniture = set()
        if isinstance(mapping, Array):
            for mcid, element in enumerate(mapping):
                if isinstance(element, Dictionary) and element.objgen not in reachable:
                    furniture.add(mcid)
                    mapping[mcid] = pikepdf.Object.parse(b"null")
        _rewrite_content(pdf, page, furniture, repairs)
        annotations = page.obj.get("/Annots")
        if annotations is not None:
            kept = [a for a in annotations if a.objgen not in removed_annotations]
            page.obj.Annots = Array(kept)
            for annotation in kept:
                annotation.F = 4  # printed, as on screen
            # Tab order follows the structure tree (PDF/UA requires /Tabs /S on pages with annotations).
            page.obj.Tabs = Name.S
    nums = Array([item for key in sorted(parents) for item in (key, parents[key])])
    tree.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    tree.ParentTreeNextKey = max(parents, default=-1) + 1
    return repairs


def _walk(tree: Dictionary) -> tuple[set, list, dict]:
    """The structure elements reachable from the root, the links inside other links, and each
    element's kids (by objgen, the root's under None): the tree is read from the file once, and
    the later passes use these lists instead of reading every element's /K again."""
    reachable: set = set()
    nested: list = []
    kids_of: dict = {None: _kids(tree)}
    stack = [(kid, False) for kid in kids_of[None]]
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
        kids = kids_of[element.objgen] = _kids(element)
        stack.extend((kid, in_link or is_link) for kid in kids)
    return reachable, nested, kids_of


def _drop_empty(tree: Dictionary, reachable: set, kids_of: dict) -> None:
    """Elements with nothing in them (an empty table cell of a layout table, a span WeasyPrint
    made for an empty inline) go: a reader would announce them with nothing to say."""
    pending: list = [(tree, None)]
    while pending:
        element, key = pending.pop()
        kids = kids_of[key]
        kept = []
        for kid in kids:
            if isinstance(kid, Dictionary) and "/S" in kid:  # a structure element, not a content item
                objgen = kid.objgen
                if objgen not in kids_of:  # not reached from the root (the walk reads every reachable one)
                    kids_of[objgen] = _kids(kid)
                if not kids_of[objgen] and "/Alt" not in kid and "/ActualText" not in kid:
                    reachable.discard(objgen)
                    continue
                pending.append((kid, objgen))
            kept.append(kid)
        if len(kept) < len(kids):
            element.K = Array(kept)
            kids_of[key] = kept


def _scope_only(cell: Dictionary) -> None:
    """Header cells carry /Scope (accessibility.tagging() sets it); WeasyPrint's /Headers and /ID
    name the header row of each page's piece of a table, which is tagged only once, so they go."""
    attributes = cell.get("/A")
    if isinstance(attributes, Dictionary) and "/Headers" in attributes:
        del attributes["/Headers"]
    if "/ID" in cell:
        del cell["/ID"]


def _kids(element: Dictionary) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _number_tree(tree: Dictionary) -> dict:
    """A number tree as a dictionary (WeasyPrint writes it flat; /Kids are read too)."""
    result = {}
    nums = tree.get("/Nums")
    if nums is not None:
        for i in range(0, len(nums), 2):
            result[int(nums[i])] = nums[i + 1]
    for kid in tree.get("/Kids", []):
        result.update(_number_tree(kid))
    return result


def _unnest_links(nested: list, parents: dict, repairs: Repairs, kids_of: dict) -> set:
    """A link inside a link (WeasyPrint makes one for every box inside an <a>, pseudo-elements
    included) becomes a /Span of its parent link, and its annotation goes: the parent's covers it."""
    removed = set()
    for element in nested:
        kept = []
        kids = kids_of[element.objgen]
        for kid in kids:
            if isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR:
                annotation = kid.Obj
                removed.add(annotation.objgen)
                parents.pop(int(annotation.get("/StructParent", -1)), None)
                repairs.nested_links += 1
            else:
                kept.append(kid)
        if len(kept) < len(kids):
            element.K = Array(kept)
            kids_of[element.objgen] = kept
        if element.get("/S") == Name.Link:
            element.S = Name.Span
    return removed


def _rewrite_content(pdf: pikepdf.Pdf, page: pikepdf.Page, furniture: set[int], repairs: Repairs) -> None:
    """The page's content with furniture and untagged painting marked as artifacts."""
    out: list = []
    stack: list[str] = []  # per open marked-content sequence: keep, artifact or drop
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
                if "artifact" in stack:  # already inside an artifact: the marking just goes
                    stack.append("drop")
                    continue
                stack.append("artifact")
                repairs.artifacts += 1
                out.append(ContentStreamInstruction([Name.Artifact], Operator("BMC")))
                continue
            stack.append("artifact" if tag == Name.Artifact else "keep")
            path_start = text_start = None
            out.append(instruction)
            continue
        if op == "EMC":
            if stack and stack.pop() == "drop":
                continue
            out.append(instruction)
            continue
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
