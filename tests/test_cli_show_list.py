from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import yaml

from helpers import MINI, run, run_json, run_process


def test_show_prints_every_field_and_relations_both_ways() -> None:
    result = run("--catalog", MINI, "show", "gpt-j-6b")
    assert result.exit_code == 0
    for text in (
        "GPT-J-6B",
        "EleutherAI/gpt-j-6b",
        "Apache-2.0",
        "(permissive)",
        "6B (6,000,000,000)",
        "trained on the-pile",
        "uses jax",
    ):
        assert text in result.stdout
    pile = run("--catalog", MINI, "show", "the-pile").stdout
    assert "used to train gpt-j-6b" in pile
    community = run("--catalog", MINI, "show", "eleutherai").stdout
    assert "made gpt-j-6b" in community and "made the-pile" in community


def test_show_json_carries_incoming_relations() -> None:
    _, data = run_json("--catalog", MINI, "show", "the-pile", "--format", "json")
    assert data["id"] == "the-pile"
    assert {"relation": "trained_on", "from": "gpt-j-6b"} in data["incoming"]
    assert data["license_category"] == "permissive"


def test_show_puts_each_quote_and_its_page_under_the_fact_it_backs() -> None:
    lines = run("--catalog", MINI, "show", "open-lm").stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if "code_license" in line)
    assert "MIT" in lines[at] and "(permissive)" in lines[at]
    below = "\n".join(lines[at : at + 4])
    assert "\u201cThe code is released under the MIT licence.\u201d" in below
    assert "https://example.org/open-lm/code" in below
    weights = next(i for i, line in enumerate(lines) if line.strip("│ ").startswith("weights "))
    assert "Weights: open" in lines[weights + 1]


def test_show_json_carries_evidence_and_the_code_licence_category() -> None:
    _, data = run_json("--catalog", MINI, "show", "open-lm", "--format", "json")
    assert data["evidence"]["code_license"] == [
        {
            "source": "https://example.org/open-lm/code",
            "quote": "The code is released under the MIT licence.",
        }
    ]
    assert data["code_license"] == "MIT" and data["code_license_category"] == "permissive"


def test_show_reflows_a_description_but_keeps_paragraphs_and_lists(mini_copy: Path) -> None:
    path = mini_copy / "models" / "open-lm.yaml"
    path.write_text(
        path.read_text().replace(
            "by: [eleutherai]\n",
            (
                "description: |\n  First line of a paragraph\n  that the YAML wrapped.\n\n  Facts:\n"
                "  - one item\n  - another\nby: [eleutherai]\n"
            ),
        )
    )
    out = run("--catalog", mini_copy, "show", "open-lm").stdout
    text = [line.strip("│ ").removeprefix("description").strip() for line in out.splitlines()]
    assert "First line of a paragraph that the YAML wrapped." in text
    assert text.index("Facts:") == text.index("- one item") - 1 == text.index("- another") - 2
    assert (
        ""
        in text[
            text.index("First line of a paragraph that the YAML wrapped.") : text.index("Facts:")
        ]
    )


def test_unknown_id_exits_1_with_near_ids() -> None:
    result = run("--catalog", MINI, "show", "gpt-j-7b")
    assert result.exit_code == 1
    assert "no entry 'gpt-j-7b'" in result.stderr
    assert "gpt-j-6b" in result.stderr


def test_another_name_of_an_entry_finds_it_with_a_note() -> None:
    result, data = run_json("--catalog", MINI, "show", "gpt-j", "--format", "json")
    assert result.exit_code == 0 and data["id"] == "gpt-j-6b"
    assert "gpt-j is another name of gpt-j-6b" in result.stderr


