"""An edition laid out in parts (`build --parts`): each part that starts on a new page (the front
matter, each section, the annex, the directory) laid out by WeasyPrint in a process of its own.

A part's process lays it out and sends back what the others need (its page count, its anchors and
the pages they begin on, its bookmarks); it keeps the laid-out document. Once every part's pages are
known, the main process tells each part where it starts: a part that began on the wrong side (a
right-hand page where the edition has it on a left-hand one) is laid out again on the other side;
then each writes the edition's page numbers (in its margins, from a counter laid out as three
digits, and into its page references) and its PDF, tagged. pipeline.py joins the PDFs (join.py)
before finishing, so that finishing sees one document.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import signal
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

# A part's pages are counted from PAGE_BASE (its first page) while it is laid out: three digits, as wide as the
# edition's page numbers may be (the shipped fonts' digits all have one width), written over once
# the part's first page in the edition is known.
PAGE_BASE = 100
PAGE_COUNTER = f"@page :first {{ counter-reset: page {PAGE_BASE}; }}"
LEFT_FIRST = "html { break-before: left; }"
# The top-level elements of the body that start a part: a section, the annex, the directory. What
# comes before the first (cover, imprint, contents, introduction, keyword table) is the front matter.
STARTS_PART = re.compile(r"\b(section|annex)\b")
OPENS_SECTION = re.compile(r"<[^<>]*\bopens-section\b[^<>]*>")
RUNNING = "side-tab"  # the class of the running elements placed once (layouts/_side_tab.html)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _TopLevel(HTMLParser):
    """The offsets in the HTML of the body's top-level elements that start a part."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lines = [0]
        for line in html.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.depth = 0
        self.body: tuple[int, int] | None = None  # where the body's content starts and ends
        self.starts: list[int] = []
        self.opened: list[int] = []  # the end of each top-level part's start tag
        self.running: list[tuple[int, int]] = []  # where each running element (a side tab) is
        self._running_at: tuple[int, int] | None = None  # (its depth, its start) while inside one

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.body = (self._offset() + len(self.get_starttag_text() or ""), 0)
            return
        if self.body is None or self.body[1] or tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        if self.depth == 0 and STARTS_PART.search(" ".join(classes)):
            self.starts.append(self._offset())
            self.opened.append(self._offset() + len(self.get_starttag_text() or ""))
        if RUNNING in classes and self._running_at is None:
            self._running_at = (self.depth, self._offset())
        self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "body" and self.body is not None:
            self.body = (self.body[0], self._offset())
        elif self.body is not None and not self.body[1] and tag not in VOID:
            self.depth -= 1
            if self._running_at is not None and self._running_at[0] == self.depth:
                self.running.append((self._running_at[1], self._offset() + len(f"</{tag}>")))
                self._running_at = None


