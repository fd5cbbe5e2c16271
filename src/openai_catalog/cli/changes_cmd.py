"""`catalog changes`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from openai_catalog.cli._filters import QueryArg, Selection, query_command


class ChangesFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"
    atom = "atom"


@query_command(without=("since", "until"))
def changes(
    selection: Selection,
    query: QueryArg = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE|REF",
            help="Changes on or after this date (YYYY[-MM[-DD]]) or "
            "after this git ref (a tag, branch or commit). Default: the whole history.",
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", metavar="REF", help="Changes up to this git ref (default HEAD)."),
    ] = None,
    format: Annotated[
        ChangesFormat,
        typer.Option(
            "--format", help="table, markdown (a digest for a post), json or atom (a feed)."
        ),
    ] = ChangesFormat.table,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", dir_okay=False, help="Write to this file (atomically) instead of stdout."
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option(
            "--title",
            help="The digest's or feed's title (default: \"New in open AI: November 2026\" "
            "for a calendar month).",
        ),
    ] = None,
) -> None:
    """What changed in the catalogue, from the git history of its folder: entries added,
    removed, renamed, withdrawn, deprecated or superseded, relicensed, and other fact changes,
    each with its date and pull request. The query and filters select which entries count (filter
    by release date with released:>=2025 in the query).

    Examples:

      catalog changes --since 2026-11-01

      catalog changes --since 2026-11-01 --format markdown > digest.md

      catalog changes --since v1.0 kind:model license:commercial

      catalog changes --format atom --output feed.xml
    """
    from openai_catalog.cli import _context, _output
    from openai_catalog.export import digest

    items, span = digest.changes_of(_context.root(), selection.query, since, until)
    if format is ChangesFormat.table:
        if output is not None:
            from openai_catalog.errors import UsageError

            raise UsageError(
                "--output writes markdown, json or atom, not the table",
                "add --format markdown (or json, atom)",
            )
        _output.changes(items, span)
        return
    if format is ChangesFormat.markdown:
        document = digest.markdown(items, span, title)
    elif format is ChangesFormat.atom:
        document = digest.atom(items, span, title)
    else:
        document = digest.json_text(items, span)
    if output is None:
        _output.write(document)
    else:
        from openai_catalog._util import write_atomic

        write_atomic(output, document)
        _output.info(f"wrote {len(items)} change{'s' * (len(items) != 1)} to {output}")
