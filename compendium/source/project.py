"""Where a build reads and writes: a compendium project folder over the builder's own assets."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .assets import BUILDER, REPOSITORY
from .inputs import LOOP, MAX_INPUT, leaving, loops, not_regular, note_absent, outside, too_large
from .problems import Problems
from .yamlsource import read, relative_name

FONT_FILES = (".ttf", ".otf", ".woff", ".woff2")  # what WeasyPrint reads as a font
# The project's folders beside source/ that the builder reads: output/ may lead into none of them.
INPUTS = ("translations", "locale", "layouts", "styles", "fonts", "images", "profiles", "typography")
# The folders whose files WeasyPrint reads by URL, which a file name that is not UTF-8 cannot be
# written in: the build failed with a UnicodeEncodeError (attacker round 12, M4). Elsewhere such a
# file name is read as any other (a layout) or warned of (a decision's file); a folder's name that
# is not UTF-8 is refused in every input folder, which the build lists and digests by name
# (attacker round 13, M3).
ADDRESSED = ("styles", "fonts", "images")


@dataclass
class Project:
    """A compendium project: `root` holds source/ (with editions.yaml), translations/ and output/,
    and may hold its own layouts/, styles/, fonts/, images/ and locale/, which take precedence
    over the builder's, file by file."""

    root: Path = field(default_factory=lambda: REPOSITORY or Path.cwd())  # the repository's compendium, or here
    output_dir: Path | None = None  # default: output/ in the project
    source_dir: Path | None = None  # default: source/ in the project

    def __post_init__(self) -> None:
        self.root = Path(self.root).resolve()

    @classmethod
    def from_source(cls, source: Path, output: Path | None = None) -> Project:
        """The project whose source folder is `source`: the folder around it as given is the project.
        Not the folder around the link's target: a source/ linked to another project's would have
        that project's layouts read and its output/ written. Such a link is refused by name (see
        refused_paths), as any other link leaving the project; a project reached through a link
        as a whole is its target's."""
        given = Path(os.path.abspath(source))  # '..' and a trailing slash undone, links kept
        root = given.parent.resolve()
        resolved = given.resolve()
        inside = resolved.is_relative_to(root)
        return cls(
            root=root,
            output_dir=output.resolve() if output else None,
            source_dir=resolved if inside else root / given.name,
        )

    @property
    def source(self) -> Path:
        return self.source_dir or self.root / "source"

    @property
    def source_mark(self) -> str:
        """Which project's source a PDF was made from, as its XMP says (pdf/xmp.py): the digest of the
        source folder's place, and of its place seen from the output folder. A project moved or
        copied with its output/ keeps the second, an output folder moved keeps the first; two
        projects built into one --output share neither (attacker round 10, S11)."""
        source = self.source.resolve()
        seen = os.path.relpath(source, self.output.resolve())
        return "compendium-source:" + ":".join(
            hashlib.sha256(os.fsencode(place)).hexdigest()[:16] for place in (str(source), seen)
        )

    @cached_property
    def declared(self) -> dict:
        """compendium.yaml's top-level values, read cheaply: editions are made before the source is
        loaded. Read by the loader's own parser, so that no input can raise here; whatever is
        wrong with the file is reported when the source is loaded."""
        node = read(self.source / "compendium.yaml", self.root, Problems())
        if node is None or not node.is_mapping:
            return {}
        return {key: child.value for key, child in node.value.items()}

    def _declared_text(self, key: str, default: str) -> str:
        value = self.declared.get(key)
        return value.strip() if isinstance(value, str) and value.strip() else default

    @property
    def language(self) -> str:
        """The language the source is written in (compendium.yaml's `language`): its edition
        prints the source as it is; every other edition translates it or is interface-only."""
        return self._declared_text("language", "en")

    @property
    def slug(self) -> str:
        """The compendium's name in its output files (compendium.yaml's `slug`): two compendia
        built into one folder do not overwrite each other."""
        return self._declared_text("slug", "compendium")

    @property
    def output(self) -> Path:
        return self.output_dir or self.root / "output"

    @property
    def editions_file(self) -> Path:
        return self.source / "editions.yaml"

    def translations(self, lang: str) -> Path:
        return self.root / "translations" / f"{lang}.yaml"

    def _own_then_builder(self, folder: str) -> list[Path]:
        own = self.root / folder
        builder = BUILDER / folder
        if not own.is_dir():
            note_absent(own)  # a project's own folder added later changes what is read
        return [own, builder] if own.is_dir() and own.resolve() != builder.resolve() else [builder]

    @property
    def has_own_styles(self) -> bool:
        """Whether the project has a styles/ folder of its own (not the builder's)."""
        own = self.root / "styles"
        return own.is_dir() and own.resolve() != (BUILDER / "styles").resolve()

    @property
    def has_own_templates(self) -> bool:
        """Whether the project has layouts/ or styles/ of its own (not the builder's): templates
        (layouts/*.html, styles/sections.css.j2) that `check` renders as a build would."""
        return any(
            (self.root / name).is_dir() and (self.root / name).resolve() != (BUILDER / name).resolve()
            for name in ("layouts", "styles")
        )

    @property
    def layouts(self) -> list[Path]:
        """Layout folders in the order Jinja looks in them: the project's, then the builder's."""
        return self._own_then_builder("layouts")

    def stylesheet(self, name: str) -> Path:
        """A stylesheet: the project's own when it has one of that name, else the builder's."""
        folders = self._own_then_builder("styles")
        for folder in folders[:-1]:
            if not (folder / name).is_file():
                note_absent(folder / name)
        return next(folder / name for folder in folders if (folder / name).is_file())

    @property
    def fonts(self) -> list[Path]:
        """Every font file of the project's fonts/ and the builder's: a file with a font's ending
        that is no font (a garbage .woff2) is reported, not passed over."""
        return sorted(
            font
            for folder in self._own_then_builder("fonts")
            for font in folder.glob("*")
            if font.suffix.lower() in FONT_FILES
        )

    def locale(self, lang: str) -> Path:
        """The locale folder with the language's interface translations: the project's, else the builder's."""
        relative = Path(lang) / "LC_MESSAGES" / "messages.po"
        folders = self._own_then_builder("locale")
        for folder in folders[:-1]:
            if not (folder / relative).is_file():
                note_absent(folder / relative)
        return next((folder for folder in folders if (folder / relative).is_file()), folders[-1])

    def refused_paths(self) -> list[tuple[str, str]]:
        """(path, why) for every path in the project's folders the builder will not open, one line
        each: a link that leads out of the project (and the builder's assets), a loop of links,
        what is no regular file (a named pipe, a socket, a device) and a file larger than the
        builder reads (inputs.MAX_INPUT). A project folder may only use
        its own files, so that building it reads nothing else of the machine (an images/ linked to /
        would have the whole disk read); and reading a pipe waits for a writer, for ever."""
        found: list[tuple[Path, str]] = []
        folders = [self.source, self.root / "translations"]
        folders += [self.root / name for name in INPUTS if name != "translations"]
        for folder in folders:
            if not folder.exists() and not folder.is_symlink():
                continue
            why = _refused(folder, self.root)
            if why is not None:
                found.append((folder, why))
                continue
            named = folder.name in ADDRESSED
            found += [
                (path, why) for path in _candidates_under(folder, named) if (why := _refused(path, self.root, named))
            ]
        root = self.root  # each by its own name (a link's, not its target's)
        return [
            (_shown(relative_name(path, root) if path.is_relative_to(root) else str(path)), why) for path, why in found
        ]

    def output_links(self) -> list[tuple[str, str]]:
        """(path, why) for a link that would take the builder's writes out of the output folder:
        the project's own output/ leading out of the project (an --output given on the command
        line is the user's choice), and output/.cache as a link anywhere (the builder makes it a
        folder of its own; through a link the manifest would overwrite a file elsewhere)."""
        found = []
        output = self.output
        if self.output_dir is None and (output.is_symlink() or loops(output)):
            target = outside(output, self.root)
            if target is not None:
                why = LOOP if loops(output) else f"a link to {target}, outside the project folder"
                found.append(("output", f"{why}: the builder writes only inside the project (remove the link)"))
            else:
                found += self._output_into_inputs()
        found += self._irregular_in_output()
        cache = output / ".cache"
        if cache.is_symlink():
            name = relative_name(output, self.root) + "/.cache" if output.is_relative_to(self.root) else str(cache)
            where = LOOP if loops(cache) else f"a link to {os.path.realpath(cache)}"
            found.append(
                (name, f"{where}: the build cache is a folder of the builder's own, never a link (remove the link)")
            )
        found += self._linked_outputs()
        return found

    def _output_into_inputs(self) -> list[tuple[str, str]]:
        """The project's output/ as a link into a folder the builder reads (output -> source): PDFs
        and a .cache written among the inputs, and read back (attacker round 9, P22), as --output
        there is refused."""
        target = self.output.resolve()
        folders = [self.source, *(self.root / name for name in INPUTS)]
        for folder in folders:
            if folder.exists() and target.is_relative_to(folder.resolve()):
                inside = relative_name(folder, self.root) if folder.is_relative_to(self.root) else str(folder)
                return [
                    (
                        "output",
                        f"a link into {inside}/, which the builder reads: the PDFs would be written among its "
                        "inputs (remove the link, or make output/ a folder of its own)",
                    )
                ]
        return []

    def _linked_outputs(self) -> list[tuple[str, str]]:
        """(path, why) for a PDF, proof or shop ticket in the output folder that is a link: a build
        took a file elsewhere for its own PDF ('unchanged'), and proof rendered it."""
        output = self.output
        if not output.is_dir() or output.is_symlink():
            return []
        found = []
        for path in sorted(output.iterdir()):
            if path.is_symlink() and path.suffix.lower() in (".pdf", ".png", ".txt"):
                name = relative_name(path, self.root) if path.is_relative_to(self.root) else str(path)
                where = LOOP if loops(path) else f"a link to {os.path.realpath(path)}"
                found.append((name, f"{where}: the builder's outputs are files of its own, never links (remove it)"))
        return found

    def _irregular_in_output(self) -> list[tuple[str, str]]:
        """(path, why) for a named pipe, socket or device where the builder reads in the output folder:
        its records (.cache/), a work folder's lock (.build-*/) and the PDFs, one level down. A pipe
        put there by a project that brings its own output/ would have the build wait for ever."""
        output = self.output
        places = [output, output / ".cache", *sorted(output.glob(".build-*"))] if output.is_dir() else []
        found = []
        for folder in places:
            if folder.is_symlink() or not folder.is_dir():
                continue  # a link is output_links' to name; a file is no place to look in
            try:
                names = sorted(os.listdir(folder))
            except OSError:
                continue
            for name in names:
                path = folder / name
                why = None if path.is_symlink() else not_regular(path)
                if why is not None:
                    shown = relative_name(path, self.root) if path.is_relative_to(self.root) else str(path)
                    found.append((shown, why))
        return found

    def typography(self, lang: str) -> Path | None:
        """The language's typographic rule table: the project's, else the builder's, else none."""
        name = f"{lang}.yaml"
        return next((f / name for f in self._own_then_builder("typography") if (f / name).is_file()), None)

    @property
    def assets(self) -> list[Path]:
        """The only folders WeasyPrint may read from."""
        folders = [self.root / name for name in ("styles", "fonts", "images")]
        return folders + [BUILDER / name for name in ("styles", "fonts", "images")]


