"""The search index: an SQLite FTS5 database in the user cache, rebuilt when the catalogue changes.

Freshness is a fingerprint of the kind folders and of every entry file's size and modification
time (plus the licence table and the enrichment snapshot), so additions, removals and in-place
edits all show; freshness.py computes it, at start-up in parallel when it can.
A build writes a new file beside the old one and renames it over, so readers never see half an
index and two builds at once both leave a whole one. After an edit, the index is updated in place
instead (update_index): each entry file's size, time and inode are kept, and the rows of the files
that changed are taken out and put in again in one transaction (SQLite's rollback journal: a
reader waits out the commit, a crash is rolled back). Anything unreadable, foreign or of another
version is rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from openai_catalog import __version__, freshness
from openai_catalog._util import bulk_load, temporary_beside
from openai_catalog.errors import CatalogError
from openai_catalog.kinds import KIND_ORDER
from openai_catalog.query import Filter, Query, QueryError, Term

if TYPE_CHECKING:
    from openai_catalog.synonyms import Meaning

# 4: openness grades follow the documented rules of openness.py; entries without a licence field
# have no licence category (NULL) rather than "unknown"; entries are stored as pydantic's JSON;
# each entry's file and the relation edges are kept, so `show` reads one file, not all.
# 5: models' code licences as facets (`code_license:`); the openness grade reads the code licence.
# 6: a release's variants: their names, aliases and Hub ids are searched as aliases; every Hub id
# (the entry's and its variants') is a facet for `hub:` and for `show` to find the entry by; a
# release's downloads and likes are its own repo's and its variants' together; a relation to a
# former id leads to the renamed entry.
# 6 (in parallel): updated in place: each entry file's size, time and inode, the rows of an
# entry keyed by its rowid, suggestion words counted, so that a file's rows can be taken out again.
# 7: both sixes together; every claim of a file (its id, GitHub repo and the Hub repos of it and
# its variants) in `claims`; a relation led to a renamed entry keeps the id it was written with.
# 8: a compute programme's region as a facet, for `region:` and the place words of a search.
INDEX_VERSION = 8
APP_ID = 0x4F41_4943  # "OAIC": marks the file as ours
ENV_CACHE = "OPENAI_CATALOG_CACHE"
# bm25 weights in column order: name, aliases, tags, summary, description, compact.
FTS_COLUMNS = ("name", "aliases", "tags", "summary", "description", "compact")
FTS_WEIGHTS = (10.0, 8.0, 4.0, 2.0, 1.0, 6.0)
FTS_HASH_BYTES = 4 * 1024 * 1024
# The relevance of an entry that others point to (see _run): weight per pointing entry, and cap.
CITED_WEIGHT, CITED_CAP = 0.05, 10
SORTS = ("relevance", "downloads", "likes", "stars", "released", "name", "kind")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)

_SCHEMA = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE entries(
  rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, kind_order INTEGER,
  name TEXT NOT NULL, name_key TEXT, summary TEXT, by_json TEXT, license TEXT,
  license_category TEXT, commercial INTEGER, released TEXT, status TEXT, params INTEGER,
  weights TEXT, access TEXT, openness TEXT, downloads INTEGER, likes INTEGER, stars INTEGER,
  last_activity TEXT, data TEXT NOT NULL, path TEXT NOT NULL);
CREATE TABLE edges(entry INTEGER NOT NULL, source TEXT NOT NULL, relation TEXT NOT NULL,
  target TEXT NOT NULL, written TEXT);
CREATE TABLE facets(entry INTEGER NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY(entry, facet, value)) WITHOUT ROWID;
CREATE TABLE licenses(name TEXT PRIMARY KEY, id TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE vocab(word TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE files(path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, ino INTEGER, id TEXT,
  kind TEXT, valid INTEGER NOT NULL, entry INTEGER) WITHOUT ROWID;
CREATE TABLE claims(field TEXT NOT NULL, key TEXT NOT NULL, path TEXT NOT NULL, variant INTEGER);
CREATE VIRTUAL TABLE fts USING fts5({", ".join(FTS_COLUMNS)},
  tokenize='porter unicode61 remove_diacritics 2', content='');
CREATE INDEX entries_kind ON entries(kind);
"""
# Built after the rows are in, by one sort each. entries_kind is kept up to date while entries
# go in instead: a few kinds, rows in order, so each insert appends; built afterwards it would
# read the whole entries table (the stored entries: most of the file) back from disk. Rows of
# facets and files go in in key order (entry, path), so those tables append too.
_INDEXES = """
CREATE INDEX facets_value ON facets(facet, value, entry);
CREATE INDEX edges_target ON edges(target, relation, source);
CREATE INDEX edges_entry ON edges(entry);
CREATE INDEX files_id ON files(id) WHERE id IS NOT NULL;
CREATE INDEX edges_written ON edges(written) WHERE written IS NOT NULL;
CREATE INDEX claims_key ON claims(field, key);
CREATE INDEX claims_path ON claims(path);
"""
# An update in place rewrites the rows of the files that changed; past this share of the
# catalogue's files (and REBUILD_MIN_FILES) a full build, which reads in two processes and writes
# without a journal, is quicker. Measured with bench/search.py (see README, Performance).
REBUILD_FRACTION = 0.25
REBUILD_MIN_FILES = 200
WRITE_WAIT = 60.0  # seconds a writer waits for another's update, or for readers to finish
Progress = Callable[[int, int], None]  # (files done, files in all)
_progress: Progress | None = None


def set_progress(callback: Progress | None) -> None:
    """Have index builds and updates report how far they are; the command line passes a bar."""
    global _progress
    _progress = callback


class IndexError_(CatalogError):
    """The index could not be built or read."""


def cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """$OPENAI_CATALOG_CACHE, else $XDG_CACHE_HOME/openai-catalog, else ~/.cache/openai-catalog."""
    environ: Mapping[str, str] = os.environ if env is None else env
    if environ.get(ENV_CACHE):
        return Path(environ[ENV_CACHE]).expanduser()
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "openai-catalog"


def index_path(root: Path) -> Path:
    key = hashlib.blake2b(str(root.resolve()).encode(), digest_size=8).hexdigest()
    return cache_dir() / f"index-{key}.sqlite"


def fingerprint(root: Path) -> str:
    """What an index of `root` is built from: this program's version and the catalogue's state
    (see freshness.py), taken from the check started at start-up when there is one."""
    state = freshness.take(root) or freshness.fingerprint(root)
    return f"{__version__}|{state}"


def fold(text: str) -> str:
    """Lowercase ASCII-ish form: accents dropped, so Café finds cafe."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def compact(text: str) -> str:
    """GPT-J-6B -> gptj6b: lets `gptj` and `gpt j` find names written with separators."""
    return _NON_ALNUM.sub("", fold(text))


@dataclass
class IndexStatus:
    path: Path
    exists: bool
    fresh: bool
    reason: str
    entries: int = 0
    built_at: str | None = None
    size: int = 0


def _connect_ro(path: Path) -> sqlite3.Connection:
    # The path is quoted: in a URI a `?` or `#` in a folder name would end the path, and a `%`
    # would start an escape.
    from urllib.parse import quote

    return sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, check_same_thread=False)


def _read_meta(conn: sqlite3.Connection) -> dict[str, str]:
    if conn.execute("PRAGMA application_id").fetchone()[0] != APP_ID:
        raise sqlite3.DatabaseError("not an openai-catalog index")
    return dict(conn.execute("SELECT key, value FROM meta").fetchall())


def status(root: Path) -> IndexStatus:
    path = index_path(root)
    if not path.exists():
        return IndexStatus(path, False, False, "not built yet")
    try:
        conn = _connect_ro(path)
        try:
            meta = _read_meta(conn)
            count = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
            # A page overwritten in the middle leaves the header and the metadata readable:
            # only a walk over every page shows it.
            problems = [r[0] for r in conn.execute("PRAGMA integrity_check(5)")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return IndexStatus(
            path,
            True,
            False,
            f"unreadable ({exc}); the next search rebuilds it",
            size=path.stat().st_size,
        )
    if problems != ["ok"]:
        return IndexStatus(
            path,
            True,
            False,
            f"damaged ({problems[0]}); the next search rebuilds it",
            count,
            meta.get("built_at"),
            path.stat().st_size,
        )
    if meta.get("version") != str(INDEX_VERSION):
        reason, fresh = (
            f"index version {meta.get('version')} (this program writes {INDEX_VERSION})",
            False,
        )
    elif meta.get("fingerprint") != fingerprint(root):
        reason, fresh = "the catalogue changed since; the next search updates it", False
    else:
        reason, fresh = "up to date", True
    return IndexStatus(path, True, fresh, reason, count, meta.get("built_at"), path.stat().st_size)


def _fresh_connection(path: Path, stamp: str) -> tuple[sqlite3.Connection | None, str]:
    """A read-only connection when the index at `path` is of this version and state; else None
    and why: "missing", "stale" (of this version, so it can be updated) or "bad"."""
    if not path.exists():
        return None, "missing"
    try:
        conn = _connect_ro(path)
        meta = _read_meta(conn)
    except sqlite3.DatabaseError:
        return None, "bad"  # corrupt, foreign, truncated, or a half-done update to roll back
    if meta.get("version") == str(INDEX_VERSION) and meta.get("fingerprint") == stamp:
        return conn, "fresh"
    conn.close()
    return None, "stale" if meta.get("version") == str(INDEX_VERSION) else "bad"


def open_index(root: Path, rebuild: bool = False) -> sqlite3.Connection:
    """A read-only connection to a fresh index of `root`: an index of an earlier state is updated
    in place (update_index), one that cannot be is built again."""
    path = index_path(root)
    stamp = fingerprint(root)
    attempts = 0 if rebuild else 3  # an index replaced while we looked is looked at again
    for _ in range(attempts):
        conn, state = _fresh_connection(path, stamp)
        if conn is not None:
            return conn
        if state == "missing":
            break
        try:
            if update_index(root, path, stamp) is None:
                break
        except (OSError, sqlite3.DatabaseError):
            break  # damaged or unwritable: a full build replaces it, or says why it cannot
    try:
        build_index(root, path, stamp)
    except (
        OSError,
        sqlite3.DatabaseError,
    ) as exc:  # unwritable, or full ("database or disk is full")
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise IndexError_(
            f"cannot write the search index in {path.parent}: {reason}",
            f"set {ENV_CACHE} (or XDG_CACHE_HOME) to a folder you can write",
        ) from None
    conn = _connect_ro(path)
    _read_meta(conn)
    return conn


def _damaged(path: Path, exc: sqlite3.DatabaseError) -> IndexError_:
    return IndexError_(
        f"the search index {path} is damaged and rebuilding it did not help ({exc})",
        f"delete it and run the command again, or set {ENV_CACHE} to another folder",
    )


@dataclass
class BuildReport:
    entries: int = 0
    skipped: list[str] = field(default_factory=list)
    files: int = 0  # files read: every one in a build, those added or changed in an update
    removed: int = 0  # entry files gone since the last state (updates only)


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Hold the write lock of the index at `path` (if there is one that SQLite can open), so that
    no update is under way in it while a new build is renamed over it.

    Taking the lock also rolls back an update that a crash left half done: its journal would
    otherwise be found beside the new file and applied to it."""
    conn = None
    if path.exists():
        try:
            conn = sqlite3.connect(path, timeout=WRITE_WAIT, isolation_level=None)
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError:
            if conn is not None:
                conn.close()
            conn = None  # not a database: nobody can be updating it
    try:
        yield
    finally:
        if conn is not None:
            conn.close()  # rolls back the empty transaction


def _meta_rows(stamp: str, root: Path, entries: int, files: int) -> list[tuple[str, str]]:
    import datetime as dt

    from openai_catalog.schema import field_order

    return [
        ("version", str(INDEX_VERSION)),
        ("fingerprint", stamp),
        ("root", str(root)),
        ("built_at", dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
        ("entries", str(entries)),
        ("files", str(files)),
        ("field_orders", json.dumps({kind: field_order(kind) for kind in KIND_ORDER})),
    ]


def build_index(
    root: Path,
    path: Path | None = None,
    stamp: str | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the index of `root` into a temporary file and rename it into place.

    Entries stream from the files into SQLite in batches, so memory stays flat however large
    the catalogue; only what openness grading needs from the graph is kept until the end.
    """
    from openai_catalog.index_pipeline import PIPELINE_MIN_FILES
    from openai_catalog.registry import count_entry_files, iter_entry_files, load_licenses

    path = path or index_path(root)
    stamp = stamp or fingerprint(
        root
    )  # taken before reading: an edit during the build shows next time
    progress = progress or _progress
    licenses, _, _ = load_licenses(root, strict=True)
    enrichment = read_enrichment(root)
    report = BuildReport()
    with temporary_beside(path) as tmp:
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute(f"PRAGMA application_id={APP_ID}")
            conn.executescript(_SCHEMA)
            # FTS5 gathers new terms in memory and writes them out as a segment whenever they pass
            # `hashsize` (1 MiB by default); segments are then merged again and again. 4 MiB
            # writes a 10k catalogue in a few segments, most of the saving of 8 MiB (one segment),
            # while a cold search at 100k entries stays under 80 MiB. The value is kept in
            # fts_config; updates in place write a few rows at a time, far below it.
            try:
                conn.execute("INSERT INTO fts(fts, rank) VALUES ('hashsize', ?)", (FTS_HASH_BYTES,))
            except sqlite3.OperationalError:
                pass  # an SQLite without the setting builds the same index, more slowly
            with bulk_load():
                total = count_entry_files(root)
                # One step more than the files: sorting the indexes and merging the full text.
                if progress is not None:
                    progress(0, total + 1)
                inserter = _Inserter(conn, licenses, enrichment, report)
                inserter.run(
                    iter_entry_files(root), total >= PIPELINE_MIN_FILES, progress, total + 1
                )
            conn.executescript(_INDEXES)
            _follow_renames(conn)
            conn.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [
                    *_meta_rows(stamp, root, report.entries, report.files),
                    ("skipped", json.dumps(report.skipped)),
                ],
            )
            conn.commit()
            conn.execute("INSERT INTO fts(fts) VALUES ('optimize')")
            conn.commit()
        finally:
            conn.close()
        with _writing(path):
            os.replace(tmp, path)
    if progress is not None:
        progress(total + 1, total + 1)
    return report


def _global_state(stamp: str) -> str:
    """The part of a fingerprint that an update in place cannot follow: the program's version, the
    licence table and the enrichment snapshot (every entry's licence category and figures)."""
    parts = stamp.split("|")
    return "|".join([parts[0], *(p for p in parts if p.split(" ")[0] in freshness.SIDE_FILES)])


def _folder_states(stamp: str) -> dict[str, str]:
    parts = stamp.split("|")[1:]
    return {p.split(" ")[0]: p for p in parts if p.split(" ")[0] not in freshness.SIDE_FILES}


def update_index(
    root: Path,
    path: Path | None = None,
    stamp: str | None = None,
    progress: Progress | None = None,
    fraction: float = REBUILD_FRACTION,
    min_files: int = REBUILD_MIN_FILES,
    seen: freshness.Seen | None = None,
) -> BuildReport | None:
    """Bring the index of `root` up to the catalogue's state in place: the rows of the entry files
    added, changed or removed since its state are taken out and put in again, in one transaction,
    so a search at the same time sees the index before or after, never between. None when a full
    build is needed instead: another index version or root, another licence table or enrichment
    snapshot, or more than `fraction` of the files (and `min_files`) changed. `seen` holds stats
    the fingerprint `stamp` was computed from (freshness.fingerprint), used instead of new ones.

    Besides a file's own rows, what depends on other entries is redone: the openness grade of
    models trained on a dataset that changed, and which of two files claiming one id is indexed
    (the first, as in a build)."""
    path = path or index_path(root)
    stamp = stamp or fingerprint(root)
    progress = progress or _progress
    before = os.stat(path).st_ino
    conn = sqlite3.connect(path, timeout=WRITE_WAIT, isolation_level=None)
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] != APP_ID:
            return None
        conn.execute("BEGIN IMMEDIATE")
        if os.stat(path).st_ino != before:
            # A build was renamed into place while we waited: this file is an orphan. Report
            # success without writing; the caller looks at the new one.
            return BuildReport()
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        old = meta.get("fingerprint", "")
        if meta.get("version") != str(INDEX_VERSION):
            return None
        if old == stamp:
            return BuildReport()  # another process brought it up to date meanwhile
        if meta.get("root") != str(root) or _global_state(old) != _global_state(stamp):
            return None
        report = _Update(conn, root, meta, seen or {}).run(
            _folder_states(old), _folder_states(stamp), progress, fraction, min_files
        )
        if report is None:
            return None
        conn.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            [
                *_meta_rows(stamp, root, *_counts(conn)),
                ("built_at", meta.get("built_at", "")),
                ("skipped", json.dumps(report.skipped)),
            ],
        )
        conn.execute("COMMIT")
        if progress is not None:
            progress(1, 1)  # done
        return report
    finally:
        conn.close()  # an unfinished transaction is rolled back


QUIET_MAX_FILES = 200  # an update of this many files takes well under a second: no bar needed


def update_quietly(root: Path, state: str, seen: freshness.Seen | None = None) -> None:
    """The update in place of a few changed files, run by the child that checks the catalogue's
    state at start-up (freshness.start) while the command itself starts, with the stats that
    check took (`seen`): then the search finds the index current. Anything larger, or that needs
    a build, is left to the command, which shows its progress."""
    stamp = f"{__version__}|{state}"
    path = index_path(root)
    conn, found = _fresh_connection(path, stamp)
    if conn is not None:
        conn.close()
    elif found == "stale":
        update_index(root, path, stamp, fraction=0.0, min_files=QUIET_MAX_FILES, seen=seen)


def _counts(conn: sqlite3.Connection) -> tuple[int, int]:
    entries = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    files = conn.execute("SELECT count(*) FROM files").fetchone()[0]
    return int(entries), int(files)


class _Update:
    """One update in place, inside the transaction update_index opened."""

    def __init__(
        self, conn: sqlite3.Connection, root: Path, meta: dict[str, str], seen: freshness.Seen
    ) -> None:
        self.conn, self.root, self.meta, self.seen = conn, root, meta, seen

    def _scan(self, folders: Iterable[str]) -> tuple[set[str], list[str], dict[str, Any]]:
        """The entry files of `folders` that changed since they were indexed (new, edited, or
        whose stat fails), those removed, and the id each of those claimed as indexed.

        Disk and index are compared as sets of (path, size, mtime, inode), so a folder of 50,000
        files costs two set differences rather than a loop over its files. A folder the
        fingerprint saw (self.seen) is taken as it saw it, without a second look: the state the
        update is stamped with is the one those stats summed up."""
        changed: set[str] = set()
        removed: list[str] = []
        for folder in folders:
            prefix = os.path.join(str(self.root), folder, "")
            on_disk, failed = self._on_disk(folder, prefix)
            # Every path of the folder and none of another: the separator is followed by '0'.
            indexed = set(
                self.conn.execute(
                    "SELECT path, size, mtime, ino FROM files WHERE path > ? AND path < ?",
                    (prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)),
                )
            )
            changed.update(row[0] for row in on_disk - indexed)
            changed.update(failed)
            stale = indexed - on_disk  # rows of files removed, or changed since
            if stale:
                there = {row[0] for row in on_disk} | failed
                removed.extend(row[0] for row in stale if row[0] not in there)
        ids = dict(
            _chunked(
                self.conn, "SELECT path, id FROM files WHERE path IN ({})", [*changed, *removed]
            )
        )
        return changed, removed, ids

    def _on_disk(self, folder: str, prefix: str) -> tuple[set[tuple[Any, ...]], set[str]]:
        """The entry files of one kind folder as (path, size, mtime, inode), and the paths whose
        stat fails for another reason than their absence (read again, reported as a build
        would)."""
        got = self.seen.get(folder)
        if got is None:
            return _stat_folder(prefix)
        encoding, errors = sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()
        names = b"\0".join(got.names).decode(encoding, errors).split("\0") if got.names else []
        paths = [prefix + name for name in names]
        on_disk = set(zip(paths, got.sizes, got.mtimes, got.inodes, strict=True))
        failed: set[str] = set()
        if -1 in got.sizes:  # files listed but gone by their stat: looked at once more
            for path, size, mtime, inode in zip(
                paths, got.sizes, got.mtimes, got.inodes, strict=True
            ):
                if size < 0:
                    on_disk.discard((path, size, mtime, inode))
                    again = _stat_file(path)
                    if again is None:
                        failed.add(path)
                    elif again != "gone":
                        on_disk.add((path, *again))
        return on_disk, failed

    def run(
        self,
        old: dict[str, str],
        new: dict[str, str],
        progress: Progress | None,
        fraction: float,
        min_files: int,
    ) -> BuildReport | None:
        from openai_catalog.registry import load_licenses

        changed_folders = [f for f in new if old.get(f) != new[f]]
        changed, removed, indexed_ids = self._scan(changed_folders)
        total = int(self.meta.get("files") or 0)
        if len(changed) + len(removed) > max(min_files, fraction * total):
            return None
        report = BuildReport(removed=len(removed))
        reads = self._read(sorted(changed), progress)
        # Files that claim an id some changed file claimed or claims: which of them is indexed
        # may change (the first in file order), so they are taken out and put in again too.
        ids = {i for i in indexed_ids.values() if i}
        ids.update(r.id for r in reads if r.id)
        twins = self._twins(ids, changed | set(removed))
        if twins:
            reads = sorted([*reads, *self._read(sorted(twins), None)], key=lambda r: str(r.path))
        gone = [*removed, *changed, *twins]
        rowids = [
            r[0]
            for r in _chunked(
                self.conn,
                "SELECT entry FROM files WHERE entry IS NOT NULL AND path IN ({})",
                gone,
            )
        ]
        datasets = _remove_entries(self.conn, rowids)
        self.conn.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in gone])
        self.conn.executemany("DELETE FROM claims WHERE path = ?", [(p,) for p in gone])
        licenses, _, _ = load_licenses(self.root, strict=True)
        first = (self.conn.execute("SELECT max(rowid) FROM entries").fetchone()[0] or 0) + 1
        inserter = _Inserter(
            self.conn, licenses, read_enrichment(self.root), report, first, lookup=True
        )
        inserter.insert(reads)
        datasets.update(r.entry.id for r in reads if r.entry is not None and r.kind == "dataset")
        if not _regrade(self.conn, inserter, datasets, first):
            return None
        _follow_renames(self.conn)  # an edit may have added or taken out a former id
        report.skipped = [
            r[0]
            for r in self.conn.execute("SELECT path FROM files WHERE entry IS NULL ORDER BY path")
        ]
        return report

    def _read(self, paths: list[str], progress: Progress | None) -> list[Any]:
        from openai_catalog.index_pipeline import PIPELINE_MIN_FILES, read_entries

        out = []
        if progress is not None:
            progress(0, len(paths) + 1)
        for done, read in enumerate(
            read_entries([Path(p) for p in paths], len(paths) >= PIPELINE_MIN_FILES), 1
        ):
            out.append(read)
            if progress is not None and done % 256 == 0:
                progress(done, len(paths) + 1)
        return out

    def _twins(self, ids: set[str], known: set[str]) -> set[str]:
        rows = _chunked(self.conn, "SELECT path FROM files WHERE id IN ({})", sorted(ids))
        return {r[0] for r in rows if r[0] not in known}


def _stat_folder(prefix: str) -> tuple[set[tuple[Any, ...]], set[str]]:
    """The entry files in the folder `prefix` as (path, size, mtime, inode), and the paths whose
    stat fails, even for lack of the file (read again, and reported as a build would)."""
    try:
        names = os.listdir(prefix)
    except FileNotFoundError:
        names = []
    on_disk: set[tuple[Any, ...]] = set()
    failed: set[str] = set()
    for name in names:
        if name.endswith(".yaml") and not name.startswith("."):
            known = _stat_file(prefix + name)
            if isinstance(known, tuple):
                on_disk.add((prefix + name, *known))
            else:
                failed.add(prefix + name)
    return on_disk, failed


def _stat_file(path: str) -> tuple[int, int, int] | None | Literal["gone"]:
    """(size, mtime_ns, inode) of an entry file; "gone" when there is none; None when its stat
    fails otherwise (a loop of links, no permission): read again, and reported as a build would."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "gone"
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ino)


def _chunked(conn: sqlite3.Connection, sql: str, values: Sequence[Any]) -> list[Any]:
    """The rows of `sql` with its `IN ({})` over `values`, a few hundred at a time."""
    rows: list[Any] = []
    for start in range(0, len(values), 500):
        part = values[start : start + 500]
        rows.extend(conn.execute(sql.format(", ".join("?" * len(part))), part).fetchall())
    return rows


def _remove_entries(conn: sqlite3.Connection, rowids: list[int]) -> set[str]:
    """Take the rows of these entries out of every table (full text and suggestion words included:
    both are recomputed from the stored entry, as _indexed made them); the ids of datasets among
    them, whose models' grades may change."""
    datasets: set[str] = set()
    words: dict[str, int] = {}
    tag_words: dict[str, tuple[str, ...]] = {}
    columns = ", ".join(FTS_COLUMNS)
    for rowid, ident, kind, data in _chunked(
        conn, "SELECT rowid, id, kind, data FROM entries WHERE rowid IN ({})", rowids
    ):
        texts, found, _ = _indexed(json.loads(data), tag_words)
        conn.execute(
            f"INSERT INTO fts(fts, rowid, {columns}) VALUES ('delete', ?, ?, ?, ?, ?, ?, ?)",
            (rowid, *texts),
        )
        for word in found:
            words[word] = words.get(word, 0) + 1
        if kind == "dataset":
            datasets.add(ident)
    conn.executemany(
        "UPDATE vocab SET n = n - ? WHERE word = ?", [(n, w) for w, n in words.items()]
    )
    conn.executemany("DELETE FROM vocab WHERE word = ? AND n <= 0", [(w,) for w in words])
    for table in ("facets", "edges"):
        conn.executemany(f"DELETE FROM {table} WHERE entry = ?", [(r,) for r in rowids])
    conn.executemany("DELETE FROM entries WHERE rowid = ?", [(r,) for r in rowids])
    return datasets


def _regrade(conn: sqlite3.Connection, inserter: _Inserter, datasets: set[str], first: int) -> bool:
    """Grade again the models, among those not just put in, that are trained on `datasets`;
    False when a stored model no longer reads as one (then the index is built anew)."""
    from openai_catalog.schema import ENTRY_TYPES

    rows = _chunked(
        conn,
        "SELECT DISTINCT e.rowid, e.data FROM edges g JOIN entries e ON e.rowid = g.entry "
        "WHERE g.relation = 'trained_on' AND e.kind = 'model' AND e.rowid < "
        f"{int(first)} AND g.target IN ({{}})",
        sorted(datasets),
    )
    model = ENTRY_TYPES["model"]
    grades = []
    for rowid, data in rows:
        try:
            entry = model.model_validate_json(data)
        except ValueError:  # stored by an earlier schema that reads it otherwise: build anew
            return False
        grades.append((inserter.grade_of(entry, inserter.graph).grade, rowid))
    conn.executemany("UPDATE entries SET openness = ? WHERE rowid = ?", grades)
    return True


def read_enrichment(root: Path) -> dict[str, Any]:
    """The `entries` of catalog/enrichment.json by id, each record with only the fields that have
    their type and range; empty when the snapshot is absent or unreadable."""
    from openai_catalog.enrich.snapshot import clean_entries

    try:
        from openai_catalog._util import read_regular
        from openai_catalog.enrich.snapshot import SNAPSHOT_MAX_BYTES

        data = json.loads(read_regular(root / "enrichment.json", SNAPSHOT_MAX_BYTES))
    except (OSError, ValueError, RecursionError):  # absent, a pipe or device, too large, not JSON
        return {}
    entries = data.get("entries") if isinstance(data, dict) else None
    return clean_entries(entries) if isinstance(entries, dict) else {}


def _hub_figures(record: Any) -> dict[str, Any]:
    """The Hub fields of an entry, with the downloads and likes of its variants' repos added to
    its own and the latest of their modification dates: a release is used through any of its
    checkpoints, so its figures are theirs together."""
    from openai_catalog.enrich.snapshot import VARIANT

    own = _fields(record, "hub")
    variants = (
        [_fields(record, key) for key in record if key.startswith(VARIANT)]
        if isinstance(record, dict)
        else []
    )
    if not variants:
        return own
    figures = dict(own)
    for name in ("downloads", "likes"):
        counts = [f[name] for f in (own, *variants) if isinstance(f.get(name), int)]
        if counts:
            figures[name] = sum(counts)
    dates = [f["last_modified"] for f in (own, *variants) if f.get("last_modified")]
    if dates:
        figures["last_modified"] = max(dates)
    return figures


def _fields(record: Any, source: str) -> dict[str, Any]:
    part = record.get(source) if isinstance(record, dict) else None
    fields = part.get("fields") if isinstance(part, dict) else None
    return fields if isinstance(fields, dict) else {}


def _indexed(
    data: Mapping[str, Any], tag_words: dict[str, tuple[str, ...]]
) -> tuple[tuple[str, ...], set[str], str]:
    """What an entry puts in the full-text index (its FTS_COLUMNS texts) and among the suggestion
    words, and its name key, from its fields: pydantic's field values when it is indexed, its
    stored JSON when an update takes it out again, so the two must read the same fields alike.
    A field to search is added here (and to FTS_COLUMNS). `tag_words` caches each tag's words."""
    name, ident = data["name"], data["id"]
    tags = data.get("tags") or []
    hubs, others = _other_names(data)
    names = [name, *others, *hubs, ident]
    folded = [fold(text) for text in names]
    packed = [_NON_ALNUM.sub("", text) for text in folded]
    texts = (
        name,
        " ".join(names[1:]),
        " ".join(tags).replace("-", " "),
        data["summary"],
        data.get("description") or "",
        " ".join(dict.fromkeys(packed)),
    )
    words = {w for text in folded for w in _WORDS.findall(text) if len(w) > 2}
    words.update(w for w in packed if w)
    for tag in tags:
        found = tag_words.get(tag)
        if found is None:  # a tag adds the same words every time: found once
            text = fold(tag)
            found = tag_words[tag] = (
                *[w for w in _WORDS.findall(text) if len(w) > 2],
                _NON_ALNUM.sub("", text),
            )
        words.update(w for w in found if w)
    return texts, words, folded[0]


def _other_names(data: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """An entry's Hub repos (its own, then its variants') and its other names (its aliases, then
    each variant's name and aliases), from pydantic's field values or from its stored JSON."""
    variants = [v if isinstance(v, Mapping) else v.__dict__ for v in data.get("variants") or ()]
    hubs = [h for h in (data.get("hub"), *(v.get("hub") for v in variants)) if h]
    others = [
        *(data.get("aliases") or ()),
        *(n for v in variants for n in (v["name"], *(v.get("aliases") or ()))),
    ]
    return hubs, others


def _follow_renames(conn: sqlite3.Connection) -> None:
    """A relation written with an id from before a rename leads to the renamed entry, the one
    entry whose aliases hold that id, as validate reads it (CAT033). The id as written is kept
    (`written`), so that after an update in place, which may add or take out such an alias or
    the id itself, every relation is led again from what its entry says."""
    conn.execute("UPDATE edges SET target = written, written = NULL WHERE written IS NOT NULL")
    conn.execute(
        "UPDATE edges SET written = target, target = (SELECT e.id FROM facets f JOIN entries e"
        " ON e.rowid = f.entry WHERE f.facet = 'alias' AND f.value = edges.target)"
        " WHERE target IN (SELECT value FROM facets WHERE facet = 'alias')"
        " AND target NOT IN (SELECT id FROM entries) AND (SELECT count(*) FROM facets"
        " WHERE facet = 'alias' AND value = edges.target) = 1"
    )


class _Graph:
    """The little of the catalogue that openness grading needs: the licence table and, per
    dataset, the values of its grading fields (a tuple: at 100k entries a namespace per dataset
    would hold several MiB more). In an update, datasets not read are looked up in the index."""

    def __init__(
        self, licenses: Any, fields: Sequence[str], conn: sqlite3.Connection | None = None
    ) -> None:
        self.licenses = licenses
        self.fields = fields
        self.datasets: dict[str, tuple[Any, ...]] = {}
        self.conn = conn

    def get(self, entry_id: str) -> Any:
        values = self.datasets.get(entry_id)
        if values is None and self.conn is not None:
            row = self.conn.execute(
                "SELECT data FROM entries WHERE id = ? AND kind = 'dataset'", (entry_id,)
            ).fetchone()
            if row is not None:
                data = json.loads(row[0])
                values = self.datasets[entry_id] = tuple(data.get(f) for f in self.fields)
        return (
            None
            if values is None
            else SimpleNamespace(**dict(zip(self.fields, values, strict=True)))
        )


class _Inserter:
    BATCH = 2000

    def __init__(
        self,
        conn: sqlite3.Connection,
        licenses: Any,
        enrichment: dict[str, Any],
        report: BuildReport,
        first_rowid: int = 1,
        lookup: bool = False,
    ) -> None:
        self.conn, self.licenses, self.enrichment, self.report = conn, licenses, enrichment, report
        self.next_rowid = first_rowid
        self.rows: list[tuple[Any, ...]] = []
        self.facets: list[tuple[Any, ...]] = []
        self.texts: list[tuple[Any, ...]] = []
        self.edges: list[tuple[int, str, str, str]] = []  # with the rowid of the entry they leave
        self.files: list[list[Any]] = []
        self.claims: list[tuple[str, str, str, int | None]] = []  # (field, key, path, variant)
        # Only this batch's words and ids are kept here: earlier ones are in the index already,
        # so memory does not grow with the catalogue.
        self.vocab: dict[str, int] = {}
        self.batch_ids: set[str] = set()
        self._by_json: dict[tuple[str, ...], str] = {}  # communities recur: encode each list once
        self._tag_words: dict[str, tuple[str, ...]] = {}
        from openai_catalog.licenses import LicenseError
        from openai_catalog.openness import DATASET_FIELDS, grade
        from openai_catalog.registry import claims

        self._license_error, self._dataset_fields, self.grade_of, self._claims = (
            LicenseError,
            DATASET_FIELDS,
            grade,
            claims,
        )
        self.graph = _Graph(licenses, DATASET_FIELDS, conn if lookup else None)

    def run(
        self,
        files: Iterable[Path],
        many: bool = False,
        progress: Progress | None = None,
        total: int = 0,
    ) -> None:
        from openai_catalog.index_pipeline import read_entries

        table = self.licenses
        self.conn.executemany(
            "INSERT OR IGNORE INTO licenses VALUES (?, ?)",
            [
                (name.lower(), lic.id)
                for name in table.names()
                for lic in [table.get(name)]
                if lic is not None
            ],
        )
        self.insert(read_entries(files, many), progress, total)
        self.report.skipped.sort()  # file order: twins of earlier batches were found at flush

    def insert(
        self, reads: Iterable[Any], progress: Progress | None = None, total: int = 0
    ) -> None:
        """Index each file read (index_pipeline.Read), in file order."""
        for done, read in enumerate(reads, 1):
            entry = read.entry
            self.report.files += 1
            if entry is None or entry.id in self.batch_ids:  # an earlier batch's twin: see flush()
                self.report.skipped.append(str(read.path))
                self._file(read, None)
            else:
                self.batch_ids.add(entry.id)
                self._file(read, self.add(entry, read.path))
                if len(self.rows) >= self.BATCH:
                    self.flush()
            if progress is not None and done % 500 == 0:
                progress(done, total)
        self.flush()

    def _file(self, read: Any, rowid: int | None) -> None:
        size, mtime, ino = read.stat or (None, None, None)
        if read.entry is not None:
            self.claims.extend(
                (field, key, str(read.path), int(where[1]) if where[0] == "variants" else None)
                for field, key, where, _ in self._claims(read.entry)
            )
        self.files.append(
            [
                str(read.path),
                size,
                mtime,
                ino,
                read.id,
                read.kind,
                int(read.entry is not None),
                rowid,
            ]
        )

    def add(self, entry: Any, path: Path) -> int:
        report = self.report
        report.entries += 1
        rowid = self.next_rowid
        self.next_rowid += 1
        fields = (
            entry.__dict__
        )  # pydantic keeps field values here; getattr would raise for other kinds
        ident, kind, licence, by, tags = (
            entry.id,
            entry.kind,
            entry.license,
            entry.by,
            entry.tags,
        )
        try:
            resolved = self.licenses.resolve(licence) if licence else None
        except self._license_error:
            resolved = None
        category = resolved.category if resolved else ("unknown" if licence else None)
        record = self.enrichment.get(ident)
        hub, gh = _hub_figures(record), _fields(record, "github")
        activity = max(filter(None, [hub.get("last_modified"), gh.get("pushed_at")]), default=None)
        by_key = tuple(by)
        by_json = self._by_json.get(by_key)
        if by_json is None:
            by_json = self._by_json[by_key] = json.dumps(by)
        texts, words, name_key = _indexed(fields, self._tag_words)
        self.rows.append(
            (
                rowid,
                ident,
                kind,
                KIND_ORDER[kind],
                entry.name,
                name_key,
                entry.summary,
                by_json,
                licence,
                category,
                None
                if resolved is None or resolved.commercial is None
                else int(resolved.commercial),
                entry.released,
                entry.status,
                fields.get("parameters"),
                fields.get("weights"),
                fields.get("access"),
                self._grade(entry, fields),
                hub.get("downloads"),
                hub.get("likes"),
                gh.get("stars"),
                activity,
                entry.model_dump_json(exclude_none=True),  # canonical() when read back
                str(path),
            )
        )
        edges = self.edges
        edges.extend([(rowid, ident, "by", target) for target in by])
        for relation, targets in entry.relations.__dict__.items():
            if targets:
                edges.extend([(rowid, ident, relation, target) for target in targets])
        if entry.superseded_by:
            edges.append((rowid, ident, "superseded_by", entry.superseded_by))
        facets = self.facets
        facets.extend([(rowid, "tag", t.lower()) for t in tags])
        facets.extend([(rowid, "by", b) for b in by])
        facets.extend([(rowid, "modality", m) for m in entry.modalities])
        region = fields.get("region")
        if isinstance(region, str) and region.strip():  # a compute programme's, for `region:`
            facets.append((rowid, "region", region.strip().lower()))
        hubs, others = _other_names(fields)
        facets.extend([(rowid, "hub", h) for h in dict.fromkeys(h.lower() for h in hubs)])
        # former ids and other names, for `show` to find the entry by
        facets.extend([(rowid, "alias", a) for a in dict.fromkeys(fold(a) for a in others)])
        if resolved:
            facets.extend([(rowid, "license", i) for i in resolved.ids])
        code_licence = fields.get("code_license")
        if code_licence:  # a model's code licence, filtered by `code_license:`
            try:
                code = self.licenses.resolve(code_licence)
            except self._license_error:
                code = None
            if code is not None:
                facets.extend([(rowid, "code_license", i) for i in code.ids])
                facets.append((rowid, "code_license_category", code.category))
        self.texts.append((rowid, *texts))
        vocab = self.vocab
        for word in words:
            vocab[word] = vocab.get(word, 0) + 1
        return rowid

    def _grade(self, entry: Any, fields: dict[str, Any]) -> str | None:
        """Grade as entries stream in: datasets/ is read before models/, so a model's training
        data is judged from datasets already seen; only their few grading fields are kept."""
        kind = entry.kind
        if kind == "model":
            return self.grade_of(entry, self.graph).grade
        if kind == "dataset":
            self.graph.datasets.setdefault(
                entry.id, tuple([fields[f] for f in self._dataset_fields])
            )
            return self.grade_of(entry, self.graph).grade
        return None

    def flush(self) -> None:
        # The unique index on entries.id finds an id that an earlier batch holds already: the
        # first one stays, as in file order; the twin and everything it brought are dropped.
        before = self.conn.total_changes
        self.conn.executemany(
            f"INSERT OR IGNORE INTO entries VALUES ({', '.join('?' * 23)})", self.rows
        )
        if self.conn.total_changes - before < len(self.rows):
            self._drop_twins()
        self.conn.executemany(
            "INSERT INTO edges(entry, source, relation, target) VALUES (?, ?, ?, ?)", self.edges
        )
        self.conn.executemany("INSERT OR IGNORE INTO facets VALUES (?, ?, ?)", self.facets)
        self.conn.executemany(
            f"INSERT INTO fts(rowid, {', '.join(FTS_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            self.texts,
        )
        # In key order: the tables are b-trees on the word and the path, so each insert appends.
        self.conn.executemany(
            "INSERT INTO vocab VALUES (?, ?) ON CONFLICT(word) DO UPDATE SET n = n + excluded.n",
            sorted(self.vocab.items()),
        )
        self.conn.executemany(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)", self.files
        )
        self.conn.executemany("INSERT INTO claims VALUES (?, ?, ?, ?)", self.claims)
        self.rows, self.facets, self.texts, self.edges, self.files = [], [], [], [], []
        self.claims = []
        self.vocab, self.batch_ids = {}, set()

    def _drop_twins(self) -> None:
        rowids = [row[0] for row in self.rows]
        kept = {
            r[0]
            for r in self.conn.execute(
                f"SELECT rowid FROM entries WHERE rowid IN ({', '.join('?' * len(rowids))})", rowids
            )
        }
        twins = {row[0]: row[-1] for row in self.rows if row[0] not in kept}  # rowid -> path
        self.report.entries -= len(twins)
        self.report.skipped.extend(twins.values())
        self.edges = [e for e in self.edges if e[0] not in twins]
        self.facets = [f for f in self.facets if f[0] not in twins]
        dropped = {t[0] for t in self.texts if t[0] in twins}
        self.texts = [t for t in self.texts if t[0] not in dropped]
        for row in self.files:
            if row[7] in twins:
                row[7] = None
        # Their words were counted with the batch: count them out again.
        for twin in (r for r in self.rows if r[0] in dropped):
            _, words, _ = _indexed(json.loads(twin[21]), self._tag_words)
            for word in words:
                self.vocab[word] -= 1
        self.vocab = {w: n for w, n in self.vocab.items() if n > 0}


# --- searching --------------------------------------------------------------------------------


def _quote(text: str) -> str:
    """A string as an FTS5 string literal: user text never reaches FTS5 as syntax."""
    return '"' + text.replace('"', '""') + '"'


def term_expression(term: Term) -> str:
    """The FTS5 expression of one term: the words themselves, or the start of a name written
    without separators (gptj finds GPT-J-6B), for three letters or more."""
    if term.phrase:
        return _quote(term.text)
    words = _quote(term.text) + (" *" if term.prefix else "")
    packed = compact(term.text)
    if len(packed) < 3:
        # A letter or two is no name: as a prefix, `j` (of "GPT J") would find JAX and Jupiter.
        return words
    return f"({words} OR compact : {_quote(packed)} *)"


@dataclass
class Hit:
    id: str
    kind: str
    name: str
    summary: str
    by: list[str]
    license: str | None
    license_category: str | None
    released: str | None
    status: str
    params: int | None
    openness: str | None
    downloads: int | None
    likes: int | None
    stars: int | None
    last_activity: str | None
    data: dict[str, Any]
    score: float | None = None


@dataclass
class Result:
    hits: list[Hit]
    total: int
    suggestions: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # entry files left out: they do not validate
    # (typed word, word searched instead): when nothing matched as typed, near spellings did
    corrections: list[tuple[str, str]] = field(default_factory=list)


