"""`catalog index status|rebuild`."""

from __future__ import annotations

import typer

index_app = typer.Typer(
    help="Inspect or rebuild the search index kept in the user cache.", no_args_is_help=True
)


@index_app.command("status")
def index_status() -> None:
    """Where the index is, how big, and whether it is up to date.

    Example: catalog index status
    """
    from openai_catalog.cli import _context, _output
    from openai_catalog.index import status

    _output.index_status(status(_context.root()))


@index_app.command("rebuild")
def index_rebuild() -> None:
    """Build the index again from the catalogue, whatever its state.

    Example: catalog index rebuild
    """
    import time

    from openai_catalog.cli import _context, _output
    from openai_catalog.index import build_index

    start = time.perf_counter()
    report = build_index(_context.root())
    _output.info(f"indexed {report.entries} entries in {time.perf_counter() - start:.2f}s")
    for path in report.skipped:
        _output.warn(
            f"{path} was left out: it cannot be read or does not validate (run: catalog validate {path})"
        )
