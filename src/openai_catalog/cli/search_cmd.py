"""`catalog search`."""

from __future__ import annotations

from openai_catalog.cli._filters import (
    ColumnsOpt,
    LimitOpt,
    QueryArg,
    QueryFormatOpt,
    Selection,
    Sort,
    SortOpt,
    print_results,
    query_command,
)
from openai_catalog.cli._options import OutputFormat


@query_command
def search(
    selection: Selection,
    query: QueryArg = None,
    sort: SortOpt = Sort.relevance,
    limit: LimitOpt = None,
    format: QueryFormatOpt = OutputFormat.table,
    columns: ColumnsOpt = None,
) -> None:
    """Search the catalogue: ranked full-text search with filters.

    Examples:

      catalog search "code model" --license permissive

      catalog search gpt-j

      catalog search diffusion kind:model released:>=2023 -xl

      catalog search --kind dataset license:commercial --sort released --format json
    """
    from openai_catalog.cli import _context
    from openai_catalog.index import search as run_search

    if limit is None and format.value == "table":
        limit = 25
    result = run_search(_context.root(), selection.query, sort.value, limit, selection.text)
    print_results(result, format, selection, columns)
