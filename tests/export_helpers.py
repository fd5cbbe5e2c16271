"""Shared by the export tests: catalogues to export, a GFM checker and the headless browser."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers import ROOT

EXPORT_FIXTURES = ROOT / "tests" / "fixtures" / "export"
SNAPSHOT = EXPORT_FIXTURES / "enrichment.json"
HOSTILE = EXPORT_FIXTURES / "hostile"
# The exports' own small catalogue, frozen so that their golden files change only on purpose.
MINI = EXPORT_FIXTURES / "base"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def make_catalog(tmp_path: Path, hostile: bool = False, snapshot: bool = True) -> Path:
    """The mini catalogue with the fixture enrichment snapshot, and the hostile entry if asked."""
    target = tmp_path / ("hostile" if hostile else "catalog")
    shutil.copytree(MINI, target)
    if snapshot:
        shutil.copy(SNAPSHOT, target / "enrichment.json")
    if hostile:
        shutil.copytree(HOSTILE, target, dirs_exist_ok=True)
    return target


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable(reason: str) -> None:
    """Missing browser tooling fails in CI, where .ci/run installs it, and skips elsewhere."""
    if in_ci():
        pytest.fail(f"{reason} (CI must have it: see .ci/browser-deps)")
    pytest.skip(f"{reason}; run `bash .ci/browser-deps` to set it up")


def browser_session() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright; never a browser Playwright downloads."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed (pip install -e '.[test]')")
    if not CHROMIUM.is_file():
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# --- markdown ------------------------------------------------------------------------------------


def github_anchor(title: str, seen: dict[str, int]) -> str:
    """GitHub's heading ids, written here independently of the code under test."""
    slug = "".join(c for c in title.strip().lower() if c.isalnum() or c in "-_ ").replace(" ", "-")
    n = seen.get(slug, 0)
    seen[slug] = n + 1
    return slug if n == 0 else f"{slug}-{n}"


def _inline_text(token: Any) -> str:
    return "".join(
        child.content
        for child in token.children or []
        if child.type in ("text", "code_inline", "softbreak")
    )


_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def parse_gfm(document: str, allowed_links: set[str]) -> dict[str, Any]:
    """Parse as GitHub-flavoured markdown and check what a broken export would break.

    Every table row has the header's number of cells, in the tokens and in the source line; every
    link goes to an allowed page or to a heading of the document; no HTML, no unresolved
    reference and no stray emphasis come out of the data. Returns the tables (as lists of cell
    texts), the links and the headings for further checks.
    """
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    tokens = md.parse(document)
    lines = document.splitlines()
    tables: list[list[list[str]]] = []
    headings: list[str] = []
    links: list[tuple[str, str]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        assert not token.type.startswith("html"), f"HTML in the output: {token.content!r}"
        if token.type == "heading_open":
            headings.append(_inline_text(tokens[i + 1]))
        if token.type == "table_open":
            table: list[list[str]] = []
            row: list[str] = []
            width = None
            while tokens[i].type != "table_close":
                t = tokens[i]
                if t.type == "tr_open":
                    row = []
                    source = lines[t.map[0]] if t.map else None
                    if source is not None:
                        cells = _UNESCAPED_PIPE.split(source.strip())
                        assert cells[0] == "" and cells[-1] == "", source
                        parts = len(cells) - 2
                        width = parts if width is None else width
                        assert parts == width, f"row has {parts} cells, header {width}: {source}"
                elif t.type in ("th_open", "td_open"):
                    row.append(_inline_text(tokens[i + 1]))
                elif t.type == "tr_close":
                    assert width is None or len(row) == width
                    table.append(row)
                i += 1
            assert all(len(r) == len(table[0]) for r in table)
            tables.append(table)
            continue
        i += 1
    for token in tokens:
        if token.type == "inline":
            for child in token.children or []:
                if child.type == "html_inline":
                    raise AssertionError(f"HTML in the output: {child.content!r}")
                if child.type == "link_open":
                    links.append((child.attrGet("href") or "", _link_text(token, child)))
                if child.type == "text":
                    assert "][" not in child.content, f"unresolved reference: {child.content!r}"
    seen: dict[str, int] = {}
    anchors = {"#" + github_anchor(h, seen) for h in headings}
    for href, text in links:
        assert href in allowed_links or href in anchors, f"unexpected link {href!r} ({text!r})"
    return {"tables": tables, "links": links, "headings": headings, "tokens": tokens}


def _link_text(inline: Any, opening: Any) -> str:
    children = inline.children
    start = children.index(opening)
    out = []
    for child in children[start + 1 :]:
        if child.type == "link_close":
            break
        out.append(child.content)
    return "".join(out)
