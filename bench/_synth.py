"""Synthetic, valid catalogues of any size with realistic field sizes, for the benchmarks."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

HEADER = "# yaml-language-server: $schema=../schema.json\n"
COMMON = (
    "open model dataset training language vision speech protein code benchmark transformer "
    "diffusion corpus tokens weights licence research community compute cluster evaluation "
    "instruction alignment multilingual retrieval embedding audio image video science "
    "chemistry genomics robotics agent reasoning mathematics summarisation translation"
).split()
_SYLLABLES = (
    "ka ri to mel an sor vex lu dan pi quo ter zen bro fal gim hol jur nek op "
    "tra uss vin wel xan yor zup cer dil"
).split()


def _vocabulary(size: int = 4000) -> list[str]:
    """Common words first, then invented ones: real text has a long tail of rare words."""
    rng = random.Random(11)
    words = list(COMMON)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


WORDS = _vocabulary()
# Zipf-like weights: the i-th word is about 1/(i+10) as frequent, so queries are as selective as
# real ones instead of matching half the catalogue.
WEIGHTS = [1 / (i + 10) for i in range(len(WORDS))]
QUERY = f"{WORDS[12]} {WORDS[150]}"  # a two-word query of middling selectivity
LICENSES = (
    "Apache-2.0",
    "MIT",
    "CC-BY-4.0",
    "OpenRAIL++",
    "Llama-3.1-Community",
    "CC-BY-NC-4.0",
    "BSD-3-Clause",
    "Apache-2.0 OR MIT",
)
SHIPPED = Path(__file__).resolve().parent.parent / "catalog"


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choices(WORDS, WEIGHTS, k=words))
    return text[0].upper() + text[1:] + "."


def _entry(
    rng: random.Random, i: int, kind: str, communities: list[str], datasets: list[str]
) -> str:
    ident = f"{kind}-{i:06d}"
    lines = [
        HEADER + f"id: {ident}",
        f"name: Synthetic {kind.title()} {i}",
        f"kind: {kind}",
        f"summary: {_sentence(rng, 18)[:190]}",
        "description: |",
        "  " + _sentence(rng, 40),
        "  " + _sentence(rng, 30),
        f"url: https://example.org/{kind}/{i}",
        f"by: [{rng.choice(communities)}]"
        if kind != "community"
        else f"type: {rng.choice(['lab', 'company', 'collective'])}",
        f'released: "{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}"',
    ]
    if kind in ("model", "dataset", "tool"):
        lines.append(f"license: {rng.choice(LICENSES)}")
    if kind in ("model", "dataset"):
        lines.append(f"hub: synthetic-org/{ident}")
    lines.append(f"github: synthetic-org/{ident}")
    lines.append(f"tags: [{', '.join(sorted(set(rng.choices(WORDS, WEIGHTS, k=4))))}]")
    lines.append("modalities: [text]")
    if kind == "model":
        lines += [
            f"parameters: {rng.choice(['125M', '1.3B', '7B', '13B', '70B'])}",
            "architecture: decoder-only transformer",
            "context_length: 4096",
            f"weights: {rng.choice(['open', 'gated'])}",
            "training_code: open",
        ]
        if datasets:
            lines += ["relations:", f"  trained_on: [{rng.choice(datasets)}]"]
    elif kind == "dataset":
        lines += ["size:", f"  tokens: {rng.randint(1, 900)}B", "languages: [en]", "access: open"]
    elif kind == "tool":
        lines += ["category: library", "language: Python", f"package: synthetic-{i}"]
    elif kind == "compute":
        lines += [
            "provider: Synthetic Provider",
            "offers: [GPU hours]",
            "region: global",
            "applications: open",
        ]
    lines += [
        "sources:",
        f"  - https://example.org/{kind}/{i}/card",
        f"  - https://arxiv.org/abs/2{rng.randint(100, 499)}.{rng.randint(10000, 99999)}",
    ]
    return "\n".join(lines) + "\n"


def make_catalog(n: int, dest: Path, seed: int = 7) -> Path:
    """Write `n` valid entries (10% communities, 50% models, 20% datasets, 15% tools, 5% compute)."""
    rng = random.Random(seed)
    if dest.exists():
        shutil.rmtree(dest)
    for folder in ("models", "datasets", "compute", "tools", "communities"):
        (dest / folder).mkdir(parents=True)
    shutil.copy(SHIPPED / "licenses.yaml", dest / "licenses.yaml")
    plan = [
        ("community", n // 10),
        ("dataset", n * 2 // 10),
        ("tool", n * 15 // 100),
        ("compute", n * 5 // 100),
    ]
    plan.append(("model", n - sum(c for _, c in plan)))
    communities = [f"community-{i:06d}" for i in range(plan[0][1])]
    datasets = [f"dataset-{i:06d}" for i in range(plan[1][1])]
    folders = {
        "model": "models",
        "dataset": "datasets",
        "compute": "compute",
        "tool": "tools",
        "community": "communities",
    }
    for kind, count in plan:
        for i in range(count):
            text = _entry(rng, i, kind, communities, datasets)
            (dest / folders[kind] / f"{kind}-{i:06d}.yaml").write_text(text, encoding="utf-8")
    return dest
