"""`catalog search`."""

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


def search(
    query: QueryArg = None,
    kind: KindFilter = None, license: LicenseFilter = None, by: ByFilter = None,
    tag: TagFilter = None, modality: ModalityFilter = None, status: StatusFilter = None,
    since: SinceFilter = None, until: UntilFilter = None, openness: OpennessFilter = None,
    weights: WeightsFilter = None,
    sort: SortOpt = Sort.relevance, limit: LimitOpt = None, format: QueryFormatOpt = OutputFormat.table,
) -> None:
    """Search the catalogue: ranked full-text search with filters.

    Examples:

      catalog search "code model" --license permissive

      catalog search gpt-j

      catalog search diffusion kind:model released:>=2023 -xl

      catalog search --kind dataset license:commercial --sort released --format json
    """
    from openai_catalog.cli import _context, _output
    from openai_catalog.index import search as run_search

    parsed, text = build_query(query, kind=kind, license=license, by=by, tag=tag, modality=modality,
                               status=status, since=since, until=until, openness=openness,
                               weights=weights)
    if limit is None and format.value == "table":
        limit = 25
    result = run_search(_context.root(), parsed, sort.value, limit, text)
    _output.hits(result, format.value, parsed)
