"""The search index at its edges: dates compared at their own precision, makers and licences
named loosely, and index files that cannot be trusted."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import MINI, run
from openai_catalog import index
from openai_catalog.query import parse


def ids(*query: str) -> list[str]:
    result = run("--catalog", MINI, "list", "--kind", "model", *query, "--format", "ids")
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()


@pytest.mark.parametrize(
    ("query", "kept", "left_out"),
    [
        ("released:2023-07-18", ["llama-2-7b"], ["sealed-lm"]),
        ("released:>2023-07-17", ["llama-2-7b"], ["sealed-lm"]),
        ("released:>2023-07-18", ["mesa-lm"], ["llama-2-7b"]),
        ("released:<=2023-07-18", ["llama-2-7b", "sealed-lm"], ["mesa-lm"]),
        ("released:<2023-07-18", ["sealed-lm"], ["llama-2-7b"]),
        ("released:>2021-12", ["open-lm"], ["gpt-j-6b"]),
        ("released:<=2021", ["gpt-j-6b"], ["open-lm"]),
    ],
)
def test_dates_compare_at_their_own_precision(
    query: str, kept: list[str], left_out: list[str]
) -> None:
    found = ids(query)
    assert set(kept) <= set(found) and not set(left_out) & set(found), found


def test_a_maker_named_with_a_typo_gets_the_nearest_community() -> None:
    result = run("--catalog", MINI, "list", "by:eleuthrai")
    assert result.exit_code == 2 and "eleutherai" in result.stderr
    assert ids("by:EleutherAI") == ids("by:eleutherai") != []


def test_licences_that_forbid_commercial_use_can_be_asked_for() -> None:
    closed = ids("license:noncommercial")
    assert closed and not set(closed) & set(ids("license:commercial"))


def test_an_unreadable_or_foreign_index_is_reported_and_rebuilt(mini_copy: Path) -> None:
    assert index.status(mini_copy).reason == "not built yet"
    index.open_index(mini_copy).close()
    assert index.status(mini_copy).fresh
    path = index.index_path(mini_copy)
    path.write_bytes(b"not a database at all" * 100)
    status = index.status(mini_copy)
    assert status.exists and not status.fresh and status.reason.startswith("unreadable")
    assert (
        run("--catalog", mini_copy, "search", "jax", "--format", "ids").stdout.split()[0] == "jax"
    )
    conn = index.open_index(mini_copy)
    conn.close()
    import sqlite3

    writable = sqlite3.connect(path)
    writable.execute("UPDATE meta SET value = '1' WHERE key = 'version'")
    writable.commit()
    writable.close()
    assert "index version 1" in index.status(mini_copy).reason
    assert index.search(mini_copy, parse("")).total == 16
    assert index.status(mini_copy).fresh  # the search rebuilt it
