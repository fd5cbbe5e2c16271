"""CAT094: summaries and descriptions describe in our own words; a claim of rank is quoted."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import SHIPPED, entry, run_json, write_catalog
from openai_catalog.checks.wording import ranking_words


@pytest.mark.parametrize(
    "text, words",
    [
        ("The best open model of 2024.", ["best"]),
        ("A state-of-the-art and SOTA encoder.", ["state-of-the-art", "SOTA"]),
        ("Best-in-class speed from a world-class team.", ["Best-in-class", "world-class"]),
        ("An industry-leading, cutting-edge runtime.", ["industry-leading", "cutting-edge"]),
        (
            "The leading library; unmatched and most capable.",
            ["The leading", "unmatched", "most capable"],
        ),
    ],
)
def test_ranking_words_are_found_wherever_they_stand(text: str, words: list[str]) -> None:
    assert ranking_words(text) == words


@pytest.mark.parametrize(
    "text",
    [
        'Its makers call it "state of the art" on their blog.',
        "Its makers call it “the best open model” in the announcement.",
        "Best known for its tokenizer; the best-known port of Whisper.",
        "Leading zeros are kept; a 7B model leading to a 70B one.",
        "Trained on 15T tokens and released under Apache-2.0.",
        "Bestow, bestiary and Sotaro are not ranking words.",
    ],
)
def test_quotations_renown_and_plain_facts_are_not_ranking(text: str) -> None:
    assert ranking_words(text) == []


def test_validate_reports_the_field_that_ranks_and_strict_makes_it_an_error(tmp_path: Path) -> None:
    root = write_catalog(
        tmp_path / "c",
        entry("ranked", summary="The best open model of its year."),
        entry(
            "quoted",
            summary="A 7B model.",
            description='Its makers call it "the best open model of its year".\n',
        ),
    )
    _, report = run_json("--catalog", root, "validate", "--format", "json")
    found = [f for f in report["findings"] if f["rule"] == "CAT094"]
    assert [(Path(f["path"]).stem, f["severity"]) for f in found] == [("ranked", "warning")]
    assert "'best'" in found[0]["message"] and "`summary`" in found[0]["message"]
    assert found[0]["line"] > 0
    strict, _ = run_json("--catalog", root, "validate", "--strict", "--format", "json")
    assert strict.exit_code == 1


def test_the_shipped_catalogue_describes_without_ranking() -> None:
    _, report = run_json("--catalog", SHIPPED, "validate", "--format", "json")
    assert [f for f in report["findings"] if f["rule"] == "CAT094"] == []
