from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from helpers import BROKEN, MINI, run, run_json
from openai_catalog.rules import Rule

BROKEN_FILES = sorted(BROKEN.rglob("*.yaml"))
EXPECT = re.compile(rb"# expect: (CAT\d{3}) line (\d+)")


def expectation(path: Path) -> tuple[str, int]:
    match = EXPECT.search(path.read_bytes())
    assert match, f"{path} has no '# expect:' line"
    return match.group(1).decode(), int(match.group(2))


@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_broken_file_is_reported_with_its_rule_at_its_line(path: Path) -> None:
    rule, line = expectation(path)
    result, report = run_json("--catalog", MINI, "validate", "--strict", "--format", "json", path)
    assert result.exit_code == 1
    assert (rule, line) in {(f["rule"], f["line"]) for f in report["findings"]}, report["findings"]
    assert "Traceback" not in result.output


def test_every_rule_has_a_broken_example() -> None:
    covered = {expectation(p)[0] for p in BROKEN_FILES}
    covered |= {"CAT006", "CAT060"}  # generated in the tests below: a 1 MiB file, a broken licence table
    assert set(Rule.registry) - covered == set()


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "models" / "huge.yaml"
    path.parent.mkdir()
    path.write_text("id: huge\ndescription: " + "x" * (1024 * 1024) + "\n")
    result, report = run_json("--catalog", MINI, "validate", "--format", "json", path)
    assert result.exit_code == 1
    assert [f["rule"] for f in report["findings"]] == ["CAT006"]


def test_broken_licence_table_is_reported(mini_copy: Path) -> None:
    table = mini_copy / "licenses.yaml"
    table.write_text(table.read_text() + "  - id: Broken\n    category: free-ish\n")
    result, report = run_json("--catalog", mini_copy, "validate", "--format", "json")
    assert result.exit_code == 1
    assert [f["rule"] for f in report["findings"]] == ["CAT060"]


def test_shipped_style_catalogue_is_clean() -> None:
    result = run("--catalog", MINI, "validate", "--strict")
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.stderr


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    files = [BROKEN / "models" / n for n in ("unknown-key.yaml", "bad-enum.yaml", "date-future.yaml")]
    result, report = run_json("--catalog", MINI, "validate", "--format", "json", *files)
    assert {f["rule"] for f in report["findings"]} >= {"CAT010", "CAT013", "CAT051"}
    assert report["errors"] == len([f for f in report["findings"] if f["severity"] == "error"])


def test_hints_suggest_near_keys_values_and_ids() -> None:
    _, report = run_json("--catalog", MINI, "validate", "--format", "json",
                         BROKEN / "models" / "unknown-key.yaml", BROKEN / "models" / "bad-enum.yaml",
                         BROKEN / "models" / "unknown-target.yaml", BROKEN / "models" / "unknown-license.yaml")
    hints = {f["rule"]: f["hint"] for f in report["findings"]}
    assert "parameters" in hints["CAT010"]
    assert "open" in hints["CAT013"]
    assert "the-pile" in hints["CAT030"]
    assert "Apache-2.0" in hints["CAT040"]


def test_warnings_fail_only_with_strict() -> None:
    path = BROKEN / "models" / "license-unknown.yaml"
    assert run("--catalog", MINI, "validate", path).exit_code == 0
    assert run("--catalog", MINI, "validate", "--strict", path).exit_code == 1


def test_text_format_names_path_line_col_and_rule() -> None:
    result = run("--catalog", MINI, "validate", BROKEN / "models" / "unknown-key.yaml")
    assert re.search(r"unknown-key\.yaml:10:1: CAT010 unknown field 'paramters'", result.stdout)
    assert "hint: did you mean 'parameters'?" in result.stdout


def test_github_format_is_workflow_annotations() -> None:
    result = run("--catalog", MINI, "validate", "--format", "github", BROKEN / "models" / "unknown-key.yaml")
    line = result.stdout.strip()
    assert line.startswith("::error file=")
    assert ",line=10,col=1,title=CAT010::unknown field 'paramters'" in line


def test_validating_one_file_checks_references_against_the_whole_catalogue(mini_copy: Path) -> None:
    model = mini_copy / "models" / "gpt-j-6b.yaml"
    assert run("validate", model).exit_code == 0  # the catalogue is found from the file's place
    (mini_copy / "datasets" / "the-pile.yaml").unlink()
    result, report = run_json("validate", "--format", "json", model)
    assert result.exit_code == 1
    assert [f["rule"] for f in report["findings"]] == ["CAT030"]


def test_duplicates_are_reported_on_every_file_that_claims_them(mini_copy: Path) -> None:
    shutil.copy(mini_copy / "models" / "gpt-j-6b.yaml", mini_copy / "models" / "gpt-j-6b-copy.yaml")
    _, report = run_json("--catalog", mini_copy, "validate", "--format", "json")
    by_file: dict[str, list[str]] = {}
    for f in report["findings"]:
        by_file.setdefault(Path(f["path"]).name, []).append(f["rule"])
    assert sorted(by_file["gpt-j-6b-copy.yaml"]) == ["CAT020", "CAT022", "CAT023", "CAT024"]
    assert sorted(by_file["gpt-j-6b.yaml"]) == ["CAT022", "CAT023", "CAT024"]
    assert "gpt-j-6b.yaml" in next(f["message"] for f in report["findings"]
                                   if f["path"].endswith("copy.yaml") and f["rule"] == "CAT022")


def test_missing_path_is_a_usage_error() -> None:
    result = run("--catalog", MINI, "validate", "no/such/file.yaml")
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_json_report_counts_files() -> None:
    _, report = run_json("--catalog", MINI, "validate", "--format", "json")
    assert report["files"] == 17
    assert json.dumps(report)
