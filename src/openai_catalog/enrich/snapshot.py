"""catalog/enrichment.json: what `catalog enrich` fetched, per entry and source, when, and any error.

The file is generated and kept in git, so its text is canonical: keys sorted, two-space indents, one
trailing newline, and the lists that are sets (tags, topics) sorted. A refresh then changes only the
lines whose figures moved. It is written atomically, so a crash leaves the old file or the new one.

    {"version": 1, "entries": {"<entry id>": {"hub": RECORD, "github": RECORD,
                                              "hub@<variant repo>": RECORD, ...}}}
    RECORD = {"repo": what was asked for, "fetched_at": ISO 8601 UTC or null,
              "fields": {...}, "error": null or {"kind": ..., "message": ...}}

Each field has a type and a range (`FIELD_CHECKS`). What the Hub or GitHub answers is checked
before it is stored, and the file is checked again when it is read (it may have been edited by
hand, or written by a service answering nonsense): a field that fails is dropped, its record kept,
and `catalog validate` reports it (CAT081). So no answer, however odd, can stop a command.

A release's variants each have a Hub repo of their own; a variant's record sits beside the entry's
under `hub@<repo>` (none for a variant whose repo is the entry's own `hub`), and is a Hub record
like any other. The index sums their downloads and likes into the release's figures.

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

from openai_catalog._util import MAX_COUNT, read_regular, write_atomic
from openai_catalog.errors import SnapshotUnreadable

SNAPSHOT_FILE = "enrichment.json"
SNAPSHOT_VERSION = 1
SNAPSHOT_MAX_BYTES = (
    512 * 1024 * 1024
)  # ~100x a snapshot of 100k entries; beyond that it is not one
SOURCES = ("hub", "github")
DEFINITIVE_ERRORS = frozenset({"not_found", "gated", "disabled"})
SET_FIELDS = frozenset({"tags", "topics"})
VARIANT = "hub@"  # the key prefix of a variant's Hub record


def variant_key(repo: str) -> str:
    """The snapshot key of the Hub record of a variant's repo."""
    return VARIANT + repo


def source_of(key: str) -> str:
    """The source whose fields a record key holds: `hub` for `hub@<repo>`; the key itself
    otherwise (an unknown key stays unknown)."""
    return "hub" if key.startswith(VARIANT) and len(key) > len(VARIANT) else key


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
MAX_DURATION = dt.timedelta(days=100 * 365)


def parse_duration(text: str) -> dt.timedelta:
    """`7d`, `12h`, `30m`, `45s`, `2w` or a number of seconds; raises ValueError otherwise."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a duration; write e.g. 7d, 12h, 30m or 90s")
    unit = (match.group(2) or "s").lower()
    seconds = float(match.group(1)) * _UNITS[unit]
    if seconds > MAX_DURATION.total_seconds():  # also what timedelta cannot hold, or infinity
        raise ValueError(
            f"{text!r} is longer than {MAX_DURATION.days // 365} years; "
            "write e.g. 7d, 12h, 30m or 90s"
        )
    return dt.timedelta(seconds=seconds)


# --- the fields, their types and ranges ---------------------------------------------------------

MAX_TEXT = 2000  # a repo id, a licence id, a GitHub description: short texts
MAX_ITEMS = 1000  # tags, topics, base models


def _count(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"must be a whole number, not {_type_name(value)}"
    if not 0 <= value <= MAX_COUNT:
        return "is out of range (0 to 10^18)"
    return None


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"must be text, not {_type_name(value)}"
    return f"is longer than {MAX_TEXT} characters" if len(value) > MAX_TEXT else None


def _moment(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) > 40 or parse_iso(value) is None:
        return "must be an ISO 8601 date and time such as 2025-01-31T12:00:00Z"
    return None


def _flag(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"must be true or false, not {_type_name(value)}"


def _texts(value: Any) -> str | None:
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        return f"must be a list of at most {MAX_ITEMS} texts"
    return next(
        (
            f"item {i} {problem}"
            for i, item in enumerate(value)
            if (problem := _text(item)) is not None
        ),
        None,
    )


def _gated(value: Any) -> str | None:
    return _flag(value) if not isinstance(value, str) else _text(value)


def _type_name(value: Any) -> str:
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return "NaN" if value != value else "infinity"
    return {
        bool: "true/false",
        int: "a number",
        float: "a decimal number",
        str: "text",
        list: "a list",
        dict: "an object",
        type(None): "null",
    }.get(type(value), type(value).__name__)


FIELD_CHECKS: dict[str, dict[str, Any]] = {
    "hub": {
        "resolved_id": _text,
        "downloads": _count,
        "likes": _count,
        "created_at": _moment,
        "last_modified": _moment,
        "license": _text,
        "gated": _gated,
        "disabled": _flag,
        "pipeline_tag": _text,
        "library": _text,
        "parameters": _count,
        "sdk": _text,
        "tags": _texts,
        "base_models": _texts,
        "account": _text,
        "followers": _count,
        "num_models": _count,
        "num_datasets": _count,
        "num_spaces": _count,
    },
    "github": {
        "resolved": _text,
        "stars": _count,
        "forks": _count,
        "archived": _flag,
        "disabled": _flag,
        "pushed_at": _moment,
        "license": _text,
        "topics": _texts,
        "description": _text,
    },
}


def check_fields(
    source: str, fields: Mapping[str, Any]
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The fields that have their type and range, and (field, problem) for each one dropped."""
    checks = FIELD_CHECKS.get(source, {})
    kept: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for name, value in fields.items():
        check = checks.get(name)
        if value is None:
            continue
        problem = "is not a field of this source" if check is None else check(value)
        if problem is None:
            kept[name] = value
        else:
            problems.append((name, problem))
    return kept, problems


