"""The `catalog` application: global options, the commands, and one error table around them all."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from openai_catalog import __version__
from openai_catalog.cli import _context, list_cmd, schema_cmd, show_cmd, validate_cmd
from openai_catalog.cli._errors import exit_code_for, guard

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


COMMANDS = {
    "list": list_cmd.list_entries,
    "show": show_cmd.show,
    "validate": validate_cmd.validate,
    "schema": schema_cmd.schema,
}
for _name, _command in COMMANDS.items():
    app.command(_name)(guard(_command))


def main() -> None:
    """Run the app. Commands map their own errors (see _errors.guard); this catches what happens
    outside them, such as a catalogue that cannot be found while options are parsed."""
    from openai_catalog.errors import CatalogError

    try:
        app()
    except (CatalogError, KeyboardInterrupt) as exc:
        from openai_catalog.cli import _output

        _output.error(getattr(exc, "message", "interrupted"), getattr(exc, "hint", None))
        sys.exit(exit_code_for(exc))
