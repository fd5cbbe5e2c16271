"""The site's HTML pages, as text.

Every page is self-sufficient and offline: its CSS (and the home page's script and data) inline,
allowed by a Content-Security-Policy that names their hashes and forbids any other script, style,
frame, font or request. Links are relative (`../entries/x.html`), so the site works from
`file://` and under any sub-path; only the 404 page, which GitHub Pages serves at any depth, links
through the base URL when one is given. Catalogue text goes through `html.escape` on its way into
markup, and as JSON with `<`, `>` and `&` escaped into the home page's data island.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

from openai_catalog.export.records import (
    COLUMNS,
    KIND_TITLES,
    github_url,
    hub_url,
    paper_url,
    quote_url,
)
from openai_catalog.site.model import INVERSE, Item, Site

REPOSITORY = "https://github.com/openai-catalog/openai-catalog"
NAV = (
    ("index.html", "Search"),
    ("kinds/model.html", "Models"),
    ("kinds/dataset.html", "Datasets"),
    ("kinds/compute.html", "Compute"),
    ("kinds/tool.html", "Tools"),
    ("kinds/community.html", "Communities"),
    ("graph.html", "Graph"),
    ("stats.html", "Stats"),
    ("api.html", "API"),
    ("about.html", "About"),
)
LABELS = {
    **COLUMNS,
    "by": "Made by",
    "license": "Licence",
    "status_note": "Status note",
    "superseded_by": "Superseded by",
    "context_length": "Context length",
    "training_code": "Training code",
    "training_data": "Training data",
    "apply_url": "Apply at",
    "code_license": "Code licence",
    "data_license": "Data licence",
}
# Fields shown in sections of their own rather than among the facts.
OWN_SECTIONS = frozenset(
    {"id", "name", "kind", "summary", "description", "relations", "evidence", "sources"}
)
CURRENT = ' aria-current="page"'
_HTTPS = re.compile(r"^https://[^\s]+$")


def e(value: object) -> str:
    return html.escape(str(value), quote=True)


def asset(name: str) -> str:
    return resources.files("openai_catalog.site").joinpath("assets", name).read_text("utf-8")


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def href(url: str) -> str | None:
    """An https URL made safe for an href attribute; None for anything else (javascript:, data:)."""
    return quote_url(url) if isinstance(url, str) and _HTTPS.match(url.strip()) else None


def short_url(url: str, width: int = 60) -> str:
    """A URL without its scheme, cut to `width` characters: link text for long source pages."""
    text = re.sub(r"^https?://(www\.)?", "", url)
    return text if len(text) <= width else text[: width - 1] + "…"


def external(url: str, text: str | None = None) -> str:
    target = href(url)
    label = e(text if text is not None else url)
    return f'<a href="{e(target)}" rel="noopener noreferrer">{label}</a>' if target else label


def entry_href(entry_id: str, depth: int) -> str:
    return f"{'../' * depth}entries/{entry_id}.html"


def human(number: int) -> str:
    for size, suffix in ((10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "K")):
        if number >= size:
            return f"{number / size:.3g}{suffix}"
    return str(number)


class Layout:
    """The frame every page shares; `prefix` leads from the page back to the site root."""

    def __init__(self, css: str, base_path: str | None = None) -> None:
        self.css = css
        self.base_path = base_path  # the site's path on its host, for the 404 page

    def page(
        self,
        title: str,
        body: str,
        depth: int,
        *,
        script: str | None = None,
        data: str | None = None,
        current: str | None = None,
        root_prefix: str | None = None,
        description: str | None = None,
    ) -> str:
        prefix = root_prefix if root_prefix is not None else "../" * depth
        scripts = f"script-src {csp_hash(script)}" if script else "script-src 'none'"
        csp = (
            f"default-src 'none'; style-src {csp_hash(self.css)}; {scripts}; img-src data:; "
            "base-uri 'none'; form-action 'none'"
        )
        nav = "".join(
            f'<li><a href="{e(prefix + target)}"{CURRENT if target == current else ""}>'
            f"{label}</a></li>"
            for target, label in NAV
        )
        island = (
            f'<script type="application/json" id="catalog-data">{data}</script>'
            if data is not None
            else ""
        )
        code = f"<script>{script}</script>" if script else ""
        meta = f'<meta name="description" content="{e(description)}">\n' if description else ""
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{e(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light dark">
{meta}<title>{e(title)} · openai-catalog</title>
<link rel="icon" href="data:,">
<style>{self.css}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site"><a class="brand" href="{e(prefix)}index.html">openai-catalog</a>
<nav aria-label="Site"><ul>{nav}</ul></nav></header>
<main id="main" tabindex="-1">
{body}
</main>
<footer class="site"><p>openai-catalog: a hand-curated, reviewed catalogue of open AI.
<a href="{e(prefix)}about.html">About and contributing</a> · <a href="{e(prefix)}api.html">JSON API</a></p></footer>
{island}{code}
</body>
</html>
"""


