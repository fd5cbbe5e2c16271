"""The only code that prints: data to stdout, messages and progress to stderr.

Text that comes from the catalogue (or later the Hub) is never trusted as markup: it reaches the
terminal through `rich.text.Text` or `safe()`, with control characters made visible.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any

from openai_catalog._util import CONTROL as _CONTROL
from openai_catalog._util import human_count

if TYPE_CHECKING:
    from rich.console import Console

CATEGORY_STYLES = {
    "permissive": "green",
    "copyleft": "cyan",
    "open-rail": "yellow",
    "community": "magenta",
    "non-commercial": "red",
    "proprietary": "bold red",
    "unknown": "dim",
}


def safe(text: object) -> str:
    """Text with terminal control characters replaced by visible escapes."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


@cache
def stdout() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


@cache
def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def say(*parts: tuple[str, str]) -> None:
    """One line on stderr from (text, style) parts, all of them already safe().

    Styled through Rich on a terminal; written plainly otherwise, so that a script reading a
    command's output never pays for importing Rich to be told how many results there were."""
    if sys.stderr.isatty():
        from rich.text import Text

        line = Text()
        for text, style in parts:
            line.append(text, style=style)
        stderr().print(line)
    else:
        sys.stderr.write("".join(text for text, _ in parts) + "\n")
        sys.stderr.flush()


def error(message: str, hint: str | None = None) -> None:
    say(("error: ", "bold red"), (safe(message), ""))
    if hint:
        say(("hint: ", "yellow"), (safe(hint), ""))


def warn(message: str) -> None:
    say(("warning: ", "yellow"), (safe(message), ""))


def info(message: str) -> None:
    say((safe(message), "dim"))


def serialisers() -> Any:
    """The serialisers (openai_catalog.export.data), imported when a command prints data."""
    from openai_catalog.export import data as serialisers

    return serialisers


def write(text: str) -> None:
    """Raw data to stdout, untouched by Rich (JSON, CSV, YAML, ids)."""
    sys.stdout.write(text)
    sys.stdout.flush()



# --- entries ----------------------------------------------------------------------------------

CSV_COLUMNS = ("id", "name", "kind", "summary", "by", "released", "license", "license_category",
               "url", "hub", "github", "paper", "tags", "modalities", "aliases", "status")


def _terms(catalog: Any, license: str | None) -> Any:
    """The resolved licence (openai_catalog.licenses.Resolved), or None when it does not resolve."""
    if not license:
        return None
    try:
        return catalog.licenses.resolve(license)
    except ValueError:
        return None


def _category(catalog: Any, license: str | None) -> str:
    terms = _terms(catalog, license)
    return str(terms.category) if terms else "unknown"


