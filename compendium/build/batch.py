"""Several editions built at once: those whose inputs are unchanged skipped, the rest in a pool
of processes, results gathered in the order the editions were asked for."""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..edition import Edition
from ..pdf.output import (
    Stopped,
    end_with_parent,
    output_problem,
    remove_stale_workspaces,
    temporary_folders_removed,
)
from ..source.edition_list import collision_message, collisions, identity
from ..source.filenames import name_too_long
from ..source.files import WriteError
from ..source.inputs import recording
from ..source.project import Project
from ..source.yamlsource import relative_name
from .cache import Manifest, Record, file_digest, inputs_digest, reusable
from .owner import not_ours
from .progress import Progress
from .report import Printer

if TYPE_CHECKING:  # the pipeline (and WeasyPrint) is imported where an edition is built
    from ..pipeline import Report


@dataclass
class Outcome:
    """What became of one edition: built, unchanged, or failed with its messages."""

    edition: Edition
    status: str = "built"  # "built", "unchanged" (inputs or content as before) or "failed"
    pages: int = 0
    sheet_sides: int = 0
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    coverage: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # why it failed
    inputs: str = ""
    content: str = ""
    layout: str = ""
    reads: list[str] = field(default_factory=list)  # what the build read (source/inputs.py)
    strict: bool = False  # built under --strict
    complete: bool = True  # nothing printed in the source language in place of a translation
    booklets: list[str] = field(default_factory=list)  # a booklet split in several: each file and what it holds
    files: list[str] = field(default_factory=list)  # the files it wrote beside its PDF (cover, shop's sheet, booklets)
    # an input changed while it was built, in one line: said, never recorded (the build is recorded
    # with the digest taken before it, so that the next one makes it again)
    stale: str = ""


# A job is editions built one after the other in one process: a booklet on A3 goes with the print
# edition of its language and paper, whose PDF it imposes; a booklet on its own pages is a job of its own.
Job = list[tuple[Edition, str]]


def plan(editions: list[Edition], project: Project, manifest: Manifest, force: bool, strict: bool):
    """The outcomes of editions that need no build, and the jobs for the rest."""
    unchanged: dict[Edition, Outcome] = {}
    groups: dict[tuple, Job] = {}
    for edition in editions:
        inputs = inputs_digest(project, edition, manifest.reads(edition.filename))
        entry = None if force or not inputs else manifest.current(edition.filename, inputs=inputs)
        if entry is not None and reusable(entry, strict) and complete(entry, edition):
            unchanged[edition] = _from_entry(edition, entry, inputs)
            continue
        key = (edition.lang, edition.paper, "print") if edition.goes_with_print else (edition,)
        groups.setdefault(key, []).append((edition, inputs))
    jobs = [sorted(job, key=lambda item: item[0].variant.is_imposed) for job in groups.values()]
    # The longest jobs first, so that the pool is not left waiting on one at the end.
    jobs.sort(key=lambda job: -sum(_weight(edition) for edition, _ in job))
    return unchanged, jobs


def complete(entry: Record, edition: Edition) -> bool:
    """Whether the record names every file the edition writes beside its PDF: one made before
    the records held them (attacker round 9, P23) cannot vouch for a cover or a shop's sheet."""
    return set(edition.written_beside) <= {line.partition(" ")[2] for line in entry.files}


def _weight(edition: Edition) -> int:
    return 1 if edition.variant.is_selection else 2


def _from_entry(edition: Edition, entry: Record, inputs: str) -> Outcome:
    return Outcome(
        edition,
        "unchanged",
        entry.pages,
        entry.sheet_sides,
        warnings=list(entry.warnings),
        coverage=list(entry.coverage),
        inputs=inputs,
        content=entry.content,
        layout=entry.layout,
        strict=entry.strict,
        complete=entry.complete,
    )


