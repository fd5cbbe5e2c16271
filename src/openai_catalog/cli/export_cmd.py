"""`catalog export`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from openai_catalog.cli._filters import (
    LimitOpt,
    QueryArg,
    Selection,
    Sort,
    SortOpt,
    query_command,
)

MARKDOWN = "Markdown"
GRAPH = "Graphs (mermaid, dot)"


class ExportFormat(StrEnum):
    markdown = "markdown"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    yaml = "yaml"
    html = "html"
    bibtex = "bibtex"
    mermaid = "mermaid"
    dot = "dot"


class GroupBy(StrEnum):
    kind = "kind"
    org = "org"
    year = "year"
    license = "license"


class Style(StrEnum):
    table = "table"
    list = "list"
    awesome = "awesome"


@query_command
def export(
    selection: Selection,
    format: Annotated[
        ExportFormat,
        typer.Argument(
            metavar="FORMAT", help="markdown, json, jsonl, csv, yaml, html, bibtex, mermaid or dot."
        ),
    ],
    query: QueryArg = None,
    sort: SortOpt = Sort.kind,
    limit: LimitOpt = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            dir_okay=False,
            help="Write to this file (atomically, through a link, keeping its mode) instead of "
            "stdout; a pipe or a device such as /dev/stdout is written to as it is.",
        ),
    ] = None,
    group_by: Annotated[
        GroupBy | None,
        typer.Option(
            "--group-by",
            help="Sections by kind, org (maker), year or licence category.",
            rich_help_panel=MARKDOWN,
        ),
    ] = None,
    style: Annotated[
        Style,
        typer.Option(
            "--style",
            help="A table, a bulleted list, or an awesome list (awesome-lint clean).",
            rich_help_panel=MARKDOWN,
        ),
    ] = Style.table,
    columns: Annotated[
        str | None,
        typer.Option(
            "--columns",
            help="Comma-separated columns, e.g. name,by,license,downloads,summary "
            "(markdown and csv).",
            rich_help_panel=MARKDOWN,
        ),
    ] = None,
    figures: Annotated[
        bool,
        typer.Option(
            "--figures",
            help="Add Hub downloads and GitHub stars, with the date they were fetched.",
            rich_help_panel=MARKDOWN,
        ),
    ] = False,
    toc: Annotated[
        bool,
        typer.Option(
            "--toc", help="A table of contents of the sections.", rich_help_panel=MARKDOWN
        ),
    ] = False,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            exists=True,
            dir_okay=False,
            metavar="FILE.j2",
            help="Render this Jinja2 template instead (its context: README.md, Exports).",
            rich_help_panel=MARKDOWN,
        ),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="A title (markdown and html).")
    ] = None,
    root: Annotated[
        str | None,
        typer.Option(
            "--root",
            metavar="ID",
            help="Draw the relations around this entry.",
            rich_help_panel=GRAPH,
        ),
    ] = None,
    depth: Annotated[
        int | None,
        typer.Option(
            "--depth",
            min=0,
            help="Relation steps from the root (default 1) or from the selection (default 0).",
            rich_help_panel=GRAPH,
        ),
    ] = None,
) -> None:
    """Export the entries a query selects: markdown for posts, data for analysis, one HTML page,
    BibTeX, or a graph of relations. Takes the same query and filters as search and list.

    Examples:

      catalog export markdown --kind model --since 2023 --group-by org > post.md

      catalog export markdown license:permissive --style list --figures --toc --group-by kind

      catalog export markdown --style awesome kind:tool license:permissive > readme.md

      catalog export csv --kind dataset --columns id,name,license,downloads --output datasets.csv

      catalog export html --kind model --output models.html

      catalog export bibtex --kind model

      catalog export mermaid --root gpt-j-6b --depth 2
    """
    from openai_catalog import export as exporting
    from openai_catalog.cli import _context, _output
    from openai_catalog.index import search as run_search

    options = exporting.Options(
        style=style.value,
        group_by=group_by.value if group_by else None,
        columns=columns,
        figures=figures,
        toc=toc,
        template=template,
        title=title,
        root=root,
        depth=depth,
    )
    exporting.check(format.value, options)
    catalog_root = _context.root()
    result = run_search(catalog_root, selection.query, sort.value, limit, selection.text)
    document = exporting.render(
        format.value,
        catalog_root,
        result.hits,
        options,
        selection.text,
        selected=bool(selection.query) or limit is not None,
    )
    if output is None:
        _output.write(document)
    else:
        from openai_catalog._util import write_atomic

        write_atomic(
            output, document, stream=True
        )  # a pipe or /dev/stdout is written to, not replaced
    _output.exported(result, format.value, output, figures)
