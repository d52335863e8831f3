"""Whether two builds of the same PDFs read alike: text per page, page count, outline and link targets.

    python3 bench/same_output.py BEFORE_DIR AFTER_DIR [NAME.pdf ...]

A speed-up of the layout must change none of them (issue 22); exits 1 and names the first
difference otherwise.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pikepdf


def pages_text(pdf: Path) -> list[str]:
    """Each page's text as pdftotext lays it out."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def outline(pdf: pikepdf.Pdf) -> list[tuple[int, str, int | None]]:
    """(depth, title, page index) of each outline entry, in order."""
    pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
    entries: list[tuple[int, str, int | None]] = []

    def walk(items, depth: int) -> None:
        for item in items:
            target = item.destination
            page = None
            if isinstance(target, pikepdf.Array) and len(target):
                page = pages.get(target[0].objgen)
            entries.append((depth, item.title, page))
            walk(item.children, depth + 1)

    with pdf.open_outline() as tree:
        walk(tree.root, 0)
    return entries


def _destinations(pdf: pikepdf.Pdf, pages: dict) -> dict[str, int | None]:
    """The page index each named destination goes to."""
    names = pdf.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return {}
    return {
        str(name): pages.get(target[0].objgen) if isinstance(target, pikepdf.Array) else None
        for name, target in pikepdf.NameTree(names.Dests).items()
    }


def links(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    """(page index, target: a URI, or a named destination and its page, or a page) of each link, in order."""
    pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
    named = _destinations(pdf, pages)
    found: list[tuple[int, str]] = []
    for n, page in enumerate(pdf.pages):
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A")
            if action is not None and "/URI" in action:
                found.append((n, str(action.URI)))
                continue
            target = annotation.get("/Dest") or (action.get("/D") if action is not None else None)
            if isinstance(target, pikepdf.Array) and len(target):
                found.append((n, f"page {pages.get(target[0].objgen)}"))
            else:
                found.append((n, f"{target} (page {named.get(str(target))})"))
    return found


def difference(before: Path, after: Path) -> str | None:
    """The first way the two PDFs differ, or None."""
    old, new = pages_text(before), pages_text(after)
    if len(old) != len(new):
        return f"{after.name}: {len(new) - 1} pages, expected {len(old) - 1}"
    for n, (a, b) in enumerate(zip(old, new, strict=True), 1):
        if a != b:
            return f"{after.name}: page {n}'s text differs"
    with pikepdf.open(before) as a, pikepdf.open(after) as b:
        if outline(a) != outline(b):
            return f"{after.name}: outline differs"
        if links(a) != links(b):
            return f"{after.name}: links differ"
    return None


def main(arguments: list[str]) -> int:
    before, after, *names = arguments
    names = names or sorted(p.name for p in Path(before).glob("*.pdf"))
    failed = False
    for name in names:
        found = difference(Path(before) / name, Path(after) / name)
        print(found or f"{name}: same")
        failed = failed or found is not None
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
