"""`catalog fmt`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def fmt(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...",
            readable=False,  # an unreadable file is reported as such (CAT026)
            help="Entry files or folders; default: every entry of the catalogue.",
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Write nothing; exit 1 if any file is not in canonical form (for CI)."
        ),
    ] = False,
    diff: Annotated[
        bool,
        typer.Option("--diff", help="Write nothing; print what would change as a unified diff."),
    ] = False,
) -> None:
    """Rewrite entry files in canonical form: the schema line first, keys in the schema's order,
    two-space indentation, consistent quoting. Every value and every comment is kept, and
    formatting twice changes nothing.

    Exit 0 when every file is (or now is) canonical; 1 when --check or --diff found files to
    change, or a file is not readable YAML (fix it by hand first; `catalog validate` says where).

    Examples: catalog fmt; catalog fmt --check; catalog fmt catalog/models/gpt-j-6b.yaml --diff
    """
    from openai_catalog.cli import _context, _output
    from openai_catalog.fmt import format_paths
    from openai_catalog.registry import expand_entry_paths, iter_entry_files

    if paths:
        files = expand_entry_paths(paths)
    else:
        root = _context.root()
        _context.refuse_packaged(root, "fmt")
        files = list(iter_entry_files(root))
    results = format_paths(files, write=not (check or diff))
    _output.formatted(results, check=check or diff, diff=diff)
    failed = any(r.problem or r.skipped for r in results) or (
        (check or diff) and any(r.changed for r in results)
    )
    raise typer.Exit(1 if failed else 0)
