"""`catalog show`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from openai_catalog.cli._options import FormatOpt, OutputFormat


def show(
    entry_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="The id of the entry, e.g. gpt-j-6b; a former id, another name or a Hub repo "
            "id (the entry's or a variant's) finds it too.",
        ),
    ],
    format: FormatOpt = OutputFormat.table,
    history: Annotated[
        bool,
        typer.Option(
            "--history",
            help="List the dated changes of the entry instead, from the git history "
            "(through its renames).",
        ),
    ] = False,
) -> None:
    """Show one entry: every field with the quotes and pages that back it, its licence terms, its
    openness grade explained component by component (with what the next grade needs), and its
    relations in both directions.

    Examples: catalog show gpt-j-6b; catalog show the-pile --history
    """
    from openai_catalog.cli import _context, _output
    from openai_catalog.errors import UsageError

    if format.value not in ("table", "json", "yaml"):
        raise UsageError(f"show prints table, json or yaml, not {format.value}")
    from openai_catalog.openness import grade
    from openai_catalog.view import IndexedCatalog

    catalog = IndexedCatalog(_context.root())
    try:
        entry, note = catalog.resolve(entry_id)
        if note:
            _output.info(note)
        if history:
            from openai_catalog.changes import entry_history
            from openai_catalog.export.digest import items

            found = entry_history(catalog.root, entry.id, entry.aliases)
            _output.history(entry, items(found, {}), format.value)
            return
        openness = grade(entry, catalog) if entry.kind in ("model", "dataset") else None
        _output.show(entry, catalog, format.value, openness, _enrichment(catalog.root, entry))
    finally:
        catalog.close()


def _enrichment(root: Path, entry: Any) -> dict[str, Any]:
    """The snapshot records about the repos the entry names now; none when there is no snapshot
    (or an unreadable one, which `catalog validate` reports)."""
    from openai_catalog.enrich.snapshot import read_snapshot

    try:
        records = read_snapshot(root).entries.get(entry.id, {})
    except (OSError, ValueError):
        return {}
    return {
        source: record
        for source, record in records.items()
        if record.repo == getattr(entry, source, None)
    }
