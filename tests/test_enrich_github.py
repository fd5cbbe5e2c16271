"""GitHub through requests, against the local stand-in (conftest.py points GITHUB_API_URL at it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakeservices import (
    GITHUB_PREFIX,
    Answer,
    FakeServices,
    github_repo,
    malformed,
    server_error,
    stalled,
)

from helpers import enrich, entry, statuses, write_catalog
from openai_catalog.enrich.github import api_url
from openai_catalog.enrich.policy import Settings


def test_a_repository_gives_stars_forks_licence_topics_and_activity(
    services: FakeServices, tmp_path: Path
) -> None:
    services.repo("kingoflolz/mesh-transformer-jax", topics=["transformer", "jax"])
    root = write_catalog(
        tmp_path / "c", entry("mtj", "tool", github="kingoflolz/mesh-transformer-jax")
    )
    report, entries = enrich(root)
    status = statuses(report)
    assert status == {"mtj": "fetched"}
    assert entries["mtj"]["github"]["fields"] == {
        "resolved": "kingoflolz/mesh-transformer-jax",
        "stars": 6080,
        "forks": 890,
        "archived": False,
        "disabled": False,
        "pushed_at": "2024-11-02T10:20:30Z",
        "license": "Apache-2.0",
        "topics": ["jax", "transformer"],
        "description": "Model parallel transformers in JAX and Haiku",
    }
    [call] = services.calls(GITHUB_PREFIX)
    assert call.path == f"{GITHUB_PREFIX}/repos/kingoflolz/mesh-transformer-jax"
    assert call.headers["accept"] == "application/vnd.github+json"
    assert "authorization" not in call.headers


def test_a_301_rename_is_followed_and_the_new_name_recorded(
    services: FakeServices, tmp_path: Path
) -> None:
    services.github_rename("old-owner/old-name", "new-owner/new-name")
    root = write_catalog(tmp_path / "c", entry("moved", "tool", github="old-owner/old-name"))
    report, entries = enrich(root)
    status = statuses(report)
    assert status == {"moved": "renamed"}
    assert entries["moved"]["github"]["fields"]["resolved"] == "new-owner/new-name"
    assert [c.path.split("/")[2] for c in services.calls(GITHUB_PREFIX)] == [
        "repos",
        "repositories",
    ]


def test_missing_archived_and_licence_less_repositories(
    services: FakeServices, tmp_path: Path
) -> None:
    services.repo("org/old", archived=True, license_spdx=None)
    root = write_catalog(
        tmp_path / "c",
        entry("old", "tool", github="org/old"),
        entry("gone", "tool", github="org/gone"),
    )
    report, entries = enrich(root)
    status = statuses(report)
    assert status == {"old": "fetched", "gone": "not_found"}
    assert entries["old"]["github"]["fields"]["archived"] is True
    assert "license" not in entries["old"]["github"]["fields"]
    assert entries["gone"]["github"]["error"]["kind"] == "not_found"


def test_the_token_is_sent_when_set(
    services: FakeServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "gho_test_token_value_123")
    services.repo("org/repo")
    root = write_catalog(tmp_path / "c", entry("repo", "tool", github="org/repo"))
    enrich(root)
    assert (
        services.calls(GITHUB_PREFIX)[0].headers["authorization"]
        == "Bearer gho_test_token_value_123"
    )


def test_github_api_url_is_respected(
    services: FakeServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A GitHub Enterprise style base with a path: only the fake under /ghe/... answers."""
    monkeypatch.setenv("GITHUB_API_URL", services.url + "/web/ghe/")
    assert api_url() == services.url + "/web/ghe"
    services.page("ghe/repos/org/repo", Answer(200, github_repo("org/repo", stars=7)))
    root = write_catalog(tmp_path / "c", entry("repo", "tool", github="org/repo"))
    report, entries = enrich(root)
    status = statuses(report)
    assert status == {"repo": "fetched"} and entries["repo"]["github"]["fields"]["stars"] == 7
    assert services.calls(GITHUB_PREFIX) == []


def test_failures_are_recorded_and_old_figures_kept(services: FakeServices, tmp_path: Path) -> None:
    services.repo("org/a", stars=10)
    services.repo("org/b")
    root = write_catalog(
        tmp_path / "c", entry("a", "tool", github="org/a"), entry("b", "tool", github="org/b")
    )
    enrich(root)
    services.repo("org/a", server_error(502))
    services.repo("org/b", stalled())
    report, entries = enrich(root, Settings(backoff=0.01, timeout=0.3, retries=1))
    status = statuses(report)
    assert status == {"a": "failed", "b": "failed"}
    assert entries["a"]["github"]["error"]["kind"] == "server_error"
    assert entries["a"]["github"]["fields"]["stars"] == 10  # the last good figures stay
    assert entries["b"]["github"]["error"]["kind"] == "timeout"


def test_malformed_json_from_github(services: FakeServices, tmp_path: Path) -> None:
    services.repo("org/bad", malformed())
    root = write_catalog(tmp_path / "c", entry("bad", "tool", github="org/bad"))
    report, entries = enrich(root)
    status = statuses(report)
    assert status == {"bad": "failed"} and entries["bad"]["github"]["error"]["kind"] == "malformed"


def test_each_kind_of_refusal_is_recorded_as_what_it_means(
    services: FakeServices, tmp_path: Path
) -> None:
    services.repo("org/legal", Answer(451, {"message": "Repository access blocked"}))
    services.repo("org/broken", *[Answer(502, "<html>bad gateway</html>")] * 3)
    services.repo("org/secret", Answer(401, {"message": "Bad credentials"}))
    services.repo("org/teapot", Answer(418, "not json"))
    root = write_catalog(
        tmp_path / "c",
        *(entry(n, "tool", github=f"org/{n}") for n in ("legal", "broken", "secret", "teapot")),
    )
    report, entries = enrich(root, Settings(backoff=0.01, timeout=2.0, retries=2))
    assert statuses(report) == {
        "legal": "disabled",
        "broken": "failed",
        "secret": "failed",
        "teapot": "failed",
    }
    errors = {name: entries[name]["github"]["error"] for name in entries}
    assert errors["legal"]["kind"] == "disabled" and "legal reasons" in errors["legal"]["message"]
    assert (
        errors["broken"]["kind"] == "server_error" and "(3 attempts)" in errors["broken"]["message"]
    )
    assert (
        errors["secret"]["kind"] == "unauthorized" and "GITHUB_TOKEN" in errors["secret"]["message"]
    )
    assert errors["teapot"]["kind"] == "http_error" and "not json" in errors["teapot"]["message"]
