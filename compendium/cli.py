"""The command line, `compendium` (or `python build.py`, or `python -m compendium`).

`build` (the default) makes the PDFs, `check` validates the source, `translation` writes a
translator's file, `proof` renders pages of a PDF to PNG, `new` starts a compendium,
`import-catalogue` writes a publications.yaml from a library's CSL-JSON export, `interface`
starts the project's interface catalogue for a new language and `wording` lists the strings
compendium.yaml's `wording:` may reword.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import threading
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .edition import BOOKLET_SHEETS, MARKS, PAPERS, VARIANTS, Edition, Variant
from .model import Origin
from .source.assets import BUILDER, PACKAGE
from .source.edition_list import LANG, collision_message, identity, read_editions
from .source.inputs import not_regular
from .source.problems import Problems
from .source.project import Project

if TYPE_CHECKING:
    from .model import Compendium
    from .source.files import Read
    from .source.textstatus import StatusEntry
    from .source.translations import Translation

DONE, FAILED, USAGE = 0, 1, 2

EPILOG = """
commands:
  build          build the editions (the default when no command is given)
  check          load and validate the source and its translations, print every problem
  translation    write translations/<lang>.yaml for a translator (needs --lang)
  proof          build one edition if needed and write PNGs of chosen pages next to it
  new DIR        write a minimal valid compendium into DIR/source/ to start from
  import-catalogue CSL_JSON YAML
                 write a new publications.yaml from a library's CSL-JSON export (Zotero, Mendeley)
  interface      write the project's interface catalogue for a new language (needs --lang)
  wording        list the interface strings compendium.yaml's wording: may reword

examples:
  {run}                     every edition in source/editions.yaml, in parallel
  {run} --lang ru           the Russian screen edition
  {run} build --lang en --variant print --marks crop cross
  {run} --variant booklet --booklet-sheet actual
  {run} --variant handout --section II
  {run} --variant handout --keyword children --paper letter
  {run} --source ../other/source    another compendium, into ../other/output/
  {run} check --strict      warnings (a publication never cited …) fail too
  {run} translation --lang fr
  {run} translation --lang ru --accept decision.6/17.paragraph.3
  {run} check --lang ru --strict   stale or missing translations fail
  {run} translation --lang ru --export ru.po   for a CAT tool; then --import ru.po
  {run} proof --provision 05        PNGs of provision 05's pages
  {run} proof --lang ru --pages 9-12
  {run} new my-compendium && {run} check --source my-compendium/source
  {run} import-catalogue zotero.json new-publications.yaml

exit status:
  0  done
  1  the source, a translation or a build failed (every problem is printed)
  2  the command line is wrong (an unknown option, or one the command cannot honour)
"""

# Which options each command honours; any other given is refused with the reason.
BUILD_OPTIONS = {
    "lang",
    "variant",
    "paper",
    "marks",
    "booklet_sheet",
    "paper_caliper",
    "section",
    "keyword",
    "output",
    "strict",
}
COMMANDS = {
    "build": BUILD_OPTIONS | {"source", "quiet", "jobs", "force", "parts"},
    "check": {"source", "strict", "quiet", "lang"},
    "translation": {"source", "lang", "quiet", "accept", "accept_reviewed", "export", "import_po", "pending"},
    "proof": BUILD_OPTIONS | {"source", "quiet", "force", "pages", "provision", "dpi"},
    "new": {"folder", "quiet"},
    "import-catalogue": {"catalogue", "target", "quiet"},
    "wording": {"quiet"},
    "interface": {"source", "lang", "quiet"},
}
WHY_NOT = {
    "check": "check writes nothing",
    "proof": "proof builds one edition, in this process",
    "translation": "translation writes translations/<lang>.yaml and nothing else",
    "build": "only proof renders pages",
    "new": "new writes a source folder and nothing else",
    "import-catalogue": "import-catalogue writes one publications.yaml and nothing else",
    "wording": "wording lists the strings compendium.yaml's `wording:` may reword, and nothing else",
    "interface": "interface writes the project's interface catalogue for one language, and nothing else",
}

# What Ctrl-C or SIGTERM leaves as it was, said after the command's name in the one line it prints
# (check once said "build.py: interrupted; the previous PDFs … are unchanged").
ONE_PDF = "the previous PDF, if any, is unchanged"
UNCHANGED = {
    "check": "nothing was written",
    "wording": "nothing was written",
    "build": "the previous PDFs, if any, are unchanged",
    "proof": ONE_PDF,
}
WHOLE = "each file is written whole or not at all"  # new, interface, translation, import-catalogue
# The command running and what an interruption leaves unchanged: set by _main, and by build once
# it knows how many PDFs it makes.
_running = {"command": "build", "unchanged": UNCHANGED["build"]}


# Each PDF a build makes, as it was when the build started (None: not there), so that an
# interruption after one was already replaced says so instead of "unchanged" (set by build).
_started_with: dict[Path, tuple[int, int, int] | None] = {}


def interrupted_line(how: str) -> str:
    """The one line an interrupted command prints: `check: interrupted (Ctrl-C); nothing was written`."""
    from .source.edition_list import shown

    unchanged = _running["unchanged"]
    written = [path for path, stamp in _started_with.items() if _stamp(path) != stamp]
    if written:
        others = "" if unchanged == ONE_PDF else "; the other previous PDFs, if any, are unchanged"
        unchanged = f"{', '.join(shown(path) for path in written)} had already been written anew{others}"
    return f"{_running['command']}: {how}; {unchanged}"


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """What tells a file replaced (files.py writes a new file and renames it over the old): its
    inode, time and size; None when it is not there."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_ino, status.st_mtime_ns, status.st_size


