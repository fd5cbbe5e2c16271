"""Openness grades: known answers on fixture entries made for the purpose, and the rules' edges."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import MINI, SHIPPED
from openai_catalog.openness import (
    DATASET_GRADES,
    GRADES,
    MODEL_GRADES,
    OPEN_GRADES,
    grade,
    matching_grades,
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
        "weights": ("open", True),
        "licence": ("permissive", True),
        "training code": ("open", True),
        "training data": ("open", True),
        "documentation": ("paper and model card", True),
    }
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
    assert _components(result)["licence"] == (
        "non-commercial",
        False,
    )  # the AND of code and weights


@pytest.mark.parametrize(
    ("dataset", "expected", "next_needs"),
    [
        ("the-pile", "open-data", None),
        ("open-corpus", "open-data", None),
        ("gated-speech", "open-access", ["without gating or request (now gated)", "open licence"]),
        ("scraped-images", "closed", ["can be obtained (now withdrawn)"]),
    ],
)
def test_dataset_grades(
    mini: Catalog, dataset: str, expected: str, next_needs: list[str] | None
) -> None:
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


def test_a_partial_declaration_keeps_open_datasets_from_making_the_data_open(
    mini_copy: Path,
) -> None:
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
    assert result.needs == [
        ("information on the training data: name the datasets in `relations.trained_on`")
    ]


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


@pytest.mark.parametrize(
    ("op", "value", "kinds", "grades"),
    [
        ("=", "open", ("model", "dataset"), set(OPEN_GRADES)),
        ("=", "open-model", ("model",), {"open-model"}),
        ("=", "closed", ("model", "dataset"), {"closed"}),
        (">=", "open-model", ("model",), {"open-model", "open-tooling", "open-science"}),
        (">", "open-model", ("model",), {"open-tooling", "open-science"}),
        ("<", "open-model", ("model",), {"open-weights", "closed"}),
        ("<=", "open-access", ("dataset",), {"open-access", "closed"}),
        (">", "closed", ("model", "dataset"), set(GRADES) - {"closed"}),
    ],
)
def test_openness_filters_compare_within_a_ladder(
    op: str, value: str, kinds: tuple[str, ...], grades: set[str]
) -> None:
    found_kinds, found_grades = matching_grades(op, value)
    assert found_kinds == kinds and set(found_grades) == grades


# --- catalog show explains the grade ------------------------------------------------------------


def test_show_json_explains_the_grade_component_by_component() -> None:
    from helpers import run_json

    result, data = run_json("--catalog", MINI, "show", "vision-lm", "--format", "json")
    assert result.exit_code == 0
    openness = data["openness"]
    assert openness["grade"] == "open-tooling"
    assert openness["ladder"] == list(MODEL_GRADES)
    components = {c["name"]: c for c in openness["components"]}
    assert list(components) == [
        "weights",
        "licence",
        "training code",
        "training data",
        "documentation",
    ]
    assert components["training data"] == {
        "name": "training data",
        "value": "documented",
        "ok": False,
        "evidence": "scraped-images: closed",
    }
    assert components["licence"]["evidence"] == "MIT OR Apache-2.0"
    assert openness["next_grade"] == "open-science"
    assert any("scraped-images: closed" in need for need in openness["next_grade_needs"])
    assert data["license_terms"]["category"] == "permissive"
    assert [lic["id"] for lic in data["license_terms"]["licenses"]] == ["MIT", "Apache-2.0"]


def test_show_text_explains_the_grade_and_what_is_missing() -> None:
    from helpers import run

    text = run("--catalog", MINI, "show", "mesa-lm").stdout
    for part in (
        "openness",
        "open-weights",
        "✓ weights",
        "✗ licence",
        "community",
        "for open-model, it needs:",
        "an open licence, permissive or copyleft",
        "Llama-3.1-Community",
        "commercial use: yes",
    ):
        assert part in text, part
    top = run("--catalog", MINI, "show", "open-lm").stdout
    assert "open-science" in top and "the top grade: nothing is missing" in top


def test_show_explains_dataset_grades_with_the_reason_it_is_closed() -> None:
    from helpers import run, run_json

    _, data = run_json("--catalog", MINI, "show", "scraped-images", "--format", "json")
    access = data["openness"]["components"][0]
    assert (access["name"], access["value"]) == ("access", "withdrawn")
    assert "Taken down in 2023" in access["evidence"]
    assert data["openness"]["next_grade"] == "open-access"
    text = run("--catalog", MINI, "show", "gated-speech").stdout
    assert "open-access" in text and "commercial use: no" in text


def test_entries_of_other_kinds_have_no_grade() -> None:
    from helpers import run_json

    _, data = run_json("--catalog", MINI, "show", "jax", "--format", "json")
    assert "openness" not in data and data["license_terms"]["category"] == "permissive"
    _, community = run_json("--catalog", MINI, "show", "eleutherai", "--format", "json")
    assert "openness" not in community and community["license_category"] is None


def test_evidence_from_the_catalogue_is_never_terminal_markup(mini_copy: Path) -> None:
    from helpers import run

    path = mini_copy / "datasets" / "scraped-images.yaml"
    path.write_text(
        path.read_text().replace(
            "status_note: Taken down in 2023 after links to unlawful images were found in it.",
            'status_note: "[bold red]gone[/] \\e[31m after a takedown"',
        )
    )
    text = run("--catalog", mini_copy, "show", "scraped-images").stdout
    # Once in the status_note row, once as the evidence of the access component.
    assert text.count("[bold red]gone[/]") == 2
    assert "\x1b" not in text and "\\x1b" in text


def test_show_of_a_shipped_model_trained_on_the_pile() -> None:
    from helpers import run_json

    _, data = run_json("--catalog", SHIPPED, "show", "gpt-j-6b", "--format", "json")
    assert data["openness"]["grade"] == "open-tooling"
    assert "the-pile: closed" in data["openness"]["next_grade_needs"][0]


def test_the_code_licence_decides_the_training_code_component(mini_copy: Path) -> None:
    path = mini_copy / "models" / "open-lm.yaml"
    assert _components(_grade(load_catalog(mini_copy), "open-lm"))["training code"] == (
        "open",
        True,
    )
    path.write_text(path.read_text().replace("code_license: MIT", "code_license: CC-BY-NC-4.0"))
    result = _grade(load_catalog(mini_copy), "open-lm")
    assert _components(result)["training code"] == ("open, non-commercial licence", False)
    assert result.grade == "open-model"  # the weights' licence alone no longer carries the code
    assert result.needs == [
        "training code under an open licence, permissive or copyleft (now "
        "training_code: open; code_license: CC-BY-NC-4.0 (non-commercial))"
    ]


def test_without_a_code_licence_the_weights_licence_covers_the_code(mini: Catalog) -> None:
    component = next(c for c in _grade(mini, "vision-lm").components if c.name == "training code")
    assert (
        component.ok
        and component.evidence == "training_code: open; license: MIT OR Apache-2.0 (permissive)"
    )


@pytest.mark.parametrize(
    "datasets",
    ["open-corpus, scraped-images", "scraped-images, open-corpus", "open-corpus, gated-speech"],
)
def test_one_open_and_one_closed_dataset_do_not_make_open_science(
    mini_copy: Path, datasets: str
) -> None:
    path = mini_copy / "models" / "open-lm.yaml"
    text = path.read_text()
    assert "trained_on: [open-corpus]" in text
    path.write_text(text.replace("trained_on: [open-corpus]", f"trained_on: [{datasets}]"))
    catalog = load_catalog(mini_copy)
    other = datasets.replace("open-corpus", "").strip(", ")
    assert _grade(catalog, "open-corpus").grade == "open-data"
    assert _grade(catalog, other).grade != "open-data"
    result = _grade(catalog, "open-lm")
    assert result.grade == "open-tooling"
    assert _components(result)["training data"][1] is False
    assert any(other in need for need in result.needs)
