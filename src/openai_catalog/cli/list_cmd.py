"""`catalog list`."""

from __future__ import annotations

from openai_catalog.cli._options import FormatOpt, KindOpt, OutputFormat


def list_entries(kind: KindOpt = None, format: FormatOpt = OutputFormat.table) -> None:
    """List the entries of the catalogue, optionally of one kind.

    Examples: catalog list --kind model; catalog list --format csv > catalog.csv
    """
    from openai_catalog.cli import _context, _output

    catalog = _context.load()
    entries = catalog.entries(kind.value if kind else None)
    _output.entries(entries, format.value, catalog)
