"""`catalog export markdown --style awesome`, checked by the real awesome-lint.

awesome-lint comes from the npm registry: `bash .ci/awesome-lint` (which CI runs from .ci/run)
installs it in ~/.cache/openai-catalog-tests, or $AWESOME_LINT names its package folder. Without it
these tests fail when CI=true and skip elsewhere. tests/awesome_lint.mjs runs every rule but
`awesome-github`, which asks GitHub's API about the repository hosting the list.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from export_helpers import make_catalog, unavailable

from helpers import ROOT, SHIPPED, run

CACHE = Path.home() / ".cache" / "openai-catalog-tests"
RUNNER = ROOT / "tests" / "awesome_lint.mjs"
ITEM = re.compile(r"^- (\[[^\n]+?\]\(https?://[^\s)]+\)|[^\[\n][^\n]*?) - [A-Z0-9\"'][^\n]*[.!?]$")


def awesome_lint() -> Path:
    explicit = os.environ.get("AWESOME_LINT")
    found = (
        [Path(explicit)]
        if explicit
        else sorted(CACHE.glob("awesome-lint-*/node_modules/awesome-lint"))
    )
    if not found or not (found[-1] / "package.json").is_file():
        unavailable(
            f"no awesome-lint (set AWESOME_LINT, or run `bash .ci/awesome-lint` to put it "
            f"in {CACHE})"
        )
    if shutil.which("node") is None:
        unavailable("no node to run awesome-lint")
    return found[-1]


def lint(document: str, tmp_path: Path) -> list[dict[str, Any]]:
    """awesome-lint's messages on the document, published as a list's readme.md would be: in a
    folder with its contributing.md (ours)."""
    package = awesome_lint()
    folder = tmp_path / "list"
    folder.mkdir()
    (folder / "readme.md").write_text(document, encoding="utf-8")
    shutil.copy(ROOT / "CONTRIBUTING.md", folder / "contributing.md")
    proc = subprocess.run(
        ["node", str(RUNNER), str(package), "readme.md"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["skipped"] == ["awesome-github"]
    return list(report["messages"])


def errors(messages: list[dict[str, Any]]) -> list[str]:
    return [
        f"{m['line']}: {m['rule']}: {m['message']}" for m in messages if m["severity"] == "error"
    ]


def export(*args: str, catalog: Path = SHIPPED) -> str:
    result = run("--catalog", catalog, "export", "markdown", "--style", "awesome", *args)
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


# --- through awesome-lint ------------------------------------------------------------------------


def test_the_whole_shipped_catalogue_passes_awesome_lint(tmp_path: Path) -> None:
    document = export()
    assert errors(lint(document, tmp_path)) == []
    assert len([line for line in document.splitlines() if ITEM.match(line)]) > 300


@pytest.mark.parametrize(
    "selection",
    [
        ["kind:tool", "license:permissive"],
        ["kind:model", "--group-by", "license"],
        ["--group-by", "org", "--title", "Awesome Open Models"],
    ],
    ids=["tools", "models-by-licence", "by-org"],
)
def test_a_selection_passes_awesome_lint(tmp_path: Path, selection: list[str]) -> None:
    assert errors(lint(export(*selection), tmp_path)) == []


def test_hostile_names_and_summaries_still_pass_awesome_lint(tmp_path: Path) -> None:
    document = export(catalog=make_catalog(tmp_path / "catalogue", hostile=True))
    assert errors(lint(document, tmp_path)) == []


def test_the_list_style_fails_awesome_lint_so_the_linter_really_judges(tmp_path: Path) -> None:
    result = run("--catalog", SHIPPED, "export", "markdown", "--style", "list", "kind:tool")
    found = errors(lint(result.stdout, tmp_path))
    assert any("awesome-heading: Missing main list heading" in e for e in found)
    assert any("awesome-list-item" in e for e in found)


# --- the shape, without node ----------------------------------------------------------------------


def test_awesome_list_has_badge_contents_items_and_contributing() -> None:
    document = export("kind:tool")
    lines = document.splitlines()
    assert lines[0] == (
        "# Awesome Open AI [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)"
    )
    headings = [line[3:] for line in lines if line.startswith("## ")]
    assert headings == ["Contents", "Tools", "Contributing"]
    contents = lines[lines.index("## Contents") + 2]
    assert contents == "- [Tools](#tools)"
    items = lines[lines.index("## Tools") + 2 : lines.index("## Contributing") - 1]
    assert items and all(ITEM.match(item) for item in items), [
        i for i in items if not ITEM.match(i)
    ]
    assert any(item.endswith("Licence: Apache-2.0.") for item in items)


def test_every_link_heads_one_item_only() -> None:
    links = re.findall(r"^- \[[^\n]+?\]\((\S+)\) - ", export(), re.MULTILINE)
    keys = [link.lower().split("://", 1)[1].removeprefix("www.").rstrip("/") for link in links]
    assert len(keys) == len(set(keys))


def test_awesome_refuses_options_that_change_its_shape() -> None:
    result = run(
        "--catalog",
        SHIPPED,
        "export",
        "markdown",
        "--style",
        "awesome",
        "--columns",
        "name,summary",
    )
    assert result.exit_code == 2
    assert "--style awesome" in result.stderr
