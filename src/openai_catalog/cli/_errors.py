"""One table from exception to message and exit code, applied around every command."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer

F = TypeVar("F", bound=Callable[..., Any])
INTERRUPTED = 130


def exit_code_for(exc: BaseException) -> int:
    """The exit code DESIGN.md gives each failure."""
    from openai_catalog.errors import CatalogError

    if isinstance(exc, CatalogError):
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        return INTERRUPTED
    return 1


def guard(command: F) -> F:
    """Report the core's exceptions as `error: ...` plus a hint, and exit with their code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from openai_catalog.errors import CatalogError

        try:
            return command(*args, **kwargs)
        except CatalogError as exc:
            from openai_catalog.cli import _output

            _output.error(exc.message, exc.hint)
            raise typer.Exit(exit_code_for(exc)) from None
        except KeyboardInterrupt:
            from openai_catalog.cli import _output

            _output.error("interrupted")
            raise typer.Exit(INTERRUPTED) from None
        except BrokenPipeError:
            # The reader went away (`catalog list | head`): stop quietly, and keep Python from
            # complaining about stdout at exit.
            import os
            import sys

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except OSError as exc:
            # A file the user named cannot be read or written (--output in a missing folder, a
            # read-only place): say which and why, not a traceback.
            from openai_catalog.cli import _output

            where = f"{exc.filename}: " if exc.filename else ""
            _output.error(f"{where}{exc.strerror or exc}", "check the path and its permissions")
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]
