"""The catalogue's state (freshness.py), computed in place or by the child process started at start-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from helpers import run_process, stats_by_name
from openai_catalog import freshness
from openai_catalog.cli._commands import catalog_option, command_in

posix_only = pytest.mark.skipif(not hasattr(os, "fork"), reason="the early check needs fork")


def edit_in_place(path: Path, old: str, new: str) -> None:
    """Rewrite a file through the same inode, as many editors save, with a later mtime."""
    before = path.stat()
    with path.open("r+", encoding="utf-8") as handle:
        text = handle.read().replace(old, new)
        handle.seek(0)
        handle.write(text)
        handle.truncate()
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))
    assert path.stat().st_ino == before.st_ino


def test_every_kind_of_change_changes_the_state(mini_copy: Path) -> None:
    states = [freshness.fingerprint(mini_copy)]
    jax = mini_copy / "tools" / "jax.yaml"
    edit_in_place(jax, "numerical programs", "numerical zanzibar programs")
    states.append(freshness.fingerprint(mini_copy))
    (mini_copy / "tools" / "jax-two.yaml").write_text(
        jax.read_text().replace("id: jax", "id: jax-two")
    )
    states.append(freshness.fingerprint(mini_copy))
    (mini_copy / "tools" / "jax-two.yaml").rename(mini_copy / "tools" / "jax-three.yaml")
    states.append(freshness.fingerprint(mini_copy))
    (mini_copy / "tools" / "jax-three.yaml").unlink()
    states.append(freshness.fingerprint(mini_copy))
    with (mini_copy / "licenses.yaml").open("a") as table:
        table.write("\n")
    states.append(freshness.fingerprint(mini_copy))
    (mini_copy / "enrichment.json").write_text("{}")
    states.append(freshness.fingerprint(mini_copy))
    assert len(set(states)) == len(states)
    assert freshness.fingerprint(mini_copy) == states[-1]  # and nothing else does


def test_files_that_are_not_entries_do_not_count(mini_copy: Path) -> None:
    before = freshness.fingerprint(mini_copy)
    (mini_copy / "tools" / ".jax.yaml.swp").write_text("editor state")
    (mini_copy / "tools" / "notes.txt").write_text("not an entry")
    assert (
        freshness.fingerprint(mini_copy).split("|")[3].split()[2:]
        == before.split("|")[3].split()[2:]
    )


@posix_only
def test_shared_among_processes_the_sums_are_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for folder in freshness.KIND_FOLDERS[:2]:
        (tmp_path / folder).mkdir()
        for i in range(37):
            (tmp_path / folder / f"entry-{i}.yaml").write_text("x" * i)
    monkeypatch.setattr(freshness, "FILES_PER_WORKER", 5)
    alone = freshness.fingerprint(tmp_path)
    assert "models -" not in alone and "models" in alone and " 37 " in alone
    for workers in (2, 3, 7):
        seen: freshness.Seen = {}
        assert freshness.fingerprint(tmp_path, workers=workers, seen=seen) == alone
        # every file, those the helpers stat-ed too, each with its own size, mtime and inode
        for folder in ("models", "datasets"):
            got = stats_by_name(seen[folder])
            assert len(got) == 37
            for name, known in got.items():
                info = (tmp_path / folder / os.fsdecode(name)).stat()
                assert known == (info.st_size, info.st_mtime_ns, info.st_ino)


def test_a_file_gone_before_its_stat_is_handed_on_as_gone(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / "models" / name).write_text(name)
    real_listdir = os.listdir

    def listing_a_ghost(path: Any) -> list[Any]:
        names = real_listdir(path)
        return [*names, b"ghost.yaml"] if os.fsdecode(path).endswith("models") else names

    seen: freshness.Seen = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "listdir", listing_a_ghost)
        state = freshness.fingerprint(tmp_path, seen=seen)
    assert state == freshness.fingerprint(tmp_path)  # the ghost counts for nothing
    got = stats_by_name(seen["models"])
    assert sorted(got) == [b"a.yaml", b"b.yaml", b"ghost.yaml"]
    assert got[b"ghost.yaml"] is None and got[b"a.yaml"] is not None


@posix_only
def test_the_early_check_answers_what_the_check_in_place_would(mini_copy: Path) -> None:
    assert freshness.start(mini_copy)
    assert not freshness.start(mini_copy)  # one at a time
    assert freshness.take(mini_copy) == freshness.fingerprint(mini_copy)
    assert freshness.take(mini_copy) is None  # taken once; later checks run in place


@posix_only
def test_the_early_check_prepares_meanwhile_without_waiting_for_it(
    mini_copy: Path, tmp_path: Path
) -> None:
    """The child runs `meanwhile` beside its stats and `then` after them, in that order of start;
    a `meanwhile` that never ends delays neither the answer nor the child's exit."""
    import time

    started = tmp_path / "meanwhile"

    def meanwhile() -> None:
        started.write_text("started")
        time.sleep(30)

    def then(state: str, seen: freshness.Seen) -> None:
        (tmp_path / "seen").write_text(" ".join(sorted(seen)))  # the stats the child took
        for _ in range(500):  # the thread is started before the stats: it has run by now
            if started.exists() and started.read_text() == "started":  # written, not just opened
                break
            time.sleep(0.01)
        (tmp_path / "then").write_text(state)

    begun = time.monotonic()
    assert freshness.start(mini_copy, then, meanwhile)
    assert freshness.take(mini_copy) == freshness.fingerprint(mini_copy)
    assert time.monotonic() - begun < 20
    assert started.read_text() == "started"
    assert (tmp_path / "then").read_text() == freshness.fingerprint(mini_copy)
    assert (tmp_path / "seen").read_text().split() == sorted(freshness.KIND_FOLDERS)


