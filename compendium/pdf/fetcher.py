"""The only way WeasyPrint reaches files: the project's asset folders and data: URIs, never the network."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import URLFetcher

from ..source.assets import BUILDER, builder_fallback
from ..source.images import IMAGES, located_image_problem
from ..source.inputs import link_out_message, link_out_of, note_file, outside
from .engine import FatalURLFetchingError


class AssetFetcher(URLFetcher):
    """Serves files under the given folders and data: URIs; anything else stops the build.

    Each refused reference is kept in `refused`, so the build can name it.
    """

    def __init__(self, folders: list[Path], root: Path | None = None) -> None:
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
        # A folder that is a link out of the project serves nothing (Project.refused_paths names it).
        self.given = [f for f in folders if root is None or outside(f, root) is None]
        self.folders = [f.resolve() for f in self.given]
        self.root = root.resolve() if root is not None else None
        self.refused: list[str] = []
        self.problems: list[str] = []  # files under the asset folders that cannot be used: one line each
        self.asked: dict[str, str] = {}  # each problem's URL: the stylesheet or layout line asking for it is named

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        served = self.served(url)
        if isinstance(served, Path):
            note_file(served)
            if served != Path(url2pathname(urlsplit(url).path)).resolve():
                return super().fetch(served.as_uri(), headers)  # the builder's, for a file the project lacks
            return super().fetch(url, headers)
        if served is None:
            self.refused.append(url)
            raise FatalURLFetchingError(f"refused to fetch {url}")
        self.problems.append(served)
        self.asked[served] = url
        raise FatalURLFetchingError(served)

    def served(self, url: str) -> Path | str | None:
        """The file a file: URL is served from; or why a file under the asset folders cannot be
        (one line, its name first); or None for a URL outside them (refused). Reads nothing but
        an image's pixels: `check` asks it too."""
        if url.startswith("file:") and urlsplit(url).netloc in ("", "localhost"):  # a host would be a network fetch
            name = url2pathname(urlsplit(url).path)
            if "\x00" in name:  # no file name holds one (Path.resolve would raise)
                return f"a reference to {url[:100]}: a NUL byte (%00) in a file name"
            path = Path(name).resolve()
            path = builder_fallback(path, self.root) or path
            if any(path.is_relative_to(folder) for folder in self.folders):
                problem = self._problem(path)
                return path if problem is None else f"{self._name(path)}{problem}"
            link = link_out_of(Path(name), self.given)
            if link is not None:  # named under images/, and led out of the asset folders: the link is at fault
                return f"{link[0]}: {link_out_message(link[1])}"
        return None

    def _problem(self, path: Path) -> str | None:
        """What is wrong with a file under the asset folders, after its name: ': why' (':3: why'
        for an SVG's line referring outside them), or None."""
        if path.is_dir():
            return ": a folder, not a file"
        if not path.is_file():
            return ": not found"
        if path.suffix.lower() in IMAGES:
            stat = path.stat()
            found = located_image_problem(path, (stat.st_size, stat.st_mtime_ns), tuple(self.folders))
            if found is not None:
                return f"{'' if found[0] is None else f':{found[0]}'}: {found[1]}"
        return None

    def _name(self, path: Path) -> str:
        """A file's name in messages: in the project, else in the builder's assets."""
        for base in (self.root, BUILDER.resolve()):
            if base is not None and path.is_relative_to(base):
                return path.relative_to(base).as_posix()
        return path.as_posix()
