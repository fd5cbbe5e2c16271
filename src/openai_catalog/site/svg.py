"""The site's pictures, drawn as SVG text here rather than by a library: badges, bar charts and
the relation graph. Every label goes through `html.escape`, so catalogue text stays text.

Text widths are estimated (Verdana-like metrics at 11 px, about 6.6 px a character, wider for
capitals) because no font is measured at build time; the estimate errs wide so labels never clip.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from openai_catalog.export.graph import LABELS
from openai_catalog.export.records import KIND_TITLES
from openai_catalog.kinds import KIND_ORDER

# The graph page colours boxes by kind (export mermaid and dot colour them by licence category).
KIND_COLOURS = {
    "model": "#dbeafe",
    "dataset": "#dcfce7",
    "compute": "#fef3c7",
    "tool": "#f3e8ff",
    "community": "#fde2e2",
}

# Badge colours by openness grade and licence category, chosen for white text (contrast >= 4.5).
GRADE_COLOURS = {
    "open-science": "#1a7f37",
    "open-tooling": "#1a7f37",
    "open-model": "#2f6f3e",
    "open-data": "#1a7f37",
    "open-weights": "#9a6700",
    "open-access": "#9a6700",
    "closed": "#b42318",
}
CATEGORY_COLOURS = {
    "permissive": "#1a7f37",
    "copyleft": "#0969da",
    "open-rail": "#8250df",
    "community": "#9a6700",
    "non-commercial": "#bc4c00",
    "proprietary": "#b42318",
    "unknown": "#57606a",
}
NEUTRAL = "#57606a"
LABEL_COLOUR = "#3d444d"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def text_width(text: str, size: float = 11) -> float:
    """A generous estimate of the rendered width of `text` at `size` px."""
    wide = sum(1 for c in text if c.isupper() or c in "mwMW@%")
    return (len(text) * 0.6 + wide * 0.15) * size + 1


def badge(segments: Sequence[tuple[str, str]], title: str) -> str:
    """A flat badge of (text, colour) segments, the first one the label, as a standalone SVG."""
    parts, x = [], 0.0
    for text, colour in segments:
        width = round(text_width(text) + 12)
        parts.append((text, colour, x, width))
        x += width
    total = round(x)
    rects = "".join(
        f'<rect x="{left}" width="{w}" height="20" fill="{colour}"/>'
        for _, colour, left, w in parts
    )
    texts = "".join(
        f'<text x="{left + w / 2:g}" y="14">{_e(text)}</text>' for text, _, left, w in parts
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" '
        f'viewBox="0 0 {total} 20" role="img" aria-label="{_e(title)}">'
        f"<title>{_e(title)}</title>"
        f'<clipPath id="r"><rect width="{total}" height="20" rx="3"/></clipPath>'
        f'<g clip-path="url(#r)">{rects}</g>'
        f'<g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" '
        f'font-size="11">{texts}</g></svg>\n'
    )


def entry_badge(kind: str, openness: str | None, category: str | None) -> str:
    """The badge of an entry: its openness grade and licence category, or its kind when it has
    neither (communities, compute programmes)."""
    segments = [("openai-catalog", LABEL_COLOUR)]
    if openness:
        segments.append((openness, GRADE_COLOURS.get(openness, NEUTRAL)))
    if category:
        segments.append((category, CATEGORY_COLOURS.get(category, NEUTRAL)))
    if len(segments) == 1:
        segments.append((kind, NEUTRAL))
    title = "openai-catalog: " + ", ".join(
        ([f"openness {openness}"] if openness else [])
        + ([f"licence {category}"] if category else [])
        or [kind]
    )
    return badge(segments, title)


# --- bar charts ---------------------------------------------------------------------------------


def bar_chart(title: str, counts: Sequence[tuple[str, int]], width: int = 560) -> str:
    """Horizontal bars with their labels and counts; the title names the chart for screen readers
    (the figures are also in a table beside it)."""
    if not counts:
        return ""
    label_w = min(220, max(text_width(label, 13) for label, _ in counts) + 10)
    bar_w = width - label_w - 60
    top = max(n for _, n in counts) or 1
    row = 24
    height = row * len(counts) + 8
    bars = []
    for i, (label, n) in enumerate(counts):
        y = 4 + i * row
        w = max(0.0, bar_w * n / top)
        bars.append(
            f'<text class="label" x="{label_w - 8:g}" y="{y + 16}" text-anchor="end">'
            f"{_e(label)}</text>"
            f'<rect class="bar" x="{label_w:g}" y="{y + 3}" width="{w:.1f}" height="16" rx="2"/>'
            f'<text class="count" x="{label_w + w + 6:.1f}" y="{y + 16}">{n}</text>'
        )
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{_e(title)}"><title>{_e(title)}</title>{"".join(bars)}</svg>'
    )


# --- the relation graph -------------------------------------------------------------------------


@dataclass(frozen=True)
class GraphNode:
    id: str
    name: str
    kind: str
    href: str


COLUMN_GAP = 250
NODE_W = 190
ROW = 26


def graph(nodes: Sequence[GraphNode], edges: Sequence[tuple[str, str, str]]) -> str:
    """Entries in one column per kind, each a link to its page, and their relations as curves.

    Columns keep the kind order; within a column, entries are ordered by the mean row of the
    entries they connect to in columns already placed (one barycentre pass), which untangles
    most of the curves at no real cost.
    """
    columns: dict[str, list[GraphNode]] = {k: [] for k in KIND_ORDER}
    for node in nodes:
        columns.setdefault(node.kind, []).append(node)
    neighbours: dict[str, list[str]] = {}
    for source, _, target in edges:
        neighbours.setdefault(source, []).append(target)
        neighbours.setdefault(target, []).append(source)
    row: dict[str, int] = {}
    col: dict[str, int] = {}
    placed = [k for k in columns if columns[k]]
    for c, kind in enumerate(placed):
        members = sorted(columns[kind], key=lambda n: n.name.casefold())
        if c:

            def centre(node: GraphNode) -> float:
                known = [row[o] for o in neighbours.get(node.id, []) if o in row]
                return sum(known) / len(known) if known else float("inf")

            members.sort(key=centre)
        for r, node in enumerate(members):
            row[node.id], col[node.id] = r, c
        columns[kind] = members
    tallest = max((len(columns[k]) for k in placed), default=0)
    width = max(1, len(placed)) * COLUMN_GAP + 40
    height = tallest * ROW + 60

    def anchor(node_id: str, right: bool) -> tuple[float, float]:
        x = 20 + col[node_id] * COLUMN_GAP + (NODE_W if right else 0)
        return x, 50 + row[node_id] * ROW + 10

    paths = []
    for source, relation, target in edges:
        if source not in row or target not in row:
            continue
        if col[source] == col[target]:  # same kind: an arc out to the right of the column
            (x1, y1), (_, y2) = anchor(source, True), anchor(target, True)
            bulge = 30 + min(80, abs(y2 - y1) / 6)
            d = f"M{x1:g},{y1:g} C{x1 + bulge:g},{y1:g} {x1 + bulge:g},{y2:g} {x1:g},{y2:g}"
        else:
            left_to_right = col[source] < col[target]
            x1, y1 = anchor(source, left_to_right)
            x2, y2 = anchor(target, not left_to_right)
            mid = (x1 + x2) / 2
            d = f"M{x1:g},{y1:g} C{mid:g},{y1:g} {mid:g},{y2:g} {x2:g},{y2:g}"
        paths.append(
            f'<path class="edge rel-{relation}" d="{d}"><title>'
            f"{_e(source)} {_e(LABELS.get(relation, relation))} {_e(target)}</title></path>"
        )
    heads = "".join(
        f'<text class="colhead" x="{20 + c * COLUMN_GAP}" y="28">{_e(KIND_TITLES.get(kind, kind))}</text>'
        for c, kind in enumerate(placed)
    )
    boxes = []
    for kind in placed:
        for node in columns[kind]:
            x, y = 20 + col[node.id] * COLUMN_GAP, 50 + row[node.id] * ROW
            label = (
                node.name
                if text_width(node.name, 12) < NODE_W - 12
                else node.name[: int((NODE_W - 24) / 7.2)] + "…"
            )
            boxes.append(
                f'<a href="{_e(node.href)}"><rect x="{x}" y="{y}" width="{NODE_W}" '
                f'height="20" rx="4" fill="{KIND_COLOURS.get(node.kind, "#eee")}"/>'
                f'<text x="{x + 8}" y="{y + 14}">{_e(label)}</text>'
                f"<title>{_e(node.name)} ({_e(node.kind)})</title></a>"
            )
    return (
        f'<svg class="graph" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="group" '
        f'aria-label="Relations between entries">{heads}'
        f'<g class="edges">{"".join(paths)}</g><g class="nodes">{"".join(boxes)}</g></svg>'
    )
