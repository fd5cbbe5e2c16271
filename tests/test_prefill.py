"""`catalog add --from-hub`: the Hub's answer, through the real client, as field values."""

from __future__ import annotations

import json

import pytest
from fakeservices import hub_dataset, hub_error

from helpers import MINI
from openai_catalog.enrich.prefill import HubPrefillFailed, hub_prefill, hub_values
from openai_catalog.registry import load_catalog


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return load_catalog(MINI)


def test_a_model_repo_fills_what_the_hub_states(services, catalog) -> None:  # type: ignore[no-untyped-def]
    services.model(
        "EleutherAI/pythia-1b",
        license="apache-2.0",
        gated=False,
        parameters=1_011_781_632,
        pipeline_tag="text-generation",
        base_models=["EleutherAI/gpt-j-6b"],
        created="2023-02-13T10:00:00.000Z",
    )
    values = hub_values("model", "EleutherAI/pythia-1b", catalog)
    assert values == {
        "name": "pythia-1b",
        "hub": "EleutherAI/pythia-1b",
        "url": "https://huggingface.co/EleutherAI/pythia-1b",
        "sources": ["https://huggingface.co/EleutherAI/pythia-1b"],
        "license": "Apache-2.0",  # the Hub's id mapped through the licence table
        "released": "2023-02-13",
        "modalities": ["text"],
        "tags": ["text-generation"],
        "parameters": 1_011_781_632,
        "weights": "open",
        "by": ["eleutherai"],  # the Hub author, a community of the catalogue
        "based_on": ["gpt-j-6b"],  # a base model the catalogue has
    }


def test_gated_repos_and_unmapped_licences(services, catalog) -> None:  # type: ignore[no-untyped-def]
    services.model(
        "someone/gated-model",
        license="some-custom-thing",
        gated="manual",
        pipeline_tag="text-to-image",
    )
    values = hub_values("model", "someone/gated-model", catalog)
    assert values["weights"] == "gated"
    assert "license" not in values and "by" not in values  # nothing guessed
    assert values["modalities"] == ["text", "image"]


def test_a_dataset_repo(services, catalog) -> None:  # type: ignore[no-untyped-def]
    services.dataset("EleutherAI/some-data", license="mit")
    values = hub_values("dataset", "EleutherAI/some-data", catalog)
    assert values["url"] == "https://huggingface.co/datasets/EleutherAI/some-data"
    assert values["license"] == "MIT" and values["by"] == ["eleutherai"]


def test_the_card_text_is_read_at_the_revision_the_hub_answered(services, catalog) -> None:  # type: ignore[no-untyped-def]
    services.dataset("EleutherAI/some-data", license="mit")
    services.readme(
        "dataset", "EleutherAI/some-data", "# Some data\n\n**Release Date:** January 3, 2022\n"
    )
    sha = hub_dataset("EleutherAI/some-data")["sha"]
    said = hub_prefill("dataset", "EleutherAI/some-data", catalog)
    assert [c.path for c in services.calls() if c.path.endswith("/README.md")] == [
        f"/datasets/EleutherAI/some-data/resolve/{sha}/README.md"
    ]
    assert said.values["released"] == "2022-01-03"  # the card's date, the Hub's was 2022-01-10
    assert said.evidence["released"] == [
        {
            "source": f"https://huggingface.co/datasets/EleutherAI/some-data/blob/{sha}/README.md",
            "quote": "Release Date: January 3, 2022",
        }
    ]


def test_a_card_text_the_hub_does_not_give_leaves_the_hubs_date(services, catalog) -> None:  # type: ignore[no-untyped-def]
    services.model("someone/no-text", created="2023-02-13T10:00:00.000Z")
    said = hub_prefill("model", "someone/no-text", catalog)  # README.md answers 404 here
    assert said.values["released"] == "2023-02-13" and "released" not in said.evidence
    assert [c.path for c in services.calls() if c.path.endswith("/README.md")]


def test_a_missing_repo_is_a_clear_error(services, catalog) -> None:  # type: ignore[no-untyped-def]
    services.model("nobody/nothing", hub_error("RepoNotFound", 404))
    with pytest.raises(HubPrefillFailed) as caught:
        hub_values("model", "nobody/nothing", catalog)
    assert "nobody/nothing" in caught.value.message and "case matters" in (caught.value.hint or "")


def test_add_from_hub_writes_a_valid_entry(services, mini_copy) -> None:  # type: ignore[no-untyped-def]
    import yaml

    from helpers import run

    services.model(
        "EleutherAI/pythia-1b",
        license="apache-2.0",
        parameters=1_011_781_632,
        created="2023-02-13T10:00:00.000Z",
    )
    result = run(
        "--catalog",
        mini_copy,
        "add",
        "model",
        "--from-hub",
        "EleutherAI/pythia-1b",
        "--name",
        "Pythia 1B",
        "--summary",
        "A one-billion-parameter model of EleutherAI's Pythia suite, used in the tests.",
        "--yes",
    )
    assert result.exit_code == 0, result.output
    path = mini_copy / "models" / "pythia-1b.yaml"
    data = yaml.safe_load(path.read_text())
    assert data["name"] == "Pythia 1B"  # the flag wins over the repo name
    assert data["hub"] == "EleutherAI/pythia-1b" and data["license"] == "Apache-2.0"
    assert data["by"] == ["eleutherai"] and data["parameters"] == 1_011_781_632
    assert data["released"] == "2023-02-13"
    assert run("--catalog", mini_copy, "validate", path).exit_code == 0
    # The licence comes with the card's own line as evidence; what the Hub's API alone states
    # (dates, counts, gating) is not yet backed by the words of a page: the contributor adds it.
    assert data["evidence"]["license"][0]["quote"] == "license: apache-2.0"
    report = json.loads(run("--catalog", mini_copy, "validate", "--format", "json", path).stdout)
    assert {f["rule"] for f in report["findings"]} == {"CAT090"}
    assert {f["message"] for f in report["findings"]} == {
        "no evidence for `released`",
        "no evidence for `parameters`",
        "no evidence for `weights`",
    }


def test_add_from_a_missing_repo_writes_nothing(services, mini_copy) -> None:  # type: ignore[no-untyped-def]
    from helpers import run

    services.model("nobody/nothing", hub_error("RepoNotFound", 404))
    before = sorted(p.name for p in (mini_copy / "models").iterdir())
    result = run("--catalog", mini_copy, "add", "model", "--from-hub", "nobody/nothing", "--yes")
    assert result.exit_code == 1
    assert "nobody/nothing" in result.stderr and "Traceback" not in result.output
    assert sorted(p.name for p in (mini_copy / "models").iterdir()) == before


def test_add_from_hub_refuses_a_repo_already_in_the_catalogue(services, mini_copy) -> None:  # type: ignore[no-untyped-def]
    from helpers import run

    services.model("EleutherAI/gpt-j-6b")
    result = run(
        "--catalog",
        mini_copy,
        "add",
        "model",
        "--from-hub",
        "EleutherAI/gpt-j-6b",
        "--name",
        "Another GPT-J",
        "--summary",
        "A second entry for a repo the catalogue has.",
        "--yes",
    )
    assert result.exit_code == 1 and "gpt-j-6b" in result.stderr