def show(entry: Any, catalog: Any, fmt: str, openness: Any = None,
         enrichment: dict[str, Any] | None = None) -> None:
    """One entry with every field, its licence terms, its openness grade (an
    openai_catalog.openness.Grade, explained component by component), its relations in both
    directions, and what enrichment fetched (`enrichment` maps a source to its snapshot record)."""
    from openai_catalog.schema import RELATION_INVERSE_LABELS, entry_to_dict

    data = entry_to_dict(entry)
    incoming = catalog.incoming(entry.id)
    terms = _terms(catalog, entry.license)
    enrichment = enrichment or {}
    if fmt in ("json", "yaml"):
        data["license_category"] = _category(catalog, entry.license) if entry.license else None
        if terms is not None:
            data["license_terms"] = terms.as_dict()
        if openness is not None:
            data["openness"] = openness.as_dict()
        data["incoming"] = [{"relation": r, "from": source} for r, source in incoming]
        if enrichment:
            data["enrichment"] = {source: record.as_dict() for source, record in enrichment.items()}
        write(serialisers().dump_json(data) if fmt == "json" else serialisers().dump_yaml(data))
        return
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold cyan", no_wrap=True)
    grid.add_column(overflow="fold")
    skip = {"id", "name", "summary", "relations"}
    for key, value in data.items():
        if key in skip:
            continue
        if key == "license":
            grid.add_row(key, _license_text(value, terms))
        elif isinstance(value, list):
            grid.add_row(key, Text(_clip("\n".join(safe(serialisers().cell(v)) for v in value), 10 * MAX_CELL)))
        elif isinstance(value, dict):
            grid.add_row(key, Text(_clip("\n".join(f"{safe(k)}: {safe(serialisers().cell(v))}"
                                                   for k, v in value.items()), 10 * MAX_CELL)))
        elif key == "parameters":
            grid.add_row(key, Text(f"{human_count(value)} ({value:,})"))
        else:
            grid.add_row(key, Text(_clip(safe(value), 10 * MAX_CELL if key == "description" else MAX_CELL)))
    lines = Text()
    for name, targets in entry.relations:
        for target in targets:
            lines.append(f"{name.replace('_', ' ')} ", style="dim")
            lines.append(safe(target) + "\n", style="bold")
    for relation, source in incoming:
        label = {"by": "made", "superseded_by": "supersedes"}.get(relation,
                                                               RELATION_INVERSE_LABELS.get(relation, relation))
        if relation == "by":
            lines.append("made ", style="dim")
            lines.append(safe(source) + "\n", style="bold")
        else:
            lines.append(f"{label} ", style="dim")
            lines.append(safe(source) + "\n", style="bold")
    if openness is not None:
        grid.add_row("openness", _openness_view(openness))
    if lines:
        lines.rstrip()
        grid.add_row("relations", lines)
    for label, value in enrichment_rows(enrichment):
        grid.add_row(label, Text(safe(value)))
    title = Text(safe(entry.name), style="bold")
    title.append(f"  {entry.id} · {entry.kind}", style="dim")
    body = Table.grid()
    body.add_row(Text(_clip(safe(entry.summary)), style="italic"))
    body.add_row("")
    body.add_row(grid)
    stdout().print(Panel(body, title=title, title_align="left", expand=False))


def _license_text(value: str, terms: Any) -> Any:
    """The licence, its category, what it allows and the notes on custom terms."""
    from rich.text import Text

    category = terms.category if terms else "unknown"
    text = Text(safe(value), style=CATEGORY_STYLES.get(category, ""))
    text.append(f"  ({category})", style="dim")
    if terms is None:
        return text
    from openai_catalog.licenses import ATTRIBUTE_LABELS

    commercial = {True: "yes", False: "no", None: "not known"}[terms.commercial]
    text.append(f"\ncommercial use: {commercial}", style="dim")
    if len(terms.licenses) == 1:
        asks = [label for name, label in ATTRIBUTE_LABELS.items()
                if name != "commercial" and getattr(terms.licenses[0], name)]
        if asks:
            text.append(" · " + " · ".join(asks), style="dim")
    for lic in terms.licenses:
        if lic.note:
            prefix = f"{lic.id}: " if len(terms.licenses) > 1 else ""
            text.append("\n" + safe(prefix + lic.note))
    return text


