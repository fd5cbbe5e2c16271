"""Data, BibTeX, graph and HTML exports: each read back by a parser of its format."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import yaml
from export_helpers import HOSTILE, MINI, make_catalog

from helpers import SHIPPED, run
from openai_catalog.export.graph import MERMAID_EDGE_LIMIT

EVIL = yaml.safe_load((HOSTILE / "models" / "evil-model.yaml").read_text())


# --- json, jsonl, yaml, csv -----------------------------------------------------------------------


def test_json_carries_curated_fields_derived_facts_and_enrichment(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    result = run("--catalog", root, "export", "json", "--kind", "model")
    document = json.loads(result.stdout)
    assert document["schema_version"] == 1
    assert document["count"] == 2 and document["query"] == ""
    gptj = document["entries"][0]
    assert gptj["id"] == "gpt-j-6b" and gptj["parameters"] == 6_000_000_000
    assert gptj["relations"] == {"trained_on": ["the-pile"], "uses": ["jax"]}
    assert gptj["license_category"] == "permissive" and gptj["openness"] == "open-model"
    assert gptj["link"] == "https://huggingface.co/EleutherAI/gpt-j-6b"
    assert gptj["enrichment"]["hub"] == {
        "fetched_at": "2026-01-05T09:30:00Z",
        "downloads": 123456,
        "likes": 1480,
        "last_modified": "2025-06-01T12:00:00Z",
    }
    assert gptj["enrichment"]["github"]["stars"] == 6310


def test_json_without_a_snapshot_has_empty_enrichment(tmp_path: Path) -> None:
    root = make_catalog(tmp_path, snapshot=False)
    (root / "enrichment.json").write_text('{"version": 1, "entries": {}}')
    document = json.loads(run("--catalog", root, "export", "json").stdout)
    assert all(e["enrichment"] == {} for e in document["entries"])
    pile = json.loads(
        run("--catalog", make_catalog(tmp_path / "b"), "export", "json", "id:the-pile").stdout
    )["entries"][0]
    assert pile["enrichment"] == {}  # a source that only recorded an error adds nothing


def test_jsonl_and_yaml_hold_the_same_entries(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    document = json.loads(run("--catalog", root, "export", "json").stdout)
    lines = run("--catalog", root, "export", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == document["entries"]
    assert yaml.safe_load(run("--catalog", root, "export", "yaml").stdout) == document


def test_csv_is_flat_with_lists_joined_and_formulas_neutralised(tmp_path: Path) -> None:
    root = make_catalog(tmp_path, hostile=True)
    rows = list(csv.DictReader(io.StringIO(run("--catalog", root, "export", "csv").stdout)))
    assert len(rows) == 8
    evil = next(r for r in rows if r["id"] == "evil-model")
    assert evil["aliases"] == "'=cmd|' /C calc'!A0; '+SUM(A1); '@now"
    assert evil["summary"] == "'" + EVIL["summary"]
    gptj = next(r for r in rows if r["id"] == "gpt-j-6b")
    assert gptj["by"] == "eleutherai" and gptj["downloads"] == "123456" and gptj["stars"] == "6310"
    assert gptj["hub_fetched_at"] == "2026-01-05T09:30:00Z"
    assert gptj["license_category"] == "permissive" and gptj["openness"] == "open-model"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), row["id"]


def test_csv_columns_can_be_chosen(tmp_path: Path) -> None:
    out = run(
        "--catalog",
        make_catalog(tmp_path),
        "export",
        "csv",
        "--kind",
        "model",
        "--columns",
        "id, licence ,category,downloads",
    ).stdout
    assert out.splitlines() == [
        "id,license,license_category,downloads",
        "gpt-j-6b,Apache-2.0,permissive,123456",
        "llama-2-7b,Llama-2-Community,community,987654",
    ]


def test_list_csv_still_neutralises_formulas_through_the_shared_helper() -> None:
    from openai_catalog.cli import _output
    from openai_catalog.export import data

    assert _output.serialisers() is data
    assert data.dump_csv([{"a": "=1", "b": ["@x", "y"]}], ["a", "b"]) == "a,b\n'=1,\"'@x; y\"\n"


# --- bibtex -----------------------------------------------------------------------------------


def test_bibtex_parses_and_cites_only_entries_with_a_paper(tmp_path: Path) -> None:
    import bibtexparser

    root = make_catalog(tmp_path, hostile=True)
    result = run("--catalog", root, "export", "bibtex")
    assert "exported 2 entries as bibtex" in result.stderr
    library = bibtexparser.parse_string(result.stdout)
    assert library.failed_blocks == []
    by_key = {e.key: e for e in library.entries}
    assert sorted(by_key) == ["evil-model", "the-pile"]
    pile = by_key["the-pile"]
    assert pile.entry_type == "misc"
    # The parser strips the field's outer braces; the inner ones keep capitals and name groups.
    assert {f.key: f.value for f in pile.fields} == {
        "title": "{The Pile}",
        "author": "{EleutherAI}",
        "year": "2020",
        "eprint": "2101.00027",
        "archiveprefix": "arXiv",
        "url": "https://arxiv.org/abs/2101.00027",
    }
    evil = {f.key: f.value for f in by_key["evil-model"].fields}
    assert evil["title"] == (
        "{Evil | Model ]( [x](javascript:alert(1)) <b>bold</b> \\{pwn\\} 100\\% \\textbackslash{}N}"
    )
    assert evil["doi"] == "10.1234/evil%7D%7B_%25#x"


def test_bibtex_year_falls_back_to_the_arxiv_id() -> None:
    from openai_catalog.export.bibtex import entry
    from openai_catalog.export.records import Figures, Record

    record = Record(
        "x",
        "model",
        "X",
        "s",
        [],
        [],
        None,
        None,
        "unknown",
        None,
        None,
        Figures(),
        {},
        {"paper": "2305.12345v2"},
    )
    assert "year = {2023}" in (entry(record) or "")
    assert "author" not in (entry(record) or "")


# --- graphs -----------------------------------------------------------------------------------


def test_mermaid_root_and_depth_follow_relations_both_ways(tmp_path: Path) -> None:
    root = make_catalog(tmp_path, hostile=True)
    one = run("--catalog", root, "export", "mermaid", "--root", "the-pile").stdout
    assert _mermaid_nodes(one) == {"the-pile", "gpt-j-6b", "evil-model"}
    two = run("--catalog", root, "export", "mermaid", "--root", "jax", "--depth", "2").stdout
    assert _mermaid_nodes(two) == {"jax", "gpt-j-6b", "the-pile", "evil-model"}
    edges = re.findall(r"^  (n_\w+) -->\|\"([a-z ]+)\"\| (n_\w+)$", two, re.MULTILINE)
    assert ("n_gpt_j_6b", "trained on", "n_the_pile") in edges
    assert ("n_evil_model", "based on", "n_gpt_j_6b") in edges
    assert "style n_jax stroke-width:3px" in two


def test_graph_root_with_filters_walks_only_through_selected_entries(tmp_path: Path) -> None:
    root = make_catalog(tmp_path, hostile=True)
    out = run(
        "--catalog",
        root,
        "export",
        "mermaid",
        "--root",
        "the-pile",
        "--depth",
        "3",
        "--kind",
        "dataset",
    ).stdout
    assert _mermaid_nodes(out) == {"the-pile"}
    out = run("--catalog", root, "export", "mermaid", "--kind", "model").stdout
    assert _mermaid_nodes(out) == {"gpt-j-6b", "llama-2-7b", "evil-model"}
    out = run("--catalog", root, "export", "mermaid", "--kind", "tool", "--depth", "1").stdout
    assert _mermaid_nodes(out) == {"jax", "gpt-j-6b"}


def _mermaid_nodes(text: str) -> set[str]:
    """The entries drawn as nodes (node lines, not edge lines)."""
    return {i.replace("_", "-") for i in re.findall(r"^  n_(\w+)[\[({]", text, re.MULTILINE)}


_MERMAID_LINE = re.compile(
    r"^(flowchart LR"
    r'|  n_\w+(\["[^"\n]*"\]|\[\("[^"\n]*"\)\]|\{\{"[^"\n]*"\}\}|\[\["[^"\n]*"\]\]|\(\["[^"\n]*"\]\)):::\w+'
    r'|  n_\w+ -->\|"[a-z ]+"\| n_\w+'
    r"|  classDef \w+ fill:#[0-9a-f]{6},stroke:#555"
    r'|  subgraph legend\["Licence category"\]|    direction TB|  end'
    r'|    legend_lic_\w+\["[A-Za-z() -]+"\]:::lic_\w+'
    r"|  style n_\w+ stroke-width:3px)$"
)


def test_mermaid_labels_cannot_break_the_diagram(tmp_path: Path) -> None:
    text = run("--catalog", make_catalog(tmp_path, hostile=True), "export", "mermaid").stdout
    for line in text.splitlines():
        assert _MERMAID_LINE.match(line), line
    assert "#60;b#62;bold#60;/b#62;" in text and "<" not in text


def test_mermaid_of_a_large_shipped_selection_is_well_formed() -> None:
    text = run("--catalog", SHIPPED, "export", "mermaid", "kind:model").stdout
    lines = text.splitlines()
    assert len(lines) > 300
    for line in lines:
        assert _MERMAID_LINE.match(line), line
    assert 100 < text.count(" -->|") < MERMAID_EDGE_LIMIT


def test_a_graph_mermaid_cannot_draw_is_refused_with_a_way_out() -> None:
    """Mermaid refuses a diagram of 500 edges or more as a whole: the whole catalogue's graph is
    refused before anything is written, with how to narrow it."""
    result = run("--catalog", SHIPPED, "export", "mermaid", "--depth", "1")
    assert result.exit_code == 2 and result.stdout == ""
    assert f"fewer than {MERMAID_EDGE_LIMIT}" in result.output and "--root" in result.output
    dot = run("--catalog", SHIPPED, "export", "dot", "--depth", "1")
    assert dot.exit_code == 0 and dot.stdout.count(" -> ") >= MERMAID_EDGE_LIMIT


def test_dot_parses_with_labels_and_edges(tmp_path: Path) -> None:
    import warnings

    import pydot

    root = make_catalog(tmp_path, hostile=True)
    text = run("--catalog", root, "export", "dot", "--root", "gpt-j-6b").stdout
    with warnings.catch_warnings():  # pydot still calls pyparsing's camelCase names
        warnings.simplefilter("ignore", DeprecationWarning)
        (graph,) = pydot.graph_from_dot_data(text)
    nodes = {
        n.get_name().strip('"'): n
        for n in graph.get_nodes()
        if n.get_name() not in ("node", "edge")
    }
    assert set(nodes) == {"gpt-j-6b", "the-pile", "jax", "evil-model"}
    assert (
        nodes["evil-model"].get_label()
        == '"Evil | Model ]( [x](javascript:alert(1)) <b>bold</b> {pwn} 100% \\\\N"'
    )
    assert nodes["gpt-j-6b"].get("penwidth") == "3"
    edges = {
        (e.get_source().strip('"'), e.get_label().strip('"'), e.get_destination().strip('"'))
        for e in graph.get_edges()
    }
    assert edges == {
        ("gpt-j-6b", "trained on", "the-pile"),
        ("gpt-j-6b", "uses", "jax"),
        ("evil-model", "based on", "gpt-j-6b"),
        ("evil-model", "trained on", "the-pile"),
    }


def test_graph_root_that_does_not_exist_names_near_ids() -> None:
    result = run("--catalog", MINI, "export", "dot", "--root", "gpt-j")
    assert result.exit_code == 1
    assert "no entry 'gpt-j'" in result.stderr and "gpt-j-6b" in result.stderr


# --- html (static checks; the browser checks are in test_export_browser.py) ------------------


class _Attrs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href", "action", "srcset", "poster", "data") and value is not None:
                self.urls.append((tag, name, value))
        if tag == "script":
            self._in = dict(attrs)
            self.scripts.append((self._in, ""))

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in = None


def test_html_page_is_self_contained_and_embeds_escaped_data(tmp_path: Path) -> None:
    root = make_catalog(tmp_path, hostile=True)
    page = run(
        "--catalog", root, "export", "html", "--title", "</title><script>x()</script>"
    ).stdout
    parser = _Attrs()
    parser.feed(page)
    assert parser.urls == [("link", "href", "data:,")]
    assert not re.search(r"https?://", page.split('<script type="application/json"')[0])
    (data_attrs, data), (code_attrs, code) = parser.scripts
    assert data_attrs == {"type": "application/json", "id": "catalog-data"} and code_attrs == {}
    assert "</" not in data and "<" not in data
    assert re.findall(r"https?://\w", code) == [] and "innerHTML" not in code
    embedded = json.loads(data)
    evil = next(e for e in embedded["entries"] if e["id"] == "evil-model")
    assert evil["summary"] == EVIL["summary"] and evil["name"] == EVIL["name"]
    assert "<title>&lt;/title&gt;&lt;script&gt;x()&lt;/script&gt;</title>" in page
    assert "Content-Security-Policy" in page and "default-src &#x27;none&#x27;" in page


def test_html_links_only_https_pages_of_entries(tmp_path: Path) -> None:
    from openai_catalog.export.html import _row
    from openai_catalog.export.records import Figures, Record

    record = Record(
        "x",
        "tool",
        "X",
        "s",
        [],
        [],
        None,
        None,
        "unknown",
        None,
        "javascript:alert(1)",
        Figures(),
        {},
        {},
    )
    assert _row(record)["link"] is None


BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def test_bidirectional_controls_are_stripped_in_every_export_format(tmp_path: Path) -> None:
    """A name or summary that would display otherwise than it reads ("Trojan Source") reaches no
    export with its controls; the visible text stays."""
    from openai_catalog.export import FORMATS

    root = make_catalog(tmp_path)
    path = root / "models" / "gpt-j-6b.yaml"
    text = path.read_text()
    text = text.replace("name: GPT-J-6B", 'name: "GPT\\u202e-J\\u2066-6B\\u2069"')
    text = text.replace("summary: A six-billion", 'summary: "\\u200fA six\\u202b-billion')
    text = text.replace("with JAX.\n", 'with JAX."\npaper: "2101.00027"\n', 1)
    path.write_text(text)
    assert BIDI.search(yaml.safe_load(path.read_text())["name"])
    for fmt in FORMATS:
        result = run("--catalog", root, "export", fmt)
        assert result.exit_code == 0, (fmt, result.stderr)
        assert not BIDI.search(result.stdout), fmt
        assert "GPT-J-6B" in result.stdout, fmt
    listed = run("--catalog", root, "list", "--format", "json").stdout
    assert "GPT-J-6B" in listed and not BIDI.search(listed)
