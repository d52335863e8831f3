"""mypy under the project's configuration ([tool.mypy] in pyproject.toml), held to .ci/mypy-allowed.

The package is not yet free of mypy errors: .ci/mypy-allowed lists, per file, how many it may
still have. Any file with more than its allowance (a new file: none) fails; a file with fewer asks
for its line to be lowered, so the count only goes down. When the file is empty, plain `mypy` is
the check.

    python .ci/mypy-ratchet.py            # check
    python .ci/mypy-ratchet.py --update   # write today's counts (only after fixing errors)
"""

from __future__ import annotations

import collections
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = ROOT / ".ci" / "mypy-allowed"
ERROR = re.compile(r"^(?P<file>[^:\s]+\.py):\d+: error:")


def counts(output: str) -> collections.Counter[str]:
    return collections.Counter(m["file"] for line in output.splitlines() if (m := ERROR.match(line)))


def allowed() -> dict[str, int]:
    table: dict[str, int] = {}
    for number, line in enumerate(ALLOWED.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            file, count = line.split()
            table[file] = int(count)
        except ValueError:
            sys.exit(f"{ALLOWED.relative_to(ROOT)}, line {number}: expected '<file> <count>', found {line!r}")
    return table


def main() -> int:
    run = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, check=False)
    if run.returncode not in (0, 1):  # mypy itself failed (configuration, crash)
        print(run.stdout + run.stderr, file=sys.stderr)
        return 2
    found = counts(run.stdout)
    if sys.argv[1:] == ["--update"]:
        ALLOWED.write_text(
            "# mypy errors each file may still have (.ci/mypy-ratchet.py); lower, never raise.\n"
            + "".join(f"{file} {n}\n" for file, n in sorted(found.items())),
            encoding="utf-8",
        )
        print(f"{ALLOWED.relative_to(ROOT)}: {sum(found.values())} errors in {len(found)} files")
        return 0
    table = allowed()
    over = {file: n for file, n in found.items() if n > table.get(file, 0)}
    for file, n in sorted(over.items()):
        print(f"{file}: {n} mypy errors, {table.get(file, 0)} allowed", file=sys.stderr)
        for line in run.stdout.splitlines():
            if line.startswith(f"{file}:"):
                print(f"  {line}", file=sys.stderr)
    under = {file: n for file, n in table.items() if found.get(file, 0) < n}
    for file, n in sorted(under.items()):
        print(f"{file}: {found.get(file, 0)} mypy errors, {n} allowed: lower its line in .ci/mypy-allowed")
    print(f"mypy: {sum(found.values())} errors, {sum(table.values())} allowed")
    return 1 if over or under else 0


if __name__ == "__main__":
    sys.exit(main())