def split(html: str, groups: int = 0) -> list[str]:
    """The HTML of each part, in order: the document's head and body element around the part's
    top-level elements; with `groups`, of at most that many runs of consecutive parts of about
    equal length, each laid out as one document (a process of its own for each part costs a
    stylesheet cascade and a font set-up each, and a part on the wrong side a layout again, which
    only pays with the cores to lay them out at once). One part (the whole HTML) when the body
    cannot be found."""
    parser = _TopLevel(html)
    parser.feed(html)
    parser.close()
    if parser.body is None or not parser.body[1]:
        return [html]
    start, end = parser.body
    cuts = _grouped([start, *parser.starts, end], groups)
    head, tail = html[:start], html[end:]
    pieces = [html[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]
    # The side tabs, placed once in the first section, are placed in each later run's first
    # section too, where the first section has them (first thing in the section's opening page,
    # else in the section): the running element has to be in the document that shows it.
    tabs = "".join(html[a:b] for a, b in parser.running)
    first = next(
        (i for i, (a, b) in enumerate(zip(cuts, cuts[1:], strict=False)) if _holds(parser.running, a, b)), None
    )
    for i in range(len(pieces)):
        if not tabs or first is None or i <= first:
            continue
        section = next(
            (
                o
                for s, o in zip(parser.starts, parser.opened, strict=True)
                if cuts[i] <= s < cuts[i + 1] and _is_section(html[s:o])
            ),
            None,
        )
        if section is None:
            continue
        opening = OPENS_SECTION.search(html, section, cuts[i + 1])
        at = (opening.end() if opening is not None else section) - cuts[i]
        pieces[i] = pieces[i][:at] + tabs + pieces[i][at:]
    return [head + piece + tail for piece in pieces if piece.strip()]


def _is_section(start_tag: str) -> bool:
    classes = re.search(r'\bclass="([^"]*)"', start_tag)
    return classes is not None and "section" in classes.group(1).split()


def _grouped(cuts: list[int], groups: int) -> list[int]:
    """The cuts between parts, fewer: at most `groups` runs of about equal length."""
    if not groups or groups >= len(cuts) - 1:
        return cuts
    total = cuts[-1] - cuts[0]
    kept = [cuts[0]]
    for cut, following in zip(cuts[1:-1], cuts[2:], strict=False):
        target = cuts[0] + total * len(kept) / groups  # where the current run should end
        if len(kept) < groups and abs(cut - target) <= abs(following - target):
            kept.append(cut)
    return [*kept, cuts[-1]]


def _holds(running: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start <= a < end for a, _ in running)


@dataclass
class Laid:
    """A part laid out: its pages, anchors (→ its own 1-based page), bookmarks, links, side."""

    pages: int
    anchors: dict[str, int]
    bookmarks: list
    links: list[tuple[str, str]]
    right: bool  # its first page is a right-hand one
    problems: list[str] = field(default_factory=list)
    printed: set[str] = field(default_factory=set)  # the anchors of the provisions its pages print
    unseen: list[tuple[str, str]] = field(default_factory=list)  # (class, text) of other content they do not show


@dataclass
class Written:
    """A part's PDF and what writing it found."""

    path: Path
    font_uses: list
    overflow: list[str]
    logged: list[str]
    problems: list[str] = field(default_factory=list)


def _lay_out(html: str, project, fetcher, right: bool, wanted=None, names=None):
    """The part laid out on this side; the first time (`wanted` given), what its pages leave out."""
    from ..source.written import where_written
    from . import engine, paging
    from .continued import mark_continued
    from .overdrawn import overdrawn, overdrawn_problems
    from .overflow import cut_off, overflows
    from .printed import cover_problems, explained, printed

    stylesheets = [engine.stylesheet(PAGE_COUNTER)]
    if not right:
        stylesheets.append(engine.stylesheet(LEFT_FIRST))
    document = paging.lay_out(
        html, base_url=str(project.root) + "/", url_fetcher=fetcher, pdf_tags=True, stylesheets=stylesheets
    )
    mark_continued(document)
    laid = Laid(
        pages=len(engine.pages(document)),
        anchors=engine.anchors(document),
        bookmarks=engine.bookmarks(document),
        links=engine.links(document),
        right=right,
    )
    if wanted is not None:  # the cover is in the first part only; the provisions are counted over all
        cut = cut_off(document, lambda text: where_written(text, project))
        covered = cover_problems(document, wanted.cover)  # a cover text too long: said once, at its line
        running = frozenset(o.text for o in overflows(document))  # the overflow check's to tell
        laid.problems = covered or overdrawn_problems(overdrawn(document, False, running), project)
        laid.problems += [o.line(names or {}) for o in cut]
        laid.printed, laid.unseen = explained(cut, *printed(document, wanted), wanted)
    return document, laid


def number_pages(document, offset: int) -> None:
    """Writes the edition's page numbers over the part's counter (PAGE_BASE + its own page number)
    in the margins: a shorter number keeps the end of a right-hand box, the middle of a centred one."""
    from . import engine

    for index, page in enumerate(engine.pages(document), 1):
        laid_out, number = str(PAGE_BASE - 1 + index), str(offset + index)
        for keyword, box in engine.margin_texts(page):
            if engine.text(box) != laid_out:
                continue
            narrower = engine.width(box) * (len(laid_out) - len(number)) / len(laid_out)
            if keyword.endswith("center"):
                engine.narrow(box, narrower / 2, keep_end=True)
                engine.narrow(box, narrower / 2)
            else:
                engine.narrow(box, narrower, keep_end=keyword.endswith("right"))
            engine.set_text(box, number)


def work(connection, html: str, project, names, wanted, target: Path, gate, held: set, parent: int) -> None:
    """A part's process: lays the part out, answers with Laid; then, told ("side", right) lays it
    out again on that side; told ("write", offset, pages), writes its PDF to `target`, answers Written."""
    from ..source.written import where_written
    from . import engine, paging
    from .accessibility import tagging
    from .fetcher import AssetFetcher
    from .output import end_with_parent
    from .overflow import overflow_warnings
    from .problems import engine_failure, link_problems, refused_problems, weasyprint_warnings

    end_with_parent(parent)  # Ctrl-C and SIGTERM reach the whole process group: the build answers them
    signal.pthread_sigmask(signal.SIG_SETMASK, held)  # held back while forking (Parts.__enter__)
    fetcher = AssetFetcher(project.assets, project.root)
    try:
        with weasyprint_warnings() as logged:
            with gate:
                document, laid = _lay_out(html, project, fetcher, True, wanted, names)
            laid.problems += link_problems(laid.links, project) + refused_problems(fetcher, project)
            connection.send(laid)
            while True:
                command = connection.recv()
                if command[0] == "side":
                    with gate:
                        document, laid = _lay_out(html, project, fetcher, right=command[1])
                    connection.send(laid)
                    continue
                _, offset, pages = command
                break
            with gate:
                paging.write_references(document, pages)
                number_pages(document, offset)
                engine.add_anchors(document, [name for name in pages if name not in laid.anchors])
                with tagging(document, pages):
                    document.write_pdf(target, pdf_tags=True)
                written = Written(
                    target,
                    engine.fonts(document),
                    overflow_warnings(document, names, lambda text: where_written(text, project)),
                    [],
                    refused_problems(fetcher, project),
                )
        written.logged = list(logged)
        connection.send(written)
    except paging.PlaceholderError as error:
        _tell(connection, [str(error)])
    except engine.FatalURLFetchingError as error:
        _tell(connection, refused_problems(fetcher, project, [str(error)]))
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        pass  # the build ended (an error in another part, Ctrl-C): nothing to tell
    except (Exception, RecursionError) as error:  # noqa: BLE001 - WeasyPrint fails on some stylesheets
        _tell(connection, [engine_failure(error, project)])
    finally:
        connection.close()
        from .output import remove_temporary_folders

        remove_temporary_folders()  # WeasyPrint's font folder: a process ends without running its finalizers


def _tell(connection, messages: list[str]) -> None:
    """A part's failure, to the main process if it still listens."""
    with contextlib.suppress(OSError):
        connection.send(("failed", messages))


class Parts:
    """The processes of an edition's parts, from the main process: started on entering, asked to
    lay out, to settle their sides and to write; ended on leaving, however the build ends."""

    def __init__(self, html: str, project, names: dict[str, str], folder: Path, workers: int, wanted) -> None:
        self.pieces = split(html, workers)
        self.project, self.names, self.folder, self.wanted = project, names, folder, wanted
        self.context = multiprocessing.get_context("fork")  # WeasyPrint imported: the part needs no import
        self.gate = self.context.Semaphore(max(1, workers))  # the parts laying out or writing at once
        self.connections: list = []
        self.processes: list = []
        self.laid: list[Laid] = []
        self.relaid = 0  # parts laid out again on the other side

    def __enter__(self) -> Parts:
        # Ctrl-C and SIGTERM held back while forking: a part signalled before it has set its own
        # handlers (work(): end_with_parent) would run the build's and print a traceback.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            for index, piece in enumerate(self.pieces):
                mine, theirs = self.context.Pipe()
                target = self.folder / f"part-{index:02d}.pdf"
                arguments = (theirs, piece, self.project, self.names, self.wanted, target, self.gate, held, os.getpid())
                # daemonic: ended, not waited for, if the build leaves without closing its pipes
                process = self.context.Process(target=work, args=arguments, daemon=True)
                process.start()
                theirs.close()
                self.connections.append(mine)
                self.processes.append(process)
            signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a Ctrl-C held back arrives here
        except BaseException:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            self.__exit__()  # the parts started so far end with it
            raise
        return self

    def __exit__(self, *exc) -> None:
        for connection in self.connections:
            connection.close()  # a part waiting for its next command ends
        for process in self.processes:
            process.join(5)
            if process.is_alive():
                process.terminate()
                process.join()

    def answer(self, index: int):
        try:
            got = self.connections[index].recv()
        except EOFError:
            raise PartsError([f"part {index + 1} of the edition: its process ended without an answer"]) from None
        if isinstance(got, tuple) and got[0] == "failed":
            raise PartsError(got[1])
        return got

    def lay_out(self) -> list[Laid]:
        self.laid = [self.answer(i) for i in range(len(self.pieces))]
        return self.laid

    def settle_sides(self) -> tuple[list[int], dict[str, int]]:
        """Each part's first page in the edition (0-based offsets) and every anchor's page, once
        every part starts on the side its place gives it: a part on the wrong side is laid out
        again on the other (its page count may change, moving the parts after it)."""
        while True:
            offsets, start = [], 0
            for part in self.laid:
                offsets.append(start)
                start += part.pages
            wrong = [i for i, part in enumerate(self.laid) if part.right != (offsets[i] % 2 == 0)]
            if not wrong:
                break
            for i in wrong:
                self.connections[i].send(("side", offsets[i] % 2 == 0))
            for i in wrong:
                self.laid[i] = self.answer(i)
            self.relaid += len(wrong)
        if len(str(start)) > len(str(PAGE_BASE)):
            raise PartsError([f"--parts: {start} pages, more than {len(str(PAGE_BASE))} digits: build without --parts"])
        pages: dict[str, int] = {}
        for offset, part in zip(offsets, self.laid, strict=True):
            for anchor, number in part.anchors.items():
                pages.setdefault(anchor, offset + number)
        return offsets, pages

    def write(self, offsets: list[int], pages: dict[str, int]) -> list[Written]:
        for connection, offset in zip(self.connections, offsets, strict=True):
            connection.send(("write", offset, pages))
        return [self.answer(i) for i in range(len(self.pieces))]


class PartsError(Exception):
    """A part that could not be laid out or written: its messages, each a line."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages
