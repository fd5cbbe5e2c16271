"""The search index: an SQLite FTS5 database in the user cache, rebuilt when the catalogue changes.

Freshness is a fingerprint of every entry file's name, size and modification time (plus the
licence table and the enrichment snapshot), so additions, removals and in-place edits all show.
A build writes a new file beside the old one and renames it over, so readers never see half an
index and two builds at once both leave a whole one. Anything unreadable, foreign or of another
version is rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openai_catalog import __version__
from openai_catalog.errors import CatalogError
from openai_catalog.query import CHOICES, Filter, Query, QueryError, Term

INDEX_VERSION = 1
APP_ID = 0x4F41_4943  # "OAIC": marks the file as ours
ENV_CACHE = "OPENAI_CATALOG_CACHE"
KIND_FOLDERS = ("models", "datasets", "compute", "tools", "communities")
KIND_ORDER = {"model": 0, "dataset": 1, "compute": 2, "tool": 3, "community": 4}
CATEGORIES = ("permissive", "copyleft", "open-rail", "community", "non-commercial", "proprietary",
              "unknown")
# bm25 weights in column order: name, aliases, tags, summary, description, compact.
FTS_COLUMNS = ("name", "aliases", "tags", "summary", "description", "compact")
FTS_WEIGHTS = (10.0, 8.0, 4.0, 2.0, 1.0, 6.0)
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
  last_activity TEXT, data TEXT NOT NULL);
CREATE TABLE facets(facet TEXT NOT NULL, value TEXT NOT NULL, entry INTEGER NOT NULL);
CREATE TABLE licenses(name TEXT PRIMARY KEY, id TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE vocab(word TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE VIRTUAL TABLE fts USING fts5({", ".join(FTS_COLUMNS)},
  tokenize='porter unicode61 remove_diacritics 2', content='');
"""
_INDEXES = """
CREATE INDEX facets_value ON facets(facet, value, entry);
CREATE INDEX entries_kind ON entries(kind);
"""


class IndexError_(CatalogError):
    """The index could not be built or read."""


def cache_dir(env: dict[str, str] | None = None) -> Path:
    """$OPENAI_CATALOG_CACHE, else $XDG_CACHE_HOME/openai-catalog, else ~/.cache/openai-catalog."""
    env = os.environ if env is None else env
    if env.get(ENV_CACHE):
        return Path(env[ENV_CACHE]).expanduser()
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "openai-catalog"


def index_path(root: Path) -> Path:
    key = hashlib.blake2b(str(root.resolve()).encode(), digest_size=8).hexdigest()
    return cache_dir() / f"index-{key}.sqlite"


def fingerprint(root: Path) -> str:
    """What the index was built from: every entry file's name, size and mtime, and the side files."""
    digest = hashlib.blake2b(f"{INDEX_VERSION}\0{__version__}\0{root}".encode(), digest_size=16)
    update = digest.update
    for folder in KIND_FOLDERS:
        try:
            scanner = os.scandir(root / folder)
        except FileNotFoundError:
            continue
        with scanner:
            rows = sorted(
                f"{e.name}\0{s.st_size}\0{s.st_mtime_ns}\n"
                for e in scanner if e.name.endswith((".yaml", ".yml")) and not e.name.startswith(".")
                for s in (e.stat(),)
            )
        update(folder.encode())
        update("".join(rows).encode())
    for side in ("licenses.yaml", "enrichment.json"):
        try:
            s = os.stat(root / side)
            update(f"{side}\0{s.st_size}\0{s.st_mtime_ns}\n".encode())
        except FileNotFoundError:
            update(f"{side}\0-\n".encode())
    return digest.hexdigest()


def fold(text: str) -> str:
    """Lowercase ASCII-ish form: accents dropped, so Café finds cafe."""
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
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


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
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return IndexStatus(path, True, False, f"unreadable ({exc})", size=path.stat().st_size)
    if meta.get("version") != str(INDEX_VERSION):
        reason, fresh = f"index version {meta.get('version')} (this program writes {INDEX_VERSION})", False
    elif meta.get("fingerprint") != fingerprint(root):
        reason, fresh = "the catalogue changed since it was built", False
    else:
        reason, fresh = "up to date", True
    return IndexStatus(path, True, fresh, reason, count, meta.get("built_at"), path.stat().st_size)