def run_job(
    job: Job,
    project: Project,
    strict: bool,
    known: tuple[dict[str, str], dict[str, str]],
    progress: Callable[[str, str], None],
) -> list[Outcome]:
    """Builds a job's editions in order; `known` names the PDFs in place, with the digests of the
    content and of the layout each was made from."""
    from ..pipeline import BuildError, build

    contents, layouts = dict(known[0]), dict(known[1])
    outcomes = []
    for edition, inputs in job:
        start = time.perf_counter()
        try:
            with recording() as reads, temporary_folders_removed():
                report = build(
                    edition,
                    project,
                    strict,
                    progress=partial(progress, edition.filename),
                    reuse=partial(_same_content, contents, edition.filename),
                    current=layouts,
                )
        except BuildError as error:
            outcomes.append(Outcome(edition, "failed", messages=error.messages, inputs=inputs))
            continue
        contents[edition.filename], layouts[edition.filename] = report.content, report.layout
        kept = reads.within(project.root, project.output).as_list()
        changed = reads.changed(project.root, project.output)
        outcomes.append(
            Outcome(
                edition,
                "unchanged" if report.reused else "built",
                report.pages,
                report.sheet_sides,
                time.perf_counter() - start,
                dict(report.stages),
                # An input saved while the build ran may not be in the PDF: the build is recorded
                # with the digest taken before it, so that the next build makes it again (round 13, M2).
                list(report.warnings),
                report.coverage.lines() if report.coverage else [],
                inputs=inputs if changed else inputs_digest(project, edition, kept),
                content=report.content,
                layout=report.layout,
                reads=kept,
                strict=strict,
                complete=report.coverage.complete if report.coverage else True,
                files=list(report.files),
                booklets=[
                    f"booklet {n} of {len(report.booklets)}: {b.path.name}, pages {b.first}–{b.last}, {b.sheets} sheets"
                    for n, b in enumerate(report.booklets, start=1)
                ]
                if len(report.booklets) > 1
                else [],
                stale=_changed_while_built(project, changed),
            )
        )
    return outcomes


def _changed_while_built(project: Project, changed: list[str]) -> str:
    """One line naming the inputs changed while the build ran (an editor's save), if any."""
    if not changed:
        return ""
    name = os.fsencode(relative_name(Path(changed[0]), project.root)).decode("utf-8", "backslashreplace")
    more = f" (and {len(changed) - 1} more)" if len(changed) > 1 else ""
    return f"warning: {name}{more} changed while the build ran: the PDF may not hold the change; build again to have it"


_events: multiprocessing.Queue | None = None  # a worker's line back to the main process


def _same_content(contents: dict[str, str], name: str, report: Report) -> bool:
    """Whether the PDF in place was made from the content this build would lay out."""
    return contents.get(name) == report.content


HELD = {signal.SIGINT, signal.SIGTERM}  # held back while the pool forks its workers


def _start_worker(events: multiprocessing.Queue, parent: int) -> None:
    """A worker reports through `events`, leaves Ctrl-C to the main process (which stops the pool),
    and ends when the main process dies, however it dies (kill -9 included)."""
    global _events
    _events = events
    end_with_parent(parent)  # Ctrl-C ignored, SIGTERM ends it quietly, from here on
    signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)  # forked with them held back


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Ends the pool's workers now (Ctrl-C, SIGTERM): shutdown() alone would wait for their jobs."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # shutdown() forgets them
    for process in processes:
        if process.is_alive():
            process.terminate()  # in a job: its workspace removes its work folder on the way out
    for process in processes:
        process.join(10)
        if process.is_alive():
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def _report(name: str, stage: str) -> None:
    assert _events is not None, "a worker reports through the queue _start_worker gave it"
    _events.put((name, stage))


def _pooled_job(job: Job, project: Project, strict: bool, known: tuple) -> list[Outcome]:
    try:
        return run_job(job, project, strict, known, _report)
    except Stopped as stopped:
        # Stopped by the main process (Ctrl-C, SIGTERM): its work folder and WeasyPrint's are
        # removed on the way here. The pool would keep the worker waiting for the next job (and
        # the main process would wait for it); it ends now.
        os._exit(128 + stopped.signum)


