"""`catalog add --from-hub` on real cards, and `catalog add tool --from-github`.

The cards are tests/fixtures/hub/cards: recorded Hub API answers (huggingface_hub's VCR
cassettes) and front matters read on the Hub's own pages, each with a .source.txt that cites
where it came from; the local stand-in serves them (FakeServices.recorded). Each card's whole
pre-filled entry, its evidence and its notes are in tests/fixtures/hub/expected.json, reviewed by
hand: a change in the mapping shows there as a diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fakeservices import recorded_cards

from helpers import MINI, run
from openai_catalog.enrich.prefill import (
    LEGACY_PIPELINE_MODALITIES,
    PIPELINE_MODALITIES,
    GithubPrefillFailed,
    github_prefill,
    hub_prefill,
)
from openai_catalog.registry import load_catalog
from openai_catalog.schema import Modality

HUB = Path(__file__).parent / "fixtures" / "hub"
ROOT = Path(__file__).resolve().parent.parent
EXPECTED = json.loads((HUB / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    """The entries the recorded cards meet, copied from the shipped catalogue with its licence
    table: the expected entries change when the pre-fill does, not whenever the catalogue grows."""
    return load_catalog(HUB / "catalog")


@pytest.fixture(scope="module")
def mini():  # type: ignore[no-untyped-def]
    return load_catalog(MINI)


def test_at_least_25_real_cards_are_recorded_each_with_its_source() -> None:
    cards = sorted((HUB / "cards").glob("*.json")) + sorted((HUB / "cards").glob("*.card.yaml"))
    assert len(cards) >= 25
    for card in cards:
        stem = card.name.removesuffix(".json").removesuffix(".card.yaml")
        source = (HUB / "cards" / f"{stem}.source.txt").read_text(encoding="utf-8")
        assert "REAL" in source and "huggingface" in source.lower(), card.name
    kinds = {kind for kind, _ in recorded_cards()}
    assert kinds == {"model", "dataset"}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_every_recorded_card_prefills_the_whole_expected_entry(services, catalog, key) -> None:  # type: ignore[no-untyped-def]
    services.recorded()
    kind, repo = key.split(" ", 1)
    said = hub_prefill(kind, repo, catalog)
    assert {
        "values": said.values,
        "evidence": said.evidence,
        "notes": said.notes,
        "suggestions": said.suggestions,
    } == EXPECTED[key]


def test_the_recorded_cards_cover_every_case_of_the_issue() -> None:
    values = {k: v["values"] for k, v in EXPECTED.items()}
    notes = " ".join(n for v in EXPECTED.values() for n in v["notes"])
    # license: other resolved by license_name through the licence table
    assert values["model Qwen/Qwen-7B-Chat"]["license"] == "Qwen-License"
    # datasets: as trained_on, through the Hub's move of canonical ids (glue -> nyu-mll/glue)
    assert values["model distilbert/distilbert-base-uncased-finetuned-sst-2-english"][
        "trained_on"
    ] == ["glue"]
    assert "sst2 are not in the catalogue" in notes
    # base_model under a renamed id (Meta-Llama-3.1-8B, now Llama-3.1-8B, a variant of llama-3-1)
    assert values["model meta-llama/Llama-3.1-8B-Instruct"]["based_on"] == ["llama-3-1"]
    assert "fine-tune" in values["model meta-llama/Llama-3.1-8B-Instruct"]["tags"]
    assert "mistral-community/Mixtral-8x22B-v0.1 is not in the catalogue" in notes
    # a repository renamed on the Hub: the entry takes the new id
    assert values["model bert-base-uncased"]["hub"] == "google-bert/bert-base-uncased"
    # the 2022-03-02 migration date is never a release date
    migrated = [k for k, v in EXPECTED.items() if "2022-03-02, the day" in " ".join(v["notes"])]
    assert len(migrated) >= 10
    assert all("released" not in values[k] for k in migrated)
    # ... its paper's month is only offered as the answer to the question
    assert EXPECTED["model google-bert/bert-base-uncased"]["suggestions"] == {"released": "2018-10"}
    # arXiv tags, dataset languages, gating
    assert values["model Salesforce/blip-image-captioning-base"]["paper"] == "2201.12086"
    assert values["dataset legacy-datasets/c4"]["languages"] == ["en"]
    assert values["dataset LanguageShades/BiasShades"]["access"] == "gated"
    # several licences: an AND expression, with a notice to check it
    assert values["dataset wikimedia/wikipedia"]["license"] == "CC-BY-SA-3.0 AND GFDL"
    assert "the card lists several licences (cc-by-sa-3.0, gfdl)" in notes
    # license: other through the licence table: DeepSeek, FLUX, Qwen (and Gemma, Llama by their ids)
    assert values["model deepseek-ai/DeepSeek-Coder-V2-Base"]["license"] == "DeepSeek-License"
    assert values["model mit-han-lab/FLUX.1-dev-LoRA-Collections"]["license"] == (
        "FLUX-1-dev-Non-Commercial"
    )
    assert values["model MaziyarPanahi/calme-2.1-qwen2-72b"]["license"] == "Qwen-License"
    assert values["model qwp4w3hyb/gemma-2-9b-it-iMat-GGUF"]["license"] == "Gemma-Terms"
    # base_model as a list, each kind of derivation kept as a tag, unmatched bases reported
    assert values["model mit-han-lab/FLUX.1-dev-LoRA-Collections"]["based_on"] == [
        "flux-1-dev",
        "flux-1-schnell",
    ]
    relations = {
        "model sayakpaul/FLUX.1-merged": "merge",
        "model iproskurina/Mistral-7B-v0.1-GPTQ-3bit-g64": "quantized",
        "model xianglingjing/llama-2-7b-int4-text-to-sql-LoRA": "adapter",  # library_name: peft
        "model meta-llama/Llama-3.1-8B-Instruct": "fine-tune",
    }
    for key, tag in relations.items():
        assert tag in values[key]["tags"] and values[key]["based_on"], key
    assert (
        "the base models google/gemma-3-4b-it-qat-q4_0-gguf, bartowski/google_gemma-3-4b-it-GGUF "
        "are not in the catalogue" in notes
    )
    # a release date the card states wins over the Hub's creation date, with the card line as
    # evidence; a repository created after its paper's month is not dated by its creation
    llama = EXPECTED["model meta-llama/Llama-3.1-8B-Instruct"]
    assert llama["values"]["released"] == "2024-07-23"
    assert llama["evidence"]["released"][0]["quote"] == "Model Release Date: July 23, 2024."
    blip = EXPECTED["model Salesforce/blip-image-captioning-base"]
    assert "released" not in blip["values"] and blip["suggestions"] == {"released": "2022-01"}
    # datasets count as much as models
    assert sum(k.startswith("dataset ") for k in EXPECTED) >= 6


def test_every_pipeline_tag_of_the_hub_has_modalities() -> None:
    recorded = json.loads((HUB / "pipeline-tags.json").read_text(encoding="utf-8"))
    assert recorded["repository"] == "huggingface/huggingface.js" and len(recorded["commit"]) == 40
    assert set(recorded["tags"]) == set(PIPELINE_MODALITIES)
    assert not set(LEGACY_PIPELINE_MODALITIES) & set(recorded["tags"])
    allowed = {m.value for m in Modality}
    for tag, modalities in {**PIPELINE_MODALITIES, **LEGACY_PIPELINE_MODALITIES}.items():
        assert set(modalities) <= allowed, tag
    assert [t for t, m in PIPELINE_MODALITIES.items() if not m] == [
        "reinforcement-learning",
        "robotics",
        "any-to-any",
        "other",
    ]


# Cases no recorded card shows: the same mapping, fed the fields a card would give.
def _fields(card: dict[str, Any], tags: list[str] = (), **extra: Any) -> dict[str, Any]:  # type: ignore[assignment]
    return {
        "resolved_id": "someone/derived",
        "card": card,
        "tags": list(tags),
        "sha": "0" * 40,
        **extra,
    }


def test_several_licences_become_an_expression_with_a_notice(catalog) -> None:  # type: ignore[no-untyped-def]
    said = hub_prefill(
        "dataset", "someone/derived", catalog, _fields({"license": ["cc-by-sa-3.0", "gfdl"]})
    )
    assert said.values["license"] == "CC-BY-SA-3.0 AND GFDL"
    assert any("several licences" in n and "OR" in n for n in said.notes)
    assert "license" not in said.evidence  # a list is not one line of the card


def test_license_other_resolves_by_name_then_by_link(catalog) -> None:  # type: ignore[no-untyped-def]
    by_name = hub_prefill(
        "model",
        "x/y",
        catalog,
        _fields(
            {
                "license": "other",
                "license_name": "flux-1-dev-non-commercial-license",
                "license_link": "LICENSE.md",
            }
        ),
    )
    assert by_name.values["license"] == "FLUX-1-dev-Non-Commercial"
    assert by_name.evidence["license"] == [
        {
            "source": "https://huggingface.co/someone/derived/blob/" + "0" * 40 + "/README.md",
            "quote": "license_name: flux-1-dev-non-commercial-license",
        }
    ]
    by_link = hub_prefill(
        "model",
        "x/y",
        catalog,
        _fields(
            {
                "license": "other",
                "license_name": "some-name",
                "license_link": "https://huggingface.co/black-forest-labs/FLUX.1-dev/blob/main/LICENSE.md",
            }
        ),
    )
    assert by_link.values["license"] == "FLUX-1-dev-Non-Commercial"
    unknown = hub_prefill(
        "model",
        "x/y",
        catalog,
        _fields(
            {"license": "other", "license_name": "acme-model-license", "license_link": "LICENSE"}
        ),
    )
    assert "license" not in unknown.values
    assert any("acme-model-license" in n and "licenses.yaml" in n for n in unknown.notes)


@pytest.mark.parametrize(
    "relation,tag",
    [
        ("finetune", "fine-tune"),
        ("adapter", "adapter"),
        ("merge", "merge"),
        ("quantized", "quantized"),
    ],
)
def test_base_models_as_a_list_keep_the_relation(catalog, relation, tag) -> None:  # type: ignore[no-untyped-def]
    said = hub_prefill(
        "model",
        "x/y",
        catalog,
        _fields(
            {
                "base_model": [
                    "black-forest-labs/FLUX.1-dev",
                    "Black-Forest-Labs/flux.1-SCHNELL",
                    "nobody/unknown-base",
                ],
                "base_model_relation": relation,
            }
        ),
    )
    assert said.values["based_on"] == ["flux-1-dev", "flux-1-schnell"]
    assert tag in said.values["tags"]
    assert any("nobody/unknown-base is not in the catalogue" in n for n in said.notes)


def test_a_release_date_the_card_states_is_read_from_its_text(catalog) -> None:  # type: ignore[no-untyped-def]
    text = "\n".join(
        [
            "## Model Details",
            "```",
            "Release date: 1 January 2000 (in a code block: not the card's statement)",
            "```",
            "| **Release Date** | 3rd May 2022 |",
            "Weights first released in our repository on May 3rd 2022.",
        ]
    )
    said = hub_prefill(
        "model",
        "x/y",
        catalog,
        _fields({}, created_at="2022-05-11T10:00:00.000Z", card_text=text),
    )
    assert said.values["released"] == "2022-05-03"  # earlier than the repository's creation
    assert said.evidence["released"] == [
        {
            "source": "https://huggingface.co/someone/derived/blob/" + "0" * 40 + "/README.md",
            "quote": "Release Date | 3rd May 2022",
        }
    ]
    assert any("not the day the Hub created the repository (2022-05-11)" in n for n in said.notes)


def test_a_card_stating_several_dates_or_read_without_a_revision_only_offers_one(catalog) -> None:  # type: ignore[no-untyped-def]
    several = hub_prefill(
        "model",
        "x/y",
        catalog,
        _fields({}, card_text="Release date: July 23, 2024\nRelease date: Sept 25, 2024\n"),
    )
    assert "released" not in several.values and "released" not in several.evidence
    assert several.suggestions == {"released": "2024-07-23"}
    assert any("Release date: Sept 25, 2024" in n for n in several.notes)
    unquotable = hub_prefill(
        "model",
        "x/y",
        catalog,
        {**_fields({}, card_text="**Model Release Date:** July 23, 2024."), "sha": None},
    )
    assert "released" not in unquotable.values
    assert unquotable.suggestions == {"released": "2024-07-23"}
    nonsense = hub_prefill(
        "model",
        "x/y",
        catalog,
        _fields({}, card_text="Release date: February 30, 2024\nRelease date: Smarch 12, 2024\n"),
    )
    assert "released" not in nonsense.values and not nonsense.suggestions
    iso = hub_prefill(
        "dataset", "x/y", catalog, _fields({}, card_text="- Release date: 2024-07-23")
    )
    assert iso.values["released"] == "2024-07-23"
    assert iso.evidence["released"][0]["quote"] == "Release date: 2024-07-23"


def test_a_card_without_a_date_of_its_own_asks_for_released(catalog) -> None:  # type: ignore[no-untyped-def]
    said = hub_prefill(
        "model",
        "x/y",
        catalog,
        _fields(
            {}, ["arxiv:2101.00027", "arxiv:2005.14165"], created_at="2022-03-02T23:29:04.000Z"
        ),
    )
    assert "released" not in said.values and "paper" not in said.values
    assert any("give --released" in n for n in said.notes)


def test_add_from_hub_on_a_real_card_writes_the_entry_with_its_evidence(
    services, mini_copy
) -> None:  # type: ignore[no-untyped-def]
    import yaml

    services.recorded()
    repo = "naver-clova-ix/donut-base-finetuned-docvqa"
    result = run(
        "--catalog",
        mini_copy,
        "add",
        "model",
        "--from-hub",
        repo,
        "--summary",
        "A Donut document-understanding model fine-tuned to answer questions on documents.",
        "--yes",
    )
    assert result.exit_code == 0, result.output
    path = mini_copy / "models" / "donut-base-finetuned-docvqa.yaml"
    data = yaml.safe_load(path.read_text())
    sha = recorded_cards()[("model", repo)]["sha"]
    assert data["license"] == "MIT" and data["paper"] == "2111.15664"
    assert data["modalities"] == ["image", "text"]
    # created (2022-07-19) after its paper's month (2021-11): neither date is written unasked
    assert "released" not in data and "give --released" in result.stderr
    assert data["evidence"] == {
        "license": [
            {
                "source": f"https://huggingface.co/{repo}/blob/{sha}/README.md",
                "quote": "license: mit",
            }
        ]
    }
    report = json.loads(run("--catalog", mini_copy, "validate", "--format", "json", path).stdout)
    assert "no evidence for `license`" not in {f["message"] for f in report["findings"]}


def test_add_from_hub_writes_the_release_date_a_card_states_with_its_line(
    services, mini_copy
) -> None:  # type: ignore[no-untyped-def]
    import yaml

    services.recorded()
    repo = "meta-llama/Llama-3.1-8B-Instruct"
    result = run(
        "--catalog",
        mini_copy,
        "add",
        "model",
        "--from-hub",
        repo,
        "--summary",
        "Meta's instruction-tuned Llama 3.1 model with eight billion parameters.",
        "--yes",
    )
    assert result.exit_code == 0, result.output
    path = mini_copy / "models" / "llama-3-1-8b-instruct.yaml"
    assert path.exists(), result.output
    data = yaml.safe_load(path.read_text())
    sha = recorded_cards()[("model", repo)]["sha"]
    assert data["released"] == "2024-07-23"  # the card's date, not the Hub's 2024-07-18
    assert data["evidence"]["released"] == [
        {
            "source": f"https://huggingface.co/{repo}/blob/{sha}/README.md",
            "quote": "Model Release Date: July 23, 2024.",
        }
    ]
    assert "not the day the Hub created the repository (2024-07-18)" in result.stderr
    report = json.loads(run("--catalog", mini_copy, "validate", "--format", "json", path).stdout)
    assert not [f for f in report["findings"] if f.get("severity") == "error"], report


def test_add_from_hub_says_what_it_could_not_link(services, mini_copy) -> None:  # type: ignore[no-untyped-def]
    services.recorded()
    result = run(
        "--catalog",
        mini_copy,
        "add",
        "model",
        "--from-hub",
        "deepset/roberta-base-squad2",
        "--summary",
        "A RoBERTa model fine-tuned for extractive question answering.",
        "--dry-run",
        "--yes",
    )
    assert result.exit_code == 0, result.output
    assert "squad_v2 are not in the catalogue" in result.stderr
    assert "FacebookAI/roberta-base is not in the catalogue" in result.stderr
    assert "give --released" in result.stderr and "released:" not in result.stdout


# --- GitHub ---------------------------------------------------------------------------------------


def test_a_github_repository_fills_a_tool(services, mini) -> None:  # type: ignore[no-untyped-def]
    services.repo(
        "EleutherAI/lm-evaluation-harness",
        license_spdx="MIT",
        topics=["evaluation", "language-model", "Not A Slug"],
    )
    said = github_prefill("EleutherAI/lm-evaluation-harness", mini)
    assert said.values == {
        "name": "lm-evaluation-harness",
        "github": "EleutherAI/lm-evaluation-harness",
        "url": "https://github.com/EleutherAI/lm-evaluation-harness",
        "sources": ["https://github.com/EleutherAI/lm-evaluation-harness"],
        "license": "MIT",
        "tags": ["evaluation", "language-model"],
        "by": ["eleutherai"],  # the owner is the organisation of a catalogued community
    }
    assert said.notes == []


def test_github_renames_unknown_licences_and_missing_repositories(services, mini) -> None:  # type: ignore[no-untyped-def]
    services.github_rename("someone/old-name", "someone/new-name")
    services.repo("someone/new-name", license_spdx="NOASSERTION", topics=())
    said = github_prefill("someone/old-name", mini)
    assert said.values["github"] == "someone/new-name" and "license" not in said.values
    assert "by" not in said.values
    assert any("now someone/new-name" in n for n in said.notes)
    assert any("could not identify" in n for n in said.notes)
    with pytest.raises(GithubPrefillFailed) as caught:
        github_prefill("nobody/nothing", mini)
    assert "nobody/nothing" in caught.value.message
    with pytest.raises(GithubPrefillFailed):
        github_prefill("not a repo", mini)


def test_add_tool_from_github_writes_a_valid_entry(services, mini_copy) -> None:  # type: ignore[no-untyped-def]
    import yaml

    services.repo("EleutherAI/lm-evaluation-harness", license_spdx="MIT", topics=["evaluation"])
    result = run(
        "--catalog",
        mini_copy,
        "add",
        "tool",
        "--from-github",
        "EleutherAI/lm-evaluation-harness",
        "--summary",
        "A framework that evaluates language models on many benchmarks.",
        "--yes",
    )
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((mini_copy / "tools" / "lm-evaluation-harness.yaml").read_text())
    assert data["github"] == "EleutherAI/lm-evaluation-harness" and data["license"] == "MIT"
    assert data["by"] == ["eleutherai"] and data["tags"] == ["evaluation"]
    assert (
        run(
            "--catalog", mini_copy, "validate", mini_copy / "tools" / "lm-evaluation-harness.yaml"
        ).exit_code
        == 0
    )


def test_add_tool_from_github_refuses_a_catalogued_repository(services, mini_copy) -> None:  # type: ignore[no-untyped-def]
    services.repo("jax-ml/jax")
    before = sorted(p.name for p in (mini_copy / "tools").iterdir())
    result = run(
        "--catalog",
        mini_copy,
        "add",
        "tool",
        "--from-github",
        "jax-ml/jax",
        "--summary",
        "A second entry for a repository the catalogue already has.",
        "--yes",
    )
    assert result.exit_code == 1 and "jax" in result.stderr
    assert sorted(p.name for p in (mini_copy / "tools").iterdir()) == before


@pytest.mark.parametrize(
    "repo,month",
    [
        ("microsoft/DialoGPT-small", "2019-11"),  # created on the migration date, 2022-03-02
        # created in 2022-07, after its paper
        ("naver-clova-ix/donut-base-finetuned-docvqa", "2021-11"),
    ],
)
def test_a_suggested_date_is_offered_in_a_terminal_but_never_written_unasked(
    services, mini, repo, month
) -> None:  # type: ignore[no-untyped-def]
    from openai_catalog.authoring import Draft, interview

    services.recorded()
    said = hub_prefill("model", repo, mini)
    quiet = Draft("model", mini)
    quiet.prefill(said.values, "the Hub", said.evidence, said.suggestions)
    assert "released" not in quiet.values  # what --yes would write
    asked = Draft("model", mini)
    asked.prefill(said.values, "the Hub", said.evidence, said.suggestions)
    offered = {}

    def ask(question):  # type: ignore[no-untyped-def]
        offered[question.name] = question.default
        if question.name == "summary":
            return "A model of the recorded cards, whose release date the card leaves open."
        return ""  # Enter: take what is offered, or skip

    interview(asked, ask, lambda exc: None)
    assert offered["released"] == month and asked.values["released"] == month
