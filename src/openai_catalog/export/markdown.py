"""GitHub-flavoured markdown for blog posts: a table or a list, grouped in sections, with
reference-style links and, when asked, figures from the enrichment snapshot with their date.

Catalogue text never reaches the document as markup: line breaks become spaces and every
character that could open emphasis, a link, HTML, a table cell or maths is backslash-escaped, so
a `|`, `]` or `<script>` in a summary shows as itself. GitHub's autolinker is kept off the text
the same way: the `.` of `www.`, the `:` of `scheme://` and every `@` are escaped, which renders
the same but gives the autolink extension nothing to match (its `www.` and `://` triggers read the
raw characters, and an e-mail address must sit in one run of text). URLs are percent-encoded
where markdown would read them as syntax.

A `--template` runs in Jinja2's sandbox: it can read the context, not reach Python's internals.

`--style awesome` writes an awesome list (https://github.com/sindresorhus/awesome): the awesome
badge beside the title, a Contents section, `- [Name](link) - Description.` items in sections
(by kind unless --group-by says otherwise), each link used once, and a Contributing section. It
passes awesome-lint's content rules (the tests run the real linter); the rules about the hosting
repository (a git remote on GitHub, its description and topics) are the publisher's to meet.

A `--template FILE.j2` (Jinja2) replaces the built-in layout. Its context:

    title         the --title text, or None
    query         the query words as typed ("" for none)
    group_by      kind, org, year, license, or None
    count         the number of entries
    entries       every entry (see Record below), in the export's order
    groups        sections, each with .title (None when not grouped), .anchor and .records
    figures_note  one sentence saying where the figures come from and when they were fetched
    communities   community id -> .name and .link, for names of `by`

A Record has id, kind, name, summary, by (ids), by_names, released, year, license,
license_category, openness, link (the best page), figures (.downloads, .likes, .stars,
.last_activity, .hub_fetched_at, .github_fetched_at), enrichment (the snapshot per source) and
data (every curated field); `value(column)` gives any column of --columns, None when empty.
Names that do not exist are errors, not blanks: write e.value("parameters") or
e.data.get("paper") for fields an entry may lack. Filters: `md` escapes text for markdown, `md_url` a link target,
`md_link` makes `[name](link)` of a record, `human` writes 6000000000 as 6B.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openai_catalog._util import human_count
from openai_catalog.errors import UsageError
from openai_catalog.export.records import (
    COLUMNS,
    NUMERIC,
    Community,
    Group,
    Record,
    figures_note,
    github_url,
    hub_url,
    paper_url,
    quote_url,
)

STYLES = ("table", "list", "awesome")
TABLE_COLUMNS = ("name", "by", "released", "license", "summary")
LIST_COLUMNS = ("name", "summary", "by", "released", "license")
FIGURE_COLUMNS = ("downloads", "stars")

_BREAKS = re.compile(r"\s+")
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
# Everything that can start markup inside a line: emphasis, code, links, HTML, entities,
# strikethrough, table cells, maths, headings' closing sequences.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~$&#@])")
_AUTOLINK = re.compile(r"(?i)(www)\.|:(?=//)")  # every one: escaping costs nothing when shown
_ANCHOR_DROP = re.compile(r"[^\w\- ]", re.UNICODE)


def text(value: object) -> str:
    """Catalogue text as one line of markdown that shows exactly that text."""
    flat = _BREAKS.sub(" ", _INVISIBLE.sub("", str(value))).strip()
    escaped = _SPECIAL.sub(r"\\\1", flat)
    return _AUTOLINK.sub(lambda m: f"{m.group(1)}\\." if m.group(1) else "\\:", escaped)


def url(value: str) -> str:
    """A link target with nothing markdown could read as syntax (spaces, <>, (), [], |, ...)."""
    return quote_url(value)


def anchor(title: str, seen: dict[str, int]) -> str:
    """The id GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens, -1, -2
    for repeats."""
    slug = _ANCHOR_DROP.sub("", title.strip().lower()).replace(" ", "-")
    count = seen.get(slug, 0)
    seen[slug] = count + 1
    return f"{slug}-{count}" if count else slug


def inline_link(record: Record) -> str:
    return f"[{text(record.name)}]({url(record.link)})" if record.link else text(record.name)


@dataclass
class Options:
    style: str = "table"
    group_by: str | None = None
    columns: Sequence[str] | None = None
    figures: bool = False
    toc: bool = False
    title: str | None = None
    query: str = ""


class _References:
    """Reference-style links, defined once each at the end of the document."""

    def __init__(self) -> None:
        self.targets: dict[str, str] = {}

    def link(self, label_text: str, label: str, target: str | None) -> str:
        if not target:
            return text(label_text)
        key = label.lower()
        self.targets.setdefault(key, target)
        if self.targets[key] != target:  # the same label cannot point at two pages
            return f"[{text(label_text)}]({url(target)})"
        return f"[{text(label_text)}][{label}]"

    def definitions(self) -> str:
        return "\n".join(f"[{label}]: {url(target)}" for label, target in self.targets.items())


def columns_for(options: Options) -> list[str]:
    names = list(options.columns or (TABLE_COLUMNS if options.style == "table" else LIST_COLUMNS))
    if options.figures:
        at = names.index("summary") if "summary" in names else len(names)
        names[at:at] = [c for c in FIGURE_COLUMNS if c not in names]
    return names


def _cell(record: Record, column: str, refs: _References, orgs: dict[str, Community]) -> str:
    value = record.value(column)
    if value is None or value == []:
        return ""
    if column == "name":
        return refs.link(record.name, record.id, record.link)
    if column == "by":
        return ", ".join(
            refs.link(orgs[b].name, b, orgs[b].link) if b in orgs else text(b) for b in record.by
        )
    if column == "hub":
        return refs.link(value, f"{record.id}:hub", hub_url(record.kind, value))
    if column == "variants":  # each checkpoint by name, linked to its Hub repo
        return ", ".join(
            refs.link(v["name"], f"{record.id}:{v['hub']}", hub_url(record.kind, v["hub"]))
            if v.get("hub")
            else text(v["name"])
            for v in record.data.get("variants") or ()
        )
    if column == "github":
        return refs.link(value, f"{record.id}:github", github_url(value))
    if column == "paper":
        return refs.link(value, f"{record.id}:paper", paper_url(value))
    if column in ("url", "link"):
        return refs.link(value, f"{record.id}:{column}", value)
    if column in NUMERIC:
        return human_count(int(value))
    if column in ("hub_fetched_at", "github_fetched_at", "last_activity"):
        return text(str(value)[:10])
    if isinstance(value, list):
        return text(", ".join(str(v) for v in value))
    return text(value)


def _table(
    records: Sequence[Record], columns: Sequence[str], refs: _References, orgs: dict[str, Community]
) -> str:
    lines = [
        "| " + " | ".join(COLUMNS[c] for c in columns) + " |",
        "| " + " | ".join("---:" if c in NUMERIC else "---" for c in columns) + " |",
    ]
    for record in records:
        lines.append("| " + " | ".join(_cell(record, c, refs, orgs) for c in columns) + " |")
    return "\n".join(lines)


_LIST_UNITS = {
    "downloads": "downloads",
    "likes": "likes",
    "stars": "stars",
    "parameters": "parameters",
}


def _list(
    records: Sequence[Record], columns: Sequence[str], refs: _References, orgs: dict[str, Community]
) -> str:
    lines = []
    for record in records:
        line = "- **" + _cell(record, "name", refs, orgs) + "**"
        if "summary" in columns:
            line += ": " + _cell(record, "summary", refs, orgs)
        meta = []
        for column in columns:
            if column in ("name", "summary"):
                continue
            shown = _cell(record, column, refs, orgs)
            if not shown:
                continue
            if column == "by":
                shown = "by " + shown
            elif column == "variants":
                shown = "variants: " + shown
            elif column in _LIST_UNITS:
                shown = f"{shown} {_LIST_UNITS[column]}"
            meta.append(shown)
        if meta:
            line += " (" + " · ".join(meta) + ")"
        lines.append(line)
    return "\n".join(lines)


def render(
    records: Sequence[Record], groups: Sequence[Group], options: Options, orgs: dict[str, Community]
) -> str:
    """The whole document: title, contents, one section per group, the note, the references."""
    if options.style == "awesome":
        return _awesome(groups, options)
    columns = columns_for(options)
    refs = _References()
    seen: dict[str, int] = {}
    parts = []
    if options.title:
        parts.append("# " + text(options.title))
        anchor(options.title, seen)
    anchors = [anchor(g.title, seen) if g.title else "" for g in groups]
    if options.toc and any(g.title for g in groups):
        parts.append(
            "\n".join(
                f"- [{text(g.title)}](#{a}) ({len(g.records)})"
                for g, a in zip(groups, anchors, strict=True)
                if g.title
            )
        )
    for group in groups:
        if group.title:
            parts.append("## " + text(group.title))
        if group.records:
            body = _table if options.style == "table" else _list
            parts.append(body(group.records, columns, refs, orgs))
    if not records:
        parts.append("_No entries match._")
    note = figures_note(records, columns)
    if note and records:
        parts.append("_" + text(note) + "_")
    if refs.targets:
        parts.append(refs.definitions())
    return "\n\n".join(parts) + "\n"


# --- awesome lists ------------------------------------------------------------------------------

AWESOME_TITLE = "Awesome Open AI"
AWESOME_BADGE = "[![Awesome](https://awesome.re/badge.svg)](https://awesome.re)"
AWESOME_INTRO = (
    "> A curated list of open AI: models, datasets, compute programs, tools and "
    "communities, each with its licence, from the openai-catalog registry."
)
AWESOME_CONTRIBUTING = (
    "## Contributing\n\nContributions welcome! Read the [contribution guidelines](contributing.md) "
    "first. The entries come from the openai-catalog registry, where each fact is backed by its "
    "source: add or correct an entry there, then export the list again."
)
_KIND_NOUNS = {
    "model": "Model",
    "dataset": "Dataset",
    "compute": "Compute program",
    "tool": "Tool",
    "community": "Community",
}
# awesome-lint's no-repeat-punctuation: a run of one of these reads as one.
_REPEATED = re.compile("([!~\uff5e,\uff0c\u00b7?\uff1f\uff01])\\1+")
_ENDS_A_SENTENCE = re.compile(r"[.!?…][\"”)]?$")


def _alternative_links(record: Record) -> list[str]:
    """The pages of an entry, best first: its main link, then its homepage, Hub, GitHub and
    paper, then the sources that back it (all primary pages about it)."""
    data = record.data
    found = [
        record.link,
        data.get("url"),
        hub_url(record.kind, data["hub"]) if data.get("hub") else None,
        github_url(data["github"]) if data.get("github") else None,
        paper_url(data["paper"]) if data.get("paper") else None,
        *(data.get("sources") or []),
        *(
            item.get("source")
            for items in (data.get("evidence") or {}).values()
            if isinstance(items, list)
            for item in items
            if isinstance(item, dict)
        ),
    ]
    return list(dict.fromkeys(link for link in found if isinstance(link, str) and link))


def _link_key(link: str) -> str:
    """Links that awesome-lint counts as the same page (it normalises them) share a key."""
    key = link.strip().lower().split("://", 1)[-1].removeprefix("www.")
    return key.rstrip("/")


def _awesome_description(record: Record) -> str:
    """`Summary. Licence: X.` with a capital first letter and a full stop, as awesome-lint asks;
    a summary that opens with the entry's own name is introduced by its kind (`Community:
    Amazon's research teams ...`), since the linter forbids repeating the name at the start."""
    summary = " ".join(record.summary.split())
    name = record.name.lower()
    if summary.lower().startswith(name) and not summary[len(name) : len(name) + 1].isalnum():
        summary = f"{_KIND_NOUNS[record.kind]}: {summary}"
    if summary and summary[0].islower():
        summary = summary[0].upper() + summary[1:]
    if not _ENDS_A_SENTENCE.search(summary):
        summary += "."
    described = text(_REPEATED.sub(r"\1", summary))
    if record.license:
        described += f" Licence: {text(record.license)}."
    return described


