"""Website benchmark: `catalog site build` on the shipped catalogue and a synthetic one, the home
page's compressed size, and how long typing a character takes to update the results in headless
Chromium.

    python bench/site.py                   # shipped + 10,000 synthetic entries
    python bench/site.py --size 2000 --keys 20

The build runs as `python -m openai_catalog site build` in a fresh process with a warm index (the
index is built first, as any command would, and timed apart). Typing is measured in the page: from
a key's `input` event to the next frame after the results were rendered, for each character of a
query typed one key at a time. Figures, not assertions; the targets of issue 17 are printed beside.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _synth import SHIPPED, WORDS, make_catalog  # noqa: E402

TARGETS = {
    "build, shipped (s)": 5.0,
    "build, synthetic (s)": 60.0,
    "home page, gzip (MB)": 1.5,
    "typing, worst key (ms)": 100.0,
}
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def catalog(*args: str | Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "openai_catalog", *map(str, args)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def build(root: Path, out: Path, env: dict[str, str]) -> tuple[float, float]:
    """(index build, site build) wall times in seconds."""
    index = catalog("--catalog", root, "index", "rebuild", env=env)
    return index, catalog("--catalog", root, "site", "build", out, env=env)


def typing(home: Path, query: str) -> list[float]:
    """Milliseconds from each key's input event to the frame after the results changed."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.goto(home.resolve().as_uri())
        page.wait_for_selector("#results li")
        page.evaluate("""() => {
            window.__times = [];
            const box = document.getElementById("q");
            box.addEventListener("input", () => {
              const start = performance.now();
              requestAnimationFrame(() => setTimeout(() => window.__times.push(performance.now() - start)));
            }, {capture: true});
        }""")
        page.click("#q")
        for char in query:
            page.keyboard.type(char)
            page.wait_for_function(f"window.__times.length >= {query.index(char) + 1}")
        times = list(page.evaluate("window.__times"))
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--size", type=int, default=10_000, help="synthetic entries (default 10000)"
    )
    parser.add_argument("--keys", type=int, default=12, help="characters typed (default 12)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {
            **os.environ,
            "XDG_CACHE_HOME": str(work / "cache"),
            "NO_COLOR": "1",
            "PYTHONPATH": str(HERE.parent / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
        }
        figures: dict[str, float] = {}
        _, figures["build, shipped (s)"] = build(SHIPPED, work / "shipped", env)
        synthetic = make_catalog(args.size, work / "synthetic")
        index, figures["build, synthetic (s)"] = build(synthetic, work / "site", env)
        home = (work / "site" / "index.html").read_bytes()
        figures["home page, gzip (MB)"] = len(gzip.compress(home, 9)) / 1e6
        query = (WORDS[12] + " " + WORDS[150])[: args.keys]
        times = typing(work / "site" / "index.html", query)
        figures["typing, worst key (ms)"] = max(times)
        files = sum(1 for _ in (work / "site").rglob("*") if _.is_file())
        print(
            f"synthetic catalogue: {args.size} entries, {files} files written; its index took "
            f"{index:.1f} s (not counted); home page {len(home) / 1e6:.2f} MB uncompressed"
        )
        print(
            f"typing {query!r} one key at a time (ms): median {statistics.median(times):.1f}, "
            f"each {', '.join(f'{t:.0f}' for t in times)}"
        )
        for name, value in figures.items():
            target = TARGETS[name]
            print(
                f"{name:<26} {value:8.2f}   target <= {target:g}   "
                f"{'ok' if value <= target else 'MISSED'}"
            )


if __name__ == "__main__":
    main()
