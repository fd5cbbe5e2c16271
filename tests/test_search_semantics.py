"""The query language at its edges, and what a search means beyond its words (issue 18).

Expected sets are computed here from the loaded catalogue, independently of the index's SQL."""

from __future__ import annotations

import calendar
import datetime as dt
import importlib.util
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers import MINI, ROOT, SHIPPED, run, write_catalog
from helpers import entry as new_entry
from openai_catalog.index import Searcher, build_index
from openai_catalog.query import QueryError, parse
from openai_catalog.registry import load_catalog
from openai_catalog.synonyms import KIND_WORDS, PLACES, interpret, words


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Searcher]]:
    path = tmp_path_factory.mktemp("index") / "shipped.sqlite"
    build_index(SHIPPED, path)
    conn = sqlite3.connect(path)
    yield load_catalog(SHIPPED), Searcher(conn)
    conn.close()


def found(searcher: Searcher, text: str) -> set[str]:
    searcher.query_text = text
    return {hit.id for hit in searcher.search(parse(text)).hits}


def ranked(searcher: Searcher, text: str, n: int = 10) -> list[str]:
    searcher.query_text = text
    return [hit.id for hit in searcher.search(parse(text), limit=n).hits]


# --- exact semantics at the edges ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("gpt OR OR jax", "OR needs a term on each side"),
        ("OR gpt", "OR needs a term on each side"),
        ("gpt OR", "OR needs a term after it"),
        ("tag:>code", "takes no comparison"),
        ("kind:>=model", "takes no comparison"),
        ("license:<mit", "takes no comparison"),
    ],
)
def test_malformed_or_and_comparisons_on_unordered_fields_are_refused(
    query: str, message: str
) -> None:
    with pytest.raises(QueryError, match=message):
        parse(query)
    result = run("--catalog", MINI, "list", query)
    assert result.exit_code == 2 and message in result.stderr


def _first_day(value: str) -> dt.date:
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def _last_day(value: str) -> dt.date:
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return dt.date(*parts)


def _released_holds(released: str, op: str, bound: str) -> bool:
    """An entry's release is its first possible day; a bound covers its whole year, month or day."""
    day = _first_day(released)
    return {
        ">": day > _last_day(bound),
        ">=": day >= _first_day(bound),
        "<": day < _first_day(bound),
        "<=": day <= _last_day(bound),
        "": _first_day(bound) <= day <= _last_day(bound),
    }[op]


@pytest.mark.parametrize("op", ["", ">", ">=", "<", "<="])
@pytest.mark.parametrize(
    "bound", ["2023", "2023-05", "2023-02", "2023-07-18", "2024-12-31", "2021-06-01"]
)
def test_release_bounds_are_exact_to_their_precision(
    shipped: tuple[Any, Searcher], op: str, bound: str
) -> None:
    catalog, searcher = shipped
    expected = {
        e.id for e in catalog.entries() if e.released and _released_holds(e.released, op, bound)
    }
    assert found(searcher, f"released:{op}{bound}") == expected


def test_after_a_month_means_strictly_after_it(shipped: tuple[Any, Searcher]) -> None:
    catalog, searcher = shipped
    in_may = {e.id for e in catalog.entries() if e.released and e.released.startswith("2023-05")}
    after = found(searcher, "released:>2023-05")
    assert in_may and not in_may & after
    assert {e.id for e in catalog.entries() if e.released and e.released >= "2023-06"} == after


@pytest.mark.parametrize("op", ["", ">", ">=", "<", "<="])
@pytest.mark.parametrize(
    ("raw", "count"),
    [
        ("1.5B", 1_500_000_000),
        ("2.7B", 2_700_000_000),
        ("6B", 6_000_000_000),
        ("770M", 770_000_000),
    ],
)
def test_parameter_counts_compare_exactly(
    shipped: tuple[Any, Searcher], op: str, raw: str, count: int
) -> None:
    catalog, searcher = shipped
    compare = {
        "": int.__eq__,
        ">": int.__gt__,
        ">=": int.__ge__,
        "<": int.__lt__,
        "<=": int.__le__,
    }[op]
    params = {
        e.id: int(e.parameters)
        for e in catalog.entries()
        if getattr(e, "parameters", None) is not None
    }
    assert found(searcher, f"params:{op}{raw}") == {
        i for i, p in params.items() if compare(p, count)
    }


def test_a_decimal_count_is_not_rounded(shipped: tuple[Any, Searcher]) -> None:
    catalog, searcher = shipped
    assert "gpt-neo-2-7b" in found(searcher, "params:2.7B")
    assert not found(searcher, "params:2.7B") & found(searcher, "params:3B")


@pytest.mark.parametrize(
    ("query", "hint"),
    [
        ("by:eleuther", "did you mean 'eleutherai'"),
        ("by:nobody-at-all", "catalog list kind:community"),
    ],
)
def test_by_naming_no_community_is_a_usage_error(query: str, hint: str) -> None:
    result = run("--catalog", MINI, "list", query)
    assert result.exit_code == 2
    assert "no community" in result.stderr and hint in result.stderr
    assert run("--catalog", MINI, "list", "--by", query[3:]).exit_code == 2


def test_noncommercial_is_the_complement_of_commercial_among_resolved_licences(
    shipped: tuple[Any, Searcher],
) -> None:
    catalog, searcher = shipped
    commercial = {}
    for entry in catalog.entries():
        if entry.license:
            try:
                commercial[entry.id] = catalog.licenses.resolve(entry.license).commercial
            except Exception:  # an unresolvable licence says nothing about commercial use
                pass
    assert found(searcher, "license:noncommercial") == {
        i for i, c in commercial.items() if c is False
    }
    assert (
        found(searcher, "license:noncommercial")
        and "noncommercial" in (ROOT / "README.md").read_text()
    )


@pytest.mark.parametrize(
    "condition",
    [
        "license:commercial",
        "license:noncommercial",
        "license:permissive",
        "code_license:MIT",
        "by:eleutherai",
        "tag:code",
        "modality:image",
        "openness:open",
        "weights:open",
        "params:>=7B",
        "released:>=2023",
        "status:active",
        "diffusion",
    ],
)
@pytest.mark.parametrize("rest", ["", "kind:compute", "kind:model", "model"])
def test_a_negated_condition_is_exactly_the_complement_within_the_rest(
    shipped: tuple[Any, Searcher], condition: str, rest: str
) -> None:
    _, searcher = shipped
    within = found(searcher, rest) if rest else {e.id for e in shipped[0].entries()}
    assert found(searcher, f"-{condition} {rest}".strip()) == within - found(
        searcher, f"{condition} {rest}".strip()
    )


# --- what a search means -------------------------------------------------------------------------


def test_a_hyphenated_name_is_no_prefix_search_on_its_parts(shipped: tuple[Any, Searcher]) -> None:
    _, searcher = shipped
    for text in ("gpt-j", "GPT J"):
        hits = searcher.search(parse(text)).hits
        assert hits[0].id == "gpt-j-6b"
        for (
            hit
        ) in hits:  # each says GPT-J, or is named so; JAX, Jupiter or July alone is not enough
            said = (
                " ".join(
                    [
                        hit.name,
                        hit.summary,
                        hit.data.get("description") or "",
                        *hit.data.get("aliases", []),
                    ]
                )
                .lower()
                .replace(" ", "-")
            )
            assert "gpt-j" in said, hit.id


def test_text_to_image_favours_text_to_image_over_image_to_text(
    shipped: tuple[Any, Searcher],
) -> None:
    _, searcher = shipped
    for text in ("text to image", "text-to-image", "t2i"):
        hits = searcher.search(parse(text), limit=10).hits
        assert all("text-to-image" in h.data.get("tags", []) for h in hits[:8]), text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("code dataset", "dataset"),
        ("math dataset", "dataset"),
        ("speech dataset", "dataset"),
        ("quantisation library", "tool"),
        ("gpu grant", "compute"),
        ("code model", "model"),
    ],
)
def test_kind_words_favour_their_kind(shipped: tuple[Any, Searcher], text: str, kind: str) -> None:
    _, searcher = shipped
    hits = searcher.search(parse(text), limit=3).hits
    assert len(hits) == 3 and all(h.kind == kind for h in hits), [h.id for h in hits]


@pytest.mark.parametrize(
    "text",
    ["instruction dataset", "embeddings library", "code dataset", "gpu grant", "video model"],
)
def test_a_kind_word_beside_other_words_puts_its_kind_first(
    shipped: tuple[Any, Searcher], text: str
) -> None:
    """The other words say what the entry is about, the kind word what it is: every entry of the
    asked kind comes before every other entry, whatever their scores (unless one is named so)."""
    _, searcher = shipped
    kind = KIND_WORDS[text.split()[-1]][0]
    kinds = [h.kind for h in searcher.search(parse(text)).hits]
    assert kind in kinds
    first_other = next((i for i, k in enumerate(kinds) if k != kind), len(kinds))
    assert kind not in kinds[first_other:], kinds


@pytest.mark.parametrize("text", ["embedding benchmark", "benchmark", "dataset"])
def test_benchmark_and_a_lone_kind_word_only_favour_their_kind(text: str) -> None:
    """`benchmark` also describes tools (MTEB), and a kind word alone is what is searched for."""
    assert interpret(parse(text)).first == ()


def test_a_two_character_name_spelt_whole_leads(shipped: tuple[Any, Searcher]) -> None:
    """`t5` names T5; as a prefix two characters would name half the catalogue, so only the
    entries so named (or aliased, or id'd) lead."""
    catalog, searcher = shipped
    short = {}
    for e in catalog.entries():
        for written in (e.name, e.id, *e.aliases):
            key = "".join(words(written))
            if len(key) == 2:
                short.setdefault(key, set()).add(e.id)
    assert short, "the shipped catalogue has two-character names (t5)"
    for key, ids in short.items():
        first = ranked(searcher, key, len(ids))
        assert set(first) == ids, (key, first)


def _region_values(catalog: Any) -> dict[str, set[str]]:
    regions: dict[str, set[str]] = {}
    for e in catalog.entries():
        region = getattr(e, "region", None)
        if region:
            regions.setdefault(region.strip().lower(), set()).add(e.id)
    return regions


def test_region_compares_whole_values_in_any_case(shipped: tuple[Any, Searcher]) -> None:
    catalog, searcher = shipped
    regions = _region_values(catalog)
    assert len(regions) > 10
    for value, ids in regions.items():
        assert found(searcher, f'region:"{value.upper()}"') == ids, value
    assert found(searcher, "region:fin") == set()


@pytest.mark.parametrize(("place", "rest"), [("europe", "supercomputer"), ("asia", "gpu")])
def test_a_place_word_beside_others_also_finds_programmes_in_its_region(
    shipped: tuple[Any, Searcher], place: str, rest: str
) -> None:
    """`supercomputer europe` finds a Finnish programme whose page never says "Europe": exactly
    what matches the other words and either says the place or lies there."""
    catalog, searcher = shipped
    inside = {
        i for value, ids in _region_values(catalog).items() if value in PLACES[place] for i in ids
    }
    assert inside - found(searcher, place), "some programme there never names the place"
    expected = found(searcher, rest) & (found(searcher, place) | inside)
    assert found(searcher, f"{rest} {place}") == expected
    regions = _region_values(catalog)
    value = next(v for v in PLACES[place] if v in regions and " " not in v)
    there = regions[value]
    assert found(searcher, f"{rest} -region:{value}") == found(searcher, rest) - there


def test_a_lone_place_word_is_searched_as_typed(shipped: tuple[Any, Searcher]) -> None:
    _, searcher = shipped
    assert interpret(parse("europe")).query.clauses == parse("europe").clauses


def test_an_entry_others_point_to_ranks_above_its_textual_twin(tmp_path: Path) -> None:
    """Equal words, equal scores but for the entries that use, build on or train on one of
    them: that one comes first, whatever the names' order."""
    text = "A vector search library for embeddings."
    root = write_catalog(
        tmp_path / "catalog",
        new_entry("aaa-vectors", "tool", summary=text),
        new_entry("zzz-vectors", "tool", summary=text),
        *(new_entry(f"user-{n}", "tool", relations={"uses": ["zzz-vectors"]}) for n in range(3)),
    )
    path = tmp_path / "index.sqlite"
    build_index(root, path)
    conn = sqlite3.connect(path)
    try:
        assert ranked(Searcher(conn), "vector search", 2) == ["zzz-vectors", "aaa-vectors"]
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("short", "long"),
    [
        ("asr", "speech recognition"),
        ("tts", "text to speech"),
        ("moe", "mixture of experts"),
        ("speech to text", "speech recognition"),
        ("rag", "retrieval augmented generation"),
        ("vlm", "vision language model"),
    ],
)
def test_an_abbreviation_finds_what_its_long_form_finds(
    shipped: tuple[Any, Searcher], short: str, long: str
) -> None:
    _, searcher = shipped
    assert found(searcher, long) <= found(searcher, short)
    assert set(ranked(searcher, short, 5)) & set(ranked(searcher, long, 5))


