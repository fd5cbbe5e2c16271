"""`catalog badge`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def badge(
    entry_id: Annotated[
        str, typer.Argument(metavar="ID", help="The id of the entry, e.g. gpt-j-6b.")
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", dir_okay=False, help="Write to this file (atomically) instead of stdout."
        ),
    ] = None,
) -> None:
    """Print an entry's SVG badge: its openness grade and licence category (its kind for
    communities and compute programmes), the same badge the website serves at badges/ID.svg.

    Examples: catalog badge gpt-j-6b > badge.svg; catalog badge the-pile --output the-pile.svg
    """
    from openai_catalog.cli import _context, _output
    from openai_catalog.site import badge as make_badge

    svg = make_badge(_context.root(), entry_id)
    if output is None:
        _output.write(svg)
    else:
        from openai_catalog._util import write_atomic

        write_atomic(output, svg, stream=True)
        _output.info(f"wrote the badge of {entry_id} to {output}")
