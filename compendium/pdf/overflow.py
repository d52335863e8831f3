"""Finds boxes that run past their column or page after layout: a long word, address or label that cannot break."""

from __future__ import annotations

from weasyprint.formatting_structure import boxes

TOLERANCE = 0.75  # CSS px (0.2 mm): less is rounding, not overflow
MM_PER_PX = 25.4 / 96


def overflow_warnings(document) -> list[str]:
    """One warning for each place (the nearest element with an id: a provision, a decision paragraph …) and page
    where text runs past the edge of its column or of the page's content area. Page furniture (margin boxes,
    positioned tabs, running headers) sits outside the content area by design and is not examined."""
    found: dict[tuple[int, str], tuple[float, str]] = {}
    for number, page in enumerate(document.pages, 1):
        page_box = page._page_box
        page_left = page_box.content_box_x()
        page_right = page_left + page_box.width
        stack = [(child, "the page", page_right) for child in reversed(page_box.children)]
        while stack:
            box, place, column_right = stack.pop()
            if isinstance(box, boxes.MarginBox) or box.is_absolutely_positioned() or box.is_running():
                continue
            element_id = box.element.get("id") if box.element is not None and box.element_tag else None
            if element_id and not box.is_for_root_element:
                place = element_id
            elif isinstance(box, boxes.FootnoteAreaBox):
                place = "footnote"
            if isinstance(box, boxes.TextBox):
                right = box.position_x + box.margin_width()
                limit = min(column_right, page_right)
                if right > limit + TOLERANCE or box.position_x < page_left - TOLERANCE:
                    over = max(right - limit, page_left - box.position_x)
                    key = (number, place)
                    if over > found.get(key, (0.0, ""))[0]:
                        found[key] = (over, box.text)
                continue
            if isinstance(box, boxes.BlockContainerBox) and not isinstance(box, boxes.LineBox):
                column_right = box.content_box_x() + box.width
            for child in reversed(getattr(box, "children", ())):
                stack.append((child, place, column_right))
    return [
        f"page {page}, {_named(place)}: text runs {over * MM_PER_PX:.0f} mm past the edge of its column "
        f"('{_excerpt(text)}'); allow it to break (a shorter word, a hyphen, a break in the address)"
        for (page, place), (over, text) in sorted(found.items())
    ]


def _named(place: str) -> str:
    """An anchor in the compendium's words: provision-07 as 'provision 07', mc-dec-6-17-para-3 as a paragraph."""
    if place.startswith("provision-"):
        return f"provision {place.removeprefix('provision-')}"
    if place.startswith("mc-dec-") and "-para-" in place:
        decision, paragraph = place.removeprefix("mc-dec-").split("-para-")
        return f"decision {decision.replace('-', '/', 1)}, paragraph {paragraph}"
    if place.startswith("mc-dec-"):
        return f"decision {place.removeprefix('mc-dec-').replace('-', '/', 1)}"
    if place == "footnote":
        return "a footnote"
    return place if place == "the page" else f"'{place}'"


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "…"
