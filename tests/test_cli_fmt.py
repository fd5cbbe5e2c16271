"""`catalog fmt` on the command line: writes canonical files, or with --check only says which."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from helpers import run
from openai_catalog import _util, fmt

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
    assert text.startswith(
        "# yaml-language-server: $schema=../schema.json\nid: open-lm\nname: Open LM\n"
    )
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


def test_a_linked_entry_is_formatted_through_its_link(mini_copy: Path) -> None:
    real = mini_copy / "models" / "open-lm.yaml"
    real.write_text(MESSY)
    (mini_copy / "models" / "open-lm.yaml").rename(mini_copy / "communities" / "kept-here.txt")
    link = mini_copy / "models" / "open-lm.yaml"
    link.symlink_to("../communities/kept-here.txt")  # inside the catalogue: followed
    assert run("--catalog", mini_copy, "fmt", link).exit_code == 0
    assert link.is_symlink()
    assert (
        (mini_copy / "communities" / "kept-here.txt")
        .read_text()
        .startswith("# yaml-language-server")
    )


def test_a_formatted_file_keeps_its_mode(mini_copy: Path) -> None:
    target = mini_copy / "models" / "open-lm.yaml"
    target.write_text(MESSY)
    target.chmod(0o664)
    assert run("--catalog", mini_copy, "fmt").exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o664 and target.read_text() != MESSY


def test_a_read_only_file_is_skipped_with_a_message(mini_copy: Path) -> None:
    target = mini_copy / "models" / "open-lm.yaml"
    target.write_text(MESSY)
    target.chmod(0o444)
    result = run("--catalog", mini_copy, "fmt")
    assert result.exit_code == 1
    assert "is read-only: not rewritten" in result.stderr and "1 not rewritten" in result.stderr
    assert target.read_text() == MESSY and stat.S_IMODE(target.stat().st_mode) == 0o444


def test_an_edit_saved_while_fmt_runs_is_never_overwritten(
    mini_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = mini_copy / "models" / "open-lm.yaml"
    target.write_text(MESSY)
    edited = MESSY.replace("Open LM", "Open LM, edited meanwhile")
    real_format = fmt.format_text

    def slow_format(text: str, display: str = "<entry>") -> str:
        out = real_format(text, display)
        if "open-lm" in display:
            target.write_text(edited)  # someone saves the file between fmt's read and its write
        return out

    monkeypatch.setattr(fmt, "format_text", slow_format)
    result = run("--catalog", mini_copy, "fmt")
    assert result.exit_code == 1
    assert "changed since it was read: not rewritten" in result.stderr
    assert target.read_text() == edited
    assert not list(mini_copy.rglob("*.tmp"))


def test_fmt_reads_each_file_just_before_writing_it(
    mini_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_file, real_write = fmt.format_file, _util.write_atomic
    monkeypatch.setattr(
        fmt,
        "format_file",
        lambda path, *a: events.append(f"read {path.name}") or real_file(path, *a),
    )
    monkeypatch.setattr(
        _util,
        "write_atomic",
        lambda path, *a, **k: events.append(f"write {path.name}") or real_write(path, *a, **k),
    )
    for name in ("open-lm.yaml", "mesa-lm.yaml"):
        (mini_copy / "models" / name).write_text(MESSY.replace("open-lm", name[:-5]))
    assert run("--catalog", mini_copy, "fmt").exit_code == 0
    writes = [i for i, e in enumerate(events) if e.startswith("write")]
    assert {"write mesa-lm.yaml", "write open-lm.yaml"} <= {events[i] for i in writes}
    assert all(events[i - 1] == "read " + events[i].removeprefix("write ") for i in writes)
    assert writes[0] < len(events) - 1  # reading went on after the first write, not all first
