"""Relevance benchmark: nDCG@10 and MRR of `catalog search` over the judged queries.

bench/relevance/queries.yaml holds queries as people type them, each with the entries that should
come first, graded 3 (the entry asked for), 2 (very relevant) or 1 (related). For every query this
runs the search the CLI runs (same parser, same index, relevance order) over the shipped catalogue
and scores its first ten hits:

  nDCG@10  gain 2^grade - 1, discounted by log2(rank + 1), divided by the best possible order
  MRR      1 / rank of the first hit with the query's highest grade (0 if none in the first ten)

An entry a query does not list counts as 0, so an entry added after the judging that deserves a
grade lowers these figures until someone judges it. The condensed figures (nDCG'@10, MRR') leave
such unjudged entries out of the ranking, as condensed lists do for incomplete judgements (Sakai,
SIGIR 2007): they move only when judged entries change places, which is what the test's floor
guards. A query may list entries judged not relevant under `not:`; those stay in the condensed
ranking as 0. `--unjudged` lists, per query, the unjudged entries among the first ten: the work
that keeps the judged set current as the catalogue grows.

    python bench/relevance.py              # the means, and the queries scoring below 0.9
    python bench/relevance.py --all        # every query with its first hits
    python bench/relevance.py --unjudged   # the entries still to judge

The target is a mean nDCG@10 of at least 0.9; tests/test_search_semantics.py holds a lower floor
on the condensed figures.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "relevance" / "queries.yaml"
CATALOG = HERE.parent / "catalog"
K = 10
DEPTH = 60  # hits read for the condensed ranking


@dataclass
class Scored:
    query: str
    ndcg: float
    rr: float
    hits: list[str]
    want: dict[str, int]
    ndcg_condensed: float = 0.0
    rr_condensed: float = 0.0
    unjudged: tuple[str, ...] = ()


@dataclass
class Judged:
    query: str
    want: dict[str, int]
    rejected: frozenset[str] = frozenset()

    def judges(self, entry: str) -> bool:
        return entry in self.want or entry in self.rejected


def load(path: Path = QUERIES) -> list[Judged]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Judged(
            str(item["q"]),
            {str(k): int(v) for k, v in item["want"].items()},
            frozenset(str(x) for x in item.get("not", ())),
        )
        for item in items
    ]


def ndcg(hits: list[str], want: dict[str, int], k: int = K) -> float:
    dcg = sum((2 ** want.get(h, 0) - 1) / math.log2(i + 2) for i, h in enumerate(hits[:k]))
    ideal = sorted(want.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def reciprocal_rank(hits: list[str], want: dict[str, int], k: int = K) -> float:
    top = max(want.values())
    for i, h in enumerate(hits[:k]):
        if want.get(h, 0) == top:
            return 1 / (i + 1)
    return 0.0


def run_query(root: Path, text: str, limit: int = DEPTH) -> list[str]:
    """The ids `catalog search TEXT` lists first, in its order (corrections included)."""
    from openai_catalog.index import search
    from openai_catalog.query import parse

    result = search(root, parse(text), "relevance", limit, text)
    return [h.id for h in result.hits]


def evaluate(root: Path = CATALOG, path: Path = QUERIES) -> list[Scored]:
    scored = []
    for judged in load(path):
        want = judged.want
        hits = run_query(root, judged.query)
        condensed = [h for h in hits if judged.judges(h)]
        scored.append(
            Scored(
                judged.query,
                ndcg(hits, want),
                reciprocal_rank(hits, want),
                hits,
                want,
                ndcg(condensed, want),
                reciprocal_rank(condensed, want),
                tuple(h for h in hits[:K] if not judged.judges(h)),
            )
        )
    return scored


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="show every query, not only weak ones")
    parser.add_argument(
        "--unjudged", action="store_true", help="list the unjudged entries among the first ten"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        os.environ["OPENAI_CATALOG_CACHE"] = cache
        scored = evaluate()
    for s in scored:
        if args.unjudged:
            if s.unjudged:
                print(f"{s.query!r:32} {' '.join(s.unjudged)}")
        elif args.all or s.ndcg < 0.9:
            marks = " ".join(f"{h}({s.want.get(h, 0)})" for h in s.hits[:6])
            print(f"{s.ndcg:5.2f} {s.rr:4.2f}  {s.query!r:32} {marks}")
    n = len(scored)
    open_slots = sum(len(s.unjudged) for s in scored)
    print(
        f"{n} queries  nDCG@{K} {sum(s.ndcg for s in scored) / n:.3f}  "
        f"MRR {sum(s.rr for s in scored) / n:.3f}  "
        f"condensed: nDCG'@{K} {sum(s.ndcg_condensed for s in scored) / n:.3f}  "
        f"MRR' {sum(s.rr_condensed for s in scored) / n:.3f}  "
        f"unjudged in the first {K}: {open_slots} of {n * K}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
