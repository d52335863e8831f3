"""Benchmark of the build: per-stage times, pages per second, peak memory, overhead over bare
WeasyPrint, and how each stage grows when the content is four times larger.

    python3 bench/run.py            # the real source, and the same source repeated four times
    python3 bench/run.py --once     # one build in this process (used by the benchmark itself)

A benchmark, not a test: it prints figures and checks them against the targets, but nothing
fails in CI because of it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from weasyprint import HTML  # noqa: E402

from compendium.edition import Edition  # noqa: E402
from compendium.i18n import Language  # noqa: E402
from compendium.pipeline import Project, Report, load_source, publish  # noqa: E402
from compendium.render import render_html  # noqa: E402

OWN_WORK = ("load and validate", "templating", "finishing")


@dataclasses.dataclass
class BenchProject(Project):
    """The project with its source read from elsewhere (the synthetic, larger source)."""

    source_dir: Path | None = None

    @property
    def source(self) -> Path:
        return self.source_dir or super().source


def synthetic_source(times: int, folder: Path) -> Path:
    """The source written out `times` over: every decision copied under new numbers (6/17 →
    6/27, 6/37 …) and every provision repeated once for each copy, so that the whole pipeline,
    loading included, sees four times the content."""
    import copy as copy_module
    import shutil

    import yaml

    source = folder / "source"
    shutil.copytree(PROJECT / "source", source)
    outline = yaml.safe_load((source / "compendium.yaml").read_text())
    provisions = yaml.safe_load((source / "provisions.yaml").read_text())

    def renamed(decision_id: str, copy: int) -> str:
        number, year = decision_id.split("/")
        return f"{number}/{int(year) + 10 * copy}"

    for path in sorted((source / "decisions").glob("*.yaml")):
        decision = yaml.safe_load(path.read_text())
        for copy in range(1, times):
            ident = renamed(decision["id"], copy)
            clone = {**decision, "id": ident, "symbol": f"MC.DEC/{ident}", "number_line": f"DECISION No. {ident}"}
            (source / "decisions" / f"mc-dec-{ident.replace('/', '-')}.yaml").write_text(yaml.safe_dump(clone))
    outline["annex"] = [renamed(d, copy) for copy in range(times) for d in outline["annex"]]
    copies = []
    for provision in provisions:
        for copy in range(times):
            clone = copy_module.deepcopy(provision)  # no shared objects: PyYAML would write them as aliases
            copies.append({**clone, "number": len(copies) + 1, "decision": renamed(provision["decision"], copy)})
    (source / "compendium.yaml").write_text(yaml.safe_dump(outline, allow_unicode=True))
    (source / "provisions.yaml").write_text(yaml.safe_dump(copies, allow_unicode=True))
    return source


def once(times: int) -> dict:
    """One build in this process, of the source written out `times` over; its figures as a dict."""
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    project = Project(output_dir=work / "output")
    if times > 1:
        synthetic = synthetic_source(times, work)
        project = BenchProject(root=PROJECT, output_dir=work / "output", source_dir=synthetic)
    report = Report()
    compendium = load_source(project, False, report)
    publish(compendium, Edition(), project, False, report, Language("en", PROJECT / "locale"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    html = render_html(compendium, Edition(), project.layouts, project.styles, Language("en", PROJECT / "locale"))
    start = time.perf_counter()
    HTML(string=html, base_url=str(project.root) + "/").write_pdf(project.output / "bare.pdf", pdf_tags=True)
    bare = time.perf_counter() - start
    return {
        "times": times,
        "pages": report.pages,
        "stages": report.stages,
        "total": report.seconds,
        "bare": bare,
        "peak_mb": peak,
    }


def measure(times: int) -> dict:
    """A build in a fresh process, so that peak memory is that build's alone."""
    out = subprocess.run(
        [sys.executable, __file__, "--once", "--times", str(times)], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)


def show(result: dict) -> None:
    total = result["total"]
    own = sum(result["stages"][s] for s in OWN_WORK)
    rate = result["pages"] / total
    print(f"\ncontent x{result['times']}: {result['pages']} pages in {total:.2f} s ({rate:.1f} pages/s)")
    for stage, seconds in result["stages"].items():
        print(f"  {stage:<18} {seconds:7.2f} s  {100 * seconds / total:5.1f} %")
    print(f"  builder's own work {own:6.2f} s  {100 * own / total:5.1f} %   (target: at most 5 %)")
    print(f"  bare WeasyPrint    {result['bare']:6.2f} s   overhead ratio {total / result['bare']:.2f}")
    print(f"  peak memory        {result['peak_mb']:6.0f} MB   (target: under 600 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--once", action="store_true", help="one build in this process, figures as JSON")
    parser.add_argument("--times", type=int, default=1, help="repeat the content this many times")
    args = parser.parse_args()
    if args.once:
        print(json.dumps(once(args.times)))
        return
    single, quadruple = measure(1), measure(4)
    show(single)
    show(quadruple)
    print("\ngrowth with four times the content (4.0 is linear):")
    for stage in single["stages"]:
        print(f"  {stage:<18} x{quadruple['stages'][stage] / single['stages'][stage]:.2f}")
    print(f"  pages              x{quadruple['pages'] / single['pages']:.2f}")
    print(f"  total              x{quadruple['total'] / single['total']:.2f}")


if __name__ == "__main__":
    main()