# --- pieces ------------------------------------------------------------------------------------


def pill(text: str | None, family: str) -> str:
    if not text:
        return ""
    token = re.sub(r"[^a-z0-9-]", "", text.lower())
    return f'<span class="pill {family}-{token}">{e(text)}</span>'


def entry_table(items: Sequence[Item], depth: int, caption: str) -> str:
    """A plain table of entries: name (linked), kind, licence, openness, released, summary."""
    if not items:
        return "<p>None yet.</p>"
    rows = "".join(
        f'<tr><th scope="row"><a href="{e(entry_href(i.id, depth))}">{e(i.record.name)}</a></th>'
        f"<td>{e(i.kind)}</td><td>{e(i.record.license or '')} {pill(i.record.license_category, 'lic')}</td>"
        f"<td>{pill(i.record.openness, 'open')}</td><td>{e(i.record.released or '')}</td>"
        f"<td>{e(i.record.summary)}</td></tr>"
        for i in items
    )
    return (
        f'<div class="scroll"><table class="entries"><caption>{e(caption)}</caption><thead><tr>'
        '<th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Licence</th>'
        '<th scope="col">Openness</th><th scope="col">Released</th><th scope="col">Summary</th>'
        f"</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def _scalar(name: str, value: Any, item: Item, site: Site, depth: int) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name == "hub" and isinstance(value, str):
        return external(hub_url(item.kind, value), value)
    if name == "github" and isinstance(value, str):
        return external(github_url(value), value)
    if name == "paper" and isinstance(value, str):
        return external(paper_url(value), value)
    if name in ("by", "superseded_by") and value in site.items:
        return f'<a href="{e(entry_href(value, depth))}">{e(site.items[value].record.name)}</a>'
    if name == "parameters" and isinstance(value, int):
        return f"{e(human(value))} ({value:,})"
    if isinstance(value, int) and not isinstance(value, bool) and value >= 10_000:
        return f"{e(human(value))} ({value:,})"
    if isinstance(value, str) and href(value):
        return external(value)
    return e(value)


def value_html(name: str, value: Any, item: Item, site: Site, depth: int) -> str:
    """A field's value: links for URLs, Hub and GitHub ids, papers and entries; lists and
    mappings spelled out."""
    if isinstance(value, list):
        if all(isinstance(v, dict) for v in value):
            return (
                "<ul>"
                + "".join(f"<li>{value_html(name, v, item, site, depth)}</li>" for v in value)
                + "</ul>"
            )
        return ", ".join(_scalar(name, v, item, site, depth) for v in value)
    if isinstance(value, dict):
        return "; ".join(
            f"{e(k.replace('_', ' '))}: {value_html(k, v, item, site, depth)}"
            for k, v in value.items()
        )
    return _scalar(name, value, item, site, depth)


def evidence_html(quotes: Any) -> str:
    """The quotes that back a fact, each with the page it was copied from."""
    if not isinstance(quotes, list) or not quotes:
        return ""
    out = []
    for quote in quotes:
        if not isinstance(quote, dict):
            continue
        source = quote.get("source", "")
        out.append(
            f'<li><q>{e(quote.get("quote", ""))}</q> <span class="src">from '
            f"{external(source, short_url(source))}</span></li>"
        )
    return f'<ul class="evidence" aria-label="Evidence">{"".join(out)}</ul>' if out else ""


def label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " ").capitalize())


# --- entry pages ---------------------------------------------------------------------------------


