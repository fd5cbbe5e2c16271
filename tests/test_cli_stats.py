"""`catalog stats`: counts by kind, licence category, openness grade and year, as bars or JSON."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from helpers import MINI, SHIPPED, run, run_json, run_process
from openai_catalog.index import search
from openai_catalog.query import parse
from openai_catalog.stats import compute_stats

COLOUR = re.compile(r"\x1b\[(?:\d+;)*(?:3[0-7]|9[0-7]|38|48)(?:;\d+)*m")


def test_json_counts_every_breakdown_of_the_mini_catalogue() -> None:
    result, data = run_json("--catalog", MINI, "stats", "--format", "json")
    assert result.exit_code == 0
    assert data == {
        "total": 16,
        "variants": 0,
        "by_kind": {"model": 7, "dataset": 5, "compute": 1, "tool": 1, "community": 2},
        "by_license_category": {
            "permissive": 9,
            "copyleft": 0,
            "open-rail": 0,
            "community": 2,
            "non-commercial": 2,
            "proprietary": 0,
            "unknown": 0,
            "none": 3,
        },
        "by_openness": {
            "model": {
                "open-science": 1,
                "open-tooling": 1,
                "open-model": 1,
                "open-weights": 3,
                "closed": 1,
            },
            "dataset": {"open-data": 2, "open-access": 2, "closed": 1},
        },
        "by_year": {"2020": 1, "2021": 2, "2022": 4, "2023": 3, "2024": 2, "unknown": 4},
    }


@pytest.mark.parametrize(
    ("args", "total"),
    [
        (["--kind", "model"], 7),
        (["license:commercial"], 11),
        (["openness:open"], 5),
        (["--license", "non-commercial", "--kind", "dataset"], 1),
        (["released:>=2023"], 5),
    ],
)
def test_stats_take_the_filters_of_list(args: list[str], total: int) -> None:
    _, data = run_json("--catalog", MINI, "stats", *args, "--format", "json")
    listed = run("--catalog", MINI, "list", *args, "--format", "ids").stdout.split()
    assert data["total"] == len(listed) == total
    assert sum(data["by_kind"].values()) == total


def test_stats_of_a_kind_count_only_that_kind() -> None:
    _, data = run_json("--catalog", MINI, "stats", "--kind", "dataset", "--format", "json")
    assert data["by_kind"]["model"] == 0 and data["by_kind"]["dataset"] == 5
    assert sum(data["by_openness"]["model"].values()) == 0
    assert data["by_openness"]["dataset"] == {"open-data": 2, "open-access": 2, "closed": 1}


def test_the_core_counts_the_shipped_catalogue_consistently() -> None:
    figures = compute_stats(search(SHIPPED, parse("")).hits)
    assert figures.total >= 300
    for counts in (figures.by_kind, figures.by_license_category, figures.by_year):
        assert sum(counts.values()) == figures.total
    assert sum(figures.by_openness["model"].values()) == figures.by_kind["model"]
    assert sum(figures.by_openness["dataset"].values()) == figures.by_kind["dataset"]
    assert figures.by_license_category["unknown"] == 0  # every licence resolves to a category
    assert (
        figures.by_license_category["none"]
        == figures.by_kind["compute"] + figures.by_kind["community"]
    )


def test_table_shows_bars_by_section() -> None:
    result = run("--catalog", MINI, "stats")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("16 entries")
    for title in (
        "kind",
        "licence category",
        "openness of models",
        "openness of datasets",
        "year released",
    ):
        assert re.search(rf"^{title}\b", text, re.MULTILINE), title
    permissive = re.search(r"^\s+permissive\s+9\s+(█+)\s+56%$", text, re.MULTILINE)
    community = re.search(r"^\s+community\s+2\s+(█+)\s+12%$", text, re.MULTILINE)
    assert permissive and community
    assert len(permissive.group(1)) > len(community.group(1))  # bars scale with the counts
    assert re.search(r"^\s+\(no licence\)\s+3\b", text, re.MULTILINE)


def test_empty_results_print_no_bars() -> None:
    result = run("--catalog", MINI, "stats", "license:proprietary")
    assert result.exit_code == 0 and result.stdout.strip() == "0 entries"


@pytest.mark.parametrize("no_color", [False, True])
def test_no_color_is_honoured(no_color: bool) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update({"FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "100"})
    if no_color:
        env["NO_COLOR"] = "1"
    proc = subprocess.run(
        [sys.executable, "-m", "openai_catalog", "--catalog", str(MINI), "stats"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "█" in proc.stdout
    assert bool(COLOUR.search(proc.stdout)) is not no_color


def test_usage_errors_exit_2() -> None:
    assert run("--catalog", MINI, "stats", "--format", "csv").exit_code == 2
    bad = run_process("--catalog", MINI, "stats", "openness:opn")
    assert bad.returncode == 2 and "did you mean" in bad.stderr


def test_stats_has_help_with_an_example() -> None:
    result = run("stats", "--help")
    assert result.exit_code == 0 and "Example" in result.stdout


def test_stats_imports_neither_the_hub_client_nor_requests() -> None:
    probe = (
        f"import sys\nsys.argv = ['catalog', '--catalog', {str(MINI)!r}, 'stats']\n"
        "from openai_catalog.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('HEAVY=' + ','.join(m for m in ('huggingface_hub', 'requests') if m in sys.modules),"
        " file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert "HEAVY=\n" in proc.stderr or proc.stderr.rstrip().endswith("HEAVY=")
