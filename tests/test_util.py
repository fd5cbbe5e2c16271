"""write_atomic and read_regular: the one way files are replaced, and untrusted ones read."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from openai_catalog._util import WriteRefused, read_regular, write_atomic


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_link_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to("real.json")
    write_atomic(link, "new")
    assert link.is_symlink() and os.readlink(link) == "real.json"
    assert target.read_text() == "new"
    assert leftovers(tmp_path) == []


def test_the_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "entry.yaml"
    path.write_text("old")
    path.chmod(0o664)
    write_atomic(path, "new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o664 and path.read_text() == "new"


def test_a_new_file_gets_0666_less_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.json", "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640


def test_a_read_only_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "entry.yaml"
    path.write_text("old")
    path.chmod(0o444)
    with pytest.raises(WriteRefused, match="read-only"):
        write_atomic(path, "new")
    assert path.read_text() == "old" and leftovers(tmp_path) == []


def test_a_named_pipe_is_refused_unless_streaming_was_asked_for(tmp_path: Path) -> None:
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    with pytest.raises(WriteRefused, match="named pipe"):
        write_atomic(fifo, "data")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    reader = subprocess.Popen(
        [sys.executable, "-c", f"print(open({str(fifo)!r}).read())"],
        stdout=subprocess.PIPE,
        text=True,
    )
    write_atomic(fifo, "streamed", stream=True)
    assert reader.communicate(timeout=30)[0].strip() == "streamed"
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and leftovers(tmp_path) == []


def test_a_device_is_written_to_as_it_is_when_streaming(tmp_path: Path) -> None:
    # A terminal of our own, not /dev/null: a regression must not replace a device the machine needs.
    master, slave = os.openpty()
    try:
        device = Path(os.ttyname(slave))
        write_atomic(device, "to the terminal", stream=True)
        assert os.read(master, 100) == b"to the terminal"
        assert stat.S_ISCHR(device.stat().st_mode)
    finally:
        os.close(slave)
        os.close(master)


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "entry.yaml"
    path.write_text("what was read")
    path.write_text("an edit saved meanwhile")
    with pytest.raises(WriteRefused, match="changed since it was read"):
        write_atomic(path, "formatted", unchanged=b"what was read")
    assert path.read_text() == "an edit saved meanwhile" and leftovers(tmp_path) == []


def test_an_unchanged_file_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "entry.yaml"
    path.write_text("what was read")
    write_atomic(path, "formatted", unchanged=b"what was read")
    assert path.read_text() == "formatted"


def test_a_full_disk_leaves_the_old_file_and_no_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "entry.yaml"
    path.write_text("old")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space"):
        write_atomic(path, "new")
    assert path.read_text() == "old" and leftovers(tmp_path) == []


def test_sigterm_removes_the_temporary_file_as_ctrl_c_does(tmp_path: Path) -> None:
    script = (
        "import os, sys, time\n"
        "from openai_catalog.cli.entry import _stop_on_sigterm\n"
        "from openai_catalog._util import temporary_beside\n"
        "from pathlib import Path\n"
        "_stop_on_sigterm()\n"
        "try:\n"
        f"    with temporary_beside(Path({str(tmp_path / 'out.json')!r})):\n"
        "        print('ready', flush=True)\n"
        "        time.sleep(60)\n"
        "except KeyboardInterrupt:\n"
        "    sys.exit(130)\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        assert len(leftovers(tmp_path)) == 1
        proc.terminate()
        assert proc.wait(timeout=30) == 130
    assert leftovers(tmp_path) == []


def test_read_regular_refuses_a_pipe_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "enrichment.json"
    os.mkfifo(fifo)
    start = time.monotonic()
    with pytest.raises(OSError, match="named pipe"):
        read_regular(fifo, 100)
    assert time.monotonic() - start < 5


def test_read_regular_refuses_a_larger_file_without_reading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:
        handle.truncate(3 * 1024**3)  # sparse: 3 GiB that take no room
    with pytest.raises(OSError, match="larger than"):
        read_regular(path, 1024)
    with pytest.raises(OSError, match="character device"):
        read_regular(Path("/dev/zero"), 1024)
