"""The build cache: which PDFs in the output folder were made from exactly the present inputs.

Two digests decide. The inputs digest hashes the files the edition's last build actually read
(recorded as it read them, source/inputs.py: source, translation, layouts, stylesheets, fonts,
images, profiles, interface strings, through links as they were followed), the folders it listed,
the paths it looked for in vain, the builder's code and the versions of the libraries: when it is
unchanged, the edition is skipped before anything is loaded or WeasyPrint imported. When it
changed, the build renders the HTML and compares the content digest (report.content): an edition
whose own HTML did not change (a handout without the edited provision, say) keeps its PDF.

The manifest lies in the output folder, which a project folder may bring with it: each record is
sealed (an HMAC) with a secret of this user on this machine, over the output folder's place, the
PDF's name and every field (the PDF's own digest among them). A record that does not verify, one
copied from elsewhere or edited to vouch for another PDF, is ignored and the edition built again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..edition import Edition
from ..source.digest import code_digest
from ..source.files import write_text
from ..source.inputs import Reads, key, read_own
from ..source.project import Project

MANIFEST = ".cache/builds.json"


def _why(error: Exception) -> str:
    """The reason in a few words, never a byte of what was read: a record could be anything."""
    if isinstance(error, UnicodeDecodeError):
        return f"not UTF-8 text (at byte {error.start})"
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error).splitlines()[0][:120] if str(error) else type(error).__name__


@dataclass
class Record:
    """What the manifest remembers of one PDF: what it was made from, and what its build said."""

    inputs: str
    content: str
    layout: str
    pdf: str  # the digest of the PDF file itself: a file changed by hand is rebuilt
    pages: int
    sheet_sides: int = 0
    warnings: list[str] = field(default_factory=list)
    coverage: list[str] = field(default_factory=list)
    reads: list[str] = field(default_factory=list)  # what its build read (source/inputs.py, Reads.as_list)
    strict: bool = False  # built (or confirmed) by a --strict build, which would have failed on any warning
    complete: bool = False  # nothing printed in the source language in place of a translation
    seal: str = ""  # the HMAC of the other fields with this machine's key (machine_key): written by this builder
    # the source folder of the project it was built from: another project's PDF of the same name
    # in a shared --output is not replaced without a word ("" in a record older than the field)
    source: str = ""
    # the digest and name of every other file the edition wrote ("<digest> <name>": the cover, the
    # shop's sheet, booklets 2, 3 …): one missing or changed is built again (attacker round 9, P23)
    files: list[str] = field(default_factory=list)
    # which edition made the PDF (edition_list.identity): a handout for the keyword 'training' on
    # Letter and one for 'training-letter' on A4 share a name, and the second replaced the first
    # without a word (attacker round 10, M7) ("" in a record older than the field)
    edition: str = ""


KEY_FILE = "compendium-builder/manifest.key"
KEY_SIZE = 4096  # a key is 32 bytes; no more is ever read


def key_path() -> Path:
    """Where this user's secret for sealing manifests is kept: outside every project folder."""
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache_home) / KEY_FILE


