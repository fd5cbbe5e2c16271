"""`catalog show`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

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
    from openai_catalog.errors import EntryNotFound, UsageError

    if format.value not in ("table", "json", "yaml"):
        raise UsageError(f"show prints table, json or yaml, not {format.value}")
    catalog = _context.load()
    entry = catalog.get(entry_id)
    if entry is None:
        from openai_catalog._util import suggest

        near = suggest(entry_id, catalog.by_id, n=5, cutoff=0.5)
        near += [e.id for e in catalog.entries() if entry_id.lower() in
                 (e.name.lower(), *(a.lower() for a in e.aliases)) and e.id not in near]
        record = catalog.by_id.get(entry_id)
        if record is not None:
            raise EntryNotFound(f"{entry_id!r} is in the catalogue but does not validate",
                                f"run: catalog validate {record.display}")
        raise EntryNotFound(f"no entry {entry_id!r}",
                            f"did you mean {', '.join(near)}?" if near else "try: catalog list")
    _output.show(entry, catalog, format.value, _enrichment(catalog.root, entry))


def _enrichment(root: Path, entry: Any) -> dict[str, Any]:
    """The snapshot records about the repos the entry names now; none when there is no snapshot
    (or an unreadable one, which `catalog validate` reports)."""
    from openai_catalog.enrich.snapshot import read_snapshot

    try:
        records = read_snapshot(root).entries.get(entry.id, {})
    except (OSError, ValueError):
        return {}
    return {source: record for source, record in records.items()
            if record.repo == getattr(entry, source, None)}
