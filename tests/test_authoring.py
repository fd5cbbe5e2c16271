"""The core of `catalog add`: fields from the schema, values checked one by one, pre-fill sources,
duplicates, and a write that never replaces a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import MINI
from openai_catalog.authoring import (
    Draft,
    DuplicateEntry,
    FieldError,
    Question,
    ask_evidence,
    fields_for,
    interview,
    parse_value,
    slugify,
    write_entry,
)
from openai_catalog.registry import load_catalog
from openai_catalog.schema import ENTRY_TYPES


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return load_catalog(MINI)


@pytest.mark.parametrize("kind", list(ENTRY_TYPES))
def test_every_schema_field_of_a_kind_is_offered_once(kind: str) -> None:
    specs = fields_for(kind)
    names = [s.name for s in specs]
    assert len(names) == len(set(names)), "flag names must not collide"
    top = {s.path[0] for s in specs}
    assert top == set(ENTRY_TYPES[kind].model_fields) - {
        "kind",
        "evidence",  # its own flag
        "variants",  # a table of checkpoints, written in the file
    }
    required = {s.name for s in specs if s.required}
    assert {"id", "name", "summary", "sources"} <= required


def test_nested_blocks_become_flat_fields() -> None:
    dataset = {s.name: s for s in fields_for("dataset")}
    assert dataset["tokens"].path == ("size", "tokens")
    assert dataset["trained_on"].path == ("relations", "trained_on")
    assert dataset["access"].choices == ("open", "gated", "on-request", "closed")


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("GPT-J 6B", "gpt-j-6b"),
        ("Stable Diffusion v1.5", "stable-diffusion-v1-5"),
        ("Ça va  ", "ca-va"),
        ("", ""),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_values_are_parsed_as_the_entry_stores_them(catalog) -> None:  # type: ignore[no-untyped-def]
    draft = Draft("model", catalog)
    draft.set("parameters", "6B")
    draft.set("license", "apache-2.0")
    draft.set("tags", ["a, b", "b", "c"])
    draft.set("modalities", "text,code")
    draft.set("trained_on", "the-pile")
    assert draft.values == {
        "parameters": 6_000_000_000,
        "license": "Apache-2.0",
        "tags": ["a", "b", "c"],
        "modalities": ["text", "code"],
        "trained_on": ["the-pile"],
    }
    assert draft.data()["relations"] == {"trained_on": ["the-pile"]}
    draft.set("tags", "")
    assert "tags" not in draft.values


def test_an_unknown_field_is_refused_with_a_suggestion(catalog) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FieldError) as info:
        Draft("model", catalog).set("licence", "MIT")
    assert (info.value.hint or "").startswith("did you mean 'license'")


def test_prefill_sits_under_explicit_values_and_drops_what_does_not_check(catalog) -> None:  # type: ignore[no-untyped-def]
    draft = Draft("model", catalog)
    draft.set("name", "Mine")
    notes = draft.prefill(
        {
            "name": "From the Hub",
            "license": "apache-2.0",
            "weights": "sort of",
            "parameters": 6053381344,
            "tags": [],
        },
        "the Hub",
    )
    assert draft.values["name"] == "Mine" and draft.origins["name"] == "you"
    assert draft.values["license"] == "Apache-2.0" and draft.origins["license"] == "the Hub"
    assert draft.values["parameters"] == 6053381344
    assert "weights" not in draft.values and notes == [
        "the Hub: left out weights (weights: 'sort of' is not one of open, gated, closed)"
    ]


def test_a_prefilled_duplicate_stops_the_draft(catalog) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DuplicateEntry):
        Draft("model", catalog).prefill({"hub": "EleutherAI/gpt-j-6b"}, "the Hub")


def test_interview_asks_again_until_an_answer_fits(catalog) -> None:  # type: ignore[no-untyped-def]
    answers = iter(
        [
            "Quiz LM",
            "",
            "too short",
            "A model that exists only in this test of questions.",
            "apache",
            "MIT",
            "ftp://nope",
            "https://example.org/q",
            "",
            "",
            "",
            "",
            "",
            "",
            "http://example.org/card",
            "Licensed under MIT",  # evidence for the licence
            "https://example.org/card",
            "Licensed under MIT",
        ]
    )
    asked: list[Question] = []
    problems: list[str] = []

    def ask(question: Question) -> str:
        asked.append(question)
        return next(answers)

    draft = Draft("model", catalog)
    interview(draft, ask, lambda exc: problems.append(exc.message))
    ask_evidence(draft, ask, lambda exc: problems.append(exc.message))
    assert [q.name for q in asked][:5] == ["name", "id", "summary", "summary", "license"]
    assert [q.name for q in asked][-2:] == ["source of license", "quote for license"]
    assert asked[1].default == "quiz-lm"
    assert len(problems) == 4
    assert draft.evidence == {
        "license": [{"source": "https://example.org/card", "quote": "Licensed under MIT"}]
    }
    assert draft.values["id"] == "quiz-lm" and draft.values["sources"] == ["https://example.org/q"]
    text, warnings = draft.entry_text()
    assert "id: quiz-lm\n" in text and warnings == []


def test_write_entry_never_replaces_a_file(tmp_path: Path) -> None:
    target = tmp_path / "models" / "x.yaml"
    write_entry(target, "first\n")
    with pytest.raises(DuplicateEntry):
        write_entry(target, "second\n")
    assert target.read_text() == "first\n"
    assert [p.name for p in target.parent.iterdir()] == ["x.yaml"]


def test_an_interrupted_write_leaves_neither_the_file_nor_a_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "link", interrupted)
    target = tmp_path / "models" / "x.yaml"
    with pytest.raises(KeyboardInterrupt):
        write_entry(target, "text\n")
    assert list(target.parent.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "raw", "says"),
    [
        ("id", "Not A Slug", "is not a valid value"),
        ("released", "2999-01", "is in the future"),
        ("tags", "Big Models", "is not a lowercase slug"),
        ("name", "", "is required"),
        ("sources", [], "sources is required"),
    ],
)
def test_values_that_would_not_validate_are_refused_as_they_are_given(
    catalog, name: str, raw: object, says: str
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FieldError, match=says):
        parse_value({s.name: s for s in fields_for("model")}[name], raw, "model", catalog)


def test_an_unknown_kind_is_a_usage_error_naming_the_kinds() -> None:
    from openai_catalog.errors import UsageError

    with pytest.raises(UsageError, match="unknown kind 'modle'") as raised:
        fields_for("modle")
    assert "model" in (raised.value.hint or "")