class Searcher:
    """Runs parsed queries against an open index."""

    def __init__(self, conn: sqlite3.Connection, query_text: str = "") -> None:
        self.conn = conn
        self.query_text = query_text

    def _error(self, message: str, hint: str | None = None) -> QueryError:
        return QueryError(self.query_text, 0, message, hint)

    def _filter_sql(self, f: Filter) -> tuple[str, list[Any]]:
        column = {
            "kind": "e.kind",
            "status": "e.status",
            "weights": "e.weights",
            "access": "e.access",
            "id": "e.id",
        }.get(f.field)
        if column:
            return f"{column} = ?", [f.value]
        if f.field in ("params", "downloads", "likes", "stars"):
            return f"e.{f.field} {'=' if f.op == '=' else f.op} ?", [f.value]
        if f.field == "released":
            return _date_sql(str(f.value), f.op)
        value = str(f.value).lower()
        if f.field == "license":
            from openai_catalog._categories import CATEGORIES

            if value in CATEGORIES:
                return "e.license_category = ?", [value]
            if value in ("commercial", "commercial-use"):
                return "e.commercial = 1", []
            if value in ("noncommercial", "non-commercial-only"):
                return "e.commercial = 0", []
            return _facet("license"), [
                self._licence_id(f, value, "neither a licence, a category nor 'commercial'")
            ]
        if f.field == "code_license":
            from openai_catalog._categories import CATEGORIES

            if value in CATEGORIES:
                return _facet("code_license_category"), [value]
            return _facet("code_license"), [
                self._licence_id(f, value, "neither a licence nor a category")
            ]
        if f.field == "by":
            return _facet("by"), [self._community(f)]
        if f.field == "openness":
            from openai_catalog.openness import matching_grades

            kinds, grades = matching_grades(f.op, value)
            return (
                f"(e.kind IN ({', '.join('?' * len(kinds))}) AND "
                f"e.openness IN ({', '.join('?' * len(grades))}))"
            ), [*kinds, *grades]
        return _facet(f.field), [value]

    def _licence_id(self, f: Filter, value: str, what: str) -> str:
        """The licence table's id for a name typed in a filter; a usage error naming near ones."""
        from openai_catalog._categories import CATEGORIES

        row = self.conn.execute("SELECT id FROM licenses WHERE name = ?", (value,)).fetchone()
        if row is None:
            names = [r[0] for r in self.conn.execute("SELECT name FROM licenses")]
            from openai_catalog._util import did_you_mean

            raise self._error(
                f"{f.field}: {f.raw!r} is {what}",
                did_you_mean(value, [*names, *CATEGORIES])
                or f"categories: {', '.join(CATEGORIES)}",
            )
        return str(row[0])

    def _community(self, f: Filter) -> str:
        value = str(f.value)
        row = self.conn.execute(
            "SELECT id FROM entries WHERE kind = 'community' AND (id = ? OR name_key = ?)",
            (value.lower(), fold(value)),
        ).fetchone()
        if row:
            return str(row[0])
        if self.conn.execute(
            "SELECT 1 FROM facets WHERE facet = 'by' AND value = ?", (value.lower(),)
        ).fetchone():
            return value.lower()  # a maker the entries name, though it has no entry of its own
        # A name that is no community would silently find nothing: say so, and what is near.
        known = [r[0] for r in self.conn.execute("SELECT id FROM entries WHERE kind = 'community'")]
        from openai_catalog._util import did_you_mean

        raise self._error(
            f"by: no community {value!r}",
            did_you_mean(value.lower(), known) or "see them with: catalog list kind:community",
        )

    def _item_sql(self, item: Term | Filter) -> tuple[str, list[Any]]:
        if isinstance(item, Term):
            sql, params = (
                "e.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)",
                [term_expression(item)],
            )
        else:
            sql, params = self._filter_sql(item)
        if item.negated:
            sql = f"NOT coalesce(({sql}), 0)"
        return sql, params

    def search(self, query: Query, sort: str = "relevance", limit: int | None = None) -> Result:
        """Run a query as synonyms.py reads it; when nothing matches and a searched word is found
        nowhere, search its nearest spelling instead (the result names each correction)."""
        from openai_catalog.synonyms import interpret

        result = self._run(interpret(query), sort, limit)
        if result.total or not query.positive_terms:
            return result
        corrected, corrections = self._corrected(query)
        if corrections:
            again = self._run(interpret(corrected), sort, limit)
            if again.total:
                again.corrections = corrections
                return again
        result.suggestions = self.suggest(query.positive_terms)
        return result

    def _corrected(self, query: Query) -> tuple[Query, list[tuple[str, str]]]:
        """The query with each plain word that matches no entry replaced by its nearest spelling."""
        corrections: list[tuple[str, str]] = []
        clauses: list[list[Term | Filter]] = []
        for clause in query.clauses:
            items: list[Term | Filter] = []
            for item in clause:
                if (
                    isinstance(item, Term)
                    and not item.negated
                    and not item.prefix
                    and not self._matches(item)
                ):
                    fixed = self.suggest([item], n=1)
                    if fixed:
                        corrections.append((item.text, fixed[0]))
                        item = Term(fixed[0], phrase=item.phrase)
                items.append(item)
            clauses.append(items)
        return Query(clauses), corrections

    def _matches(self, term: Term) -> bool:
        return (
            self.conn.execute(
                "SELECT 1 FROM fts WHERE fts MATCH ? LIMIT 1", (term_expression(term),)
            ).fetchone()
            is not None
        )

    def _run(self, meaning: Meaning, sort: str, limit: int | None) -> Result:
        query = meaning.query
        positive = [t for t in query.positive_terms]
        # When every clause that holds a word holds only words, the words' clauses are exactly an
        # FTS5 expression: one MATCH then both selects and ranks, and a common word costs no more
        # than its rarest neighbour. Otherwise (`a OR kind:tool`) each clause is tested on its own
        # and the ranking matches any word.
        textual = [
            c for c in query.clauses if any(isinstance(i, Term) and not i.negated for i in c)
        ]
        exact = bool(textual) and all(
            isinstance(i, Term) and not i.negated for c in textual for i in c
        )
        where: list[str] = []
        params: list[Any] = []
        in_match = (
            {id(c) for c in textual} if exact else set()
        )  # by identity: `in` a list is quadratic
        for clause in query.clauses:
            if id(clause) in in_match:
                continue
            parts = [self._item_sql(item) for item in clause]
            where.append("(" + " OR ".join(p[0] for p in parts) + ")")
            params.extend(v for p in parts for v in p[1])
        rank_join, score, asked = "", "NULL", ""
        rank_params: list[str] = []
        if positive:
            weights = ", ".join(str(w) for w in FTS_WEIGHTS)
            rank_join = (
                f"{'' if exact else 'LEFT '}JOIN (SELECT rowid AS r, bm25(fts, {weights}) "
                f"AS score FROM fts WHERE fts MATCH ?) s ON s.r = e.rowid"
            )
            expression = (
                " AND ".join(
                    "(" + " OR ".join(term_expression(t) for t in c) + ")"  # type: ignore[arg-type]
                    for c in textual
                )
                if exact
                else " OR ".join(
                    term_expression(t)
                    for t in positive
                    if t not in meaning.unranked or len(positive) == 1
                )
            )
            if meaning.phrase:
                # Implied by the words' clauses, so it selects nothing more; it ranks entries that
                # have the words in the order typed above those that have them scattered.
                expression = f"({expression}) OR {_quote(meaning.phrase)}"
            rank_params = [expression]
            # Kinds the words asked for come first among equals; communities (the makers) come
            # after what they made unless asked for, or named (see the name key below).
            kinds = [k for k in meaning.kinds if k in KIND_ORDER]
            boost = (
                f"WHEN e.kind IN ({', '.join(repr(k) for k in kinds)}) THEN 3.0 " if kinds else ""
            )
            # What other entries build on, train on, use or were made by weighs a little more:
            # 5% for each entry that points to it, up to ten (Sentence Transformers, which many
            # entries use, before a tool that only has "embeddings" in its name more often).
            score = (
                f"(s.score * CASE {boost}WHEN e.kind = 'community' THEN 0.3 ELSE 1.0 END "
                f"* (1.0 + {CITED_WEIGHT} * min((SELECT count(*) FROM edges WHERE target = e.id), "
                f"{CITED_CAP})))"
            )
            # A kind word beside others (`instruction dataset`) puts that kind first.
            if meaning.first:
                asked = f"e.kind NOT IN ({', '.join(repr(k) for k in meaning.first)}), "
        named, order_params = "", []
        if sort == "relevance" and positive and len(meaning.name) >= 2:
            # An entry whose name, alias or id is what was typed (gpt-j, llama.cpp, the pile) leads,
            # then those whose name starts so (falcon: Falcon-7B before a dataset that cites it),
            # the names with fewer words after it first: "Stable Diffusion 2.1" is closer to
            # `stable diffusion` than "Stable Diffusion WebUI Forge", whatever else each says.
            # One key, one prefix match: the tier, plus a fraction that grows with the spaces in
            # the name (a name has at most 120 characters, so it stays below 0.12).
            # Two characters (t5, r1) are a name only when spelt whole: as a prefix they would
            # name half the catalogue.
            prefix = len(meaning.name) >= 3
            named = (
                "CASE WHEN e.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?) THEN 0 "
                + (
                    "WHEN e.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?) "
                    "THEN 1 + (length(e.name) - length(replace(e.name, ' ', ''))) / 1000.0 "
                    if prefix
                    else ""
                )
                + "ELSE 2 END, "
            )
            order_params = [f"compact : {_quote(meaning.name)}"]
            if prefix:
                order_params.append(f"compact : {_quote(meaning.name)} *")
        # The id last: ties do not fall to the row order, which an update in place changes.
        order = {
            "relevance": f"{named}{score} IS NULL, {asked}{score}, e.kind_order, e.name_key, e.id",
            "downloads": "e.downloads IS NULL, e.downloads DESC, e.name_key, e.id",
            "likes": "e.likes IS NULL, e.likes DESC, e.name_key, e.id",
            "stars": "e.stars IS NULL, e.stars DESC, e.name_key, e.id",
            "released": "e.released IS NULL, e.released DESC, e.name_key, e.id",
            "name": "e.name_key, e.id",
            "kind": "e.kind_order, e.name_key, e.id",
        }[sort]
        where_sql = f"WHERE {' AND '.join(where)}" if where else ""
        columns = (
            "e.id, e.kind, e.name, e.summary, e.by_json, e.license, e.license_category, "
            "e.released, e.status, e.params, e.openness, e.downloads, e.likes, e.stars, "
            "e.last_activity, e.data"
        )
        try:
            if limit is None:
                rows = self.conn.execute(
                    f"SELECT {columns}, {score} FROM entries e {rank_join} {where_sql} ORDER BY {order}",
                    [*rank_params, *params, *order_params],
                ).fetchall()
                total = len(rows)
            else:
                # Rank row ids first and read the stored entries of the first `limit` only: sorting
                # whole rows of a broad match would hold every matching entry in memory.
                # count(*) OVER () counts every match in the same pass that ranks them.
                ranked = self.conn.execute(
                    f"SELECT e.rowid, {score}, count(*) OVER () FROM entries e {rank_join} {where_sql} "
                    f"ORDER BY {order} LIMIT ?",
                    [*rank_params, *params, *order_params, limit],
                ).fetchall()
                total = ranked[0][2] if ranked else 0
                found = {
                    r[0]: r
                    for r in self.conn.execute(
                        f"SELECT e.rowid, {columns} FROM entries e WHERE e.rowid IN "
                        f"({', '.join('?' * len(ranked))})",
                        [r[0] for r in ranked],
                    )
                }
                rows = [(*found[rowid][1:], rank) for rowid, rank, _ in ranked]
        except sqlite3.OperationalError as exc:
            raise self._error(
                f"the search engine refused it ({exc})", 'put unusual text in "quotes"'
            ) from None
        from openai_catalog._util import canonical

        orders = self._field_orders()
        hits = [
            Hit(
                r[0],
                r[1],
                r[2],
                r[3],
                json.loads(r[4]),
                r[5],
                r[6],
                r[7],
                r[8],
                r[9],
                r[10],
                r[11],
                r[12],
                r[13],
                r[14],
                canonical(json.loads(r[15]), orders[r[1]]),
                r[16],
            )
            for r in rows
        ]
        return Result(hits, total)

    def _field_orders(self) -> dict[str, list[str]]:
        """The schema's key order per kind, stored at build time so reading needs no pydantic."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'field_orders'").fetchone()
        return json.loads(row[0]) if row else {}

    def suggest(self, terms: Sequence[Term], n: int = 5) -> list[str]:
        """Near spellings of the words searched for, from names, aliases, ids and tags."""
        import difflib

        found: list[str] = []
        for term in terms[
            :16
        ]:  # a handful of suggestions is all that is shown; each word costs a scan
            for word in _WORDS.findall(fold(term.text)) or [fold(term.text)]:
                if len(word) < 3:
                    continue
                low, high = word[0], chr(ord(word[0]) + 1)
                candidates = [
                    r[0]
                    for r in self.conn.execute(
                        "SELECT word FROM vocab WHERE word >= ? AND word < ? AND length(word) "
                        "BETWEEN ? AND ?",
                        (low, high, len(word) - 3, len(word) + 3),
                    )
                ]
                found.extend(difflib.get_close_matches(word, candidates, n=n, cutoff=0.7))
        return list(dict.fromkeys(found))[:n]


def _facet(name: str) -> str:
    return f"e.rowid IN (SELECT entry FROM facets WHERE facet = '{name}' AND value = ?)"


def _next_date(value: str) -> str:
    """The first partial date after `value` at its own precision: 2021 -> 2022, 2021-12 -> 2022-01."""
    import datetime as dt

    parts = [int(p) for p in value.split("-")]
    if parts[0] == 9999 and parts[1:] in ([], [12], [12, 31]):
        return value + "~"  # past the calendar's end: a text after every date that starts so
    if len(parts) == 1:
        return f"{parts[0] + 1:04d}"
    if len(parts) == 2:
        year, month = parts
        return f"{year + month // 12:04d}-{month % 12 + 1:02d}"
    day = dt.date(*parts) + dt.timedelta(days=1)
    return day.isoformat()


def _full_date(value: str) -> str:
    """A partial date as its first day: 2021 -> 2021-01-01, 2021-06 -> 2021-06-01."""
    return value + "-01-01"[: 10 - len(value)] if len(value) < 10 else value


# A release known only to the month or year counts as its first day, on both sides of a comparison.
_RELEASED = (
    "(CASE length(e.released) WHEN 4 THEN e.released || '-01-01' "
    "WHEN 7 THEN e.released || '-01' ELSE e.released END)"
)


def _date_sql(value: str, op: str) -> tuple[str, list[Any]]:
    """`released` compared with a bound that covers its whole year, month or day: `>2023-05` is
    from June 2023 on, `<=2023-05-15` up to that day included."""
    first, after = _full_date(value), _full_date(_next_date(value))
    if op == ">=":
        return f"{_RELEASED} >= ?", [first]
    if op == ">":
        return f"{_RELEASED} >= ?", [after]
    if op == "<":
        return f"{_RELEASED} < ?", [first]
    if op == "<=":
        return f"{_RELEASED} < ?", [after]
    return f"({_RELEASED} >= ? AND {_RELEASED} < ?)", [first, after]


def search(
    root: Path,
    query: Query,
    sort: str = "relevance",
    limit: int | None = None,
    query_text: str = "",
) -> Result:
    """Search the catalogue at `root`, building or refreshing its index first when needed."""

    def read(conn: sqlite3.Connection) -> Result:
        result = Searcher(conn, query_text).search(query, sort, limit)
        row = conn.execute("SELECT value FROM meta WHERE key = 'skipped'").fetchone()
        result.skipped = json.loads(row[0]) if row else []
        return result

    return _reading(root, read)


@dataclass(frozen=True)
class Brief:
    """What a list of many entries shows of each: `links` holds the fields a link is made of."""

    id: str
    kind: str
    name: str
    summary: str
    license: str | None
    license_category: str | None
    openness: str | None
    links: dict[str, str]


LINK_FIELDS = ("url", "hub", "github", "paper")
_T = TypeVar("_T")


def briefs(root: Path) -> list[Brief]:
    """Every entry of the catalogue at `root`, briefly, read from its index without decoding each
    entry's stored data: `catalog changes` over a whole history names every entry, and decoding
    10,000 entries' data would take longer than the rest of the query."""
    links = ", ".join(f"json_extract(data, '$.{name}')" for name in LINK_FIELDS)

    def read(conn: sqlite3.Connection) -> list[Brief]:
        return [
            Brief(
                row[0],
                row[1],
                row[2],
                row[3],
                row[4],
                row[5],
                row[6],
                {k: v for k, v in zip(LINK_FIELDS, row[7:], strict=True) if v},
            )
            for row in conn.execute(
                "SELECT id, kind, name, summary, license, license_category, openness, "
                f"{links} FROM entries"
            )
        ]

    return _reading(root, read)


def _reading(root: Path, read: Callable[[sqlite3.Connection], _T]) -> _T:
    """`read` on a fresh index of `root`, built or refreshed first when needed. An index damaged
    on disk ("database disk image is malformed": a page overwritten, its header intact) is
    rebuilt once and read again."""
    for attempt in (1, 2):
        conn = open_index(root, rebuild=attempt == 2)
        try:
            # One read transaction: an update in place committed between two of the reader's
            # statements would otherwise mix two states.
            conn.execute("BEGIN")
            return read(conn)
        except sqlite3.DatabaseError as exc:
            if attempt == 2:
                raise _damaged(index_path(root), exc) from None
        finally:
            conn.close()
    raise AssertionError("unreachable")
