"""One self-contained HTML page: a sortable, filterable table with a search box and licence and
openness badges, that works offline.

Everything is inline (CSS and JS from assets/); a Content-Security-Policy with the hashes of that
CSS and JS forbids any other script, style or request. The entries travel as JSON in a
`<script type="application/json">` with every `<`, `>` and `&` escaped, and the page's script
writes them with textContent only, so a `<script>` in a summary shows as text.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Sequence
from importlib import resources
from typing import Any

from openai_catalog.export.records import Record, figures_note, other_names

# (key, header, numeric); columns that no entry fills are left out.
COLUMNS = (
    ("name", "Name", False),
    ("kind", "Kind", False),
    ("by", "By", False),
    ("released", "Released", False),
    ("license", "Licence", False),
    ("openness", "Openness", False),
    ("parameters", "Parameters", True),
    ("downloads", "Downloads", True),
    ("stars", "Stars", True),
    ("summary", "Summary", False),
)
OPTIONAL = frozenset({"openness", "parameters", "downloads", "stars"})
FILTERS = (("kind", "Kind"), ("license_category", "Licence"), ("openness", "Openness"))
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def _asset(name: str) -> str:
    return resources.files("openai_catalog.export").joinpath("assets", name).read_text("utf-8")


def script_json(data: Any) -> str:
    """JSON that cannot end its <script> element or open a comment: <, > and & escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return "".join(_JSON_ESCAPES.get(c, c) for c in text)


def _row(record: Record) -> dict[str, Any]:
    link = record.link if record.link and record.link.startswith("https://") else None
    return {
        "id": record.id,
        "name": record.name,
        "kind": record.kind,
        "summary": record.summary,
        "by": record.by_names,
        "released": record.released,
        "license": record.license,
        "license_category": record.license_category,
        "openness": record.openness,
        "parameters": record.data.get("parameters"),
        "downloads": record.figures.downloads,
        "stars": record.figures.stars,
        "tags": record.data.get("tags", []),
        "aliases": other_names(record.data),  # searched, never shown
        "link": link,
    }


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def render(records: Sequence[Record], title: str | None = None, query: str = "") -> str:
    rows = [_row(r) for r in records]
    kinds = {row["kind"] for row in rows}
    columns = [
        {"key": key, "label": label, "numeric": numeric}
        for key, label, numeric in COLUMNS
        if (key not in OPTIONAL or any(row[key] is not None for row in rows))
        and (key != "kind" or len(kinds) > 1)
    ]
    shown = [c["key"] for c in columns]
    css, js = _asset("page.css"), _asset("page.js")
    csp = (
        f"default-src 'none'; style-src {_hash(css)}; script-src {_hash(js)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    heading = title or "openai-catalog"
    noun = "entry" if len(rows) == 1 else "entries"
    lede = (
        f"{len(rows)} {noun}"
        + (f" matching “{query}”" if query else "")
        + " from openai-catalog, a hand-curated catalogue of open AI."
    )
    filters = []
    for key, label in FILTERS:
        values = sorted({row[key] for row in rows if row[key]})
        if len(values) > 1:  # a choice of one value filters nothing
            options = "".join(
                f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in values
            )
            filters.append(
                f'<label>{label} <select data-filter="{key}" id="filter-{key}">'
                f'<option value="">all</option>{options}</select></label>'
            )
    note = figures_note(records, [k for k in ("downloads", "stars") if k in shown])
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{html.escape(csp)}">
<meta name="referrer" content="no-referrer">
<title>{html.escape(heading)}</title>
<link rel="icon" href="data:,">
<style>{css}</style>
</head>
<body>
<header>
<h1>{html.escape(heading)}</h1>
<p class="lede">{html.escape(lede)}</p>
</header>
<div class="controls" role="search">
<input type="search" id="search" placeholder="Search names, summaries, tags, makers…" aria-label="Search the entries" autofocus>
{"".join(filters)}
<span id="count" aria-live="polite"></span>
</div>
<table id="entries"><thead><tr></tr></thead><tbody></tbody></table>
<noscript><p>This page needs JavaScript to show its table.</p></noscript>
<footer>{html.escape(note or "")} Click a column's title to sort by it.</footer>
<script type="application/json" id="catalog-data">{script_json({"columns": columns, "entries": rows})}</script>
<script>{js}</script>
</body>
</html>
"""
