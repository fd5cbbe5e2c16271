"""Finding and loading the catalogue: entry files with their line numbers, and the licence table.

Loading never raises for bad entries: each file's problems come back as findings beside whatever
could be read, so `validate` can report everything at once and `list` can still show the rest.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openai_catalog import _yaml, rules
from openai_catalog._util import bulk_load
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
        self.by_id: dict[str, Record] = {}
        for record in self.records:
            if record.id and record.id not in self.by_id:
                self.by_id[record.id] = record

    def entries(self, kind: str | None = None) -> list[AnyEntry]:
        """Every entry that passed the schema, sorted by kind order then id."""
        found = [r.entry for r in self.records if r.entry is not None
                 and (kind is None or r.entry.kind == kind)]
        return sorted(found, key=lambda e: (KIND_ORDER[e.kind], e.id))

    def get(self, entry_id: str) -> AnyEntry | None:
        record = self.by_id.get(entry_id)
        return record.entry if record else None

    def require(self, entry_id: str) -> AnyEntry:
        """The entry with this id; else EntryNotFound naming the nearest ids (exit 1)."""
        entry = self.get(entry_id)
        if entry is not None:
            return entry
        from openai_catalog._util import suggest
        from openai_catalog.errors import EntryNotFound

        record = self.by_id.get(entry_id)
        if record is not None:
            raise EntryNotFound(f"{entry_id!r} is in the catalogue but does not validate",
                                f"run: catalog validate {record.display}")
        near = suggest(entry_id, self.by_id, n=5, cutoff=0.5)
        near += [e.id for e in self.entries() if entry_id.lower() in
                 (e.name.lower(), *(a.lower() for a in e.aliases)) and e.id not in near]
        raise EntryNotFound(f"no entry {entry_id!r}",
                            f"did you mean {', '.join(near)}?" if near else "try: catalog list")

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


def iter_entry_files(root: Path) -> Iterator[Path]:
    """Every `*.yaml` file in the kind folders, in a stable order."""
    for folder in sorted(FOLDER_KINDS):
        directory = root / folder
        if directory.is_dir():
            for name in sorted(os.listdir(directory)):
                if name.endswith(".yaml") and not name.startswith("."):
                    yield directory / name


def count_entry_files(root: Path) -> int:
    """How many files iter_entry_files(root) yields, without making a Path of each."""
    count = 0
    for folder in FOLDER_KINDS:
        try:
            count += sum(1 for name in os.listdir(root / folder)
                         if name.endswith(".yaml") and not name.startswith("."))
        except OSError:
            pass
    return count


def expand_entry_paths(paths: Iterable[Path]) -> list[Path]:
    """The entry files named on a command line: files as given, folders by their entry files."""
    from openai_catalog.errors import UsageError

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(list(iter_entry_files(path)) or sorted(path.glob("*.yaml")))
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    return files


def read_record(path: Path, display: str | None = None) -> Record:
    """Parse one entry file and check it against the schema; `display` is its display_path."""
    display = display_path(path) if display is None else display
    return check_record(Record(path, display, read_document(path, display)))


def read_document(path: Path, display: str) -> _yaml.Document:
    """One entry file parsed, its problems of reading and of YAML among the document's findings."""
    try:
        with open(path, "rb", buffering=0) as handle:  # one read of the whole file, no buffer object
            raw = handle.read()
    except OSError as exc:
        return _yaml.Document(findings=[rules.YamlSyntax.at(display, 0, 0, f"cannot read: {exc.strerror}")])
    return _yaml.parse_bytes(raw, display)


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
        raise CatalogUnreadable(f"{first.path}:{first.line}:{first.col}: {first.message}", first.hint)
    return table, findings, path


def _read_licenses(root: Path) -> tuple[LicenseTable, list[Finding], Path]:
    path = root / LICENSES_FILE
    display = display_path(path)
    if not path.is_file():
        return LicenseTable(), [rules.LicenseTableInvalid.at(display, 0, 0, "the licence table is missing",
                                                             "add catalog/licenses.yaml")], path
    doc = _yaml.parse_bytes(path.read_bytes(), display)
    findings = list(doc.findings)
    table, problems = LicenseTable.from_data(doc.data)
    findings.extend(rules.LicenseTableInvalid.at(display, *doc.position(p.where), p.message, p.hint)
                    for p in problems)
    return table, findings, path


def load_catalog(root: Path | str | None = None, paths: Iterable[Path] | None = None) -> Catalog:
    """Load the whole catalogue (and any extra `paths` outside it) with every problem recorded."""
    root = find_catalog(root) if root is None or not Path(root).is_dir() else Path(root).resolve()
    if not root.is_dir():
        raise CatalogNotFound(f"{root} is not a folder")
    licenses, license_findings, licenses_path = load_licenses(root, strict=True)
    files = list(iter_entry_files(root))
    if paths:
        seen = {f.resolve() for f in files}
        files.extend(p for p in paths if p.resolve() not in seen)
    display = display_paths()
    with bulk_load():
        records = [read_record(path, display(path)) for path in files]
    return Catalog(root, records, licenses, license_findings, licenses_path)