def run(
    jobs: list[Job],
    project: Project,
    strict: bool,
    known: tuple[dict[str, str], dict[str, str]],
    workers: int,
    progress: Callable[[str, str], None],
) -> Iterator[Outcome]:
    """Every job's outcomes as jobs finish: in this process when one worker will do, else in a
    pool of `workers` processes, whose stage reports come back through a queue. Under --parts the
    cores are shared: each of the editions built at once lays its parts out cores / workers at a time."""
    _share_cores(workers if len(jobs) > 1 else 1)
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield from run_job(job, project, strict, known, progress)
        return
    context = multiprocessing.get_context("fork")  # the parent has not imported WeasyPrint: cheap to fork
    events = context.Queue()
    pool = ProcessPoolExecutor(workers, context, initializer=_start_worker, initargs=(events, os.getpid()))
    try:
        # The workers are forked as jobs are submitted: Ctrl-C and SIGTERM are held back meanwhile
        # (delivered once they are forked), so that a worker never meets one before its start has
        # set up its own handling (it inherits the main process's, which raises Stopped).
        held = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
        try:
            submitted: dict[Future, Job] = {_submit(pool, job, project, strict, known): job for job in jobs}
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        pending, lost = set(submitted), False
        while pending:
            done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            _drain(events, progress)
            for future in done:
                outcomes = _answer(future, submitted[future])
                lost = lost or any(LOST in outcome.messages for outcome in outcomes)
                yield from outcomes
        _drain(events, progress)
    except BaseException:
        _stop_workers(pool)
        raise
    pool.shutdown()  # waits for the workers: a broken pool's are ended first
    if lost:
        # the dead workers' work folders, once none of them runs: swept while one of them still
        # held its lock, a folder was left behind (tests/test_attacks_round10a.py, one run in three)
        remove_stale_workspaces(project.output)


# A worker killed (the out-of-memory killer, a kill -9 or -TERM) breaks the pool: every job not
# yet answered ends with it, and none of their files was put in place by the worker that died.
LOST = (
    "build.py: a process of the build ended without an answer (killed: out of memory, or by a signal?); "
    "the editions not finished by then are stopped"
)


def _submit(pool: ProcessPoolExecutor, job: Job, *args) -> Future:
    try:
        return pool.submit(_pooled_job, job, *args)
    except BrokenProcessPool as broken:  # a worker died while the jobs were handed out
        future: Future = Future()
        future.set_exception(broken)
        return future


def _answer(future: Future, job: Job) -> list[Outcome]:
    """A job's outcomes, or each of its editions failed when its process (or another of the pool) died."""
    try:
        return future.result()
    except BrokenProcessPool:
        return [Outcome(edition, "failed", messages=[LOST], inputs=inputs) for edition, inputs in job]


