"""Licence lineage: the tree of `catalog lineage` and rule CAT100, on a fixed graph whose answers
are known (a cycle and a missing base included), on the shipped catalogue, and the licence
colours of the mermaid and dot graphs."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import pytest

from helpers import SHIPPED, entry, run, run_json, write_catalog
from openai_catalog.checks.catalog import validate_with_ignored
from openai_catalog.export.graph import COLOURS
from openai_catalog.lineage import breaches, describe, lineage
from openai_catalog.registry import Catalog, load_catalog

LICENCES = """\
licenses:
  - {id: Apache-2.0, name: Apache, spdx: Apache-2.0, category: permissive, commercial: true,
     share_alike: false, use_restrictions: false}
  - {id: MIT, name: MIT, spdx: MIT, category: permissive, commercial: true, share_alike: false,
     use_restrictions: false}
  - {id: CC-BY-SA-4.0, name: CC BY-SA, spdx: CC-BY-SA-4.0, category: copyleft, commercial: true,
     share_alike: true, use_restrictions: false}
  - {id: CC-BY-NC-4.0, name: CC BY-NC, spdx: CC-BY-NC-4.0, category: non-commercial,
     commercial: false, share_alike: false, use_restrictions: false, binds_trained_models: true}
  - {id: OpenRAIL-M, name: OpenRAIL-M, category: open-rail, commercial: true, share_alike: false,
     use_restrictions: true}
  - {id: Custom-Terms, name: Custom terms, category: community}
  - {id: unknown, name: Unknown, category: unknown}
