"""Whether the search index is still current, and that check started early.

The index is current when no entry file was added, removed, renamed or edited in place since it
was built, and the licence table and the enrichment snapshot did not change. A folder's own
modification time shows additions, removals and renames in it; only an edit in place needs a look
at the file itself, so the state costs one `stat` per entry file. That system call is the part of
a warm search that grows with the catalogue: 2.5-5 us each on the machines we measured, half a
second at 100k entries.

It does not depend on anything else a search does, so `start()` runs it in a child process at
start-up, while the parent spends ~0.2 s importing Typer and pydantic and parsing the command
line; `take()` then collects the result (_fork.py runs the child). When the state changed by a
few files, the same child updates the index in place before it answers (the caller passes that
step in: this module sits below the index), so an edit costs a search little more than nothing. Where there is no fork
(Windows) or it fails, `take()` returns None and the index computes the state itself. Only standard-library modules are imported
here: `start()` runs before anything heavy.
"""

from __future__ import annotations

import array
import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, NamedTuple

from openai_catalog import _fork
from openai_catalog.kinds import KIND_FOLDER_NAMES as KIND_FOLDERS

SIDE_FILES = ("licenses.yaml", "enrichment.json")
FILES_PER_WORKER = 5000  # below this a process of its own costs more than it saves
# Up to this many entry files the stats end before the command's own start-up does, so work beside
# them (the imports an update in place needs) is free. Past it the stats are what a warm search
# waits for, and that work, competing for the cores, slowed every warm search (at 100k entries by
# a fifth, measured) to speed up the rare one right after an edit: it is left to the update.
MEANWHILE_MAX_FILES = 25_000

# A kind folder: its name, its modification time (None when missing), path prefix, entry file names
Folder = tuple[str, int | None, bytes, list[bytes]]


class Stats(NamedTuple):
    """What a fingerprint saw of the entry files of one kind folder: their names and, in the same
    order, sizes (-1 where the file was gone by its stat), mtimes and inodes."""

    names: list[bytes]
    sizes: array.array[int]
    mtimes: array.array[int]
    inodes: array.array[int]


# Per kind folder, every entry file a fingerprint saw (start() hands them to the update)
Seen = dict[str, Stats]
_WORD = array.array("q").itemsize  # bytes an array item takes on the wire from a helper
# (root, child) of the check started by start(), until take() or exit
_pending: tuple[str, _fork.Child] | None = None


def fingerprint(
    root: Path | str,
    workers: int = 1,
    meanwhile: Callable[[], object] | None = None,
    seen: Seen | None = None,
) -> str:
    """The state of the catalogue at `root`: per kind folder its modification time, its number of
    entry files and the sums of their sizes and modification times; size and time of the side files.

    Sums do not depend on listing order and change with any edit in place (the new mtime differs);
    the folder's time changes with any file added, removed or renamed in it. With `workers` > 1
    (only in the child that start() forks, never in a process that may have threads) the stats
    are shared among that many processes; sums of parts are the sums of the whole. `meanwhile`
    runs in a thread of its own while this process stats its share, once the helpers are forked
    (a process with threads must not fork), on catalogues of up to MEANWHILE_MAX_FILES files.
    `seen`, when given, receives every file's stats, the helpers' included: per kind folder the
    file names (bytes) with their sizes, mtimes and inodes, so that an update in place that
    follows need not stat those files again.
    """
    base = os.fsencode(root)
    stat = os.stat
    folders: list[Folder] = []
    for folder in KIND_FOLDERS:
        where = os.path.join(base, folder.encode())
        try:
            names = [
                n for n in os.listdir(where) if n.endswith(b".yaml") and n[0] != 46
            ]  # not .hidden
            folders.append((folder, stat(where).st_mtime_ns, where + b"/", names))
        except OSError:
            folders.append((folder, None, b"", []))
    total = [0, 0, 0] * len(folders)
    for part in _shared(folders, workers, meanwhile, seen):
        total = [a + b for a, b in zip(total, part, strict=True)]
    parts = [
        f"{folder} -"
        if folder_time is None
        else f"{folder} {folder_time} {total[3 * i]} {total[3 * i + 1]} {total[3 * i + 2]}"
        for i, (folder, folder_time, _, _) in enumerate(folders)
    ]
    for side in SIDE_FILES:
        try:
            info = stat(os.path.join(base, side.encode()))
            parts.append(f"{side} {info.st_size} {info.st_mtime_ns}")
        except OSError:
            parts.append(f"{side} -")
    return "|".join(parts)


