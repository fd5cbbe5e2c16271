"""The editor schema (catalog/schema.json, as check-jsonschema and yaml-language-server use it)
agrees with `catalog validate` wherever a single file can tell: the same files pass, the same fail,
and the schema's errors point at the lines the catalogue reports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from helpers import BROKEN, MINI, SHIPPED, run_json
from openai_catalog import _yaml
from openai_catalog.registry import load_licenses
from openai_catalog.schema import json_schema

# Rules a JSON Schema can decide from one file's data. The others need the YAML text (syntax,
# duplicate keys, anchors, tags, encoding, size, depth, the schema comment), the file's name or
# folder, the rest of the catalogue (duplicates, references, licences), today's date, or the
# enrichment snapshot.
DECIDABLE = {
    "CAT010",
    "CAT011",
    "CAT012",
    "CAT013",
    "CAT014",
    "CAT050",
    "CAT052",
    "CAT053",
    "CAT054",
    "CAT055",
    "CAT056",
    "CAT091",
}
FILE_LEVEL = {"CAT001", "CAT002", "CAT003", "CAT004", "CAT005", "CAT006", "CAT007", "CAT008"}
VALIDATOR = Draft202012Validator(json_schema(load_licenses(SHIPPED)[0].names()))
ENTRIES = sorted(p for p in SHIPPED.glob("*/*.yaml"))
BROKEN_FILES = sorted(BROKEN.rglob("*.yaml"))


def schema_error_lines(doc: _yaml.Document) -> set[int]:
    """The lines an editor would underline: each error at the key or value that is wrong."""
    lines = set()
    for error in VALIDATOR.iter_errors(doc.data):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
            lines.update(doc.position((*path, key))[0] for key in extra)
        elif error.validator == "uniqueItems":
            items = error.instance
            lines.update(doc.position((*path, i))[0] for i, v in enumerate(items) if v in items[:i])
        elif "propertyNames" in error.relative_schema_path:  # an evidence key that is no field
            lines.add(doc.position((*path, error.instance))[0])
        elif (
            error.validator == "required"
            and isinstance(error.instance.get("evidence"), dict)
            and error.validator_value[0] in error.instance["evidence"]
        ):
            lines.add(doc.position((*path, "evidence", error.validator_value[0]))[0])
        elif error.validator == "anyOf" and "sources" in error.instance:  # sources: []
            lines.add(doc.position((*path, "sources"))[0])
        elif error.validator in ("required", "not") and "allOf" in error.relative_schema_path:
            # a status condition: underline the status fields that are present
            lines.update(
                doc.position((*path, key))[0]
                for key in ("status", "superseded_by", "status_note")
                if key in error.instance
            )
            lines.add(doc.position(path)[0])
        else:
            lines.add(doc.position(path)[0])
    return lines


def catalogue_findings(catalog: Path, path: Path) -> list[dict[str, Any]]:
    result, report = run_json("--catalog", catalog, "validate", "--format", "json", path)
    assert "Traceback" not in result.output
    return report["findings"]


@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_schema_and_validate_agree_on_every_broken_example(path: Path) -> None:
    findings = catalogue_findings(MINI, path)
    if {f["rule"] for f in findings} & FILE_LEVEL:
        pytest.skip("the YAML itself is refused: an editor's parser reports that, not the schema")
    doc = _yaml.parse_bytes(path.read_bytes(), str(path))
    decidable = [f for f in findings if f["rule"] in DECIDABLE]
    lines = schema_error_lines(doc)
    if not decidable:
        assert lines == set(), f"the schema refuses what validate accepts: {findings}"
        return
    assert lines, f"the schema accepts what validate refuses: {decidable}"
    assert {f["line"] for f in decidable} <= lines, (decidable, lines)


@pytest.mark.parametrize("path", ENTRIES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_entry_passes_the_schema(path: Path) -> None:
    doc = _yaml.parse_bytes(path.read_bytes(), str(path))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(doc.data)]
    assert errors == []


CASES = [  # (field, value, validate's verdict) where editors used to disagree with validate
    ("released", 20210101, False),
    ("released", "2021-13-45", False),
    ("released", "2021-02-30", False),
    ("released", "2023-02-29", False),
    ("released", "2024-02-29", True),
    ("released", "2000-02-29", True),
    ("released", "1900-02-29", False),
    ("released", 2021, True),
    ("released", "2021-06", True),
    ("parameters", "6b", True),
    ("parameters", "6B", True),
    ("parameters", "1,300M", True),
    ("parameters", 1.3e9, True),
    ("parameters", 1.5, False),
    ("parameters", "six", False),
    ("parameters", -1, False),
    ("tags", ["a", "a"], False),
    ("context_length", 0, False),
]


@pytest.mark.parametrize(("field", "value", "valid"), CASES)
def test_schema_and_validate_agree_on_values(
    tmp_path: Path, field: str, value: Any, valid: bool
) -> None:
    data = {
        "id": "m",
        "name": "M",
        "kind": "model",
        "summary": "A model used by the schema tests only.",
        "license": "MIT",
        "sources": ["https://example.org"],
        field: value,
    }
    path = tmp_path / "models" / "m.yaml"
    path.parent.mkdir()
    path.write_text(
        "# yaml-language-server: $schema=../schema.json\n"
        + "".join(f"{k}: {json.dumps(v)}\n" for k, v in data.items())
    )
    verdict = [f for f in catalogue_findings(MINI, path) if f["rule"] in DECIDABLE]
    assert (verdict == []) is valid, verdict
    assert VALIDATOR.is_valid(_yaml.parse_bytes(path.read_bytes(), "m.yaml").data) is valid


def test_an_error_is_reported_against_the_entrys_own_kind() -> None:
    """With a oneOf, a bad dataset field was reported against the model's rules too."""
    data = {
        "id": "d",
        "name": "D",
        "kind": "dataset",
        "summary": "A dataset used by the schema tests.",
        "license": "MIT",
        "sources": ["https://example.org"],
        "access": "sometimes",
    }
    errors = list(VALIDATOR.iter_errors(data))
    assert [tuple(e.absolute_path) for e in errors] == [("access",)]
    assert "sometimes" in errors[0].message


def test_licence_ids_are_offered_for_completion() -> None:
    license_schema = VALIDATOR.schema["$defs"]["Model"]["properties"]["license"]
    offered = license_schema["anyOf"][0]["enum"]
    assert {"Apache-2.0", "MIT"} <= set(offered)
    assert VALIDATOR.is_valid(
        {
            "id": "m",
            "name": "M",
            "kind": "model",
            "license": "Apache-2.0 OR MIT",
            "summary": "A model used by the schema tests only.",
            "sources": ["https://example.org"],
        }
    )