"""


def _graph() -> list[dict[str, Any]]:
    """The fixed graph. In comments: what CAT100 must say about each entry."""

    def model(entry_id: str, license: str, *bases: str, **fields: Any) -> dict[str, Any]:
        relations = {"based_on": list(bases)} if bases else {}
        relations.update(fields.pop("relations", {}))
        data = entry(entry_id, license=license, **fields)
        if relations:
            data["relations"] = relations
        return data

    return [
        entry("lab-a", "community"),
        entry("lab-b", "community"),
        model("base-nc", "CC-BY-NC-4.0", by=["lab-a"]),
        model("tune-apache", "Apache-2.0", "base-nc", by=["lab-b"]),  # commercial: false
        model("tune-nc", "CC-BY-NC-4.0", "base-nc", by=["lab-b"]),  # fine
        model("own-relicense", "Apache-2.0", "base-nc", by=["lab-a"]),  # same maker: fine
        model("suppressed-tune", "Apache-2.0", "base-nc"),  # silenced by a comment
        model("rail-base", "OpenRAIL-M"),
        model("rail-tune", "MIT", "rail-base"),  # use_restrictions: true
        model("custom-base", "Custom-Terms"),
        model("custom-tune", "Apache-2.0", "custom-base"),  # category: community
        entry("sa-data", "dataset", license="CC-BY-SA-4.0"),
        entry(
            "sa-derived", "dataset", license="Apache-2.0", relations={"based_on": ["sa-data"]}
        ),  # share_alike: true
        entry("nc-data", "dataset", license="CC-BY-NC-4.0"),
        model("trained-on-nc", "Apache-2.0", relations={"trained_on": ["nc-data"]}),  # via data
        model("trained-on-sa", "Apache-2.0", relations={"trained_on": ["sa-data"]}),  # SA data
        # does not say it binds trained models: fine
        model("unknown-middle", "unknown", "base-nc"),  # unknown licence: not checked itself
        model("grand-tune", "Apache-2.0", "unknown-middle"),  # chain of three to base-nc
        model("cyc-a", "Apache-2.0", "cyc-b"),  # cycle through an unknown licence: fine
        model("cyc-b", "unknown", "cyc-a"),
        model("cyc-c", "Apache-2.0", "cyc-d"),  # cycle, but cyc-d also leads to base-nc
        model("cyc-d", "unknown", "cyc-c", "base-nc"),
        model("orphan", "Apache-2.0", "no-such-model"),  # missing base: CAT030 only
        model("orphan-middle", "unknown", "no-such-model"),
        model("orphan-tune", "Apache-2.0", "orphan-middle"),  # dead end: fine
    ]


EXPECTED = {
    "tune-apache": (
        "tune-apache (Apache-2.0) is based on base-nc (CC-BY-NC-4.0)",
        "CC-BY-NC-4.0: commercial: false",
    ),
    "rail-tune": (
        "rail-tune (MIT) is based on rail-base (OpenRAIL-M)",
        "OpenRAIL-M: use_restrictions: true",
    ),
    "custom-tune": (
        "custom-tune (Apache-2.0) is based on custom-base (Custom-Terms)",
        "Custom-Terms: category: community",
    ),
    "sa-derived": (
        "sa-derived (Apache-2.0) is based on sa-data (CC-BY-SA-4.0)",
        "CC-BY-SA-4.0: share_alike: true",
    ),
    "trained-on-nc": (
        "trained-on-nc (Apache-2.0) is trained on nc-data (CC-BY-NC-4.0)",
        "CC-BY-NC-4.0: commercial: false",
    ),
    "grand-tune": (
        "grand-tune (Apache-2.0) is based on unknown-middle (unknown), which is based "
        "on base-nc (CC-BY-NC-4.0)",
        "CC-BY-NC-4.0: commercial: false",
    ),
    "cyc-c": (
        "cyc-c (Apache-2.0) is based on cyc-d (unknown), which is based on base-nc (CC-BY-NC-4.0)",
        "CC-BY-NC-4.0: commercial: false",
    ),
    "suppressed-tune": (
        "suppressed-tune (Apache-2.0) is based on base-nc (CC-BY-NC-4.0)",
        "CC-BY-NC-4.0: commercial: false",
    ),
}


@pytest.fixture(scope="module")
def fixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_catalog(tmp_path_factory.mktemp("lineage") / "catalog", *_graph())
    (root / "licenses.yaml").write_text(LICENCES, encoding="utf-8")
    path = root / "models" / "suppressed-tune.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "  - base-nc\n",
            "  - base-nc  # catalog: ignore CAT100 -- the "
            "base's licensor granted a commercial licence\n",
        ),
        encoding="utf-8",
    )
    return root


@pytest.fixture(scope="module")
def catalog(fixed: Path) -> Catalog:
    return load_catalog(fixed)


def test_breaches_on_the_fixed_graph_are_exactly_the_known_ones(catalog: Catalog) -> None:
    found = {
        e.id: [(describe(b), b.clause) for _, _, b in breaches(catalog, e)]
        for e in catalog.entries()
    }
    assert {k: v for k, v in found.items() if v} == {k: [v] for k, v in EXPECTED.items()}


def test_the_rule_reports_at_the_relation_line_and_honours_the_suppression(
    fixed: Path, catalog: Catalog
) -> None:
    findings, ignored = validate_with_ignored(catalog)
    cat100 = {Path(f.path).stem: f for f in findings if f.rule == "CAT100"}
    assert set(cat100) == set(EXPECTED) - {"suppressed-tune"}
    finding = cat100["tune-apache"]
    assert finding.severity == "error"
    lines = (fixed / "models" / "tune-apache.yaml").read_text().splitlines()
    assert lines[finding.line - 1].strip() == "- base-nc"
    assert "CC-BY-NC-4.0: commercial: false" in finding.message
    assert "forbids commercial use" in finding.message
    assert "# catalog: ignore CAT100" in (finding.hint or "")
    [silenced] = [i for i in ignored if i.findings]
    assert Path(silenced.suppression.path).stem == "suppressed-tune"
    assert [f.rule for f in silenced.findings] == ["CAT100"]
    assert silenced.suppression.reason == "the base's licensor granted a commercial licence"
    # the missing base is reported by its own rule, not by CAT100, and nothing crashed
    assert {Path(f.path).stem for f in findings if f.rule == "CAT030"} == {
        "orphan",
        "orphan-middle",
    }


def test_validate_exits_1_and_prints_the_chain(fixed: Path) -> None:
    result, report = run_json("--catalog", fixed, "validate", "--format", "json")
    assert result.exit_code == 1
    messages = [f["message"] for f in report["findings"] if f["rule"] == "CAT100"]
    assert any(
        "grand-tune (Apache-2.0) is based on unknown-middle (unknown), which is based on "
        "base-nc (CC-BY-NC-4.0)" in m
        for m in messages
    )


def _ids(nodes: list[Any]) -> list[tuple[str, str | None, list[Any]]]:
    return [(n.id, n.relation, _ids(n.children)) for n in nodes]


def test_lineage_tree_of_a_cycle_marks_it_and_stops(catalog: Catalog) -> None:
    tree = lineage(catalog, "cyc-c")
    assert _ids(tree.up) == [
        ("cyc-d", "based_on", [("cyc-c", "based_on", []), ("base-nc", "based_on", [])])
    ]
    assert tree.up[0].children[0].cycle is True
    assert _ids(tree.down) == [("cyc-d", "based_on", [("cyc-c", "based_on", [])])]
    assert tree.down[0].children[0].cycle is True


def test_lineage_tree_marks_a_missing_base(catalog: Catalog) -> None:
    tree = lineage(catalog, "orphan-tune")
    assert _ids(tree.up) == [("orphan-middle", "based_on", [("no-such-model", "based_on", [])])]
    assert tree.up[0].children[0].missing is True


def test_lineage_down_lists_every_derivative_with_licence_and_grade(catalog: Catalog) -> None:
    tree = lineage(catalog, "base-nc")
    down = {n.id: n for n in tree.down}
    assert set(down) == {
        "tune-apache",
        "tune-nc",
        "own-relicense",
        "suppressed-tune",
        "unknown-middle",
        "cyc-d",
    }
    assert _ids(down["unknown-middle"].children) == [("grand-tune", "based_on", [])]
    assert (down["tune-nc"].license, down["tune-nc"].category) == ("CC-BY-NC-4.0", "non-commercial")
    assert down["tune-nc"].grade and tree.root.grade
    assert tree.root.category == "non-commercial"


def test_lineage_command_prints_json_and_a_tree(fixed: Path) -> None:
    result, data = run_json("--catalog", fixed, "lineage", "grand-tune", "--format", "json")
    assert result.exit_code == 0
    assert data["entry"]["id"] == "grand-tune" and data["entry"]["category"] == "permissive"
    [middle] = data["up"]
    assert (middle["id"], middle["relation"], middle["category"]) == (
        "unknown-middle",
        "based_on",
        "unknown",
    )
    assert [c["id"] for c in middle["children"]] == ["base-nc"]
    assert data["down"] == []
    table = run("--catalog", fixed, "lineage", "base-nc")
    assert table.exit_code == 0
    assert "based on it: tune-apache" in table.stdout and "(non-commercial)" in table.stdout
    missing = run("--catalog", fixed, "lineage", "orphan-tune")
    assert "no-such-model  no such entry" in missing.stdout


def test_lineage_of_an_unknown_id_exits_1_with_near_ids(fixed: Path) -> None:
    result = run("--catalog", fixed, "lineage", "tune-apach")
    assert result.exit_code == 1
    assert "tune-apache" in result.stderr


# --- the shipped catalogue -----------------------------------------------------------------------


def test_the_shipped_catalogue_has_no_unexplained_lineage_finding() -> None:
    shipped = load_catalog(SHIPPED)
    findings, ignored = validate_with_ignored(shipped)
    assert [f for f in findings if f.rule == "CAT100"] == []
    silenced = {
        Path(i.suppression.path).stem: i for i in ignored if "CAT100" in i.suppression.rules
    }
    assert set(silenced) == {"idefics"}
    assert [f.rule for f in silenced["idefics"].findings] == ["CAT100"]
    assert "LLaMA-Research: category: non-commercial" in silenced["idefics"].findings[0].message
    # DeepSeek-R1 (MIT) on DeepSeek-V3 (use restrictions) is DeepSeek relicensing its own work
    r1 = shipped.get("deepseek-r1")
    assert r1 is not None and "deepseek-v3" in r1.relations.based_on
    assert list(breaches(shipped, r1)) == []


# --- graph colours --------------------------------------------------------------------------------


def test_dot_fills_each_node_with_its_licence_category_and_has_a_legend(fixed: Path) -> None:
    import pydot

    text = run("--catalog", fixed, "export", "dot", "--root", "base-nc", "--depth", "1").stdout
    with warnings.catch_warnings():  # pydot still calls pyparsing's camelCase names
        warnings.simplefilter("ignore", DeprecationWarning)
        (graph,) = pydot.graph_from_dot_data(text)
    fills = {
        n.get_name().strip('"'): n.get("fillcolor").strip('"')
        for n in graph.get_nodes()
        if n.get("fillcolor")
    }
    assert fills["base-nc"] == COLOURS["non-commercial"] == "#fed7aa"
    assert fills["tune-apache"] == COLOURS["permissive"]
    assert fills["unknown-middle"] == COLOURS["unknown"]
    [legend] = graph.get_subgraphs()
    assert legend.get_name() == "cluster_legend"
    entries = {n.get_label().strip('"'): n.get("fillcolor").strip('"') for n in legend.get_nodes()}
    assert entries == {
        "permissive": COLOURS["permissive"],
        "non-commercial": COLOURS["non-commercial"],
        "unknown": COLOURS["unknown"],
    }


def test_mermaid_classes_nodes_by_licence_category_with_a_legend(fixed: Path) -> None:
    text = run("--catalog", fixed, "export", "mermaid", "--root", "rail-tune").stdout
    classes = dict(re.findall(r"^  classDef (\w+) fill:(#[0-9a-f]{6}),stroke:#555$", text, re.M))
    node_class = dict(re.findall(r"^  n_(\w+)\[.*\]:::(\w+)$", text, re.M))
    assert classes[node_class["rail_tune"]] == COLOURS["permissive"]
    assert classes[node_class["rail_base"]] == COLOURS["open-rail"]
    legend = re.search(r'^  subgraph legend\["Licence category"\]\n(.*?)^  end$', text, re.M | re.S)
    assert legend is not None
    shown = dict(re.findall(r'legend_\w+\["([^"]+)"\]:::(\w+)', legend.group(1)))
    assert {label: classes[c] for label, c in shown.items()} == {
        "permissive": COLOURS["permissive"],
        "OpenRAIL (use restrictions)": COLOURS["open-rail"],
    }


def test_an_expression_asks_for_share_alike_under_or_only_if_every_choice_does() -> None:
    licenses = load_catalog(SHIPPED).licenses
    assert licenses.requires("CC-BY-SA-3.0 OR GFDL", "share_alike") is True
    assert licenses.requires("Apache-2.0 OR CC-BY-SA-4.0", "share_alike") is False
    assert licenses.requires("Apache-2.0 AND CC-BY-SA-4.0", "share_alike") is True
    assert licenses.requires("MIT AND OpenRAIL-M", "use_restrictions") is True
    assert licenses.requires("MIT WITH LLVM-exception", "share_alike") in (False, None)
