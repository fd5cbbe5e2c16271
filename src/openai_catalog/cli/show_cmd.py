"""`catalog show`."""

from __future__ import annotations

from typing import Annotated

import typer

from openai_catalog.cli._options import FormatOpt, OutputFormat


def show(
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="The id of the entry, e.g. gpt-j-6b.")],
    format: FormatOpt = OutputFormat.table,
) -> None:
    """Show one entry: every field, and its relations in both directions.

    Example: catalog show gpt-j-6b
    """
    from openai_catalog.cli import _context, _output
    from openai_catalog.errors import UsageError

    if format.value not in ("table", "json", "yaml"):
        raise UsageError(f"show prints table, json or yaml, not {format.value}")
    catalog = _context.load()
    _output.show(catalog.require(entry_id), catalog, format.value)
