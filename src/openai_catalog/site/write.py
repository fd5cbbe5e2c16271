"""Every file of the site: the pages other than an entry's, the JSON API, badges and sitemap.

Called on a fresh folder that `site.build` swaps in once it is complete.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openai_catalog.export.html import script_json
from openai_catalog.export.records import KIND_TITLES, other_names
from openai_catalog.site import api, svg
from openai_catalog.site.model import INVERSE, Item, Site
from openai_catalog.site.pages import Layout, asset, e, entry_page, entry_table, pill

# The columns of the home page's data island, in the order its script reads them.
HOME_FIELDS = (
    "id",
    "name",
    "kind",
    "summary",
    "by",
    "released",
    "license",
    "category",
    "commercial",
    "openness",
    "tags",
    "modalities",
    "aliases",
    "downloads",
    "stars",
    "params",
)
FILTERS = (
    ("kind", "Kind"),
    ("category", "Licence category"),
    ("commercial", "Commercial use"),
    ("openness", "Openness"),
    ("year", "Released"),
    ("modality", "Modality"),
    ("tag", "Tag"),
)
SORTS = (
    ("relevance", "relevance"),
    ("name", "name"),
    ("released", "newest"),
    ("downloads", "downloads"),
    ("stars", "GitHub stars"),
    ("params", "parameters"),
)


class Writer:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.files: list[str] = []
        self.made: set[Path] = set()

    def __call__(self, name: str, text: str) -> None:
        path = self.out / name
        if path.parent not in self.made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(path.parent)
        path.write_text(text, encoding="utf-8")
        self.files.append(name)


def write_site(site: Site, out: Path, base_url: str | None) -> list[str]:
    from openai_catalog.site import _base_path, dump_json

    write = Writer(out)
    layout = Layout(asset("site.css"))
    for item in site.items.values():
        badge = svg.entry_badge(item.kind, item.record.openness, item.record.license_category)
        write(f"badges/{item.id}.svg", badge)
        write(f"entries/{item.id}.html", entry_page(item, site, layout, badge, base_url))
        write(f"api/v1/entries/{item.id}.json", dump_json(api.entry(item)))
    write("index.html", home(site, layout))
    for kind, title in KIND_TITLES.items():
        items = site.of_kind(kind)
        body = (
            f'<h1>{e(title)}</h1><p class="lede">{len(items)} '
            f"{'entry' if len(items) == 1 else 'entries'}.</p>" + entry_table(items, 1, title)
        )
        write(f"kinds/{kind}.html", layout.page(title, body, 1, current=f"kinds/{kind}.html"))
    for item in site.of_kind("community"):
        write(f"communities/{item.id}.html", member_page(item, site, layout, "makes or supports"))
    for item in site.of_kind("compute"):
        write(f"compute/{item.id}.html", member_page(item, site, layout, "supports"))
    write("graph.html", graph_page(site, layout))
    write("stats.html", stats_page(site, layout))
    write("api.html", api_page(site, layout))
    write("about.html", about_page(site, layout))
    base_path = _base_path(base_url)
    write(
        "404.html",
        layout.page(
            "Not found",
            (
                "<h1>Not found</h1><p>No page of the catalogue has this address. Entries keep their ids; "
                "an entry that was renamed lists its old names as aliases, so the "
                f'<a href="{e(base_path or "")}index.html">search</a> finds it.</p>'
            ),
            0,
            root_prefix=base_path or "",
        ),
    )
    write("api/v1/entries.json", dump_json(api.entries(site)))
    write("api/v1/licenses.json", dump_json(api.licenses(site)))
    write("api/v1/schema.json", dump_json(api.schema(site)))
    write(".nojekyll", "")  # GitHub Pages serves the files as they are
    if base_url:
        write(
            "sitemap.xml",
            sitemap(base_url, [f for f in write.files if f.endswith(".html") and f != "404.html"]),
        )
    return write.files


# --- home ----------------------------------------------------------------------------------------


def _row(item: Item) -> list[Any]:
    r, data = item.record, item.data
    return [
        r.id,
        r.name,
        r.kind,
        r.summary,
        r.by_names,
        r.released,
        r.license,
        r.license_category,
        item.commercial,
        r.openness,
        list(data.get("tags", [])),
        list(data.get("modalities", [])),
        other_names(data),  # searched by the home page, never shown
        r.figures.downloads,
        r.figures.stars,
        data.get("parameters") if isinstance(data.get("parameters"), int) else None,
    ]


def home(site: Site, layout: Layout) -> str:
    from openai_catalog.licenses import CATEGORIES
    from openai_catalog.openness import DATASET_GRADES, MODEL_GRADES

    counts = Counter(item.kind for item in site.items.values())
    summary = ", ".join(f"{counts[k]} {KIND_TITLES[k].lower()}" for k in KIND_TITLES if counts[k])
    selects = "".join(
        f'<label for="f-{key}">{e(text)}<select id="f-{key}" data-filter="{key}">'
        '<option value="">all</option></select></label>'
        for key, text in FILTERS
    )
    sorts = "".join(f'<option value="{key}">{e(text)}</option>' for key, text in SORTS)
    grades = [g for g in (*MODEL_GRADES, *DATASET_GRADES) if g != "closed"] + ["closed"]
    data = {
        "fields": HOME_FIELDS,
        "entries": [_row(item) for item in site.items.values()],
        "order": {
            "kind": list(KIND_TITLES),
            "category": list(CATEGORIES),
            "openness": grades,
            "commercial": ["yes", "no", "unknown"],
        },
    }
    body = f"""<h1>Open AI, catalogued</h1>
