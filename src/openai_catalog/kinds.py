"""The kinds of entry, named once; every other list of kinds is derived from these.

Standard library only, so the lightest modules (locate.py and freshness.py at start-up, the CLI's
option types) can take them without loading the schema.
"""

from __future__ import annotations

from typing import Literal, get_args

KindName = Literal["model", "dataset", "compute", "tool", "community"]
KINDS: tuple[KindName, ...] = get_args(KindName)
# The folder of each kind under catalog/, in the kinds' order.
KIND_FOLDERS: dict[str, str] = dict(
    zip(KINDS, ("models", "datasets", "compute", "tools", "communities"), strict=True)
)
FOLDER_KINDS: dict[str, str] = {folder: kind for kind, folder in KIND_FOLDERS.items()}
KIND_FOLDER_NAMES: tuple[str, ...] = tuple(KIND_FOLDERS.values())
KIND_ORDER: dict[str, int] = {kind: i for i, kind in enumerate(KINDS)}
