from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from helpers import SHIPPED
from openai_catalog.registry import load_licenses
from openai_catalog.schema import Model, entry_to_dict, json_schema_text, parse_count

BASE = {
    "id": "m",
    "name": "M",
    "kind": "model",
    "summary": "A model used by the schema tests only.",
    "license": "MIT",
    "sources": ["https://example.org"],
}


def test_shipped_schema_json_is_current() -> None:
    shipped = (SHIPPED / "schema.json").read_text(encoding="utf-8")
    names = load_licenses(SHIPPED)[0].names()
    assert shipped == json_schema_text(names), (
        "catalog/schema.json is stale: run `catalog schema > catalog/schema.json`"
    )


def test_schema_is_draft_2020_12_and_forbids_unknown_keys() -> None:
    schema = json.loads(json_schema_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$defs"]["Model"]["additionalProperties"] is False


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("6B", 6_000_000_000),
        ("1.3e9", 1_300_000_000),
        (125_000_000, 125_000_000),
        ("770M", 770_000_000),
        ("1.5T", 1_500_000_000_000),
        ("7b", 7_000_000_000),
        (1.3e9, 1_300_000_000),
        # decimal fractions that binary floating point cannot hold exactly
        ("16.4B", 16_400_000_000),
        ("0.6B", 600_000_000),
        ("2.7182B", 2_718_200_000),
        ("1.1B", 1_100_000_000),
    ],
)
def test_parameter_counts_accept_suffixes_and_exponents(text: object, value: int) -> None:
    assert Model.model_validate({**BASE, "parameters": text}).parameters == value
    assert parse_count(text) == value


@pytest.mark.parametrize(
    "bad",
    [
        "six",
        "6 billion",
        "-1",
        True,
        "1.5",
        "1.23456789012B",
        "1.1e18",
        "1e999999999B",
        "0E1000000000000000000",
        "1E-1000000000000000000",
    ],
)
def test_bad_parameter_counts_are_refused(bad: object) -> None:
    with pytest.raises(ValidationError):
        Model.model_validate({**BASE, "parameters": bad})


@pytest.mark.parametrize("date", ["2021", "2021-06", "2021-06-09", 2021])
def test_partial_dates(date: object) -> None:
    assert Model.model_validate({**BASE, "released": date}).released == str(date)


@pytest.mark.parametrize(
    "field,value",
    [
        ("released", "06/2021"),
        ("url", "http://x.org"),
        ("id", "Not_A_Slug"),
        ("paper", "arxiv 2101"),
        ("github", "no-slash"),
        ("weights", "maybe"),
    ],
)
def test_malformed_values_are_refused(field: str, value: str) -> None:
    with pytest.raises(ValidationError):
        Model.model_validate({**BASE, field: value})


def test_entry_to_dict_is_canonical_and_drops_empty_fields() -> None:
    model = Model.model_validate({**BASE, "parameters": "6B", "relations": {"uses": ["jax"]}})
    data = entry_to_dict(model)
    assert list(data) == [
        "id",
        "name",
        "kind",
        "summary",
        "license",
        "parameters",
        "relations",
        "sources",
    ]
    assert data["relations"] == {"uses": ["jax"]}


def test_a_community_may_name_its_github_organisation_but_a_model_may_not() -> None:
    from openai_catalog.schema import Community

    community = {
        "id": "eleutherai",
        "name": "EleutherAI",
        "kind": "community",
        "url": "https://www.eleuther.ai",
        "summary": "A research collective used by the schema tests only.",
        "sources": ["https://example.org"],
    }
    assert Community.model_validate({**community, "github": "EleutherAI"}).github == "EleutherAI"
    assert Community.model_validate({**community, "github": "EleutherAI/gpt-neox"}).github
    with pytest.raises(ValidationError):
        Model.model_validate({**BASE, "github": "EleutherAI"})


def test_enrichment_asks_github_only_about_repositories(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from helpers import entry, write_catalog
    from openai_catalog.enrich.run import tasks_of
    from openai_catalog.registry import load_catalog

    root = write_catalog(
        tmp_path / "c",
        entry("lab", "community", github="SomeLab"),
        entry("tool-a", "tool", github="SomeLab/tool-a"),
    )
    assert [(t.entry_id, t.repo) for t in tasks_of(load_catalog(root), ["github"])] == [
        ("tool-a", "SomeLab/tool-a")
    ]


def test_a_release_lists_its_checkpoints_as_variants_in_schema_order() -> None:
    model = Model.model_validate(
        {
            **BASE,
            "parameters": "70B",
            "variants": [
                {
                    "tuning": "instruct",
                    "parameters": "8B",
                    "name": "M 8B Instruct",
                    "hub": "m/8b-it",
                },
                {"name": "M 70B", "parameters": 7e10, "aliases": ["m-70b"]},
            ],
        }
    )
    data = entry_to_dict(model)
    assert list(data).index("variants") == list(data).index("parameters") + 1
    assert data["variants"] == [
        {
            "name": "M 8B Instruct",
            "hub": "m/8b-it",
            "parameters": 8_000_000_000,
            "tuning": "instruct",
        },
        {"name": "M 70B", "parameters": 70_000_000_000, "aliases": ["m-70b"]},
    ]


@pytest.mark.parametrize(
    "variant",
    [
        {"hub": "m/8b"},  # no name
        {"name": "M 8B", "hub": "not a repo"},
        {"name": "M 8B", "parameters": "eight"},
        {"name": "M 8B", "tuning": "chat"},
        {"name": "M 8B", "size": "8B"},
    ],
)
def test_malformed_variants_are_refused(variant: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Model.model_validate({**BASE, "variants": [variant]})


def test_a_kind_is_compiled_only_when_an_entry_of_that_kind_is_checked() -> None:
    """Importing the schema compiles no validator (an update in place after an edit imports it on
    the critical path of a search); checking a model compiles the model's, not the other kinds'."""
    import subprocess
    import sys

    from helpers import MINI

    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from openai_catalog import registry, schema\n"
        "kinds = (schema.Model, schema.Dataset, schema.Tool, schema.Compute, schema.Community)\n"
        "print([k.__pydantic_complete__ for k in kinds])\n"
        "path = Path(sys.argv[1])\n"
        "record = registry.read_record(path, str(path), registry.EntryGate())\n"
        "assert record.entry is not None, record.findings\n"
        "print([k.__pydantic_complete__ for k in kinds])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(MINI / "models" / "gpt-j-6b.yaml")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.splitlines() == [
        "[False, False, False, False, False]",
        "[True, False, False, False, False]",
    ]
