"""The shipped catalogue is the product: it must validate strictly and hold what we promise."""

from __future__ import annotations

from collections import Counter

import pytest

from helpers import SHIPPED, run
from openai_catalog.registry import load_catalog
from openai_catalog.validate import validate_catalog


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return load_catalog(SHIPPED)


def test_shipped_catalogue_passes_strict_validation(catalog) -> None:  # type: ignore[no-untyped-def]
    findings = validate_catalog(catalog)
    assert findings == [], "\n".join(f"{f.path}:{f.line}: {f.rule} {f.message}" for f in findings[:40])


def test_shipped_catalogue_passes_the_strict_command() -> None:
    result = run("--catalog", SHIPPED, "validate", "--strict")
    assert result.exit_code == 0, result.stdout[-3000:]


def test_every_kind_is_present_and_tied_by_relations(catalog) -> None:  # type: ignore[no-untyped-def]
    kinds = Counter(e.kind for e in catalog.entries())
    assert set(kinds) == {"model", "dataset", "compute", "tool", "community"}
    assert sum(kinds.values()) >= 15
    gptj = catalog.get("gpt-j-6b")
    assert "eleutherai" in gptj.by and "the-pile" in gptj.relations.trained_on
    assert "jax" in gptj.relations.uses


def test_every_entry_cites_https_sources(catalog) -> None:  # type: ignore[no-untyped-def]
    for entry in catalog.entries():
        assert entry.sources and all(s.startswith("https://") for s in entry.sources), entry.id
