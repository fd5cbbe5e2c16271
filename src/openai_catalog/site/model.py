"""What the site knows of the catalogue, gathered once from the sources every command uses.

The entries and their licence categories, openness grades and figures come from the search index
(`index.search`) made into export records (`export.records`); the grades are explained with
`openness.grade` and the licence terms resolved with the licence table of the loaded catalogue.
Relations are counted in both directions in one pass over the entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openai_catalog.export.records import Community, Record
    from openai_catalog.licenses import LicenseTable, Resolved
    from openai_catalog.openness import Grade

# How a relation reads from the entry it points at.
INVERSE = {
    "by": "makes",
    "trained_on": "training data of",
    "based_on": "base of",
    "uses": "used by",
    "supported_by": "supports",
    "part_of": "includes",
    "superseded_by": "supersedes",
}


@dataclass
class Item:
    """One entry as the site shows it."""

    record: Record
    grade: Grade | None
    terms: Resolved | None
    outgoing: list[tuple[str, str]] = field(default_factory=list)  # (relation, target id)
    incoming: list[tuple[str, str]] = field(default_factory=list)  # (relation, source id)

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def kind(self) -> str:
        return self.record.kind

    @property
    def data(self) -> dict[str, Any]:
        return self.record.data

    @property
    def commercial(self) -> bool | None:
        return self.terms.commercial if self.terms else None


@dataclass
class Site:
    root: Path
    items: dict[str, Item]  # by id, in name order
    orgs: dict[str, Community]
    licenses: LicenseTable
    paths: dict[str, str]  # id -> the entry's file, relative to the catalogue root
    hits: list[Any]
    skipped: list[str]  # entry files the index left out: they do not validate

    def of_kind(self, kind: str) -> list[Item]:
        return [item for item in self.items.values() if item.kind == kind]


def collect(root: Path) -> Site:
    """Every entry that validates, with what its pages need."""
    from openai_catalog.export import records as rec
    from openai_catalog.export.graph import _outgoing
    from openai_catalog.index import search
    from openai_catalog.licenses import LicenseError
    from openai_catalog.openness import grade
    from openai_catalog.query import parse
    from openai_catalog.registry import load_catalog

    result = search(root, parse(""), "name")
    hits = result.hits
    orgs = rec.communities(root)
    catalog = load_catalog(root)
    items: dict[str, Item] = {}
    for record in rec.build(root, hits, orgs):
        entry = catalog.get(record.id)
        if entry is None:  # the index keeps only valid entries; a file changed since is left out
            continue
        terms = None
        if entry.kind in ("model", "dataset", "tool") and getattr(entry, "license", None):
            try:
                terms = catalog.licenses.resolve(entry.license)
            except LicenseError:
                terms = None
        items[record.id] = Item(
            record,
            grade(entry, catalog) if entry.kind in ("model", "dataset") else None,
            terms,
            outgoing=[("by", b) for b in entry.by],
        )
        items[record.id].outgoing += _outgoing(entry)
    for item in items.values():
        for relation, target in item.outgoing:
            if target in items:
                items[target].incoming.append((relation, item.id))
    paths = {
        r.entry.id: r.path.relative_to(root).as_posix()
        for r in catalog.records
        if r.entry is not None and r.path.is_relative_to(root)
    }
    return Site(root, items, orgs, catalog.licenses, paths, hits, list(result.skipped))