def open_index(root: Path, rebuild: bool = False) -> sqlite3.Connection:
    """A read-only connection to a fresh index of `root`, building it first when needed."""
    path = index_path(root)
    if not rebuild and path.exists():
        try:
            conn = _connect_ro(path)
            meta = _read_meta(conn)
            if meta.get("version") == str(INDEX_VERSION) and meta.get("fingerprint") == fingerprint(root):
                return conn
            conn.close()
        except sqlite3.DatabaseError:
            pass  # corrupt, foreign or truncated: rebuilt below
    build_index(root, path)
    conn = _connect_ro(path)
    _read_meta(conn)
    return conn


@dataclass
class BuildReport:
    entries: int = 0
    skipped: list[str] = field(default_factory=list)


def build_index(root: Path, path: Path | None = None) -> BuildReport:
    """Build the index of `root` into a temporary file and rename it into place."""
    from openai_catalog.registry import load_catalog

    path = path or index_path(root)
    stamp = fingerprint(root)  # taken before reading, so an edit during the build shows next time
    catalog = load_catalog(root)
    enrichment = read_enrichment(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    report = BuildReport()
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute(f"PRAGMA application_id={APP_ID}")
            conn.executescript(_SCHEMA)
            _insert(conn, catalog, enrichment, report)
            conn.executescript(_INDEXES)
            import datetime as dt

            conn.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("version", str(INDEX_VERSION)), ("fingerprint", stamp), ("root", str(root)),
                ("built_at", dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
                ("entries", str(report.entries)),
            ])
            conn.commit()
            conn.execute("INSERT INTO fts(fts) VALUES ('optimize')")
            conn.commit()
        finally:
            conn.close()
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return report


