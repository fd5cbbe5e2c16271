"""One error path: every failure of a command line becomes a message on stderr and an exit code.

`app.run(argv) -> int` is what the console script, `python -m openai_catalog` and the tests all
call. `report` is the one table from exception to message and exit code (DESIGN.md "Exit codes");
make_app applies it around each command of the command table as well as run() around the app,
because Typer turns Ctrl-C and a closed pipe into exit codes of its own before they leave it.
Any other exception is a bug, and keeps its traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import typer

if TYPE_CHECKING:
    from openai_catalog.errors import CatalogError

F = TypeVar("F", bound=Callable[..., Any])
INTERRUPTED = 130


def exit_code_for(exc: BaseException) -> int:
    """The exit code DESIGN.md gives each failure."""
    from openai_catalog.errors import CatalogError

    if isinstance(exc, CatalogError):
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        return INTERRUPTED
    if isinstance(exc, BrokenPipeError):
        return 0
    return 1


def report(exc: CatalogError | KeyboardInterrupt | OSError) -> int:
    """Tell the user what went wrong, with a hint, and return the exit code."""
    from openai_catalog.cli import _output
    from openai_catalog.errors import CatalogError

    if isinstance(exc, CatalogError):
        _output.error(exc.message, exc.hint)
    elif isinstance(exc, KeyboardInterrupt):
        _output.error("interrupted")
    elif isinstance(exc, BrokenPipeError):
        # The reader went away (`catalog list | head`): stop quietly, and keep Python from
        # complaining about stdout at exit.
        import os
        import sys

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    else:
        # A file the user named cannot be read or written (--output in a missing folder, a
        # read-only place): say which and why, not a traceback.
        where = f"{exc.filename}: " if exc.filename else ""
        _output.error(f"{where}{exc.strerror or exc}", "check the path and its permissions")
    return exit_code_for(exc)


def reported(command: F) -> F:
    """`command` with its failures reported; make_app applies it to every command once."""
    if getattr(command, "_reported", False):
        return command

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from openai_catalog.errors import CatalogError

        try:
            return command(*args, **kwargs)
        except (CatalogError, KeyboardInterrupt, OSError) as exc:
            raise typer.Exit(report(exc)) from None

    wrapper._reported = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
