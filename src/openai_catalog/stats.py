"""Counts of the catalogue, or of the entries a query keeps: by kind, licence category, openness
grade and release year, and the variants (checkpoints) the releases among them list. Computed from
search hits, so `catalog stats` takes list's filters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from openai_catalog.kinds import KINDS
from openai_catalog.licenses import CATEGORIES
from openai_catalog.openness import LADDERS

NO_LICENCE = "none"  # entries with no licence field (compute programs, communities)
NO_YEAR = "unknown"


@dataclass
class Stats:
    """Every count keyed in a fixed order; the fixed sets (kinds, categories, grades) keep their
    zeros so that JSON consumers always find the same keys."""

    total: int = 0
    variants: int = 0  # the checkpoints listed by the model releases counted in `total`
    by_kind: dict[str, int] = field(default_factory=dict)
    by_license_category: dict[str, int] = field(default_factory=dict)
    by_openness: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> grade -> count
    by_year: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "variants": self.variants,
            "by_kind": self.by_kind,
            "by_license_category": self.by_license_category,
            "by_openness": self.by_openness,
            "by_year": self.by_year,
        }


def compute_stats(hits: Iterable[Any]) -> Stats:
    """Count search hits (openai_catalog.index.Hit) by kind, licence category, grade and year."""
    kinds: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    grades: dict[str, Counter[str]] = {kind: Counter() for kind in LADDERS}
    years: Counter[str] = Counter()
    total = variants = 0
    for hit in hits:
        total += 1
        variants += len(hit.data.get("variants") or ())
        kinds[hit.kind] += 1
        categories[hit.license_category or NO_LICENCE] += 1
        if hit.kind in grades and hit.openness:
            grades[hit.kind][hit.openness] += 1
        years[hit.released[:4] if hit.released else NO_YEAR] += 1
    by_category = {c: categories[c] for c in CATEGORIES}
    if categories[NO_LICENCE]:
        by_category[NO_LICENCE] = categories[NO_LICENCE]
    by_year = {year: years[year] for year in sorted(y for y in years if y != NO_YEAR)}
    if years[NO_YEAR]:
        by_year[NO_YEAR] = years[NO_YEAR]
    return Stats(
        total=total,
        variants=variants,
        by_kind={kind: kinds[kind] for kind in KINDS},
        by_license_category=by_category,
        by_openness={
            kind: {g: grades[kind][g] for g in ladder} for kind, ladder in LADDERS.items()
        },
        by_year=by_year,
    )
