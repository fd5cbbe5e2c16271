"""Graphs of relations (trained on, based on, uses, supported by, part of, superseded by) as
Mermaid or Graphviz DOT.

A node's shape says its kind and its fill its licence category (from the licence table), so that a
reader sees at a glance where non-commercial or custom terms enter a lineage; a legend lists the
categories the graph shows. Entries without a licence field (communities, compute programs) are
white.

The graph starts from seeds (one root entry, or every entry a query selects) and takes in the
entries up to `depth` relation steps away, following relations in both directions. `allowed`, when
given, limits the entries a walk may step into; the seeds are always kept. Authorship (`by`) is
not drawn: it would tie every artifact of a maker together.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from openai_catalog._util import scrub
from openai_catalog.errors import UsageError
from openai_catalog.kinds import KIND_ORDER

if TYPE_CHECKING:
    from openai_catalog.registry import Catalog

LABELS = {
    "trained_on": "trained on",
    "based_on": "based on",
    "uses": "uses",
    "supported_by": "supported by",
    "part_of": "part of",
    "superseded_by": "superseded by",
}
# Fill colours by licence category (None: no licence field), shared by both formats.
COLOURS = {
    "permissive": "#bbf7d0",
    "copyleft": "#a5f3fc",
    "open-rail": "#fef08a",
    "community": "#e9d5ff",
    "non-commercial": "#fed7aa",
    "proprietary": "#fecaca",
    "unknown": "#d1d5db",
    None: "#ffffff",
}
LEGEND_TITLE = "Licence category"


@dataclass(frozen=True)
class Node:
    id: str
    name: str
    kind: str
    category: str | None = None  # licence category; None when the entry has no licence field


def category_label(category: str | None) -> str:
    from openai_catalog.licenses import CATEGORY_LABELS

    return CATEGORY_LABELS[category] if category else "no licence"


def legend(graph: Graph) -> list[str | None]:
    """The licence categories the graph's nodes have, freest first, `no licence` last."""
    from openai_catalog._categories import CATEGORIES

    present = {node.category for node in graph.nodes}
    return [c for c in CATEGORIES if c in present] + ([None] if None in present else [])


@dataclass(frozen=True)
class Edge:
    source: str
    relation: str
    target: str


@dataclass
class Graph:
    nodes: list[Node]
    edges: list[Edge]
    roots: list[str]


def _outgoing(entry: Any) -> list[tuple[str, str]]:
    found = [(name, target) for name, targets in entry.relations for target in targets]
    if entry.superseded_by:
        found.append(("superseded_by", entry.superseded_by))
    return found


def _incoming(catalog: Catalog) -> dict[str, list[str]]:
    """Who points at each entry (authorship aside), gathered in one pass: asking the catalogue
    entry by entry would walk every entry for each step of the graph."""
    found: dict[str, list[str]] = {}
    for entry in catalog.entries():
        for _, target in _outgoing(entry):
            found.setdefault(target, []).append(entry.id)
    return found


def neighbourhood(
    catalog: Catalog,
    seeds: Sequence[str],
    depth: int,
    allowed: Iterable[str] | None = None,
    root: str | None = None,
) -> Graph:
    """The seeds and every entry within `depth` steps of them, with the relations among them."""
    keep = None if allowed is None else set(allowed)
    visited = {s: None for s in seeds if catalog.get(s) is not None}
    frontier = list(visited)
    incoming = _incoming(catalog) if depth and frontier else {}
    for _ in range(depth):
        if not frontier:
            break
        following = []
        for entry_id in frontier:
            entry = catalog.require(entry_id)
            near = [t for _, t in _outgoing(entry)] + incoming.get(entry_id, [])
            for other in near:
                if other in visited or catalog.get(other) is None:
                    continue
                if keep is not None and other not in keep:
                    continue
                visited[other] = None
                following.append(other)
        frontier = following
    entries = sorted(
        (catalog.require(i) for i in visited), key=lambda e: (KIND_ORDER[e.kind], e.id)
    )
    nodes = [
        Node(e.id, scrub(e.name), e.kind, catalog.licenses.category_of(getattr(e, "license", None)))
        for e in entries
    ]
    edges = sorted(
        {
            Edge(e.id, relation, target)
            for e in entries
            for relation, target in _outgoing(e)
            if target in visited
        },
        key=lambda edge: (edge.source, list(LABELS).index(edge.relation), edge.target),
    )
    return Graph(nodes, edges, [root] if root else [])


# --- Mermaid ------------------------------------------------------------------------------------

