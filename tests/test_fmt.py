"""`catalog fmt`: canonical form that keeps every value and every comment, and is idempotent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import MINI, SHIPPED, run
from openai_catalog import _yaml
from openai_catalog.fmt import FormatError, format_file, format_text, same_data
from openai_catalog.registry import iter_entry_files
from openai_catalog.schema import ENTRY_TYPES, SCHEMA_HEADER, field_order
from strategies import entries, entry_files

SHIPPED_FILES = list(iter_entry_files(SHIPPED))
PROPERTY = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def load(text: str) -> object:
    doc = _yaml.parse_text(text, "t.yaml")
    assert doc.findings == []
    return doc.data


def assert_formats_faithfully(text: str) -> str:
    out = format_text(text)
    assert same_data(load(text), load(out))
    assert format_text(out) == out, "formatting twice must change nothing"
    assert out.startswith(SCHEMA_HEADER + "\n") and out.endswith("\n") and not out.endswith("\n\n")
    return out


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: p.stem)
def test_every_shipped_entry_keeps_its_data_when_formatted(path: Path) -> None:
    assert_formats_faithfully(path.read_text(encoding="utf-8"))


def test_shipped_catalogue_is_in_canonical_form() -> None:
    result = run("--catalog", SHIPPED, "fmt", "--check")
    assert result.exit_code == 0, result.stderr[-2000:] + "\nrun: catalog fmt"


@pytest.mark.slow
@PROPERTY
@given(entry_files())
def test_generated_entries_keep_their_data_in_any_layout(text: str) -> None:
    out = assert_formats_faithfully(text)
    data = load(out)
    assert isinstance(data, dict)
    order = field_order(data["kind"])
    assert list(data) == [k for k in order if k in data], "keys in the schema's order"
    ENTRY_TYPES[data["kind"]].model_validate(data)


@pytest.mark.slow
@PROPERTY
@given(entries(), st.data())
def test_comments_survive_and_travel_with_their_keys(
    entry: dict[str, object], draw: st.DataObject
) -> None:
    text = draw.draw(entry_files(entry, block=True))
    lines = text.splitlines()
    top = [i for i, line in enumerate(lines) if line[:1].isalpha() or line[:1] == '"']
    marked = draw.draw(st.lists(st.sampled_from(top), unique=True, max_size=4))
    for n, i in enumerate(sorted(marked, reverse=True)):
        lines.insert(i, f"# note {n}: about {lines[i].split(':', 1)[0]}")
    out = assert_formats_faithfully("\n".join(lines) + "\n")
    outlines = out.splitlines()
    for n in range(len(marked)):
        at = next(i for i, line in enumerate(outlines) if line.startswith(f"# note {n}:"))
        key = outlines[at].split("about ", 1)[1]
        following = next(line for line in outlines[at + 1 :] if not line.startswith("#"))
        assert following.split(":", 1)[0] == key, "a comment stays above the key it was written for"


@PROPERTY
@given(
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40),
    st.sampled_from(["description", "name", "unknown_key"]),
)
def test_any_text_value_is_quoted_so_that_it_reads_back_the_same(value: str, key: str) -> None:
    escaped = '"' + "".join(f"\\U{ord(c):08x}" for c in value) + '"'  # every character escaped
    text = f"id: x\nkind: model\n{key}: {escaped}\ntags: [{escaped}, a]\n"
    assert load(text) == {"id": "x", "kind": "model", key: value, "tags": [value, "a"]}
    assert_formats_faithfully(text)


def test_comments_are_kept_in_place_when_keys_are_reordered() -> None:
    text = """# yaml-language-server: $schema=../schema.json
sources:   # why these
  # the model card
  - https://a.org  # primary
  - https://b.org
id: x  # the id
kind: model
# about the name
name: X
tags: [a,   # tagged
  b]
description: |  # markdown
  # a heading, not a comment
  text
relations:
  uses: [y]
  # the data
  trained_on: [z]
# the end
"""
    out = assert_formats_faithfully(text)
    assert (
        out
        == """# yaml-language-server: $schema=../schema.json
id: x  # the id
# about the name
name: X
kind: model
description: |  # markdown
  # a heading, not a comment
  text
tags: [a, b]  # tagged
relations:
  # the data
  trained_on: [z]
  uses: [y]
sources:  # why these
  # the model card
  - https://a.org  # primary
  - https://b.org
