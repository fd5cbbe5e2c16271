"""Search benchmark: synthetic catalogues of 1k, 10k and 100k valid entries.

For each size it prints whole-process wall times (median of several runs) of a search with a cold
index (none in the cache) and with a warm one, the peak memory of each, the ratio of a warm search
to a minimal Typer app that prints one line, and in-process times of a full index build and a full
`catalog validate` against the time libyaml alone takes to parse the same files.

From 10k entries on it also times, against a warm search in the same rounds, a search right after
one entry was edited and (at 10k) right after 100 entries were added, both updating the index in
place, and `catalog validate FILE` of one entry, which reads the rest through the index.
`--crossover` times an update in place of more and more changed files against a full build.

    python bench/search.py                 # 1k, 10k, 100k
    python bench/search.py --sizes 1000 10000 --runs 7
    python bench/search.py --sizes 10000 --crossover

Figures, not assertions: timings on a shared machine are noisy, so compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _synth import QUERY, SHIPPED, make_catalog  # noqa: E402

MINIMAL_TYPER = """
import typer
app = typer.Typer()
@app.command()
def main(name: str = "world") -> None:
    print(f"hello {name}")
app()
"""
# Runs a module or script and writes its peak resident memory (VmHWM) on exit. The kernel's
# rusage is no good here: a child's ru_maxrss starts from the parent's size at exec, and this
# benchmark's own process grows while it loads catalogues.
PEAK_REPORTER = """
import atexit, os, runpy, sys
def report():
    with open("/proc/self/status") as status:
        kib = next(line for line in status if line.startswith("VmHWM")).split()[1]
    with open(os.environ["BENCH_PEAK_FILE"], "w") as out:
        out.write(kib)
atexit.register(report)
mode, target, *rest = sys.argv[1:]
sys.argv = [target, *rest]
if mode == "-m":
    runpy.run_module(target, run_name="__main__", alter_sys=True)
else:
    runpy.run_path(target, run_name="__main__")
