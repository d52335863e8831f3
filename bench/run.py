"""Benchmark of the builder as a person runs it: whole processes, start-up and imports included.

    python3 bench/run.py            # every figure, the median of 3 runs with min and max (several minutes)
    python3 bench/run.py --runs 5   # more runs
    python3 bench/run.py --quick    # one run each, to try it

Every figure is a separate process, timed from start to exit, its peak memory taken from the
operating system (the largest process of a pool), and its WeasyPrint page layouts counted
(bench/instrument/sitecustomize.py is put on the process's PYTHONPATH: each page laid out, and
laid out again, counts once). The runs go round-robin, figure after figure, so that a busy
machine slows every figure alike. It compares the English screen edition with bare WeasyPrint
rendering the same HTML with the project's fetcher (a process of its own), and the edition
built from the source with the content four times over; for those two in-process builds, the
stages (layout, writing, tagging: the structure tree and its repair, finishing) and each one's
peak memory. At the end it prints every target of the issue with its median. A benchmark, not a
test: nothing fails because of a figure.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent  # --project: another checkout (an older commit, say)
INSTRUMENT = Path(__file__).resolve().parent / "instrument"
FIGURES = ("all", "en", "parts", "bare", "booklet", "impose", "rebuild", "proof", "x1", "x4")


def build_py() -> Path:
    return PROJECT / "build.py"


PROVISION = "05"  # the provision the proof figure asks for


@dataclass
class Run:
    """One process: wall seconds, peak memory, and what WeasyPrint laid out in it."""

    seconds: float
    peak_mb: float
    cpu: float = 0.0  # user and system seconds, children included: steadier than wall time on a busy machine
    documents: list[dict] = field(default_factory=list)  # one per laid-out document: pages, layouts, passes
    output: str = ""
    ends: list[dict] = field(default_factory=list)  # a laying-out process's peak memory as it ended

    @property
    def pages(self) -> int:
        return sum(d["pages"] for d in self.documents)

    @property
    def layouts(self) -> int:
        return sum(d["layouts"] for d in self.documents)

    @property
    def passes(self) -> int:
        return max((d["passes"] for d in self.documents), default=0)

    @property
    def layout_peaks(self) -> dict[int, float]:
        """Each process that laid a document out: its peak memory (MB), at its end when it logged that."""
        peaks: dict[int, float] = {}
        for d in self.documents + self.ends:
            peaks[d.get("pid", 0)] = max(peaks.get(d.get("pid", 0), 0.0), d.get("peak_mb", d.get("exit_peak_mb", 0.0)))
        return peaks


def run(command: list[str]) -> Run:
    """Runs a command to its end, as a whole process; its figures, or an error with its output."""
    with tempfile.TemporaryDirectory(prefix="bench-run-") as folder:
        log, out = Path(folder) / "layouts.jsonl", Path(folder) / "output.txt"
        paths = [str(INSTRUMENT), *filter(None, [os.environ.get("PYTHONPATH")])]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "BENCH_LAYOUT_LOG": str(log)}
        with out.open("w") as stream:
            start = time.perf_counter()
            process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=stream, stderr=subprocess.STDOUT)
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        text = out.read_text(errors="replace")
        if process.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{text[-2000:]}")
        lines = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
        documents = [line for line in lines if "pages" in line]
        ends = [line for line in lines if "pages" not in line]
        # ru_maxrss is in kilobytes on Linux: the process's, or its largest reaped child's
        return Run(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, documents, text, ends)


@dataclass
class Figure:
    """The runs of one figure."""

    name: str
    runs: list[Run] = field(default_factory=list)
    note: str = ""

    def median(self, value=lambda r: r.seconds) -> float:
        return statistics.median(value(r) for r in self.runs)

    def spread(self, value=lambda r: r.seconds, unit: str = "s", digits: int = 2) -> str:
        values = [value(r) for r in self.runs]
        text = f"{statistics.median(values):.{digits}f} {unit}"
        if len(values) > 1:
            text += f" ({min(values):.{digits}f}-{max(values):.{digits}f})"
        return text


def build_help() -> str:
    return subprocess.run(
        [sys.executable, str(build_py()), "--help"], capture_output=True, text=True, cwd=PROJECT
    ).stdout


# --- what the child processes do -------------------------------------------------------------


def write_html(target: Path) -> None:
    """The English screen edition's HTML, as the builder hands it to WeasyPrint."""
    sys.path.insert(0, str(PROJECT))
    from compendium.edition import Edition
    from compendium.pipeline import Project, Report, load_source
    from compendium.render.html import render_html
    from compendium.render.locale import Language

    project = Project()
    compendium = load_source(project, False, Report())
    language = Language("en", project.locale("en"))
    target.write_text(render_html(compendium, Edition(), project, language), encoding="utf-8")


