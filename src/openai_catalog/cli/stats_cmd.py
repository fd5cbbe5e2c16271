"""`catalog stats`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from openai_catalog.cli._filters import (
    ByFilter,
    KindFilter,
    LicenseFilter,
    ModalityFilter,
    OpennessFilter,
    QueryArg,
    SinceFilter,
    StatusFilter,
    TagFilter,
    UntilFilter,
    WeightsFilter,
    build_query,
)


class StatsFormat(StrEnum):
    table = "table"
    json = "json"


def stats(
    query: QueryArg = None,
    kind: KindFilter = None, license: LicenseFilter = None, by: ByFilter = None,
    tag: TagFilter = None, modality: ModalityFilter = None, status: StatusFilter = None,
    since: SinceFilter = None, until: UntilFilter = None, openness: OpennessFilter = None,
    weights: WeightsFilter = None,
    format: Annotated[StatsFormat, typer.Option(
        "--format", "-f", help="table (bars) or json.")] = StatsFormat.table,
) -> None:
    """Count entries by kind, licence category, openness grade and release year, as bars.

    Takes the same query and filters as list. Examples: catalog stats; catalog stats --kind model;
    catalog stats license:commercial --format json
    """
    from openai_catalog.cli import _context, _output
    from openai_catalog.index import search as run_search
    from openai_catalog.stats import compute_stats

    parsed, text = build_query(query, kind=kind, license=license, by=by, tag=tag, modality=modality,
                               status=status, since=since, until=until, openness=openness,
                               weights=weights)
    result = run_search(_context.root(), parsed, "kind", None, text)
    _output.stats(compute_stats(result.hits), format.value)