<p class="lede">{len(site.items)} entries ({e(summary)}), each fact reviewed in a pull request and
backed by its sources. Type to search; press <kbd>/</kbd> to come back to the box and the arrow
keys to move through the results.</p>
<div class="controls" role="search">
<label class="q" for="q">Search names, summaries, tags, makers and licences
<input type="search" id="q" autocomplete="off" placeholder="e.g. code model apache"></label>
{selects}
<label for="sort">Sort by<select id="sort">{sorts}</select></label>
</div>
<p id="count" role="status" aria-live="polite"></p>
<ol id="results" aria-label="Matching entries"></ol>
<button type="button" id="more" hidden>Show more</button>
<noscript><p>Searching needs JavaScript; browse by kind instead:
{" · ".join(f'<a href="kinds/{k}.html">{e(t)}</a>' for k, t in KIND_TITLES.items())}.</p></noscript>"""
    return layout.page(
        "Search",
        body,
        0,
        script=asset("home.js"),
        data=script_json(data),
        current="index.html",
        description="A hand-curated, searchable catalogue of open AI models, "
        "datasets, compute programmes, tools and communities.",
    )


# --- communities and compute programmes ----------------------------------------------------------


def member_page(item: Item, site: Site, layout: Layout, verb: str) -> str:
    """Everything that points at a community or compute programme, grouped by how."""
    groups: dict[str, list[Item]] = {}
    for relation, other in item.incoming:
        if other in site.items:
            groups.setdefault(relation, []).append(site.items[other])
    sections = (
        "".join(
            f"<h2>{e(INVERSE.get(rel, rel).capitalize())}</h2>"
            + entry_table(
                sorted(members, key=lambda i: i.record.name.casefold()),
                1,
                f"{item.record.name} {INVERSE.get(rel, rel)}",
            )
            for rel, members in sorted(
                groups.items(),
                key=lambda kv: list(INVERSE).index(kv[0]) if kv[0] in INVERSE else 99,
            )
        )
        or "<p>Nothing in the catalogue points here yet.</p>"
    )
    body = (
        f'<nav class="crumbs" aria-label="Breadcrumb"><a href="../kinds/{e(item.kind)}.html">'
        f"{e(KIND_TITLES[item.kind])}</a></nav><h1>{e(item.record.name)}</h1>"
        f'<p class="lede">{e(item.record.summary)}</p>'
        f"<p>Everything in the catalogue it {e(verb)}. "
        f'<a href="../entries/{e(item.id)}.html">Its own entry</a>.</p>{sections}'
    )
    return layout.page(item.record.name, body, 1)


# --- graph ---------------------------------------------------------------------------------------


def graph_page(site: Site, layout: Layout) -> str:
    from openai_catalog.export.graph import LABELS
    from openai_catalog.site.svg import KIND_COLOURS

    edges = [
        (item.id, rel, target)
        for item in site.items.values()
        for rel, target in item.outgoing
        if rel != "by" and target in site.items
    ]
    linked = {x for s, _, t in edges for x in (s, t)}
    nodes = [
        svg.GraphNode(i.id, i.record.name, i.kind, f"entries/{i.id}.html")
        for i in site.items.values()
        if i.id in linked
    ]
    legend = "".join(
        f'<span><svg width="14" height="14" aria-hidden="true"><rect width="14" '
        f'height="14" rx="3" fill="{c}"/></svg> {e(KIND_TITLES[k])}</span>'
        for k, c in KIND_COLOURS.items()
    )
    by_source: dict[str, list[str]] = {}
    for s, rel, t in edges:
        by_source.setdefault(s, []).append(
            f'{e(LABELS.get(rel, rel))} <a href="entries/{e(t)}.html">{e(site.items[t].record.name)}</a>'
        )
    listing = "".join(
        f'<li><a href="entries/{e(s)}.html">{e(site.items[s].record.name)}</a>: {"; ".join(v)}</li>'
        for s, v in by_source.items()
    )
    body = (
        f'<h1>Relations</h1><p class="lede">{len(nodes)} entries joined by {len(edges)} '
        "relations (trained on, based on, uses, supported by, part of, superseded by), one "
        "column per kind. Each box is a link to its entry; hover over a line to read it.</p>"
        f'<p class="legend">{legend}</p>'
        f'<div class="graphwrap" tabindex="0" role="region" aria-label="Graph, scrollable">'
        f"{svg.graph(nodes, edges)}</div>"
        f"<details><summary>The same relations as a list</summary><ul>{listing}</ul></details>"
    )
    return layout.page("Graph", body, 0, current="graph.html")


# --- stats ---------------------------------------------------------------------------------------


def _chart(title: str, counts: Sequence[tuple[str, int]]) -> str:
    rows = "".join(f'<tr><th scope="row">{e(k)}</th><td>{n}</td></tr>' for k, n in counts)
    return (
        f"<section><h2>{e(title)}</h2>{svg.bar_chart(title, counts)}"
        f"<details><summary>As a table</summary><table><caption>{e(title)}</caption>"
        f'<thead><tr><th scope="col">Value</th><th scope="col">Entries</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></details></section>"
    )


def stats_page(site: Site, layout: Layout) -> str:
    from openai_catalog.stats import compute_stats

    stats = compute_stats(site.hits)
    charts = [
        _chart("Entries by kind", list(stats.by_kind.items())),
        _chart(
            "Entries by licence category", [(k, n) for k, n in stats.by_license_category.items()]
        ),
        *(
            _chart(f"Openness of {KIND_TITLES[kind].lower()}", list(grades.items()))
            for kind, grades in stats.by_openness.items()
        ),
        _chart("Entries by release year", list(stats.by_year.items())),
    ]
    body = (
        f'<h1>Stats</h1><p class="lede">{stats.total} entries. “none” counts entries that '
        "carry no licence (compute programmes and communities).</p>"
        f'<div class="stats">{"".join(charts)}</div>'
    )
    return layout.page("Stats", body, 0, current="stats.html")


# --- API, about ----------------------------------------------------------------------------------


def api_page(site: Site, layout: Layout) -> str:
    first = next(iter(site.items), None)
    example = (
        f'<a href="api/v1/entries/{e(first)}.json"><code>api/v1/entries/{e(first)}.json</code></a>'
        if first
        else "<code>api/v1/entries/&lt;id&gt;.json</code>"
    )
    body = f"""<h1>JSON API</h1>
