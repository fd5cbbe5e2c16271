"""How values read on a terminal: escaped text, widths in cells, ages, figures, licence terms.

Pure functions that cli/_output.py prints; they take values and return strings, so they live in
the core and are tested as such.
"""

from __future__ import annotations

import re
from typing import Any

from openai_catalog._util import human_count

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(text: object) -> str:
    """Text with terminal control characters replaced by visible escapes."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


_BREAKS = str.maketrans({"\n": "\\n", "\r": "\\r", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def indented(text: object) -> str:
    """safe() text whose later lines are indented: a message may run over several lines (a query
    with a caret under the problem), but no line of it can start with what a CI runner reads as
    a command (`::error ...`), whatever a file name in it holds."""
    first, *rest = safe(text).split("\n")
    return "\n".join([first, *(line if line[:1].isspace() else "  " + line for line in rest)])


def one_line(text: object) -> str:
    """safe() text that also keeps to its line: a file name holding a line break must not start
    a line of its own, where a CI runner would read `::error ...` as a command."""
    return safe(text).translate(_BREAKS)


def license_terms(catalog: Any, license: str | None) -> Any:
    """The resolved licence (openai_catalog.licenses.Resolved), or None when it does not resolve."""
    if not license:
        return None
    try:
        return catalog.licenses.resolve(license)
    except ValueError:
        return None


def license_category_of(catalog: Any, license: str | None) -> str:
    terms = license_terms(catalog, license)
    return str(terms.category) if terms else "unknown"


def github_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def highlight_pattern(query: Any) -> str | None:
    words = []
    for term in query.positive_terms:
        words.extend(re.findall(r"[^\W_]+", term.text))
    if not words:
        return None
    return (
        r"(?i)\b("
        + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
        + r")\w*"
    )


def figures_text(hit: Any) -> str:
    parts = []
    if hit.downloads is not None:
        parts.append(f"{human_count(hit.downloads)} dl")
    if hit.likes is not None:
        parts.append(f"{human_count(hit.likes)} ♥")
    if hit.stars is not None:
        parts.append(f"{human_count(hit.stars)} ★")
    return " ".join(parts)


def cells(text: str) -> int:
    """Terminal cells a string takes: East Asian wide characters take two."""
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit(text: str, width: int, pad: bool) -> str:
    """Cut with an ellipsis or pad with spaces to exactly `width` cells, in one pass over the
    characters kept (cutting a character at a time would be quadratic in a long summary)."""
    if text.isascii() and len(text) <= width:  # most cells: no character to measure
        return text.ljust(width) if pad else text
    if cells(text) > width:
        kept, used = 0, 0
        for char in text:
            size = cells(char)
            if used + size > width - 1:
                break
            kept, used = kept + 1, used + size
        text = text[:kept] + "…"
    return text + " " * (width - cells(text)) if pad else text


def age(timestamp: str | None, now: Any = None, short: bool = False) -> str | None:
    """How long ago an ISO 8601 time was: '3 days ago', '5 months ago' ('5mo ago' when short)."""
    if not timestamp:
        return None
    import datetime as dt

    from openai_catalog.enrich.snapshot import parse_iso

    moment = parse_iso(timestamp)
    if moment is None:
        return None
    now = now or dt.datetime.now(dt.UTC)
    days = max(0, (now - moment).days)
    if days < 1:
        return "today"
    for size, unit, abbr in ((365, "year", "y"), (30, "month", "mo"), (1, "day", "d")):
        if days >= size:
            n = days // size
            return f"{n}{abbr} ago" if short else f"{n} {unit}{'s' * (n != 1)} ago"
    return None


def dated(timestamp: str | None, now: Any = None) -> str | None:
    """'2024-01-05 (11 months ago)'."""
    ago = age(timestamp, now)
    return f"{str(timestamp)[:10]} ({ago})" if ago else None


def enrichment_rows(records: dict[str, Any], now: Any = None) -> list[tuple[str, str]]:
    """The figures `show` prints for an entry: downloads, likes, stars, last activity and its age."""
    hub = records.get("hub")
    github = records.get("github")
    hub_fields = hub.fields if hub else {}
    gh_fields = github.fields if github else {}
    rows: list[tuple[str, str]] = []
    for label, value in (
        ("downloads", hub_fields.get("downloads")),
        ("likes", hub_fields.get("likes")),
        ("stars", gh_fields.get("stars")),
        ("forks", gh_fields.get("forks")),
    ):
        if isinstance(value, int):
            rows.append((label, f"{value:,}" + (" (last 30 days)" if label == "downloads" else "")))
    activity = [
        (t, where)
        for t, where in (
            (hub_fields.get("last_modified"), "Hub"),
            (gh_fields.get("pushed_at"), "GitHub"),
        )
        if isinstance(t, str)
    ]
    if activity:
        latest, where = max(activity)
        rows.append(("last activity", f"{dated(latest, now)} on {where}"))
    for source, record in (("Hub", hub), ("GitHub", github)):
        if record is not None and record.error:
            kind = record.error.get("kind", "").replace("_", " ")
            rows.append((f"{source.lower()} status", f"{kind}: {record.error.get('message', '')}"))
    fetched = [r.fetched_at for r in (hub, github) if r is not None and r.fetched_at]
    if fetched:
        rows.append(("enriched", dated(max(fetched), now) or max(fetched)))
    return rows
