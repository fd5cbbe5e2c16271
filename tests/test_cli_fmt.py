"""`catalog fmt` on the command line: writes canonical files, or with --check only says which."""

from __future__ import annotations

from pathlib import Path

from helpers import run

MESSY = """id: open-lm
kind: model
name: Open LM
summary: 'A small open language model used by the CLI tests.'
license: Apache-2.0   # as on the model card
sources: [https://example.org/open-lm]
"""


def test_check_lists_files_to_change_and_writes_nothing(mini_copy: Path) -> None:
    target = mini_copy / "models" / "open-lm.yaml"
    target.write_text(MESSY)
    result = run("--catalog", mini_copy, "fmt", "--check")
    assert result.exit_code == 1
    assert f"would reformat {target}" in result.stderr
    assert target.read_text() == MESSY


def test_fmt_writes_canonical_files_that_still_validate(mini_copy: Path) -> None:
    target = mini_copy / "models" / "open-lm.yaml"
    target.write_text(MESSY)
    assert run("--catalog", mini_copy, "fmt").exit_code == 0
    text = target.read_text()
    assert text.startswith("# yaml-language-server: $schema=../schema.json\nid: open-lm\nname: Open LM\n")
    assert "license: Apache-2.0  # as on the model card\n" in text
    assert "sources:\n  - https://example.org/open-lm\n" in text
    assert run("--catalog", mini_copy, "fmt", "--check").exit_code == 0
    assert run("--catalog", mini_copy, "validate", target).exit_code == 0
    assert not list(mini_copy.rglob("*.tmp")), "no temporary file is left behind"


def test_diff_prints_the_change_and_writes_nothing(mini_copy: Path) -> None:
    target = mini_copy / "models" / "open-lm.yaml"
    target.write_text(MESSY)
    result = run("--catalog", mini_copy, "fmt", "--diff", target)
    assert result.exit_code == 1
    assert "-summary: 'A small open language model used by the CLI tests.'" in result.stdout
    assert "+summary: A small open language model used by the CLI tests." in result.stdout
    assert target.read_text() == MESSY


def test_unreadable_yaml_is_reported_with_a_fix_and_left_alone(mini_copy: Path) -> None:
    target = mini_copy / "models" / "open-lm.yaml"
    target.write_text("id: a\nid: b\n")
    result = run("--catalog", mini_copy, "fmt", target)
    assert result.exit_code == 1
    assert "CAT002" in result.stderr and "keep one of the two" in result.stderr
    assert target.read_text() == "id: a\nid: b\n"


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run("fmt", tmp_path / "nope.yaml")
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_files_outside_the_kind_folders_are_left_alone(mini_copy: Path) -> None:
    licences = mini_copy / "licenses.yaml"
    before = licences.read_text()
    result = run("--catalog", mini_copy, "fmt", licences)
    assert result.exit_code == 1 and "not an entry file" in result.stderr
    assert licences.read_text() == before
