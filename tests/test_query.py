from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openai_catalog.query import Filter, QueryError, Term, parse


def test_words_phrases_prefixes_exclusions_and_or() -> None:
    query = parse('code "language model" bio* -closed a OR b')
    assert query.clauses == [
        [Term("code")],
        [Term("language model", phrase=True)],
        [Term("bio", prefix=True)],
        [Term("closed", negated=True)],
        [Term("a"), Term("b")],
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kind:model", Filter("kind", "=", "model", raw="model")),
        ("license:permissive", Filter("license", "=", "permissive", raw="permissive")),
        ("licence:Apache-2.0", Filter("license", "=", "Apache-2.0", raw="Apache-2.0")),
        ("params:>=7B", Filter("params", ">=", 7_000_000_000, raw="7B")),
        ("downloads:>10k", Filter("downloads", ">", 10_000, raw="10k")),
        ("released:<2023-06", Filter("released", "<", "2023-06", raw="2023-06")),
        ("year:2022", Filter("released", "=", "2022", raw="2022")),
        ('by:"stanford crfm"', Filter("by", "=", "stanford crfm", raw="stanford crfm")),
        ("-tag:code", Filter("tag", "=", "code", negated=True, raw="code")),
        ("weights:OPEN", Filter("weights", "=", "open", raw="OPEN")),
    ],
)
def test_field_filters(text: str, expected: Filter) -> None:
    assert parse(text).clauses == [[expected]]


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("kind:modle", 5, "did you mean 'model'"),
        ("colour:red", 0, "unknown field"),
        ("params:lots", 7, "not a number"),
        ("released:last-year", 9, "not a date"),
        ('"unclosed', 0, "never closed"),
        ("OR a", 0, "OR needs"),
        ("a OR", 4, "OR needs"),
        ("kind:>model", 5, "takes no comparison"),
        ("tag:", 4, "needs a value"),
    ],
)
def test_bad_queries_point_at_the_problem(text: str, position: int, words: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(text)
    error = caught.value
    assert error.exit_code == 2
    assert error.pos == position
    assert words in error.message + (error.hint or "")
    assert error.message.endswith(" " * position + "^")


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_text_parses_or_is_a_usage_error(text: str) -> None:
    try:
        query = parse(text)
    except QueryError as error:
        assert error.exit_code == 2
        assert 0 <= error.pos <= len(text)
    else:
        assert all(clause for clause in query.clauses)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["gpt", "-x", '"a b"', "kind:model", "OR", "p*", "params:>1B", ":", "-"]),
        max_size=8,
    )
)
def test_structured_fragments_never_crash(parts: list[str]) -> None:
    try:
        parse(" ".join(parts))
    except QueryError:
        pass