# the end
"""
    )


def test_layout_is_normalised() -> None:
    text = (
        "kind: dataset\nid: 'd'\nname: \"D\"\nreleased: 2021-06\nlicense: MIT\n"
        "tags:\n    - b\n    - a\nsources: [https://x.org]\nsize: {bytes: 825GB, tokens: 3}\n"
        "summary: >\n  folded\n  text\nunknown: {z: 1, a: [no, '1_000', 2021-06-09]}\n"
    )
    assert assert_formats_faithfully(text) == (
        f"{SCHEMA_HEADER}\nid: d\nname: D\nkind: dataset\nsummary: |\n  folded text\n"
        'released: "2021-06"\nlicense: MIT\ntags: [b, a]\nsize:\n  tokens: 3\n  bytes: 825GB\n'
        'sources:\n  - https://x.org\nunknown:\n  z: 1\n  a: ["no", "1_000", "2021-06-09"]\n'
    )


def test_header_is_added_or_replaced_once() -> None:
    assert format_text("id: x\n").startswith(SCHEMA_HEADER + "\nid: x")
    other = "# yaml-language-server: $schema=./old.json\n# mine\nid: x\n"
    assert format_text(other) == f"{SCHEMA_HEADER}\n# mine\nid: x\n"


@pytest.mark.parametrize("text", ["a: [1, 2\n", "a: 1\na: 2\n", "a: &x 1\nb: *x\n", "- 1\n", ""])
def test_broken_yaml_is_refused_rather_than_guessed(text: str) -> None:
    with pytest.raises(FormatError):
        format_text(text)


def test_format_file_reports_problems_without_raising(tmp_path: Path) -> None:
    bad = tmp_path / "models" / "bad.yaml"
    bad.parent.mkdir()
    bad.write_text("a: 1\na: 2\n")
    result = format_file(bad)
    assert result.text is None and result.problem is not None
    assert result.problem.rule == "CAT002" and "catalog fmt" in (result.problem.hint or "")
    assert not result.changed


def test_mini_fixture_files_format_faithfully() -> None:
    for path in iter_entry_files(MINI):
        assert_formats_faithfully(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("sabotage", "says"),
    [
        (lambda out: out.replace("name: JAX", "name: 12"), "would not hold the same data"),
        (
            lambda out: out.replace("language: Python", "language: Python\nextra: field"),
            "would not hold the same data",
        ),
        (lambda out: out.replace("  # the maker's own words\n", ""), "would lose a comment"),
    ],
)
def test_a_formatting_that_would_change_the_data_or_drop_a_comment_is_refused(
    mini_copy: Path, monkeypatch: pytest.MonkeyPatch, sabotage: Any, says: str
) -> None:
    """The round-trip safety net: whatever the emitter writes is read back and compared."""
    from openai_catalog import fmt

    path = mini_copy / "tools" / "jax.yaml"
    text = path.read_text().replace("sources:\n", "sources:\n  # the maker's own words\n")
    text = text.replace("name: JAX", "name:   JAX")  # not canonical: there is work to do
    path.write_text(text)
    emit = fmt._Emitter.emit
    monkeypatch.setattr(fmt._Emitter, "emit", lambda self: sabotage(emit(self)))
    with pytest.raises(FormatError, match=says):
        format_text(text, "jax.yaml")
    result = run("--catalog", mini_copy, "fmt", path)
    assert result.exit_code == 1 and says in result.stderr + result.stdout
    assert "bug in catalog fmt" in result.stderr + result.stdout
    assert path.read_text() == text  # left as it was


def test_variants_follow_parameters_with_their_keys_in_schema_order() -> None:
    text = (
        "kind: model\nid: m\nname: M\nsummary: A model used by the formatting tests.\n"
        "license: MIT\nvariants:\n  - tuning: base\n    parameters: 8B\n    hub: m/m-8b\n"
        "    name: M 8B\narchitecture: decoder\nparameters: 8B\nsources: [https://x.org]\n"
    )
    assert assert_formats_faithfully(text) == (
        f"{SCHEMA_HEADER}\nid: m\nname: M\nkind: model\nsummary: A model used by the formatting "
        "tests.\nlicense: MIT\nparameters: 8B\nvariants:\n  - name: M 8B\n    hub: m/m-8b\n"
        "    parameters: 8B\n    tuning: base\narchitecture: decoder\nsources:\n  - https://x.org\n"
    )
