"""`catalog validate FILE...` checks the files against the index (view.CheckedAgainstIndex) and
finds exactly what a full load of the catalogue finds for them."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from test_cli_validate import EXAMPLES

from helpers import SHIPPED, run_json
from openai_catalog.checks.catalog import validate_with_ignored
from openai_catalog.registry import load_catalog
from openai_catalog.view import CheckedAgainstIndex

TODAY = dt.date(2026, 12, 6)


def both(root: Path, files: list[Path]) -> tuple[Any, Any]:
    """The findings and suppressions of `files`, from a full load and through the index."""
    full = validate_with_ignored(load_catalog(root, paths=files), only=files, today=TODAY)
    view = CheckedAgainstIndex(root.resolve(), files)
    try:
        indexed = validate_with_ignored(view, only=files, today=TODAY)
    finally:
        view.close()
    return full, indexed


@pytest.mark.parametrize(
    ("root", "path"), EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}" if p.suffix else p.name
)
def test_a_broken_example_gets_the_findings_of_a_full_validation(root: Path, path: Path) -> None:
    full, indexed = both(root, [path])
    assert full[0]  # each example is broken
    assert indexed == full


SHIPPED_ENTRIES = (
    sorted(SHIPPED.glob("models/*.yaml"))[:6] + sorted(SHIPPED.glob("datasets/*.yaml"))[:3]
)


@pytest.mark.parametrize("path", SHIPPED_ENTRIES, ids=lambda p: p.name)
def test_a_shipped_entry_gets_the_findings_of_a_full_validation(path: Path) -> None:
    full, indexed = both(SHIPPED, [path])
    assert indexed == full


def test_several_files_inside_and_outside_the_catalogue_at_once(mini_copy: Path) -> None:
    # A twin of an id inside the catalogue, a file claiming a repo of another, a broken one.
    models = mini_copy / "models"
    shutil.copy(models / "gpt-j-6b.yaml", models / "a-twin.yaml")
    (models / "open-lm.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    outside = sorted(p for _, p in EXAMPLES if p.parent.name == "models")[:8]
    files = [models / "a-twin.yaml", models / "gpt-j-6b.yaml", models / "open-lm.yaml", *outside]
    full, indexed = both(mini_copy, files)
    assert any(f.rule == "CAT020" for f in full[0])  # the duplicate id, both ways
    assert indexed == full


def test_the_command_validates_a_file_through_the_index_not_a_full_load(
    mini_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = mini_copy / "models" / "gpt-j-6b.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("[the-pile]", "[the-piel]"), encoding="utf-8")

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("the whole catalogue was loaded")

    monkeypatch.setattr("openai_catalog.registry.load_catalog", refused)
    result, report = run_json("--catalog", mini_copy, "validate", "--format", "json", path)
    assert result.exit_code == 1
    assert [(f["rule"], f["message"]) for f in report["findings"] if f["rule"] == "CAT030"] == [
        ("CAT030", "relations.trained_on: no entry has the id 'the-piel'")
    ]


def test_a_variant_hub_claimed_by_an_indexed_entry_gets_the_findings_of_a_full_validation(
    mini_copy: Path,
) -> None:
    # The index holds the other side of each duplicate: a variant of llama-2-7b, and GPT-J's own.
    models = mini_copy / "models"
    llama = models / "llama-2-7b.yaml"
    text = llama.read_text(encoding="utf-8")
    llama.write_text(
        text + "variants:\n  - name: Shared 7B\n    hub: acme/shared-7b\n", encoding="utf-8"
    )
    checked = models / "a-release.yaml"
    checked.write_text(
        "id: a-release\nname: A release\nkind: model\nsummary: A release whose repos others claim."
        "\nlicense: MIT\nhub: ACME/shared-7b\nvariants:\n  - name: Six\n"
        "    hub: EleutherAI/GPT-J-6B\nsources:\n  - https://example.org/source\n",
        encoding="utf-8",
    )
    full, indexed = both(mini_copy, [checked])
    assert indexed == full
    messages = {f.message.replace(f"{mini_copy}/", "") for f in full[0] if f.rule == "CAT023"}
    assert messages == {
        "hub 'ACME/shared-7b' is also claimed by models/llama-2-7b.yaml (variant 1)",
        "variant hub 'EleutherAI/GPT-J-6B' is also claimed by models/gpt-j-6b.yaml",
    }