def _openness_view(grade: Any) -> Any:
    """The grade, each component with its value and evidence, and what the next grade needs."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from openai_catalog.openness import GRADE_SUMMARIES

    head = Text(grade.grade, style="bold")
    head.append(f"  {GRADE_SUMMARIES[grade.grade]}", style="dim")
    head.append("\nladder: " + " < ".join(reversed(grade.ladder)), style="dim")
    parts = Table.grid(padding=(0, 1))
    for column in ({"no_wrap": True}, {"no_wrap": True}, {"no_wrap": True}, {"overflow": "fold"}):
        parts.add_column(**column)
    for component in grade.components:
        parts.add_row(Text("✓" if component.ok else "✗", style="green" if component.ok else "red"),
                      Text(component.name), Text(safe(component.value), style="bold"),
                      Text(safe(component.evidence), style="dim"))
    if grade.next_grade is None:
        tail = Text("the top grade: nothing is missing", style="dim")
    else:
        tail = Text(f"for {grade.next_grade}, it needs:", style="dim")
        for need in grade.needs:
            tail.append("\n- " + safe(need))
    return Group(head, parts, tail)


# --- findings ---------------------------------------------------------------------------------


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def findings(items: Sequence[Any], fmt: str, files: int) -> None:
    errors = sum(1 for f in items if f.severity == "error")
    warnings = len(items) - errors
    if fmt == "json":
        write(serialisers().dump_json({"files": files, "errors": errors, "warnings": warnings,
                         "findings": [f.as_dict() for f in items]}))
        return
    if fmt == "github":
        for f in items:
            message = f"{f.message}" + (f" (hint: {f.hint})" if f.hint else "")
            write(f"::{f.severity} file={_gh_escape(f.path, True)},line={max(f.line, 1)},"
                  f"col={max(f.col, 1)},title={f.rule}::{_gh_escape(message)}\n")
    else:
        from rich.text import Text

        console = stdout()
        for f in items:
            line = Text(f"{safe(f.path)}:{f.line}:{f.col}: ", style="bold")
            line.append(f.rule, style="red" if f.severity == "error" else "yellow")
            line.append(f" {safe(f.message)}")
            if f.severity == "warning":
                line.append(" (warning)", style="yellow")
            console.print(line, soft_wrap=True)
            if f.hint:
                console.print(Text("    hint: ", style="dim") + Text(safe(f.hint)), soft_wrap=True)
    summary = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} " \
              f"in {files} file{'s' * (files != 1)}"
    from rich.text import Text

    stderr().print(Text(summary, style="bold red" if errors else ("yellow" if warnings else "green")))


def formatted(results: Sequence[Any], check: bool, diff: bool) -> None:
    """What `catalog fmt` did or would do (openai_catalog.fmt.Formatted results)."""
    from rich.text import Text

    from openai_catalog.fmt import unified_diff

    for result in results:
        if result.problem is not None:
            f = result.problem
            error(f"{f.path}:{f.line}:{f.col}: {f.rule} {f.message}", f.hint)
        elif result.changed:
            if diff:
                write(unified_diff(result))
            stderr().print(Text(("would reformat " if check else "reformatted ") + safe(result.display)))
    changed = sum(1 for r in results if r.changed)
    broken = sum(1 for r in results if r.problem is not None)
    unchanged = len(results) - changed - broken
    parts = [f"{changed} file{'s' * (changed != 1)} " + ("would be reformatted" if check else "reformatted"),
             f"{unchanged} already canonical"]
    if broken:
        parts.append(f"{broken} could not be read")
    style = "bold red" if broken or (check and changed) else "green"
    stderr().print(Text(", ".join(parts), style=style))


# --- questions (catalog add) -----------------------------------------------------------------


def interactive() -> bool:
    """Whether questions can be asked: stdin is a terminal."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _read_line(prompt: str) -> str:
    """One line typed at the terminal; the prompt goes to stderr so stdout stays data.
    End of input (Ctrl-D) stops like Ctrl-C: nothing is written."""
    sys.stderr.write(prompt)
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        sys.stderr.write("\n")
        raise KeyboardInterrupt
    return line.rstrip("\r\n")


_last_question: str | None = None


def ask(question: Any) -> str:
    """Ask one question (openai_catalog.authoring.Question); `?` lists the choices."""
    from rich.text import Text

    global _last_question
    many = len(question.choices) > 8
    if question.name != _last_question:  # the help once, not again with each retry
        _last_question = question.name
        line = Text(f"{question.name}", style="bold")
        line.append(" (required)" if question.required else " (optional: Enter skips)", style="dim")
        line.append(f"  {safe(question.help)}", style="dim")
        if many:
            line.append("; ? lists the choices", style="dim")
        if question.one_per_line:
            line.append("; one a line, an empty line ends", style="dim")
        stderr().print(line)
    label = question.name + (f" {question.number}" if question.one_per_line else "")
    if question.choices and not many:
        label += f" [{'/'.join(question.choices)}]"
    if question.default:
        label += f" [{question.default}]"
    while True:
        answer = _read_line(label + ": ")
        if answer.strip() == "?" and question.choices:
            stderr().print(Text(", ".join(question.choices)))
            continue
        return answer


