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
        self._rebuilt = False

    def close(self) -> None:
        self.conn.close()

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """The rows of one query; an index damaged on disk is rebuilt once and the query run again."""
        from openai_catalog.index import _damaged, index_path, open_index

        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            if self._rebuilt:
                raise _damaged(index_path(self.root), exc) from None
        self._rebuilt = True
        self.conn.close()
        self.conn = open_index(self.root, rebuild=True)
        return self._rows(sql, params)

    def _path(self, entry_id: str) -> str | None:
        rows = self._rows("SELECT path FROM entries WHERE id = ?", (entry_id,))
        return rows[0][0] if rows else None

    def get(self, entry_id: str) -> Any:
        """The validated entry with this id, read from its file; None when there is none."""
        if entry_id not in self._entries:
            from openai_catalog.registry import read_record

            path = self._path(entry_id)
            self._entries[entry_id] = read_record(Path(path)).entry if path else None
        return self._entries[entry_id]

    def resolve(self, text: str) -> tuple[Any, str | None]:
        """The entry `text` names, and a note when it is not the entry's id: a former id or
        another name (its `aliases`, a variant's name or aliases) or a Hub repo id (its `hub` or
        a variant's). EntryNotFound when no entry, or more than one, goes by it (exit 1)."""
        from openai_catalog.index import fold

        entry = self.get(text)
        if entry is not None:
            return entry, None
        for facet, value in (("hub", text.strip().lower()), ("alias", fold(text.strip()))):
            ids = [
                r[0]
                for r in self._rows(
                    "SELECT id FROM entries WHERE rowid IN "
                    "(SELECT entry FROM facets WHERE facet = ? AND value = ?) ORDER BY id",
                    (facet, value),
                )
            ]
            if len(ids) == 1 and (entry := self.get(ids[0])) is not None:
                return entry, _renamed(text, entry)
            if len(ids) > 1:
                raise EntryNotFound(
                    f"{text!r} names {len(ids)} entries", f"show one of: {', '.join(ids)}"
                )
        return self.require(text), None

    def require(self, entry_id: str) -> Any:
        """The entry with this id; else EntryNotFound naming the nearest ids (exit 1)."""
        entry = self.get(entry_id)
        if entry is not None:
            return entry
        from openai_catalog._util import suggest
        from openai_catalog.index import fold
        from openai_catalog.locate import display_path

        skipped = next(iter(self._rows("SELECT value FROM meta WHERE key = 'skipped'")), None)
        for path in __import__("json").loads(skipped[0]) if skipped else []:
            if Path(path).stem == entry_id:
                from openai_catalog.registry import EntryGate

                shown = display_path(Path(path))
                _, problem = EntryGate().read(Path(path), shown)
                if problem is not None:  # say why it cannot be read, not that it is invalid
                    raise EntryNotFound(
                        f"{entry_id!r} is in the catalogue but cannot be used: "
                        f"{shown}: {problem.message}",
                        problem.hint,
                    )
                raise EntryNotFound(
                    f"{entry_id!r} is in the catalogue but does not validate",
                    f"run: catalog validate {shown}",
                )
        ids = [r[0] for r in self._rows("SELECT id FROM entries")]
        near = suggest(entry_id, ids, n=5, cutoff=0.5)
        wanted = fold(entry_id)
        near += [
            r[0]
            for r in self._rows(
                "SELECT id FROM entries WHERE name_key = ? OR rowid IN "
                "(SELECT rowid FROM fts WHERE fts MATCH ?)",
                (wanted, f'aliases : "{wanted.replace(chr(34), "")}"'),
            )
            if r[0] not in near
        ]
        raise EntryNotFound(
            f"no entry {entry_id!r}",
            f"did you mean {', '.join(near[:6])}?" if near else "try: catalog search " + entry_id,
        )

    def incoming(self, entry_id: str) -> list[tuple[str, str]]:
        """(relation, source id) for every entry that points at `entry_id`, `by` included."""
        return [
            (r[0], r[1])
            for r in self._rows(
                "SELECT relation, source FROM edges WHERE target = ? ORDER BY relation, source",
                (entry_id,),
            )
        ]


def _renamed(text: str, entry: Any) -> str:
    """Why `text` led to `entry`: a former id, a variant's Hub repo or name, or another name."""
    from openai_catalog.schema import SLUG_RE

    wanted = text.strip().lower()
    if SLUG_RE.match(text.strip()) and text.strip() in entry.aliases:  # a former id
        return f"{text} is now {entry.id}"
    for variant in getattr(entry, "variants", ()):
        if wanted == (variant.hub or "").lower():
            return f"{text} is the Hub repo of {variant.name}, a variant of {entry.id}"
        if wanted in (variant.name.lower(), *(a.lower() for a in variant.aliases)):
            return f"{text} is {variant.name}, a variant of {entry.id}"
    if wanted == (entry.hub or "").lower():
        return f"{text} is the Hub repo of {entry.id}"
    return f"{text} is another name of {entry.id}"
