"""`catalog site build` and `catalog badge`: the files, their escaping, the API against its schema,
the badges, links and the folder swap. The pages in a browser: test_site_browser.py."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from site_helpers import SCRIPT, crawl, hostile_catalog

from helpers import SHIPPED, run, run_json

BASE = "https://example.github.io/openai-catalog/"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("shipped") / "site"
    result = run("--catalog", SHIPPED, "site", "build", out, "--base-url", BASE)
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = hostile_catalog(tmp_path_factory.mktemp("hostile"))
    out = root.parent / "site"
    result = run("--catalog", root, "site", "build", out)
    assert result.exit_code == 0, result.stderr
    assert "evil-model" not in result.stderr  # it validates: it is on the site, not left out
    return out


def test_the_site_has_every_page_the_issue_lists(shipped: Path) -> None:
    ids = {p.stem for p in SHIPPED.glob("*/*.yaml")}
    for name in (
        "index.html",
        "graph.html",
        "stats.html",
        "api.html",
        "about.html",
        "404.html",
        "sitemap.xml",
        "api/v1/entries.json",
        "api/v1/licenses.json",
        "api/v1/schema.json",
        "kinds/model.html",
        "kinds/community.html",
        "communities/eleutherai.html",
        "compute/tpu-research-cloud.html",
    ):
        assert (shipped / name).is_file(), name
    assert {p.stem for p in (shipped / "entries").glob("*.html")} == ids
    assert {p.stem for p in (shipped / "badges").glob("*.svg")} == ids
    assert {p.stem for p in (shipped / "api/v1/entries").glob("*.json")} == ids
    assert {p.stem for p in (shipped / "communities").glob("*.html")} == {
        p.stem for p in (SHIPPED / "communities").glob("*.yaml")
    }


def test_every_internal_link_of_the_site_resolves(shipped: Path) -> None:
    reached, broken = crawl(shipped)
    assert broken == []
    pages = {p.resolve() for p in shipped.rglob("*.html")} - {(shipped / "404.html").resolve()}
    assert pages - reached == set()  # every page is reachable from the home page


def test_the_sitemap_lists_every_page_under_the_base_url(shipped: Path) -> None:
    tree = ET.parse(shipped / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text or "" for loc in tree.getroot().findall("s:url/s:loc", ns)]
    assert BASE + "entries/gpt-j-6b.html" in locs and BASE + "index.html" in locs
    for loc in locs:
        assert loc.startswith(BASE) and (shipped / loc[len(BASE) :]).is_file()
    assert len(locs) == len(list(shipped.rglob("*.html"))) - 1  # all but the 404 page


def test_the_api_files_parse_and_validate_against_the_published_schema(shipped: Path) -> None:
    from jsonschema import Draft202012Validator

    schema = json.loads((shipped / "api/v1/schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    whole = json.loads((shipped / "api/v1/entries.json").read_text())
    Draft202012Validator(schema).validate(whole)
    one = Draft202012Validator(
        {
            **schema,
            "$ref": "#/$defs/entry",
            "required": [],
            "properties": {},
            "additionalProperties": True,
        }
    )
    for path in (shipped / "api/v1/entries").glob("*.json"):
        one.validate(json.loads(path.read_text()))
    licences = Draft202012Validator(
        {
            **schema,
            "$ref": "#/$defs/licenses",
            "required": [],
            "properties": {},
            "additionalProperties": True,
        }
    )
    licences.validate(json.loads((shipped / "api/v1/licenses.json").read_text()))
    assert (
        whole["count"] == len(whole["entries"]) == len(list((shipped / "entries").glob("*.html")))
    )


def test_the_schema_rejects_an_entry_that_breaks_it(shipped: Path) -> None:
    from jsonschema import Draft202012Validator

    schema = json.loads((shipped / "api/v1/schema.json").read_text())
    one = Draft202012Validator(
        {
            **schema,
            "$ref": "#/$defs/entry",
            "required": [],
            "properties": {},
            "additionalProperties": True,
        }
    )
    entry = json.loads((shipped / "api/v1/entries/gpt-j-6b.json").read_text())
    assert one.is_valid(entry)
    assert not one.is_valid({**entry, "fields": {**entry["fields"], "released": "last year"}})
    assert not one.is_valid({k: v for k, v in entry.items() if k != "openness"})


def test_api_entries_agree_with_catalog_show(shipped: Path) -> None:
    entry = json.loads((shipped / "api/v1/entries/gpt-j-6b.json").read_text())
    shown = run_json("--catalog", SHIPPED, "show", "gpt-j-6b", "--format", "json")[1]
    assert entry["openness"]["grade"] == shown["openness"]["grade"]
    assert entry["license"]["category"] == "permissive"
    assert entry["fields"]["evidence"]["license"][0]["quote"] in json.dumps(shown)
    assert {"relation": "trained_on", "id": "the-pile"} in entry["relations"]["outgoing"]
    pile = json.loads((shipped / "api/v1/entries/the-pile.json").read_text())
    assert {"relation": "trained_on", "id": "gpt-j-6b"} in pile["relations"]["incoming"]


def test_stats_page_counts_agree_with_catalog_stats(shipped: Path) -> None:
    counts = run_json("--catalog", SHIPPED, "stats", "--format", "json")[1]
    page = (shipped / "stats.html").read_text()
    assert f"{counts['total']} entries" in page
    for kind, n in counts["by_kind"].items():
        assert f'<tr><th scope="row">{kind}</th><td>{n}</td></tr>' in page
    assert page.count('<svg class="chart"') == 5


def test_badges_are_well_formed_svg_and_match_catalog_badge(shipped: Path) -> None:
    for path in (shipped / "badges").glob("*.svg"):
        root = ET.fromstring(path.read_text())
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.find("{http://www.w3.org/2000/svg}title") is not None
    badge = (shipped / "badges/gpt-j-6b.svg").read_text()
    assert ">open-tooling<" in badge and ">permissive<" in badge
    result = run("--catalog", SHIPPED, "badge", "gpt-j-6b")
    assert result.exit_code == 0 and result.stdout == badge
    assert ">community<" in (shipped / "badges/eleutherai.svg").read_text()


def test_catalog_badge_names_near_ids_for_an_unknown_one() -> None:
    result = run("--catalog", SHIPPED, "badge", "gpt-j-6")
    assert result.exit_code == 1
    assert "no entry 'gpt-j-6'" in result.stderr and "gpt-j-6b" in result.stderr


def test_entry_pages_show_evidence_under_each_fact_and_relations_both_ways(shipped: Path) -> None:
    page = (shipped / "entries/gpt-j-6b.html").read_text()
    facts = page[page.index('id="facts"') : page.index('id="licence"')]
    licence = facts[facts.index("<dt>Licence</dt>") :]
    licence = licence[: licence.index("</dd>")]
    assert (
        "The weights of GPT-J-6B are licensed under version 2.0 of the Apache License." in licence
    )
    assert (
        'href="../entries/the-pile.html"' in page
        and 'href="../entries/tpu-research-cloud.html"' in page
    )
    pile = (shipped / "entries/the-pile.html").read_text()
    assert "<dt>training data of</dt>" in pile and 'href="../entries/gpt-j-6b.html"' in pile
    assert "/edit/main/catalog/models/gpt-j-6b.yaml" in page
    assert (
        "[![openai-catalog: GPT-J-6B]("
        + BASE
        + "badges/gpt-j-6b.svg)]("
        + BASE
        + "entries/gpt-j-6b.html)"
        in page
    )


def test_community_and_compute_pages_list_what_they_make_and_support(shipped: Path) -> None:
    eleuther = (shipped / "communities/eleutherai.html").read_text()
    assert "<h2>Makes</h2>" in eleuther and 'href="../entries/gpt-j-6b.html"' in eleuther
    trc = (shipped / "compute/tpu-research-cloud.html").read_text()
    assert "<h2>Supports</h2>" in trc and 'href="../entries/gpt-j-6b.html"' in trc


def _inline(page: str, tag: str) -> list[str]:
    return re.findall(rf"<{tag}>(.*?)</{tag}>", page, re.S)


def test_every_page_has_a_strict_csp_naming_its_own_inline_code(hostile: Path) -> None:
    for path in hostile.rglob("*.html"):
        page = path.read_text()
        csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
        assert csp, path
        policy = csp.group(1).replace("&#x27;", "'")
        assert policy.startswith("default-src 'none';") and "connect-src" not in policy
        for tag, directive in (("style", "style-src"), ("script", "script-src")):
            for code in _inline(page, tag):
                digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
                assert f"{directive} 'sha256-{digest}'" in policy, (path, tag)
        assert "http://" not in re.sub(r'xmlns="http://www.w3.org/2000/svg"', "", page), path


def test_catalogue_text_never_becomes_markup(hostile: Path) -> None:
    page = (hostile / "entries/evil-model.html").read_text()
    assert SCRIPT not in page and "<img src=x" not in page and "<svg/onload" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page  # the summary, as text
    assert (
        "<q>licence: MIT &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &lt;/q&gt;</q>" in page
    )
    assert 'href="https://example.com/%22%3E%3Csvg/onload=alert%281%29%3E"' in page
    assert "</textarea>." not in page.split('id="embed"')[0]
    assert 'href="javascript:' not in page
    for path in hostile.rglob("*.html"):  # the home page's data and code, and nothing else
        assert path.read_text().count("<script") == (2 if path.name == "index.html" else 0), path
    home = (hostile / "index.html").read_text()
    island = home[home.index('id="catalog-data">') :]
    island = island[: island.index("</script>")]
    assert "<" not in island[len('id="catalog-data">') :]
    badge = ET.fromstring((hostile / "badges/evil-model.svg").read_text())
    assert badge.tag.endswith("svg")


def test_a_rebuild_replaces_the_site_and_leaves_no_temporary_folder(tmp_path: Path) -> None:
    root = hostile_catalog(tmp_path)
    out = tmp_path / "out" / "site"
    assert run("--catalog", root, "site", "build", out).exit_code == 0
    (out / "stale.html").write_text("old")
    (root / "tools" / "jax.yaml").unlink()
    result = run("--catalog", root, "site", "build", out)
    assert result.exit_code == 0, result.stderr
    assert not (out / "stale.html").exists() and not (out / "entries/jax.html").exists()
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"]
    assert not (out / "sitemap.xml").exists() and "no sitemap.xml" in result.stderr


def test_a_folder_the_build_did_not_write_is_never_replaced(tmp_path: Path) -> None:
    root = hostile_catalog(tmp_path)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    result = run("--catalog", root, "site", "build", mine)
    assert result.exit_code == 1
    assert "did not write" in result.stderr and "remove this one first" in result.stderr
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_failed_build_leaves_the_old_site_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = hostile_catalog(tmp_path)
    out = tmp_path / "site"
    assert run("--catalog", root, "site", "build", out).exit_code == 0
    before = sorted(str(p.relative_to(out)) for p in out.rglob("*"))

    def fail(*args: object) -> list[str]:
        (args[1] / "index.html").write_text("half")  # type: ignore[operator]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("openai_catalog.site.write.write_site", fail)
    result = run("--catalog", root, "site", "build", out)
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == before
    assert "half" not in (out / "index.html").read_text()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    "url", ["example.org", "javascript:alert(1)", "https://x.org/?a=1", 'https://x.org/"><b>']
)
def test_a_bad_base_url_is_a_usage_error(tmp_path: Path, url: str) -> None:
    result = run("--catalog", SHIPPED, "site", "build", tmp_path / "site", "--base-url", url)
    assert result.exit_code == 2 and "--base-url" in result.stderr
    assert not (tmp_path / "site").exists()


def test_the_404_page_links_through_the_base_path(shipped: Path) -> None:
    page = (shipped / "404.html").read_text()
    assert 'href="/openai-catalog/index.html"' in page
    assert 'href="/openai-catalog/entries/' not in page


def test_entry_pages_show_hub_and_github_figures_with_their_dates(hostile: Path) -> None:
    page = (hostile / "entries/gpt-j-6b.html").read_text()
    assert (
        "123,456 downloads over the 30 days before fetching, 1,480 likes, fetched 2026-01-05"
        in page
    )
    assert "GitHub: 6,310 stars, fetched 2026-01-04" in page
    assert "No figures fetched for this entry." in (hostile / "entries/the-pile.html").read_text()
    figures = json.loads((hostile / "api/v1/entries/gpt-j-6b.json").read_text())["figures"]
    assert (
        figures["hub"]["fetched_at"] == "2026-01-05T09:30:00Z"
        and figures["github"]["stars"] == 6310
    )


def test_site_build_and_badge_have_help_with_an_example() -> None:
    for command in (("site", "build"), ("badge",)):
        result = run(*command, "--help")
        assert result.exit_code == 0 and "Example" in result.stdout, command


def test_a_real_process_exits_with_the_documented_codes(tmp_path: Path) -> None:
    from helpers import run_process

    bad = run_process("--catalog", SHIPPED, "site", "build", tmp_path / "s", "--base-url", "nope")
    assert bad.returncode == 2 and "--base-url" in bad.stderr
    missing = run_process("--catalog", SHIPPED, "badge", "no-such-entry")
    assert missing.returncode == 1 and "no entry 'no-such-entry'" in missing.stderr
    badge = run_process("--catalog", SHIPPED, "badge", "the-pile", "--output", tmp_path / "b.svg")
    assert badge.returncode == 0 and ET.parse(tmp_path / "b.svg").getroot().tag.endswith("svg")
