"""The Hub through the real huggingface_hub client, against the local stand-in (conftest.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fakeservices import (
    Answer,
    FakeServices,
    hub_error,
    hub_model,
    malformed,
    server_error,
    stalled,
)

from helpers import enrich, entry, statuses, write_catalog
from openai_catalog.enrich.hub import DATASET_EXPAND, MODEL_EXPAND, SPACE_EXPAND
from openai_catalog.enrich.policy import Settings


def test_a_model_is_fetched_with_only_the_fields_we_use(
    services: FakeServices, tmp_path: Path
) -> None:
    services.model("EleutherAI/gpt-j-6b", base_models=["EleutherAI/gpt-j-base"])
    root = write_catalog(tmp_path / "c", entry("gpt-j-6b", hub="EleutherAI/gpt-j-6b"))
    report, entries = enrich(root)
    assert statuses(report) == {"gpt-j-6b": "fetched"}
    record = entries["gpt-j-6b"]["hub"]
    assert record["error"] is None and record["repo"] == "EleutherAI/gpt-j-6b"
    assert record["fields"] == {
        "resolved_id": "EleutherAI/gpt-j-6b",
        "downloads": 48213,
        "likes": 1520,
        "created_at": "2021-06-03T12:00:00Z",
        "last_modified": "2024-01-05T08:30:00Z",
        "license": "apache-2.0",
        "gated": False,
        "disabled": False,
        "pipeline_tag": "text-generation",
        "library": "transformers",
        "parameters": 6_053_381_344,
        "tags": sorted(
            ["transformers", "safetensors", "text-generation", "en", "license:apache-2.0"]
        ),
        "base_models": ["EleutherAI/gpt-j-base"],
    }
    [call] = services.calls("/api/")
    assert call.path == "/api/models/EleutherAI/gpt-j-6b"
    assert call.query["expand"] == MODEL_EXPAND


def test_the_call_fits_the_kind_dataset_space_and_organisation(
    services: FakeServices, tmp_path: Path
) -> None:
    services.dataset("EleutherAI/pile", license="mit")
    services.space("someone/demo")
    services.org("EleutherAI", followers=9000)
    root = write_catalog(
        tmp_path / "c",
        entry("pile", "dataset", hub="EleutherAI/pile"),
        entry("demo", "tool", hub="someone/demo"),
        entry("eleutherai", "community", hub="EleutherAI"),
    )
    report, entries = enrich(root)
    assert set(statuses(report).values()) == {"fetched"}
    calls = {c.path: c.query for c in services.calls("/api/")}
    assert calls["/api/datasets/EleutherAI/pile"]["expand"] == DATASET_EXPAND
    assert calls["/api/spaces/someone/demo"]["expand"] == SPACE_EXPAND
    assert "/api/organizations/EleutherAI/overview" in calls
    assert entries["pile"]["hub"]["fields"]["license"] == "mit"
    assert entries["demo"]["hub"]["fields"]["sdk"] == "gradio"
    assert entries["eleutherai"]["hub"]["fields"]["followers"] == 9000
    assert entries["eleutherai"]["hub"]["fields"]["account"] == "organization"


def test_a_community_that_is_a_user_account_falls_back_to_the_user(
    services: FakeServices, tmp_path: Path
) -> None:
    services.user("hexgrad")
    root = write_catalog(tmp_path / "c", entry("hexgrad", "community", hub="hexgrad"))
    report, entries = enrich(root)
    assert statuses(report) == {"hexgrad": "fetched"}
    assert entries["hexgrad"]["hub"]["fields"]["account"] == "user"
    assert [c.path for c in services.calls("/api/")] == [
        "/api/organizations/hexgrad/overview",
        "/api/users/hexgrad/overview",
    ]


def test_a_307_rename_is_followed_and_recorded(services: FakeServices, tmp_path: Path) -> None:
    services.hub_rename("model", "bert-base-uncased", "google-bert/bert-base-uncased")
    services.model("google-bert/bert-base-uncased")
    root = write_catalog(tmp_path / "c", entry("bert", hub="bert-base-uncased"))
    report, entries = enrich(root)
    assert statuses(report) == {"bert": "renamed"}
    assert entries["bert"]["hub"]["repo"] == "bert-base-uncased"
    assert entries["bert"]["hub"]["fields"]["resolved_id"] == "google-bert/bert-base-uncased"
    followed = services.calls("/api/models/google-bert/")
    assert followed and followed[0].query["expand"] == MODEL_EXPAND


def test_missing_gated_and_disabled_repos_are_told_apart(
    services: FakeServices, tmp_path: Path
) -> None:
    services.model("org/gone", hub_error("RepoNotFound", 401, "Invalid username or password."))
    services.model(
        "org/refused", hub_error("GatedRepo", 403, "Access to model org/refused is restricted.")
    )
    services.model("org/taken-down", hub_error(None, 403, "Access to this resource is disabled."))
    services.model("org/gated", gated="manual")
    services.model("org/off", disabled=True)
    root = write_catalog(
        tmp_path / "c",
        *(
            entry(n, hub=f"org/{n}")
            for n in ("gone", "refused", "taken-down", "gated", "off", "never")
        ),
    )
    report, entries = enrich(root)
    assert statuses(report) == {
        "gone": "not_found",
        "refused": "gated",
        "taken-down": "disabled",
        "gated": "gated",
        "off": "disabled",
        "never": "not_found",
    }
    assert entries["gone"]["hub"]["error"]["kind"] == "not_found"
    assert entries["refused"]["hub"]["error"]["kind"] == "gated"
    assert entries["gated"]["hub"]["fields"]["gated"] == "manual"
    assert report.failed == 0


def test_5xx_is_retried_with_backoff_until_it_answers(
    services: FakeServices, tmp_path: Path
) -> None:
    services.model("org/flaky", server_error(503), server_error(502), hub_model("org/flaky"))
    root = write_catalog(tmp_path / "c", entry("flaky", hub="org/flaky"))
    report, _ = enrich(root)
    assert statuses(report) == {"flaky": "fetched"}
    assert len(services.calls("/api/models/org/flaky")) == 3


def test_a_lasting_5xx_fails_that_entry_only(services: FakeServices, tmp_path: Path) -> None:
    services.model("org/down", server_error(500))
    services.model("org/up")
    root = write_catalog(tmp_path / "c", entry("down", hub="org/down"), entry("up", hub="org/up"))
    report, entries = enrich(root, Settings(backoff=0.01, retries=2))
    assert statuses(report) == {"down": "failed", "up": "fetched"}
    assert len(services.calls("/api/models/org/down")) == 3
    error = entries["down"]["hub"]["error"]
    assert error["kind"] == "server_error" and "HTTP 500" in error["message"]
    assert "3 attempts" in error["message"]


def test_a_stalled_answer_times_out_and_is_retried(services: FakeServices, tmp_path: Path) -> None:
    services.model("org/stuck", stalled())
    services.model("org/fine")
    root = write_catalog(
        tmp_path / "c", entry("stuck", hub="org/stuck"), entry("fine", hub="org/fine")
    )
    report, entries = enrich(root, Settings(timeout=0.3, retries=1, backoff=0.01))
    assert statuses(report) == {"stuck": "failed", "fine": "fetched"}
    assert entries["stuck"]["hub"]["error"]["kind"] == "timeout"
    assert len(services.calls("/api/models/org/stuck")) == 2


def test_calls_without_a_timeout_argument_get_one_from_the_client(
    services: FakeServices, tmp_path: Path
) -> None:
    """HfApi.get_organization_overview takes no `timeout`; the installed client supplies one."""
    services.org("SlowOrg", stalled())
    root = write_catalog(tmp_path / "c", entry("slow-org", "community", hub="SlowOrg"))
    report, entries = enrich(root, Settings(timeout=0.3, retries=0, backoff=0.01))
    assert statuses(report) == {"slow-org": "failed"}
    assert entries["slow-org"]["hub"]["error"]["kind"] == "timeout"


def test_malformed_json_fails_without_a_retry(services: FakeServices, tmp_path: Path) -> None:
    services.model("org/garbled", malformed())
    services.model("org/no-id", {"_id": "65a", "downloads": 3})
    root = write_catalog(
        tmp_path / "c", entry("garbled", hub="org/garbled"), entry("no-id", hub="org/no-id")
    )
    report, entries = enrich(root)
    assert statuses(report) == {"garbled": "failed", "no-id": "failed"}
    assert entries["garbled"]["hub"]["error"]["kind"] == "malformed"
    assert len(services.calls("/api/models/org/garbled")) == 1


def test_a_body_missing_fields_keeps_what_it_has(services: FakeServices, tmp_path: Path) -> None:
    body = hub_model("org/sparse", downloads=None, likes=None, parameters=None, license=None)
    del body["createdAt"], body["cardData"], body["gated"]
    services.model("org/sparse", Answer(200, body))
    root = write_catalog(tmp_path / "c", entry("sparse", hub="org/sparse"))
    report, entries = enrich(root)
    assert statuses(report) == {"sparse": "fetched"}
    fields = entries["sparse"]["hub"]["fields"]
    assert "downloads" not in fields and "parameters" not in fields and "license" not in fields
    assert (
        fields["last_modified"] == "2024-01-05T08:30:00Z" and fields["resolved_id"] == "org/sparse"
    )


def test_the_licence_and_base_models_are_read_from_whichever_place_of_the_card_holds_them() -> None:
    from types import SimpleNamespace

    from openai_catalog.enrich import hub

    assert hub._license({"license": ["mit"]}, None) == "mit"
    assert hub._license({"license": ["mit", "apache-2.0"]}, ["en", "license:other"]) == "other"
    assert hub._license({}, None) is None
    info = SimpleNamespace(
        base_models={"relation": "finetune", "models": [{"id": "a/b"}, "c/d", {}]}
    )
    assert hub._base_models(info, {}) == ["a/b", "c/d"]
    bare = SimpleNamespace(base_models=None)
    assert hub._base_models(bare, {"base_model": "e/f"}) == ["e/f"]
    assert hub._base_models(bare, {"base_model": ["g/h", 3]}) == ["g/h"]
    assert hub._base_models(bare, {}) is None

    def unreadable() -> None:
        raise ValueError("bad card")

    assert hub._card(SimpleNamespace(card_data={"license": "mit"})) == {"license": "mit"}
    assert hub._card(SimpleNamespace(card_data=SimpleNamespace(to_dict=unreadable))) == {}
    assert hub._card(SimpleNamespace(card_data=SimpleNamespace(to_dict=lambda: ["x"]))) == {}
    assert hub._card(SimpleNamespace()) == {}


def test_a_surprise_about_one_entry_is_recorded_and_the_others_go_on(
    services: FakeServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openai_catalog.enrich import hub

    services.model("org/a")
    services.model("org/b")
    root = write_catalog(tmp_path / "c", entry("a", hub="org/a"), entry("b", hub="org/b"))
    real = hub.HubClient.fetch

    def fetch(self: hub.HubClient, kind: str, repo: str) -> dict[str, Any]:
        if repo == "org/a":
            raise RuntimeError("surprise")
        return real(self, kind, repo)

    monkeypatch.setattr(hub.HubClient, "fetch", fetch)
    report, entries = enrich(root)
    assert statuses(report) == {"a": "failed", "b": "fetched"} and report.fetched == 2
    assert entries["a"]["hub"]["error"]["message"] == "unexpected RuntimeError: surprise"


def test_an_entry_that_stops_validating_keeps_its_records(
    services: FakeServices, tmp_path: Path
) -> None:
    services.model("org/a")
    root = write_catalog(tmp_path / "c", entry("a", hub="org/a"))
    enrich(root)
    path = root / "models" / "a.yaml"
    path.write_text(path.read_text().replace("summary:", "summry:"))
    (root / "models" / "no-id.yaml").write_text("name: No id\n")
    report, entries = enrich(root, offline=True)
    assert "a" in entries and report.removed == 0
