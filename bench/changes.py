"""`catalog changes` on a long history: a generated repository of 2,000 commits over 10,000 entries.

The first commit adds the entries (bench/_synth.py's synthetic catalogue); each of the next 2,000,
one a day, edits five entries (a summary, a licence, a status, tags) and every 50th removes one
and adds one, with merge-style subjects ("... (#N)") on every tenth. The repository is written
with `git fast-import`, then `catalog changes` runs as a whole process with its index warm, as a
writer runs it: over the last month, over the last year, and over the whole history (as JSON,
then as the default table).

    python bench/changes.py [--entries 10000] [--commits 2000] [--runs 3]

Figures, not assertions; the target is under 3 s for the whole history.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _synth import make_catalog  # noqa: E402

LICENCES = ("Apache-2.0", "MIT", "CC-BY-4.0", "CC-BY-NC-4.0", "OpenRAIL-M")


def _data(text: str) -> bytes:
    raw = text.encode("utf-8")
    return b"data %d\n" % len(raw) + raw + b"\n"


def make_history(repo: Path, entries: int, commits: int, seed: int = 11) -> dt.date:
    """Write the repository; returns the date of its first commit."""
    rng = random.Random(seed)
    catalog = make_catalog(entries, repo / "catalog")
    files = {
        p.relative_to(repo).as_posix(): p.read_text(encoding="utf-8")
        for p in catalog.rglob("*")
        if p.is_file()
    }
    start = dt.datetime(2021, 1, 1, 12, tzinfo=dt.UTC)
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    stream = bytearray()

    def commit(n: int, message: str, changes: list[tuple[str, str | None]]) -> None:
        when = int((start + dt.timedelta(days=n)).timestamp())
        stream.extend(b"commit refs/heads/main\n")
        stream.extend(f"committer Bench <bench@example.org> {when} +0000\n".encode())
        stream.extend(_data(message))
        for path, text in changes:
            if text is None:
                stream.extend(f"D {path}\n".encode())
            else:
                stream.extend(f"M 100644 inline {path}\n".encode() + _data(text))

    commit(0, "Start", list(files.items()))
    entry_paths = sorted(p for p in files if p.endswith(".yaml") and "/licenses" not in p)
    for n in range(1, commits + 1):
        changed = []
        for path in rng.sample(entry_paths, 5):
            text = files[path]
            edit = rng.randrange(4)
            if edit == 0:
                text = re.sub(
                    r"^summary: (.*)$",
                    lambda m: f"summary: {m.group(1)} Revised.",
                    text,
                    count=1,
                    flags=re.M,
                )
            elif edit == 1 and "\nlicense:" in text:
                text = re.sub(
                    r"^license: .*$", f"license: {rng.choice(LICENCES)}", text, count=1, flags=re.M
                )
            elif edit == 2 and "\nstatus:" not in text:
                text = text.replace(
                    "\nsources:",
                    "\nstatus: deprecated\nstatus_note: Replaced in a later release.\nsources:",
                    1,
                )
            else:
                text = text.replace("\ntags: [", f"\ntags: [edit-{n}, ", 1)
            files[path] = text
            changed.append((path, text))
        if n % 50 == 0:
            gone = rng.choice(entry_paths)
            entry_paths.remove(gone)
            del files[gone]
            changed.append((gone, None))
        subject = f"Edit five entries (#{n})" if n % 10 == 0 else f"Edit five entries, day {n}"
        commit(n, subject, changed)
    subprocess.run(
        ["git", "-C", str(repo), "fast-import", "--quiet"], input=bytes(stream), check=True
    )
    subprocess.run(["git", "-C", str(repo), "checkout", "-q", "-f", "main"], check=True)
    return start.date()


def timed(args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-changes-") as tmp:
        repo = Path(tmp) / "repo"
        began = time.perf_counter()
        first = make_history(repo, args.entries, args.commits)
        print(
            f"history: {args.commits} commits over {args.entries} entries, written in "
            f"{time.perf_counter() - began:.1f} s"
        )
        catalog = ["catalog", "--catalog", str(repo / "catalog")]
        subprocess.run(
            [*catalog, "search", "warm"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # the index, as a user of search has it
        last = first + dt.timedelta(days=args.commits)
        for label, since in (
            ("the last month", (last - dt.timedelta(days=30)).isoformat()),
            ("the last year", (last - dt.timedelta(days=365)).isoformat()),
            ("the whole history", None),
        ):
            extra = ["--since", since] if since else []
            seconds = timed([*catalog, "changes", *extra, "--format", "json"], args.runs)
            print(f"catalog changes over {label}: {seconds:.2f} s (median of {args.runs})")
        seconds = timed([*catalog, "changes"], args.runs)
        print(f"the same as a table (the default format): {seconds:.2f} s (median of {args.runs})")
        seconds = timed(
            [
                *catalog,
                "changes",
                "--since",
                (last - dt.timedelta(days=30)).isoformat(),
                "--format",
                "markdown",
                "kind:model",
            ],
            args.runs,
        )
        print(
            f"digest of the last month's models: {seconds:.2f} s (target: the whole history under 3 s)"
        )


if __name__ == "__main__":
    main()
