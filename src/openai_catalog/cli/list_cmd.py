"""`catalog list`."""

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
def list_entries(
    selection: Selection,
    query: QueryArg = None,
    sort: SortOpt = Sort.kind,
    limit: LimitOpt = None,
    format: QueryFormatOpt = OutputFormat.table,
    columns: ColumnsOpt = None,
) -> None:
    """List entries, all of them or those the filters keep, by kind and name.

    Examples: catalog list --kind model; catalog list license:permissive --format csv > open.csv
    """
    from openai_catalog.cli import _context
    from openai_catalog.index import search as run_search

    result = run_search(_context.root(), selection.query, sort.value, limit, selection.text)
    print_results(result, format, selection, columns, listing=True)
