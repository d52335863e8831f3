"""The model's own helpers: one traversal of the structure for whoever rewrites it."""

from __future__ import annotations

from dataclasses import replace

from compendium.model import Compendium


def test_with_provisions_changes_every_placed_provision_and_retitles_in_reading_order(compendium: Compendium):
    seen: list[tuple[str, str, str]] = []

    def retitle(level: str, id: str, title: str, field: str) -> str:
        seen.append((level, id, field))
        return title.upper()

    changed = compendium.with_provisions(lambda p: replace(p, number=p.number + 1000), retitle)
    assert [p.number for p in changed.provisions] == [p.number + 1000 for p in compendium.provisions]
    expected = []
    for section in compendium.sections:
        expected.append(("section", section.id, "title"))
        if section.short_title is not None:  # read after its title, as a translator reads them
            expected.append(("section", section.id, "short_title"))
        for part in section.parts:
            expected.append(("part", part.id, "title"))
            expected += [("topic", topic.id, "title") for topic in part.topics]
    assert seen == expected and ("section", "prosecution", "short_title") in seen
    assert [s.title for s in changed.sections] == [s.title.upper() for s in compendium.sections]
    assert [s.short_title for s in changed.sections] == [
        s.short_title and s.short_title.upper() for s in compendium.sections
    ]
    assert changed.decisions == compendium.decisions and changed.metadata == compendium.metadata


def _metadata(title: str, subtitle: str = "A subtitle"):
    from compendium.model import Metadata

    return Metadata(title, subtitle, "Publisher", "P", "Organization", 2024, "en", "First edition", (), ())


def test_a_title_marks_its_display_lines_and_reads_as_one_text():
    from compendium.model import with_display_lines

    meta = with_display_lines(_metadata(title="Compendium of | Decisions 1/24 and 2/24", subtitle="One line"))
    assert meta.title == "Compendium of Decisions 1/24 and 2/24"
    assert meta.title_lines == ("Compendium of", "Decisions 1/24 and 2/24")
    assert meta.subtitle_lines == ("One line",) and meta.subtitle == "One line"
    assert with_display_lines(meta) == meta  # nothing left to split
    assert with_display_lines(_metadata(title="A|B")).title_lines == ("A|B",)  # a bar without spaces is text
