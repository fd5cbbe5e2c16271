"""Exceptions of the core, each knowing the exit code the CLI should give it (DESIGN.md "Exit codes")."""

from __future__ import annotations


class CatalogError(Exception):
    """A failure a user can act on; `hint` says how."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class CatalogNotFound(CatalogError):
    """No catalogue folder could be found or the one named does not exist."""


class CatalogOptionError(CatalogNotFound):
    """--catalog or $OPENAI_CATALOG_DIR names something that is not a folder: a usage error."""

    exit_code = 2


class CatalogUnreadable(CatalogError):
    """The catalogue exists but cannot be loaded (for example a broken licence table)."""


class EntryNotFound(CatalogError):
    """An id that names no entry."""


class UsageError(CatalogError):
    """Bad input on the command line: a bad query, an unknown format, a bad value."""

    exit_code = 2


class SnapshotUnreadable(CatalogError):
    """catalog/enrichment.json exists but is not a snapshot this program can read; it is left alone."""


class Interrupted(CatalogError):
    """Ctrl-C during a long operation, after the finished part was saved; `result` is that part."""

    exit_code = 130
    result: object = None
