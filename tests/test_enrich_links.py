"""`catalog validate --online`: every url and sources address asked, over real TLS, to a local server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakeservices import TLS_DIR, Answer, FakeServices, stalled, too_many

from helpers import besides_evidence, entry, run, write_catalog
from openai_catalog.checks.links import check_urls


@pytest.fixture
def web(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServices]:
    """An https server on 127.0.0.1 whose certificate requests is told to trust."""
    server = FakeServices(tls=True).start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(TLS_DIR / "cert.pem"))
    yield server
    server.stop()


def test_dead_links_are_errors_and_flaky_ones_warnings(web: FakeServices, tmp_path: Path) -> None:
    fine = web.page("fine")
    gone = web.page("gone", Answer(410, "gone"))
    no_head = web.page("no-head", Answer(200, "<html>"), head=[Answer(405)])
    down = web.page("down", Answer(503))
    recovers = web.page("recovers", Answer(502), Answer(200, "<html>"))
    missing = f"{web.url}/web/never-there"
    root = write_catalog(
        tmp_path / "c",
        entry("a", url=fine, sources=[fine, gone, no_head]),
        entry("b", "tool", url=missing, sources=[down, recovers]),
    )
    result = run("--catalog", root, "validate", "--online", "--format", "json")
    assert result.exit_code == 1
    found = {
        (Path(f["path"]).stem, f["line"], f["rule"])
        for f in besides_evidence(json.loads(result.stdout)["findings"])
    }
    lines_a = (root / "models" / "a.yaml").read_text().splitlines()
    lines_b = (root / "tools" / "b.yaml").read_text().splitlines()
    assert found == {
        ("a", next(i for i, t in enumerate(lines_a, 1) if gone in t), "CAT085"),
        ("b", next(i for i, t in enumerate(lines_b, 1) if t.startswith("url:")), "CAT085"),
        ("b", next(i for i, t in enumerate(lines_b, 1) if down in t), "CAT086"),
    }
    assert [c.method for c in web.calls("/web/no-head")] == ["HEAD", "GET"]
    assert len(web.calls("/web/down")) == 4  # HEAD then GET, and once more
    assert len(web.calls("/web/fine")) == 1  # asked once, though named twice


def test_without_online_no_link_is_asked(web: FakeServices, tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", entry("a", url=web.page("fine")))
    assert run("--catalog", root, "validate").exit_code == 0
    assert web.calls() == []


def test_a_stalled_page_times_out_into_a_warning(web: FakeServices) -> None:
    url = web.page("stuck", stalled())
    [result] = check_urls([url], timeout=0.3).values()
    assert (
        not result.ok
        and not result.gone
        and "no answer within 0.3s (2 attempts)" in (result.problem or "")
    )


def test_a_page_that_asks_to_wait_is_waited_for_as_enrichment_waits(web: FakeServices) -> None:
    """The link check retries through enrichment's policy: a 429's Retry-After holds the host."""
    url = web.page("busy", too_many(hold=1, Retry_After="1"), Answer(200, "<html>"))
    [result] = check_urls([url]).values()
    assert result.ok, result.problem
    assert web.early == 0  # never asked again sooner than the page said
    assert [c.method for c in web.calls("/web/busy")] == ["HEAD", "HEAD"]


def test_an_untrusted_certificate_and_a_malformed_address_are_warnings(tmp_path: Path) -> None:
    server = FakeServices(tls=True).start()  # its certificate is not trusted here
    try:
        url = server.page("fine")
        results = check_urls([url, "https://exa mple.org/\x00"], timeout=2.0)
    finally:
        server.stop()
    assert results[url].problem == "TLS error (2 attempts)" and not results[url].gone
    odd = results["https://exa mple.org/\x00"]
    assert not odd.ok and not odd.gone and odd.problem


def test_an_entry_that_does_not_validate_has_no_links_asked(
    web: FakeServices, tmp_path: Path
) -> None:
    page = web.page("fine")
    root = write_catalog(tmp_path / "c", entry("a", url=page))
    path = root / "models" / "a.yaml"
    path.write_text(path.read_text().replace("summary:", "summry:"))
    result = run("--catalog", root, "validate", "--online", "--format", "json")
    assert result.exit_code == 1 and web.calls() == []
