"""State shared by the commands of one invocation: which catalogue, loaded once."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openai_catalog.registry import Catalog

catalog_dir: Path | None = None
_loaded: Catalog | None = None


def load(paths: list[Path] | None = None) -> Catalog:
    """Load the catalogue chosen by --catalog, $OPENAI_CATALOG_DIR or the defaults."""
    global _loaded
    from openai_catalog.locate import find_catalog
    from openai_catalog.registry import load_catalog

    if _loaded is None or paths:
        _loaded = load_catalog(find_catalog(catalog_dir), paths=paths)
    return _loaded


def root() -> Path:
    """The folder of the chosen catalogue, without loading it."""
    from openai_catalog.locate import find_catalog

    return find_catalog(catalog_dir)


def refuse_packaged(root: Path, command: str) -> None:
    """Commands that write must not change the copy of the catalogue installed with the package."""
    from openai_catalog.errors import UsageError
    from openai_catalog.locate import is_packaged

    if is_packaged(root):
        raise UsageError(
            f"catalog {command} changes files, and the only catalogue found is the "
            f"copy installed with the package ({root})",
            "run it inside a clone of the catalogue repository, or pass --catalog DIR",
        )
