"""catalog/enrichment.json: what `catalog enrich` fetched, per entry and source, when, and any error.

The file is generated and kept in git, so its text is canonical: keys sorted, two-space indents, one
trailing newline, and the lists that are sets (tags, topics) sorted. A refresh then changes only the
lines whose figures moved. It is written atomically, so a crash leaves the old file or the new one.

    {"version": 1, "entries": {"<entry id>": {"hub": RECORD, "github": RECORD}}}
    RECORD = {"repo": what was asked for, "fetched_at": ISO 8601 UTC or null,
              "fields": {...}, "error": null or {"kind": ..., "message": ...}}

`repo` lets a record be recognised as out of date when the curated `hub` or `github` changes.
An error of a definitive kind (the service answered: not found, gated, disabled) is a result like
any other; a transient one (timeout, 5xx, rate limit) keeps the last good fields and is retried on
the next run whatever `--stale-after` says.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openai_catalog._util import read_regular, write_atomic
from openai_catalog.errors import SnapshotUnreadable

SNAPSHOT_FILE = "enrichment.json"
SNAPSHOT_VERSION = 1
SNAPSHOT_MAX_BYTES = 512 * 1024 * 1024  # ~100x a snapshot of 100k entries; beyond that it is not one
SOURCES = ("hub", "github")
DEFINITIVE_ERRORS = frozenset({"not_found", "gated", "disabled"})
SET_FIELDS = frozenset({"tags", "topics"})


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def iso(moment: dt.datetime) -> str:
    """A UTC timestamp as the snapshot writes it: 2025-01-31T12:00:00Z."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: object) -> dt.datetime | None:
    if not isinstance(text, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)?\s*$", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> dt.timedelta:
    """`7d`, `12h`, `30m`, `45s`, `2w` or a number of seconds; raises ValueError otherwise."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a duration; write e.g. 7d, 12h, 30m or 90s")
    unit = (match.group(2) or "s").lower()
    return dt.timedelta(seconds=float(match.group(1)) * _UNITS[unit])


@dataclass(frozen=True)
class SourceRecord:
    """One source's answer about one entry."""

    repo: str | None
    fetched_at: str | None
    fields: dict[str, Any] = field(default_factory=dict)
    error: dict[str, str] | None = None

    @property
    def error_kind(self) -> str | None:
        return self.error.get("kind") if self.error else None

    @property
    def retry_due(self) -> bool:
        """A transient failure: worth asking again at once."""
        return self.error is not None and self.error_kind not in DEFINITIVE_ERRORS

    def fresh(self, repo: str, now: dt.datetime, stale_after: dt.timedelta | None) -> bool:
        """Recent enough to skip under `--stale-after`, and about the repo the entry names now."""
        if stale_after is None or self.retry_due or self.repo != repo:
            return False
        fetched = parse_iso(self.fetched_at)
        return fetched is not None and now - fetched < stale_after

    def as_dict(self) -> dict[str, Any]:
        return {"repo": self.repo, "fetched_at": self.fetched_at,
                "fields": canonical_fields(self.fields), "error": self.error}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SourceRecord:
        fields = data.get("fields")
        error = data.get("error")
        if isinstance(error, dict):
            error = {str(k): str(v) for k, v in error.items() if isinstance(v, str)}
        repo, fetched_at = data.get("repo"), data.get("fetched_at")
        return cls(repo if isinstance(repo, str) else None,
                   fetched_at if isinstance(fetched_at, str) else None,
                   dict(fields) if isinstance(fields, dict) else {},
                   error if isinstance(error, dict) else None)


def canonical_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Fields without empty values, and with set-like lists sorted, so equal facts compare equal."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if value is None:
            continue
        if key in SET_FIELDS and isinstance(value, list):
            value = sorted(dict.fromkeys(str(v) for v in value))
        out[key] = value
    return out


@dataclass
class Snapshot:
    entries: dict[str, dict[str, SourceRecord]] = field(default_factory=dict)

    def get(self, entry_id: str, source: str) -> SourceRecord | None:
        return self.entries.get(entry_id, {}).get(source)

    def put(self, entry_id: str, source: str, record: SourceRecord) -> None:
        self.entries.setdefault(entry_id, {})[source] = record

    def prune(self, wanted: Mapping[str, Iterable[str]]) -> int:
        """Keep only the (entry, source) pairs the catalogue still has; returns how many went."""
        removed = 0
        for entry_id in list(self.entries):
            keep = set(wanted.get(entry_id, ()))
            for source in list(self.entries[entry_id]):
                if source not in keep:
                    del self.entries[entry_id][source]
                    removed += 1
            if not self.entries[entry_id]:
                del self.entries[entry_id]
        return removed

    def as_dict(self) -> dict[str, Any]:
        return {"version": SNAPSHOT_VERSION,
                "entries": {entry_id: {source: record.as_dict() for source, record in sources.items()}
                            for entry_id, sources in self.entries.items()}}

    def to_text(self) -> str:
        return dump_text(self.as_dict())


def dump_text(data: Any) -> str:
    """The canonical text of snapshot data: the one formatting every writer uses."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def snapshot_path(root: Path) -> Path:
    return Path(root) / SNAPSHOT_FILE


def parse_snapshot(text: str) -> Snapshot:
    """Parse snapshot text; raises ValueError saying what is wrong."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    _expect(isinstance(data, dict), "the top level must be an object with `version` and `entries`")
    version = data.get("version")
    _expect(version == SNAPSHOT_VERSION,
            f"version {version!r} (this program reads version {SNAPSHOT_VERSION})")
    entries = data.get("entries")
    _expect(isinstance(entries, dict), "`entries` must be an object of entry ids")
    snapshot = Snapshot()
    for entry_id, sources in entries.items():
        _expect(isinstance(sources, dict), f"entries.{entry_id} must be an object of sources")
        for source, record in sources.items():
            _expect(isinstance(record, dict), f"entries.{entry_id}.{source} must be an object")
            snapshot.put(entry_id, source, SourceRecord.from_dict(record))
    return snapshot


def _expect(condition: bool, problem: str) -> None:
    """A malformed snapshot is a ValueError whatever is wrong with it, type or value."""
    if not condition:
        raise ValueError(problem)


def read_snapshot(root: Path) -> Snapshot:
    """The snapshot of the catalogue at `root` (empty when there is none); raises ValueError when
    the file is not a snapshot, OSError when it cannot be read."""
    try:
        text = read_regular(snapshot_path(root), SNAPSHOT_MAX_BYTES).decode("utf-8")
    except FileNotFoundError:
        return Snapshot()
    except UnicodeDecodeError:
        raise ValueError("not UTF-8") from None
    return parse_snapshot(text)


def load_snapshot(root: Path) -> Snapshot:
    """`read_snapshot`, with its failures as a CatalogError for the commands."""
    path = snapshot_path(root)
    try:
        return read_snapshot(root)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise SnapshotUnreadable(f"{path} is not a readable enrichment snapshot: {reason}",
                                 "it is generated: restore it from git, or delete it and run "
                                 "`catalog enrich` again") from None


def save_snapshot(root: Path, snapshot: Snapshot) -> Path:
    path = snapshot_path(root)
    write_atomic(path, snapshot.to_text())
    return path
