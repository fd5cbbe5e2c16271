"""One way to run work in a forked child that answers through a pipe.

Three places use it: the freshness check started at start-up, the same check shared among cores,
and the index build's reading pipeline. Each wants the same care, so it lives here once: the child
leaves with os._exit (none of the parent's exit handlers or buffered output run twice), its
standard streams point at /dev/null (a reader of the parent's output must not wait for a child to
close them), and the parent always reaps it. Standard library only: freshness.py runs before
anything heavy is imported.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import BinaryIO

BUFFER = 1 << 16


def may_fork() -> bool:
    """Whether forking is possible here and safe: a forked child inherits the locks of the
    parent's other threads in whatever state they were, so only in a process of one thread."""
    if not hasattr(os, "fork"):
        return False
    import threading

    return threading.active_count() == 1


class Child:
    """A forked child and the read end of its pipe. (A plain class, not a dataclass: importing
    dataclasses costs ~10 ms, and freshness.start forks before anything else is imported.)"""

    __slots__ = ("pid", "fd", "_reaped")

    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self.fd, self._reaped = pid, fd, False

    def stream(self) -> BinaryIO:
        """The pipe as a buffered binary file, for a reader that consumes it bit by bit."""
        return os.fdopen(self.fd, "rb", buffering=BUFFER)

    def read(self) -> bytes:
        """Everything the child wrote, once it closed the pipe."""
        chunks = []
        try:
            while chunk := os.read(self.fd, BUFFER):
                chunks.append(chunk)
        finally:
            os.close(self.fd)
        return b"".join(chunks)

    def wait(self) -> bool:
        """Reap the child; True when it finished its work (a child reaped already, with SIGCHLD
        ignored, counts as finished: only a whole answer matters then)."""
        if self._reaped:
            return False
        self._reaped = True
        try:
            return os.waitpid(self.pid, 0)[1] == 0
        except ChildProcessError:
            return True

    def kill(self) -> None:
        """Stop the child if it still runs, and reap it."""
        import signal

        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if not self._reaped:
            self._reaped = True
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass


def fork(work: Callable[[BinaryIO], object], background: bool = False) -> Child | None:
    """Run work(out) in a forked child, `out` being the write end of a pipe whose read end the
    returned Child holds; None where there is no fork or it failed. A `background` child runs at
    the lowest priority, so the parent's own work comes first."""
    if not hasattr(os, "fork"):
        return None
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # pragma: no cover - runs in the child, whose coverage is not collected
        _run_child(work, read_end, write_end, background)
    os.close(write_end)
    return Child(pid, read_end)


def _run_child(
    work: Callable[[BinaryIO], object], read_end: int, write_end: int, background: bool
) -> None:  # pragma: no cover - runs in the child
    code = 1
    try:
        os.close(read_end)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        if background:
            os.nice(19)
        with os.fdopen(write_end, "wb", buffering=BUFFER) as out:
            work(out)
        code = 0
    except BaseException:  # noqa: BLE001 - a child must never run on into the parent's code
        pass
    finally:
        os._exit(code)
