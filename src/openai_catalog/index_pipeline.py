"""The index build's reading pipeline: entry files read and parsed in a second process while this
one checks them against the schema (and the build indexes them).

The two halves of an index build take about as long as each other, so on a machine with more than
one core the build takes about half the time. Only the path and the data cross over, not the line
numbers, which is all an index needs; `validate` reads with registry.read_record.
"""

from __future__ import annotations

import itertools
import os
import pickle
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from openai_catalog import _fork, _yaml, registry
from openai_catalog.locate import display_paths
from openai_catalog.schema import AnyEntry

PIPELINE_MIN_FILES = 2000  # below this a second process costs more than it saves
_PIPELINE_BATCH = 64


class Read(NamedTuple):
    """One entry file as an index sees it."""

    path: Path
    entry: AnyEntry | None  # None when it does not validate
    id: str | None  # the `id` it states, valid or not (references may name an invalid entry)
    kind: str | None  # the `kind` it states
    stat: tuple[int, int, int] | None  # size, mtime_ns, inode when read; None if it was not


def _read(record: registry.Record, stat: tuple[int, int, int] | None) -> Read:
    kind = record.data.get("kind")
    return Read(record.path, record.entry, record.id, kind if isinstance(kind, str) else None, stat)


def read_entries(files: Iterable[Path], many: bool) -> Iterator[Read]:
    """Each file with its validated entry (None when it does not validate), in order.

    Through the second process for `many` files, on a machine of more than one core. `files` is
    consumed lazily (a list of 100k paths alone weighs ~40 MiB). No fork where there is none, or
    when this process runs other threads (see _fork.may_fork); if the helper fails, the rest is
    read here.
    """
    display = display_paths()
    gate = registry.EntryGate()
    files = iter(files)
    child = None
    if many and (os.cpu_count() or 1) > 1 and _fork.may_fork():
        # the child walks its own copy of `files`; the parent's copy stays where it was
        child = _fork.fork(lambda out: _write_documents(files, out))
    if child is None:
        for path in files:
            record = registry.read_record(path, display(path), gate)
            yield _read(record, gate.last_stat)
        return
    done, finished = 0, False
    try:
        with child.stream() as source:
            while True:
                try:
                    batch = pickle.load(source)
                except EOFError:
                    finished = True
                    break
                except pickle.UnpicklingError:
                    break
                for name, data, findings, first_line, stat in batch:
                    path = Path(name)
                    done += 1
                    doc = _yaml.Document(data=data, findings=findings, first_line=first_line)
                    record = registry.Record(path, display(path), doc)
                    yield _read(registry.check_record(record), stat)
    finally:
        if not finished:
            child.kill()
        ok = child.wait() if finished else False
    if ok:
        return
    for path in itertools.islice(files, done, None):  # the helper died: read the rest here
        record = registry.read_record(path, display(path), gate)
        yield _read(record, gate.last_stat)


def _write_documents(files: Iterator[Path], out: BinaryIO) -> None:  # pragma: no cover - child
    display = display_paths()
    gate = registry.EntryGate()
    while batch := list(itertools.islice(files, _PIPELINE_BATCH)):
        docs: list[tuple[str, Any, Any]] = []
        for path in batch:
            doc = registry.read_document(path, display(path), gate)
            docs.append((str(path), doc, gate.last_stat))
        pickle.dump(
            [(name, d.data, d.findings, d.first_line, stat) for name, d, stat in docs],
            out,
            protocol=5,
        )
