"""`# catalog: ignore CAT### -- reason`: silencing a deliberate finding, and listing what was silenced."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import MINI, run, run_json
from openai_catalog import suppress

HEADER = "# yaml-language-server: $schema=../schema.json\n"
BODY = """id: pending
name: Pending
kind: model
summary: A model whose licence has not been published yet, for the tests.
sources:
  - https://example.org/source
"""
EVIDENCE = """evidence:
  license:
    - source: https://example.org/source
      quote: "Apache License 2.0"
"""


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(MINI, root)
    return root


def write(catalog: Path, text: str) -> Path:
    path = catalog / "models" / "pending.yaml"
    path.write_text(text)
    return path


def findings_of(catalog: Path, path: Path, *extra: str) -> tuple[int, dict]:
    result, report = run_json(
        "--catalog", catalog, "validate", "--strict", "--format", "json", *extra, path
    )
    assert "Traceback" not in result.output
    return result.exit_code, report


def test_a_comment_at_the_end_of_the_line_silences_that_line(catalog: Path) -> None:
    path = write(
        catalog, HEADER + BODY + "license: unknown  # catalog: ignore CAT041 -- not yet published\n"
    )
    code, report = findings_of(catalog, path, "--show-ignored")
    assert code == 0, report
    assert report["findings"] == []
    [ignored] = report["ignored"]
    assert ignored["rules"] == ["CAT041"] and ignored["reason"] == "not yet published"
    assert ignored["scope"] == "line" and ignored["silenced"] == 1
    assert ignored["findings"][0]["rule"] == "CAT041"


def test_without_the_comment_the_same_file_fails(catalog: Path) -> None:
    path = write(catalog, HEADER + BODY + "license: unknown\n")
    code, report = findings_of(catalog, path)
    assert code == 1
    assert [f["rule"] for f in report["findings"]] == ["CAT041"]


def test_a_comment_on_its_own_line_silences_the_next_line_only(catalog: Path) -> None:
    text = (
        HEADER
        + BODY
        + "# catalog: ignore CAT041 -- not yet published\nlicense: unknown\ntags: [Bad Tag]\n"
    )
    code, report = findings_of(catalog, write(catalog, text))
    assert code == 1
    assert [f["rule"] for f in report["findings"]] == ["CAT053"]


def test_a_comment_atop_the_file_silences_the_whole_file(catalog: Path) -> None:
    text = (
        HEADER
        + "# catalog: ignore CAT041, CAT053 -- a fixture\n"
        + BODY
        + "license: unknown\ntags: [Bad Tag]\n"
    )
    code, report = findings_of(catalog, write(catalog, text), "--show-ignored")
    assert code == 0, report
    [ignored] = report["ignored"]
    assert ignored["scope"] == "file" and ignored["silenced"] == 2


def test_the_comment_silences_only_the_rules_it_names(catalog: Path) -> None:
    path = write(
        catalog, HEADER + BODY + "license: unknown  # catalog: ignore CAT040 -- wrong rule\n"
    )
    code, report = findings_of(catalog, path)
    assert code == 1
    assert sorted(f["rule"] for f in report["findings"]) == ["CAT041", "CAT097"]


def test_a_suppression_without_a_reason_is_an_error_and_silences_nothing(catalog: Path) -> None:
    path = write(catalog, HEADER + BODY + "license: unknown  # catalog: ignore CAT041\n")
    code, report = findings_of(catalog, path)
    assert code == 1
    assert sorted(f["rule"] for f in report["findings"]) == ["CAT041", "CAT098"]
    [problem] = [f for f in report["findings"] if f["rule"] == "CAT098"]
    assert "reason" in problem["message"] and "--" in problem["hint"]


@pytest.mark.parametrize("names", ["CAT999", "CAT41", "license", ""])
def test_a_suppression_naming_no_known_rule_is_an_error(catalog: Path, names: str) -> None:
    path = write(catalog, HEADER + BODY + f"license: unknown  # catalog: ignore {names} -- why\n")
    code, report = findings_of(catalog, path)
    assert code == 1
    assert sorted(f["rule"] for f in report["findings"]) == ["CAT041", "CAT098"]


def test_a_suppression_that_silences_nothing_is_a_warning(catalog: Path) -> None:
    path = write(
        catalog,
        HEADER + BODY + EVIDENCE + "license: Apache-2.0  # catalog: ignore CAT041 -- stale\n",
    )
    result, report = run_json("--catalog", catalog, "validate", "--format", "json", path)
    assert result.exit_code == 0  # a warning: it fails only --strict
    [finding] = report["findings"]
    assert (finding["rule"], finding["severity"], finding["line"]) == ("CAT097", "warning", 12)
    assert findings_of(catalog, path)[0] == 1


def test_a_suppression_of_an_online_rule_is_not_stale_offline(catalog: Path) -> None:
    path = write(
        catalog,
        HEADER + BODY + EVIDENCE + "license: Apache-2.0\n"
        "url: https://example.org/gone  # catalog: ignore CAT085 -- archived on purpose\n",
    )
    code, report = findings_of(catalog, path)
    assert code == 0, report


def test_a_trailing_comment_with_nothing_after_it_is_reported(catalog: Path) -> None:
    path = write(
        catalog,
        HEADER + BODY + EVIDENCE + "license: Apache-2.0\n# catalog: ignore CAT041 -- dangling\n",
    )
    code, report = findings_of(catalog, path)
    assert code == 1
    [finding] = report["findings"]
    assert (finding["rule"], finding["line"]) == ("CAT098", 13)


def test_show_ignored_lists_suppressions_in_text_and_github_formats(catalog: Path) -> None:
    path = write(
        catalog, HEADER + BODY + "license: unknown  # catalog: ignore CAT041 -- not yet published\n"
    )
    text = run("--catalog", catalog, "validate", "--show-ignored", path)
    assert text.exit_code == 0
    assert (
        "pending.yaml:8: CAT041 ignored: not yet published (line 8; silenced 1 finding)"
        in text.stdout
    )
    github = run("--catalog", catalog, "validate", "--show-ignored", "--format", "github", path)
    assert (
        "::notice file=" in github.stdout
        and "title=CAT041 ignored::not yet published" in github.stdout
    )
    quiet = run("--catalog", catalog, "validate", path)
    assert "ignored" not in quiet.stdout


def test_fmt_keeps_suppression_comments(catalog: Path) -> None:
    text = (
        HEADER
        + "# catalog: ignore CAT041 -- a fixture\n"
        + BODY
        + "license: unknown  # catalog: ignore CAT041 -- not yet published\n"
    )
    path = write(catalog, text)
    result = run("--catalog", catalog, "fmt", path)
    assert result.exit_code == 0, result.output
    formatted = path.read_text()
    assert "# catalog: ignore CAT041 -- a fixture\n" in formatted
    assert "license: unknown  # catalog: ignore CAT041 -- not yet published\n" in formatted


def test_a_marker_inside_a_quoted_value_is_not_a_suppression() -> None:
    found, problems = suppress.parse('summary: "see # catalog: ignore"\n', "x.yaml")
    # the marker without rules inside text is reported, so nobody believes it silences anything
    assert found == [] and [p.rule for p in problems] == ["CAT098"]
