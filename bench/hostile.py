"""Hostile-input benchmark: the large cases of the hardening issue, with their current figures.

Prints whole-process wall time and peak memory of each command over a synthetic catalogue (10k
entries by default), and in-process times of the walks that used to be quadratic at growing sizes,
so that linear growth shows as a constant time per item:

- a query of 20,000 words (refused at once; the limit is MAX_QUERY_WORDS) and the search itself
  over 1k to 20k words, bypassing the limit;
- `export mermaid --depth 3` from every entry of the catalogue;
- a 900 KB summary laid out by `list` and `show` in a table;
- a snapshot of one record per entry, a tenth of them hostile (NaN, 10**30, text for numbers).

    python bench/hostile.py                # a catalogue of 10k entries
    python bench/hostile.py --size 2000

Figures, not assertions: timings on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from _synth import make_catalog  # noqa: E402
from search import PEAK_REPORTER  # noqa: E402


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, peak resident MiB and exit code of `python -m openai_catalog ARGS`."""
    import subprocess

    with tempfile.NamedTemporaryFile("r", suffix=".peak") as peak:
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", PEAK_REPORTER, "-m", "openai_catalog", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**env, "BENCH_PEAK_FILE": peak.name},
            check=False,
        )
        return time.perf_counter() - start, int(peak.read() or 0) / 1024, proc.returncode


def _line(label: str, seconds: float, extra: str = "") -> None:
    print(f"  {label:<58} {seconds * 1000:9.1f} ms  {extra}")


def process_figures(root: Path, env: dict[str, str]) -> None:
    words = " ".join(f"w{i}" for i in range(20_000))
    cases = [
        ("search with a query of 20,000 words (refused)", ["search", *words.split()]),
        ("search with 256 words (the most allowed)", ["search", *[f"w{i}" for i in range(256)]]),
        ("export mermaid --depth 3 (every entry a seed)", ["export", "mermaid", "--depth", "3"]),
        (
            "export mermaid --root model-000000 --depth 10",
            ["export", "mermaid", "--root", "model-000000", "--depth", "10"],
        ),
        ("list (one summary of 900 KB among them)", ["list", "--kind", "tool"]),
        ("show an entry with a 900 KB summary", ["show", "tool-000000"]),
        ("stats (snapshot with hostile records)", ["stats"]),
        ("validate (snapshot with hostile records)", ["validate"]),
    ]
    timed(["--catalog", str(root), "search", "x"], env)  # build the index
    print("whole process (wall time, peak resident memory, exit code):")
    for label, args in cases:
        seconds, mib, code = timed(["--catalog", str(root), *args], env)
        _line(label, seconds, f"{mib:7.1f} MiB  exit {code}")


def walk_figures(root: Path) -> None:
    from openai_catalog.enrich.snapshot import parse_snapshot
    from openai_catalog.export import graph
    from openai_catalog.index import Searcher, open_index
    from openai_catalog.query import Query, Term
    from openai_catalog.registry import load_catalog

    print("in process (time per item should stay flat as the size grows):")
    conn = open_index(root)
    try:
        for n in (1_000, 5_000, 20_000):
            query = Query([[Term(f"w{i}")] for i in range(n)])
            start = time.perf_counter()
            Searcher(conn, "").search(query, "relevance", None)
            elapsed = time.perf_counter() - start
            _line(f"search over {n:,} words", elapsed, f"{elapsed / n * 1e6:6.1f} µs/word")
    finally:
        conn.close()
    catalog = load_catalog(root)
    ids = [e.id for e in catalog.entries()]
    for n in (len(ids) // 10, len(ids) // 2, len(ids)):
        start = time.perf_counter()
        found = graph.neighbourhood(catalog, ids[:n], 3)
        elapsed = time.perf_counter() - start
        _line(
            f"graph walk, depth 3, from {n:,} seeds ({len(found.nodes):,} nodes)",
            elapsed,
            f"{elapsed / n * 1e6:6.1f} µs/seed",
        )
    text = (root / "enrichment.json").read_text()
    start = time.perf_counter()
    snapshot = parse_snapshot(text)
    elapsed = time.perf_counter() - start
    _line(
        f"read a snapshot of {len(snapshot.entries):,} entries "
        f"({len(snapshot.problems):,} bad fields)",
        elapsed,
    )


def hostile_snapshot(root: Path) -> None:
    """One hub record per model and dataset; every tenth carries NaN, 10**30 and text for numbers."""
    entries = {}
    for path in sorted((root / "models").glob("*.yaml")) + sorted(
        (root / "datasets").glob("*.yaml")
    ):
        i = len(entries)
        fields: dict[str, object] = {
            "downloads": i,
            "likes": i % 100,
            "last_modified": "2025-01-01T00:00:00Z",
        }
        if i % 10 == 0:
            fields = {
                "downloads": 10**30,
                "likes": float("nan"),
                "last_modified": 20250101,
                "tags": [[1]],
                "license": "mit\x1b[31m",
            }
        entries[path.stem] = {
            "hub": {
                "repo": f"synthetic-org/{path.stem}",
                "error": None,
                "fetched_at": "2025-01-02T00:00:00Z",
                "fields": fields,
            }
        }
    (root / "enrichment.json").write_text(json.dumps({"version": 1, "entries": entries}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        root = make_catalog(args.size, Path(tmp) / "catalog")
        long_entry = root / "tools" / "tool-000000.yaml"
        text = long_entry.read_text()
        start = text.index("summary: ")
        end = text.index("\n", start)
        long_entry.write_text(text[:start] + "summary: " + "word " * 180_000 + text[end:])
        hostile_snapshot(root)
        env = {
            **os.environ,
            "XDG_CACHE_HOME": str(Path(tmp) / "cache"),
            "NO_COLOR": "1",
            "COLUMNS": "120",
            "PYTHONPATH": str(HERE.parent / "src"),
        }
        os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]
        print(
            f"catalogue of {args.size:,} entries, Python {sys.version.split()[0]}, "
            f"{os.cpu_count()} cores"
        )
        process_figures(root, env)
        walk_figures(root)


if __name__ == "__main__":
    main()
