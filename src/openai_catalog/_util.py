"""Small helpers shared by the core."""

from __future__ import annotations

import difflib
import gc
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# The largest whole number an entry, a snapshot or a query may hold: within SQLite's 64-bit
# INTEGER (the index), exact in JSON for readers with 64-bit integers, and beyond any real count
# (10^18 parameters, tokens or bytes: an exabyte). Larger values are typos, or hostile.
MAX_COUNT = 10**18

# Characters that change how a terminal, an editor or a spreadsheet shows the text around them:
# C0 controls (tab and newline aside, which are text), DEL, C1 controls, and the bidirectional
# embeddings, overrides and isolates (U+202A-202E, U+2066-2069) that make text read backwards.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


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
    """A temporary file next to `path`, removed unless the block moved it into place."""
    import tempfile  # not at module level: it pulls in random and hashlib, which a search never needs

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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


def write_atomic(path: Path, data: str | bytes, exclusive: bool = False) -> None:
    """Write a file so that readers see the old or the new content, never half of either.

    With `exclusive`, an existing file is never replaced: FileExistsError, and nothing written.
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with temporary_beside(path) as tmp:
        with open(tmp, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            os.link(tmp, path)  # atomic, and fails if the name is taken, even by a racing writer
        else:
            os.replace(tmp, path)


def canonical(data: dict[str, Any], order: list[str]) -> dict[str, Any]:
    """Dumped entry data in the given key order, without empty values or the default status."""
    if data.get("status") == "active":
        del data["status"]
    if "relations" in data:
        data["relations"] = {k: v for k, v in data["relations"].items() if v}
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
