"""Where a build reads and writes: a compendium project folder over the builder's own assets."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .assets import BUILDER, REPOSITORY
from .problems import Problems
from .yamlsource import read


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
        """The project whose source folder is `source`: the folder around it is the project."""
        source = Path(source).resolve()
        return cls(root=source.parent, output_dir=output.resolve() if output else None, source_dir=source)

    @property
    def source(self) -> Path:
        return self.source_dir or self.root / "source"

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
        return [own, builder] if own.is_dir() and own.resolve() != builder.resolve() else [builder]

    @property
    def layouts(self) -> list[Path]:
        """Layout folders in the order Jinja looks in them: the project's, then the builder's."""
        return self._own_then_builder("layouts")

    def stylesheet(self, name: str) -> Path:
        """A stylesheet: the project's own when it has one of that name, else the builder's."""
        return next(folder / name for folder in self._own_then_builder("styles") if (folder / name).is_file())

    @property
    def fonts(self) -> list[Path]:
        return sorted(font for folder in self._own_then_builder("fonts") for font in folder.glob("*.ttf"))

    def locale(self, lang: str) -> Path:
        """The locale folder with the language's interface translations: the project's, else the builder's."""
        relative = Path(lang) / "LC_MESSAGES" / "messages.po"
        folders = self._own_then_builder("locale")
        return next((folder for folder in folders if (folder / relative).is_file()), folders[-1])

    def typography(self, lang: str) -> Path | None:
        """The language's typographic rule table: the project's, else the builder's, else none."""
        name = f"{lang}.yaml"
        return next((f / name for f in self._own_then_builder("typography") if (f / name).is_file()), None)

    @property
    def assets(self) -> list[Path]:
        """The only folders WeasyPrint may read from."""
        folders = [self.root / name for name in ("styles", "fonts", "images")]
        return folders + [BUILDER / name for name in ("styles", "fonts", "images")]