def _sums(folders: list[Folder], share: int, shares: int, seen: Seen | None = None) -> list[int]:
    """Count, size sum and mtime sum per folder over every `shares`-th file from `share` on; each
    file's size, mtime and inode go into `seen` too when it is given."""
    stat = os.stat
    out: list[int] = []
    for folder, folder_time, prefix, names in folders:
        count = sizes = times = 0
        mine = names[share::shares]
        # Three integers a file in arrays, not its stat result (about 0.5 KiB of Python objects,
        # 25 MiB at 100k files): this loop is the warm search's own cost, in time and memory.
        got = Stats(mine, array.array("q"), array.array("q"), array.array("Q"))
        if seen is not None and folder_time is not None:
            # A folder missing or unreadable is not handed on as one without files: the update
            # looks at it itself and says so, as a build does.
            seen[folder] = got
        size_of, mtime_of, inode_of = got.sizes.append, got.mtimes.append, got.inodes.append
        for name in mine:
            try:
                info = stat(prefix + name)
            except OSError:  # removed while we looked (the folder's time shows it), a loop of links
                size_of(-1)
                mtime_of(0)
                inode_of(0)
                continue
            size, mtime = info.st_size, info.st_mtime_ns
            size_of(size)
            mtime_of(mtime)
            inode_of(info.st_ino)
            count += 1
            sizes += size
            times += mtime
        out += (count, sizes, times)
    return out


def _shared(
    folders: list[Folder],
    workers: int,
    meanwhile: Callable[[], object] | None = None,
    seen: Seen | None = None,
) -> list[list[int]]:
    """_sums over all files, in `workers` processes when there are enough files to be worth it;
    `meanwhile` in a thread once they are forked, up to MEANWHILE_MAX_FILES files; `seen` gets
    the stats of every file."""
    files = sum(len(names) for *_, names in folders)
    workers = max(1, min(workers, files // FILES_PER_WORKER))
    helpers = []
    for share in range(1, workers):
        child = _fork.fork(functools.partial(_write_sums, folders, share, workers))
        if child is None:
            raise OSError("a helper process could not be started")
        helpers.append(child)
    if meanwhile is not None and files <= MEANWHILE_MAX_FILES:
        import threading

        threading.Thread(target=meanwhile, daemon=True).start()
    results = [_sums(folders, 0, workers, seen)]
    for share, child in enumerate(helpers, 1):
        answer = child.read()
        if not child.wait() or not answer:
            raise OSError("a helper process failed")
        sums, _, stats = answer.partition(b"\n")
        results.append([int(n) for n in sums.split()])
        if seen is not None:
            _take_stats(folders, share, workers, stats, seen)
    return results


def _write_sums(folders: list[Folder], share: int, shares: int, out: BinaryIO) -> None:
    """A helper's answer: its sums on a line, then per folder the raw arrays of its stats."""
    mine: Seen = {}
    out.write(" ".join(map(str, _sums(folders, share, shares, mine))).encode() + b"\n")
    for folder, *_ in folders:
        got = mine.get(folder)  # none for a folder missing or unreadable, which lists no files
        if got is not None:
            out.write(got.sizes.tobytes() + got.mtimes.tobytes() + got.inodes.tobytes())


def _take_stats(folders: list[Folder], share: int, shares: int, data: bytes, seen: Seen) -> None:
    """Add a helper's stats (see _write_sums) to `seen`, folder by folder."""
    shares_of = [names[share::shares] for *_, names in folders]
    if len(data) != sum(len(theirs) for theirs in shares_of) * 3 * _WORD:
        raise OSError("a helper's answer has the wrong length")
    at = 0
    for (folder, *_), theirs in zip(folders, shares_of, strict=True):
        got = seen.get(folder)
        if got is None:  # a folder missing or unreadable: it lists no files
            continue
        got.names.extend(theirs)
        for column in (got.sizes, got.mtimes, got.inodes):
            end = at + len(theirs) * _WORD
            column.frombytes(data[at:end])
            at = end


def start(
    root: Path | str,
    then: Callable[[str, Seen], object] | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> bool:
    """Compute fingerprint(root) in a child process (which shares the stats among the machine's
    cores when the catalogue is large), and run then(state, seen) there before answering (the
    command line brings the index up to date that way, while this process starts; `seen` holds
    the stats the child took, see fingerprint); True when one was started. `meanwhile` runs in a
    thread of the child while it stats the files: then() may need what it prepares (the imports
    of an update), and a child that has nothing to do leaves without waiting for it."""
    global _pending
    if _pending is not None:
        return False
    root = str(root)

    def work(out: BinaryIO) -> None:
        seen: Seen = {}
        state = fingerprint(root, workers=os.cpu_count() or 1, meanwhile=meanwhile, seen=seen)
        if then is not None:
            try:
                then(state, seen)
            except Exception:  # noqa: BLE001 - the parent does it again, and says what is wrong
                pass
        out.write(state.encode())

    # At the parent's own priority, not niced: the parent waits for the answer, and on a busy
    # machine a niced child (and with it the command) waits behind every other job's work.
    child = _fork.fork(work)
    if child is None:
        return False
    _pending = (root, child)
    import atexit

    atexit.register(discard)
    return True


def take(root: Path | str) -> str | None:
    """The state computed by start() for this same `root`, waiting for it; else None."""
    global _pending
    if _pending is None:
        return None
    started_for, child = _pending
    if started_for != str(root):
        discard()
        return None
    _pending = None
    answer = child.read().decode()
    return answer if child.wait() and answer else None


def discard() -> None:
    """Stop and reap a check nobody collected (another command ran, or it failed)."""
    global _pending
    if _pending is None:
        return
    _, child = _pending
    _pending = None
    child.kill()
    os.close(child.fd)