def _refused(path: Path, root: Path, named: bool = False) -> str | None:
    """Why the walk refuses one path (see refused_paths), or None; `named`: in a folder whose
    files must have UTF-8 names (a folder's name must be UTF-8 in any)."""
    if (named or _is_folder(path)) and not _utf8(path.name):
        return f"a {'folder' if path.is_dir() else 'file'} name that is not UTF-8 (made on another system?): rename it"
    if loops(path):
        return LOOP
    leaves = outside(path, root)
    return leaving(leaves) if leaves is not None else not_regular(path) or too_large(path)


def _is_folder(path: Path) -> bool:
    """A folder itself, not a link to one (a link is refused for what it leads to)."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _utf8(name: str) -> bool:
    """Whether a file name is UTF-8 (one that is not holds surrogates, as Python reads it)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(name: str) -> str:
    """A path as a message shows it: a byte of a name that is not UTF-8 as \\xfd."""
    return name if _utf8(name) else os.fsencode(name).decode("utf-8", "backslashreplace")


def _candidates_under(folder: Path, named: bool = False, limit: int = 100_000) -> list[Path]:
    """The paths under a folder that may be refused: the links (which may leave the project),
    whatever is neither a file nor a folder, a file larger than the builder reads (a
    stylesheet or an image of 300 MB passed check and was read whole: attacker round 10, S5),
    a folder's name that is not UTF-8 and, when `named`, a file's.
    The folder is walked without following links (a bounded walk), and nothing is opened: a
    path's kind and size are read from its status."""
    found = []
    seen = 0
    for current, folders, files in os.walk(folder, followlinks=False):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in folders + files:
            path = Path(current, name)
            if (named or name in folders) and not _utf8(name):
                found.append(path)
                continue
            try:
                status = os.lstat(path)
            except OSError:  # gone since it was listed
                continue
            mode = status.st_mode
            if (
                stat.S_ISLNK(mode)
                or not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))
                or (stat.S_ISREG(mode) and status.st_size > MAX_INPUT)
            ):
                found.append(path)
        seen += len(files)
        if seen > limit:
            break
    return found