def test_list_filters_by_kind_in_every_format() -> None:
    assert run("--catalog", MINI, "list", "--kind", "model", "--format", "ids").stdout.split() == [
        "gpt-j-6b",
        "llama-2-7b",
        "mesa-lm",
        "open-lm",
        "sealed-lm",
        "tagged-model",
        "vision-lm",
    ]
    _, document = run_json("--catalog", MINI, "list", "--format", "json")
    rows = document["entries"]  # the document of `catalog export json`
    assert document["count"] == len(rows) == 16 and rows[0]["kind"] == "model"
    lines = run("--catalog", MINI, "list", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [r["id"] for r in rows]
    table = list(
        csv.DictReader(io.StringIO(run("--catalog", MINI, "list", "--format", "csv").stdout))
    )
    assert table[0]["id"] == "gpt-j-6b" and table[0]["license_category"] == "permissive"
    assert (
        yaml.safe_load(run("--catalog", MINI, "list", "--format", "yaml").stdout)["entries"] == rows
    )
    text = run("--catalog", MINI, "list").stdout
    assert "gpt-j-6b" in text and "tpu-research-cloud" in text


def test_csv_neutralises_formulas_and_the_table_escapes_markup(mini_copy: Path) -> None:
    path = mini_copy / "tools" / "jax.yaml"
    path.write_text(
        path.read_text().replace(
            "summary: A Python library for composable transformations of numerical programs on accelerators.",
            'summary: "=HYPERLINK(x) [bold red]loud[/] \\e[31m A Python library"',
        )
    )
    rows = list(
        csv.DictReader(io.StringIO(run("--catalog", mini_copy, "list", "--format", "csv").stdout))
    )
    jax = next(r for r in rows if r["id"] == "jax")
    assert jax["summary"].startswith("'=HYPERLINK")
    table = run("--catalog", mini_copy, "list", "--kind", "tool").stdout
    assert "[bold red]loud[/]" in table and "\x1b" not in table and "\\x1b" in table


def test_list_without_catalogue_option_finds_the_nearest(mini_copy: Path, monkeypatch) -> None:
    monkeypatch.chdir(mini_copy / "models")
    assert "gpt-j-6b" in run("list", "--format", "ids").stdout


def test_environment_variable_picks_the_catalogue(
    mini_copy: Path, monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OPENAI_CATALOG_DIR", str(mini_copy))
    monkeypatch.chdir(tmp_path)
    assert run("list", "--format", "ids").stdout.split()[0] == "gpt-j-6b"


def test_every_command_has_help_with_an_example() -> None:
    for command in ("list", "show", "validate", "schema", "export", "enrich", "fmt", "add"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "Example" in result.stdout, command


def _enriched(root: Path) -> None:
    """A snapshot for gpt-j-6b as `catalog enrich` would leave it, dated relative to today."""
    import datetime as dt

    from openai_catalog.enrich.snapshot import Snapshot, SourceRecord, iso, save_snapshot

    now = dt.datetime.now(dt.UTC)
    snapshot = Snapshot()
    snapshot.put(
        "gpt-j-6b",
        "hub",
        SourceRecord(
            "EleutherAI/gpt-j-6b",
            iso(now),
            {"downloads": 48213, "likes": 1520, "last_modified": iso(now - dt.timedelta(days=400))},
        ),
    )
    snapshot.put(
        "gpt-j-6b",
        "github",
        SourceRecord(
            "kingoflolz/mesh-transformer-jax",
            iso(now),
            {"stars": 6080, "pushed_at": iso(now - dt.timedelta(days=95))},
        ),
    )
    save_snapshot(root, snapshot)


def test_show_displays_downloads_likes_stars_and_last_activity(mini_copy: Path) -> None:
    _enriched(mini_copy)
    text = run("--catalog", mini_copy, "show", "gpt-j-6b").stdout
    assert "48,213" in text and "1,520" in text and "6,080" in text
    assert re.search(r"last activity\s+\d{4}-\d\d-\d\d \(3 months ago\) on GitHub", text)
    assert "enriched" in text and "(today)" in text
    _, data = run_json("--catalog", mini_copy, "show", "gpt-j-6b", "--format", "json")
    assert data["enrichment"]["hub"]["fields"]["downloads"] == 48213


def test_list_and_search_show_popularity_and_age(mini_copy: Path) -> None:
    _enriched(mini_copy)
    for command in (["list", "--kind", "model"], ["search", "gpt"]):
        text = run("--catalog", mini_copy, *command).stdout
        row = next(line for line in text.splitlines() if "GPT-J" in line or "gpt-j-6b" in line)
        assert "48.2K dl" in row and "1.52K ♥" in row and "6.08K ★" in row and "3mo ago" in row
    _, document = run_json("--catalog", mini_copy, "list", "--format", "json")
    gptj = next(r for r in document["entries"] if r["id"] == "gpt-j-6b")
    hub, github = gptj["enrichment"]["hub"], gptj["enrichment"]["github"]
    assert hub["downloads"] == 48213 and github["stars"] == 6080 and hub["fetched_at"]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "yaml"])
def test_list_search_and_export_give_the_same_records_for_the_same_selection(fmt: str) -> None:
    selection = ["--kind", "model", "license:permissive", "--sort", "name"]
    exported = run("--catalog", MINI, "export", fmt, *selection)
    listed = run("--catalog", MINI, "list", *selection, "--format", fmt)
    searched = run("--catalog", MINI, "search", *selection, "--format", fmt)
    assert exported.exit_code == listed.exit_code == searched.exit_code == 0
    assert "gpt-j-6b" in exported.stdout
    assert listed.stdout == exported.stdout == searched.stdout


def test_list_chooses_fewer_csv_columns_in_the_same_order_and_shape() -> None:
    full = list(csv.reader(io.StringIO(run("--catalog", MINI, "list", "--format", "csv").stdout)))
    few = run("--catalog", MINI, "list", "--format", "csv", "--columns", "id,license,name")
    assert few.exit_code == 0
    rows = list(csv.reader(io.StringIO(few.stdout)))
    assert rows[0] == ["id", "license", "name"] and len(rows) == len(full)
    header = full[0]
    picked = [[row[header.index(c)] for c in ("id", "license", "name")] for row in full[1:]]
    assert rows[1:] == picked


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "json", "--columns", "id"], "--columns does not apply to json"),
        (["--format", "csv", "--columns", "id,nmae"], "nmae"),
    ],
)
def test_list_refuses_columns_it_cannot_give(args: list[str], message: str) -> None:
    proc = run_process("--catalog", MINI, "list", *args)
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr
