"""How values read on a terminal (present.py): pure functions, tested without printing."""

from __future__ import annotations

import datetime as dt
import re

from helpers import MINI
from openai_catalog import present
from openai_catalog.enrich.snapshot import SourceRecord
from openai_catalog.query import parse
from openai_catalog.registry import load_catalog

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


def test_control_and_bidirectional_characters_are_shown_as_escapes() -> None:
    assert present.safe("a\x1b[31mb\u202ec") == "a\\x1b[31mb\\x202ec"
    assert present.safe(42) == "42"


def test_licence_terms_resolve_or_say_unknown() -> None:
    catalog = load_catalog(MINI)
    assert present.license_terms(catalog, None) is None
    assert present.license_terms(catalog, "no-such-licence AND (") is None
    assert present.license_category_of(catalog, "no-such-licence") == "unknown"
    assert present.license_category_of(catalog, "Apache-2.0") == "permissive"


def test_github_annotations_escape_what_would_end_a_field() -> None:
    assert present.github_escape("50%\nnext\r") == "50%25%0Anext%0D"
    assert present.github_escape("a:b,c", prop=True) == "a%3Ab%2Cc"
    assert present.github_escape("a:b,c") == "a:b,c"


def test_the_highlight_pattern_holds_the_query_words_longest_first() -> None:
    pattern = present.highlight_pattern(parse('code "language model" -image kind:model'))
    assert pattern is not None
    assert re.search(pattern, "Code Llama, a LANGUAGE modelling kit")
    assert pattern.index("language") < pattern.index("code")
    assert "image" not in pattern
    assert present.highlight_pattern(parse("kind:model")) is None


def test_cells_count_wide_characters_twice_and_fit_cuts_or_pads() -> None:
    assert present.cells("abc") == 3 and present.cells("日本") == 4
    assert present.fit("abcdef", 4, pad=False) == "abc…"
    assert (
        present.fit("日本語", 5, pad=True) == "日本…"
        and present.fit("日本語x", 6, pad=True) == "日本… "
    )
    assert present.fit("ab", 4, pad=True) == "ab  " and present.fit("ab", 4, pad=False) == "ab"


def test_ages_read_as_people_say_them() -> None:
    assert present.age(None) is None and present.age("not a time") is None
    assert present.age("2026-06-01T00:00:00Z", NOW) == "today"
    assert present.age("2026-05-31T00:00:00Z", NOW) == "1 day ago"
    assert present.age("2026-03-01T00:00:00Z", NOW, short=True) == "3mo ago"
    assert present.age("2024-01-01T00:00:00Z", NOW) == "2 years ago"
    assert present.age("2027-01-01T00:00:00Z", NOW) == "today"  # a clock ahead is not the future
    assert present.dated("2026-05-25T10:00:00Z", NOW) == "2026-05-25 (6 days ago)"
    assert present.dated(None, NOW) is None


def test_enrichment_rows_give_figures_activity_errors_and_the_fetch_date() -> None:
    hub = SourceRecord(
        "org/m",
        "2026-05-31T00:00:00Z",
        {"downloads": 1234, "likes": 5, "last_modified": "2026-05-01T00:00:00Z"},
    )
    github = SourceRecord(
        "org/r",
        "2026-05-30T00:00:00Z",
        {"stars": 7, "pushed_at": "2026-05-20T00:00:00Z"},
        {"kind": "rate_limited", "message": "try later"},
    )
    rows = dict(present.enrichment_rows({"hub": hub, "github": github}, NOW))
    assert rows["downloads"] == "1,234 (last 30 days)" and rows["stars"] == "7"
    assert rows["last activity"] == "2026-05-20 (12 days ago) on GitHub"
    assert rows["github status"] == "rate limited: try later"
    assert rows["enriched"] == "2026-05-31 (1 day ago)"
    assert present.enrichment_rows({}, NOW) == []


def test_figures_of_a_hit_are_counted_in_short() -> None:
    class Hit:
        downloads, likes, stars = 48213, 1520, None

    assert present.figures_text(Hit()) == "48.2K dl 1.52K ♥"
