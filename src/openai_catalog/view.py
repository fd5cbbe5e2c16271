"""A catalogue read through its search index: a few entry files at a time, relations from the index.

`catalog show` needs one entry, the datasets it was trained on (for its openness grade) and the
entries that point at it. Loading and validating every file for that would make `show` as slow as
`validate`; the index already knows where each entry lives and every relation edge.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from openai_catalog.errors import EntryNotFound


class IndexedCatalog:
    """The parts of registry.Catalog that `show` uses, answered from the index."""

    def __init__(self, root: Path) -> None:
        from openai_catalog.index import open_index
        from openai_catalog.registry import load_licenses

        self.root = root
        self.conn: sqlite3.Connection = open_index(root)
        self.licenses = load_licenses(root, strict=True)[0]
        self._entries: dict[str, Any] = {}

    def close(self) -> None:
        self.conn.close()

    def _path(self, entry_id: str) -> str | None:
        row = self.conn.execute("SELECT path FROM entries WHERE id = ?", (entry_id,)).fetchone()
        return row[0] if row else None

    def get(self, entry_id: str) -> Any:
        """The validated entry with this id, read from its file; None when there is none."""
        if entry_id not in self._entries:
            from openai_catalog.registry import read_record

            path = self._path(entry_id)
            self._entries[entry_id] = read_record(Path(path)).entry if path else None
        return self._entries[entry_id]

    def require(self, entry_id: str) -> Any:
        """The entry with this id; else EntryNotFound naming the nearest ids (exit 1)."""
        entry = self.get(entry_id)
        if entry is not None:
            return entry
        from openai_catalog._util import suggest
        from openai_catalog.index import fold
        from openai_catalog.locate import display_path

        skipped = self.conn.execute("SELECT value FROM meta WHERE key = 'skipped'").fetchone()
        for path in __import__("json").loads(skipped[0]) if skipped else []:
            if Path(path).stem == entry_id:
                raise EntryNotFound(f"{entry_id!r} is in the catalogue but does not validate",
                                    f"run: catalog validate {display_path(Path(path))}")
        ids = [r[0] for r in self.conn.execute("SELECT id FROM entries")]
        near = suggest(entry_id, ids, n=5, cutoff=0.5)
        wanted = fold(entry_id)
        near += [r[0] for r in self.conn.execute(
            "SELECT id FROM entries WHERE name_key = ? OR rowid IN "
            "(SELECT rowid FROM fts WHERE fts MATCH ?)",
            (wanted, f'aliases : "{wanted.replace(chr(34), "")}"')) if r[0] not in near]
        raise EntryNotFound(f"no entry {entry_id!r}",
                            f"did you mean {', '.join(near[:6])}?" if near else "try: catalog search " + entry_id)

    def incoming(self, entry_id: str) -> list[tuple[str, str]]:
        """(relation, source id) for every entry that points at `entry_id`, `by` included."""
        return [(r[0], r[1]) for r in self.conn.execute(
            "SELECT relation, source FROM edges WHERE target = ? ORDER BY relation, source",
            (entry_id,))]
