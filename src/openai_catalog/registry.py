"""Finding and loading the catalogue: entry files with their line numbers, and the licence table.

Loading never raises for bad entries: each file's problems come back as findings beside whatever
could be read, so `validate` can report everything at once and `list` can still show the rest.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISLNK, S_ISREG
from typing import Any

from openai_catalog import _yaml, rules
from openai_catalog._util import bulk_load, read_at_most
from openai_catalog.errors import CatalogNotFound, CatalogUnreadable
from openai_catalog.kinds import FOLDER_KINDS, KIND_ORDER
from openai_catalog.licenses import LicenseTable
from openai_catalog.locate import LICENSES_FILE, display_path, display_paths, find_catalog
from openai_catalog.rules import Finding
from openai_catalog.schema import AnyEntry, check_schema


@dataclass
class Record:
    """One entry file as loaded: what it says, where, and what is wrong with it."""

    path: Path
    display: str
    doc: _yaml.Document
    entry: AnyEntry | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def data(self) -> dict[str, Any]:
        return self.doc.data if isinstance(self.doc.data, dict) else {}

    @property
    def id(self) -> str | None:
        value = self.data.get("id")
        return value if isinstance(value, str) else None

    @property
    def folder_kind(self) -> str | None:
        return FOLDER_KINDS.get(self.path.parent.name)

    def position(self, *path: str | int) -> tuple[int, int]:
        return self.doc.position(tuple(path))


@dataclass
class Catalog:
    root: Path
    records: list[Record]
    licenses: LicenseTable
    license_findings: list[Finding] = field(default_factory=list)
    licenses_path: Path | None = None

    def __post_init__(self) -> None:
        self._former: dict[str, str] | None = None
        self.by_id: dict[str, Record] = {}
        for record in self.records:
            if record.id and record.id not in self.by_id:
                self.by_id[record.id] = record

    def claimants(self, field: str, key: str) -> list[tuple[str, Where]]:
        """The valid entries that make the claim (field, key) (see claims()), in load order: each
        entry's display path and where it writes the claim."""
        groups = self.__dict__.get("_claims")
        if groups is None:
            groups = self.__dict__["_claims"] = {}
            for record in self.records:
                if record.entry is not None:
                    for name, value, where, _ in claims(record.entry):
                        groups.setdefault((name, value), []).append((record.display, where))
        return list(groups.get((field, key), []))

    def entries(self, kind: str | None = None) -> list[AnyEntry]:
        """Every entry that passed the schema, sorted by kind order then id."""
        found = [
            r.entry
            for r in self.records
            if r.entry is not None and (kind is None or r.entry.kind == kind)
        ]
        return sorted(found, key=lambda e: (KIND_ORDER[e.kind], e.id))

    def get(self, entry_id: str) -> AnyEntry | None:
        """The entry with this id, or the one that had it before a rename (a former id kept in
        its `aliases`), so that a reference written before the rename still leads to it."""
        record = self.by_id.get(entry_id) or self.by_id.get(self.former_ids.get(entry_id, ""))
        return record.entry if record else None

    @property
    def former_ids(self) -> dict[str, str]:
        """Former ids -> current ids: the aliases written as ids (lowercase slugs) that no entry
        has as its id and exactly one entry lists."""
        if self._former is None:
            from openai_catalog.schema import SLUG_RE

            owners: dict[str, set[str]] = {}
            for entry in self.entries():
                for alias in entry.aliases:
                    if SLUG_RE.match(alias) and alias not in self.by_id:
                        owners.setdefault(alias, set()).add(entry.id)
            self._former = {a: ids.pop() for a, ids in owners.items() if len(ids) == 1}
        return self._former

    def require(self, entry_id: str) -> AnyEntry:
        """The entry with this id; else EntryNotFound naming the nearest ids (exit 1)."""
        entry = self.get(entry_id)
        if entry is not None:
            return entry
        from openai_catalog._util import suggest
        from openai_catalog.errors import EntryNotFound

        record = self.by_id.get(entry_id)
        if record is not None:
            raise EntryNotFound(
                f"{entry_id!r} is in the catalogue but does not validate",
                f"run: catalog validate {record.display}",
            )
        near = suggest(entry_id, self.by_id, n=5, cutoff=0.5)
        near += [
            e.id
            for e in self.entries()
            if entry_id.lower() in (e.name.lower(), *(a.lower() for a in e.aliases))
            and e.id not in near
        ]
        raise EntryNotFound(
            f"no entry {entry_id!r}",
            f"did you mean {', '.join(near)}?" if near else "try: catalog list",
        )

    def incoming(self, entry_id: str) -> list[tuple[str, str]]:
        """(relation, source id) for every entry that points at `entry_id`, `by` included."""
        found: list[tuple[str, str]] = []
        for entry in self.entries():
            if entry_id in entry.by:
                found.append(("by", entry.id))
            for name, targets in entry.relations:
                if entry_id in targets:
                    found.append((name, entry.id))
            if entry.superseded_by == entry_id:
                found.append(("superseded_by", entry.id))
        return found


