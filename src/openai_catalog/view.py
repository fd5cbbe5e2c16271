"""A catalogue read through its search index: a few entry files at a time, relations from the index.

`catalog show` needs one entry, the datasets it was trained on (for its openness grade) and the
entries that point at it. Loading and validating every file for that would make `show` as slow as
`validate`; the index already knows where each entry lives and every relation edge.
`catalog validate FILE...` (the pre-commit path) likewise checks a few files against the rest
(CheckedAgainstIndex): the index keeps, per file, the id and kind it states and the repos it
claims, which is all the checks across entries ask of the others, besides the few entries a
reference or a licence lineage leads to.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, cast

from openai_catalog.errors import EntryNotFound
from openai_catalog.registry import Catalog, Record, Where


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


class _IndexedRecord:
    """A catalogue file known from the index: its kind as written, its entry read when asked."""

    def __init__(self, path: str, kind: str | None, valid: bool) -> None:
        self.path, self._kind, self._valid = path, kind, valid
        self._entry: Any = None
        self._read = False

    @property
    def data(self) -> dict[str, Any]:
        return {"kind": self._kind}

    @property
    def entry(self) -> Any:
        if not self._read:
            from openai_catalog.registry import read_record

            self._read = True
            self._entry = read_record(Path(self.path)).entry if self._valid else None
        return self._entry


class _Ids(Mapping[str, Any]):
    """registry.Catalog.by_id answered from the index's table of files: the first file (in load
    order) that states an id, valid or not, with the checked files as they are now on disk."""

    def __init__(self, view: CheckedAgainstIndex) -> None:
        self.view = view
        self._cache: dict[str, Any] = {}

    def __getitem__(self, entry_id: str) -> Any:
        if entry_id in self._cache:
            found = self._cache[entry_id]
        else:
            view = self.view
            found = None
            rows = view._rows(
                "SELECT path, kind, valid FROM files WHERE id = ? ORDER BY path", (entry_id,)
            )
            candidates: list[tuple[str, Any]] = [
                (path, _IndexedRecord(path, kind, bool(valid)))
                for path, kind, valid in rows
                if path not in view.checked
            ]
            mine = view.inside_ids.get(entry_id)
            if mine is not None:
                candidates.append((str(mine.path), mine))
            if candidates:
                found = min(candidates, key=lambda c: c[0])[1]
            else:
                found = next((r for r in view.outside if r.id == entry_id), None)
            self._cache[entry_id] = found
        if found is None:
            raise KeyError(entry_id)
        return found

    def __iter__(self) -> Iterator[str]:
        ids = [r[0] for r in self.view._rows("SELECT DISTINCT id FROM files WHERE id IS NOT NULL")]
        ids += [r.id for r in self.view.records if r.id]
        return iter(dict.fromkeys(ids))

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _FormerIds(Mapping[str, str]):
    """registry.Catalog.former_ids answered from the index: an alias written as an id (a slug)
    that no entry has as its id and exactly one entry lists in its `aliases`, the checked files
    as they are now on disk. The index's `alias` facets find the few entries to look at."""

    def __init__(self, view: CheckedAgainstIndex) -> None:
        self.view = view
        self._cache: dict[str, str | None] = {}

    def __getitem__(self, alias: str) -> str:
        if alias not in self._cache:
            self._cache[alias] = self._owner(alias)
        found = self._cache[alias]
        if found is None:
            raise KeyError(alias)
        return found

    def _owner(self, alias: str) -> str | None:
        from openai_catalog.index import fold
        from openai_catalog.schema import SLUG_RE

        view = self.view
        if not SLUG_RE.match(alias) or alias in view.by_id:
            return None
        owners = {
            ident
            for ident, path in view._rows(
                "SELECT e.id, e.path FROM facets f JOIN entries e ON e.rowid = f.entry,"
                " json_each(e.data, '$.aliases') a"
                " WHERE f.facet = 'alias' AND f.value = ? AND a.value = ?",
                (fold(alias), alias),
            )
            if path not in view.checked
        }
        owners.update(
            r.entry.id
            for r in view.records
            if r.entry is not None and alias in getattr(r.entry, "aliases", ())
        )
        return owners.pop() if len(owners) == 1 else None

    def __iter__(self) -> Iterator[str]:
        rows = self.view._rows(
            "SELECT DISTINCT a.value FROM entries e, json_each(e.data, '$.aliases') a"
        )
        aliases = [r[0] for r in rows]
        aliases += [a for r in self.view.records if r.entry is not None for a in r.entry.aliases]
        return iter([a for a in dict.fromkeys(aliases) if a in self])

    def __len__(self) -> int:
        return sum(1 for _ in self)


