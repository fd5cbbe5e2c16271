"""Golden files: every export format of the mini catalogue (with the fixture enrichment snapshot),
byte for byte, and the escaping of the hostile fixture entry (files named hostile-*). A change to
an export shows here as a diff to review.

Refresh them deliberately, then read the diff before committing:

    UPDATE_GOLDEN=1 python -m pytest tests/test_export_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from export_helpers import EXPORT_FIXTURES, make_catalog

from helpers import ROOT, run

GOLDEN = ROOT / "tests" / "golden" / "export"
CASES: dict[str, list[str]] = {
    "markdown.md": ["markdown"],
    "markdown-org.md": [
        "markdown",
        "--kind",
        "model",
        "--since",
        "2021",
        "--group-by",
        "org",
        "--toc",
        "--figures",
        "--title",
        "Open models since 2021",
    ],
    "markdown-list.md": [
        "markdown",
        "--style",
        "list",
        "--group-by",
        "kind",
        "--columns",
        "name,summary,by,license,parameters,variants,downloads",
    ],
    "markdown-year.md": [
        "markdown",
        "--group-by",
        "year",
        "--columns",
        "name,kind,license_category,openness,paper,hub,github",
    ],
    "markdown-template.md": [
        "markdown",
        "--group-by",
        "license",
        "--template",
        str(EXPORT_FIXTURES / "post.md.j2"),
    ],
    "entries.json": ["json"],
    "entries.jsonl": ["jsonl"],
    "entries.csv": ["csv"],
    "entries.yaml": ["yaml"],
    "page.html": ["html", "--title", "A small catalogue"],
    "papers.bib": ["bibtex"],
    "gpt-j-6b.mmd": ["mermaid", "--root", "gpt-j-6b", "--depth", "2"],
    "models.mmd": ["mermaid", "--kind", "model", "--depth", "1"],
    "gpt-j-6b.dot": ["dot", "--root", "gpt-j-6b", "--depth", "2"],
    "hostile-table.md": [
        "markdown",
        "--kind",
        "model",
        "--columns",
        "name,by,paper,aliases,summary",
    ],
    "hostile-list.md": ["markdown", "--kind", "model", "--style", "list"],
    "hostile.csv": ["csv", "--kind", "model", "--columns", "id,name,aliases,summary,url"],
    "hostile.bib": ["bibtex", "--kind", "model"],
    "hostile.mmd": ["mermaid", "--root", "evil-model"],
    "hostile.dot": ["dot", "--root", "evil-model"],
}


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    base = tmp_path_factory.mktemp("golden")
    return {False: make_catalog(base), True: make_catalog(base, hostile=True)}


@pytest.mark.parametrize("name", sorted(CASES))
def test_export_matches_its_golden_file(catalogues: dict[bool, Path], name: str) -> None:
    catalogue = catalogues[name.startswith("hostile")]
    result = run("--catalog", catalogue, "export", *CASES[name])
    assert result.exit_code == 0, result.stderr
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(result.stdout, encoding="utf-8")
    assert path.is_file(), f"{path} is missing: run UPDATE_GOLDEN=1 python -m pytest {__file__}"
    assert result.stdout == path.read_text(encoding="utf-8"), (
        f"{name} differs from its golden file; if the change is intended, refresh with UPDATE_GOLDEN=1"
    )


def test_every_golden_file_has_a_case() -> None:
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(CASES)