def _heading(title: str | None) -> str:
    return (title or "Entries").rstrip(".:;!?,") or "Entries"


def _awesome(groups: Sequence[Group], options: Options) -> str:
    """An awesome list of the groups (see the module docstring)."""
    title = options.title or AWESOME_TITLE
    seen: dict[str, int] = {}
    anchor(title, seen)
    anchor("Contents", seen)
    # awesome-lint's no-heading-punctuation: "LangChain, Inc." heads its section as "LangChain, Inc"
    sections = [(g, anchor(_heading(g.title), seen)) for g in groups if g.records]
    parts = [f"# {text(title)} {AWESOME_BADGE}", AWESOME_INTRO, "## Contents"]
    if sections:
        parts.append("\n".join(f"- [{text(_heading(g.title))}](#{a})" for g, a in sections))
    else:
        parts.append("_No entries match._")
    used: set[str] = set()
    for group, _ in sections:
        items = []
        for record in group.records:
            links = _alternative_links(record)
            name = text(_REPEATED.sub(r"\1", record.name))
            link = next((lk for lk in links if _link_key(lk) not in used), None)
            if link is None:
                # Each page may head one item only; an entry whose pages all head other items
                # (or one listed again under a second maker) is named without a link.
                items.append(f"- {name} - {_awesome_description(record)}")
                continue
            used.add(_link_key(link))
            items.append(f"- [{name}]({url(link)}) - {_awesome_description(record)}")
        parts.append("## " + text(_heading(group.title)))
        parts.append("\n".join(items))
    parts.append(AWESOME_CONTRIBUTING)
    return "\n\n".join(parts) + "\n"