Where = tuple[str | int, ...]  # a field's position in an entry file, as Record.position takes it
Claim = tuple[str, str, Where, str]  # (field, key as compared, where it is written, value)


def claims(entry: AnyEntry) -> list[Claim]:
    """What an entry claims that no other entry may: its id, its GitHub repo and its Hub repos
    (its own and its variants'; a community's is an organisation, so it may share the name of a
    model's repo), each as (field, key as compared, where it is written, the value as written)."""
    found: list[Claim] = [("id", entry.id, ("id",), entry.id)]
    hubs: dict[str, tuple[Where, str]] = {}
    if entry.hub:
        hubs[entry.hub.lower()] = (("hub",), entry.hub)
    for i, variant in enumerate(getattr(entry, "variants", None) or ()):
        # a variant that is the entry's own repo, or a repeat (CAT057), is one claim
        if variant.hub:
            hubs.setdefault(variant.hub.lower(), (("variants", i, "hub"), variant.hub))
    prefix = "org:" if entry.kind == "community" else "repo:"
    found.extend(("hub", prefix + key, where, value) for key, (where, value) in hubs.items())
    if entry.github:
        found.append(("github", entry.github.lower(), ("github",), entry.github))
    return found


def iter_entry_files(root: Path) -> Iterator[Path]:
    """Every `*.yaml` file in the kind folders, in a stable order; CatalogUnreadable for a kind
    folder that cannot be listed (a catalogue read in part would look complete)."""
    try:
        os.listdir(root)
    except OSError as exc:
        raise _unreadable_folder(root, exc) from None
    for folder in sorted(FOLDER_KINDS):
        directory = root / folder
        try:
            if not directory.is_dir():
                continue
            names = sorted(os.listdir(directory))
        except OSError as exc:
            raise _unreadable_folder(directory, exc) from None
        for name in names:
            if name.endswith(".yaml") and not name.startswith("."):
                yield directory / name


def _unreadable_folder(directory: Path, exc: OSError) -> CatalogUnreadable:
    import errno

    reason = (
        "permission denied"
        if exc.errno in (errno.EACCES, errno.EPERM)
        else (exc.strerror or str(exc)).lower()
    )
    return CatalogUnreadable(
        f"{display_path(directory)}: the folder cannot be read: {reason}",
        "make it readable (chmod a+rx) and run the command again",
    )


def count_entry_files(root: Path) -> int:
    """How many files iter_entry_files(root) yields, without making a Path of each."""
    count = 0
    for folder in FOLDER_KINDS:
        try:
            count += sum(
                1
                for name in os.listdir(root / folder)
                if name.endswith(".yaml") and not name.startswith(".")
            )
        except OSError:
            pass
    return count


def expand_entry_paths(paths: Iterable[Path]) -> list[Path]:
    """The entry files named on a command line: files as given, folders by their entry files.

    Whatever exists and is not a folder counts as a file, pipes and devices included: reading
    it then says what it is (CAT026), where "no such file" would send the user looking for a typo.
    """
    from openai_catalog.errors import UsageError

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            try:
                files.extend(list(iter_entry_files(path)) or sorted(path.glob("*.yaml")))
            except OSError as exc:
                raise _unreadable_folder(path, exc) from None
        elif os.path.lexists(path):
            files.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    return files


