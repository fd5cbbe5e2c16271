"""`catalog validate --online` re-reads every evidence quote on its page, against a local server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakeservices import TLS_DIR, Answer, FakeServices

from helpers import besides_evidence, entry, run, write_catalog
from openai_catalog.checks.quotes import MAX_PAGE_BYTES, html_text, normalise, quote_on_page

HTML = {"Content-Type": "text/html; charset=utf-8"}
LICENCE = "The weights are licensed under the Apache License, Version 2.0."


@pytest.fixture
def web(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServices]:
    server = FakeServices(tls=True).start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(TLS_DIR / "cert.pem"))
    yield server
    server.stop()


def html(body: str) -> Answer:
    return Answer(
        200,
        f"<!doctype html><html><head><title>t</title><script>var x = 1;</script>"
        f"</head><body>{body}</body></html>",
        HTML,
    )


def quoted(**evidence: list[tuple[str, str]]) -> dict[str, list[dict[str, str]]]:
    return {
        field: [{"source": s, "quote": q} for s, q in items] for field, items in evidence.items()
    }


def check(root: Path, *args: str) -> tuple[Any, list[tuple[str, int, str]]]:
    result = run("--catalog", root, "validate", "--online", "--format", "json", *args)
    findings = json.loads(result.stdout)["findings"]
    return result, [
        (Path(f["path"]).stem, f["line"], f["rule"]) for f in besides_evidence(findings)
    ]


def line_of(root: Path, entry_id: str, text: str, after: str = "") -> int:
    lines = next(root.rglob(f"{entry_id}.yaml")).read_text().splitlines()
    start = next(i for i, t in enumerate(lines) if after in t) if after else 0
    return next(i for i, t in enumerate(lines[start:], start + 1) if text in t)


def test_a_quote_still_on_its_page_passes_and_a_changed_page_is_drift(
    web: FakeServices, tmp_path: Path
) -> None:
    card = web.page("card", html(f"<h1>Model</h1><p>{LICENCE}</p>"))
    changed = web.page("changed", html("<p>The weights are licensed under CC-BY-NC-4.0.</p>"))
    root = write_catalog(
        tmp_path / "c",
        entry(
            "m",
            sources=[],
            evidence=quoted(
                license=[(card, LICENCE)],
                released=[(changed, "The weights are licensed under the Apache")],
            ),
            released="2021",
        ),
    )
    result, found = check(root)
    assert found == [("m", line_of(root, "m", "quote:", after="released:"), "CAT087")]
    assert result.exit_code == 0  # drift is a warning
    finding = json.loads(result.stdout)["findings"][-1]
    assert "`released`" in finding["message"] and changed in finding["message"]
    assert run("--catalog", root, "validate", "--online", "--strict").exit_code == 1


def test_a_quote_reflowed_across_tags_entities_and_typography_still_matches(
    web: FakeServices, tmp_path: Path
) -> None:
    page = web.page(
        "reflowed",
        html(
            "<div><p>The weights are licensed\n   under the <a href='/l'><b>Apache License</b></a>,"
            "</p>\n<p>Version&nbsp;2.0.</p></div><p>It\u2019s a \u201cfoundation\u201d model \u2014 "
            "trained on 402&#8239;billion tokens.</p>"
        ),
    )
    root = write_catalog(
        tmp_path / "c",
        entry(
            "m",
            sources=[],
            evidence=quoted(
                license=[(page, LICENCE)],
                weights=[(page, 'it\'s a "Foundation" model - trained on 402 billion tokens')],
            ),
            weights="open",
        ),
    )
    _, found = check(root)
    assert found == []


def test_every_page_is_fetched_once_however_many_quotes_and_places_cite_it(
    web: FakeServices, tmp_path: Path
) -> None:
    card = web.page("card", html(f"<p>{LICENCE}</p><p>Released in June 2021.</p>"))
    root = write_catalog(
        tmp_path / "c",
        entry(
            "m",
            url=card,
            sources=[card],
            released="2021-06",
            evidence=quoted(license=[(card, LICENCE)], released=[(card, "Released in June 2021.")]),
        ),
    )
    _, found = check(root)
    assert found == []
    assert [c.method for c in web.calls("/web/card")] == ["GET"]


def test_a_gone_evidence_page_is_a_dead_link_not_drift(web: FakeServices, tmp_path: Path) -> None:
    gone = web.page("gone", Answer(404, "<html>not here</html>", HTML))
    root = write_catalog(
        tmp_path / "c", entry("m", sources=[], evidence=quoted(license=[(gone, LICENCE)]))
    )
    result, found = check(root)
    assert found == [("m", line_of(root, "m", gone), "CAT085")]
    assert result.exit_code == 1


def test_a_redirect_is_followed_to_the_page_that_holds_the_quote(
    web: FakeServices, tmp_path: Path
) -> None:
    new = web.page("new-card", html(f"<p>{LICENCE}</p>"))
    old = web.page("old-card", Answer(301, "", {"Location": new}))
    root = write_catalog(
        tmp_path / "c", entry("m", sources=[], evidence=quoted(license=[(old, LICENCE)]))
    )
    _, found = check(root)
    assert found == []
    assert len(web.calls("/web/new-card")) == 1


def test_pdfs_other_answers_and_huge_pages_are_skipped_with_a_note(
    web: FakeServices, tmp_path: Path
) -> None:
    pdf = web.page("paper.pdf", Answer(200, b"%PDF-1.7 ...", {"Content-Type": "application/pdf"}))
    image = web.page("logo", Answer(200, b"\x89PNG...", {"Content-Type": "image/png"}))
    huge = web.page("huge", html("<p>filler</p>" * (MAX_PAGE_BYTES // 12 + 10)))
    root = write_catalog(
        tmp_path / "c",
        entry(
            "m",
            sources=[],
            released="2021",
            weights="open",
            evidence=quoted(
                license=[(pdf, LICENCE)],
                released=[(image, "2021")],
                weights=[(huge, "open weights")],
            ),
        ),
    )
    result, found = check(root)
    assert found == []
    assert result.exit_code == 0
    for url, why in (
        (pdf, "a PDF"),
        (image, "not a text page (image/png)"),
        (huge, "over the 4 MiB"),
    ):
        assert f"quotes on {url} not checked: {why}" in result.stderr


def test_text_answers_are_read_as_they_are_and_as_rendered_markdown(
    web: FakeServices, tmp_path: Path
) -> None:
    readme = web.page(
        "README.md",
        Answer(
            200,
            f"# Card\n\n{LICENCE}\n\nSee **[the paper](https://"
            "arxiv.org/abs/1)** for `training` details.\n",
            {"Content-Type": "text/plain; charset=utf-8"},
        ),
    )
    root = write_catalog(
        tmp_path / "c",
        entry(
            "m",
            sources=[],
            evidence=quoted(
                license=[(readme, LICENCE)],
                weights=[(readme, "Weights: open")],
                released=[(readme, "See the paper for training details.")],
            ),
            weights="open",
            released="2021",
        ),
    )
    _, found = check(root)
    assert found == [("m", line_of(root, "m", "quote:", after="weights:"), "CAT087")]


def test_a_json_answer_is_text_too(web: FakeServices, tmp_path: Path) -> None:
    api = web.page("api", Answer(200, {"id": "org/m", "cardData": {"license": "apache-2.0"}}))
    root = write_catalog(
        tmp_path / "c",
        entry(
            "m",
            sources=[],
            evidence=quoted(
                license=[(api, '"license": "apache-2.0"')], weights=[(api, '"gated": false')]
            ),
            weights="open",
        ),
    )
    _, found = check(root)
    assert found == [("m", line_of(root, "m", "quote:", after="weights:"), "CAT087")]


def test_normalising_folds_space_case_quote_marks_and_dashes() -> None:
    assert (
        normalise("  It\u2019s\u00a0 \u201cOPEN\u201d \u2014 Apache\u20112.0\u00ad ")
        == 'it\'s "open" - apache-2.0'
    )
    assert html_text("<p>a</p><p>b</p><style>p {}</style>c<b>d</b>").split() == ["a", "b", "cd"]
    assert quote_on_page("Apache-2.0", "<p>Licence: Apache\u20132.0</p>")
    assert not quote_on_page("Apache-2.0", "Licence: MIT")
    assert not quote_on_page("   ", "anything")
