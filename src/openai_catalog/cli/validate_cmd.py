"""`catalog validate`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class FindingFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


def validate(
    paths: Annotated[list[Path] | None, typer.Argument(
        metavar="[PATH]...", help="Entry files or folders to check; default: the whole catalogue. "
        "References are always checked against the whole catalogue.")] = None,
    format: Annotated[FindingFormat, typer.Option(
        "--format", "-f", help="text for people, json for scripts, github for pull-request "
        "annotations.")] = FindingFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    online: Annotated[bool, typer.Option(
        "--online", help="Also check that every url and sources address still answers "
        "(HEAD, else GET): 404 and 410 are errors, other failures warnings.")] = False,
) -> None:
    """Check entries against the schema, the licence table and each other; report every problem.

    Each problem is printed as path:line:col: CAT### message, with a hint. Exit 0 when clean,
    1 when problems were found (warnings count only with --strict). Drift against
    catalog/enrichment.json (a licence or repo that changed on the Hub or GitHub) is reported too.

    Examples: catalog validate; catalog validate catalog/models/gpt-j-6b.yaml --format github;
    catalog validate --online
    """
    from openai_catalog.checks import validate_catalog
    from openai_catalog.cli import _context, _output
    from openai_catalog.registry import expand_entry_paths

    files = expand_entry_paths(paths or [])
    for path in paths or []:
        if _context.catalog_dir is None and path.is_dir() and (path / "licenses.yaml").is_file():
            _context.catalog_dir = path
    if files and _context.catalog_dir is None:
        _context.catalog_dir = _catalog_of(files[0])
    catalog = _context.load(paths=files or None)
    only = files if paths else None
    findings = validate_catalog(catalog, only=only, online=online)
    count = len({f.resolve() for f in files}) if paths else len(catalog.records) + 1
    _output.findings(findings, format.value, count)
    failed = any(f.severity == "error" or strict for f in findings)
    raise typer.Exit(1 if failed else 0)


def _catalog_of(file: Path) -> Path | None:
    """The catalogue a file lives in, if any: the folder above its kind folder."""
    candidate = file.resolve().parent.parent
    return candidate if (candidate / "licenses.yaml").is_file() else None
