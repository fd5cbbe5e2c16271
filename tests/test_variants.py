"""A release with `variants`: every checkpoint's name and Hub repo find the release in search and
`show`, a former id still finds it, `hub:` filters by any of its repos, `stats` counts releases and
variants apart, and `add --from-hub` knows a variant's repo as a duplicate and as a base."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import SHIPPED, run, run_json
from openai_catalog.enrich.prefill import hub_prefill
from openai_catalog.registry import load_catalog

FAMILY = """# yaml-language-server: $schema=../schema.json
id: llama-2
name: Llama 2
kind: model
summary: The Llama 2 release of Meta, in several sizes, each as a base and a chat model.
by: [meta-ai]
released: "2023-07-18"
license: Llama-2-Community
hub: meta-llama/Llama-2-7b-hf
tags: [language-model]
modalities: [text]
aliases: [llama-2-7b, Llama 2 7B]
parameters: 13B
variants:
  - name: Llama 2 7B
    hub: meta-llama/Llama-2-7b-hf
    parameters: 7B
    tuning: base
  - name: Llama 2 13B Chat
    hub: meta-llama/Llama-2-13b-chat-hf
    parameters: 13B
    tuning: instruct
    aliases: [Llama-2-13b-chat]
weights: gated
sources:
  - https://huggingface.co/meta-llama/Llama-2-7b-hf
