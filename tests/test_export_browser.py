"""The HTML page and the Mermaid graph in a real headless Chromium (Debian's, driven by Playwright).

Set up by `bash .ci/browser-deps` (CI runs it from .ci/run). Without a browser these tests fail
when CI=true and skip elsewhere, saying why.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from export_helpers import HOSTILE, browser_session, make_catalog, unavailable

from helpers import SHIPPED, run

pytestmark = pytest.mark.browser
EVIL = yaml.safe_load((HOSTILE / "models" / "evil-model.yaml").read_text())
MERMAID_CACHE = Path.home() / ".cache" / "openai-catalog-tests"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from browser_session()


class Page:
    """A page opened from a file with every request, console error and dialog recorded."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.url = path.resolve().as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page()
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(self.url)
        self.page.wait_for_selector("#entries tbody tr")

    def _route(self, route: Any) -> None:
        self.requests.append(route.request.url)
        if route.request.url == self.url:
            route.continue_()
        else:
            route.abort()

    def visible_ids(self) -> list[str]:
        return list(
            self.page.eval_on_selector_all(
                "#entries tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.id)"
            )
        )

    def column(self, index: int) -> list[str]:
        return list(
            self.page.eval_on_selector_all(
                f"#entries tbody tr:not([hidden]) td:nth-child({index})",
                "cells => cells.map(c => c.textContent)",
            )
        )


@pytest.fixture
def page(browser: Any, tmp_path: Path) -> Iterator[Page]:
    root = make_catalog(tmp_path, hostile=True)
    out = tmp_path / "catalogue.html"
    result = run("--catalog", root, "export", "html", "--output", out)
    assert result.exit_code == 0, result.stderr
    opened = Page(browser, out)
    yield opened
    opened.page.close()


def test_page_loads_offline_with_no_console_errors(page: Page) -> None:
    assert page.requests == [page.url]  # nothing but the file itself: no fonts, scripts, icons
    assert page.errors == []  # the CSP hashes match the inline CSS and JS, the script runs
    assert len(page.visible_ids()) == 8
    assert page.page.text_content("#count") == "8 of 8 entries"


def test_typing_in_the_search_box_narrows_the_rows(page: Page) -> None:
    page.page.click("#search")
    page.page.keyboard.type("825")
    assert page.visible_ids() == ["the-pile"]
    page.page.fill("#search", "")
    page.page.keyboard.type("Pile")
    assert sorted(page.visible_ids()) == ["gpt-j-6b", "the-pile"]
    page.page.keyboard.type(" jax")
    assert page.visible_ids() == ["gpt-j-6b"]
    assert page.page.text_content("#count") == "1 of 8 entries"
    page.page.fill("#search", "")
    assert len(page.visible_ids()) == 8


def test_select_filters_narrow_by_kind_and_licence(page: Page) -> None:
    page.page.select_option("#filter-kind", "dataset")
    assert page.visible_ids() == ["the-pile"]
    page.page.select_option("#filter-kind", "")
    page.page.select_option("#filter-license_category", "community")
    assert page.visible_ids() == ["llama-2-7b"]


def test_clicking_a_column_title_sorts_both_ways(page: Page) -> None:
    headers = page.page.eval_on_selector_all(
        "#entries thead th", "ths => ths.map(t => t.textContent)"
    )
    released = headers.index("Released") + 1
    page.page.click(f"#entries thead th:nth-child({released}) button")
    dates = page.column(released)
    known = [d for d in dates if d]
    assert known == sorted(known) and dates[len(known) :] == [""] * (len(dates) - len(known))
    assert (
        page.page.get_attribute(f"#entries thead th:nth-child({released})", "aria-sort")
        == "ascending"
    )
    page.page.click(f"#entries thead th:nth-child({released}) button")
    dates = page.column(released)
    assert [d for d in dates if d] == sorted(known, reverse=True)
    downloads = headers.index("Downloads") + 1
    page.page.click(f"#entries thead th:nth-child({downloads}) button")
    assert page.visible_ids()[:2] == ["gpt-j-6b", "llama-2-7b"]  # 123K before 988K: numeric
    names = headers.index("Name") + 1
    page.page.click(f"#entries thead th:nth-child({names}) button")
    shown = page.column(names)
    assert shown == sorted(shown, key=str.casefold)


def test_catalogue_text_shows_as_text_never_as_markup(page: Page) -> None:
    row = "#entries tbody tr[data-id='evil-model']"
    cells = page.page.eval_on_selector_all(f"{row} td", "tds => tds.map(t => t.textContent)")
    assert EVIL["summary"] in cells and EVIL["name"] in cells
    assert (
        page.page.eval_on_selector_all(
            "#entries tbody script, #entries tbody b, #entries tbody img", "els => els.length"
        )
        == 0
    )
    assert page.dialogs == []
    href = page.page.get_attribute(f"{row} a", "href")
    assert href == EVIL["url"]


def test_badges_show_licence_category_and_openness(page: Page) -> None:
    row = "#entries tbody tr[data-id='gpt-j-6b']"
    assert page.page.text_content(f"{row} .badge.lic-permissive") == "permissive"
    assert page.page.text_content(f"{row} .badge.open-open-model") == "open-model"
    links = page.page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
    assert "https://huggingface.co/EleutherAI/gpt-j-6b" in links
    assert all(link.startswith("https://") for link in links)


def test_the_shipped_catalogue_page_works_too(browser: Any, tmp_path: Path) -> None:
    out = tmp_path / "all.html"
    assert run("--catalog", SHIPPED, "export", "html", "--output", out).exit_code == 0
    page = Page(browser, out)
    assert page.errors == [] and page.requests == [page.url]
    total = len(page.visible_ids())
    assert total > 300
    page.page.click("#search")
    page.page.keyboard.type("gpt-j")
    assert "gpt-j-6b" in page.visible_ids() and len(page.visible_ids()) < total
    page.page.close()


# --- Mermaid, checked by Mermaid's own parser ---------------------------------------------------


def mermaid_js() -> Path:
    explicit = os.environ.get("MERMAID_JS")
    found = [Path(explicit)] if explicit else sorted(MERMAID_CACHE.glob("mermaid-*.min.js"))
    if not found or not found[-1].is_file():
        unavailable(f"no mermaid.min.js (set MERMAID_JS, or put it in {MERMAID_CACHE})")
    return found[-1]


def test_mermaid_graphs_pass_mermaids_parser(browser: Any, tmp_path: Path) -> None:
    script = mermaid_js()
    root = make_catalog(tmp_path, hostile=True)
    graphs = [
        run("--catalog", root, "export", "mermaid").stdout,
        run("--catalog", root, "export", "mermaid", "--root", "gpt-j-6b", "--depth", "2").stdout,
        run(
            "--catalog", SHIPPED, "export", "mermaid", "--root", "llama-3-1", "--depth", "2"
        ).stdout,
    ]
    page = browser.new_page()
    page.set_content("<!DOCTYPE html><html><body></body></html>")
    page.add_script_tag(path=str(script))
    check = """async (text) => {
        try { const r = await mermaid.parse(text); return r.diagramType; }
        catch (e) { return "error: " + e.message; } }"""
    assert page.evaluate(check, "flowchart LR\n  a -->|x| \n").startswith("error")  # it can fail
    for text in graphs:
        assert page.evaluate(check, text) == "flowchart-v2"
    page.close()
