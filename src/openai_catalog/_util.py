"""Small helpers shared by the core."""

from __future__ import annotations

import difflib
import errno
import gc
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from openai_catalog.errors import CatalogError

# The largest whole number an entry, a snapshot or a query may hold: within SQLite's 64-bit
# INTEGER (the index), exact in JSON for readers with 64-bit integers, and beyond any real count
# (10^18 parameters, tokens or bytes: an exabyte). Larger values are typos, or hostile.
MAX_COUNT = 10**18

# Characters that change how a terminal, an editor or a spreadsheet shows the text around them:
# C0 controls (tab and newline aside, which are text), DEL, C1 controls, and the bidirectional
# marks, embeddings, overrides and isolates (U+200E-200F, U+202A-202E, U+2066-2069) that make
# text read backwards.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def scrub(value: Any) -> Any:
    """`value` (text, or lists and mappings of it) without CONTROL characters: every export and
    data format passes through here, whatever validation let in (the snapshot, for one)."""
    if isinstance(value, str):
        return CONTROL.sub("", value) if CONTROL.search(value) else value
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    return value


def suggest(word: str, choices: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """Near matches of `word`, ignoring case; every did-you-mean goes through here."""
    by_lower: dict[str, str] = {}
    for choice in choices:
        by_lower.setdefault(choice.lower(), choice)
    found = difflib.get_close_matches(word.lower(), list(by_lower), n=n, cutoff=cutoff)
    return [by_lower[f] for f in found]


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    near = suggest(word, choices)
    return f"did you mean {' or '.join(repr(n) for n in near)}?" if near else None


@contextmanager
def temporary_beside(path: Path) -> Iterator[Path]:
    """A new, empty temporary file next to `path`, removed unless the block moved it into place.

    It is created with mode 0666 less the umask, as any new file of the user's would be (not
    mkstemp's 0600), so that a file it becomes keeps the permissions the user expects.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        name, fd = _create_beside(path)
    except OSError as exc:  # name the file the caller asked for, not our temporary one
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    os.close(fd)
    try:
        yield Path(name)
    finally:
        try:
            os.unlink(name)
        except FileNotFoundError:
            pass


def _create_beside(path: Path) -> tuple[str, int]:
    # os.urandom rather than tempfile: that module pulls in random and hashlib, which a search never needs
    for _ in range(100):
        name = str(path.parent / f".{path.name}.{os.urandom(6).hex()}.tmp")
        try:
            return name, os.open(
                name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666
            )
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path))


class WriteRefused(CatalogError):
    """A file that write_atomic will not replace: read-only, not a regular file, or changed since
    it was read. Nothing was written."""


def write_atomic(
    path: Path,
    data: str | bytes,
    exclusive: bool = False,
    stream: bool = False,
    unchanged: bytes | None = None,
) -> None:
    """Write a file so that readers see the old or the new content, never half of either.

    A symbolic link is written through: its target is replaced and the link stays. The replaced
    file's permission bits (and, where allowed, owner) are kept; a new file gets 0666 less the
    umask. A read-only file is refused rather than replaced behind its permissions' back.
    Something that is not a regular file (a named pipe, a device such as /dev/stdout) is refused,
    or with `stream` written to as it is: a stream has no old content to keep whole.
    With `exclusive`, an existing file is never replaced: FileExistsError, and nothing written.
    With `unchanged`, the file must still hold exactly those bytes just before it is replaced.
    """
    import stat

    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        info: os.stat_result | None = os.stat(path)  # through links, /dev/stdout's included
    except FileNotFoundError:
        info = None
    if info is not None and not exclusive:
        if stream and _is_stream(path, info.st_mode):
            _write_stream(path, raw)  # by its own name: /proc/self/fd/1 leads to no real path
            return
        if not stat.S_ISREG(info.st_mode):
            raise WriteRefused(
                f"{path} is {file_type(info.st_mode)}, not a regular file: not replaced",
                "name a regular file (or a new one) to write",
            )
        if not (info.st_mode & 0o222) or not os.access(path, os.W_OK):
            raise WriteRefused(
                f"{path} is read-only: not rewritten",
                f"make it writable first (chmod u+w {path}) if it should change",
            )
    target = Path(os.path.realpath(path)) if os.path.islink(path) else path
    with temporary_beside(target) as tmp:
        with open(tmp, "wb") as handle:
            handle.write(raw)
            handle.flush()
            if info is not None and not exclusive:
                _keep_owner_and_mode(handle.fileno(), info)
            os.fsync(handle.fileno())
        if exclusive:
            os.link(tmp, target)  # atomic, and fails if the name is taken, even by a racing writer
            return
        if unchanged is not None and not _still(target, unchanged, info):
            raise WriteRefused(
                f"{path} changed since it was read: not rewritten",
                "someone or something edited it meanwhile; run the command again",
            )
        os.replace(tmp, target)


def _is_stream(path: Path, mode: int) -> bool:
    """A pipe or a device, or a name for one of this process's descriptors (/dev/stdout,
    /dev/fd/3, /proc/self/fd/1): these are written to, never replaced, even when the
    descriptor is a redirected regular file."""
    import stat

    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return True
    import re

    return (
        re.fullmatch(r"/dev/(stdout|stderr|fd/\d+)|/proc/(self|\d+)/fd/\d+", os.path.abspath(path))
        is not None
    )


def _keep_owner_and_mode(fd: int, info: os.stat_result) -> None:
    if hasattr(os, "fchown"):
        try:
            os.fchown(fd, info.st_uid, info.st_gid)
        except OSError:
            pass  # only root may give a file away: the writer then owns the new file
    os.fchmod(fd, info.st_mode & 0o7777)


def _still(path: Path, expected: bytes, info: os.stat_result | None) -> bool:
    """Whether `path` holds `expected` and was not touched since `info` was taken."""
    try:
        now = os.stat(path)
        if info is not None and (now.st_mtime_ns, now.st_size, now.st_ino) != (
            info.st_mtime_ns,
            info.st_size,
            info.st_ino,
        ):
            return False
        with open(path, "rb", buffering=0) as handle:
            return bool(handle.read(len(expected) + 1) == expected)
    except OSError:
        return False


def _write_stream(path: Path, raw: bytes) -> None:
    with open(path, "wb", buffering=0) as handle:
        view = memoryview(raw)
        while view:
            view = view[handle.write(view) or 0 :]


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. A named pipe or a device is refused
    before a byte is read (OSError), so that a pipe cannot stall the reader and /dev/zero cannot
    fill memory; a larger file is refused (OSError EFBIG) without reading it whole."""
    import stat

    flags = (
        os.O_RDONLY
        | getattr(os, "O_NONBLOCK", 0)
        | getattr(os, "O_NOCTTY", 0)
        | getattr(os, "O_CLOEXEC", 0)
    )
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(
                errno.EINVAL, f"not a regular file but {file_type(info.st_mode)}", str(path)
            )
        if info.st_size > limit:
            raise OSError(errno.EFBIG, f"larger than {limit:,} bytes", str(path))
        raw = read_at_most(fd, limit + 1, info.st_size)
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise OSError(errno.EFBIG, f"larger than {limit:,} bytes", str(path))
    return raw


