"""`catalog validate`."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from openai_catalog.registry import Catalog


class FindingFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...",
            readable=False,  # an unreadable file is reported as such (CAT026)
            help="Entry files or folders to check; default: the whole catalogue. "
            "References are always checked against the whole catalogue.",
        ),
    ] = None,
    format: Annotated[
        FindingFormat,
        typer.Option(
            "--format",
            "-f",
            help="text for people, json for scripts, github for pull-request annotations.",
        ),
    ] = FindingFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    online: Annotated[
        bool,
        typer.Option(
            "--online",
            help="Also check that every url, sources and evidence address still answers "
            "(HEAD, else GET): 404 and 410 are errors, other failures warnings; and that every "
            "evidence quote is still on its page (CAT087).",
        ),
    ] = False,
    lenient_drift: Annotated[
        bool,
        typer.Option(
            "--lenient-drift",
            help="With --strict, drift from the live Hub and GitHub (CAT070-CAT080) "
            "is still reported but does not fail: for the weekly enrichment's pull request, where the "
            "drift is what is being reviewed.",
        ),
    ] = False,
    show_ignored: Annotated[
        bool,
        typer.Option(
            "--show-ignored",
            help="Also list every `# catalog: ignore CAT### -- reason` comment of the "
            "files checked, with what it silenced.",
        ),
    ] = False,
) -> None:
    """Check entries against the schema, the licence table and each other; report every problem.

    Each problem is printed as path:line:col: CAT### message, with a hint. Exit 0 when clean,
    1 when problems were found (warnings count only with --strict). Drift against
    catalog/enrichment.json (a licence or repo that changed on the Hub or GitHub) is reported too.

    A finding that is deliberate is silenced, with a reason, by a comment on its line (or atop the
    file for the whole file): `# catalog: ignore CAT041 -- licence text not yet published`.

    Examples: catalog validate; catalog validate catalog/models/gpt-j-6b.yaml --format github;
    catalog validate --online; catalog validate --show-ignored
    """
    from openai_catalog.checks.catalog import validate_with_ignored
    from openai_catalog.cli import _context, _output
    from openai_catalog.registry import empty_folders, expand_entry_paths

    files = expand_entry_paths(paths or [])
    empty = empty_folders(paths or [])
    for path in paths or []:
        if _context.catalog_dir is None and path.is_dir() and (path / "licenses.yaml").is_file():
            _context.catalog_dir = path
    if files and _context.catalog_dir is None:
        _context.catalog_dir = _catalog_of(files[0])
    catalog = _against_index(files) if paths else None
    catalog = catalog or _context.load(paths=files or None)
    only = files if paths else None
    notes: list[str] = []
    found, ignored = validate_with_ignored(catalog, only=only, online=online, notes=notes)
    for note in notes:
        _output.info(note)
    findings = sorted([*empty, *found], key=lambda f: (f.path, f.line, f.col, f.rule))
    count = len({os.path.realpath(f) for f in files}) if paths else len(catalog.records) + 1
    _output.findings(findings, format.value, count, ignored if show_ignored else None)
    from openai_catalog.rules import DRIFT

    failed = any(
        f.severity == "error" or strict and not (lenient_drift and f.rule in DRIFT)
        for f in findings
    )
    raise typer.Exit(1 if failed else 0)


def _against_index(files: list[Path]) -> Catalog | None:
    """The catalogue for checking a few files: the rest read through the search index, updated
    in place first (view.CheckedAgainstIndex). None when there is no index to be had (an
    unwritable cache): then the whole catalogue is loaded, which finds the same."""
    if not files:
        return None
    from openai_catalog.cli import _context
    from openai_catalog.index import IndexError_
    from openai_catalog.view import CheckedAgainstIndex

    try:
        return CheckedAgainstIndex(_context.root(), files)
    except IndexError_:
        return None


def _catalog_of(file: Path) -> Path | None:
    """The catalogue a file sits in, if any: the folder above its kind folder. Where it sits, not
    where a link leads: a link out of the catalogue must not pick another catalogue."""
    candidate = Path(os.path.abspath(file)).parent.parent
    return candidate if (candidate / "licenses.yaml").is_file() else None
