"""The one fork-and-pipe helper (_fork.py): answers, failures and reaping."""

from __future__ import annotations

import os
import time
from typing import BinaryIO

import pytest

from openai_catalog import _fork

posix_only = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")


@posix_only
def test_a_child_answers_through_the_pipe_and_is_reaped() -> None:
    child = _fork.fork(lambda out: out.write(b"hello " * 20000))
    assert child is not None
    assert child.read() == b"hello " * 20000
    assert child.wait() is True
    assert child.wait() is False  # reaped once
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)


@posix_only
def test_a_child_that_fails_says_so_and_writes_nothing_of_the_parent() -> None:
    def fail(out: BinaryIO) -> None:
        out.write(b"half")
        raise RuntimeError("in the child")

    child = _fork.fork(fail)
    assert child is not None
    child.read()
    assert child.wait() is False


@posix_only
def test_a_child_still_running_is_killed_and_reaped() -> None:
    child = _fork.fork(lambda out: time.sleep(30), background=True)
    assert child is not None
    child.kill()
    child.kill()  # twice is harmless: it is gone and reaped
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)
    os.close(child.fd)


@posix_only
def test_a_child_reaped_elsewhere_counts_as_finished(monkeypatch: pytest.MonkeyPatch) -> None:
    child = _fork.fork(lambda out: out.write(b"x"))
    assert child is not None
    assert child.read() == b"x"
    os.waitpid(child.pid, 0)  # as if SIGCHLD were ignored
    assert child.wait() is True

    other = _fork.fork(lambda out: None)
    assert other is not None
    other.read()
    os.waitpid(other.pid, 0)
    monkeypatch.setattr(os, "kill", lambda pid, sig: (_ for _ in ()).throw(ProcessLookupError()))
    other.kill()  # already gone and reaped: nothing to do, nothing raised


def test_without_fork_or_a_pipe_there_is_no_child(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise OSError("no more")

    monkeypatch.setattr(os, "pipe", refuse)
    assert _fork.fork(lambda out: None) is None
    monkeypatch.undo()
    if hasattr(os, "fork"):
        before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
        monkeypatch.setattr(os, "fork", refuse)
        assert _fork.fork(lambda out: None) is None
        if before is not None:
            assert len(os.listdir("/proc/self/fd")) == before  # both ends of the pipe closed
        monkeypatch.delattr(os, "fork")
    assert _fork.fork(lambda out: None) is None
    assert _fork.may_fork() is False


@posix_only
def test_forking_is_refused_while_other_threads_run() -> None:
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert _fork.may_fork() is False
    finally:
        stop.set()
        thread.join()