def bare(html: Path, target: Path) -> None:
    """WeasyPrint alone on that HTML, with the project's fetcher: what any builder must spend."""
    sys.path.insert(0, str(PROJECT))
    from weasyprint import HTML

    from compendium.pdf import engine  # noqa: F401  (loaded so that bench/instrument/ counts the layouts)
    from compendium.pdf.fetcher import AssetFetcher
    from compendium.pipeline import Project

    project = Project()
    document = HTML(
        string=html.read_text(encoding="utf-8"), base_url=str(PROJECT) + "/", url_fetcher=AssetFetcher(project.assets)
    )
    document.write_pdf(target, pdf_tags=True)


def edition(times: int, output: Path) -> None:
    """The English screen edition built from the source written out `times` over."""
    sys.path.insert(0, str(PROJECT))
    from compendium.edition import Edition
    from compendium.pipeline import Project, Report, load_source, publish
    from compendium.render.locale import Language

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this benchmark's own, for any checkout
    from bench.synthetic import synthetic_source

    project = Project(output_dir=output)
    if times > 1:
        project = Project.from_source(synthetic_source(times, output / "work"), output)
    tagging = _time_tagging()
    report = Report()
    compendium = load_source(project, False, report)
    publish(compendium, Edition(), project, False, report, Language("en", project.locale("en")))
    print(json.dumps({"pages": report.pages, "stages": stages(report.stages, tagging)}))


def _time_tagging() -> dict[str, float]:
    """Times the two halves of tagging inside this process: the structure tree WeasyPrint writes
    (with the builder's rules) during PDF writing, and the tag repair during finishing. The tree is
    timed through the adapter (engine.time_tag_tree): a checkout without it counts no tree time."""
    import compendium.pdf.finish as finishing
    from compendium.pdf import engine

    spent = {"tree": 0.0, "repair": 0.0}

    def add(key: str, seconds: float) -> None:
        spent[key] += seconds

    def timed(function, key):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                add(key, time.perf_counter() - start)

        return wrapper

    if hasattr(engine, "time_tag_tree"):
        engine.time_tag_tree(lambda seconds: add("tree", seconds))
    if hasattr(finishing, "repair"):
        finishing.repair = timed(finishing.repair, "repair")
    return spent


STAGES = ("layout", "writing", "tagging", "finishing")


def stages(reported: dict[str, float], tagging: dict[str, float]) -> dict[str, float]:
    """The build report's stages as the benchmark shows them: layout, writing without the tag
    tree, tagging (the tree and its repair), finishing without the repair."""
    return {
        "layout": reported.get("WeasyPrint layout", 0.0),
        "writing": reported.get("PDF writing", 0.0) - tagging["tree"],
        "tagging": tagging["tree"] + tagging["repair"],
        "finishing": reported.get("finishing", 0.0) - tagging["repair"],
    }


def imposition(source: Path, target: Path) -> None:
    """impose() alone, timed inside the process; its seconds and the sizes as JSON."""
    sys.path.insert(0, str(PROJECT))
    from compendium.pdf.impose import impose

    start = time.perf_counter()
    booklets = impose(source, target)  # the print pages at actual size (A4 on A3), split by 20 sheets
    seconds = time.perf_counter() - start
    sides = 2 * sum(b.sheets for b in booklets)
    size = sum(b.path.stat().st_size for b in booklets)
    print(json.dumps({"seconds": seconds, "sides": sides, "source": source.stat().st_size, "booklet": size}))