<p class="lede">The catalogue as static JSON files, rebuilt with the site on every change.
Version {api.VERSION}: fields are added within a version, never removed or renamed.</p>
<dl class="facts">
<dt><a href="api/v1/entries.json"><code>api/v1/entries.json</code></a></dt>
<dd>Every entry: <code>{{"version", "count", "entries": [...]}}</code>.</dd>
<dt>{example}</dt>
<dd>One entry: its curated <code>fields</code> as written (with the <code>evidence</code> that backs
each fact), the <code>license</code> resolved (category, commercial use, terms), the
<code>openness</code> grade with its components and what the next grade needs,
<code>relations</code> outgoing and incoming, and the Hub and GitHub <code>figures</code> with
<code>fetched_at</code>, plus the paths of its <code>page</code> and <code>badge</code>.</dd>
<dt><a href="api/v1/licenses.json"><code>api/v1/licenses.json</code></a></dt>
<dd>The licence table: id, name, SPDX id, category and what each licence allows or asks.</dd>
<dt><a href="api/v1/schema.json"><code>api/v1/schema.json</code></a></dt>
<dd>The JSON Schema (draft 2020-12) of these files: the document itself describes
<code>entries.json</code>, <code>#/$defs/entry</code> one entry file and
<code>#/$defs/licenses</code> the licence file; <code>#/$defs/curated</code> is the schema of an
entry file of the catalogue.</dd>
<dt><code>badges/&lt;id&gt;.svg</code></dt>
<dd>A badge with the entry's openness grade and licence category.</dd>
</dl>
<p>Paths are relative to the site's root. For queries, filters and exports beyond these files,
use the command line: <code>pip install openai-catalog</code>, then <code>catalog search</code>.</p>"""
    return layout.page("JSON API", body, 0, current="api.html")


def about_page(site: Site, layout: Layout) -> str:
    from openai_catalog.licenses import CATEGORY_LABELS
    from openai_catalog.openness import GRADE_SUMMARIES
    from openai_catalog.site.pages import REPOSITORY, external

    grades = "".join(
        f"<dt>{pill(g, 'open')}</dt><dd>{e(text)}</dd>" for g, text in GRADE_SUMMARIES.items()
    )
    categories = "".join(
        f"<dt>{pill(c, 'lic')}</dt><dd>{e(text)}</dd>" for c, text in CATEGORY_LABELS.items()
    )
    body = f"""<h1>About the catalogue</h1>
<p class="lede">openai-catalog is a map of open AI: the models, datasets, compute programmes, tools
and communities people build with. It is hand-curated YAML in git: every fact is reviewed in a
pull request, quoted from its primary source where it matters, and enriched with figures from the
Hugging Face Hub and GitHub, dated when fetched.</p>
<h2>Contribute</h2>
<ol>
<li>Every entry page has a link to edit its file and one to suggest a change; for a new entry,
install the command line (<code>pip install openai-catalog</code>) and run
<code>catalog add model --from-hub OWNER/NAME</code>.</li>
<li>Back each fact with its source: an <code>evidence</code> quote copied verbatim from the
artifact's or its maker's own page.</li>
<li>Run <code>catalog validate</code>: every problem comes with its file, line and a fix.</li>
<li>Open a pull request at {external(REPOSITORY)}.</li>
</ol>
<h2 id="openness">Openness grades</h2>
<p>Derived from an entry's fields and the graph, never entered by hand; models climb a ladder
modelled on the Model Openness Framework and the OSI's Open Source AI Definition.</p>
<dl class="facts">{grades}</dl>
<h2 id="licences">Licence categories</h2>
<dl class="facts">{categories}</dl>
<h2>This site</h2>
<p>Static pages built by <code>catalog site build</code>, with no request to any other site, no
cookies and no tracking. The data is also a <a href="api.html">JSON API</a>.</p>"""
    return layout.page("About", body, 0, current="about.html")


def sitemap(base_url: str, pages: Sequence[str]) -> str:
    from xml.sax.saxutils import escape

    base = base_url if base_url.endswith("/") else base_url + "/"
    urls = "".join(f"<url><loc>{escape(base + page)}</loc></url>\n" for page in sorted(pages))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
    )
