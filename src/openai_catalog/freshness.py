"""Whether the search index is still current, and that check started early.

The index is current when no entry file was added, removed, renamed or edited in place since it
was built, and the licence table and the enrichment snapshot did not change. A folder's own
modification time shows additions, removals and renames in it; only an edit in place needs a look
at the file itself, so the state costs one `stat` per entry file. That system call is the part of
a warm search that grows with the catalogue: 2.5-5 us each on the machines we measured, half a
second at 100k entries.

It does not depend on anything else a search does, so `start()` runs it in a child process at
start-up, while the parent spends ~0.2 s importing Typer and pydantic and parsing the command
line; `take()` then collects the result. Where there is no fork (Windows) or it fails, `take()`
returns None and the index computes the state itself. Only standard-library modules are imported
here: `start()` runs before anything heavy.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from openai_catalog.locate import KIND_FOLDER_NAMES as KIND_FOLDERS

SIDE_FILES = ("licenses.yaml", "enrichment.json")
FILES_PER_WORKER = 5000  # below this a process of its own costs more than it saves

# A kind folder: its name, its modification time (None when missing), path prefix, entry file names
Folder = tuple[str, int | None, bytes, list[bytes]]
# (root, child pid, read end of the pipe) of the check started by start(), until take() or exit
_pending: tuple[str, int, int] | None = None


def fingerprint(root: Path | str, workers: int = 1) -> str:
    """The state of the catalogue at `root`: per kind folder its modification time, its number of
    entry files and the sums of their sizes and modification times; size and time of the side files.

    Sums do not depend on listing order and change with any edit in place (the new mtime differs);
    the folder's time changes with any file added, removed or renamed in it. With `workers` > 1
    (only in the child that start() forks, never in a process that may have threads) the stats
    are shared among that many processes; sums of parts are the sums of the whole.
    """
    base = os.fsencode(root)
    stat = os.stat
    folders: list[Folder] = []
    for folder in KIND_FOLDERS:
        where = os.path.join(base, folder.encode())
        try:
            names = [n for n in os.listdir(where) if n.endswith(b".yaml") and n[0] != 46]  # not .hidden
            folders.append((folder, stat(where).st_mtime_ns, where + b"/", names))
        except OSError:
            folders.append((folder, None, b"", []))
    total = [0, 0, 0] * len(folders)
    for part in _shared(folders, workers):
        total = [a + b for a, b in zip(total, part, strict=True)]
    parts = [f"{folder} -" if folder_time is None else
             f"{folder} {folder_time} {total[3 * i]} {total[3 * i + 1]} {total[3 * i + 2]}"
             for i, (folder, folder_time, _, _) in enumerate(folders)]
    for side in SIDE_FILES:
        try:
            info = stat(os.path.join(base, side.encode()))
            parts.append(f"{side} {info.st_size} {info.st_mtime_ns}")
        except OSError:
            parts.append(f"{side} -")
    return "|".join(parts)


def _sums(folders: list[Folder], share: int, shares: int) -> list[int]:
    """Count, size sum and mtime sum per folder over every `shares`-th file from `share` on."""
    stat = os.stat
    out: list[int] = []
    for _, _, prefix, names in folders:
        count = sizes = times = 0
        for name in names[share::shares]:
            try:
                info = stat(prefix + name)
            except OSError:  # removed while we looked (the folder's time shows it), a loop of links
                continue
            count += 1
            sizes += info.st_size
            times += info.st_mtime_ns
        out += (count, sizes, times)
    return out


def _encoded_sums(folders: list[Folder], share: int, shares: int) -> str:
    return " ".join(map(str, _sums(folders, share, shares)))


def _shared(folders: list[Folder], workers: int) -> list[list[int]]:
    """_sums over all files, in `workers` processes when there are enough files to be worth it."""
    files = sum(len(names) for *_, names in folders)
    workers = max(1, min(workers, files // FILES_PER_WORKER))
    helpers = []
    for share in range(1, workers):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            _child(functools.partial(_encoded_sums, folders, share, workers), write_end, read_end)
        os.close(write_end)
        helpers.append((pid, read_end))
    results = [_sums(folders, 0, workers)]
    for pid, read_end in helpers:
        answer = _read_all(read_end)
        if os.waitpid(pid, 0)[1] != 0 or not answer:
            raise OSError("a helper process failed")
        results.append([int(n) for n in answer.split()])
    return results


def _read_all(fd: int) -> str:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks).decode()


def _child(work: Callable[[], str], write_end: int, read_end: int) -> NoReturn:
    """Run in a forked child: write work() into the pipe and leave with os._exit, so none of the
    parent's exit handlers or buffered output run twice. Its standard streams point at /dev/null:
    a reader of the parent's output must not wait for a child to close them."""
    code = 1
    try:
        os.close(read_end)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.nice(19)  # the parent's start-up comes first; the check takes the time it leaves
        data = work().encode()
        while data:
            data = data[os.write(write_end, data):]
        code = 0
    except BaseException:  # noqa: BLE001 - a child must never run on into the parent's code
        pass
    finally:
        os._exit(code)


def start(root: Path | str) -> bool:
    """Compute fingerprint(root) in a child process (which shares the stats among the machine's
    cores when the catalogue is large); True when one was started."""
    global _pending
    if _pending is not None or not hasattr(os, "fork"):
        return False
    root = str(root)
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return False
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return False
    if pid == 0:
        _child(lambda: fingerprint(root, workers=os.cpu_count() or 1), write_end, read_end)
    os.close(write_end)
    _pending = (root, pid, read_end)
    import atexit

    atexit.register(discard)
    return True


def take(root: Path | str) -> str | None:
    """The state computed by start() for this same `root`, waiting for it; else None."""
    global _pending
    if _pending is None:
        return None
    started_for, pid, read_end = _pending
    if started_for != str(root):
        discard()
        return None
    answer = _read_all(read_end)
    _pending = None
    try:
        status = os.waitpid(pid, 0)[1]
    except ChildProcessError:  # reaped already (SIGCHLD ignored): a whole answer is all that counts
        status = 0
    return answer if status == 0 and answer else None


def discard() -> None:
    """Stop and reap a check nobody collected (another command ran, or it failed)."""
    global _pending
    if _pending is None:
        return
    _, pid, read_end = _pending
    _pending = None
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.close(read_end)
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
