"""`catalog site build`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

site_app = typer.Typer(
    help="The static website: a page per entry, search, graph, stats, a JSON API and badges.",
    no_args_is_help=True,
)


@site_app.command("build")
def site_build(
    dest: Annotated[
        Path,
        typer.Argument(
            metavar="DIR",
            help="The folder to write; replaced whole when the build succeeds, and "
            "only if a previous build wrote it (or it is new or empty).",
        ),
    ],
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            metavar="URL",
            help="Where the site will be served, e.g. "
            "https://openai-catalog.github.io/openai-catalog/: makes sitemap.xml, the 404 page's links "
            "and the badges' embed code absolute. Pages link relatively either way.",
        ),
    ] = None,
) -> None:
    """Write the catalogue as a static website into DIR: a home page with search and filters, a
    page per entry (with its evidence, licence, openness and relations), pages per kind, community
    and compute programme, a graph, stats, a JSON API under api/v1/ and SVG badges. It works from
    file:// and under any sub-path.

    Examples:

      catalog site build site/

      catalog site build _site --base-url https://openai-catalog.github.io/openai-catalog/
    """
    import time

    from openai_catalog import site
    from openai_catalog.cli import _context, _output

    site.check_base_url(base_url)
    start = time.perf_counter()
    report = site.build(_context.root(), dest, base_url)
    for path in report.skipped:
        _output.warn(
            f"{path} was left out: it cannot be read or does not validate "
            f"(run: catalog validate {path})"
        )
    _output.info(
        f"wrote {report.entries} entries ({report.pages} pages, {report.files} files) to "
        f"{report.dest} in {time.perf_counter() - start:.1f}s"
        + ("" if base_url else "; no --base-url, so no sitemap.xml")
    )
