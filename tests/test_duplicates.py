"""No artifact is catalogued twice (issue 13 point 4): no two shipped entries share a Hub repo (an
entry's own or one of its variants'), a GitHub repository, a homepage within a kind, or a name or
alias once case, punctuation and spaces are ignored.

A community often shares its name with what it makes (Ollama the tool, Ollama the team), so a name
shared by a community and an artifact is no duplicate; two artifacts or two communities sharing
one are. The detector is checked on planted duplicates first, so that the test over the shipped
catalogue cannot pass by finding nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import Any
from urllib.parse import urlsplit

import pytest

from helpers import SHIPPED
from openai_catalog.registry import load_catalog
from openai_catalog.schema import Model, entry_to_dict

# The kind of Hub repo an entry's `hub` names: models and datasets live apart on the Hub, and a
# community's `hub` is an organisation.
HUB_TYPES = {"model": "model", "dataset": "dataset", "community": "org"}


def name_key(text: str) -> str:
    """`GPT-J 6B`, `gpt j-6b` and `GPT_J_6B` alike: case, accents, punctuation and spaces aside.
    A plus is read as the word (`HumanEval+` is `HumanEvalPlus`, not `HumanEval`)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("+", "plus"))
    return "".join(c for c in decomposed if c.isalnum())


def url_key(url: str) -> str:
    """A homepage with its scheme, `www.`, default port, trailing slash and fragment aside."""
    split = urlsplit(url.strip())
    host = (split.hostname or "").lower().removeprefix("www.")
    path = re.sub(r"/+$", "", split.path) or ""
    query = f"?{split.query}" if split.query else ""
    return f"{host}{path}{query}"


def claims(entry: Any) -> Iterable[tuple[str, str]]:
    """What one entry claims, as (what, key) pairs that no other entry may share."""
    hubs = [entry.hub, *(v.hub for v in getattr(entry, "variants", ()))]
    for hub in dict.fromkeys(h.lower() for h in hubs if h):
        yield "Hub repo", f"{HUB_TYPES.get(entry.kind, 'space')}:{hub}"
    if entry.github and "/" in entry.github:  # a community's organisation is no repository
        yield "GitHub repo", entry.github.lower()
    if entry.url:
        yield "homepage", f"{entry.kind}:{url_key(entry.url)}"
    for name in dict.fromkeys(name_key(n) for n in (entry.name, *entry.aliases)):
        if name:
            yield "name", name


def duplicates(entries: Iterable[Any]) -> list[str]:
    """Every pair of entries that claim the same thing, as a sentence naming both."""
    claimed: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for entry in entries:
        for claim in claims(entry):
            claimed[claim].append(entry)
    found = []
    for (what, key), owners in sorted(claimed.items()):
        for a, b in combinations(owners, 2):
            if what == "name" and (a.kind == "community") != (b.kind == "community"):
                continue  # a maker and what it makes may share a name
            found.append(f"{a.id} and {b.id} share the {what} {key!r}")
    return found


def model(entry_id: str, name: str, **fields: Any) -> Model:
    return Model.model_validate(
        {
            "id": entry_id,
            "name": name,
            "kind": "model",
            "summary": "A model used by the duplicate tests only.",
            "license": "MIT",
            "sources": ["https://example.org"],
            **fields,
        }
    )


@pytest.mark.parametrize(
    ("a", "b", "what"),
    [
        ({"hub": "org/Model-7B"}, {"hub": "ORG/model-7b"}, "Hub repo"),
        (
            {"hub": "org/family"},
            {"variants": [{"name": "Family 7B", "hub": "Org/Family"}]},
            "Hub repo",
        ),
        (
            {"variants": [{"name": "A", "hub": "org/a-7b"}]},
            {"variants": [{"name": "B", "hub": "org/A-7B"}]},
            "Hub repo",
        ),
        ({"github": "Org/Repo"}, {"github": "org/repo"}, "GitHub repo"),
        ({"url": "https://www.example.org/x/"}, {"url": "https://example.org/x"}, "homepage"),
        ({"aliases": ["GPT J 6B"]}, {"aliases": ["gpt-j-6b"]}, "name"),
    ],
)
def test_the_detector_finds_each_kind_of_duplicate(
    a: dict[str, Any], b: dict[str, Any], what: str
) -> None:
    found = duplicates([model("one", "One", **a), model("two", "Two", **b)])
    assert len(found) == 1 and found[0].startswith("one and two share the " + what)


def test_a_maker_and_what_it_makes_may_share_a_name_but_not_two_artifacts() -> None:
    catalog = load_catalog(SHIPPED)
    tool = next(e for e in catalog.entries("tool"))
    community = catalog.entries("community")[0]
    same = entry_to_dict(community) | {"name": tool.name}
    renamed = type(community).model_validate(same)
    assert duplicates([tool, renamed]) == []
    twin = type(tool).model_validate(
        entry_to_dict(tool) | {"id": "twin", "github": None, "url": "https://example.org/twin"}
    )
    assert duplicates([tool, twin]) == [
        f"{tool.id} and twin share the name {name_key(tool.name)!r}"
    ]


def test_a_plus_in_a_name_is_a_word_not_punctuation() -> None:
    assert name_key("HumanEval+") == name_key("HumanEvalPlus") != name_key("HumanEval")
    assert duplicates([model("a", "HumanEval"), model("b", "HumanEval+")]) == []


def test_different_repos_kinds_and_pages_are_no_duplicates() -> None:
    assert (
        duplicates(
            [
                model("one", "One", hub="org/a", url="https://example.org/a"),
                model("two", "Two", hub="org/b", url="https://example.org/b"),
            ]
        )
        == []
    )


def test_no_two_shipped_entries_are_the_same_artifact() -> None:
    catalog = load_catalog(SHIPPED)
    assert duplicates(catalog.entries()) == []