# --- templates ----------------------------------------------------------------------------------


@dataclass
class TemplateGroup:
    title: str | None
    anchor: str
    records: list[Record]


def render_template(
    path: Path,
    records: Sequence[Record],
    groups: Sequence[Group],
    options: Options,
    orgs: dict[str, Community],
) -> str:
    """Render a user's Jinja2 template with the context this module's docstring lists."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(path.parent)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(md=text, md_url=url, md_link=inline_link, human=human_count)
    seen: dict[str, int] = {}
    if options.title:
        anchor(options.title, seen)
    context: dict[str, Any] = {
        "title": options.title,
        "query": options.query,
        "group_by": options.group_by,
        "count": len(records),
        "entries": list(records),
        "communities": orgs,
        "groups": [
            TemplateGroup(g.title, anchor(g.title, seen) if g.title else "", g.records)
            for g in groups
        ],
        "figures_note": figures_note(records, ("downloads", "likes", "stars")),
    }
    try:
        return env.get_template(path.name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise UsageError(
            f"{path}:{exc.lineno}: {exc.message}", "see the Jinja2 template syntax"
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise UsageError(f"{path}: template {exc.name!r} not found") from None
    except jinja2.exceptions.SecurityError as exc:
        raise UsageError(
            f"{path}: the template did something unsafe: {exc}",
            "a template may use its context (README.md, section Exports), not Python's internals",
        ) from None
    except jinja2.UndefinedError as exc:
        raise UsageError(
            f"{path}: {exc.message}", "the template context is listed in README.md, section Exports"
        ) from None