def entry_page(item: Item, site: Site, layout: Layout, badge_svg: str, base_url: str | None) -> str:
    from openai_catalog.licenses import ATTRIBUTE_LABELS, CATEGORY_LABELS
    from openai_catalog.openness import GRADE_SUMMARIES
    from openai_catalog.schema import field_order

    r, data, depth = item.record, item.data, 1
    found = data.get("evidence")
    evidence: dict[str, Any] = found if isinstance(found, dict) else {}
    facts = []
    order = field_order(item.kind)
    for name in sorted(data, key=lambda n: order.index(n) if n in order else len(order)):
        if name in OWN_SECTIONS:
            continue
        facts.append(
            f"<dt>{e(label(name))}</dt><dd>{value_html(name, data[name], item, site, depth)}"
            f"{evidence_html(evidence.get(name))}</dd>"
        )
    parts = [
        f'<nav class="crumbs" aria-label="Breadcrumb"><a href="../index.html">Search</a> › '
        f'<a href="../kinds/{e(item.kind)}.html">{e(KIND_TITLES[item.kind])}</a></nav>',
        f"<h1>{e(r.name)}</h1>",
        f'<p class="lede">{e(r.summary)}</p>',
        f'<p class="tags">{pill(item.kind, "kind")} {pill(r.license_category, "lic")} '
        f"{pill(r.openness, 'open')}</p>",
    ]
    if r.link and href(r.link):
        parts.append(f"<p>{external(r.link, 'Homepage: ' + r.link)}</p>")
    description = data.get("description")
    if isinstance(description, str) and description.strip():
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", description) if p.strip()]
        parts.append(
            '<section aria-labelledby="about"><h2 id="about">About</h2>'
            + "".join(f"<p>{e(' '.join(p.split()))}</p>" for p in paragraphs)
            + "</section>"
        )
    parts.append(
        '<section aria-labelledby="facts"><h2 id="facts">Facts</h2>'
        f'<dl class="facts">{"".join(facts)}</dl>'
        '<p class="note">Each quote under a fact is copied verbatim from the page it '
        "links to.</p></section>"
    )
    if item.terms is not None:
        terms = item.terms
        commercial = {True: "allowed", False: "not allowed", None: "not known"}[terms.commercial]
        rows = []
        for lic in terms.licenses:
            asks = [
                lbl
                for name, lbl in ATTRIBUTE_LABELS.items()
                if name != "commercial" and getattr(lic, name)
            ]
            rows.append(
                f"<li>{external(lic.url, lic.name) if lic.url else e(lic.name)}"
                f" ({e(lic.id)}, {e(lic.category)})"
                + (f": asks for {e(', '.join(asks))}" if asks else "")
                + (f'<p class="note">{e(lic.note)}</p>' if lic.note else "")
                + "</li>"
            )
        parts.append(
            '<section aria-labelledby="licence"><h2 id="licence">Licence</h2>'
            f"<p><code>{e(terms.text)}</code>: {e(CATEGORY_LABELS.get(terms.category, terms.category))}; "
            f"commercial use {commercial}.</p><ul>{''.join(rows)}</ul></section>"
        )
    if item.grade is not None:
        g = item.grade
        comps = "".join(
            f'<tr><td>{"✓" if c.ok else "✗"}<span class="sr"> {"meets" if c.ok else "misses"} the open bar</span></td>'
            f'<th scope="row">{e(c.name)}</th><td>{e(c.value)}</td><td>{e(c.evidence)}</td></tr>'
            for c in g.components
        )
        needs = (
            "<p>This is the top grade: nothing is missing.</p>"
            if g.next_grade is None
            else f"<p>For {e(g.next_grade)} it still needs:</p><ul>"
            + "".join(f"<li>{e(n)}</li>" for n in g.needs)
            + "</ul>"
        )
        parts.append(
            '<section aria-labelledby="openness"><h2 id="openness">Openness</h2>'
            f"<p>{pill(g.grade, 'open')} {e(GRADE_SUMMARIES[g.grade])}.</p>"
            f'<p class="note">Grades, lowest first: {e(" < ".join(reversed(g.ladder)))}. '
            'Derived from the fields and the graph; see <a href="../about.html#openness">how</a>.</p>'
            f'<div class="scroll"><table class="components"><caption>What the grade looks at</caption>'
            '<thead><tr><th scope="col">Open</th><th scope="col">Component</th>'
            f'<th scope="col">Value</th><th scope="col">Why</th></tr></thead><tbody>{comps}</tbody>'
            f"</table></div>{needs}</section>"
        )
    parts.append(_relations(item, site, evidence))
    parts.append(_figures(item))
    sources = data.get("sources") or []
    if sources:
        parts.append(
            '<section aria-labelledby="sources"><h2 id="sources">Sources</h2><ul>'
            + "".join(f"<li>{external(s)}</li>" for s in sources)
            + "</ul></section>"
        )
    base = (base_url or "").rstrip("/")
    badge_url = f"{base}/badges/{item.id}.svg" if base else f"badges/{item.id}.svg"
    page_url = f"{base}/entries/{item.id}.html" if base else f"entries/{item.id}.html"
    markdown = f"[![openai-catalog: {r.name}]({badge_url})]({page_url})"
    parts.append(
        '<section aria-labelledby="badge"><h2 id="badge">Badge</h2>'
        f'<div class="badge">{badge_svg}</div>'
        f'<p><label for="embed">Markdown to embed it</label></p>'
        f'<textarea id="embed" readonly rows="2">{e(markdown)}</textarea>'
        + (
            ""
            if base
            else '<p class="note">Links are relative to the site: build with '
            "<code>--base-url</code> for absolute ones.</p>"
        )
        + "</section>"
    )
    from openai_catalog.schema import KIND_FOLDERS

    path = site.paths.get(item.id, f"{KIND_FOLDERS[item.kind]}/{item.id}.yaml")
    edit = f"{REPOSITORY}/edit/main/catalog/{path}"
    issue = f"{REPOSITORY}/issues/new?title=" + quote_url(f"Suggest a change to {item.id}").replace(
        " ", "%20"
    )
    own = ""
    if item.kind == "community":
        own = f'<li><a href="../communities/{e(item.id)}.html">Everything it makes or supports</a></li>'
    elif item.kind == "compute":
        own = f'<li><a href="../compute/{e(item.id)}.html">Everything it supports</a></li>'
    parts.append(
        '<section aria-labelledby="more"><h2 id="more">More</h2><ul>'
        f"{own}<li>{external(edit, 'Edit this entry’s file')}</li>"
        f"<li>{external(issue, 'Suggest a change')}</li>"
        f'<li><a href="../api/v1/entries/{e(item.id)}.json">This entry as JSON</a></li></ul></section>'
    )
    return layout.page(r.name, "\n".join(parts), depth, description=r.summary)


