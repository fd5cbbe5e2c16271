"""The website in a real headless Chromium (Debian's, driven by Playwright), opened from file://
and from a local server under a sub-path, with axe-core checking accessibility.

Set up by `bash .ci/browser-deps`, which also fetches axe-core from the npm registry. Without a
browser these tests fail when CI=true and skip elsewhere, saying why.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from export_helpers import browser_session, unavailable
from site_helpers import hostile_catalog

from helpers import SHIPPED, run

TOOLS_CACHE = Path.home() / ".cache" / "openai-catalog-tests"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from browser_session()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    result = run("--catalog", SHIPPED, "site", "build", out)
    assert result.exit_code == 0, result.stderr
    return out


class Page:
    """A page of the site opened from a file, with every request outside the site, console error
    and dialog recorded."""

    def __init__(self, browser: Any, site: Path, path: str, **context: Any) -> None:
        self.root = site.resolve().as_uri() + "/"
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.page.route("**/*", self._route)
        self.page.on(
            "console", lambda m: m.type in ("error", "warning") and self.errors.append(m.text)
        )
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.goto(path)

    def goto(self, path: str) -> None:
        self.page.goto(self.root + path)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith(self.root):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def ids(self) -> list[str]:
        return list(
            self.page.eval_on_selector_all("#results li", "lis => lis.map(l => l.dataset.id)")
        )

    def count(self) -> str:
        return self.page.text_content("#count") or ""

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def home(browser: Any, site: Path) -> Iterator[Page]:
    page = Page(browser, site, "index.html")
    page.page.wait_for_selector("#results li")
    yield page
    page.close()


def total(site: Path) -> int:
    return len(list((site / "entries").glob("*.html")))


def test_home_loads_offline_with_no_console_errors(home: Page, site: Path) -> None:
    assert home.errors == [] and home.outside == [] and home.dialogs == []
    assert home.count() == f"{total(site)} of {total(site)} entries, showing the first 50"
    assert len(home.ids()) == 50


def matches(count: str) -> int:
    """The number of matches in the page's count line ("37 of 1,340 entries")."""
    return int(count.split(" of ")[0].replace(",", ""))


def test_typing_narrows_the_results_at_each_key(home: Page, site: Path) -> None:
    home.page.click("#q")
    home.page.keyboard.type("gpt")
    narrowed = matches(home.count())
    assert "gpt-j-6b" in home.ids() and narrowed < total(site)
    home.page.keyboard.type("-j")
    assert home.ids()[0] == "gpt-j-6b" and matches(home.count()) < narrowed
    home.page.fill("#q", "")
    assert home.count().startswith(f"{total(site)} of")


def test_filters_and_sorting_survive_a_reload_through_the_url(home: Page) -> None:
    home.page.select_option("#f-kind", "model")
    home.page.select_option("#f-category", "permissive")
    home.page.select_option("#f-commercial", "yes")
    home.page.select_option("#sort", "released")
    home.page.fill("#q", "language")
    ids = home.ids()
    assert ids and all(i in home.ids() for i in ids)
    url = home.page.url
    assert "kind=model" in url and "category=permissive" in url and "sort=released" in url
    home.page.reload()
    home.page.wait_for_selector("#results li")
    assert home.ids() == ids
    assert (
        home.page.input_value("#q") == "language" and home.page.input_value("#sort") == "released"
    )
    released = home.page.eval_on_selector_all(
        "#results li .meta",
        "ms => ms.map(m => (m.textContent.match(/\\b(\\d{4})(-\\d\\d)?(-\\d\\d)?\\b/) || [''])[0])",
    )
    assert [r for r in released if r] == sorted((r for r in released if r), reverse=True)
    home.goto("index.html#tag=code&openness=open-model")
    home.page.wait_for_function("document.getElementById('f-tag').value === 'code'")
    shown = home.ids()
    assert shown and home.page.input_value("#f-openness") == "open-model"
    for entry_id in shown:
        assert (SHIPPED / "models" / f"{entry_id}.yaml").is_file()


def test_keyboard_alone_reaches_search_and_results(home: Page) -> None:
    home.page.keyboard.press("Tab")  # the skip link comes first
    assert home.page.evaluate("document.activeElement.className") == "skip"
    home.page.keyboard.press("/")
    assert home.page.evaluate("document.activeElement.id") == "q"
    home.page.keyboard.type("pile")
    home.page.keyboard.press("ArrowDown")
    first = home.page.evaluate("document.activeElement.closest('li').dataset.id")
    assert first == home.ids()[0]
    with home.page.expect_navigation():
        home.page.keyboard.press("Enter")
    assert home.page.url.endswith(f"entries/{first}.html")


