"""`catalog stats`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from openai_catalog.cli._filters import QueryArg, Selection, query_command


class StatsFormat(StrEnum):
    table = "table"
    json = "json"


@query_command
def stats(
    selection: Selection,
    query: QueryArg = None,
    format: Annotated[
        StatsFormat, typer.Option("--format", help="table (bars) or json.")
    ] = StatsFormat.table,
) -> None:
    """Count entries by kind, licence category, openness grade and release year, as bars.

    Takes the same query and filters as list. Examples: catalog stats; catalog stats --kind model;
    catalog stats license:commercial --format json
    """
    from openai_catalog.cli import _context, _output
    from openai_catalog.index import search as run_search
    from openai_catalog.stats import compute_stats

    result = run_search(_context.root(), selection.query, "kind", None, selection.text)
    _output.stats(compute_stats(result.hits), format.value)
