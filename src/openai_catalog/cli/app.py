"""The `catalog` application: global options, the commands, and one error table around them all."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from openai_catalog import __version__
from openai_catalog.cli import _context, list_cmd, schema_cmd, show_cmd, validate_cmd

app = typer.Typer(
    name="catalog",
    help="A hand-curated, validated catalogue of open AI: models, datasets, compute programs, "
    "tools and communities.\n\nExample: catalog show gpt-j-6b",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"openai-catalog {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    catalog: Annotated[Path | None, typer.Option(
        "--catalog", envvar="OPENAI_CATALOG_DIR", show_envvar=True, file_okay=False,
        help="The catalogue folder (the one holding licenses.yaml). Default: the nearest catalog/ "
        "upward from here, else the copy installed with the package.")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Search, validate and export the openai-catalog registry."""
    _context.catalog_dir = catalog


app.command("list")(list_cmd.list_entries)
app.command("show")(show_cmd.show)
app.command("validate")(validate_cmd.validate)
app.command("schema")(schema_cmd.schema)


def main() -> None:
    """Run the app; map the core's exceptions to a message and an exit code, once for all."""
    from openai_catalog.errors import CatalogError

    try:
        app()
    except CatalogError as exc:
        from openai_catalog.cli import _output

        _output.error(exc.message, exc.hint)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
