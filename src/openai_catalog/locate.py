"""Finding the catalogue folder, without loading anything: cheap enough for every command."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from openai_catalog.errors import CatalogNotFound, CatalogOptionError
from openai_catalog.kinds import KIND_FOLDER_NAMES

ENV_CATALOG = "OPENAI_CATALOG_DIR"
LICENSES_FILE = "licenses.yaml"


def _looks_like_catalog(path: Path) -> bool:
    return (path / LICENSES_FILE).is_file() or any((path / f).is_dir() for f in KIND_FOLDER_NAMES)


def packaged_catalog() -> Path:
    """The catalogue shipped inside the package (or, in a source checkout, the repository's)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_catalog", here.parent.parent / "catalog"):
        if _looks_like_catalog(candidate):
            return candidate
    raise CatalogNotFound(
        "no catalogue is installed with the package",
        "reinstall openai-catalog, or pass --catalog DIR",
    )


def is_packaged(root: Path) -> bool:
    """Whether `root` is the catalogue inside an installed package (not a checkout to edit)."""
    return Path(root).resolve() == (Path(__file__).resolve().parent / "_catalog").resolve()


def find_catalog(
    explicit: Path | str | None = None,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Path:
    """`--catalog DIR`, then $OPENAI_CATALOG_DIR, then the nearest catalog/ upward, then the package's."""
    environ: Mapping[str, str] = os.environ if env is None else env
    for source, value in (("--catalog", explicit), (ENV_CATALOG, environ.get(ENV_CATALOG))):
        if value:
            path = Path(value).expanduser()
            if not path.is_dir():
                raise CatalogOptionError(
                    f"{source}: {path} is not a folder",
                    "point it at a catalogue folder, the one holding licenses.yaml",
                )
            return path.resolve()
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        candidate = folder / "catalog"
        if candidate.is_dir() and _looks_like_catalog(candidate):
            return candidate
    return packaged_catalog()


def display_path(path: Path) -> str:
    """A path as a user would type it: relative to the working folder when inside it."""
    return display_paths()(path)


def display_paths() -> Callable[[Path], str]:
    """display_path for many paths: the working folder is looked up once, not once a path."""
    prefix = os.path.join(os.getcwd(), "")

    def display(path: Path) -> str:
        text = str(path)
        return text[len(prefix) :] if text.startswith(prefix) else text

    return display