def read_enrichment(root: Path) -> dict[str, Any]:
    """The `entries` of catalog/enrichment.json by id; empty when the snapshot is absent or unreadable."""
    try:
        data = json.loads((root / "enrichment.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    entries = data.get("entries") if isinstance(data, dict) else None
    return entries if isinstance(entries, dict) else {}


def _fields(record: Any, source: str) -> dict[str, Any]:
    part = record.get(source) if isinstance(record, dict) else None
    fields = part.get("fields") if isinstance(part, dict) else None
    return fields if isinstance(fields, dict) else {}


def _insert(conn: sqlite3.Connection, catalog: Any, enrichment: dict[str, Any],
            report: BuildReport) -> None:
    from openai_catalog.licenses import LicenseError
    from openai_catalog.openness import grade
    from openai_catalog.schema import entry_to_dict

    table = catalog.licenses
    conn.executemany("INSERT OR IGNORE INTO licenses VALUES (?, ?)",
                     [(name.lower(), lic.id) for lic in table.licenses.values()
                      for name in (lic.id, *lic.aliases)])
    rows, facets, texts, vocab = [], [], [], set()
    report.skipped = [r.display for r in catalog.records if r.entry is None]
    for rowid, entry in enumerate(catalog.entries(), start=1):
        data = entry_to_dict(entry)
        try:
            resolved = table.resolve(entry.license) if entry.license else None
        except LicenseError:
            resolved = None
        category = resolved.category if resolved else "unknown"
        hub = _fields(enrichment.get(entry.id), "hub")
        gh = _fields(enrichment.get(entry.id), "github")
        activity = max(filter(None, [hub.get("last_modified"), gh.get("pushed_at")]), default=None)
        openness = grade(entry, catalog).grade if entry.kind in ("model", "dataset") else None
        rows.append((
            rowid, entry.id, entry.kind, KIND_ORDER[entry.kind], entry.name, fold(entry.name),
            entry.summary, json.dumps(entry.by), entry.license, category,
            None if resolved is None or resolved.commercial is None else int(resolved.commercial),
            entry.released, entry.status, getattr(entry, "parameters", None),
            getattr(entry, "weights", None), getattr(entry, "access", None), openness,
            hub.get("downloads"), hub.get("likes"), gh.get("stars"), activity,
            json.dumps(data, ensure_ascii=False),
        ))
        facets.extend(("tag", t.lower(), rowid) for t in entry.tags)
        facets.extend(("by", b, rowid) for b in entry.by)
        facets.extend(("modality", m, rowid) for m in entry.modalities)
        facets.extend(("license", i, rowid) for i in (resolved.ids if resolved else ()))
        names = [entry.name, *entry.aliases]
        texts.append((rowid, entry.name, " ".join(entry.aliases + [entry.id]),
                      " ".join(entry.tags).replace("-", " "), entry.summary, entry.description or "",
                      " ".join(dict.fromkeys(compact(n) for n in [*names, entry.id]))))
        for text in (*names, entry.id, *entry.tags):
            vocab.update(w for w in _WORDS.findall(fold(text)) if len(w) > 2)
            vocab.add(compact(text))
        report.entries += 1
    conn.executemany(f"INSERT INTO entries VALUES ({', '.join('?' * 22)})", rows)
    conn.executemany("INSERT INTO facets VALUES (?, ?, ?)", facets)
    conn.executemany(f"INSERT INTO fts(rowid, {', '.join(FTS_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     texts)
    conn.executemany("INSERT OR IGNORE INTO vocab VALUES (?)", [(w,) for w in vocab if w])


# --- searching --------------------------------------------------------------------------------


def _quote(text: str) -> str:
    """A string as an FTS5 string literal: user text never reaches FTS5 as syntax."""
    return '"' + text.replace('"', '""') + '"'


def term_expression(term: Term) -> str:
    """The FTS5 expression of one term: the words themselves, or their compacted form."""
    if term.phrase:
        return _quote(term.text)
    words = _quote(term.text) + (" *" if term.prefix else "")
    packed = compact(term.text)
    if not packed:
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
    license_category: str
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


class Searcher:
    """Runs parsed queries against an open index."""

    def __init__(self, conn: sqlite3.Connection, query_text: str = "") -> None:
        self.conn = conn
        self.query_text = query_text

    def _error(self, message: str, hint: str | None = None) -> QueryError:
        return QueryError(self.query_text, 0, message, hint)

    def _filter_sql(self, f: Filter) -> tuple[str, list[Any]]:
        column = {"kind": "e.kind", "status": "e.status", "weights": "e.weights",
                  "access": "e.access", "id": "e.id"}.get(f.field)
        if column:
            return f"{column} = ?", [f.value]
        if f.field in ("params", "downloads", "likes", "stars"):
            return f"e.{f.field} {'=' if f.op == '=' else f.op} ?", [f.value]
        if f.field == "released":
            return _date_sql(str(f.value), f.op)
        value = str(f.value).lower()
        if f.field == "license":
            if value in CATEGORIES:
                return "e.license_category = ?", [value]
            if value in ("commercial", "commercial-use"):
                return "e.commercial = 1", []
            if value in ("noncommercial", "non-commercial-only"):
                return "e.commercial = 0", []
            row = self.conn.execute("SELECT id FROM licenses WHERE name = ?", (value,)).fetchone()
            if row is None:
                names = [r[0] for r in self.conn.execute("SELECT name FROM licenses")]
                from openai_catalog._util import did_you_mean

                raise self._error(f"license: {f.raw!r} is neither a licence, a category nor "
                                  "'commercial'", did_you_mean(value, [*names, *CATEGORIES]) or
                                  f"categories: {', '.join(CATEGORIES)}")
            return _facet("license"), [row[0]]
        if f.field == "by":
            return _facet("by"), [self._community(f)]
        if f.field == "openness":
            return "e.openness = ?", [value]
        return _facet(f.field), [value]

    def _community(self, f: Filter) -> str:
        value = str(f.value)
        row = self.conn.execute(
            "SELECT id FROM entries WHERE kind = 'community' AND (id = ? OR name_key = ?)",
            (value.lower(), fold(value))).fetchone()
        if row:
            return str(row[0])
        known = [r[0] for r in self.conn.execute("SELECT id FROM entries WHERE kind = 'community'")]
        from openai_catalog._util import did_you_mean

        if known and value.lower() not in known:
            hint = did_you_mean(value.lower(), known)
            if hint:
                raise self._error(f"by: no community {value!r}", hint)
        return value.lower()

    def _item_sql(self, item: Term | Filter) -> tuple[str, list[Any]]:
        if isinstance(item, Term):
            sql, params = "e.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)", [term_expression(item)]
        else:
            sql, params = self._filter_sql(item)
        if item.negated:
            sql = f"NOT coalesce(({sql}), 0)"
        return sql, params

    def search(self, query: Query, sort: str = "relevance", limit: int | None = None) -> Result:
        where, params = [], []
        for clause in query.clauses:
            parts = [self._item_sql(item) for item in clause]
            where.append("(" + " OR ".join(p[0] for p in parts) + ")")
            params.extend(v for p in parts for v in p[1])
        positive = [t for t in query.positive_terms]
        rank_join, rank_params, score = "", [], "NULL"
        if positive:
            weights = ", ".join(str(w) for w in FTS_WEIGHTS)
            rank_join = (f"LEFT JOIN (SELECT rowid AS r, bm25(fts, {weights}) AS score FROM fts "
                         f"WHERE fts MATCH ?) s ON s.r = e.rowid")
            rank_params = [" OR ".join(term_expression(t) for t in positive)]
            score = "s.score"
        order = {
            "relevance": f"{score} IS NULL, {score}, e.kind_order, e.name_key",
            "downloads": "e.downloads IS NULL, e.downloads DESC, e.name_key",
            "likes": "e.likes IS NULL, e.likes DESC, e.name_key",
            "stars": "e.stars IS NULL, e.stars DESC, e.name_key",
            "released": "e.released IS NULL, e.released DESC, e.name_key",
            "name": "e.name_key, e.id",
            "kind": "e.kind_order, e.name_key, e.id",
        }[sort]
        sql = (f"SELECT e.id, e.kind, e.name, e.summary, e.by_json, e.license, e.license_category, "
               f"e.released, e.status, e.params, e.openness, e.downloads, e.likes, e.stars, "
               f"e.last_activity, e.data, {score}, count(*) OVER () "
               f"FROM entries e {rank_join} "
               f"{'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY {order}"
               f"{' LIMIT ?' if limit else ''}")
        all_params = [*rank_params, *params, *([limit] if limit else [])]
        try:
            rows = self.conn.execute(sql, all_params).fetchall()
        except sqlite3.OperationalError as exc:
            raise self._error(f"the search engine refused it ({exc})",
                              'put unusual text in "quotes"') from None
        hits = [Hit(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6], r[7], r[8], r[9], r[10],
                    r[11], r[12], r[13], r[14], json.loads(r[15]), r[16]) for r in rows]
        total = rows[0][17] if rows else 0
        suggestions = self.suggest(positive) if not hits and positive else []
        return Result(hits, total, suggestions)

    def suggest(self, terms: Sequence[Term], n: int = 5) -> list[str]:
        """Near spellings of the words searched for, from names, aliases, ids and tags."""
        import difflib

        found: list[str] = []
        for term in terms:
            for word in (_WORDS.findall(fold(term.text)) or [fold(term.text)]):
                if len(word) < 3:
                    continue
                low, high = word[0], chr(ord(word[0]) + 1)
                candidates = [r[0] for r in self.conn.execute(
                    "SELECT word FROM vocab WHERE word >= ? AND word < ? AND length(word) "
                    "BETWEEN ? AND ?", (low, high, len(word) - 3, len(word) + 3))]
                found.extend(difflib.get_close_matches(word, candidates, n=n, cutoff=0.7))
        return list(dict.fromkeys(found))[:n]


def _facet(name: str) -> str:
    return f"e.rowid IN (SELECT entry FROM facets WHERE facet = '{name}' AND value = ?)"


def _next_date(value: str) -> str:
    """The first partial date after `value` at its own precision: 2021 -> 2022, 2021-12 -> 2022-01."""
    import datetime as dt

    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return f"{parts[0] + 1:04d}"
    if len(parts) == 2:
        year, month = parts
        return f"{year + month // 12:04d}-{month % 12 + 1:02d}"
    day = dt.date(*parts) + dt.timedelta(days=1)
    return day.isoformat()


def _date_sql(value: str, op: str) -> tuple[str, list[Any]]:
    after = _next_date(value)
    if op == ">=":
        return "e.released >= ?", [value]
    if op == ">":
        return "e.released >= ?", [after]
    if op == "<":
        return "e.released < ?", [value]
    if op == "<=":
        return "e.released < ?", [after]
    return "(e.released >= ? AND e.released < ?)", [value, after]


def search(root: Path, query: Query, sort: str = "relevance", limit: int | None = None,
           query_text: str = "") -> Result:
    """Search the catalogue at `root`, building or refreshing its index first when needed."""
    conn = open_index(root)
    try:
        return Searcher(conn, query_text).search(query, sort, limit)
    finally:
        conn.close()


def vocabulary(root: Path) -> Iterable[str]:
    conn = open_index(root)
    try:
        return [r[0] for r in conn.execute("SELECT word FROM vocab")]
    finally:
        conn.close()


__all__ = ["CHOICES", "Hit", "Result", "build_index", "open_index", "search", "status"]
