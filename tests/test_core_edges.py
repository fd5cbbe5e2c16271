"""Edges of the core that no command reaches in the ordinary course: unreadable files, values
the formatter cannot write, records that do not validate, queries that say nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import MINI
from openai_catalog import registry
from openai_catalog.errors import EntryNotFound
from openai_catalog.fmt import FormatError, format_data, format_file, format_text
from openai_catalog.query import QueryError, parse
from openai_catalog.schema import check_schema, known_fields


def test_the_formatter_refuses_what_is_not_an_entry_and_values_it_cannot_write() -> None:
    with pytest.raises(FormatError, match="the document is empty"):
        format_text("null\n", "null.yaml")
    with pytest.raises(FormatError, match="the top level is a list"):
        format_text("- a\n- b\n", "list.yaml")
    assert "share: 0.5" in format_data({"id": "x", "share": 0.5, "open": True, "n": 3})
    for value in (float("inf"), object()):
        with pytest.raises(FormatError, match="cannot write"):
            format_data({"id": "x", "bad": value})


def test_files_the_formatter_cannot_read_are_problems_not_exceptions(tmp_path: Path) -> None:
    folder = tmp_path / "models"
    (folder / "folder.yaml").mkdir(parents=True)
    (folder / "latin1.yaml").write_bytes("id: caf\xe9\n".encode("latin-1"))
    unreadable = format_file(folder / "folder.yaml")
    assert unreadable.problem is not None and unreadable.problem.rule == "CAT026"
    assert "not a regular file but a folder" in unreadable.problem.message
    assert format_file(folder / "latin1.yaml").problem is not None


def test_a_record_that_does_not_validate_is_named_as_such(tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(MINI, root)
    path = root / "tools" / "jax.yaml"
    path.write_text(path.read_text().replace("kind: tool", "kind: tool\nnot_a_field: 1"))
    catalog = registry.load_catalog(root)
    with pytest.raises(EntryNotFound, match="does not validate") as raised:
        catalog.require("jax")
    assert "catalog validate" in (raised.value.hint or "")
    with pytest.raises(EntryNotFound, match="no entry 'JAX-library'"):
        catalog.require("JAX-library")


def test_reading_is_forgiving_of_what_is_not_there(tmp_path: Path) -> None:
    (tmp_path / "loose").mkdir()
    (tmp_path / "loose" / "b.yaml").write_text("id: b\n")
    (tmp_path / "loose" / "a.yaml").write_text("id: a\n")
    assert [p.name for p in registry.expand_entry_paths([tmp_path / "loose"])] == [
        "a.yaml",
        "b.yaml",
    ]
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "dir.yaml").mkdir()
    record = registry.read_record(tmp_path / "models" / "dir.yaml")
    assert record.entry is None and record.findings[0].rule == "CAT026"
    assert "not a regular file but a folder" in record.findings[0].message
    table, findings, _ = registry.load_licenses(tmp_path)
    assert not table.licenses and "missing" in findings[0].message


def test_the_schema_check_says_which_kind_to_add_and_whose_field_it_is(tmp_path: Path) -> None:
    class Parsed:
        display = "x.yaml"

        def __init__(self, data: dict[str, object], folder_kind: str | None) -> None:
            self.data, self.folder_kind = data, folder_kind

        def position(self, *path: str | int) -> tuple[int, int]:
            return 1, 1

    _, [finding] = check_schema(Parsed({"id": "x"}, "tool"))
    assert finding.hint == "add `kind: tool`"
    _, [finding] = check_schema(Parsed({"id": "x"}, None))
    assert "add `kind: model` (or another kind)" in (finding.hint or "")
    data = {
        "id": "x",
        "name": "X",
        "kind": "model",
        "summary": "A model entry long enough to pass.",
        "license": "MIT",
        "sources": ["https://example.org"],
        "provider": "someone",
    }
    entry, findings = check_schema(Parsed(data, "model"))
    assert entry is None and "belongs to compute entries" in (findings[0].hint or "")
    assert {"provider", "parameters", "category"} <= set(known_fields(None))


@pytest.mark.parametrize(
    ("text", "says"),
    [('a ""', "an empty phrase"), ('"  "', "an empty phrase"), ("a -* b", "a lone '-'")],
)
def test_queries_that_say_nothing_are_refused_with_a_hint(text: str, says: str) -> None:
    with pytest.raises(QueryError, match=says):
        parse(text)


def test_punctuation_alone_is_nothing_to_search_for() -> None:
    assert parse('a "!!" -- ?').clauses == parse("a").clauses
