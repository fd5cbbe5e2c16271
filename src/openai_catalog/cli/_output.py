"""The only code that prints: data to stdout, messages and progress to stderr.

Text that comes from the catalogue (or later the Hub) is never trusted as markup: it reaches the
terminal through `rich.text.Text` or `safe()`, with control characters made visible.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

FORMATS = ("table", "json", "jsonl", "csv", "yaml", "ids")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
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


def error(message: str, hint: str | None = None) -> None:
    from rich.text import Text

    line = Text("error: ", style="bold red")
    line.append(safe(message))
    stderr().print(line)
    if hint:
        stderr().print(Text("hint: ", style="yellow") + Text(safe(hint)))


def warn(message: str) -> None:
    from rich.text import Text

    stderr().print(Text("warning: ", style="yellow") + Text(safe(message)))


def info(message: str) -> None:
    from rich.text import Text

    stderr().print(Text(safe(message), style="dim"))


def write(text: str) -> None:
    """Raw data to stdout, untouched by Rich (JSON, CSV, YAML, ids)."""
    sys.stdout.write(text)
    sys.stdout.flush()


def dump_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def dump_jsonl(rows: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n" for row in rows)


def dump_yaml(data: Any) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(_cell(v) for v in value)
    elif isinstance(value, dict):
        value = "; ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    text = str(value)
    if text.startswith(_FORMULA_START):
        # A spreadsheet would run this as a formula; a leading quote makes it text.
        text = "'" + text
    return text


def dump_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def no_color() -> bool:
    return bool(os.environ.get("NO_COLOR"))


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


def show(entry: Any, catalog: Any, fmt: str, openness: Any = None) -> None:
    """One entry with every field, its licence terms, its openness grade (an
    openai_catalog.openness.Grade, explained component by component) and its relations."""
    from openai_catalog.schema import RELATION_INVERSE_LABELS, entry_to_dict

    data = entry_to_dict(entry)
    incoming = catalog.incoming(entry.id)
    terms = _terms(catalog, entry.license)
    if fmt in ("json", "yaml"):
        data["license_category"] = _category(catalog, entry.license) if entry.license else None
        if terms is not None:
            data["license_terms"] = terms.as_dict()
        if openness is not None:
            data["openness"] = openness.as_dict()
        data["incoming"] = [{"relation": r, "from": source} for r, source in incoming]
        write(dump_json(data) if fmt == "json" else dump_yaml(data))
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
            grid.add_row(key, Text("\n".join(safe(_cell(v)) for v in value)))
        elif isinstance(value, dict):
            grid.add_row(key, Text("\n".join(f"{safe(k)}: {safe(_cell(v))}" for k, v in value.items())))
        elif key == "parameters":
            grid.add_row(key, Text(f"{human_count(value)} ({value:,})"))
        else:
            grid.add_row(key, Text(safe(value)))
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
    title = Text(safe(entry.name), style="bold")
    title.append(f"  {entry.id} · {entry.kind}", style="dim")
    body = Table.grid()
    body.add_row(Text(safe(entry.summary), style="italic"))
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


def human_count(value: int) -> str:
    for size, suffix in ((10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "K")):
        if value >= size:
            return f"{value / size:.3g}{suffix}"
    return str(value)


# --- findings ---------------------------------------------------------------------------------


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def findings(items: Sequence[Any], fmt: str, files: int) -> None:
    errors = sum(1 for f in items if f.severity == "error")
    warnings = len(items) - errors
    if fmt == "json":
        write(dump_json({"files": files, "errors": errors, "warnings": warnings,
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
    if hit.downloads is not None:
        return f"{human_count(hit.downloads)} dl"
    if hit.stars is not None:
        return f"{human_count(hit.stars)} ★"
    return ""


def hits(result: Any, fmt: str, query: Any, listing: bool = False) -> None:
    """Print search or list results in one of FORMATS."""
    items = result.hits
    if fmt == "ids":
        write("".join(f"{h.id}\n" for h in items))
    elif fmt in ("json", "jsonl", "yaml", "csv"):
        rows = hit_rows(items)
        if fmt == "json":
            write(dump_json(rows))
        elif fmt == "jsonl":
            write(dump_jsonl(rows))
        elif fmt == "yaml":
            write(dump_yaml(rows))
        else:
            write(dump_csv(rows, (*CSV_COLUMNS, "openness", "downloads", "likes", "stars")))
    else:
        _hits_table(items, query, "id" if listing else "name")
    _result_summary(result, listing)


def _hits_table(items: Sequence[Any], query: Any, first: str) -> None:
    from rich.table import Table
    from rich.text import Text

    if not items:
        return
    pattern = _highlight_pattern(query)

    def text(value: str, style: str = "") -> Text:
        out = Text(safe(value), style=style)
        if pattern:
            out.highlight_regex(pattern, style="bold yellow")
        return out

    rows = []
    for h in items:
        rows.append((
            text(getattr(h, first), "bold"), Text(h.kind), Text(safe(", ".join(h.by))),
            Text(safe(h.license or "-"), style=CATEGORY_STYLES.get(h.license_category, "")),
            Text(safe(h.released or "")), Text(_metric(h)), text(h.summary),
        ))
    headers = (first, "kind", "by", "licence", "released", "popularity")
    widths = [min(28, max([len(hd), *(r[i].cell_len for r in rows)])) for i, hd in enumerate(headers)]
    if not any(r[5].plain for r in rows):
        widths[5] = 0
    keep = [i for i in range(len(headers)) if widths[i]]
    for drop in (2, 5, 4, 1):
        if sum(widths[i] + 2 for i in keep) + 30 <= stdout().width or drop not in keep:
            continue
        keep.remove(drop)
    table = Table(box=None, header_style="bold", pad_edge=False, expand=False)
    for i in keep:
        table.add_column(headers[i], no_wrap=True, width=widths[i], overflow="ellipsis")
    rest = stdout().width - sum(widths[i] + 2 for i in keep)
    longest = max([7, *(r[-1].cell_len for r in rows)])
    table.add_column("summary", no_wrap=True, overflow="ellipsis", width=max(20, min(rest, longest)))
    for row in rows:
        table.add_row(*(row[i] for i in keep), row[-1])
    stdout().print(table)


def _result_summary(result: Any, listing: bool) -> None:
    from rich.text import Text

    for path in result.skipped:
        warn(f"{path} was left out: it does not validate (run: catalog validate {path})")
    shown, total = len(result.hits), result.total
    if not total:
        message = Text("no entries match", style="yellow")
        if result.suggestions:
            message.append("; did you mean " + ", ".join(safe(s) for s in result.suggestions) + "?")
        stderr().print(message)
        return
    noun = ("entry" if listing else "result") if total == 1 else ("entries" if listing else "results")
    more = f" (showing {shown}; use --limit to see more)" if shown < total else ""
    stderr().print(Text(f"{total} {noun}{more}", style="dim"))


# --- statistics -------------------------------------------------------------------------------

GRADE_STYLES = {"open-science": "bold green", "open-tooling": "green", "open-model": "green",
                "open-weights": "yellow", "open-data": "green", "open-access": "yellow",
                "closed": "red"}
_BAR_WIDTH = 40


def stats(figures: Any, fmt: str) -> None:
    """Counts as horizontal bars, one section per breakdown; or the same as JSON."""
    if fmt == "json":
        write(dump_json(figures.as_dict()))
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