def _share_cores(editions: int) -> None:
    from .. import pipeline

    if pipeline.PARTS:  # set before the pool forks: its workers inherit it
        pipeline.PARTS = max(1, pipeline.PARTS // editions)


def _drain(events: multiprocessing.Queue, progress: Callable[[str, str], None]) -> None:
    while True:
        try:
            name, stage = events.get_nowait()
        except queue.Empty:
            return
        progress(name, stage)


def record(manifest: Manifest, project: Project, outcome: Outcome) -> None:
    """Remembers a PDF made or confirmed, so that the next build can skip it."""
    if outcome.status == "failed":
        return
    name = outcome.edition.filename
    reads = outcome.reads
    previous = manifest.entries.get(name)
    kept_earlier = outcome.status == "unchanged" and previous is not None and not outcome.stale
    if kept_earlier and previous is not None and set(previous.reads) - set(reads):
        # The PDF in place was kept once its content was known, before layout: what its layout
        # read (stylesheets, fonts, images) comes from the build that made it.
        reads = sorted(set(reads) | set(previous.reads))
        outcome.inputs = inputs_digest(project, outcome.edition, reads)
    beside = outcome.files
    if outcome.status == "unchanged" and previous is not None:
        beside = [line.partition(" ")[2] for line in previous.files]  # kept with the PDF, as its build wrote them
    manifest.record(
        name,
        Record(
            inputs=outcome.inputs,
            content=outcome.content,
            layout=outcome.layout,
            pdf=file_digest(project.output / name),
            pages=outcome.pages,
            sheet_sides=outcome.sheet_sides,
            warnings=outcome.warnings,
            coverage=outcome.coverage,
            reads=reads,
            strict=outcome.strict,
            complete=outcome.complete,
            source=str(project.source.resolve()),
            files=[f"{file_digest(project.output / other)} {other}" for other in beside],
            edition=identity(outcome.edition),
        ),
    )


def made_elsewhere(editions: list[Edition], project: Project, manifest: Manifest) -> list[str]:
    """One line for each PDF in place that another project made into this output folder (its
    build record says so) and this build would replace: two compendia with one slug built into
    one --output replaced each other's PDFs without a word."""
    return [
        f"{project.output / edition.filename}: made from another project's source, {other}; this build "
        f"of {project.source} would replace it (two compendia with the slug '{edition.slug}'? give one "
        "its own slug in compendium.yaml, or build into another --output; or remove the PDF)"
        for edition in editions
        if (other := manifest.made_elsewhere(edition.filename, project.source))
    ]


def made_by_another_edition(editions: list[Edition], project: Project, manifest: Manifest) -> list[str]:
    """One line for each PDF in place that another edition of this name made (its build record
    says so): a handout for the keyword 'training' on Letter replaced the one for
    'training-letter' on A4 without a word (attacker round 10, M7)."""
    lines = []
    for edition in editions:
        made_by = manifest.made_by(edition.filename)
        if made_by and made_by != identity(edition):
            lines.append(
                f"{project.output / edition.filename}: made by the edition '{made_by}'; the edition "
                f"'{identity(edition)}' would replace it under the same name: change one (a handout's keyword or "
                "section, the paper, or the variant), build into another --output, or remove the PDF"
            )
    return lines


def refusals(editions: list[Edition], project: Project) -> list[str]:
    """Why nothing may be built, before anything is: two editions writing one PDF, a link in the
    output folder (before anything is written through it), an output folder that cannot be used."""
    clashes = collisions(editions)  # one PDF would silently replace another
    if clashes:
        return [f"build.py: {collision_message(first, second)}" for first, second in clashes]
    too_long = [f"build.py: {why}" for edition in editions if (why := name_too_long(edition))]
    if too_long:  # an edition asked on the command line: editions.yaml's are refused at their line
        return too_long
    links = project.output_links()
    if links:
        return [f"{name}: {why}" for name, why in links]
    unusable = output_problem(project.output)  # one message for the folder, not one per edition
    return [unusable] if unusable else []


def build_editions(
    editions: list[Edition], project: Project, *, strict: bool, force: bool, quiet: bool, jobs: int
) -> int:
    """Builds the editions whose inputs changed, `jobs` at a time, printing each result in the
    order asked (report.Printer); returns how many failed."""
    start = time.monotonic()
    refused = refusals(editions, project)
    for line in refused:
        print(line, file=sys.stderr)
    if refused:
        return len(editions)
    manifest = Manifest(project.output)
    if manifest.warning:  # a problem: -q prints problems only, and this one too (attacker round 11, N2)
        print(manifest.warning, file=sys.stderr)
    others = made_elsewhere(editions, project, manifest) or made_by_another_edition(editions, project, manifest)
    others = others or not_ours(editions, project, manifest, force)  # its mark, with no .cache/ (S11)
    for line in others:
        print(line, file=sys.stderr)
    if others:
        return len(editions)
    unchanged, work = plan(editions, project, manifest, force, strict)
    contents, layouts = ({}, {}) if force else (manifest.contents(), manifest.layouts())
    # A PDF whose build had warnings or fallbacks is made again under --strict, so that it can fail on them.
    contents = {name: content for name, content in contents.items() if reusable(manifest.entries[name], strict)}
    contents = {
        e.filename: contents[e.filename]
        for e in editions
        if e.filename in contents and complete(manifest.entries[e.filename], e)
    }
    known = (contents, layouts)
    progress = Progress(sum(len(job) for job in work), enabled=not quiet)
    outcomes = dict(unchanged)
    printer = Printer(editions, project, quiet, progress)
    printer.take(outcomes)
    for outcome in run(work, project, strict, known, min(jobs, len(work)) if work else 1, progress.stage):
        if outcome.status == "unchanged" and not outcome.pages:
            previous = manifest.entries[outcome.edition.filename]
            outcome.pages, outcome.sheet_sides = previous.pages, previous.sheet_sides
            # what the layout of the PDF reused said (WeasyPrint's warnings) is said again
            outcome.warnings += [w for w in previous.warnings if w not in outcome.warnings]
        outcomes[outcome.edition] = outcome
        record(manifest, project, outcome)
        progress.finished(outcome.edition.filename)
        printer.take(outcomes)
    progress.clear()
    if any(outcome.status != "failed" for outcome in outcomes.values() if outcome.edition not in unchanged):
        try:
            manifest.save()
        except WriteError as error:  # the PDFs are in place; only the next build's shortcut is lost
            print(f"warning: {error}", file=sys.stderr)
    failed = sum(o.status == "failed" for o in outcomes.values())
    if len(editions) > 1 and not quiet:
        built = sum(o.status == "built" for o in outcomes.values())
        print(
            f"{len(editions)} editions: {built} built, {len(editions) - built - failed} unchanged, "
            f"{failed} failed, in {time.monotonic() - start:.1f} s"
        )
    return failed