@posix_only
def test_the_thread_starts_only_after_the_helpers_are_forked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process with threads must not fork: helpers first, then the thread."""
    import threading

    for i in range(12):
        (tmp_path / "models").mkdir(exist_ok=True)
        (tmp_path / "models" / f"entry-{i}.yaml").write_text("x" * i)
    monkeypatch.setattr(freshness, "FILES_PER_WORKER", 3)
    seen: list[int] = []
    real_fork = freshness._fork.fork

    def counting_fork(*args: object, **kwargs: object) -> object:
        seen.append(threading.active_count())
        return real_fork(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(freshness._fork, "fork", counting_fork)
    ran = threading.Event()
    before = threading.active_count()
    state = freshness.fingerprint(tmp_path, workers=3, meanwhile=ran.set)
    assert ran.wait(10) and seen == [before, before]
    assert state == freshness.fingerprint(tmp_path)


def test_work_beside_the_stats_is_left_out_on_a_large_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MEANWHILE_MAX_FILES the stats are what a warm search waits for: `meanwhile` (the
    imports of an update) is not run beside them; the state is the same either way."""
    import threading

    (tmp_path / "models").mkdir()
    for i in range(12):
        (tmp_path / "models" / f"entry-{i}.yaml").write_text("x" * i)
    ran = threading.Event()
    monkeypatch.setattr(freshness, "MEANWHILE_MAX_FILES", 11)
    large = freshness.fingerprint(tmp_path, meanwhile=ran.set)
    assert not ran.wait(0.5)
    monkeypatch.setattr(freshness, "MEANWHILE_MAX_FILES", 12)
    assert freshness.fingerprint(tmp_path, meanwhile=ran.set) == large
    assert ran.wait(10)


@posix_only
def test_an_early_check_of_another_folder_is_dropped_and_reaped(
    mini_copy: Path, tmp_path: Path
) -> None:
    assert freshness.start(mini_copy)
    pid = freshness._pending[1].pid if freshness._pending else -1
    assert freshness.take(tmp_path) is None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left behind


@posix_only
def test_the_child_neither_writes_nor_runs_exit_handlers(mini_copy: Path) -> None:
    script = (
        "import atexit, sys\n"
        "from openai_catalog import freshness\n"
        "atexit.register(lambda: print('exit handler'))\n"
        "print('buffered', end='')\n"
        f"freshness.start({str(mini_copy)!r})\n"
        f"print('|' + str(freshness.take({str(mini_copy)!r}) is not None))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONUNBUFFERED": ""},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout == "buffered|True\nexit handler\n"
    assert out.stderr == ""


def test_the_command_line_is_read_without_typer() -> None:
    assert command_in(["--catalog", "search", "show", "x"]) == "show"
    assert command_in(["search", "gpt-j"]) == "search"
    assert command_in(["--help"]) is None
    assert catalog_option(["--catalog", "/some/where", "search", "x"]) == "/some/where"
    assert catalog_option(["--catalog=/else", "search"]) == "/else"
    assert catalog_option(["search", "--catalog", "/late"]) is None  # only before the command
    assert catalog_option(["--catalog"]) is None


@pytest.mark.slow
def test_a_process_sees_an_edit_in_place_made_just_before_it(mini_copy: Path) -> None:
    def ids(word: str) -> list[str]:
        out = run_process("--catalog", mini_copy, "search", word, "--format", "ids")
        assert out.returncode in (0, 1), out.stderr
        return out.stdout.split()

    assert ids("zanzibar") == []
    edit_in_place(
        mini_copy / "tools" / "jax.yaml", "numerical programs", "numerical zanzibar programs"
    )
    assert ids("zanzibar") == ["jax"]
    listing = run_process("--catalog", mini_copy, "list", "--format", "json")
    assert "jax" in [item["id"] for item in json.loads(listing.stdout)["entries"]]


def test_a_catalogue_that_cannot_be_found_is_reported_as_before(tmp_path: Path) -> None:
    out = run_process("--catalog", tmp_path / "nowhere", "search", "x")
    assert out.returncode == 2 and "nowhere" in out.stderr and "Traceback" not in out.stderr


def test_a_helper_answer_of_the_wrong_length_is_refused(tmp_path: Path) -> None:
    """A helper's stats must cover its share exactly: a short or long answer is a failed helper
    (the check then runs in place), never stats pinned on the wrong files."""
    (tmp_path / "models").mkdir()
    for i in range(4):
        (tmp_path / "models" / f"e{i}.yaml").write_text("x")
    folders = [("models", 0, os.fsencode(tmp_path / "models") + b"/", [b"e0.yaml", b"e1.yaml"])]
    for data in (b"", b"\0" * 8 * 3 * 2 + b"\0"):
        seen: freshness.Seen = {}
        freshness._sums(folders, 0, 2, seen)
        with pytest.raises(OSError, match="wrong length"):
            freshness._take_stats(folders, 1, 2, data, seen)