def complain(exc: Any) -> None:
    """An answer that does not fit: the reason and how to fix it, then the question again."""
    error(exc.message, exc.hint)


def confirm(text: str, question: str) -> bool:
    """Show the entry and ask whether to write it; Enter means yes."""
    from rich.text import Text

    stderr().print(Text(text.rstrip("\n"), style="cyan"), soft_wrap=True)  # YAML: never re-wrapped
    while True:
        answer = _read_line(f"{question} [Y/n] ").strip().lower()
        if answer in ("", "y", "yes"):
            return True
        if answer in ("n", "no"):
            return False


def added(path: Any, steps: Sequence[tuple[str, str]]) -> None:
    """The file written, and what to do next up to the pull request."""
    from rich.text import Text

    from openai_catalog.locate import display_path

    stderr().print(Text(f"created {safe(display_path(path))}", style="bold green"))
    stderr().print(Text("next steps:", style="bold"))
    number = 0
    for what, command in steps:
        if what:
            number += 1
            stderr().print(Text(f"  {number}. {what}:", style="dim"))
        stderr().print(Text(f"       {safe(command)}"))


# --- search results ---------------------------------------------------------------------------


def hit_rows(hits: Sequence[Any]) -> list[dict[str, Any]]:
    rows = []
    for hit in hits:
        row = dict(hit.data)
        row["license_category"] = hit.license_category
        if hit.openness:
            row["openness"] = hit.openness
        for key in ("downloads", "likes", "stars", "last_activity"):
            if getattr(hit, key) is not None:
                row[key] = getattr(hit, key)
        rows.append(row)
    return rows


def _highlight_pattern(query: Any) -> str | None:
    words = []
    for term in query.positive_terms:
        words.extend(re.findall(r"[^\W_]+", term.text))
    if not words:
        return None
    return r"(?i)\b(" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + r")\w*"


def _metric(hit: Any) -> str:
    parts = []
    if hit.downloads is not None:
        parts.append(f"{human_count(hit.downloads)} dl")
    if hit.likes is not None:
        parts.append(f"{human_count(hit.likes)} ♥")
    if hit.stars is not None:
        parts.append(f"{human_count(hit.stars)} ★")
    return " ".join(parts)


def hits(result: Any, fmt: str, query: Any, listing: bool = False) -> None:
    """Print search or list results in an OutputFormat (cli/_options.py)."""
    items = result.hits
    if fmt == "ids":
        write("".join(f"{h.id}\n" for h in items))
    elif fmt in ("json", "jsonl", "yaml", "csv"):
        rows = hit_rows(items)
        if fmt == "json":
            write(serialisers().dump_json(rows))
        elif fmt == "jsonl":
            write(serialisers().dump_jsonl(rows))
        elif fmt == "yaml":
            write(serialisers().dump_yaml(rows))
        else:
            write(serialisers().dump_csv(rows, (*CSV_COLUMNS, "openness", "downloads", "likes", "stars",
                                  "last_activity")))
    else:
        _hits_table(items, query, "id" if listing else "name")
    _result_summary(result, listing)


def _width(text: str) -> int:
    """Terminal cells a string takes: East Asian wide characters take two."""
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fit(text: str, width: int, pad: bool) -> str:
    """Cut with an ellipsis or pad with spaces to exactly `width` cells, in one pass over the
    characters kept (cutting a character at a time would be quadratic in a long summary)."""
    if _width(text) > width:
        kept, used = 0, 0
        for char in text:
            cells = _width(char)
            if used + cells > width - 1:
                break
            kept, used = kept + 1, used + cells
        text = text[:kept] + "…"
    return text + " " * (width - _width(text)) if pad else text


MAX_CELL = 1000  # characters of one value a table shows; no terminal line is longer


