"""Finds boxes that run past their column or page after layout: a long word, address or label that cannot break."""

from __future__ import annotations

from . import engine

TOLERANCE = 0.75  # CSS px (0.2 mm): less is rounding, not overflow
MM_PER_PX = 25.4 / 96


def overflow_warnings(document, names: dict[str, str] | None = None) -> list[str]:
    """One warning for each place (the nearest element with an id: a provision, a decision paragraph …) and page
    where text runs past the edge of its column or of the page's content area, the place called by its name
    in `names` (derive.place_names) or else by its id. Page furniture (margin boxes, positioned tabs, running
    headers) sits outside the content area by design and is not examined."""
    names = names or {}
    found: dict[tuple[int, str], tuple[float, str]] = {}
    for number, page in enumerate(engine.pages(document), 1):
        page_left, page_right = engine.content_left_right(page)
        stack = [(child, "the page", page_right) for child in reversed(engine.children(page))]
        while stack:
            box, place, column_right = stack.pop()
            if engine.is_furniture(box):
                continue
            element = engine.element(box)
            element_id = element.get("id") if engine.names_element(box) else None
            if element_id and not engine.is_root(box):
                place = element_id
            elif engine.is_footnote_area(box):
                place = "footnote"
            if engine.is_text(box):
                left, right = engine.extent(box)
                limit = min(column_right, page_right)
                if right > limit + TOLERANCE or left < page_left - TOLERANCE:
                    over = max(right - limit, page_left - left)
                    key = (number, place)
                    if over > found.get(key, (0.0, ""))[0]:
                        found[key] = (over, engine.text(box))
                continue
            inner = engine.column_right(box)
            column_right = column_right if inner is None else inner
            for child in reversed(engine.children(box)):
                stack.append((child, place, column_right))
    return [
        f"page {page}, {_named(place, names)}: text runs {over * MM_PER_PX:.0f} mm past the edge of its column "
        f"('{_excerpt(text)}'); allow it to break (a shorter word, a hyphen, a break in the address)"
        for (page, place), (over, text) in sorted(found.items())
    ]


def _named(place: str, names: dict[str, str]) -> str:
    """A place in the compendium's words ('provision 07', 'decision 6/17, paragraph 3'), else its id quoted."""
    if place in names:
        return names[place]
    if place == "footnote":
        return "a footnote"
    return place if place == "the page" else f"'{place}'"


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "…"
