"""`catalog enrich` as a user runs it: the summary, the snapshot it leaves, and its promises."""

from __future__ import annotations

import difflib
import functools
import io
import json
import logging
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fakeservices import Answer, FakeServices, hub_error, server_error, stalled, too_many

from helpers import MINI, entry, run, run_json, write_catalog
from openai_catalog.enrich.snapshot import Snapshot, parse_snapshot

FIELDS_AT = re.compile(r'"fetched_at": "[^"]+"')


def snapshot_text(root: Path) -> str:
    return (root / "enrichment.json").read_text(encoding="utf-8")


@pytest.fixture
def catalogue(services: FakeServices, tmp_path: Path) -> Path:
    """Two models, a dataset, a tool and a community, all of which the services know."""
    services.model("org/alpha", downloads=1000)
    services.model("org/beta", downloads=2000)
    services.dataset("org/corpus")
    services.repo("org/tool")
    services.org("Org")
    return write_catalog(
        tmp_path / "catalog",
        entry("alpha", hub="org/alpha", github="org/tool"),
        entry("beta", hub="org/beta"),
        entry("corpus", "dataset", hub="org/corpus"),
        entry("tool", "tool", github="org/tool"),
        entry("org", "community", hub="Org"),
    )


def test_summary_counts_each_outcome_per_source(services: FakeServices, catalogue: Path) -> None:
    services.model("org/beta", hub_error("RepoNotFound"))
    services.hub_rename("dataset", "org/corpus", "org/corpus-v2")
    services.dataset("org/corpus-v2")
    result = run("--catalog", catalogue, "enrich")
    assert result.exit_code == 0, result.output
    lines = {
        line.split()[0]: line.split()[1:] for line in result.stdout.splitlines() if line.strip()
    }
    header = [
        "fetched",
        "unchanged",
        "renamed",
        "not",
        "found",
        "gated",
        "disabled",
        "failed",
        "skipped",
    ]
    assert lines["source"] == header
    assert lines["Hub"] == ["2", "0", "1", "1", "0", "0", "0", "0"]
    assert lines["GitHub"] == ["2", "0", "0", "0", "0", "0", "0", "0"]
    assert lines["total"] == ["4", "0", "1", "1", "0", "0", "0", "0"]
    assert "org/corpus: now org/corpus-v2" in result.stdout
    assert "saved" in result.stderr and "enrichment.json" in result.stderr


def test_a_wait_longer_than_allowed_stops_the_service_and_saves_the_rest(
    services: FakeServices, tmp_path: Path
) -> None:
    services.model("org/a")
    services.model("org/b")
    services.model("org/z", too_many(Retry_After="3600"))
    services.repo("org/tool")
    root = write_catalog(
        tmp_path / "c",
        entry("a", hub="org/a"),
        entry("b", hub="org/b"),
        entry("z", hub="org/z"),
        entry("tool", "tool", github="org/tool"),
    )
    result = run("--catalog", root, "enrich", "--max-wait", "5s", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["stopped"]["hub"].startswith("Hub rate limit")
    outcome = {(o["id"], o["source"]): o["status"] for o in report["outcomes"]}
    assert outcome == {
        ("a", "hub"): "fetched",
        ("b", "hub"): "fetched",
        ("z", "hub"): "failed",
        ("tool", "github"): "fetched",
    }
    assert "stopped asking Hub" in result.stderr
    saved = json.loads((root / "enrichment.json").read_text())["entries"]
    assert saved["a"]["hub"]["error"] is None and saved["tool"]["github"]["error"] is None
    assert saved["z"]["hub"]["error"]["kind"] == "rate_limited"


def test_a_second_run_is_unchanged_and_a_refresh_makes_a_small_diff(
    services: FakeServices, catalogue: Path
) -> None:
    assert run("--catalog", catalogue, "enrich").exit_code == 0
    first = snapshot_text(catalogue)
    fresh = run("--catalog", catalogue, "enrich", "--stale-after", "1h")
    assert "enrichment.json unchanged (0 requests)" in fresh.stderr
    assert snapshot_text(catalogue) == first
    again = json.loads(run("--catalog", catalogue, "enrich", "--format", "json").stdout)
    assert {o["status"] for o in again["outcomes"]} == {"unchanged"}
    services.model("org/alpha", downloads=1234)
    assert run("--catalog", catalogue, "enrich").exit_code == 0
    second = snapshot_text(catalogue)
    changed = [
        line
        for line in difflib.unified_diff(
            FIELDS_AT.sub("", first).splitlines(), FIELDS_AT.sub("", second).splitlines(), n=0
        )
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed == ['-          "downloads": 1000,', '+          "downloads": 1234,']


def test_the_snapshot_is_canonical_json_with_sorted_keys(catalogue: Path) -> None:
    run("--catalog", catalogue, "enrich")
    text = snapshot_text(catalogue)
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert list(data["entries"]) == sorted(data["entries"])
    assert parse_snapshot(text).to_text() == text
    assert not list(catalogue.glob(".enrichment.json.*"))  # the atomic write left no temporary file


def test_removed_entries_and_sources_drop_out(catalogue: Path) -> None:
    run("--catalog", catalogue, "enrich")
    (catalogue / "models" / "beta.yaml").unlink()
    alpha = catalogue / "models" / "alpha.yaml"
    alpha.write_text(alpha.read_text().replace("github: org/tool\n", ""))
    result = run("--catalog", catalogue, "enrich", "--offline")
    assert result.exit_code == 0
    entries = json.loads(snapshot_text(catalogue))["entries"]
    assert "beta" not in entries and set(entries["alpha"]) == {"hub"}
    assert "dropped 2 records" in result.stderr


def test_stale_after_skips_fresh_records_but_retries_failures(
    services: FakeServices, catalogue: Path
) -> None:
    services.model("org/beta", server_error(500))
    run("--catalog", catalogue, "enrich")
    services.model("org/beta")
    before = len(services.calls())
    report = json.loads(
        run("--catalog", catalogue, "enrich", "--stale-after", "7d", "--format", "json").stdout
    )
    status = {(o["id"], o["source"]): o["status"] for o in report["outcomes"]}
    assert status.pop(("beta", "hub")) == "fetched"
    assert set(status.values()) == {"skipped"}
    assert [c.path for c in services.calls()[before:]] == ["/api/models/org/beta"]


def test_offline_makes_no_request(services: FakeServices, catalogue: Path) -> None:
    result = run("--catalog", catalogue, "enrich", "--offline")
    assert result.exit_code == 0
    assert services.calls() == []
    assert "offline: no request made; 6 records would be fetched" in result.stderr
    assert not (catalogue / "enrichment.json").exists()  # nothing fetched, nothing written


def test_one_failing_entry_fails_the_run_but_not_the_others(
    services: FakeServices, catalogue: Path
) -> None:
    services.model("org/alpha", hub_error(None, 400, "Bad request"))
    result = run("--catalog", catalogue, "enrich", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["counts"]["hub"]["failed"] == 1 and report["counts"]["hub"]["fetched"] == 3
    assert report["counts"]["github"]["fetched"] == 2


def test_ids_limit_the_run_and_unknown_ids_are_refused(
    services: FakeServices, catalogue: Path
) -> None:
    result = run("--catalog", catalogue, "enrich", "beta", "--source", "hub", "--format", "json")
    assert [(o["id"], o["source"]) for o in json.loads(result.stdout)["outcomes"]] == [
        ("beta", "hub")
    ]
    unknown = run("--catalog", catalogue, "enrich", "betta")
    assert (
        unknown.exit_code == 1 and "no entry 'betta'" in unknown.stderr and "beta" in unknown.stderr
    )
    bad = run("--catalog", catalogue, "enrich", "--stale-after", "a week")
    assert bad.exit_code == 2 and "duration" in bad.stderr


def test_an_unreadable_snapshot_is_left_alone(services: FakeServices, catalogue: Path) -> None:
    (catalogue / "enrichment.json").write_text('{"version": 1, "entries": ')
    result = run("--catalog", catalogue, "enrich")
    assert result.exit_code == 1 and "not a readable enrichment snapshot" in result.stderr
    assert snapshot_text(catalogue) == '{"version": 1, "entries": '
    assert services.calls() == []


def test_no_token_reaches_output_logs_files_or_errors(
    services: FakeServices,
    catalogue: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    hf_token, gh_token = "hf_SecretHubTokenValue0123456789", "plain-ghe-secret-4f9c2a7731"
    monkeypatch.setenv("HF_TOKEN", hf_token)
    monkeypatch.setenv("GITHUB_TOKEN", gh_token)
    services.echo_auth = True
    services.model("org/alpha", server_error(503))
    services.model("org/beta", hub_error("RepoNotFound"))
    services.dataset("org/corpus", hub_error(None, 418, "I refuse"))
    services.repo("org/tool", Answer(401, {"message": "Bad credentials"}))
    services.org("Org", too_many(Retry_After="3600"))
    caplog.set_level(logging.DEBUG)
    result = run("--catalog", catalogue, "enrich", "--max-wait", "1s", "--timeout", "2")
    json_result = run("--catalog", catalogue, "enrich", "--format", "json", "--max-wait", "1s")
    assert result.exit_code == 1
    sent = {c.headers.get("authorization") for c in services.calls()}
    assert {f"Bearer {hf_token}", f"Bearer {gh_token}"} <= sent  # the echo had something to leak
    messages = json.loads(json_result.stdout)["outcomes"]
    assert any("you sent Authorization" in (o["message"] or "") for o in messages)
    for text in (
        result.stdout,
        result.stderr,
        json_result.stdout,
        json_result.stderr,
        snapshot_text(catalogue),
        caplog.text,
    ):
        assert hf_token not in text and gh_token not in text
        assert "SecretHubToken" not in text and "4f9c2a7731" not in text


def test_no_progress_bar_when_stderr_is_not_a_terminal(catalogue: Path) -> None:
    result = run("--catalog", catalogue, "enrich")
    assert "enriching" not in result.stderr and "━" not in result.stderr


def test_a_progress_bar_on_a_terminal(catalogue: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    from openai_catalog.cli import _output

    terminal = io.StringIO()
    console = Console(file=terminal, force_terminal=True, width=100)
    monkeypatch.setattr(_output, "stderr", functools.cache(lambda: console))
    assert run("--catalog", catalogue, "enrich").exit_code == 0
    assert "enriching" in terminal.getvalue() and "6/6" in terminal.getvalue()


@pytest.mark.slow
def test_ctrl_c_saves_the_finished_work(services: FakeServices, tmp_path: Path) -> None:
    names = ["a", "b", "c"]
    for name in names:
        services.model(f"org/{name}")
    services.model("org/stuck", stalled())
    root = write_catalog(
        tmp_path / "catalog", *(entry(n, hub=f"org/{n}") for n in [*names, "stuck"])
    )
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "openai_catalog",
            "--catalog",
            str(root),
            "enrich",
            "--timeout",
            "60",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 60
    while not services.calls("/api/models/org/stuck") and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # let the three quick answers reach the main thread
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted; 3 of 4 fetches finished and were saved" in err
    assert "Traceback" not in err
    entries = json.loads(snapshot_text(root))["entries"]
    assert sorted(entries) == ["a", "b", "c"]


def test_validate_tolerates_an_absent_or_empty_snapshot(mini_copy: Path) -> None:
    assert not (MINI / "enrichment.json").exists()
    assert run("--catalog", MINI, "validate", "--strict").exit_code == 0
    (mini_copy / "enrichment.json").write_text(Snapshot().to_text())
    assert run("--catalog", mini_copy, "validate", "--strict").exit_code == 0


def test_each_variants_repo_is_read_and_the_release_sums_their_figures(
    services: FakeServices, tmp_path: Path
) -> None:
    services.model("org/fam-70b", downloads=1000, likes=10)
    services.model("org/fam-7b", downloads=200, likes=3)
    services.model("org/fam-7b-it", downloads=30, likes=1)
    variants = [
        {"name": "Fam 70B", "hub": "org/fam-70b", "parameters": "70B"},  # the entry's own repo
        {"name": "Fam 7B", "hub": "org/fam-7b", "parameters": "7B"},
        {"name": "Fam 7B Instruct", "hub": "org/fam-7b-it", "parameters": "7B"},
    ]
    root = write_catalog(
        tmp_path / "catalog",
        entry("fam", hub="org/fam-70b", parameters="70B", variants=variants),
    )
    result = run("--catalog", root, "enrich")
    assert result.exit_code == 0, result.output
    asked = sorted(c.path.split("?")[0] for c in services.calls("/api/models/"))
    assert asked == [
        "/api/models/org/fam-70b",
        "/api/models/org/fam-7b",
        "/api/models/org/fam-7b-it",
    ]
    records = parse_snapshot(snapshot_text(root)).entries["fam"]
    assert sorted(records) == ["hub", "hub@org/fam-7b", "hub@org/fam-7b-it"]
    assert records["hub@org/fam-7b"].fields["downloads"] == 200
    _, found = run_json("--catalog", root, "search", "fam", "--format", "json")
    assert found["entries"][0]["id"] == "fam"
    listed = run("--catalog", root, "list", "--format", "csv", "--columns", "id,downloads,likes")
    assert "fam,1230,14" in listed.stdout

    # a variant dropped from the entry drops its record at the next run
    variants.pop()
    write_catalog(root, entry("fam", hub="org/fam-70b", parameters="70B", variants=variants))
    assert run("--catalog", root, "enrich", "--offline").exit_code == 0
    assert sorted(parse_snapshot(snapshot_text(root)).entries["fam"]) == ["hub", "hub@org/fam-7b"]