def _relations(item: Item, site: Site, evidence: dict[str, Any]) -> str:
    def links(pairs: Iterable[tuple[str, str]], names: dict[str, str]) -> str:
        grouped: dict[str, list[str]] = {}
        for relation, other in pairs:
            text = (
                f'<a href="{e(entry_href(other, 1))}">{e(site.items[other].record.name)}</a>'
                if other in site.items
                else e(other)
            )
            grouped.setdefault(names.get(relation, relation), []).append(text)
        return "".join(f"<dt>{e(k)}</dt><dd>{', '.join(v)}</dd>" for k, v in grouped.items())

    from openai_catalog.export.graph import LABELS as OUT

    outgoing = [(r, t) for r, t in item.outgoing if r != "by"]
    body = ""
    if outgoing:
        body += f'<h3>From this entry</h3><dl class="facts">{links(outgoing, dict(OUT))}</dl>'
        body += evidence_html(evidence.get("relations"))
    if item.incoming:
        body += f'<h3>To this entry</h3><dl class="facts">{links(item.incoming, INVERSE)}</dl>'
    if not body:
        body = "<p>No relations recorded.</p>"
    return f'<section aria-labelledby="relations"><h2 id="relations">Relations</h2>{body}</section>'


def _figures(item: Item) -> str:
    rows = []
    hub, github = item.record.enrichment.get("hub", {}), item.record.enrichment.get("github", {})
    f = item.record.figures
    if f.downloads is not None or f.likes is not None:
        figures = []
        if f.downloads is not None:
            figures.append(f"{f.downloads:,} downloads over the 30 days before fetching")
        if f.likes is not None:
            figures.append(f"{f.likes:,} likes")
        when = (hub.get("fetched_at") or "")[:10]
        rows.append(
            f"<li>Hugging Face Hub: {e(', '.join(figures))}"
            + (f", fetched {e(when)}" if when else "")
            + "</li>"
        )
    if f.stars is not None:
        when = (github.get("fetched_at") or "")[:10]
        rows.append(
            f"<li>GitHub: {f.stars:,} stars"
            + (f", fetched {e(when)}" if when else "")
            + (", archived" if github.get("archived") else "")
            + "</li>"
        )
    body = f"<ul>{''.join(rows)}</ul>" if rows else "<p>No figures fetched for this entry.</p>"
    return f'<section aria-labelledby="figures"><h2 id="figures">Figures</h2>{body}</section>'