def empty_folders(paths: Iterable[Path]) -> list[Finding]:
    """A CAT028 finding for each folder among `paths` that holds no entry file."""
    return [
        rules.NoEntries.at(
            display_path(path),
            0,
            0,
            "no entry files here, so nothing was checked",
            "name the catalogue folder (the one holding licenses.yaml) or entry files",
        )
        for path in paths
        if path.is_dir() and not expand_entry_paths([path])
    ]


def read_record(path: Path, display: str | None = None, gate: EntryGate | None = None) -> Record:
    """Parse one entry file and check it against the schema; `display` is its display_path."""
    display = display_path(path) if display is None else display
    return check_record(Record(path, display, read_document(path, display, gate)))


def read_document(path: Path, display: str, gate: EntryGate | None = None) -> _yaml.Document:
    """One entry file read through the gate and parsed; its problems of reading and of YAML are
    among the document's findings."""
    raw, problem = (gate or EntryGate()).read(path, display)
    if problem is not None or raw is None:
        return _yaml.Document(findings=[problem] if problem else [])
    return _yaml.parse_bytes(raw, display)


class EntryGate:
    """Reads entry files as untrusted input: a pull request can carry a named pipe (every reader
    would wait forever), a link to /dev/zero (memory fills up), a link to a file elsewhere on the
    machine (its values would reach CI logs) or a file of gigabytes. Each file is looked at
    before it is opened: only a regular file that lies inside its catalogue (the folder above
    its kind folder) is opened, without blocking, and at most MAX_BYTES + 1 of it is read.

    One gate serves a whole load, remembering the real place of each folder, so that a plain file
    costs an lstat and an fstat more than a bare read; only links are resolved in full.
    """

    def __init__(self) -> None:
        self._real: dict[str, str] = {}
        self._inside: dict[tuple[str, str | None], bool] = {}
        # (size, mtime_ns, inode) of the file last read, taken from the open file before reading
        # it: what an index keeps to see later whether the file changed.
        self.last_stat: tuple[int, int, int] | None = None

    def _realdir(self, folder: str) -> str:
        real = self._real.get(folder)
        if real is None:
            real = self._real[folder] = os.path.realpath(folder)
        return real

    def _within(self, real: str, home: str) -> bool:
        return real == home or real.startswith(home + os.sep) or home == os.sep

    def read(
        self, path: Path, display: str, home: Path | None = None
    ) -> tuple[bytes | None, Finding | None]:
        """The file's bytes, or the finding that says why it was not read. `home` is the folder
        it must stay inside, by default the one above its own folder."""
        self.last_stat = None
        name = os.fspath(path)
        if not os.path.isabs(name):
            name = os.path.abspath(name)
        folder = os.path.dirname(name)
        home_key = None if home is None else os.path.abspath(home)
        home_dir = self._realdir(home_key if home_key is not None else os.path.dirname(folder))
        try:
            info = os.lstat(name)
            if S_ISLNK(info.st_mode):
                inside = self._within(os.path.realpath(name), home_dir)
            else:  # a plain name in a folder: inside when the folder is, which is asked once
                key = (folder, home_key)
                inside = self._inside.get(key)  # type: ignore[assignment]
                if inside is None:
                    inside = self._inside[key] = self._within(self._realdir(folder), home_dir)
            if not inside:
                return None, rules.OutsideCatalogue.at(
                    display,
                    0,
                    0,
                    "a symbolic link that leads outside the catalogue: not read",
                    "put the entry itself in the catalogue instead of a link to another place",
                )
            if S_ISLNK(info.st_mode):
                info = os.stat(name)
            if not S_ISREG(info.st_mode):
                return None, self._special(display, info.st_mode)
            if info.st_size > _yaml.MAX_BYTES:
                return None, _too_large(display, info.st_size)
            fd = os.open(name, _READ_FLAGS)
            try:
                opened = os.fstat(
                    fd
                )  # what was opened, should the name have been swapped meanwhile
                if not S_ISREG(opened.st_mode):
                    return None, self._special(display, opened.st_mode)
                self.last_stat = (opened.st_size, opened.st_mtime_ns, opened.st_ino)
                raw = read_at_most(fd, _yaml.MAX_BYTES + 1, opened.st_size)
            finally:
                os.close(fd)
        except OSError as exc:
            return None, _unreadable(display, exc)
        if len(raw) > _yaml.MAX_BYTES:
            return None, _too_large(display, len(raw))
        return raw, None

    @staticmethod
    def _special(display: str, mode: int) -> Finding:
        from openai_catalog._util import file_type

        return rules.UnreadableFile.at(
            display,
            0,
            0,
            f"not a regular file but {file_type(mode)}: not read",
            "an entry is a regular YAML file; replace this one",
        )


