"""The PDFs of an edition's parts (parts.py) joined into the one PDF WeasyPrint would have written
for the whole edition: its pages in order, one structure tree (the parts' Document elements' kids
under the first's, the parent tree renumbered), the named destinations of every part (each name
from the part whose anchor it is), the outline of the whole edition. Finishing runs on the join."""

from __future__ import annotations

import warnings
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String


def join(parts: list[Path], own: list[set[str]], outline: list, target: Path) -> int:
    """Writes the joined PDF to `target`; returns its page count. `own[i]`: the anchors part i
    has (the others it names only so that WeasyPrint kept the links to them); `outline`: the
    whole edition's bookmark tree (engine.bookmark_tree)."""
    pdf = pikepdf.open(parts[0])
    opened = [pdf]
    try:
        tree = pdf.Root.StructTreeRoot
        document = _document_element(tree)
        # each part's parent tree, and where its pages start in the join
        trees: list[tuple[pikepdf.Pdf | None, int, dict[int, pikepdf.Object]]] = [
            (None, 0, dict(_numbers(tree.ParentTree)))
        ]
        dests = _dests(pdf, own[0], copy=False)
        for path, names in zip(parts[1:], own[1:], strict=True):
            other = pikepdf.open(path)
            opened.append(other)
            first = len(pdf.pages)
            with warnings.catch_warnings():  # the named destinations are joined below
                warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                pdf.pages.extend(other.pages)
            other_tree = other.Root.StructTreeRoot
            for kid in _document_element(other_tree).K:
                copied = _copy(pdf, kid)
                if isinstance(copied, Dictionary) and "/P" in copied:
                    copied.P = document
                document.K.append(copied)
            trees.append((other, first, dict(_numbers(other_tree.ParentTree))))
            for key in ("/RoleMap", "/ClassMap"):
                if key in other_tree:
                    merged = tree.get(key) or Dictionary()
                    for name, value in other_tree[key].items():
                        if name not in merged:
                            merged[name] = _copy(pdf, value)
                    tree[key] = merged
            dests += _dests(other, names, copy=True, into=pdf)
        tree.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(_renumbered(pdf, trees))))
        tree.ParentTreeNextKey = len(pdf.pages) + sum(
            1 for page in pdf.pages for a in page.obj.get("/Annots", []) if "/StructParent" in a
        )
        dests.sort(key=lambda pair: bytes(pair[0]))
        if dests:
            names_dictionary = pdf.Root.get("/Names") or Dictionary()
            names_dictionary.Dests = pdf.make_indirect(Dictionary(Names=Array([x for pair in dests for x in pair])))
            pdf.Root.Names = names_dictionary
        if "/Outlines" in pdf.Root:
            del pdf.Root["/Outlines"]
        if outline:
            _write_outline(pdf, outline)
        pages = len(pdf.pages)
        pdf.save(target)
    finally:
        for opened_pdf in opened:
            opened_pdf.close()
    return pages


def _copy(pdf: pikepdf.Pdf, value: pikepdf.Object) -> pikepdf.Object:
    """A value of another PDF for this one: an indirect object copied (once: qpdf remembers what it
    copied from each PDF, so the pages copied before are the ones referred to), a direct array or
    dictionary rebuilt around copies of what it holds."""
    if isinstance(value, (Array, Dictionary, pikepdf.Stream)) and value.is_indirect:
        return pdf.copy_foreign(value)
    if isinstance(value, Array):
        return Array([_copy(pdf, item) for item in value])
    if isinstance(value, Dictionary):
        return Dictionary({key: _copy(pdf, item) for key, item in value.items()})
    return value


def _renumbered(pdf: pikepdf.Pdf, trees: list) -> list:
    """The joined parent tree's Nums, numbered as WeasyPrint numbers a whole document's (and as
    tagged.repair reads it): each page's entry under its page index, then each annotation's, in
    page order."""
    entries: list = []
    annotation_key = len(pdf.pages)
    ends = [first for _, first, _ in trees[1:]] + [len(pdf.pages)]
    for (source, first, numbers), end in zip(trees, ends, strict=True):

        def value(key: int, source: pikepdf.Pdf | None = source, numbers: dict = numbers) -> pikepdf.Object:
            return numbers[key] if source is None else _copy(pdf, numbers[key])

        for index in range(first, end):
            page = pdf.pages[index].obj
            if "/StructParents" in page:
                old = int(page.StructParents)
                page.StructParents = index
                if old in numbers:
                    entries += [index, value(old)]
        for index in range(first, end):
            for annotation in pdf.pages[index].obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    old = int(annotation.StructParent)
                    annotation.StructParent = annotation_key
                    if old in numbers:
                        entries += [annotation_key, value(old)]
                    annotation_key += 1
    pages = [(entries[i], entries[i + 1]) for i in range(0, len(entries), 2)]
    return [item for pair in sorted(pages, key=lambda pair: pair[0]) for item in pair]


def _document_element(tree: pikepdf.Object) -> pikepdf.Object:
    """The structure tree root's one kid (WeasyPrint's /Document element)."""
    kids = tree.K
    return kids[0] if isinstance(kids, Array) else kids


def _numbers(node: pikepdf.Object) -> list[tuple[int, pikepdf.Object]]:
    """A number tree's (key, value) pairs, from its leaves in order."""
    found: list[tuple[int, pikepdf.Object]] = []
    if "/Nums" in node:
        nums = node.Nums
        found += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]
    for kid in node.get("/Kids", []):
        found += _numbers(kid)
    return found


def _dests(
    source: pikepdf.Pdf, names: set[str], *, copy: bool, into: pikepdf.Pdf | None = None
) -> list[tuple[String, pikepdf.Object]]:
    """The part's named destinations of its own anchors (flat name tree, as WeasyPrint writes it)."""
    tree = source.Root.get("/Names", Dictionary()).get("/Dests")
    if tree is None:
        return []
    found = []
    for key, value in _names(tree):
        if str(key) in names:
            found.append((String(str(key)), _copy(into, value) if copy and into is not None else value))
    return found


def _names(node: pikepdf.Object) -> list[tuple[pikepdf.Object, pikepdf.Object]]:
    found = []
    if "/Names" in node:
        entries = node.Names
        found += [(entries[i], entries[i + 1]) for i in range(0, len(entries), 2)]
    for kid in node.get("/Kids", []):
        found += _names(kid)
    return found


def _write_outline(pdf: pikepdf.Pdf, outline: list) -> None:
    """The outline as WeasyPrint writes it (pdf/anchors.py add_outlines): an open item's Count
    adds its open descendants to its parent's; a closed one's is negative."""
    pages = pdf.pages

    def items(bookmarks: list, parent: pikepdf.Object) -> tuple[list[pikepdf.Object], int]:
        count = len(bookmarks)
        made: list[pikepdf.Object] = []
        for title, (page, x, y), children, state in bookmarks:
            item = pdf.make_indirect(
                Dictionary(Title=String(title), Dest=Array([pages[page].obj, Name.XYZ, x, y, 0]), Parent=parent)
            )
            kids, kids_count = items(children, item)
            item.Count = -kids_count if state == "closed" else kids_count
            if state != "closed":
                count += kids_count
            if made:
                item.Prev = made[-1]
                made[-1].Next = item
            if kids:
                item.First, item.Last = kids[0], kids[-1]
            made.append(item)
        return made, count

    root = pdf.make_indirect(Dictionary(Type=Name.Outlines))
    top, count = items(outline, root)
    root.Count = count
    root.First, root.Last = top[0], top[-1]
    pdf.Root.Outlines = root
