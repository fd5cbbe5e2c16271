"""Benchmark `catalog enrich`: 500 entries against the local stand-in for the Hub, 50 ms an answer.

The stand-in (tests/fakeservices.py) runs in a child process, as the real Hub runs elsewhere, and
answers every call after `--latency` seconds. It advertises the Hub's anonymous rate limit (500
calls per 300 s) in `RateLimit` headers and refuses calls over it with 429. The run uses the
default settings of `catalog enrich`. Printed: the wall time of the run (importing huggingface_hub
included), requests per entry, the speed-up over the sequential lower bound (entries x latency),
the most calls the server had in flight at once, and how many calls went over the advertised limit
(it must be 0). Figures only; nothing here asserts a time.

    python bench/enrich.py [--entries 500] [--latency 0.05] [--quota 500] [--window 300]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(TESTS))


def serve(conn: Connection, names: list[str], latency: float, quota: int, window: int) -> None:
    """The child process: start the stand-in, say where it is, report its counts when asked."""
    from fakeservices import FakeServices

    services = FakeServices(latency=latency).start()
    services.limit_hub(quota, window)
    for name in names:
        services.model(f"bench-org/{name}")
    conn.send(services.url)
    conn.recv()
    conn.send(
        {
            "calls": len(services.calls("/api/")),
            "peak": services.peak_in_flight,
            "over": services.over_limit,
        }
    )
    services.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--entries", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--quota", type=int, default=500, help="calls per window the server allows")
    parser.add_argument("--window", type=int, default=300, help="seconds in the server's window")
    parser.add_argument("--concurrency", type=int, default=None, help="default: catalog enrich's")
    args = parser.parse_args()

    names = [f"model-{i:04d}" for i in range(args.entries)]
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.get_context("spawn").Process(
        target=serve, args=(child, names, args.latency, args.quota, args.window), daemon=True
    )
    server.start()
    url = parent.recv()
    work = Path(tempfile.mkdtemp(prefix="bench-enrich-"))
    # huggingface_hub reads these when it is imported, which happens inside the run.
    os.environ.update(HF_ENDPOINT=url, HF_HUB_DISABLE_TELEMETRY="1", HF_HOME=str(work / "hf"))
    os.environ.pop("HF_TOKEN", None)

    from helpers import entry, write_catalog
    from openai_catalog.enrich.policy import Settings
    from openai_catalog.enrich.run import enrich_catalog
    from openai_catalog.registry import load_catalog

    root = write_catalog(work / "catalog", *(entry(n, hub=f"bench-org/{n}") for n in names))
    catalog = load_catalog(root)
    settings = Settings() if args.concurrency is None else Settings(concurrency=args.concurrency)

    start, cpu = time.perf_counter(), time.process_time()
    report = enrich_catalog(catalog, settings=settings)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    parent.send("stats")
    stats = parent.recv()
    server.join(timeout=10)

    bound = args.entries * args.latency
    statuses = sorted({o.status for o in report.outcomes})
    print(f"entries              {args.entries} (outcomes: {', '.join(statuses)})")
    print(f"latency per answer   {args.latency * 1000:.0f} ms")
    print(f"concurrency          {settings.concurrency} (Hub calls in flight at most)")
    print(f"wall time            {wall:.2f} s (client CPU {cpu:.2f} s, on {os.cpu_count()} cores)")
    print(f"requests per entry   {stats['calls'] / args.entries:.2f} ({stats['calls']} calls)")
    print(f"sequential bound     {bound:.1f} s ({args.entries} x {args.latency * 1000:.0f} ms)")
    print(f"speed-up             {bound / wall:.1f}x")
    print(f"peak calls in flight {stats['peak']}")
    print(
        f"advertised limit     {args.quota} calls per {args.window} s; calls over it: {stats['over']}"
    )


if __name__ == "__main__":
    main()
