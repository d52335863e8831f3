"""Whether the HTML prints the provisions: a project's own layout that leaves them all out."""

from __future__ import annotations

import bisect
import re
from html import unescape

from ..model import Compendium
from ..source.assets import BUILDER
from ..source.project import Project

TAG = re.compile(r"<[^>]*>")
# The first words of a provision: enough to tell it is printed, few enough that a footnote mark
# or an item further on does not hide it.
WORDS = 6


def words(text: str) -> str:
    """A text's words, lower case, one space between: the typographic rules' no-break spaces,
    soft hyphens and joiners, and the tags around words, left out."""
    return " ".join(re.findall(r"\w+", re.sub("[\u00ad\u200b\u2060]", "", text).casefold()))


def printed(html: str, compendium: Compendium) -> list[bool]:
    """For each provision, whether its first words are printed on its own page: after its anchor
    (id="…") and before the next provision's (the annex prints the same words as a decision's)."""
    starts = {p.anchor: html.find(f'id="{p.anchor}"') for p in compendium.provisions}
    found = sorted(start for start in starts.values() if start >= 0)
    result = []
    for provision in compendium.provisions:
        start = starts[provision.anchor]
        if start < 0:
            result.append(False)
            continue
        following = bisect.bisect_right(found, start)
        end = found[following] if following < len(found) else html.find("</article>", start)
        page = words(unescape(TAG.sub("", html[start : end if end > 0 else len(html)])))
        first = " ".join(words(provision.paragraph.text).split()[:WORDS])
        result.append(f" {first} " in f" {page} ")
    return result


def provisions_unprinted(html: str, compendium: Compendium, project: Project) -> str | None:
    """One line ("layouts/_provision.html:1: …") when the HTML prints none of the compendium's
    provisions though it has some, naming the project's layouts that replace the builder's:
    a block or an include left out of one printed a blank PDF without a word."""
    if not compendium.provisions or not project.has_own_templates:
        return None
    if any(printed(html, compendium)):
        return None
    own = project.root / "layouts"
    layouts = sorted(path.name for path in own.glob("*.html")) if own.is_dir() else []
    replacing = [name for name in layouts if (BUILDER / "layouts" / name).is_file()] or layouts
    if not replacing:
        return None  # the builder's layouts: its tests show them printing every provision
    named = ", ".join(f"layouts/{name}" for name in replacing)
    return (
        f"layouts/{replacing[0]}:1: the layouts print none of the {len(compendium.provisions)} provisions "
        f"(the project's own layouts replacing the builder's: {named}): compare them with the builder's "
        "(a block or an include left out?)"
    )
