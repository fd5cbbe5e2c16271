"""`catalog lineage`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer


class LineageFormat(StrEnum):
    table = "table"
    json = "json"


def lineage(
    entry_id: Annotated[
        str, typer.Argument(metavar="ID", help="The id of the entry, e.g. vicuna-13b.")
    ],
    format: Annotated[
        LineageFormat, typer.Option("--format", "-f", help="table (a tree) or json.")
    ] = LineageFormat.table,
) -> None:
    """The licence lineage of one entry: up, what it was built from (its bases, their bases, the
    datasets it was trained on); down, what was built from it (entries based on or trained on
    it); each with its licence, licence category and openness grade. A missing base and a cycle
    are marked, not followed. `catalog validate` checks the licences along it (rule CAT100).

    Examples: catalog lineage vicuna-13b; catalog lineage the-pile --format json
    """
    from openai_catalog.cli import _context, _output
    from openai_catalog.lineage import lineage as lineage_of
    from openai_catalog.view import IndexedCatalog

    catalog = IndexedCatalog(_context.root())
    try:
        catalog.require(entry_id)
        tree = lineage_of(catalog, entry_id)
    finally:
        catalog.close()
    _output.lineage(tree, format.value)