def _clip(text: str, limit: int = MAX_CELL) -> str:
    """A long value cut for a table, saying how much was left out: laying out a 900 KB summary
    takes Rich seconds, and nobody reads it in a terminal."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters: use --format yaml)"


def _hits_table(items: Sequence[Any], query: Any, first: str) -> None:
    """Results as aligned columns fitted to the terminal, matched words highlighted.

    The layout is computed here, not by rich.table. On a terminal each cell is Rich Text (the
    licence coloured by category, matched words highlighted); to a pipe, where no colour would be
    shown, the same layout is written as plain text without importing Rich at all.
    """
    if not items:
        return
    rows = [(safe(getattr(h, first)), h.kind, safe(", ".join(h.by)), safe(h.license or "-"),
             safe(h.released or ""), _metric(h), age(h.last_activity, short=True) or "",
             safe(h.summary[:MAX_CELL])) for h in items]
    headers = (first, "kind", "by", "licence", "released", "popularity", "active", "summary")
    widths = [min(28, max([len(hd), *(_width(r[i]) for r in rows)])) for i, hd in enumerate(headers[:-1])]
    for optional in (5, 6):
        if not any(r[optional] for r in rows):
            widths[optional] = 0
    keep = [i for i in range(len(widths)) if widths[i]]
    terminal = sys.stdout.isatty()
    import shutil

    columns = stdout().width if terminal else shutil.get_terminal_size((80, 24)).columns
    for drop in (2, 6, 5, 4, 1):
        if sum(widths[i] + 2 for i in keep) + 30 <= columns or drop not in keep:
            continue
        keep.remove(drop)
    rest = columns - sum(widths[i] + 2 for i in keep)
    longest = max([7, *(_width(r[-1]) for r in rows)])
    layout = [(i, widths[i]) for i in keep] + [(len(headers) - 1, max(20, min(rest, longest)))]
    if not terminal:
        for row in (headers, *rows):
            write("  ".join(_fit(row[i], w, pad=n < len(layout) - 1)
                            for n, (i, w) in enumerate(layout)).rstrip() + "\n")
        return
    from rich.text import Text

    pattern = _highlight_pattern(query)
    styles = {0: "bold", 6: "dim"}
    console = stdout()
    for number, row in enumerate((headers, *rows)):
        line = Text()
        for n, (i, width) in enumerate(layout):
            style = "bold" if number == 0 else styles.get(i, "")
            if number and i == 3:
                style = CATEGORY_STYLES.get(items[number - 1].license_category or "", "")
            cell = Text(_fit(row[i], width, pad=n < len(layout) - 1), style=style)
            if number and pattern and i in (0, len(headers) - 1):
                cell.highlight_regex(pattern, style="bold yellow")
            line.append_text(cell)
            if n < len(layout) - 1:
                line.append("  ")
        console.print(line, no_wrap=True, overflow="ellipsis", crop=True)


def _result_summary(result: Any, listing: bool) -> None:
    for path in result.skipped:
        warn(f"{path} was left out: it does not validate (run: catalog validate {path})")
    shown, total = len(result.hits), result.total
    if not total:
        suggestion = ("; did you mean " + ", ".join(safe(s) for s in result.suggestions) + "?"
                      if result.suggestions else "")
        say(("no entries match", "yellow"), (suggestion, ""))
        return
    noun = ("entry" if listing else "result") if total == 1 else ("entries" if listing else "results")
    more = f" (showing {shown}; use --limit to see more)" if shown < total else ""
    say((f"{total} {noun}{more}", "dim"))


# --- statistics -------------------------------------------------------------------------------

GRADE_STYLES = {"open-science": "bold green", "open-tooling": "green", "open-model": "green",
                "open-weights": "yellow", "open-data": "green", "open-access": "yellow",
                "closed": "red"}
_BAR_WIDTH = 40


def stats(figures: Any, fmt: str) -> None:
    """Counts as horizontal bars, one section per breakdown; or the same as JSON."""
    if fmt == "json":
        write(serialisers().dump_json(figures.as_dict()))
        return
    from rich.table import Table
    from rich.text import Text

    # (title, counts, styles, show zero rows): a zero matters for a category or a grade.
    sections = [
        ("kind", figures.by_kind, {}, False),
        ("licence category", figures.by_license_category, CATEGORY_STYLES, True),
        ("openness of models", figures.by_openness.get("model", {}), GRADE_STYLES, True),
        ("openness of datasets", figures.by_openness.get("dataset", {}), GRADE_STYLES, True),
        ("year released", figures.by_year, {}, False),
    ]
    names = {"none": "(no licence)", "unknown": "unknown"}
    names_by_title = {"licence category": names, "year released": {"unknown": "(no date)"}}
    labels = [names_by_title.get(t, {}).get(label, label) for t, counts, _, _ in sections
              for label in counts]
    label_width = max([len(label) for label in labels] + [4])
    width = max(10, min(_BAR_WIDTH, stdout().width - label_width - 20))
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, min_width=label_width)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True, style="dim")
    for title, counts, styles, zeros in sections:
        section_total = sum(counts.values())
        if not section_total:
            continue
        table.add_row(Text(title, style="bold"), "", "", "")
        largest = max(counts.values())
        for label, count in counts.items():
            if not count and not zeros:
                continue
            blocks = max(round(count / largest * width), 1) if count else 0
            share = count / section_total
            table.add_row(Text("  " + safe(names_by_title.get(title, {}).get(label, label))),
                          str(count), Text("█" * blocks, style=styles.get(label, "cyan")),
                          "" if not count else ("<1%" if share < 0.01 else f"{share:.0%}"))
        table.add_row("", "", "", "")
    entries = "entry" if figures.total == 1 else "entries"
    stdout().print(Text(f"{figures.total} {entries}", style="bold"))
    if figures.total:
        stdout().print(table)


def exported(result: Any, fmt: str, output: Any, figures: bool) -> None:
    """What an export wrote, on stderr, so that stdout stays the document."""
    from rich.text import Text

    if figures and not any(h.downloads is not None or h.likes is not None or h.stars is not None
                           for h in result.hits):
        warn("no figures to show: the enrichment snapshot has none for these entries "
             "(catalog enrich fetches them)")
    if not result.total:
        _result_summary(result, listing=True)
    elif fmt not in ("mermaid", "dot"):
        count = len(result.hits)
        if fmt == "bibtex":  # only entries with a paper have a citation
            count = sum(1 for h in result.hits if h.data.get("paper"))
        noun = "entry" if count == 1 else "entries"
        stderr().print(Text(f"exported {count} {noun} as {fmt}", style="dim"))
    if output is not None:
        stderr().print(Text(f"wrote {safe(output)}", style="dim"))


def index_status(status: Any) -> None:
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    grid.add_row("index", Text(str(status.path)))
    grid.add_row("state", Text(status.reason, style="green" if status.fresh else "yellow"))
    if status.exists:
        grid.add_row("entries", str(status.entries))
        grid.add_row("built", Text(status.built_at or "-"))
        grid.add_row("size", f"{status.size / 1024:.0f} KiB")
    stdout().print(grid)


# --- enrichment ---------------------------------------------------------------------------------


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
    for label, value in (("downloads", hub_fields.get("downloads")), ("likes", hub_fields.get("likes")),
                         ("stars", gh_fields.get("stars")), ("forks", gh_fields.get("forks"))):
        if isinstance(value, int):
            rows.append((label, f"{value:,}" + (" (last 30 days)" if label == "downloads" else "")))
    activity = [(t, where) for t, where in ((hub_fields.get("last_modified"), "Hub"),
                                            (gh_fields.get("pushed_at"), "GitHub")) if isinstance(t, str)]
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


class ProgressSink:
    """A Rich progress bar on stderr for a long run; nothing at all when stderr is not a terminal."""

    def __init__(self, description: str, minimum: int = 5) -> None:
        self.description = description
        self.minimum = minimum
        self._progress: Any = None
        self._task: Any = None

    def start(self, total: int) -> None:
        console = stderr()
        if total < self.minimum or not console.is_terminal:
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TimeElapsedColumn(), console=console, transient=True)
        self._task = self._progress.add_task(self.description, total=total)
        self._progress.start()

    def advance(self, outcome: Any = None) -> None:
        if self._progress is not None:
            self._progress.update(self._task, advance=1)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


@contextmanager
def progress(description: str, minimum: int = 5) -> Iterator[ProgressSink]:
    sink = ProgressSink(description, minimum)
    try:
        yield sink
    finally:
        sink.stop()


SUMMARY_COLUMNS = ("fetched", "unchanged", "renamed", "not_found", "gated", "disabled", "failed",
                   "skipped")
_SOURCE_LABELS = {"hub": "Hub", "github": "GitHub"}
_STATUS_STYLES = {"renamed": "yellow", "not_found": "red", "gated": "magenta", "disabled": "red",
                  "failed": "bold red"}


def enrich_report(report: Any, fmt: str) -> None:
    """The summary of a `catalog enrich` run: counts per source, then what needs a look."""
    counts = report.counts()
    notable = [o for o in report.outcomes if o.status in _STATUS_STYLES]
    if fmt == "json":
        write(serialisers().dump_json({
            "snapshot": str(report.path), "offline": report.offline, "interrupted": report.interrupted,
            "requests": report.requests, "removed": report.removed, "stopped": report.stopped,
            "counts": {s: {c: counts.get(s, {}).get(c, 0) for c in SUMMARY_COLUMNS} for s in ("hub", "github")},
            "outcomes": [{"id": o.task.entry_id, "source": o.task.source, "repo": o.task.repo,
                          "status": o.status, "message": o.message} for o in report.outcomes],
        }))
    else:
        from rich.table import Table
        from rich.text import Text

        table = Table(box=None, header_style="bold", pad_edge=False)
        table.add_column("source")
        for column in SUMMARY_COLUMNS:
            table.add_column(column.replace("_", " "), justify="right")
        total: Counter[str] = Counter()
        for row in counts.values():
            total.update(row)
        for source in ("hub", "github", None):
            row = counts.get(source, Counter()) if source else total
            if source and not row:
                continue
            cells = [Text(str(row.get(c, 0)), style=_STATUS_STYLES.get(c, "") if row.get(c) else "dim")
                     for c in SUMMARY_COLUMNS]
            table.add_row(Text(_SOURCE_LABELS.get(source or "", "total"), style="bold" if not source else ""),
                          *cells)
        stdout().print(table)
        if notable:
            details = Table(box=None, header_style="bold", pad_edge=False)
            for column in ("id", "source", "status", "detail"):
                details.add_column(column, overflow="fold")
            for o in notable:
                details.add_row(Text(safe(o.task.entry_id), style="bold"), _SOURCE_LABELS[o.task.source],
                                Text(o.status.replace("_", " "), style=_STATUS_STYLES[o.status]),
                                Text(safe(f"{o.task.repo}: {o.message or ''}")))
            stdout().print()
            stdout().print(details)
    for source, why in report.stopped.items():
        warn(f"stopped asking {_SOURCE_LABELS[source]}: {why}; what was fetched is saved")
    if report.removed:
        info(f"dropped {report.removed} record{'s' * (report.removed != 1)} of entries or sources "
             "no longer in the catalogue")
    if report.offline:
        stale = sum(1 for o in report.outcomes if o.message == "offline")
        info(f"offline: no request made; {stale} record{'s' * (stale != 1)} would be fetched")
    else:
        calls = f"{report.requests} request{'s' * (report.requests != 1)}"
        info(f"saved {display(report.path)} ({calls})" if report.written
             else f"{display(report.path)} unchanged ({calls})")


def display(path: Any) -> str:
    from openai_catalog.locate import display_path

    return safe(display_path(path))
