"""The shipped catalogue is the product: it must validate strictly and hold what we promise."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from helpers import SHIPPED, run
from openai_catalog.checks import validate_catalog
from openai_catalog.registry import load_catalog


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return load_catalog(SHIPPED)


def test_shipped_catalogue_passes_strict_validation(catalog) -> None:  # type: ignore[no-untyped-def]
    findings = validate_catalog(catalog)
    assert findings == [], "\n".join(
        f"{f.path}:{f.line}: {f.rule} {f.message}" for f in findings[:40]
    )


def test_shipped_catalogue_passes_the_strict_command() -> None:
    result = run("--catalog", SHIPPED, "validate", "--strict", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["findings"] == []


def test_only_missing_evidence_and_known_lineage_exceptions_are_silenced() -> None:
    """A required fact (a licence, a community's homepage) whose evidence no primary page has
    given yet carries a `# catalog: ignore CAT090` with the reason, so that `validate
    --show-ignored` lists the backlog, which only shrinks (optional facts that cannot be backed are
    left out instead); a
    licence lineage the licence table cannot judge (CAT100) may be silenced with its reason;
    nothing else is, so no source is denied or under a foreign Hub account."""
    result = run("--catalog", SHIPPED, "validate", "--show-ignored", "--format", "json")
    ignored = json.loads(result.stdout)["ignored"]
    assert {rule for item in ignored for rule in item["rules"]} <= {"CAT090", "CAT100"}
    assert all(item["scope"] == "line" and item["silenced"] == 1 for item in ignored)
    assert len([i for i in ignored if i["rules"] == ["CAT090"]]) <= 5
    assert len([i for i in ignored if i["rules"] == ["CAT100"]]) <= 1


def test_every_kind_is_present_and_tied_by_relations(catalog) -> None:  # type: ignore[no-untyped-def]
    kinds = Counter(e.kind for e in catalog.entries())
    assert set(kinds) == {"model", "dataset", "compute", "tool", "community"}
    assert sum(kinds.values()) >= 15
    gptj = catalog.get("gpt-j-6b")
    assert "eleutherai" in gptj.by and "the-pile" in gptj.relations.trained_on
    assert "jax" in gptj.relations.uses


def test_every_entry_cites_https_sources(catalog) -> None:  # type: ignore[no-untyped-def]
    for entry in catalog.entries():
        sources = entry.all_sources()
        assert sources and all(s.startswith("https://") for s in sources), entry.id


def test_breadth_of_the_shipped_catalogue(catalog) -> None:  # type: ignore[no-untyped-def]
    kinds = Counter(e.kind for e in catalog.entries())
    assert sum(kinds.values()) >= 250
    assert kinds["model"] >= 100 and kinds["dataset"] >= 50 and kinds["tool"] >= 40
    assert kinds["community"] >= 30 and kinds["compute"] >= 15


ESSAY_IDS = [
    "huggingface-hub",
    "huggingface",
    "hf-datasets",
    "transformers",
    "laion",
    "laion-5b",
    "re-laion-5b",
    "eleutherai",
    "carperai",
    "gpt-j-6b",
    "openclip",
    "stable-diffusion-v1-4",
    "stable-diffusion-v1-5",
    "stability-ai",
    "runway",
    "compvis",
    "openfold",
    "helm",
    "stanford-crfm",
    "together-ai",
    "together-research-computer",
    "stability-ai-compute-donations",
    "flash-attention",
    "pytorch",
    "keras",
    "megatron-lm",
    "deepspeed",
    "lucidrains",
    "the-pile",
    "c4",
    "biomedlm",
    "pile-of-law",
    "hazy-research",
]


def test_every_artifact_of_the_essay_has_an_entry(catalog) -> None:  # type: ignore[no-untyped-def]
    missing = [i for i in ESSAY_IDS if catalog.get(i) is None]
    assert missing == []
    assert catalog.get("laion-5b").status == "withdrawn"
    assert catalog.get("laion-5b").superseded_by == "re-laion-5b"
    assert "PubMedGPT" in catalog.get("biomedlm").aliases
    essay = (SHIPPED / "ESSAY.md").read_text(encoding="utf-8")
    assert all(f"`{i}`" in essay for i in ESSAY_IDS)


def test_the_graph_is_dense(catalog) -> None:  # type: ignore[no-untyped-def]
    models = catalog.entries("model")
    assert sum(1 for m in models if m.by) / len(models) > 0.9
    everything = catalog.entries()
    assert sum(len(e.relations.trained_on) for e in everything) >= 30
    assert sum(len(e.relations.based_on) for e in everything) >= 20
    assert sum(len(e.relations.supported_by) for e in everything) >= 15
