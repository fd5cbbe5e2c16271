"""Drift findings: `catalog validate` reading the enrichment snapshot against the curated entries.

Each drift rule has an example in tests/fixtures/drift (checked by test_cli_validate.py); these
tests cover what the examples cannot: entries that must stay quiet, a broken snapshot, and the
whole loop from `catalog enrich` to `catalog validate`.
"""

from __future__ import annotations

import json
from pathlib import Path

from fakeservices import FakeServices

from helpers import DRIFT, besides_evidence, entry, run, run_json, write_catalog
from openai_catalog.enrich.snapshot import parse_snapshot


def test_the_drift_fixture_snapshot_is_canonical() -> None:
    text = (DRIFT / "enrichment.json").read_text(encoding="utf-8")
    assert parse_snapshot(text).to_text() == text


def test_agreement_stale_records_and_failed_fetches_raise_nothing() -> None:
    _, report = run_json("--catalog", DRIFT, "validate", "--format", "json")
    quiet = {"in-agreement", "stale-record", "failed-fetch"}
    found = besides_evidence(report["findings"])
    assert not [f for f in found if Path(f["path"]).stem in quiet]
    assert report["errors"] == 0 and len(found) == 11


def test_drift_is_a_warning_that_fails_only_with_strict() -> None:
    assert run("--catalog", DRIFT, "validate").exit_code == 0
    assert run("--catalog", DRIFT, "validate", "--strict").exit_code == 1


def test_lenient_drift_reports_drift_without_failing_strict_validation(tmp_path: Path) -> None:
    """The weekly enrichment's pull request: its drift is shown as annotations for review."""
    import shutil

    drift = shutil.copytree(DRIFT, tmp_path / "drift")
    for path in drift.glob(
        "*/*.yaml"
    ):  # the fixture's entries carry no evidence: not the point here
        header, rest = path.read_text().split("\n", 1)
        path.write_text(f"{header}\n# catalog: ignore CAT090 -- a drift fixture\n{rest}")
    result = run(
        "--catalog", drift, "validate", "--strict", "--lenient-drift", "--format", "github"
    )
    assert result.exit_code == 0, result.stdout
    assert result.stdout.count("::warning ") == 11 and "title=CAT07" in result.stdout
    assert run("--catalog", drift, "validate", "--strict").exit_code == 1
    root = write_catalog(tmp_path / "c", entry("a", tags=["Not A Slug"]))  # a warning, not drift
    assert run("--catalog", root, "validate", "--strict", "--lenient-drift").exit_code == 1


def test_a_broken_snapshot_is_an_error_at_its_path(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", entry("a", hub="org/a"))
    (root / "enrichment.json").write_text('{"version": 2, "entries": {}}\n')
    result, report = run_json("--catalog", root, "validate", "--format", "json")
    assert result.exit_code == 1
    [finding] = besides_evidence(report["findings"])
    assert finding["rule"] == "CAT080" and finding["path"].endswith("enrichment.json")
    assert "version 2" in finding["message"]


def test_enrich_then_validate_reports_what_changed(services: FakeServices, tmp_path: Path) -> None:
    services.hub_rename("model", "org/old", "org/new")
    services.model("org/new", license="mit", parameters=3_000_000_000)
    services.repo("org/code", archived=True)
    root = write_catalog(
        tmp_path / "c", entry("m", hub="org/old", github="org/code", parameters="6B")
    )
    assert run("--catalog", root, "enrich").exit_code == 0
    _, report = run_json("--catalog", root, "validate", "--format", "json")
    assert sorted(f["rule"] for f in besides_evidence(report["findings"])) == [
        "CAT070",
        "CAT071",
        "CAT074",
        "CAT079",
    ]
    renamed = next(f for f in report["findings"] if f["rule"] == "CAT071")
    assert renamed["hint"] == "set `hub: org/new`"
    model = root / "models" / "m.yaml"
    model.write_text(model.read_text().replace("hub: org/old", "hub: org/new"))
    _, report = run_json("--catalog", root, "validate", "--format", "json")
    assert sorted(f["rule"] for f in besides_evidence(report["findings"])) == [
        "CAT079"
    ]  # hub record stale
    data = json.loads((root / "enrichment.json").read_text())
    assert data["entries"]["m"]["hub"]["repo"] == "org/old"


def test_a_release_is_held_against_the_count_of_the_variant_its_hub_names(
    services: FakeServices, tmp_path: Path
) -> None:
    services.model("org/fam-7b", license="apache-2.0", parameters=7_100_000_000)
    services.model("org/fam-70b", license="apache-2.0", parameters=70_500_000_000)
    variants = [
        {"name": "Fam 7B", "hub": "org/fam-7b", "parameters": "7B"},
        {"name": "Fam 70B", "hub": "org/fam-70b", "parameters": "70B"},
    ]
    root = write_catalog(
        tmp_path / "c", entry("fam", hub="org/fam-7b", parameters="70B", variants=variants)
    )
    assert run("--catalog", root, "enrich").exit_code == 0
    _, report = run_json("--catalog", root, "validate", "--format", "json")
    assert besides_evidence(report["findings"]) == []  # 7.1B on the Hub is the 7B variant's
    variants[0]["parameters"] = "3B"
    write_catalog(root, entry("fam", hub="org/fam-7b", parameters="70B", variants=variants))
    _, report = run_json("--catalog", root, "validate", "--format", "json")
    [drift] = besides_evidence(report["findings"])
    assert drift["rule"] == "CAT074" and "3,000,000,000" in drift["message"]