def test_sd_means_stable_diffusion_not_every_name_starting_with_sd(
    shipped: tuple[Any, Searcher],
) -> None:
    _, searcher = shipped
    assert "stable-diffusion-v1-5" in found(searcher, "sd")


@pytest.mark.parametrize("typed", ["stable diffusion", "sd", "Stable-Diffusion"])
def test_a_name_synonym_still_puts_the_entries_so_named_first(
    shipped: tuple[Any, Searcher], typed: str
) -> None:
    """`sd` and `stable diffusion` name releases: the releases lead, before the tools named after
    them (whose longer names start the same way), whatever else those tools say."""
    _, searcher = shipped
    first = ranked(searcher, typed)[:3]
    assert all(e.startswith("stable-diffusion-") for e in first), first


@pytest.mark.parametrize(
    ("typed", "wanted"),
    [("stable difusion", "stable-diffusion"), ("lama 3", "llama-3"), ("whsiper", "whisper")],
)
def test_a_misspelling_searches_its_correction(
    shipped: tuple[Any, Searcher], typed: str, wanted: str
) -> None:
    _, searcher = shipped
    searcher.query_text = typed
    result = searcher.search(parse(typed), limit=3)
    assert result.corrections and result.hits[0].id.startswith(wanted)


def test_a_correction_is_said_on_stderr_only() -> None:
    result = run("--catalog", MINI, "search", "gpt-j-6v", "--format", "ids")
    assert result.exit_code == 0
    assert "gpt-j-6b" in result.stdout.split() and "searched for" not in result.stdout


def test_words_that_match_as_typed_are_never_corrected(shipped: tuple[Any, Searcher]) -> None:
    _, searcher = shipped
    assert not searcher.search(parse("llama")).corrections
    assert not searcher.search(parse("qqqzzzxxx")).hits


# --- the judged relevance set --------------------------------------------------------------------


def _relevance() -> Any:
    spec = importlib.util.spec_from_file_location("relevance", ROOT / "bench" / "relevance.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def test_the_scores_of_the_relevance_benchmark_are_right() -> None:
    bench = _relevance()
    want = {"a": 3, "b": 2, "c": 1}
    assert bench.ndcg(["a", "b", "c"], want) == pytest.approx(1.0)
    assert bench.ndcg(["x", "y"], want) == 0.0
    assert 0 < bench.ndcg(["c", "b", "a"], want) < 1
    assert bench.reciprocal_rank(["x", "b", "a"], want) == pytest.approx(1 / 3)


def test_the_judged_queries_keep_their_ranking_above_the_floor(
    shipped: tuple[Any, Searcher], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The benchmark's target is nDCG@10 >= 0.9; a change that ruins the ranking of the judged
    entries falls below 0.8. The floor holds on the condensed figures, which leave out entries
    nobody has judged yet, so that adding entries to the catalogue does not fail it."""
    bench = _relevance()
    queries = bench.load()
    assert len(queries) >= 80
    ids = {e.id for e in shipped[0].entries()}
    assert all(set(j.want) | j.rejected <= ids for j in queries), "a judged entry no longer exists"
    _, searcher = shipped
    monkeypatch.setattr(
        bench, "run_query", lambda root, text, limit=bench.DEPTH: ranked(searcher, text, limit)
    )
    scored = bench.evaluate(SHIPPED)
    assert sum(s.ndcg_condensed for s in scored) / len(scored) >= 0.8
    assert sum(s.rr_condensed for s in scored) / len(scored) >= 0.8


def test_condensed_scores_skip_unjudged_entries_but_keep_the_rejected_ones(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bench = _relevance()
    queries = tmp_path / "q.yaml"
    queries.write_text("- {q: x, want: {a: 3, b: 2}, not: [r]}\n", encoding="utf-8")
    monkeypatch.setattr(
        bench, "run_query", lambda root, text, limit=bench.DEPTH: ["new", "r", "a", "b"]
    )
    [s] = bench.evaluate(tmp_path, queries)
    assert s.unjudged == ("new",)
    assert s.ndcg_condensed == pytest.approx(bench.ndcg(["r", "a", "b"], {"a": 3, "b": 2}))
    assert s.ndcg < s.ndcg_condensed < 1
    assert s.rr == pytest.approx(1 / 3) and s.rr_condensed == pytest.approx(1 / 2)