# --- the benchmark ----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each figure (default 3: the median of three)")
    parser.add_argument("--quick", action="store_true", help="one run of each figure")
    parser.add_argument("--project", type=Path, help="the checkout to measure (default: this one)")
    parser.add_argument(
        "--only", help=f"measure only these figures, by key, comma-separated: {','.join(FIGURES)} (no target table)"
    )
    parser.add_argument("--html", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--bare", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--edition", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--times", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--impose", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    global PROJECT
    PROJECT = (args.project or PROJECT).resolve()
    if args.html:
        return write_html(args.html)
    if args.bare:
        return bare(*args.bare)
    if args.edition:
        return edition(args.times, args.edition)
    if args.impose:
        return imposition(*args.impose)
    benchmark(1 if args.quick else args.runs, args.only.split(",") if args.only else FIGURES)


def benchmark(runs: int, only: tuple[str, ...] | list[str]) -> None:
    usage = build_help()
    force = "--force" in usage
    proof = "proof" in usage.split("positional arguments")[-1].split("options")[0]
    in_parts = (
        "--parts"
        in subprocess.run(
            [sys.executable, str(build_py()), "build", "--help"], capture_output=True, text=True, cwd=PROJECT
        ).stdout
    )
    python = sys.executable
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    folders = iter(range(1_000_000))

    def fresh() -> str:
        folder = work / f"out-{next(folders)}"
        return str(folder)

    html, print_pdf = work / "edition.html", work / "print" / "compendium-en-print.pdf"
    run([python, __file__, "--project", str(PROJECT), "--html", str(html)])
    run([python, str(build_py()), "--lang", "en", "--variant", "print", "--output", str(print_pdf.parent)])
    cold = ["--force"] if force else []
    no_force = "" if force else "no --force in this build.py: a fresh output folder, which nothing was built into"

    figures = {
        "all": Figure("all ten PDFs, cold", note=no_force),
        "en": Figure("English screen edition, cold", note=no_force),
        "parts": Figure("English screen edition in parts (--parts), cold", note=no_force),
        "bare": Figure("bare WeasyPrint, same HTML and fetcher"),
        "booklet": Figure("English booklet (its own A5 layout, imposed and split), cold", note=no_force),
        "impose": Figure("booklet imposition: impose() alone"),
        "rebuild": Figure("no-change rebuild (the second of two)"),
        "proof": Figure(f"one-provision proof ({PROVISION})"),
        "x1": Figure("English screen edition, content x1 (in-process build)"),
        "x4": Figure("English screen edition, content x4 (in-process build)"),
    }
    commands = {
        "all": lambda: [python, str(build_py()), "--output", fresh(), *cold],
        "en": lambda: [python, str(build_py()), "--lang", "en", "--output", fresh(), *cold],
        "parts": lambda: [python, str(build_py()), "--lang", "en", "--parts", "--output", fresh(), *cold],
        "booklet": lambda: (
            [python, str(build_py()), "--lang", "en", "--variant", "booklet"] + ["--output", fresh(), *cold]
        ),
        "bare": lambda: [python, __file__, "--project", str(PROJECT), "--bare", str(html), str(work / "bare.pdf")],
        "impose": lambda: [
            python,
            __file__,
            "--project",
            str(PROJECT),
            "--impose",
            str(print_pdf),
            str(work / "booklet.pdf"),
        ],
        "x1": lambda: [python, __file__, "--project", str(PROJECT), "--edition", fresh(), "--times", "1"],
        "x4": lambda: [python, __file__, "--project", str(PROJECT), "--edition", fresh(), "--times", "4"],
    }
    if not in_parts:
        figures["parts"].note = "n/a (not available): no --parts in this build.py"
        del commands["parts"]
    if force:
        commands["rebuild"] = None  # two runs into one folder, below
    else:
        figures["rebuild"].note = "n/a (not available): no --force, so no build cache, in this build.py"
    if proof and "proof" in only:
        source = edited_copy(work / "edited")
        commands["proof"] = lambda: [python, str(build_py()), "proof", "--provision", PROVISION, "--source", source]
    else:
        figures["proof"].note = "n/a (not available): no proof command in this build.py"
    commands = {key: command for key, command in commands.items() if key in only}
    for turn in range(runs):
        for key, command in commands.items():
            print(f"run {turn + 1}/{runs}: {figures[key].name} …", file=sys.stderr, flush=True)
            if key == "rebuild":
                folder = fresh()
                run([python, str(build_py()), "--output", folder])
                figures[key].runs.append(run([python, str(build_py()), "--output", folder]))
            else:
                figures[key].runs.append(run(command()))
    if set(only) == set(FIGURES):
        report(figures, runs)
    else:
        table({key: figure for key, figure in figures.items() if key in only}, runs)
    stage_table({key: figure for key, figure in figures.items() if key in only})
    parts_table({key: figure for key, figure in figures.items() if key in only})
    shutil.rmtree(work, ignore_errors=True)


def edited_copy(folder: Path) -> str:
    """A copy of the project whose English edition was built, then provision 05's text edited: what
    an editor has when proofing a change (the proof lays out that provision alone)."""
    shutil.copytree(PROJECT / "source", folder / "source")
    run([sys.executable, str(build_py()), "--lang", "en", "--source", str(folder / "source")])
    decision = folder / "source" / "decisions" / "mc-dec-6-17.yaml"
    decision.write_text(decision.read_text().replace("Promote dialogue and", "Promote dialogue, trust and"))
    return str(folder / "source")


def table(figures: dict[str, Figure], runs: int) -> None:
    print(
        f"\n{PROJECT}: every figure: a whole process, median of {runs} run(s) (min-max), on {os.cpu_count()} cores.\n"
    )
    print(f"{'figure':<56} {'wall seconds':>24} {'CPU s':>7} {'peak MB':>8} {'pages':>6} {'layouts':>8} {'passes':>6}")
    for figure in figures.values():
        if not figure.runs:
            print(f"{figure.name:<56} {figure.note}")
            continue
        line = (
            f"{figure.name:<56} {figure.spread():>24} {figure.median(lambda r: r.cpu):7.2f}"
            f" {figure.median(lambda r: r.peak_mb):8.0f}"
            f" {figure.median(lambda r: r.pages):6.0f} {figure.median(lambda r: r.layouts):8.0f}"
            f" {figure.median(lambda r: r.passes):6.0f}"
        )
        print(line + (f"   ({figure.note})" if figure.note else ""))


def stage_table(figures: dict[str, Figure]) -> None:
    """Where the in-process edition builds spend their time, and each one's peak memory."""
    shown = [(key, figures[key]) for key in ("x1", "x4") if key in figures and figures[key].runs]
    if not shown:
        return
    print("\nstages of the English screen edition, inside its process (medians, seconds):")
    print(f"  {'content':<10}" + "".join(f"{name:>11}" for name in STAGES) + f"{'peak MB':>9}")
    for key, figure in shown:
        parts = [json.loads(r.output.strip().splitlines()[-1]).get("stages", {}) for r in figure.runs]
        line = "".join(f"{statistics.median(p.get(stage, 0.0) for p in parts):11.2f}" for stage in STAGES)
        print(f"  {key:<10}{line}{figure.median(lambda r: r.peak_mb):9.0f}")


def parts_table(figures: dict[str, Figure]) -> None:
    """The English screen edition laid out whole and in parts, side by side: whole-process medians,
    and peak memory per process (the largest process; the largest that laid a document out; the
    sum of the layout processes' peaks, what the machine holds at most)."""
    shown = [(key, figures[key]) for key in ("en", "parts") if key in figures and figures[key].runs]
    if not shown:
        print("\nparallel parts: n/a (not available)" + (f": {figures['parts'].note}" if "parts" in figures else ""))
        return
    print("\nEnglish screen edition, whole and in parts (medians; peak MB per process):")
    print(
        f"  {'':<8}{'wall s':>9}{'CPU s':>8}{'processes':>10}{'documents':>10}"
        f"{'largest MB':>11}{'layout MB':>10}{'sum MB':>8}"
    )
    for key, figure in shown:
        print(
            f"  {key:<8}{figure.median():9.2f}{figure.median(lambda r: r.cpu):8.2f}"
            f"{figure.median(lambda r: len(r.layout_peaks)):10.0f}{figure.median(lambda r: len(r.documents)):10.0f}"
            f"{figure.median(lambda r: r.peak_mb):11.0f}"
            f"{figure.median(lambda r: max(r.layout_peaks.values(), default=0.0)):10.0f}"
            f"{figure.median(lambda r: sum(r.layout_peaks.values())):8.0f}"
        )
    print("  (documents: those laid out, a part laid out again on its other side counting again)")


def report(figures: dict[str, Figure], runs: int) -> None:
    table(figures, runs)
    print("(wall seconds are the figures; CPU seconds, steadier on a shared machine, show what the work costs)")

    impose = figures["impose"]
    sizes = json.loads(impose.runs[0].output)
    inside = Figure(impose.name, [Run(json.loads(r.output)["seconds"], r.peak_mb) for r in impose.runs])
    print(
        f"\nimposition: impose() {inside.spread(digits=3)} inside a process of {impose.spread()};"
        f" booklet {sizes['booklet'] / 1e6:.2f} MB from a print PDF of {sizes['source'] / 1e6:.2f} MB"
    )
    en, bare = figures["en"], figures["bare"]
    overhead = en.median() / bare.median() - 1
    print(
        f"builder over bare WeasyPrint: {100 * overhead:+.1f} %"
        f" (page layouts {en.median(lambda r: r.layouts):.0f} against {bare.median(lambda r: r.layouts):.0f})"
    )
    x1, x4 = figures["x1"], figures["x4"]
    pages1, pages4 = x1.median(lambda r: r.pages), x4.median(lambda r: r.pages)
    ratio = x4.median() / x1.median()
    per_page = (x4.median() / pages4) / (x1.median() / pages1)
    print(
        f"content x4: {pages1:.0f} -> {pages4:.0f} pages (x{pages4 / pages1:.2f}); time x{ratio:.2f};"
        f" time per page x{per_page:.2f} ({1000 * x1.median() / pages1:.0f} -> {1000 * x4.median() / pages4:.0f} ms);"
        f" peak memory {x1.median(lambda r: r.peak_mb):.0f} -> {x4.median(lambda r: r.peak_mb):.0f} MB"
    )

    def target(name: str, figure: Figure | None, measured: str, goal: str, met: bool) -> None:
        if figure is not None and not figure.runs:
            measured, verdict = "n/a (not available)", ""
        else:
            verdict = "met" if met else "MISSED"
        print(f"  {name:<40} {measured:<26} {goal:<20} {verdict}")

    print("\nTargets of issue 22 (medians):")
    rebuild, proof, everything = figures["rebuild"], figures["proof"], figures["all"]

    def within(figure: Figure, seconds: float) -> bool:
        return bool(figure.runs) and figure.median() <= seconds

    def spread(figure: Figure) -> str:
        return figure.spread() if figure.runs else ""

    target("all ten PDFs, cold", everything, spread(everything), "<= 32 s (aim 25 s)", within(everything, 32))
    target("English screen edition, cold", en, en.spread(), "<= 8 s (aim 6 s)", within(en, 8))
    target("booklet imposition", inside, inside.spread(digits=3), "<= 0.5 s", within(inside, 0.5))
    target("no-change rebuild", rebuild, spread(rebuild), "<= 0.25 s", within(rebuild, 0.25))
    target("one-provision proof", proof, spread(proof), "<= 1.0 s", within(proof, 1.0))
    target("x4 content: time", None, f"x{ratio:.2f}", "<= x4.0", ratio <= 4.0)
    peak = x4.median(lambda r: r.peak_mb)
    target("x4 content: peak memory", None, f"{peak:.0f} MB", "< 600 MB", peak < 600)
    target("builder overhead over bare WeasyPrint", None, f"{100 * overhead:+.1f} %", "<= 5 %", overhead <= 0.05)


if __name__ == "__main__":
    main()
