"""catalog/enrichment.json: canonical text, atomic writes, freshness, pruning, refusal of bad files."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from helpers import SHIPPED
from openai_catalog.enrich.snapshot import (
    Snapshot,
    SourceRecord,
    load_snapshot,
    parse_duration,
    parse_snapshot,
    save_snapshot,
)
from openai_catalog.errors import SnapshotUnreadable

NOW = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)


def record(
    fetched_at: str = "2025-02-27T12:00:00Z", repo: str = "org/m", source: str = "hub", **error: str
) -> SourceRecord:
    fields = (
        {"downloads": 5, "tags": ["b", "a", "b"]}
        if source == "hub"
        else {"stars": 5, "topics": ["b", "a"]}
    )
    return SourceRecord(repo, fetched_at, fields, error or None)


def test_the_text_is_canonical_whatever_the_order_of_insertion(tmp_path: Path) -> None:
    one, two = Snapshot(), Snapshot()
    one.put("zeta", "hub", record())
    one.put("alpha", "github", record(repo="o/r", source="github"))
    two.put("alpha", "github", record(repo="o/r", source="github"))
    two.put("zeta", "hub", record())
    assert one.to_text() == two.to_text()
    data = json.loads(one.to_text())
    assert list(data) == ["entries", "version"] and list(data["entries"]) == ["alpha", "zeta"]
    assert data["entries"]["zeta"]["hub"]["fields"]["tags"] == ["a", "b"]  # a set, sorted
    assert one.to_text().endswith("}\n") and '\n  "entries"' in one.to_text()
    save_snapshot(tmp_path, one)
    assert (tmp_path / "enrichment.json").read_text() == one.to_text()
    assert load_snapshot(tmp_path).to_text() == one.to_text()


def test_a_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the process dies mid-write, the old file is still whole and no temporary file is left."""
    old = Snapshot()
    old.put("a", "hub", record())
    save_snapshot(tmp_path, old)

    def crash(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    new = Snapshot()
    with pytest.raises(KeyboardInterrupt):
        save_snapshot(tmp_path, new)
    assert (tmp_path / "enrichment.json").read_text() == old.to_text()
    assert [p.name for p in tmp_path.iterdir()] == ["enrichment.json"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{", "Expecting"),
        ("[]", "top level"),
        ('{"version": 2, "entries": {}}', "version 2"),
        ('{"version": 1, "entries": []}', "`entries`"),
        ('{"version": 1, "entries": {"a": 3}}', "entries.a"),
        ("[" * 100_000 + "]" * 100_000, "nested"),
    ],
)
def test_anything_else_is_refused_with_the_reason(text: str, problem: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_snapshot(text)
    (tmp_path / "enrichment.json").write_text(text)
    with pytest.raises(SnapshotUnreadable) as caught:
        load_snapshot(tmp_path)
    assert "enrichment.json" in caught.value.message and caught.value.hint


def test_an_absent_snapshot_is_empty(tmp_path: Path) -> None:
    assert load_snapshot(tmp_path).entries == {}


def test_freshness_follows_stale_after_the_repo_and_the_kind_of_error() -> None:
    week = dt.timedelta(days=7)
    assert record().fresh("org/m", NOW, week)
    assert not record().fresh("org/m", NOW, None)  # no --stale-after: refetch
    assert not record("2025-02-01T00:00:00Z").fresh("org/m", NOW, week)  # too old
    assert not record().fresh("org/renamed-in-yaml", NOW, week)  # the entry names another repo
    assert not record(kind="timeout", message="x").fresh("org/m", NOW, week)  # failures are retried
    assert record(kind="not_found", message="x").fresh("org/m", NOW, week)  # answers are not


def test_pruning_keeps_only_what_the_catalogue_names() -> None:
    snapshot = Snapshot()
    for entry_id in ("kept", "gone"):
        snapshot.put(entry_id, "hub", record())
        snapshot.put(entry_id, "github", record(repo="o/r", source="github"))
    assert snapshot.prune({"kept": {"hub"}}) == 3
    assert {k: set(v) for k, v in snapshot.entries.items()} == {"kept": {"hub"}}


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("7d", 604800), ("12h", 43200), ("30m", 1800), ("90", 90), ("2w", 1209600), ("1.5h", 5400)],
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text).total_seconds() == seconds


@pytest.mark.parametrize("text", ["", "7 days", "-1d", "d"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


def test_the_shipped_snapshot_is_canonical_and_about_shipped_entries() -> None:
    """Its form, not its content: the weekly enrichment fills it with whatever the Hub and GitHub
    answer that week (and the snapshot's own checks say what a record may hold)."""
    text = (SHIPPED / "enrichment.json").read_text(encoding="utf-8")
    snapshot = parse_snapshot(text)
    assert text == snapshot.to_text()
    ids = {path.stem for path in SHIPPED.glob("*/*.yaml") if path.name != "licenses.yaml"}
    assert set(snapshot.entries) <= ids


def test_times_and_fields_that_are_not_there_are_left_out(tmp_path: Path) -> None:
    from openai_catalog.enrich.snapshot import canonical_fields, parse_iso, read_snapshot

    assert parse_iso(None) is None and parse_iso(12) is None
    assert canonical_fields({"a": None, "b": 1}) == {"b": 1}
    (tmp_path / "enrichment.json").write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(ValueError, match="not UTF-8"):
        read_snapshot(tmp_path)
    assert read_snapshot(tmp_path / "nowhere").entries == {}