OPTION_WHY = {
    name: "only translation reads or writes a translation"
    for name in ("accept", "accept_reviewed", "export", "import_po", "pending")
}


def options() -> argparse.ArgumentParser:
    """Every option, accepted before or after the command; SUPPRESS leaves an option not given
    out of the namespace, so that what was given can be told from a default."""
    common = argparse.ArgumentParser(add_help=False)
    add = common.add_argument
    S = argparse.SUPPRESS
    add(
        "--source",
        type=_path,
        default=S,
        help="the compendium's source folder (default: source/); "
        "its project folder (the folder around it) holds translations/ and output/",
    )
    add("--output", type=_path, default=S, help="the folder for the PDFs (default: output/ in the project folder)")
    add("--lang", action="append", default=S, help="this language's edition (repeatable; default: every configured)")
    add(
        "--variant",
        action="append",
        choices=VARIANTS,
        default=S,
        help="this variant (repeatable; with --lang or alone; default with --lang: screen)",
    )
    add("--paper", choices=PAPERS, default=S, help="the paper size of every edition built (a4, letter)")
    add(
        "--marks",
        nargs="*",
        choices=MARKS,
        default=S,
        help="print variant: the marks outside the bleed (crop, cross); none for a printer that refuses them",
    )
    add(
        "--booklet-sheet",
        choices=BOOKLET_SHEETS,
        default=S,
        help="booklet: its own A5 pages (half the paper), two on a sheet of the paper (A5 on A4; the default), "
        "or the print edition's pages at actual size (A4 on A3)",
    )
    add(
        "--paper-caliper",
        type=float,
        default=S,
        metavar="MM",
        help="print variant: the thickness of one leaf of the interior's paper in mm, which makes the cover's "
        "spine pages / 2 × MM wide (default 0.1, a 90 g/m² uncoated paper; ask the shop for its paper's); "
        "booklet: the office paper's, from which the creep is compensated",
    )
    add("--section", action="append", default=S, help="handout: the section to hand out, by its numeral (II)")
    add("--keyword", action="append", default=S, help="handout: the keyword to hand out, by its id (children)")
    add(
        "--strict",
        action="store_true",
        default=S,
        help="warnings (unused entries, anything WeasyPrint logs, untranslated texts) fail the build",
    )
    add("-q", "--quiet", action="store_true", default=S, help="print problems only: no progress, reports or summaries")
    add("--jobs", type=int, default=S, help=f"editions built at once (default: the cores, {_cores()})")
    add("--force", action="store_true", default=S, help="rebuild even the PDFs whose inputs have not changed")
    add(
        "--parts",
        action="store_true",
        default=S,
        help="lay out each part of an edition (front matter, sections, annex, directory) in a process of its own, "
        "the cores shared with --jobs, and join them (off by default; screen and handout editions only)",
    )
    add("--pages", default=S, help="proof: the pages to render, such as 9-12 or 3,5,9")
    add("--provision", action="append", default=S, help="proof: the pages of this provision, such as 05")
    add("--dpi", type=int, default=S, help="proof: the resolution of the PNGs (default: 100)")
    _translation_options(add)
    main = argparse.ArgumentParser(
        prog=invoked_as(),
        description="Turn a compendium's source data (source/) into print-quality PDF editions (output/).",
        epilog=EPILOG.replace("{run}", runnable()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    main.add_argument("--version", action="version", version=version())
    commands = main.add_subparsers(dest="command", metavar="command")
    for name, text in (
        ("build", "build the editions into output/ (the default)"),
        ("check", "load and validate the source, print every problem and a one-line summary"),
        ("translation", "write translations/<lang>.yaml for a translator: every text id with its English"),
        ("proof", "write PNGs of chosen pages or provisions next to the PDF, building it if needed"),
    ):
        commands.add_parser(name, parents=[common], help=text, description=text)
    text = "write a minimal valid compendium into DIR/source/ to start from"
    new = commands.add_parser("new", parents=[common], help=text, description=text)
    new.add_argument("folder", type=_new_folder, metavar="DIR", help="the new compendium's project folder")
    text = "write a new publications.yaml from a library's CSL-JSON export (Zotero, Mendeley)"
    imported = commands.add_parser("import-catalogue", parents=[common], help=text, description=text)
    imported.add_argument("catalogue", type=_path, metavar="CSL_JSON", help="the exported catalogue")
    imported.add_argument("target", type=_file, metavar="YAML", help="the publications.yaml to write (must not exist)")
    text = "write the project's locale/<lang>/LC_MESSAGES/messages.po: to translate, or the builder's to change"
    commands.add_parser("interface", parents=[common], help=text, description=text)
    text = "list the interface strings compendium.yaml's `wording:` may reword, as it writes them"
    commands.add_parser("wording", parents=[common], help=text, description=text)
    return main


def _translation_options(add) -> None:
    """The options only `translation` takes: accepting, and the exchange with a CAT tool."""
    S = argparse.SUPPRESS  # noqa: N806 - as in options()
    add(
        "--accept",
        nargs="+",
        action="extend",
        metavar="ID",
        default=S,
        help="translation: accept the reviewed translations of these text ids for the present English "
        "(records its hash; the edition prints them again)",
    )
    add(
        "--export",
        type=_path,
        metavar="FILE.po",
        default=S,
        help="translation: write the edition's texts as a PO file for a CAT tool (stale ones fuzzy)",
    )
    add(
        "--import",
        dest="import_po",
        type=_path,
        metavar="FILE.po",
        default=S,
        help="translation: take the translations of a PO file (from --export) into translations/<lang>.yaml",
    )
    add(
        "--pending",
        action="store_true",
        default=S,
        help="translation --export: only the texts still to do (missing, stale or not reviewed)",
    )
    add(
        "--accept-reviewed",
        action="store_true",
        default=S,
        help="translation: accept every entry marked 'reviewed: true'",
    )


def invoked_as() -> str:
    """The command's name as the user called it: `compendium` when installed, `build.py` from a
    checkout (usage lines and error messages begin with it)."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    # `python -m compendium` runs compendium/__main__.py: its name says nothing to the user
    return "compendium" if name in ("", "__main__.py", "-c") else name


def runnable() -> str:
    """How to run the command again, for examples and hints: `compendium`, or `python build.py`."""
    name = invoked_as()
    return f"python {name}" if name.endswith(".py") else name


def version() -> str:
    try:
        installed = metadata.version("compendium-builder")
    except metadata.PackageNotFoundError:
        installed = __version__
    weasyprint = metadata.version("weasyprint")
    return f"compendium builder {installed} (WeasyPrint {weasyprint}, Python {sys.version.split()[0]})"


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class UsageError(Exception):
    """A command line the builder cannot honour: exit 2 with the reason."""


def main(argv: list[str] | None = None) -> int:
    """The command; Ctrl-C and SIGTERM end it in one line, with 130 and 143. A reader that closes
    standard output early (`| head`) ends nothing: the command goes on, keeps its exit status and
    prints no more."""
    from .closedpipe import droppable_stdout
    from .pdf.output import Stopped, remove_temporary_folders, stop

    previous = signal.signal(signal.SIGTERM, stop) if threading.current_thread() is threading.main_thread() else None
    try:
        with droppable_stdout():
            return _main(argv)
    except KeyboardInterrupt:
        print(interrupted_line("interrupted (Ctrl-C)"), file=sys.stderr)
        return 128 + signal.SIGINT
    except Stopped as stopped:
        print(interrupted_line(str(stopped)), file=sys.stderr)
        return 128 + stopped.signum
    finally:
        remove_temporary_folders()  # WeasyPrint's font folders in /tmp, however the command ended
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main(argv: list[str] | None) -> int:
    args = options().parse_args(argv)
    command = args.command or "build"
    _running.update(command=command, unchanged=UNCHANGED.get(command, WHOLE))
    _started_with.clear()
    given = {name for name in vars(args) if name != "command"}
    try:
        for name in sorted(given - COMMANDS[command]):
            why = OPTION_WHY.get(name, WHY_NOT[command])
            raise UsageError(f"--{name.replace('_', '-')}: not an option of {command} ({why})")
        if command == "new":
            return new(args.folder, quiet=getattr(args, "quiet", False))
        if command == "import-catalogue":
            return import_catalogue(args.catalogue, args.target, quiet=getattr(args, "quiet", False))
        if command == "wording":
            return wording()
        project = _project(args)
        unnamed = _not_utf8(project.root, project.source, project.output)
        if unnamed:
            print(unnamed, file=sys.stderr)
            return FAILED
        if command == "interface":
            return interface(project, getattr(args, "lang", None), quiet=getattr(args, "quiet", False))
        if command == "check":
            strict, quiet = getattr(args, "strict", False), getattr(args, "quiet", False)
            return check(project, strict=strict, langs=getattr(args, "lang", None), quiet=quiet)
        if command == "translation":
            return translation(project, args)
        editions = chosen_editions(args, project, one=command == "proof")
        if editions is None:
            return FAILED
        if command == "proof":
            return proof(editions, project, args)
        return build(editions, project, args)
    except UsageError as error:
        print(f"{invoked_as()}: {error}", file=sys.stderr)
        return USAGE


def _new_folder(text: str) -> Path:
    """The folder `new` writes into: an empty name (an unset shell variable, "$DIR") is refused,
    not taken as the current folder."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty folder name (an unset shell variable?): name the new folder")
    return _path(text)


def _file(text: str) -> Path:
    """A file to write: a name ending in / is a folder's (Path("out/") is "out", and a file of that
    name was written: attacker round 10, N3), refused with the file meant inside it."""
    if text.endswith(("/", os.sep)) and text.strip("/" + os.sep):
        raise argparse.ArgumentTypeError(
            f"{text}: a folder's name (it ends in /); give the file to write, such as {text}publications.yaml"
        )
    return _path(text)


def _path(text: str) -> Path:
    """A path given on the command line, refused as misuse when it cannot name a file or folder."""
    from .source.filenames import unusable_path

    why = unusable_path(text)
    if why is not None:
        raise argparse.ArgumentTypeError(why)
    return Path(text)


def _not_utf8(*folders: Path) -> str:
    """Why the builder cannot work in one of the folders (a name that is not UTF-8), or ""."""
    from .source.filenames import not_utf8

    return next((why for folder in folders if (why := not_utf8(folder))), "")


def new(folder: Path, quiet: bool = False) -> int:
    """A starter compendium in folder/source/; an existing source folder is never overwritten."""
    from .source.files import WriteError
    from .source.starter import write_starter

    unnamed = _not_utf8(Path(os.path.abspath(folder)))
    if unnamed:
        print(f"new {unnamed}", file=sys.stderr)
        return FAILED
    if folder.is_symlink() and not folder.exists():  # mkdir would fail with a bare "File exists"
        raise UsageError(f"new {folder}: a link to {os.readlink(folder)}, which does not exist (choose a new folder)")
    taken = _taken(folder)
    if taken is not None:
        raise UsageError(f"new {folder}: {taken} (choose a new folder, such as {folder / 'my-compendium'})")
    try:
        written = write_starter(folder)
    except FileExistsError as error:
        raise UsageError(f"new {folder}: {error} already exists (choose a new folder)") from None
    except OSError as error:
        print(f"new {folder}: {error.strerror or error}", file=sys.stderr)
        return FAILED
    except WriteError as error:
        print(f"new {folder}: {error}", file=sys.stderr)
        return FAILED
    if not quiet:
        print(f"wrote {len(written)} files into {folder / 'source'}; next:")
        print(f"  {runnable()} check --source {folder / 'source'}")
        print(f"  {runnable()} --source {folder / 'source'}")
    return DONE


def _taken(folder: Path) -> str | None:
    """Why `new` writes no project into an existing folder (attacker round 10, N8): the root of a
    file system (`new /` wrote /source), or a folder holding other things and nothing of a
    compendium project's (a home folder); None for a new, an empty or a project's folder (whose
    source/, if any, is refused as existing)."""
    whole = Path(os.path.abspath(folder))
    if whole == Path(whole.anchor):
        return "the root of the file system, not a project's folder"
    if (folder / "source").exists() or not folder.is_dir():
        return None
    try:
        names = sorted(name for name in os.listdir(folder) if not name.startswith("."))
    except OSError:
        return None  # said when it is written
    if not names or {*INPUTS, "output"} & set(names):
        return None
    shown = ", ".join(names[:3]) + (" …" if len(names) > 3 else "")
    return f"a folder that holds other things ({shown}) and no compendium project"


def import_catalogue(catalogue: Path, target: Path, quiet: bool = False) -> int:
    """A new publications.yaml from CSL-JSON; every item or value left out is said."""
    from .source.csl import import_catalogue as write
    from .source.files import WriteError

    try:
        count, notes = write(catalogue, target)
    except FileExistsError:
        raise UsageError(f"import-catalogue: {target} already exists (write to a new file, then merge)") from None
    except ValueError as error:
        for line in str(error).splitlines():  # one line per problem, each naming the file
            print(f"import-catalogue: {line}", file=sys.stderr)
        return FAILED
    except WriteError as error:
        print(f"import-catalogue: {error}; nothing is written", file=sys.stderr)
        return FAILED
    except OSError as error:
        print(f"import-catalogue: cannot write {target}: {error.strerror or error}", file=sys.stderr)
        return FAILED
    for note in notes:
        print(f"import-catalogue: {note}", file=sys.stderr)
    if not quiet:
        print(f"wrote {count} publications into {target}; check them against the publications, then run check")
    return DONE


def wording() -> int:
    """Every string `wording:` accepts, one a line, as compendium.yaml writes it (a key in quotes)."""
    from .source.kinds import rewordable

    for written in sorted(rewordable(), key=str.casefold):
        print(written)
    return DONE


def interface(project: Project, langs: list[str] | None, quiet: bool = False) -> int:
    """The project's own interface catalogue: every interface string of the builder and the English
    wordings of the project's kinds, to translate, or, for a language the builder translates, its
    translations to change."""
    from babel import UnknownLocaleError

    from .source.files import WriteError
    from .source.interface import start_catalogue
    from .source.kinds import WORDINGS, project_kind_files, read_kinds

    if not langs or len(langs) != 1:
        raise UsageError("interface needs one --lang, such as --lang fr")
    lang = langs[0]
    if not LANG.fullmatch(lang):
        raise UsageError(f"--lang {lang!r}: not a language code such as 'fr'")
    if lang == project.language:  # its catalogue would never be read (attacker round 9, P16)
        raise UsageError(
            f"interface --lang {lang}: the source is written in '{lang}', whose interface texts are the builder's "
            "own; give the compendium's own wording of one with `wording:` in source/compendium.yaml "
            "(`python build.py wording` lists them; source/README.md)"
        )
    kinds = read_kinds(project.source, project.root, Problems()) if project_kind_files(project.source) else {}
    own = tuple(
        str(getattr(kind, key)) for kind in kinds.values() if kind.origin.file.startswith("source/") for key in WORDINGS
    )
    try:
        written = start_catalogue(project.root, lang, own)
    except FileExistsError as error:
        raise UsageError(f"interface --lang {lang}: {error} already exists (translate it, or remove it)") from None
    except UnknownLocaleError:
        print(f"interface --lang {lang}: Babel has no locale data for '{lang}'", file=sys.stderr)
        return FAILED
    except WriteError as error:  # the file named, and nothing left of it (attacker round 10, S7)
        print(f"interface --lang {lang}: {error}; nothing is written", file=sys.stderr)
        return FAILED
    except (OSError, ValueError) as error:
        print(f"interface --lang {lang}: {getattr(error, 'strerror', None) or error}", file=sys.stderr)
        return FAILED
    if not quiet:
        print(f"wrote {written}: {_started_from(lang)}, then check --lang {lang}")
    return DONE


def _started_from(lang: str) -> str:
    """What the catalogue `interface` wrote holds, and what the editor does next."""
    from babel import Locale

    from .source.interface import builder_catalogue

    if builder_catalogue(lang) is None:
        return "translate each msgstr (a tool such as Poedit helps)"
    return (
        f"a copy of the builder's {Locale.parse(lang).english_name} translations, every msgstr as the builder "
        "has it (the edition prints as before): change the ones you want to"
    )


def _no_source(source: Path) -> str:
    """Why --source names no source folder, and the one meant when it is plain (attacker round 10,
    N5): the file compendium.yaml itself, or the project folder that holds source/."""
    if source.name == "compendium.yaml" and source.is_file():
        return f"it is the file compendium.yaml; give its folder: --source {source.parent}"
    if (source / "source" / "compendium.yaml").is_file():
        return f"a project folder; give its source folder: --source {source / 'source'}"
    return "it has no compendium.yaml"


def _project(args: argparse.Namespace) -> Project:
    source, output = getattr(args, "source", None), getattr(args, "output", None)
    if source is not None:
        irregular = not_regular(source / "compendium.yaml")
        if irregular is not None:  # a named pipe: is_file() says no, but "it has none" would mislead
            raise UsageError(f"--source {source}: compendium.yaml: {irregular}")
        if not (source / "compendium.yaml").is_file():
            raise UsageError(f"--source {source}: not a compendium's source folder ({_no_source(source)})")
        project = Project.from_source(source, output)
    else:
        project = Project(output_dir=output.resolve() if output else None)
        if not project.source.is_dir():
            raise UsageError(f"no source/ folder in {project.root}: give the compendium's with --source")
    if output is not None:
        _output_outside_inputs(project, output)
    return project


# The project's folders the builder reads: PDFs and a .cache written into one would be read back.
INPUT_FOLDERS = ("translations", "locale", "layouts", "styles", "fonts", "images", "typography")


def _output_outside_inputs(project: Project, output: Path) -> None:
    """--output may not be the source folder, nor any folder the builder reads, nor one in them."""
    target = output.resolve()
    for folder in (project.source, *(project.root / name for name in INPUT_FOLDERS)):
        if target.is_relative_to(folder.resolve()):
            raise UsageError(
                f"--output {output}: inside {folder.name}/, which the builder reads: choose a folder outside "
                "the project's inputs (the default is output/ beside source/)"
            )
    # The builder's own folders: a PDF and a .cache written there changed every project's inputs.
    for folder in (PACKAGE, *(BUILDER / name for name in (*INPUT_FOLDERS, "kinds", "profiles"))):
        if target.is_relative_to(folder.resolve()):
            raise UsageError(
                f"--output {output}: inside the builder's own {folder.name}/ ({folder}), which every build "
                "reads: choose a folder outside the builder (the default is output/ beside source/)"
            )


def chosen_editions(args: argparse.Namespace, project: Project, one: bool = False) -> list[Edition] | None:
    """The editions the options ask for: languages times variants when either is given, else
    every edition configured in editions.yaml (`one`: the first language's screen edition); the
    other options change them or are refused."""
    langs, variants = getattr(args, "lang", None), getattr(args, "variant", None)
    if one and not (langs or variants):
        langs = [_first_language(project)]
    selections = [("section", v) for v in getattr(args, "section", [])]
    selections += [("keyword", v) for v in getattr(args, "keyword", [])]
    for lang in langs or []:
        if not LANG.match(lang):
            raise UsageError(f"--lang {lang!r}: not a language code such as 'fr'")
    if langs or variants:
        variants = variants or ["screen"]
        if selections and "handout" not in variants:
            raise UsageError("--section and --keyword choose a handout's provisions: add --variant handout")
        if Variant.HANDOUT in variants and not selections:
            raise UsageError("a handout needs --section or --keyword (the provisions it hands out)")
        # A language editions.yaml builds interface-only is built so from the command line too.
        origins: dict[Edition, Origin] = {}
        declared = read_editions(project, Problems(), origins)
        interface_only = {e.lang for e in declared if e.interface_only}
        partial = {e.lang for e in declared if e.partial}  # and one it publishes partial, partial
        editions = [
            Edition(
                lang,
                variant,
                selection=selection,
                interface_only=lang in interface_only,
                partial=lang in partial,
                slug=project.slug,
            )
            for lang in langs or [_first_language(project)]
            for variant in variants
            for selection in (selections if Variant(variant).is_selection else [None])
        ]
        editions = _adjusted(editions, args)
        clashes = [] if one else configured_clashes(editions, declared, origins)
        for line in clashes:
            print(line, file=sys.stderr)
        return None if clashes else editions
    else:
        if selections:
            raise UsageError("--section and --keyword choose a handout's provisions: add --variant handout")
        problems = Problems()
        editions = read_editions(project, problems)
        for problem in problems.sorted():
            print(problem, file=sys.stderr)
        if problems.errors:
            return None
    return _adjusted(editions, args)


def configured_clashes(asked: list[Edition], declared: list[Edition], origins: dict[Edition, Origin]) -> list[str]:
    """One located line for each edition asked on the command line that would write the PDF of
    another edition editions.yaml lists (another handout, paper or variant under the same name):
    check refuses the pair in editions.yaml, and the build replaced the configured PDF without a
    word (attacker round 9, P6). The same edition on other settings (marks, caliper) is no clash."""
    lines = []
    for edition in asked:
        for other in declared:
            if other.filename == edition.filename and identity(other) != identity(edition):
                where = origins.get(other, Origin("source/editions.yaml", 1))
                lines.append(
                    f"{where}: editions: {collision_message(other, edition)} (the second from the command line)"
                )
                break
    return lines


def _first_language(project: Project) -> str:
    problems = Problems()
    configured = read_editions(project, problems)
    return configured[0].lang if configured else project.language


def _adjusted(editions: list[Edition], args: argparse.Namespace) -> list[Edition]:
    """The editions with the paper, marks and booklet sheet given; an option no edition can
    honour is refused rather than ignored."""
    from dataclasses import replace

    changes = {}
    if hasattr(args, "paper"):
        changes["paper"] = args.paper
    if hasattr(args, "paper_caliper") and not 0.03 <= args.paper_caliper <= 1:
        raise UsageError(
            f"--paper-caliper: expected a leaf's thickness in mm (0.03 to 1), found {args.paper_caliper:g}"
        )
    for option, variants in (
        ("marks", (Variant.PRINT,)),
        ("paper_caliper", (Variant.PRINT, Variant.BOOKLET)),
        ("booklet_sheet", (Variant.BOOKLET,)),
    ):
        if hasattr(args, option) and not any(e.variant in variants for e in editions):
            raise UsageError(
                f"--{option.replace('_', '-')}: only the {' and '.join(variants)} variant has it, and none of "
                f"the editions to build is one (add --variant {variants[0]})"
            )
    result = []
    for edition in editions:
        own = dict(changes)
        if edition.variant.for_print_shop and hasattr(args, "marks"):
            own["marks"] = tuple(args.marks)
        if (edition.variant.for_print_shop or edition.variant.is_imposed) and hasattr(args, "paper_caliper"):
            own["caliper"] = args.paper_caliper
        if edition.variant.is_imposed and hasattr(args, "booklet_sheet"):
            own["booklet"] = args.booklet_sheet
        result.append(replace(edition, **own))
    return list(dict.fromkeys(result))  # each edition once, in the order asked


def check(project: Project, strict: bool, langs: list[str] | None = None, quiet: bool = False) -> int:
    """The source, the editions it is built in, and every edition's translation and catalogue
    (or only those of the languages given); `quiet`: the problems only, no summary."""
    from .source.audit import check_source
    from .source.fonts import own_fonts
    from .source.yamlsource import relative_name

    for lang in langs or []:
        if not LANG.match(lang):
            raise UsageError(f"--lang {lang!r}: not a language code such as 'fr'")
    compendium, problems = check_source(project, langs)
    # rendered for a project's own layouts or fonts only (WeasyPrint's import costs a second)
    if compendium is not None and (project.has_own_templates or own_fonts(project.fonts)):
        from .pipeline import check_fonts_render, check_layouts_render

        check_layouts_render(compendium, project, problems)
        check_fonts_render(compendium, project, problems)
        if problems.errors:
            compendium = None
    for problem in problems.sorted():
        print(problem, file=sys.stderr)
    if problems.failed(strict) or compendium is None:
        errors, warnings = len(problems.errors), len(problems.warnings)
        print(f"check failed: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
        return FAILED
    if quiet:  # -q: "print problems only", as --help says
        return DONE
    warned = len(problems.warnings)
    after = f" ({warned} warning(s) above: errors under --strict)" if warned else ""
    print(f"source OK: {compendium.summary()}{after}")
    if not project.editions_file.exists() and not project.editions_file.is_symlink():
        print(
            f"note: no {relative_name(project.editions_file, project.root)}: a plain build makes the screen edition "
            f"in '{project.language}' (source/README.md lists what the file may say)"
        )
    return DONE


def build(editions: list[Edition], project: Project, args: argparse.Namespace) -> int:
    """Builds the editions (those whose inputs changed), in parallel, reporting in a stable order."""
    from .build.batch import build_editions

    jobs = getattr(args, "jobs", _cores())
    if jobs < 1:
        raise UsageError(f"--jobs {jobs}: at least 1")
    if getattr(args, "parts", False):
        from . import pipeline

        pipeline.PARTS = _cores()  # the parts of each edition at once; shared with --jobs (build/batch.py)
    if len(editions) == 1 and editions[0].variant in ("screen", "handout"):  # print and booklet make several
        _running["unchanged"] = ONE_PDF
    _started_with.update({path: _stamp(path) for path in (project.output / e.filename for e in editions)})
    failed = build_editions(
        editions,
        project,
        strict=getattr(args, "strict", False),
        force=getattr(args, "force", False),
        quiet=getattr(args, "quiet", False),
        jobs=jobs,
    )
    return FAILED if failed else DONE


def proof(editions: list[Edition], project: Project, args: argparse.Namespace) -> int:
    """PNGs of the pages or provisions asked for, of the one edition the options choose."""
    from .build.proof import DEFAULT_DPI, PAGES, page_ranges, proof

    if len(editions) != 1:
        raise UsageError(f"proof renders one edition; these options choose {len(editions)} (give --lang and --variant)")
    pages, provisions = getattr(args, "pages", None), getattr(args, "provision", [])
    for label in provisions:
        if not re.fullmatch(r"[0-9]{1,4}", label):  # not isdigit(): '²' is a digit to Python, not to int()
            raise UsageError(f"--provision {label!r}: expected a provision's number, such as 05")
    if not pages and not provisions:
        raise UsageError("proof needs --pages (such as 9-12) or --provision (such as 05)")
    if pages and not PAGES.match(pages.replace(" ", "")):
        raise UsageError(f"--pages {pages!r}: expected page numbers such as 9-12 or 3,5,9")
    try:
        page_ranges(pages or "")
    except ValueError as error:  # page 0, a range 3-1: the command line's fault (attacker round 10, N4)
        raise UsageError(f"--pages {pages!r}: {error}") from None
    dpi = getattr(args, "dpi", DEFAULT_DPI)
    if not 10 <= dpi <= 1200:
        raise UsageError(f"--dpi {dpi}: expected 10 to 1200")
    if editions[0].variant.is_imposed:
        raise UsageError("a booklet's pages are sheets: proof its print variant (--variant print)")
    force, quiet = getattr(args, "force", False), getattr(args, "quiet", False)
    return proof(editions[0], project, pages, provisions, dpi, force, quiet)


def translation(project: Project, args: argparse.Namespace) -> int:
    """Rewrites translations/<lang>.yaml with every current id; nothing translated is lost. With
    --export or --import, exchanges it with a CAT tool as a PO file; with --accept or
    --accept-reviewed, records the present English's hash for reviewed translations."""
    lang = _translation_language(project, args)
    _one_way(args)
    leaving = project.refused_paths()
    for name, why in leaving:
        print(f"{name}: {why}", file=sys.stderr)
    if leaving:
        return FAILED
    _check_translatable(project, lang)
    from .source.files import WriteError, changing
    from .source.yamlsource import relative_name

    path = project.translations(lang)
    where = relative_name(path, project.root)
    waiting = f"{where}: another translation command is changing it; waiting for it to finish"
    try:
        with changing(path, lambda: print(waiting, file=sys.stderr)):
            return _translate(project, args, lang)
    except WriteError as error:
        print(f"{error}; the file is unchanged", file=sys.stderr)
        return FAILED


def _translate(project: Project, args: argparse.Namespace, lang: str) -> int:
    """translation's work on translations/<lang>.yaml, with the file locked against another."""
    from .source.files import Read

    since = Read.of(project.translations(lang))  # before it is read: an editor's save from now on is kept
    loaded = _load_translation(project, lang)
    if loaded is None:
        return FAILED
    compendium, existing = loaded
    quiet = getattr(args, "quiet", False)
    export, imported = getattr(args, "export", None), getattr(args, "import_po", None)
    if export is not None:
        return _export(project, compendium, existing, lang, export, quiet, getattr(args, "pending", False))
    if imported is not None:
        taken_in = _import(project, compendium, existing, lang, imported, quiet)
        if taken_in is None:
            return FAILED
        existing = taken_in
    keys, reviewed = getattr(args, "accept", []), getattr(args, "accept_reviewed", False)
    accepted: list[str] | None = None  # the ids accepted, when accepting was asked for
    if keys or reviewed:
        result = _accept(project, compendium, existing, lang, keys, reviewed)
        if result is None:
            return FAILED
        existing, accepted = result
    return _rewrite(project, compendium, existing, lang, quiet, accepted, since)


def _translation_language(project: Project, args: argparse.Namespace) -> str:
    langs = getattr(args, "lang", None)
    if not langs or len(langs) != 1:
        from .source.edition_list import read_editions

        configured = sorted({e.lang for e in read_editions(project, Problems())} - {project.language})
        example = f"such as --lang {configured[0]}" if configured else "the language of an edition to translate into"
        raise UsageError(f"translation needs one --lang, {example}")
    lang = langs[0]
    if not re.fullmatch(LANG.pattern.strip("^$"), lang):
        raise UsageError(f"--lang {lang!r}: not a language code such as 'fr'")
    return lang


def _one_way(args: argparse.Namespace) -> None:
    """UsageError for options the command would not act on: --export writes a PO file and nothing
    else, and --pending only chooses what it writes (attacker round 10, S1: a PO file given to
    --import with --export was never taken in, and its translator saw success)."""
    given = [
        option
        for name, option in (
            ("import_po", "--import"),
            ("accept", "--accept"),
            ("accept_reviewed", "--accept-reviewed"),
        )
        if getattr(args, name, None)
    ]
    if getattr(args, "export", None) is not None and given:
        raise UsageError(
            f"--export writes a PO file and changes no translation, so {given[0]} would not be acted on: "
            f"run translation {given[0]} … first, then --export"
        )
    if getattr(args, "pending", False) and getattr(args, "export", None) is None:
        raise UsageError("--pending chooses the texts --export writes: add --export FILE.po")


def _check_translatable(project: Project, lang: str) -> None:
    """UsageError unless an edition can be built in `lang` and it is not the source's language."""
    from .source.edition_list import missing_files

    if lang == project.language:
        raise UsageError(f"--lang {lang}: the source is written in '{lang}'; there is nothing to translate")
    unbuildable = [reason for reason in missing_files(lang, project, interface_only=True)]
    if unbuildable:
        # the hint is for a catalogue not made yet: one that is there and broken is named at its line
        absent = any(reason.startswith("no interface catalogue for") for reason in unbuildable)
        raise UsageError(
            f"--lang {lang}: no edition can be built in it: "
            + "; ".join(unbuildable)
            + (" (README.md, Adding a language: make the interface catalogue first)" if absent else "")
        )


def _not_rewritten(project: Project, lang: str, problems: Problems) -> bool:
    """Prints the problems; True (the file is not rewritten, said so) when one is an error."""
    from .source.yamlsource import relative_name

    for problem in problems.sorted():
        print(problem, file=sys.stderr)
    if problems.errors:
        where = relative_name(project.translations(lang), project.root)
        print(f"{where} not rewritten: correct the problems above first", file=sys.stderr)
    return bool(problems.errors)


def _load_translation(project: Project, lang: str) -> tuple[Compendium, dict[str, Translation | StatusEntry]] | None:
    """The source and the language's translations as they are; None (problems printed) when either
    has an error."""
    from .source.load import load
    from .source.translations import read_translations

    path = project.translations(lang)
    compendium, problems = load(project.source, project.root)
    existing = read_translations(path, project.root, problems) if path.exists() else {}
    if _not_rewritten(project, lang, problems):
        return None
    assert compendium is not None  # load gives one whenever there is no error
    return compendium, existing


# The project's folders of inputs: `translation --export` overwrites no file in them.
INPUTS = ("layouts", "styles", "fonts", "images", "locale", "translations", "profiles", "typography")


def _project_file(project: Project, path: Path) -> str | None:
    """The name of the project's folder of inputs holding `path` when it exists (a link: where it
    leads), else None. An earlier export elsewhere may be overwritten; the interface catalogue
    locale/<lang>/LC_MESSAGES/messages.po may not (its translations would all be lost)."""
    if not (path.exists() or path.is_symlink()):
        return None
    real = Path(os.path.realpath(path))
    folders = [("source", project.source)] + [(name, project.root / name) for name in INPUTS]
    return next((name for name, folder in folders if real.is_relative_to(os.path.realpath(folder))), None)


def _export(
    project: Project,
    compendium: Compendium,
    existing: dict[str, Translation | StatusEntry],
    lang: str,
    export: Path,
    quiet: bool,
    pending: bool,
) -> int:
    """Writes the edition's texts (with `pending`, those still to do) as a PO file, each naming the
    glossary's renderings of its terms."""
    from .source.exchange import export_po
    from .source.files import WriteError, write_bytes
    from .source.patterns import TooCostly
    from .source.terms import read_terms
    from .source.texts import translatable
    from .source.yamlsource import relative_name

    if export.suffix != ".po":
        raise UsageError(f"--export {export}: a PO file's name ends in .po")
    sources = _project_file(project, export)
    if sources is not None:
        raise UsageError(
            f"--export {export}: already a file of the project's {sources}/, which the builder never "
            f"overwrites (an interface catalogue would lose every translation): export outside {sources}/"
        )
    problems = Problems()
    glossary = project.translations(lang).with_name(f"{lang}-terms.yaml")
    terms = tuple(read_terms(glossary, project.root, problems)) if glossary.exists() else ()
    if problems.errors:
        for problem in problems.sorted():
            print(problem, file=sys.stderr)
        print(f"--export {export}: not written", file=sys.stderr)
        return FAILED
    try:
        written, words = export_po(compendium, existing, lang, pending=pending, terms=terms)
        write_bytes(export, written, what=str(export))
    except TooCostly as error:  # a glossary pattern that ran out of time on a text
        print(f"{error.origin}: {error.context}: {error.message}", file=sys.stderr)
        print(f"--export {export}: not written", file=sys.stderr)
        return FAILED
    except WriteError as error:
        print(f"--export {export}: not written ({error})", file=sys.stderr)
        return FAILED
    if not quiet:
        where = relative_name(project.translations(lang), project.root)
        print(
            f"wrote {export}: {f'{len(words)} of ' if pending else 'the '}{len(translatable(compendium))} texts of "
            f"the edition in '{lang}' ({sum(words)} English words) as PO for a CAT tool (from {where})"
        )
    return DONE


def _import(
    project: Project,
    compendium: Compendium,
    existing: dict[str, Translation | StatusEntry],
    lang: str,
    po: Path,
    quiet: bool,
) -> dict[str, Translation | StatusEntry] | None:
    """The translations with the PO file's taken in; None (problems printed) when it has an error."""
    from .source.exchange import import_po

    problems = Problems()
    existing, changed = import_po(po, project.root, compendium, existing, lang, problems)
    if _not_rewritten(project, lang, problems):
        return None
    if not quiet:
        print(f"imported {len(changed)} changed translation(s) from {po}" + "".join(f"\n  {key}" for key in changed))
    return existing


def _accept(
    project: Project,
    compendium: Compendium,
    existing: dict[str, Translation | StatusEntry],
    lang: str,
    keys: list[str],
    reviewed: bool,
) -> tuple[dict[str, Translation | StatusEntry], list[str]] | None:
    """The translations with the named (or reviewed) ones accepted, and their ids; None (reasons
    printed) when one cannot be accepted."""
    from .source.translations import accept
    from .source.yamlsource import relative_name

    existing, accepted, refused = accept(compendium, existing, keys, reviewed)
    if refused:
        for reason in refused:
            print(reason, file=sys.stderr)
        print(
            f"{relative_name(project.translations(lang), project.root)} not rewritten: nothing accepted",
            file=sys.stderr,
        )
        return None
    return existing, accepted


def _rewrite(
    project: Project,
    compendium: Compendium,
    existing: dict[str, Translation | StatusEntry],
    lang: str,
    quiet: bool,
    accepted: list[str] | None,
    since: Read,
) -> int:
    """Writes the translation file with every current id, then its coverage report; not over a
    file saved by someone else since `since` (attacker round 12, M5)."""
    from .source.files import WriteError, write_text
    from .source.notes import keep_notes
    from .source.translations import localize, read_translations, template
    from .source.yamlsource import relative_name

    path = project.translations(lang)
    try:
        before = path.read_bytes().decode("utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError):
        before = ""  # read a moment ago by _load_translation
    try:
        written = keep_notes(template(compendium, existing, lang), before)
        write_text(path, written, what=relative_name(path, project.root), since=since)
    except WriteError as error:
        print(f"{error}; the file is unchanged", file=sys.stderr)
        return FAILED
    _, coverage = localize(
        compendium, lang, read_translations(path, project.root, Problems()), compendium.metadata.language.upper()
    )
    if not quiet:
        print(f"wrote {relative_name(path, project.root)}")
        if accepted is not None:
            print(f"accepted {len(accepted)}: {', '.join(accepted) or 'none marked reviewed: true'}")
        print("\n".join(coverage.lines()))
    return DONE
