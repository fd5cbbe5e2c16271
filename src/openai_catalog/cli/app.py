"""The `catalog` application: global options, the commands, and one error table around them all.

Typer turns every parameter of every registered command into a click parameter at start-up, which
costs more than the work of a quick search. So `main()` registers only the command being run (all
of them for `--help` or an unknown name), and command modules are imported only then.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from openai_catalog import __version__
from openai_catalog.cli import _context
from openai_catalog.cli._commands import COMMANDS, command_in
from openai_catalog.cli._errors import report, reported

# A query's `-word` exclusions must reach the query, not the option parser: query commands have
# no short options (so `-kind:tool` cannot be read as `-k ind:tool`) and only --help for help.
QUERY_CONTEXT = {
    "ignore_unknown_options": True,
    "allow_interspersed_args": True,
    "help_option_names": ["--help"],
}


def _version(value: bool) -> None:
    if value:
        print(f"openai-catalog {__version__}")
        raise typer.Exit()


def root(
    catalog: Annotated[
        Path | None,
        typer.Option(
            "--catalog",
            envvar="OPENAI_CATALOG_DIR",
            show_envvar=True,
            file_okay=False,
            readable=False,
            help="The catalogue folder (the one holding licenses.yaml). Default: the nearest catalog/ "
            "upward from here, else the copy installed with the package.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Search, validate and export the openai-catalog registry."""
    _context.catalog_dir = catalog


def make_app(only: str | None = None) -> typer.Typer:
    """The Typer app with every command, or with just `only` (faster to start)."""
    app = typer.Typer(
        name="catalog",
        help="A hand-curated, validated catalogue of open AI: models, datasets, compute programs, "
        'tools and communities.\n\nExample: catalog search "code model" --license permissive',
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(root)
    for name, (module_name, attribute, takes_query) in COMMANDS.items():
        if only is not None and name != only:
            continue
        target: Any = getattr(
            importlib.import_module(f"openai_catalog.cli.{module_name}"), attribute
        )
        if isinstance(target, typer.Typer):
            _report_in(target)
            app.add_typer(target, name=name)
        else:
            app.command(name, context_settings=QUERY_CONTEXT if takes_query else None)(
                reported(target)
            )
    return app


def _report_in(group: typer.Typer) -> None:
    """Apply the error table to the callback and every command of a group of commands."""
    info = group.registered_callback
    if info is not None and info.callback is not None:
        info.callback = reported(info.callback)
    for command in group.registered_commands:
        if command.callback is not None:
            command.callback = reported(command.callback)


def run(argv: list[str]) -> int:
    """Run one command line and return its exit code: the one path from any failure to a message
    and a code (see _errors.py), for the console script, `python -m openai_catalog` and tests."""
    from openai_catalog.errors import CatalogError

    _show_index_progress(argv)
    try:
        make_app(command_in(argv))(argv, prog_name="catalog")
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else int(code is not None)
    except (CatalogError, KeyboardInterrupt, OSError) as exc:
        return report(exc)
    return 0


def _show_index_progress(argv: list[str]) -> None:
    """On a terminal, a command that may build or update the search index shows how far it is
    (the core reports it through index.set_progress; it never prints)."""
    from openai_catalog.cli._commands import INDEXED, validates_files

    if not sys.stderr.isatty():
        return
    command = command_in(argv)
    if command in INDEXED or command == "index" or validates_files(argv):
        from openai_catalog import index
        from openai_catalog.cli._output import IndexProgress

        index.set_progress(IndexProgress())


def main(argv: list[str] | None = None) -> None:
    """Run the app and exit with its code."""
    sys.exit(run(sys.argv[1:] if argv is None else argv))