def read_at_most(fd: int, limit: int, size: int) -> bytes:
    """At most `limit` bytes of a regular file of `size` bytes. The first read asks for one byte
    more than the size, so that a short answer means the end (one system call, and no buffer of
    `limit` bytes allocated for a file of a few kilobytes); a file that grew is read on, up to the limit."""
    first = os.read(fd, min(limit, size + 1))
    if len(first) <= size or len(first) >= limit:
        return first
    chunks = [first]
    left = limit - len(first)
    while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def file_type(mode: int) -> str:
    """'a named pipe (FIFO)', 'a character device', ...: what a path is, in words."""
    import stat

    for test, words in (
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISREG, "a regular file"),
    ):
        if test(mode):
            return words
    return "a special file"


def canonical(data: dict[str, Any], order: list[str]) -> dict[str, Any]:
    """Dumped entry data in the given key order, without empty values or the default status."""
    if data.get("status") == "active":
        del data["status"]
    if "relations" in data:
        data["relations"] = {k: v for k, v in data["relations"].items() if v}
    if "variants" in data:
        data["variants"] = [{k: v for k, v in item.items() if v != []} for item in data["variants"]]
    return {key: data[key] for key in order if key in data and data[key] not in ([], {}, "")}


@contextmanager
def bulk_load() -> Iterator[None]:
    """Pause the cyclic garbage collector while loading many files. Loading allocates millions of
    short-lived objects that reference counting frees anyway, and each collection would rescan
    everything loaded so far; measured, this saves about a tenth of a catalogue load."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def human_count(value: int) -> str:
    """6000000000 -> 6B: counts as people say them."""
    for size, suffix in ((10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "K")):
        if value >= size:
            return f"{value / size:.3g}{suffix}"
    return str(value)


_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s|$)")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def reflow(text: str) -> str:
    """Markdown as a reader should see it in a terminal: the lines of each paragraph (and of each
    list item) joined into one, so that the terminal wraps them; blank lines, list items,
    headings, tables, fenced code and hard breaks (two trailing spaces) kept."""
    out: list[str] = []
    joinable = False  # whether the next plain line continues the last one
    fenced = False
    for raw in text.splitlines():
        line = raw.rstrip()
        if _FENCE.match(line):
            fenced = not fenced
            out.append(line)
            joinable = False
            continue
        if fenced or not line.strip() or _HEADING.match(line) or line.lstrip().startswith("|"):
            out.append(line)
            joinable = (
                bool(line.strip())
                and not fenced
                and not _HEADING.match(line)
                and not line.lstrip().startswith("|")
            )
            continue
        if joinable and not _LIST_ITEM.match(line):
            out[-1] += " " + line.strip()
        else:
            out.append(line)
        joinable = not raw.endswith("  ")
    return "\n".join(out).strip("\n")