class CheckedAgainstIndex(Catalog):
    """Entry files checked against the rest of the catalogue as its index knows it: what
    `catalog validate FILE...` needs of the other entries (ids, kinds, claimed repos, the entries
    a reference or a lineage leads to) is looked up there, and only those files are read.

    Findings equal those of a full load (registry.load_catalog, then validate_catalog with
    `only`): files inside the catalogue are taken from it, in its load order; files outside it
    come after, as there."""

    def __init__(self, root: Path, files: list[Path]) -> None:
        from openai_catalog.index import open_index
        from openai_catalog.kinds import FOLDER_KINDS
        from openai_catalog.locate import display_paths
        from openai_catalog.registry import EntryGate, claims, load_licenses, read_record

        licenses, license_findings, licenses_path = load_licenses(root, strict=True)
        self.conn: sqlite3.Connection = open_index(root)
        display = display_paths()
        gate = EntryGate()
        inside: dict[str, Path] = {}
        outside: list[Path] = []
        for file in files:
            real = os.path.realpath(file)
            folder, name = os.path.split(os.path.dirname(real))[1], os.path.basename(real)
            candidate = root / folder / name
            if (
                folder in FOLDER_KINDS
                and name.endswith(".yaml")
                and not name.startswith(".")
                and os.path.realpath(candidate) == real
            ):
                inside[str(candidate)] = candidate
            else:
                outside.append(file)
        self.inside: list[Record] = [
            read_record(path, display(path), gate) for _, path in sorted(inside.items())
        ]
        self.outside: list[Record] = [read_record(p, display(p), gate) for p in outside]
        self.checked = set(inside)
        self._display = display
        self.inside_ids: dict[str, Record] = {}  # the first checked file stating each id
        # (field, key) -> the checked files that claim it, and where
        self._claims: dict[tuple[str, str], list[tuple[Record, Where]]] = {}
        for record in self.inside:
            if record.id:
                self.inside_ids.setdefault(record.id, record)
        for record in self.inside:
            if record.entry is not None:
                for name, value, where, _ in claims(record.entry):
                    self._claims.setdefault((name, value), []).append((record, where))
        super().__init__(
            root, [*self.inside, *self.outside], licenses, license_findings, licenses_path
        )

    def __post_init__(self) -> None:
        self.by_id = cast("dict[str, Record]", _Ids(self))
        self._former_ids = _FormerIds(self)

    @property
    def former_ids(self) -> dict[str, str]:
        return cast("dict[str, str]", self._former_ids)

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        return self.conn.execute(sql, params).fetchall()

    def close(self) -> None:
        self.conn.close()

    def claimants(self, field: str, key: str) -> list[tuple[str, Where]]:
        from openai_catalog.registry import claims

        found: dict[str, tuple[str, Where]] = {}
        for path, variant in self._rows(
            "SELECT c.path, c.variant FROM claims c JOIN files f ON f.path = c.path"
            " WHERE c.field = ? AND c.key = ? AND f.valid",
            (field, key),
        ):
            if path not in self.checked:
                where: Where = (field,) if variant is None else ("variants", variant, "hub")
                found[path] = (self._display(Path(path)), where)
        for record, where in self._claims.get((field, key), []):
            found[str(record.path)] = (record.display, where)
        return [found[p] for p in sorted(found)] + [
            (r.display, where)
            for r in self.outside
            if r.entry is not None
            for name, value, where, _ in claims(r.entry)
            if (name, value) == (field, key)
        ]
