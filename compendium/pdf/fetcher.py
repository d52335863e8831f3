"""The only way WeasyPrint reaches files: the project's asset folders and data: URIs, never the network."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import URLFetcher

from ..source.inputs import note_file, outside
from .engine import FatalURLFetchingError


class AssetFetcher(URLFetcher):
    """Serves files under the given folders and data: URIs; anything else stops the build.

    Each refused reference is kept in `refused`, so the build can name it.
    """

    def __init__(self, folders: list[Path], root: Path | None = None) -> None:
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
        # A folder that is a link out of the project serves nothing (Project.links_leaving names it).
        self.folders = [f.resolve() for f in folders if root is None or outside(f, root) is None]
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file:") and urlsplit(url).netloc in ("", "localhost"):  # a host would be a network fetch
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if path.is_file() and any(path.is_relative_to(folder) for folder in self.folders):
                note_file(path)
                return super().fetch(url, headers)
        self.refused.append(url)
        raise FatalURLFetchingError(f"refused to fetch {url}")
