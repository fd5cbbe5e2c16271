"""The licence and openness filters of the query language: exactly the entries the rules say."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helpers import MINI, SHIPPED, run, run_json
from openai_catalog.index import Searcher, build_index
from openai_catalog.licenses import CATEGORIES, LicenseError
from openai_catalog.openness import GRADES, grade
from openai_catalog.query import parse
from openai_catalog.registry import load_catalog

PERMISSIVE = {
    "gpt-j-6b",
    "open-lm",
    "vision-lm",
    "open-corpus",
    "scraped-images",
    "the-pile",
    "jax",
    "tagged-model",
    "cafe-corpus",
}


def ids(*args: str | Path) -> set[str]:
    result = run("--catalog", MINI, "list", *args, "--format", "ids")
    assert result.exit_code == 0, result.output
    return set(result.stdout.split())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("license:permissive", PERMISSIVE),
        ("license:commercial", PERMISSIVE | {"llama-2-7b", "mesa-lm"}),
        ("license:non-commercial", {"sealed-lm", "gated-speech"}),  # an AND with CC-BY-NC is NC
        ("license:community", {"llama-2-7b", "mesa-lm"}),
        ("license:unknown", set()),  # no licence is not an unknown one
        ("license:llama3.1", {"mesa-lm"}),  # a Hub id finds its licence
        ("license:Apache-2.0", {"gpt-j-6b", "open-lm", "vision-lm", "sealed-lm", "jax"}),
        ("license:odc-by", {"open-corpus"}),  # part of an expression
        ("license:permissive kind:model", {"gpt-j-6b", "open-lm", "vision-lm", "tagged-model"}),
        ("openness:open-science", {"open-lm"}),
        ("openness:open-tooling", {"vision-lm"}),
        ("openness:open-model", {"gpt-j-6b"}),
        ("openness:open-weights", {"llama-2-7b", "mesa-lm", "tagged-model"}),  # tagged: no docs
        ("openness:closed", {"sealed-lm", "scraped-images"}),
        ("openness:open-data", {"the-pile", "open-corpus"}),
        ("openness:open-access", {"gated-speech", "cafe-corpus"}),  # cafe: no paper or card
        ("openness:open", {"open-lm", "vision-lm", "gpt-j-6b", "the-pile", "open-corpus"}),
        ("openness:>=open-model", {"open-lm", "vision-lm", "gpt-j-6b"}),
        ("openness:<open-model", {"llama-2-7b", "mesa-lm", "sealed-lm", "tagged-model"}),
        (
            "openness:>closed kind:dataset",
            {"the-pile", "open-corpus", "gated-speech", "cafe-corpus"},
        ),
        ("weights:open", {"gpt-j-6b", "mesa-lm", "open-lm", "vision-lm", "tagged-model"}),
        ("weights:gated", {"llama-2-7b"}),
        ("weights:closed", {"sealed-lm"}),
        ("weights:open license:commercial openness:<open-model", {"mesa-lm", "tagged-model"}),
    ],
)
def test_filters_in_the_query_language(query: str, expected: set[str]) -> None:
    assert ids(*query.split()) == expected


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (
            ["--license", "permissive", "--kind", "model"],
            {"gpt-j-6b", "open-lm", "vision-lm", "tagged-model"},
        ),
        (
            ["--license", "commercial", "--openness", "open"],
            {"open-lm", "vision-lm", "gpt-j-6b", "the-pile", "open-corpus"},
        ),
        (
            ["--license", "community", "--license", "non-commercial"],
            {"llama-2-7b", "mesa-lm", "sealed-lm", "gated-speech"},
        ),
        (["--openness", ">=open-tooling"], {"open-lm", "vision-lm"}),
        (["--weights", "open", "--license", "community"], {"mesa-lm"}),
    ],
)
def test_filter_flags(flags: list[str], expected: set[str]) -> None:
    assert ids(*flags) == expected


def test_the_region_flag_is_the_region_field(tmp_path: Path) -> None:
    """`--region X` keeps what `region:X` keeps: programmes whose region is X, case aside."""
    from helpers import entry, write_catalog

    root = write_catalog(
        tmp_path / "catalog",
        entry("finnish-gpus", "compute", region="Finland"),
        entry("eu-gpus", "compute", region="EU"),
        entry("finnish-model", "model", summary="A model trained in Finland on Finnish text."),
    )
    for flags in (["--region", "finland"], ["region:FINLAND"]):
        result = run("--catalog", root, "list", *flags, "--format", "ids")
        assert result.exit_code == 0, result.output
        assert result.stdout.split() == ["finnish-gpus"]
    found = run("--catalog", root, "search", "gpus", "europe", "--format", "ids")
    assert sorted(found.stdout.split()) == ["eu-gpus", "finnish-gpus"]


def test_search_takes_the_same_filters() -> None:
    result, document = run_json(
        "--catalog",
        MINI,
        "search",
        "model",
        "license:permissive",
        "openness:open",
        "kind:model",
        "--format",
        "json",
    )
    hits = document["entries"]
    assert result.exit_code == 0
    found = {h["id"] for h in hits}
    assert found and found <= {"open-lm", "vision-lm", "gpt-j-6b"}
    assert all(h["license_category"] == "permissive" for h in hits)
    assert {h["openness"] for h in hits} <= {"open-science", "open-tooling", "open-model"}


@pytest.mark.parametrize(
    ("query", "hint"),
    [
        ("openness:opne", "open"),
        ("openness:open-modle", "open-model"),
        ("license:permisive", "permissive"),
        ("openness:>=open", "compare with a grade"),
        ("weights:opn", "open"),
    ],
)
def test_bad_filter_values_are_usage_errors_with_a_hint(query: str, hint: str) -> None:
    result = run("--catalog", MINI, "list", query)
    assert result.exit_code == 2
    assert hint in result.stderr


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Searcher]:
    path = tmp_path_factory.mktemp("index") / "shipped.sqlite"
    build_index(SHIPPED, path)
    import sqlite3

    conn = sqlite3.connect(path)
    yield load_catalog(SHIPPED), Searcher(conn)
    conn.close()


def _found(searcher: Searcher, query: str) -> set[str]:
    return {hit.id for hit in searcher.search(parse(query)).hits}


def test_negated_filters_keep_what_the_rules_exclude(tmp_path: Path) -> None:
    path = tmp_path / "mini.sqlite"
    build_index(MINI, path)
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        searcher = Searcher(conn)
        assert _found(searcher, "-license:commercial kind:model") == {"sealed-lm"}
        assert _found(searcher, "weights:open -openness:open") == {"mesa-lm", "tagged-model"}
        assert _found(searcher, "kind:dataset -license:permissive") == {"gated-speech"}
    finally:
        conn.close()
    # and on the command line, where query commands have no short options to swallow them
    assert ids("-license:commercial", "kind:model") == {"sealed-lm"}
    assert ids("weights:open", "-openness:open") == {"mesa-lm", "tagged-model"}


def test_shipped_filters_return_exactly_what_the_rules_say(shipped: tuple[Any, Searcher]) -> None:
    catalog, searcher = shipped
    resolved = {}
    for entry in catalog.entries():
        if entry.license:
            try:
                resolved[entry.id] = catalog.licenses.resolve(entry.license)
            except LicenseError:
                pass
    for category in CATEGORIES:
        assert _found(searcher, f"license:{category}") == {
            i for i, r in resolved.items() if r.category == category
        }, category
    assert _found(searcher, "license:commercial") == {
        i for i, r in resolved.items() if r.commercial
    }
    graded = {
        e.id: grade(e, catalog).grade for e in catalog.entries("model") + catalog.entries("dataset")
    }
    for name in GRADES:
        expected = {i for i, g in graded.items() if g == name}
        assert _found(searcher, f"openness:{name}") == expected, name
    for weights in ("open", "gated", "closed"):
        assert _found(searcher, f"weights:{weights}") == {
            e.id for e in catalog.entries("model") if e.weights == weights
        }
    assert _found(searcher, "license:permissive openness:open-science") == {
        i for i, g in graded.items() if g == "open-science" and resolved[i].category == "permissive"
    }


@pytest.mark.parametrize(
    "args",
    [
        ["search", "--modality", "--format", "json"],
        ["search", "--tag", "--limit", "3"],
        ["list", "--by", "--format=json"],
        ["search", "gpt", "--license", "--sort", "name"],
        ["export", "json", "--code-license", "--output", "x.json"],
    ],
)
def test_a_filter_given_an_option_instead_of_its_value_is_a_usage_error(args: list[str]) -> None:
    """`--modality --format json` must not search for modality "--format" and print text."""
    result = run("--catalog", MINI, *args)
    assert result.exit_code == 2, result.output
    assert "needs a value, not the option --" in result.output
    assert not Path("x.json").exists()