"""


@pytest.fixture
def family(mini_copy: Path) -> Path:
    """The mini catalogue with llama-2-7b renamed to the family llama-2."""
    (mini_copy / "models" / "llama-2-7b.yaml").unlink()
    (mini_copy / "models" / "llama-2.yaml").write_text(FAMILY, encoding="utf-8")
    return mini_copy


def ids(catalog: Path, *query: str) -> list[str]:
    result, data = run_json("--catalog", catalog, "search", *query, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return [hit["id"] for hit in data["entries"]]


def test_the_family_validates(family: Path) -> None:
    result = run("--catalog", family, "validate")
    assert result.exit_code == 0, result.stdout


@pytest.mark.parametrize(
    "query",
    [
        "meta-llama/Llama-2-13b-chat-hf",
        "Llama 2 13B Chat",
        "llama-2-13b-chat",
        "meta-llama/Llama-2-7b-hf",
    ],
)
def test_a_variants_name_hub_repo_or_alias_finds_the_release(family: Path, query: str) -> None:
    assert ids(family, query)[:1] == ["llama-2"]


def test_the_hub_filter_matches_the_entrys_repo_and_every_variants_repo(family: Path) -> None:
    assert ids(family, "hub:META-LLAMA/llama-2-13b-chat-hf") == ["llama-2"]
    assert ids(family, "hub:meta-llama/Llama-2-7b-hf") == ["llama-2"]
    assert ids(family, "hub:EleutherAI/gpt-j-6b") == ["gpt-j-6b"]
    assert ids(family, "hub:nobody/nothing") == []


@pytest.mark.parametrize(
    ("asked", "note"),
    [
        ("llama-2-7b", "llama-2-7b is now llama-2"),
        ("Meta-Llama/Llama-2-13b-chat-hf", "a variant of llama-2"),
        ("Llama 2 13B Chat", "Llama 2 13B Chat is Llama 2 13B Chat, a variant of llama-2"),
        ("Llama 2 7B", "Llama 2 7B is Llama 2 7B, a variant of llama-2"),
    ],
)
def test_show_finds_the_release_by_a_former_id_or_a_variant_and_says_so(
    family: Path, asked: str, note: str
) -> None:
    result, data = run_json("--catalog", family, "show", asked, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert data["id"] == "llama-2"
    assert note in result.stderr
    assert [v["name"] for v in data["variants"]] == ["Llama 2 7B", "Llama 2 13B Chat"]


def test_show_by_id_says_nothing_more_and_lists_the_variants_in_its_table(family: Path) -> None:
    result = run("--catalog", family, "show", "llama-2")
    assert result.exit_code == 0 and "is now" not in result.stderr
    assert "meta-llama/Llama-2-13b-chat-hf" in result.stdout and "instruct" in result.stdout


def test_a_name_two_entries_share_is_not_guessed(family: Path) -> None:
    other = (family / "models" / "gpt-j-6b.yaml").read_text(encoding="utf-8")
    (family / "models" / "gpt-j-6b.yaml").write_text(
        other.replace("aliases: [GPT-J]", "aliases: [GPT-J, llama-2-7b]"), encoding="utf-8"
    )
    result = run("--catalog", family, "show", "llama-2-7b")
    assert result.exit_code == 1
    assert "names 2 entries" in result.stderr and "gpt-j-6b, llama-2" in result.stderr


def test_stats_count_releases_as_entries_and_their_variants_apart(family: Path) -> None:
    result, data = run_json("--catalog", family, "stats", "--format", "json")
    assert data["by_kind"]["model"] == 7 and data["variants"] == 2
    table = run("--catalog", family, "stats").stdout
    assert "list 2 variants" in table


def test_add_from_hub_refuses_a_repo_that_is_a_variant_of_an_entry(family: Path) -> None:
    result = run(
        "--catalog",
        family,
        "add",
        "model",
        "--name",
        "Llama 2 13B Chat",
        "--id",
        "llama-2-13b-chat",
        "--hub",
        "meta-llama/llama-2-13b-chat-hf",
        "--summary",
        "A chat model that the catalogue already lists as a variant.",
        "--license",
        "Llama-2-Community",
        "--sources",
        "https://example.org",
        "--yes",
    )
    assert result.exit_code == 1
    assert "Hub repo meta-llama/llama-2-13b-chat-hf is 'llama-2'" in result.stderr
    assert "as its variant Llama 2 13B Chat" in result.stderr


def test_a_card_based_on_a_variant_is_based_on_its_release(family: Path) -> None:
    fields = {
        "card": {"base_model": "meta-llama/Llama-2-13b-chat-hf"},
        "tags": [],
        "created_at": "2024-01-02T00:00:00.000Z",
    }
    said = hub_prefill("model", "someone/llama-2-13b-chat-tuned", load_catalog(family), fields)
    assert said.values["based_on"] == ["llama-2"]


def test_json_exports_carry_the_variants(family: Path) -> None:
    result = run("--catalog", family, "export", "jsonl", "--kind", "model")
    rows = {row["id"]: row for row in map(json.loads, result.stdout.splitlines())}
    assert [v["hub"] for v in rows["llama-2"]["variants"]] == [
        "meta-llama/Llama-2-7b-hf",
        "meta-llama/Llama-2-13b-chat-hf",
    ]


@pytest.mark.parametrize(
    ("former", "now"),
    [
        ("llama-3-1-8b", "llama-3-1"),
        ("llama-3-8b", "llama-3"),
        ("llama-2-7b", "llama-2"),
        ("code-llama-7b", "code-llama"),
        ("gpt-oss-120b", "gpt-oss"),
        ("qwen3-235b-a22b", "qwen3"),
        ("smollm2-1-7b", "smollm2"),
        ("gemma-2-9b", "gemma-2"),
        ("gemma-3-27b", "gemma-3"),
        ("granite-3-0-8b", "granite-3-0"),
        ("tulu-3-8b", "tulu-3"),
    ],
)
def test_a_shipped_release_is_found_by_its_former_checkpoint_id(former: str, now: str) -> None:
    result, data = run_json("--catalog", SHIPPED, "show", former, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert data["id"] == now and f"{former} is now {now}" in result.stderr
    assert len(data["variants"]) >= 2


def test_a_shipped_variants_hub_repo_finds_its_release() -> None:
    assert ids(SHIPPED, "hub:meta-llama/Llama-3.1-70B-Instruct") == ["llama-3-1"]
    assert ids(SHIPPED, "meta-llama/Llama-3.1-405B-Instruct")[:1] == ["llama-3-1"]


def test_adding_a_model_named_as_a_variant_warns_of_its_release(family: Path) -> None:
    result = run(
        "--catalog",
        family,
        "add",
        "model",
        "--name",
        "Llama 2 13B chat",
        "--id",
        "llama-2-13b-chat",
        "--summary",
        "A chat model that the catalogue already lists as a variant.",
        "--license",
        "Llama-2-Community",
        "--sources",
        "https://example.org",
        "--dry-run",
        "--yes",
    )
    assert result.exit_code == 0, result.stderr
    assert "warning: the catalogue has 'llama-2' with a similar name" in result.stderr


def test_a_relation_to_a_former_id_leads_to_the_renamed_entry_with_a_warning(
    family: Path,
) -> None:
    text = (family / "models" / "open-lm.yaml").read_text(encoding="utf-8")
    (family / "models" / "open-lm.yaml").write_text(
        text.replace("relations:\n", "relations:\n  uses: [llama-2-7b]\n", 1),
        encoding="utf-8",
    )
    result, report = run_json("--catalog", family, "validate", "--format", "json")
    assert result.exit_code == 0
    [found] = [f for f in report["findings"] if f["path"].endswith("open-lm.yaml")]
    assert (found["rule"], found["severity"]) == ("CAT033", "warning")
    assert found["message"] == "relations.uses: 'llama-2-7b' is now 'llama-2'"
    assert found["hint"] == "write llama-2"
    assert load_catalog(family).get("llama-2-7b").id == "llama-2"
    _, shown = run_json("--catalog", family, "show", "llama-2", "--format", "json")
    assert {"relation": "uses", "from": "open-lm"} in shown["incoming"]