@dataclass(frozen=True)
class RecordProblem:
    """A field (or the `fetched_at`, or the whole record) of a snapshot record that was dropped."""

    entry_id: str
    source: str
    field: str | None
    message: str
    line: int = 0


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
        return {
            "repo": self.repo,
            "fetched_at": self.fetched_at,
            "fields": canonical_fields(self.fields),
            "error": self.error,
        }

    @classmethod
    def checked(
        cls, data: Mapping[str, Any], source: str
    ) -> tuple[SourceRecord, list[tuple[str | None, str]]]:
        """The record with what has its type and range, and (field, problem) for what was dropped."""
        problems: list[tuple[str | None, str]] = []
        fields, error = data.get("fields"), data.get("error")
        if isinstance(error, dict):
            error = {
                str(k): v for k, v in error.items() if isinstance(v, str) and len(v) <= MAX_TEXT
            }
        elif error is not None:
            problems.append(("error", "must be an object with `kind` and `message`"))
        repo, fetched_at = data.get("repo"), data.get("fetched_at")
        if repo is not None and _text(repo) is not None:
            problems.append(("repo", "must be the repo id as text"))
            repo = None
        if fetched_at is not None and _moment(fetched_at) is not None:
            problems.append(("fetched_at", _moment(fetched_at) or ""))
            fetched_at = None
        if source not in FIELD_CHECKS:
            problems.append((None, f"{source!r} is not a source (hub or github)"))
        if fields is not None and not isinstance(fields, dict):
            problems.append(("fields", "must be an object of fields"))
        kept, dropped = check_fields(source, fields if isinstance(fields, dict) else {})
        problems.extend(dropped)
        return cls(repo, fetched_at, kept, error if isinstance(error, dict) else None), problems


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
    problems: list[RecordProblem] = field(default_factory=list)  # what reading it dropped

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
        return {
            "version": SNAPSHOT_VERSION,
            "entries": {
                entry_id: {source: record.as_dict() for source, record in sources.items()}
                for entry_id, sources in self.entries.items()
            },
        }

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
    _expect(
        version == SNAPSHOT_VERSION,
        f"version {version!r} (this program reads version {SNAPSHOT_VERSION})",
    )
    entries = data.get("entries")
    _expect(isinstance(entries, dict), "`entries` must be an object of entry ids")
    snapshot = Snapshot()
    found: list[tuple[str, str, str | None, str]] = []
    for entry_id, sources in entries.items():
        _expect(isinstance(sources, dict), f"entries.{entry_id} must be an object of sources")
        for source, record in sources.items():
            _expect(isinstance(record, dict), f"entries.{entry_id}.{source} must be an object")
            checked, problems = SourceRecord.checked(record, source_of(source))
            if source_of(source) in FIELD_CHECKS:
                snapshot.put(entry_id, source, checked)
            found.extend((entry_id, source, name, problem) for name, problem in problems)
    if found:
        lines = _Lines(text)
        snapshot.problems = [RecordProblem(e, s, f, p, lines.of(e, s, f)) for e, s, f, p in found]
    return snapshot


class _Lines:
    """Where a record's field sits in the snapshot's text, for the findings about it: the entry's
    key, then the source's after it, then the field's; as near as the text allows. Problems come
    in the order of the text, so each search starts where the last entry was found: one pass."""

    def __init__(self, text: str) -> None:
        import bisect

        self.text, self._bisect, self.cursor = text, bisect.bisect_right, 0
        self.newlines = [i for i, c in enumerate(text) if c == "\n"]

    def of(self, entry_id: str, source: str, name: str | None) -> int:
        entry_key = json.dumps(entry_id, ensure_ascii=False) + ":"
        at = self.text.find(entry_key, self.cursor)
        if at < 0:
            at = max(0, self.text.find(entry_key))
        self.cursor = at
        for key in (source, name):
            if key is None:
                break
            found = self.text.find(json.dumps(key, ensure_ascii=False) + ":", at)
            if found < 0:
                break
            at = found
        return self._bisect(self.newlines, at) + 1


def clean_entries(entries: Mapping[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """The `entries` of a snapshot read as plain data, each record with only its sound fields (and
    `fetched_at` when it is a date): for the index and the exports, which read the file directly."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for entry_id, sources in entries.items():
        if not isinstance(sources, dict):
            continue
        for source, data in sources.items():
            if source_of(source) in FIELD_CHECKS and isinstance(data, dict):
                record = SourceRecord.checked(data, source_of(source))[0]
                out.setdefault(entry_id, {})[source] = {
                    "fetched_at": record.fetched_at,
                    "fields": record.fields,
                }
    return out


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
        raise SnapshotUnreadable(
            f"{path} is not a readable enrichment snapshot: {reason}",
            "it is generated: restore it from git, or delete it and run `catalog enrich` again",
        ) from None


def save_snapshot(root: Path, snapshot: Snapshot) -> Path:
    path = snapshot_path(root)
    write_atomic(path, snapshot.to_text())
    return path