def machine_key() -> tuple[bytes | None, str]:
    """This user's secret on this machine (made on first use, readable by the user alone), and
    why there is none when it can be neither read nor made (then no record is trusted)."""
    path = key_path()
    try:
        try:
            data = read_own(path, KEY_SIZE)  # never through a link (to /dev/zero, say)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            made = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
            descriptor = os.open(made, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                os.write(descriptor, secrets.token_bytes(32))
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
            try:
                os.link(made, path)  # never over a key another build has just made
            except FileExistsError:
                pass
            finally:
                made.unlink(missing_ok=True)
            data = read_own(path, KEY_SIZE)
    except (OSError, RuntimeError) as error:
        return None, f"no key to check it with: {path}: {_why(error)}"
    if len(data) < 32:
        return None, f"no key to check it with: {path} is not a key (remove it: a new one is made)"
    return data, ""


def seal(key: bytes, output: Path, filename: str, entry: Record) -> str:
    """The record's HMAC: bound to the output folder, the PDF's name and every other field."""
    values = asdict(entry)
    values.pop("seal", None)
    if not values.get("source"):
        values.pop("source", None)  # a record written before the field was sealed without it
    if not values.get("files"):
        values.pop("files", None)  # the same: an edition of one file, or a record older than the field
    if not values.get("edition"):
        values.pop("edition", None)  # a record older than the field
    message = json.dumps([str(Path(output).resolve()), filename, values], sort_keys=True)
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def reusable(entry: Record, strict: bool) -> bool:
    """Whether a PDF made by an earlier build may stand for this one: a --strict build never takes
    one that a plain build made with warnings or untranslated texts, which --strict fails on."""
    return not strict or entry.strict or (entry.complete and not entry.warnings)


def inputs_digest(project: Project, edition: Edition, reads: list[str]) -> str:
    """The digest of what a build of the edition read (as the files are now), its settings and the
    code; "" when nothing is known of what it reads (never built here): it must be built."""
    if not reads:
        return ""
    # The project's own place is part of the key: the paths read are absolute, and a manifest copied
    # into another project (or a project moved) must not vouch for files it never read.
    where = f"{project.root.resolve()} {project.source.resolve()}"
    return key(Reads.from_list(reads), project.root, project.output, f"{edition!r} {where} {code_digest()}")


def _valid(values: object) -> bool:
    """An entry of the shape this version writes: every field present with a value of its type."""
    if not isinstance(values, dict) or set(values) - FIELDS.keys() or not values.keys() >= REQUIRED:
        return False
    for name, value in values.items():
        kind = FIELDS[name]
        if kind is list:
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                return False
        elif not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            return False
    return True


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


class Manifest:
    """The output folder's record of its PDFs: output/.cache/builds.json."""

    def __init__(self, output: Path) -> None:
        self.path = output / MANIFEST
        self.output = output
        self.entries: dict[str, Record] = {}
        self.warning = ""  # why the manifest in place was ignored, in one line
        try:
            raw = json.loads(read_own(self.path))  # never through a link, nor a device, nor past 64 MB
        except FileNotFoundError:
            return  # never built here
        except (OSError, ValueError, RecursionError) as error:
            self.warning = f"warning: {self.path} ignored ({_why(error)}): every edition is built again"
            return
        if not isinstance(raw, dict) or not all(isinstance(n, str) and _valid(v) for n, v in raw.items()):
            self.warning = (
                f"warning: {self.path} ignored (not a record of builds: found {type(raw).__name__} "
                "of another shape): every edition is built again"
            )
            return
        entries = {name: Record(**values) for name, values in raw.items()}
        key, why = machine_key()
        self.entries = {
            name: entry
            for name, entry in entries.items()
            if key is not None and hmac.compare_digest(entry.seal, seal(key, output, name, entry))
        }
        if len(self.entries) < len(entries):
            why = why or "made for another output folder or on another machine (a project moved or copied), or edited"
            self.warning = (
                f"warning: {self.path}: {len(entries) - len(self.entries)} record(s) ignored ({why}): "
                "those editions are built again"
            )

    def reads(self, filename: str) -> list[str]:
        entry = self.entries.get(filename)
        return entry.reads if entry else []

    def current(self, filename: str, inputs: str | None = None, content: str | None = None) -> Record | None:
        """The entry of a PDF still in place and made from these inputs (or this content)."""
        entry = self.entries.get(filename)
        if entry is None:
            return None
        if inputs is not None and entry.inputs != inputs:
            return None
        if content is not None and entry.content != content:
            return None
        if entry.pdf != file_digest(self.output / filename):
            return None
        return entry if all(self._in_place(line) for line in entry.files) else None

    def _in_place(self, line: str) -> bool:
        """Whether a file the edition wrote beside its PDF ("<digest> <name>") is there as it was made."""
        digest, _, name = line.partition(" ")
        return Path(name).name == name and digest == file_digest(self.output / name)

    def contents(self) -> dict[str, str]:
        """File name → content digest of every PDF still in place as it was made."""
        return {name: entry.content for name, entry in self.entries.items() if self.current(name)}

    def layouts(self) -> dict[str, str]:
        """File name → layout digest of every PDF still in place as it was made."""
        return {name: entry.layout for name, entry in self.entries.items() if self.current(name)}

    def made_elsewhere(self, filename: str, source: Path) -> str | None:
        """The source folder of another project whose PDF of this name is in place, or None."""
        entry = self.current(filename)
        if entry is None or not entry.source or entry.source == str(source.resolve()):
            return None
        return entry.source

    def made_by(self, filename: str) -> str:
        """Which edition made the PDF of this name in place ("" when none, or not known)."""
        entry = self.current(filename)
        return entry.edition if entry is not None else ""

    def record(self, filename: str, entry: Record) -> None:
        self.entries[filename] = entry

    def save(self) -> None:
        key, _ = machine_key()
        for name, entry in self.entries.items():
            entry.seal = seal(key, self.output, name, entry) if key is not None else ""
        entries = {name: asdict(entry) for name, entry in sorted(self.entries.items())}
        write_text(self.path, json.dumps(entries, indent=1))


FIELDS = {
    "inputs": str,
    "content": str,
    "layout": str,
    "pdf": str,
    "pages": int,
    "sheet_sides": int,
    "warnings": list,
    "coverage": list,
    "reads": list,
    "strict": bool,
    "complete": bool,
    "seal": str,
    "source": str,
    "files": list,
    "edition": str,
}
REQUIRED = {"inputs", "content", "layout", "pdf", "pages"}
