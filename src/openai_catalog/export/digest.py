"""What changed, as documents: a markdown digest for a monthly post and an Atom feed.

Both take the changes of openai_catalog.changes and, for entries that still exist, their export
records (link, summary, licence category, openness). The digest names each entry once per
section, newest state first: an entry added and then edited in the range is simply new.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from openai_catalog.changes import Change, Range, load
from openai_catalog.export.markdown import text, url
from openai_catalog.export.records import KIND_TITLES, main_link

if TYPE_CHECKING:
    from openai_catalog.query import Query

_NOT_XML = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)
FEED_ID = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "openai-catalog:changes"))
STATUS_CHANGES = ("withdrawn", "deprecated", "superseded", "reinstated")


@dataclass(frozen=True)
class Item:
    """A change with what a reader needs of its entry."""

    change: Change
    name: str
    link: str | None
    summary: str
    license: str | None
    license_category: str | None
    openness: str | None


def items(changes: Sequence[Change], records: Mapping[str, Current]) -> list[Item]:
    """Each change with its entry: as it is now, or for an entry that is gone, its last state."""
    load(c for c in changes if c.id not in records)
    out = []
    for change in changes:
        record = records.get(change.id)
        if record is not None:
            out.append(
                Item(
                    change,
                    record.name,
                    record.link,
                    record.summary,
                    record.license,
                    record.license_category,
                    record.openness,
                )
            )
            continue
        data = change.data  # an entry that is gone: its last state
        out.append(
            Item(
                change,
                str(data.get("name") or change.id),
                main_link(change.kind, data),
                str(data.get("summary") or ""),
                data.get("license"),
                None,
                None,
            )
        )
    return out


@dataclass(frozen=True)
class Current:
    """What a digest shows of an entry that still exists: the fields of its export record."""

    name: str
    link: str | None
    summary: str
    license: str | None
    license_category: str | None
    openness: str | None


def records_of(root: Path, ids: Iterable[str] | None = None) -> dict[str, Current]:
    """Name, link, summary, licence category and openness of the entries that still exist (those
    of `ids`, or all), read from the search index as the exports read them; only these fields,
    not whole export records, since a history can name every entry of the catalogue."""
    from openai_catalog._util import scrub
    from openai_catalog.index import briefs

    wanted = None if ids is None else set(ids)
    return {
        b.id: Current(
            scrub(b.name),
            main_link(b.kind, b.links),
            scrub(b.summary),
            b.license,
            b.license_category,
            b.openness,
        )
        for b in briefs(root)
        if wanted is None or b.id in wanted
    }


def changes_of(
    root: Path, query: Query, since: str | None = None, until: str | None = None
) -> tuple[list[Item], Range]:
    """The changes in the range of the entries the query selects, each with its entry.

    The search index is read in a thread while git walks the history: on a long history of a
    large catalogue each takes a good part of a second, and git works in a process of its own,
    so the one hides the other."""
    from concurrent.futures import ThreadPoolExecutor

    from openai_catalog import changes as history
    from openai_catalog.index import open_index

    history.repository_of(root)  # no git or no repository: said before the index is read
    # Built or refreshed here when needed, while this process has one thread: building reads
    # the entry files in forked children, which a process of more than one thread may not start.
    open_index(root).close()
    with ThreadPoolExecutor(max_workers=1) as pool:
        current = pool.submit(records_of, root)
        found, span = history.history(root, since, until)
        records = current.result()
    ids = history.matching_ids(root, query, found, present=set(records))
    return items(history.select(found, ids), records), span


def default_title(span: Range) -> str:
    """ "New in open AI: November 2026" for a calendar month, else the dates."""
    start, end = span.since_date, span.until_date
    if start is not None and start.day == 1 and (start.year, start.month) == (end.year, end.month):
        return f"New in open AI: {start.strftime('%B %Y')}"
    if start is not None:
        return f"New in open AI: {start.isoformat()} to {end.isoformat()}"
    return f"New in open AI, up to {end.isoformat()}"


def _when(change: Change) -> str:
    day = change.date[:10]
    return f"{day} (#{change.pr})" if change.pr else day


def _link(item: Item) -> str:
    return f"[{text(item.name)}]({url(item.link)})" if item.link else text(item.name)


def _terms(item: Item) -> str:
    parts = []
    if item.license:
        parts.append(
            "licence "
            + text(item.license)
            + (f" ({text(item.license_category)})" if item.license_category else "")
        )
    if item.openness:
        parts.append("openness " + text(item.openness))
    return ", ".join(parts)


def markdown(all_items: Sequence[Item], span: Range, title: str | None = None) -> str:
    """The digest: new entries by kind, then relicensings, status changes, renames, removals and
    updates, each in a section of its own."""
    lines = [f"# {text(title or default_title(span))}", ""]
    latest: dict[tuple[str, str], Item] = {}
    for item in all_items:  # oldest first: the newest change of a kind wins
        latest[(item.change.change, item.change.id)] = item
    added = {i.change.id for i in latest.values() if i.change.change == "added"}
    removed_then = {i.change.id for i in latest.values() if i.change.change == "removed"}
    entries = sorted({i.change.id for i in all_items})
    if not entries:
        lines.append("_Nothing changed in this period._")
        return "\n".join(lines) + "\n"
    count = len(entries)
    since = f" since {span.since_date.isoformat()}" if span.since_date else ""
    lines += [
        f"_{count} entr{'y' if count == 1 else 'ies'} of the catalogue changed{since}, up to "
        f"{span.until_date.isoformat()}._",
        "",
    ]

    def section(heading: str, rows: list[str]) -> None:
        if rows:
            lines.extend([f"## {heading}", "", *rows, ""])

    new = [
        i for i in latest.values() if i.change.change == "added" and i.change.id not in removed_then
    ]
    for kind, heading in KIND_TITLES.items():
        rows = []
        for item in sorted((i for i in new if i.change.kind == kind), key=lambda i: i.name.lower()):
            summary = f": {text(item.summary)}" if item.summary else ""
            terms = _terms(item)
            rows.append(
                f"- {_link(item)}{summary}"
                + (f" {terms[0].upper()}{terms[1:]}." if terms else "")
                + f" Added {_when(item.change)}."
            )
        section(f"New {heading.lower()}", rows)
    kept = [i for i in all_items if i.change.id not in added or i.change.change == "removed"]
    section(
        "Relicensed",
        [
            f"- {_link(i)}: {text(i.change.old_license or 'none')} → {text(i.change.new_license or 'none')}"
            f", {_when(i.change)}."
            for i in kept
            if i.change.change == "relicensed"
        ],
    )
    section(
        "Withdrawn, deprecated and superseded",
        [
            f"- {_link(i)} {i.change.change} {_when(i.change)}"
            + (
                f": {text(i.change.data['status_note'])}"
                if i.change.data.get("status_note")
                else "."
            )
            for i in kept
            if i.change.change in STATUS_CHANGES
        ],
    )
    section(
        "Renamed",
        [
            f"- {text(i.change.old_id or '')} is now {_link(i)}, {_when(i.change)}."
            for i in kept
            if i.change.change == "renamed"
        ],
    )
    section(
        "Removed",
        [
            f"- {text(i.name)} ({text(i.change.id)}), removed {_when(i.change)}."
            for i in kept
            if i.change.change == "removed" and i.change.id not in added
        ],
    )
    updated: dict[str, tuple[Item, set[str]]] = {}
    for i in kept:
        if i.change.change == "changed":
            fields = updated.setdefault(i.change.id, (i, set()))[1]
            fields.update(i.change.fields)
            updated[i.change.id] = (i, fields)
    section(
        "Updated",
        [
            f"- {_link(i)}: {', '.join(text(f) for f in sorted(fields))}, {_when(i.change)}."
            for i, fields in sorted(updated.values(), key=lambda p: p[0].name.lower())
        ],
    )
    return "\n".join(lines).rstrip("\n") + "\n"


def _xml(value: object) -> str:
    return escape(_NOT_XML.sub("", str(value)))


def _headline(item: Item) -> str:
    change = item.change
    if change.change == "relicensed":
        return f"Relicensed: {item.name} ({change.old_license or 'none'} to {change.new_license or 'none'})"
    if change.change == "renamed":
        return f"Renamed: {change.old_id} is now {item.name}"
    if change.change == "changed":
        return f"Updated: {item.name} ({', '.join(change.fields)})"
    return f"{change.change.capitalize()}: {item.name}"


def change_id(change: Change) -> str:
    """A stable id for a change: the same commit, entry and kind of change give the same id."""
    key = f"openai-catalog:change:{change.commit}:{change.id}:{change.change}"
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, key))


def _updated(date: str) -> str:
    return dt.datetime.fromisoformat(date).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom(
    all_items: Sequence[Item], span: Range, title: str | None = None, feed_link: str | None = None
) -> str:
    """An Atom 1.0 feed (RFC 4287), one entry per change, newest first."""
    ordered = sorted(all_items, key=lambda i: i.change.date, reverse=True)
    updated = (
        _updated(ordered[0].change.date)
        if ordered
        else dt.datetime.combine(span.until_date, dt.time(), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{_xml(title or default_title(span))}</title>",
        f"  <id>{FEED_ID}</id>",
        f"  <updated>{updated}</updated>",
        "  <author><name>openai-catalog</name></author>",
        "  <generator>openai-catalog</generator>",
    ]
    if feed_link:
        out.append(f'  <link rel="self" href={quoteattr(_NOT_XML.sub("", feed_link))}/>')
    for item in ordered:
        change = item.change
        parts: list[str] = [item.summary] if item.summary and change.change == "added" else []
        if change.change in STATUS_CHANGES and change.data.get("status_note"):
            parts.append(str(change.data["status_note"]))
        terms = ", ".join(filter(None, [item.license, item.license_category, item.openness]))
        if terms:
            parts.append(f"Licence and openness: {terms}.")
        parts.append(
            f"Commit {change.commit[:12]}"
            + (f", pull request #{change.pr}" if change.pr else "")
            + f": {change.subject}"
        )
        out += [
            "  <entry>",
            f"    <title>{_xml(_headline(item))}</title>",
            f"    <id>{change_id(change)}</id>",
            f"    <updated>{_updated(change.date)}</updated>",
            f"    <category term={quoteattr(change.kind)}/>",
            f"    <category term={quoteattr(change.change)}/>",
        ]
        if item.link:
            out.append(f"    <link href={quoteattr(_NOT_XML.sub('', item.link))}/>")
        out += [f"    <summary>{_xml(' '.join(parts))}</summary>", "  </entry>"]
    out.append("</feed>")
    return "\n".join(out) + "\n"


def as_json(all_items: Sequence[Item], span: Range) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "since": span.since,
        "until": span.until,
        "count": len(all_items),
        "changes": [
            {
                **i.change.as_dict(),
                "name": i.name,
                "link": i.link,
                "license_category": i.license_category,
                "openness": i.openness,
            }
            for i in all_items
        ],
    }


def json_text(all_items: Sequence[Item], span: Range) -> str:
    """as_json as text: the document's fields indented, each change on one line of its own. A
    history can hold tens of thousands of changes, and Python's indenting encoder is many times
    slower than its compact one; a line per change still reads and diffs well."""
    import json

    document = as_json(all_items, span)
    changes = document.pop("changes")
    head = json.dumps(document, indent=2, ensure_ascii=False)[:-2]  # without the closing "\n}"
    rows = ",\n".join("    " + json.dumps(c, ensure_ascii=False) for c in changes)
    return f'{head},\n  "changes": [' + (f"\n{rows}\n  ]" if rows else "]") + "\n}\n"