"""
TARGETS = {
    "warm search at 10k vs minimal Typer app": 1.3,
    "warm search at 100k vs warm search at 1k": 2.0,
    "peak memory of a search at 100k (MiB)": 80,
    "index build at 10k vs libyaml parse": 1.5,
    "validate at 10k vs libyaml parse": 2.0,
    "search after editing one entry at 10k vs warm": 1.5,
    "search after editing one entry at 100k vs warm": 2.0,
    "search after adding 100 entries at 10k vs warm": 3.0,
    "validate one file at 10k vs warm search": 2.0,
}


class Edits:
    """The changes timed after a warm search: each `prepare` leaves the catalogue one step on,
    each `undo` (untimed, followed by an untimed search) brings it back."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.entry = root / "models" / "model-000001.yaml"
        self.original = self.entry.read_text(encoding="utf-8")
        self.edits = 0

    def edit_one(self) -> None:
        """An edit of one entry's summary, saved in place a moment after the last."""
        self.edits += 1
        word = f"edited{self.edits % 2}"
        self.entry.write_text(
            self.original.replace("summary: ", f"summary: {word.title()} "), encoding="utf-8"
        )
        info = self.entry.stat()
        os.utime(self.entry, ns=(info.st_atime_ns, info.st_mtime_ns + self.edits * 1_000_000))

    def add_hundred(self) -> None:
        for i in range(100):
            text = self.original.replace("id: model-000001", f"id: added-{i:03d}")
            (self.root / "models" / f"added-{i:03d}.yaml").write_text(text, encoding="utf-8")

    def remove_added(self) -> None:
        for path in (self.root / "models").glob("added-*.yaml"):
            path.unlink()


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one process (`python -m MODULE ...` or `python SCRIPT`)."""
    mode, target, rest = (
        ("-m", command[2], command[3:]) if command[1] == "-m" else ("", command[1], command[2:])
    )
    with tempfile.NamedTemporaryFile("r", suffix=".peak") as peak:
        start = time.perf_counter()
        proc = subprocess.run(
            [command[0], "-c", PEAK_REPORTER, mode, target, *rest],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**env, "BENCH_PEAK_FILE": peak.name},
            check=False,
        )
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {proc.stderr.decode()}")
        return elapsed, int(peak.read() or 0) / 1024


def median_of(
    runs: int, command: list[str], env: dict[str, str], before: object = None
) -> tuple[float, float]:
    times, peaks = [], []
    for _ in range(runs):
        if callable(before):
            before()
        elapsed, peak = timed(command, env)
        times.append(elapsed)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def in_process(root: Path, runs: int) -> dict[str, float]:
    """libyaml alone, a full index build and a full validate, in this process: medians of `runs`
    rounds in which the three take turns."""
    import yaml

    from openai_catalog.checks import validate_catalog
    from openai_catalog.index import build_index
    from openai_catalog.registry import iter_entry_files, load_catalog

    files = list(iter_entry_files(root))
    times: dict[str, list[float]] = {"libyaml": [], "build": [], "validate": []}
    for _ in range(runs):
        start = time.perf_counter()
        for file in files:
            yaml.load(file.read_bytes(), Loader=yaml.CSafeLoader)
        times["libyaml"].append(time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            build_index(root, Path(tmp) / "index.sqlite")
            times["build"].append(time.perf_counter() - start)
        start = time.perf_counter()
        findings = validate_catalog(load_catalog(root))
        times["validate"].append(time.perf_counter() - start)
        # The synthetic licences are drawn at random, so some models break the terms of the data
        # they were trained on (CAT100, a rule newer than this benchmark): any other error is a bug.
        errors = [f for f in findings if f.severity == "error" and f.rule != "CAT100"]
        assert not errors, errors[:5]
    return {name: statistics.median(values) for name, values in times.items()}


def after_edits(
    root: Path, size: int, runs: int, search: list[str], env: dict[str, str]
) -> dict[str, float]:
    """Whole-process medians of a warm search, a search after one edit, after 100 additions (at
    10k) and `validate FILE` of one entry, taking turns round after round."""
    edits = Edits(root)
    # A tool: the synthetic models may break their data's licence terms (CAT100), failing it.
    validate = [*search[:5], "validate", str(root / "tools" / "tool-000002.yaml")]
    scenarios: dict[str, tuple[list[str], Any, Any]] = {
        "warm": (search, None, None),
        "edit": (search, edits.edit_one, None),
        "validate": (validate, None, None),
    }
    if size <= 10_000:
        scenarios["add"] = (search, edits.add_hundred, edits.remove_added)
    samples: dict[str, list[float]] = {name: [] for name in scenarios}
    timed(search, env)
    for _ in range(runs):
        for name, (command, prepare, undo) in scenarios.items():
            if prepare:
                prepare()
            samples[name].append(timed(command, env)[0])
            if undo:
                undo()
                timed(search, env)
    edits.entry.write_text(edits.original, encoding="utf-8")
    timed(search, env)
    return {name: statistics.median(values) for name, values in samples.items()}


def crossover(root: Path, env: dict[str, str]) -> None:
    """In-process: an update in place of k changed files against a full build, for growing k."""
    from openai_catalog import index

    files = sorted((root / "models").glob("*.yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        index.build_index(root, Path(tmp) / "fresh.sqlite")
        build = time.perf_counter() - start
    print(f"full build: {build:.2f}s")
    index.build_index(root)
    for k in (10, 100, 500, 1000, 2000, 3000, 5000):
        for path in files[:k]:
            info = path.stat()
            os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
        start = time.perf_counter()
        report = index.update_index(root, fraction=1.0, min_files=0)
        took = time.perf_counter() - start
        assert report is not None
        print(
            f"  update of {k:>5} changed files ({k / len(list(root.glob('*/*.yaml'))):.0%}): "
            f"{took:.2f}s ({took / build:.2f}x a full build)",
            flush=True,
        )


def compile_package() -> None:
    """Write the package's bytecode, as `pip install` does: an editable checkout run with
    PYTHONDONTWRITEBYTECODE would otherwise compile every module on every run and be timed so."""
    import compileall

    import openai_catalog

    compileall.compile_dir(Path(openai_catalog.__file__).parent, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "openai-catalog-bench"
    )
    parser.add_argument(
        "--crossover", action="store_true", help="only time updates in place against a build"
    )
    parser.add_argument(
        "--edits-only",
        action="store_true",
        help="only the figures after edits, against warm searches (no cold searches or builds)",
    )
    args = parser.parse_args()

    args.work.mkdir(parents=True, exist_ok=True)
    compile_package()
    cache = args.work / "cache"
    env = {**os.environ, "OPENAI_CATALOG_CACHE": str(cache), "NO_COLOR": "1", "COLUMNS": "120"}
    env.pop("OPENAI_CATALOG_DIR", None)
    script = args.work / "minimal_typer.py"
    script.write_text(MINIMAL_TYPER)

    searches: dict[int, list[str]] = {}
    figures: dict[int, dict[str, float]] = {}
    for size in args.sizes:
        root = args.work / f"catalog-{size}"
        stamp = root / ".generated"
        if not stamp.exists() or stamp.read_text() != f"{size} {QUERY}":
            start = time.perf_counter()
            make_catalog(size, root)
            stamp.write_text(f"{size} {QUERY}")
            print(f"generated {size} entries in {time.perf_counter() - start:.1f}s")
        shutil.copy(SHIPPED / "licenses.yaml", root / "licenses.yaml")  # the table of this checkout
        if args.crossover:
            os.environ["OPENAI_CATALOG_CACHE"] = str(cache)
            crossover(root, env)
            continue
        searches[size] = [
            sys.executable,
            "-m",
            "openai_catalog",
            "--catalog",
            str(root),
            "search",
            QUERY,
            "--license",
            "permissive",
            "--limit",
            "20",
        ]
        if args.edits_only:
            timed(searches[size], env)  # builds the index
            figures[size] = {}
            continue
        cold, cold_peak = median_of(
            max(1, args.runs // 2),
            searches[size],
            env,
            before=lambda: shutil.rmtree(cache, ignore_errors=True),
        )
        figures[size] = {"cold": cold, "cold_peak": cold_peak}
        print(
            f"{size:>7} entries: cold search {cold * 1000:6.0f} ms ({cold_peak:.0f} MiB)",
            flush=True,
        )
    if args.crossover:
        return
    for command in searches.values():
        timed(command, env)  # every index warm before the warm rounds
    if args.edits_only:
        args.sizes = [size for size in args.sizes if size >= 10_000]

    # Warm searches and the minimal Typer app take turns, round after round, so that the machine's
    # ups and downs fall on all of them alike and the ratios compare like with like.
    commands: dict[object, list[str]] = {"typer": [sys.executable, str(script)], **searches}
    samples: dict[object, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(0 if args.edits_only else args.runs):
        for name, command in commands.items():
            samples[name].append(timed(command, env))
    if not args.edits_only:
        typer_time = statistics.median(t for t, _ in samples["typer"])
        print(
            f"minimal Typer app: {typer_time * 1000:.0f} ms, {max(p for _, p in samples['typer']):.0f} MiB"
        )
        for size in args.sizes:
            row = figures[size]
            row["warm"] = statistics.median(t for t, _ in samples[size])
            row["warm_peak"] = max(p for _, p in samples[size])
            line = (
                f"{size:>7} entries: warm search {row['warm'] * 1000:5.0f} ms ({row['warm_peak']:.0f} MiB), "
                f"warm / minimal Typer {row['warm'] / typer_time:.2f}x"
            )
            if size <= 10_000:
                row.update(in_process(root=args.work / f"catalog-{size}", runs=3))
                line += (
                    f"; libyaml parse {row['libyaml']:.2f}s, index build {row['build']:.2f}s "
                    f"({row['build'] / row['libyaml']:.2f}x), validate {row['validate']:.2f}s "
                    f"({row['validate'] / row['libyaml']:.2f}x)"
                )
            print(line, flush=True)
    for size in args.sizes:
        if size < 10_000:
            continue
        row = figures[size]
        row.update(
            {
                f"after_{name}": value
                for name, value in after_edits(
                    args.work / f"catalog-{size}", size, args.runs, searches[size], env
                ).items()
            }
        )
        warm = row["after_warm"]
        line = (
            f"{size:>7} entries, in turns: warm search {warm * 1000:.0f} ms; after editing one "
            f"entry {row['after_edit'] * 1000:.0f} ms ({row['after_edit'] / warm:.2f}x)"
        )
        if "after_add" in row:
            line += f"; after adding 100 {row['after_add'] * 1000:.0f} ms ({row['after_add'] / warm:.2f}x)"
        line += (
            f"; validate one file {row['after_validate'] * 1000:.0f} ms "
            f"({row['after_validate'] / warm:.2f}x)"
        )
        print(line, flush=True)

    print("\ntargets:")
    checks = []
    if 10_000 in figures and "warm" in figures[10_000]:
        checks.append(
            ("warm search at 10k vs minimal Typer app", figures[10_000]["warm"] / typer_time)
        )
        checks.append(
            (
                "index build at 10k vs libyaml parse",
                figures[10_000]["build"] / figures[10_000]["libyaml"],
            )
        )
        checks.append(
            (
                "validate at 10k vs libyaml parse",
                figures[10_000]["validate"] / figures[10_000]["libyaml"],
            )
        )
    if 1000 in figures and 100_000 in figures and "warm" in figures[1000]:
        checks.append(
            (
                "warm search at 100k vs warm search at 1k",
                figures[100_000]["warm"] / figures[1000]["warm"],
            )
        )
        checks.append(
            (
                "peak memory of a search at 100k (MiB)",
                max(figures[100_000]["warm_peak"], figures[100_000]["cold_peak"]),
            )
        )
    for size in (10_000, 100_000):
        row = figures.get(size, {})
        label = f"{size // 1000}k"
        if "after_edit" in row:
            checks.append(
                (
                    f"search after editing one entry at {label} vs warm",
                    row["after_edit"] / row["after_warm"],
                )
            )
        if "after_add" in row:
            checks.append(
                (
                    f"search after adding 100 entries at {label} vs warm",
                    row["after_add"] / row["after_warm"],
                )
            )
        if size == 10_000 and "after_validate" in row:
            checks.append(
                (
                    "validate one file at 10k vs warm search",
                    row["after_validate"] / row["after_warm"],
                )
            )
    for name, value in checks:
        target = TARGETS[name]
        print(
            f"  {name}: {value:.2f} (target <= {target}) {'met' if value <= target else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
