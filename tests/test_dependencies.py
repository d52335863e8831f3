"""Every library the code imports is declared in pyproject.toml and importable, and the README's
set-up commands are the ones CI runs."""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
import tomllib
from importlib import metadata

from tests.conftest import PROJECT

LOCAL = {"compendium", "tests", "bench", "build"}
FOLDERS = ("compendium", "tests", "bench")


def imported_modules() -> dict[str, set[str]]:
    """Top-level modules imported anywhere in the code, with the files importing each."""
    found: dict[str, set[str]] = {}
    for folder in FOLDERS:
        for path in (PROJECT / folder).rglob("*.py"):
            if "fixtures" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                for name in names:
                    found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(PROJECT)))
    local = LOCAL | {path.stem for folder in FOLDERS for path in (PROJECT / folder).rglob("*.py")}
    return {name: files for name, files in found.items() if name not in local | set(sys.stdlib_module_names)}


def declared() -> set[str]:
    """The distributions pyproject.toml names, runtime and every extra, normalised."""
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += extra
    return {normalise(re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0]) for requirement in requirements}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_imported_library_is_declared_and_importable():
    providers = metadata.packages_distributions()
    names = declared()
    undeclared, missing = {}, {}
    for module, files in sorted(imported_modules().items()):
        if importlib.util.find_spec(module) is None:
            missing[module] = sorted(files)
            continue
        distributions = {normalise(d) for d in providers.get(module, [])}
        if not distributions & names:
            undeclared[module] = (sorted(distributions), sorted(files))
    assert missing == {}, "not installed by pip install -e '.[test]'"
    assert undeclared == {}, "imported but not declared in pyproject.toml"


def test_the_check_finds_imports_of_every_kind():
    modules = imported_modules()
    assert "weasyprint" in modules and "yaml" in modules and "icu" in modules and "pytest" in modules
    assert "os" not in modules and "compendium" not in modules


def readme_commands() -> list[str]:
    text = (PROJECT / "README.md").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.startswith("    python3 -m pip install")]


def test_ci_runs_the_readme_test_command_in_a_fresh_environment():
    build, test = readme_commands()[:2]
    assert build.endswith("&& python3 build.py")
    assert test.endswith("&& python3 -m pytest")
    ci = (PROJECT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    install, run = test.split(" && ")
    assert run in ci
    assert install.replace('".[test]"', '".[test,dev]"') in ci  # the same, with ruff and mypy
    assert {"ruff check .", "ruff format --check ."} <= set(ci) and any(line.startswith("mypy") for line in ci)
    assert any("python3 -m venv" in line for line in ci)  # never the machine's own site-packages
    assert "-c constraints.txt" in test and (PROJECT / "constraints.txt").is_file()


def test_package_data_carries_every_default_asset():
    config = tomllib.loads((PROJECT / "pyproject.toml").read_text())["tool"]["setuptools"]
    for package, folder in config["package-dir"].items():
        patterns = config["package-data"][package]
        root = PROJECT / folder
        files = [path.relative_to(root) for path in root.rglob("*") if path.is_file()]
        assert files, folder
        left_out = [str(f) for f in files if not any(f.match(pattern) for pattern in patterns)]
        assert left_out == [], f"{folder}/ files a pip install would leave out"


# Distributions a build imports whose version cannot change what a PDF holds; every other one it
# imports is in the cache's library list (source/digest.py, LIBRARIES), so upgrading it rebuilds.
NOT_OUTPUT = {
    "compendium-builder": "the builder's own code, digested file by file (digest.code_digest)",
    "cffi": "the machinery that calls Pango and HarfBuzz, not what they lay out",
    "pycparser": "cffi's parser of C declarations",
    "setuptools": "pip's start-up hook (_distutils_hack), loaded by any process",
    "brotli": "fontTools' WOFF2 compression: a PDF embeds no WOFF2",
}

RENDER_PATH = """
import importlib, json, pkgutil, sys
from importlib import metadata
import compendium
for module in pkgutil.walk_packages(compendium.__path__, "compendium."):
    if module.name != "compendium.build.proof":  # PNG proofs, not PDFs
        importlib.import_module(module.name)
from compendium.pdf import engine
document = engine.render('<p lang="en" style="hyphens: auto">A hyphenated paragraph</p>', "/", None)
document.write_pdf(pdf_tags=True)
tops = {name.partition(".")[0] for name in sys.modules}
print(json.dumps(sorted({d for top in tops for d in metadata.packages_distributions().get(top, [])})))
"""


def test_every_library_the_render_path_imports_is_in_the_cache_key():
    """A library that changes the PDF (line breaks, collation, colours, parsing) and is not in the
    cache's key would let an upgrade reuse PDFs made with the old version (inheritor's review, finding 7)."""
    import json
    import subprocess

    from compendium.source.digest import LIBRARIES

    result = subprocess.run([sys.executable, "-c", RENDER_PATH], capture_output=True, text=True, cwd=PROJECT)
    assert result.returncode == 0, result.stderr
    imported = {normalise(name) for name in json.loads(result.stdout.splitlines()[-1])}
    assert "weasyprint" in imported and "pyphen" in imported, imported  # the check sees the render path
    listed = {normalise(name) for name in LIBRARIES}
    assert sorted(imported - listed - set(NOT_OUTPUT)) == []


def test_no_library_is_declared_twice():
    """One requirement a library, with its reasons beside it (Pillow was declared twice, with two bounds)."""
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    for requirements in [project["dependencies"], *project["optional-dependencies"].values()]:
        names = [normalise(re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0]) for requirement in requirements]
        assert sorted({name for name in names if names.count(name) > 1}) == []