# Mermaid reads "#...;" as an entity, so these characters are written as numeric entities; `%`
# among them, since Mermaid finds `%%{init: ...}%%` directives and `%%` comments anywhere.
_MERMAID = str.maketrans({c: f"#{ord(c)};" for c in '#"<>&`%'})
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SHAPES = {
    "model": ('["', '"]'),
    "dataset": ('[("', '")]'),
    "compute": ('{{"', '"}}'),
    "tool": ('[["', '"]]'),
    "community": ('(["', '"])'),
}


def _flat(text: str) -> str:
    return _SPACE.sub(" ", _CONTROL.sub(" ", text)).strip()


def mermaid_id(entry_id: str) -> str:
    """A node id Mermaid cannot mistake for a keyword or an arrow: n_ plus the slug's letters."""
    return "n_" + entry_id.replace("-", "_")


def mermaid_class(category: str | None) -> str:
    """The class of a licence category: lic_ plus its letters (lic_none without a licence)."""
    return "lic_" + (category or "none").replace("-", "_")


# mermaid.js refuses a diagram of this many edges or more (its default maxEdges, which a diagram
# cannot raise: GitHub's renderer shows an error instead of the graph).
MERMAID_EDGE_LIMIT = 500


def to_mermaid(graph: Graph) -> str:
    if len(graph.edges) >= MERMAID_EDGE_LIMIT:
        raise UsageError(
            f"this graph has {len(graph.edges)} relations, and Mermaid draws fewer than "
            f"{MERMAID_EDGE_LIMIT} (GitHub and mermaid.js show an error instead)",
            "narrow it with --root ID --depth N or a query (kind:model, by:meta-ai), "
            "or export dot, which has no such limit",
        )
    lines = ["flowchart LR"]
    for node in graph.nodes:
        left, right = _SHAPES[node.kind]
        label = _flat(node.name).translate(_MERMAID)
        lines.append(
            f"  {mermaid_id(node.id)}{left}{label}{right}:::{mermaid_class(node.category)}"
        )
    for edge in graph.edges:
        lines.append(
            f'  {mermaid_id(edge.source)} -->|"{LABELS[edge.relation]}"| {mermaid_id(edge.target)}'
        )
    shown = legend(graph)
    if shown:
        # Legend ids start with legend_, entry ids with n_: they cannot meet.
        lines.append(f'  subgraph legend["{LEGEND_TITLE}"]')
        lines.append("    direction TB")
        for category in shown:
            cls = mermaid_class(category)
            lines.append(f'    legend_{cls}["{category_label(category)}"]:::{cls}')
        lines.append("  end")
    for category in COLOURS:
        lines.append(f"  classDef {mermaid_class(category)} fill:{COLOURS[category]},stroke:#555")
    for root in graph.roots:
        lines.append(f"  style {mermaid_id(root)} stroke-width:3px")
    return "\n".join(lines) + "\n"


# --- DOT ----------------------------------------------------------------------------------------

_DOT_SHAPES = {
    "model": "box",
    "dataset": "cylinder",
    "compute": "hexagon",
    "tool": "component",
    "community": "ellipse",
}


def dot_string(text: str) -> str:
    """A DOT double-quoted string; backslashes doubled so \\N, \\l and friends stay text."""
    return '"' + _flat(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(graph: Graph) -> str:
    lines = [
        "digraph catalog {",
        "  rankdir=LR;",
        '  node [style="filled,rounded", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    roots = set(graph.roots)
    for node in graph.nodes:
        attrs = [
            f"label={dot_string(node.name)}",
            f"shape={_DOT_SHAPES[node.kind]}",
            f'fillcolor="{COLOURS[node.category]}"',
        ]
        if node.id in roots:
            attrs.append("penwidth=3")
        lines.append(f"  {dot_string(node.id)} [{', '.join(attrs)}];")
    for edge in graph.edges:
        lines.append(
            f"  {dot_string(edge.source)} -> {dot_string(edge.target)} "
            f"[label={dot_string(LABELS[edge.relation])}];"
        )
    shown = legend(graph)
    if shown:
        # Legend ids hold a colon, which no entry id (a slug) has.
        lines.append("  subgraph cluster_legend {")
        lines.append(f"    label={dot_string(LEGEND_TITLE)};")
        lines.append("    style=dashed;")
        for category in shown:
            lines.append(
                f"    {dot_string('legend:' + (category or 'none'))} "
                f"[label={dot_string(category_label(category))}, shape=box, "
                f'fillcolor="{COLOURS[category]}"];'
            )
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"