# Never wait (a named pipe without a writer opens at once), never become a controlling terminal.
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def _too_large(display: str, size: int) -> Finding:
    return rules.FileTooLarge.at(
        display,
        1,
        1,
        f"file is {size:,} bytes, over 1 MiB",
        "an entry is a few kilobytes: is this the right file?",
    )


def _unreadable(display: str, exc: OSError) -> Finding:
    import errno

    reason = {
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ENOENT: "it is gone, or a link to nothing",
        errno.ELOOP: "a loop of symbolic links",
        errno.EISDIR: "it is a folder",
    }.get(exc.errno or 0, (exc.strerror or str(exc)).lower())
    hint = (
        "make it readable (chmod a+r)"
        if exc.errno in (errno.EACCES, errno.EPERM)
        else "replace it with a regular YAML file"
    )
    return rules.UnreadableFile.at(display, 0, 0, f"cannot be read: {reason}", hint)


def record_from_text(path: Path, text: str) -> Record:
    """A record for text not yet written to `path`, checked as if it were read from there."""
    display = display_path(path)
    return check_record(Record(path, display, _yaml.parse_text(text, display)))


def check_record(record: Record) -> Record:
    """The record with its document's findings and, when it has data, the schema's verdict."""
    record.findings = list(record.doc.findings)
    if record.doc.data is not None:
        record.entry, schema_findings = check_schema(record)
        record.findings.extend(schema_findings)
    return record


def load_licenses(root: Path, strict: bool = False) -> tuple[LicenseTable, list[Finding], Path]:
    """The licence table with its problems; `strict` raises when no licence could be read at all."""
    table, findings, path = _read_licenses(root)
    if strict and not table.licenses and findings:
        first = findings[0]
        raise CatalogUnreadable(
            f"{first.path}:{first.line}:{first.col}: {first.message}", first.hint
        )
    return table, findings, path


def _read_licenses(root: Path) -> tuple[LicenseTable, list[Finding], Path]:
    path = root / LICENSES_FILE
    display = display_path(path)
    try:
        os.listdir(root)  # a folder we may not read would otherwise look like one without a table
    except OSError as exc:
        raise _unreadable_folder(root, exc) from None
    if not os.path.lexists(path):
        return (
            LicenseTable(),
            [
                rules.LicenseTableInvalid.at(
                    display, 0, 0, "the licence table is missing", "add catalog/licenses.yaml"
                )
            ],
            path,
        )
    raw, problem = EntryGate().read(path, display, home=root)
    if problem is not None or raw is None:
        return (
            LicenseTable(),
            [
                rules.LicenseTableInvalid.at(
                    display,
                    0,
                    0,
                    f"the licence table: {problem.message if problem else 'cannot be read'}",
                    problem.hint if problem else None,
                )
            ],
            path,
        )
    doc = _yaml.parse_bytes(raw, display)
    findings = list(doc.findings)
    table, problems = LicenseTable.from_data(doc.data)
    findings.extend(
        rules.LicenseTableInvalid.at(display, *doc.position(p.where), p.message, p.hint)
        for p in problems
    )
    return table, findings, path


def load_catalog(root: Path | str | None = None, paths: Iterable[Path] | None = None) -> Catalog:
    """Load the whole catalogue (and any extra `paths` outside it) with every problem recorded."""
    root = find_catalog(root) if root is None or not Path(root).is_dir() else Path(root).resolve()
    if not root.is_dir():
        raise CatalogNotFound(f"{root} is not a folder")
    licenses, license_findings, licenses_path = load_licenses(root, strict=True)
    files = list(iter_entry_files(root))
    if paths:
        seen = {
            os.path.realpath(f) for f in files
        }  # not Path.resolve: it raises on a loop of links
        files.extend(p for p in paths if os.path.realpath(p) not in seen)
    display = display_paths()
    gate = EntryGate()
    with bulk_load():
        records = [read_record(path, display(path), gate) for path in files]
    return Catalog(root, records, licenses, license_findings, licenses_path)