def test_an_entry_page_shows_its_relations_as_working_links(browser: Any, site: Path) -> None:
    page = Page(browser, site, "entries/gpt-j-6b.html")
    assert page.errors == [] and page.outside == []
    with page.page.expect_navigation():
        page.page.click("#relations ~ dl a:text('The Pile')")
    assert page.page.url.endswith("entries/the-pile.html")
    assert page.page.text_content("h1") == "The Pile"
    with page.page.expect_navigation():
        page.page.click("dt:text('training data of') + dd a:text('GPT-J-6B')")
    assert page.page.url.endswith("entries/gpt-j-6b.html")
    page.close()


def test_the_graph_and_the_stats_render(browser: Any, site: Path) -> None:
    page = Page(browser, site, "graph.html")
    assert page.errors == [] and page.outside == []
    box = page.page.eval_on_selector("svg.graph", "s => s.getBoundingClientRect().height")
    assert box > 1000
    nodes = page.page.eval_on_selector_all("svg.graph a", "as => as.length")
    edges = page.page.eval_on_selector_all("svg.graph path.edge", "ps => ps.length")
    assert nodes > 100 and edges > 100
    with page.page.expect_navigation():
        page.page.click("svg.graph a:has(title:text('GPT-J-6B (model)'))")
    assert page.page.url.endswith("entries/gpt-j-6b.html")
    page.goto("stats.html")
    bars = page.page.eval_on_selector_all(
        "svg.chart rect.bar", "rs => rs.map(r => r.getBoundingClientRect().width)"
    )
    assert len(bars) > 20 and max(bars) > 100
    assert page.errors == []
    page.close()


def test_pages_follow_the_dark_colour_scheme(browser: Any, site: Path) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        page = Page(browser, site, "entries/gpt-j-6b.html", color_scheme=scheme)
        colours[scheme] = page.page.evaluate("getComputedStyle(document.body).backgroundColor")
        page.close()
    assert colours == {"light": "rgb(255, 255, 255)", "dark": "rgb(13, 17, 23)"}


def test_pages_fit_a_phone_screen(browser: Any, site: Path) -> None:
    for path in ("index.html", "entries/gpt-j-6b.html", "stats.html", "kinds/model.html"):
        page = Page(browser, site, path, viewport={"width": 375, "height": 700})
        width = page.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, path
        page.close()


def test_catalogue_text_shows_as_text_in_the_browser(browser: Any, tmp_path: Path) -> None:
    root = hostile_catalog(tmp_path)
    out = tmp_path / "site"
    assert run("--catalog", root, "site", "build", out).exit_code == 0
    for path in ("index.html", "entries/evil-model.html"):
        page = Page(browser, out, path)
        page.page.wait_for_timeout(100)
        assert page.dialogs == [] and page.errors == [], path
        text = page.page.text_content("main") or ""
        assert '<script>alert("x")</script>' in text, path
        assert page.page.eval_on_selector_all("main script, main img, main b", "e => e.length") == 0
        page.close()


# --- under a sub-path, as GitHub Pages serves a project site -----------------------------------


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site.parent))

    class Quiet(http.server.ThreadingHTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            pass

    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = Quiet(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{site.name}/"
    server.shutdown()
    server.server_close()


def test_the_site_works_under_a_sub_path_of_a_server(browser: Any, served: str) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(served + "index.html#q=whisper")
    page.wait_for_selector("#results li[data-id='whisper']")
    with page.expect_navigation():
        page.click("#results li[data-id='whisper'] a")
    assert page.url == served + "entries/whisper.html"
    with page.expect_navigation():
        page.click("nav[aria-label='Site'] a:text('Stats')")
    assert page.url == served + "stats.html"
    assert errors == []
    page.close()


# --- accessibility, by axe-core ----------------------------------------------------------------


def axe_js() -> Path:
    explicit = os.environ.get("AXE_JS")
    found = [Path(explicit)] if explicit else sorted(TOOLS_CACHE.glob("axe-core-*.min.js"))
    if not found or not found[-1].is_file():
        unavailable(f"no axe-core (set AXE_JS, or put axe-core-*.min.js in {TOOLS_CACHE})")
    return found[-1]


@pytest.mark.parametrize(
    ("path", "scheme"),
    [
        ("index.html", "light"),
        ("entries/gpt-j-6b.html", "light"),
        ("graph.html", "light"),
        ("stats.html", "light"),
        ("index.html", "dark"),
        ("entries/gpt-j-6b.html", "dark"),
    ],
)
def test_axe_finds_no_serious_or_critical_violations(
    browser: Any, site: Path, path: str, scheme: str
) -> None:
    script = axe_js()
    # axe is injected by the test, so this context alone lets a script past the page's policy.
    page = Page(browser, site, path, bypass_csp=True, color_scheme=scheme)
    if path == "index.html":
        page.page.wait_for_selector("#results li")
    page.page.add_script_tag(path=str(script))
    found = page.page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ["violations"]});
        return r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
          .map(v => v.id + ": " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
    }""")
    assert found == []
    page.close()
