"""Exports: a selection of the catalogue as a document, one module per format.

    markdown  markdown.py   a table or list for blog posts (or a Jinja2 template)
    json, jsonl, csv, yaml  data.py
    html      html.py       one self-contained page
    bibtex    bibtex.py     entries with a paper
    mermaid, dot  graph.py  relations around a root or among a selection

`render` takes the hits of a search and the options, checks that the options fit the format
(a usage error otherwise) and returns the document as a string; it never prints or writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from openai_catalog.errors import UsageError

if TYPE_CHECKING:
    from openai_catalog.index import Hit

FORMATS = ("markdown", "json", "jsonl", "csv", "yaml", "html", "bibtex", "mermaid", "dot")
GRAPHS = ("mermaid", "dot")
DATA = (
    "json",
    "jsonl",
    "csv",
    "yaml",
)  # the records of data.py; `list` and `search` print them too
MAX_DEPTH = 10  # relation steps a graph may take from its seeds
# Which formats each option means something for.
APPLIES = {
    "style": ("markdown",),
    "group_by": ("markdown",),
    "toc": ("markdown",),
    "figures": ("markdown",),
    "template": ("markdown",),
    "columns": ("markdown", "csv"),
    "title": ("markdown", "html"),
    "root": GRAPHS,
    "depth": GRAPHS,
}
FLAGS = {
    "style": "--style",
    "group_by": "--group-by",
    "toc": "--toc",
    "figures": "--figures",
    "template": "--template",
    "columns": "--columns",
    "title": "--title",
    "root": "--root",
    "depth": "--depth",
}


@dataclass
class Options:
    style: str = "table"
    group_by: str | None = None
    columns: str | None = None
    figures: bool = False
    toc: bool = False
    template: Path | None = None
    title: str | None = None
    root: str | None = None
    depth: int | None = None


def check(fmt: str, options: Options) -> None:
    """Refuse options that mean nothing for `fmt`, before any work is done (exit 2)."""
    from openai_catalog._util import did_you_mean

    if fmt not in FORMATS:
        raise UsageError(
            f"unknown export format {fmt!r}",
            did_you_mean(fmt, FORMATS) or f"formats: {', '.join(FORMATS)}",
        )
    defaults = Options()
    for name, formats in APPLIES.items():
        if getattr(options, name) != getattr(defaults, name) and fmt not in formats:
            raise UsageError(
                f"{FLAGS[name]} does not apply to {fmt}", f"it applies to {' and '.join(formats)}"
            )
    if options.toc and not options.group_by:
        raise UsageError(
            "--toc lists the sections of --group-by", "add --group-by kind|org|year|license"
        )
    if options.template and (options.style != "table" or options.columns):
        raise UsageError("--template sets the whole layout", "leave out --style and --columns")
    if options.style == "awesome" and (options.columns or options.figures or options.toc):
        raise UsageError(
            "an awesome list has a fixed shape: contents, `[Name](link) - Description.` "
            "items and a contributing section",
            "leave out --columns, --figures and --toc with --style awesome",
        )
    if options.depth is not None and not 0 <= options.depth <= MAX_DEPTH:
        raise UsageError(
            f"--depth must be between 0 and {MAX_DEPTH}",
            "a few steps already reach most of the catalogue",
        )


def render(
    fmt: str,
    root: Path,
    hits: Sequence[Hit],
    options: Options,
    query: str = "",
    selected: bool = False,
) -> str:
    """The document of format `fmt` for `hits`, from the catalogue at `root`.

    `selected` says the hits were narrowed by a query or filters; graphs with a --root then walk
    only through them.
    """
    check(fmt, options)
    if fmt in GRAPHS:
        return _graph(fmt, root, hits, options, selected)
    from openai_catalog.export import records as rec

    orgs = rec.communities(root)
    records = rec.build(root, hits, orgs)
    if fmt == "markdown":
        from openai_catalog.export import markdown

        md = markdown.Options(
            style=options.style,
            group_by=options.group_by,
            figures=options.figures,
            toc=options.toc,
            title=options.title,
            query=query,
            columns=rec.parse_columns(options.columns, ()) or None,
        )
        by = options.group_by or ("kind" if options.style == "awesome" else None)
        groups = rec.group(records, by, orgs)
        if options.template:
            return markdown.render_template(options.template, records, groups, md, orgs)
        return markdown.render(records, groups, md, orgs)
    if fmt == "html":
        from openai_catalog.export import html

        return html.render(records, options.title, query)
    if fmt == "bibtex":
        from openai_catalog.export import bibtex

        return bibtex.render(records)
    from openai_catalog.export import data

    if fmt == "json":
        return data.to_json(records, query)
    if fmt == "yaml":
        return data.to_yaml(records, query)
    if fmt == "jsonl":
        return data.to_jsonl(records)
    return data.to_csv(records, rec.parse_columns(options.columns, data.CSV_COLUMNS))


def _graph(fmt: str, root: Path, hits: Sequence[Hit], options: Options, selected: bool) -> str:
    from openai_catalog.export import graph
    from openai_catalog.registry import load_catalog

    catalog = load_catalog(root)
    ids = [h.id for h in hits]
    if options.root:
        catalog.require(options.root)
        depth = 1 if options.depth is None else options.depth
        found = graph.neighbourhood(
            catalog, [options.root], depth, ids if selected else None, root=options.root
        )
    else:
        found = graph.neighbourhood(catalog, ids, options.depth or 0)
    return graph.to_mermaid(found) if fmt == "mermaid" else graph.to_dot(found)
