"""The search index as a cache that can break: damaged pages, odd paths, a full disk."""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

import pytest

from helpers import MINI, damage, run, run_json
from openai_catalog import index


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(MINI, root)
    return root


def test_index_status_finds_a_damaged_page_that_the_header_hides(catalogue: Path) -> None:
    index.build_index(catalogue)
    damage(index.index_path(catalogue))
    state = index.status(catalogue)
    assert not state.fresh and state.reason.startswith("damaged")
    assert "damaged" in run("--catalog", catalogue, "index", "status").stdout


@pytest.mark.parametrize(
    "command", [["search", "gpt"], ["list"], ["show", "gpt-j-6b"], ["stats"]], ids=lambda c: c[0]
)
def test_a_damaged_index_is_rebuilt_once_and_the_command_answers(
    catalogue: Path, command: list[str]
) -> None:
    index.build_index(catalogue)
    damage(index.index_path(catalogue))
    result = run("--catalog", catalogue, *command)
    assert result.exit_code == 0, result.output
    assert "GPT-J" in result.stdout or "model" in result.stdout
    assert index.status(catalogue).fresh


def test_an_index_that_stays_damaged_is_an_error_not_a_loop(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def malformed(*args: object, **kwargs: object) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(index.Searcher, "search", malformed)
    result = run("--catalog", catalogue, "search", "gpt")
    assert result.exit_code == 1
    assert "damaged and rebuilding it did not help" in result.stderr


@pytest.mark.parametrize("name", ["cache?x", "cache#x", "cache%41x", "ca?c#h%e 1"])
def test_a_cache_path_with_uri_characters_works(
    catalogue: Path, tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / name))
    result, data = run_json("--catalog", catalogue, "search", "gpt-j", "--format", "json")
    assert result.exit_code == 0 and data["entries"][0]["id"] == "gpt-j-6b"
    assert index.index_path(catalogue).is_file() and index.status(catalogue).fresh


@pytest.mark.parametrize(
    "failure",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        sqlite3.OperationalError("database or disk is full"),
    ],
    ids=["os", "sqlite"],
)
def test_a_full_disk_under_the_cache_gives_the_unwritable_cache_message(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    def full(self: object) -> None:
        raise failure

    monkeypatch.setattr(index._Inserter, "flush", full)
    result = run("--catalog", catalogue, "list")
    assert result.exit_code == 1
    assert "cannot write the search index" in result.stderr
    assert "No space left on device" in result.stderr or "disk is full" in result.stderr
    assert "Traceback" not in result.output
    assert [p.name for p in index.index_path(catalogue).parent.iterdir()] == []  # no temporary left


def test_a_cache_on_dev_full_is_reported_not_raised(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "/dev/full")  # a device where a folder should be
    result = run("--catalog", catalogue, "search", "gpt")
    assert result.exit_code == 1 and "cannot write the search index" in result.stderr
