"""`catalog list`."""

from __future__ import annotations

from openai_catalog.cli._filters import (
    ByFilter,
    KindFilter,
    LicenseFilter,
    LimitOpt,
    ModalityFilter,
    OpennessFilter,
    QueryArg,
    QueryFormatOpt,
    SinceFilter,
    Sort,
    SortOpt,
    StatusFilter,
    TagFilter,
    UntilFilter,
    WeightsFilter,
    build_query,
)
from openai_catalog.cli._options import OutputFormat


def list_entries(
    query: QueryArg = None,
    kind: KindFilter = None, license: LicenseFilter = None, by: ByFilter = None,
    tag: TagFilter = None, modality: ModalityFilter = None, status: StatusFilter = None,
    since: SinceFilter = None, until: UntilFilter = None, openness: OpennessFilter = None,
    weights: WeightsFilter = None,
    sort: SortOpt = Sort.kind, limit: LimitOpt = None, format: QueryFormatOpt = OutputFormat.table,
) -> None:
    """List entries, all of them or those the filters keep, by kind and name.

    Examples: catalog list --kind model; catalog list license:permissive --format csv > open.csv
    """
    from openai_catalog.cli import _context, _output
    from openai_catalog.index import search as run_search

    parsed, text = build_query(query, kind=kind, license=license, by=by, tag=tag, modality=modality,
                               status=status, since=since, until=until, openness=openness,
                               weights=weights)
    result = run_search(_context.root(), parsed, sort.value, limit, text)
    _output.hits(result, format.value, parsed, listing=True)
