"""Openness grades: known answers on fixture entries made for the purpose, and the rules' edges."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import MINI, SHIPPED
from openai_catalog.openness import (
    DATASET_GRADES, GRADES, MODEL_GRADES, OPEN_GRADES, grade, matching_grades,
)
from openai_catalog.registry import Catalog, load_catalog


@pytest.fixture(scope="module")
def mini() -> Catalog:
    return load_catalog(MINI)


def _grade(catalog: Catalog, entry_id: str):  # type: ignore[no-untyped-def]
    entry = catalog.get(entry_id)
    assert entry is not None, entry_id
    return grade(entry, catalog)


def _components(result) -> dict[str, tuple[str, bool]]:  # type: ignore[no-untyped-def]
    return {c.name: (c.value, c.ok) for c in result.components}


def test_apache_model_with_open_code_trained_on_open_data_is_open_science(mini: Catalog) -> None:
    result = _grade(mini, "open-lm")
    assert result.grade == "open-science"
    assert result.next_grade is None and result.needs == []
    assert _components(result) == {
        "weights": ("open", True), "licence": ("permissive", True), "training code": ("open", True),
        "training data": ("open", True), "documentation": ("paper and model card", True)}
    data = next(c for c in result.components if c.name == "training data")
    assert data.evidence == "open-corpus: open-data"


def test_open_weights_under_a_community_licence_stop_at_open_weights(mini: Catalog) -> None:
    result = _grade(mini, "mesa-lm")
    assert result.grade == "open-weights"
    assert _components(result)["licence"] == ("community", False)
    assert result.next_grade == "open-model"
    assert len(result.needs) == 1 and "open licence" in result.needs[0]
    assert "Llama-3.1-Community" in result.needs[0]


def test_a_gated_model_is_open_weights_and_needs_ungated_weights(mini: Catalog) -> None:
    result = _grade(mini, "llama-2-7b")
    assert result.grade == "open-weights"
    assert _components(result)["weights"] == ("gated", False)
    assert result.next_grade == "open-model"
    assert any("without gating (now gated)" in need for need in result.needs)


def test_a_model_trained_on_a_withdrawn_dataset_cannot_be_open_science(mini: Catalog) -> None:
    assert _grade(mini, "scraped-images").grade == "closed"
    result = _grade(mini, "vision-lm")
    assert result.grade == "open-tooling"
    assert _components(result)["training data"] == ("documented", False)
    assert result.next_grade == "open-science"
    assert any("scraped-images: closed" in need for need in result.needs)


def test_a_model_with_open_weights_but_no_recorded_code_is_open_model(mini: Catalog) -> None:
    result = _grade(mini, "gpt-j-6b")
    assert result.grade == "open-model"
    assert result.next_grade == "open-tooling"
    assert result.needs == ["open training code (`training_code: open`)"]


def test_unreleased_weights_are_closed_whatever_the_licence(mini: Catalog) -> None:
    result = _grade(mini, "sealed-lm")
    assert result.grade == "closed"
    assert result.next_grade == "open-weights"
    assert _components(result)["licence"] == ("non-commercial", False)  # the AND of code and weights


@pytest.mark.parametrize(("dataset", "expected", "next_needs"), [
    ("the-pile", "open-data", None),
    ("open-corpus", "open-data", None),
    ("gated-speech", "open-access", ["without gating or request (now gated)", "open licence"]),
    ("scraped-images", "closed", ["can be obtained (now withdrawn)"]),
])
def test_dataset_grades(mini: Catalog, dataset: str, expected: str,
                        next_needs: list[str] | None) -> None:
    result = _grade(mini, dataset)
    assert result.grade == expected
    if next_needs is None:
        assert result.next_grade is None
    else:
        assert len(result.needs) == len(next_needs)
        for need, text in zip(result.needs, next_needs, strict=True):
            assert text in need


def test_declared_open_data_without_datasets_is_not_checked_open(mini_copy: Path) -> None:
    path = mini_copy / "models" / "open-lm.yaml"
    path.write_text(path.read_text().replace("relations:\n  trained_on: [open-corpus]\n", ""))
    catalog = load_catalog(mini_copy)
    result = _grade(catalog, "open-lm")
    assert _components(result)["training data"] == ("open (unchecked)", False)
    assert result.grade == "open-tooling"  # the declaration is data information, not proof
    assert any("relations.trained_on" in need for need in result.needs)


def test_a_partial_declaration_keeps_open_datasets_from_making_the_data_open(mini_copy: Path) -> None:
    path = mini_copy / "models" / "open-lm.yaml"
    path.write_text(path.read_text().replace("training_data: open", "training_data: partial"))
    result = _grade(load_catalog(mini_copy), "open-lm")
    assert _components(result)["training data"] == ("partial", False)
    assert result.grade == "open-tooling"


def test_open_science_needs_a_paper_not_only_a_model_card(mini_copy: Path) -> None:
    path = mini_copy / "models" / "open-lm.yaml"
    path.write_text(path.read_text().replace('paper: "2206.00003"\n', ""))
    result = _grade(load_catalog(mini_copy), "open-lm")
    assert result.grade == "open-tooling"
    assert result.needs == ["a research paper (`paper:`)"]


def test_open_tooling_needs_information_on_the_data(mini_copy: Path) -> None:
    path = mini_copy / "models" / "vision-lm.yaml"
    path.write_text(path.read_text().replace("relations:\n  trained_on: [scraped-images]\n", ""))
    result = _grade(load_catalog(mini_copy), "vision-lm")
    assert result.grade == "open-model"
    assert result.needs == ["information on the training data: name the datasets in "
                            "`relations.trained_on`"]


def test_only_models_and_datasets_have_grades(mini: Catalog) -> None:
    with pytest.raises(ValueError):
        grade(mini.get("jax"), mini)


def test_every_shipped_model_and_dataset_has_an_explained_grade() -> None:
    catalog = load_catalog(SHIPPED)
    seen = set()
    for entry in catalog.entries("model") + catalog.entries("dataset"):
        result = grade(entry, catalog)
        ladder = MODEL_GRADES if entry.kind == "model" else DATASET_GRADES
        assert result.grade in ladder
        assert result.components and all(c.evidence for c in result.components), entry.id
        if result.grade == ladder[0]:
            assert result.next_grade is None and result.needs == []
        else:
            assert ladder.index(result.next_grade) == ladder.index(result.grade) - 1, entry.id
            assert result.needs, entry.id
        seen.add(result.grade)
    assert seen == set(GRADES)  # the shipped catalogue reaches every rung of both ladders


@pytest.mark.parametrize(("op", "value", "kinds", "grades"), [
    ("=", "open", ("model", "dataset"), set(OPEN_GRADES)),
    ("=", "open-model", ("model",), {"open-model"}),
    ("=", "closed", ("model", "dataset"), {"closed"}),
    (">=", "open-model", ("model",), {"open-model", "open-tooling", "open-science"}),
    (">", "open-model", ("model",), {"open-tooling", "open-science"}),
    ("<", "open-model", ("model",), {"open-weights", "closed"}),
    ("<=", "open-access", ("dataset",), {"open-access", "closed"}),
    (">", "closed", ("model", "dataset"), set(GRADES) - {"closed"}),
])
def test_openness_filters_compare_within_a_ladder(op: str, value: str, kinds: tuple[str, ...],
                                                  grades: set[str]) -> None:
    found_kinds, found_grades = matching_grades(op, value)
    assert found_kinds == kinds and set(found_grades) == grades
