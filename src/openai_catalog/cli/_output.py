"""The only code that prints: data to stdout, messages and progress to stderr.

Text that comes from the catalogue (or later the Hub) is never trusted as markup: it reaches the
terminal through `rich.text.Text` or `safe()`, with control characters made visible.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any

from openai_catalog._util import human_count, reflow
from openai_catalog.present import (
    age,
    cells,
    enrichment_rows,
    figures_text,
    fit,
    github_escape,
    highlight_pattern,
    indented,
    license_category_of,
    license_terms,
    one_line,
    safe,
)

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


@cache
def stdout() -> Console:
    from rich.console import Console

    class _Stdout(Console):
        def on_broken_pipe(self) -> None:
            # Rich would exit 1 here; a closed pipe (`catalog stats | head -1`) is the reader's
            # choice, so it goes to the guard, which ends quietly with 0 as for raw output.
            raise BrokenPipeError

    return _Stdout(highlight=False, soft_wrap=False)


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
    say(("error: ", "bold red"), (indented(message), ""))
    if hint:
        say(("hint: ", "yellow"), (indented(hint), ""))


def warn(message: str) -> None:
    say(("warning: ", "yellow"), (one_line(message), ""))


def info(message: str) -> None:
    say((one_line(message), "dim"))


def serialisers() -> Any:
    """The serialisers (openai_catalog.export.data), imported when a command prints data."""
    from openai_catalog.export import data as serialisers

    return serialisers


def write(text: str) -> None:
    """Raw data to stdout, untouched by Rich (JSON, CSV, YAML, ids)."""
    sys.stdout.write(text)
    sys.stdout.flush()


# --- entries ----------------------------------------------------------------------------------


def show(
    entry: Any,
    catalog: Any,
    fmt: str,
    openness: Any = None,
    enrichment: dict[str, Any] | None = None,
) -> None:
    """One entry with every field, its licence terms, its openness grade (an
    openai_catalog.openness.Grade, explained component by component), its relations in both
    directions, and what enrichment fetched (`enrichment` maps a source to its snapshot record)."""
    from openai_catalog.schema import RELATION_INVERSE_LABELS, entry_to_dict

    data = entry_to_dict(entry)
    incoming = catalog.incoming(entry.id)
    terms = license_terms(catalog, entry.license)
    enrichment = enrichment or {}
    if fmt in ("json", "yaml"):
        data["license_category"] = (
            license_category_of(catalog, entry.license) if entry.license else None
        )
        for name in ("code_license", "data_license"):
            if getattr(entry, name, None):
                data[f"{name}_category"] = license_category_of(catalog, getattr(entry, name))
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
    skip = {"id", "name", "summary", "relations", "evidence"}
    backed = dict(entry.evidence)
    for key, value in data.items():
        if key in skip:
            continue
        if key in ("license", "code_license", "data_license"):
            grid.add_row(
                key,
                _license_text(value, terms if key == "license" else license_terms(catalog, value)),
            )
        elif key == "description":
            grid.add_row(key, Text(_clip(safe(reflow(value)), 10 * MAX_CELL)))
        elif key == "variants":
            grid.add_row(key, _variants_table(entry.variants))
        elif isinstance(value, list):
            grid.add_row(
                key,
                Text(_clip("\n".join(safe(serialisers().cell(v)) for v in value), 10 * MAX_CELL)),
            )
        elif isinstance(value, dict):
            grid.add_row(
                key,
                Text(
                    _clip(
                        "\n".join(
                            f"{safe(k)}: {safe(serialisers().cell(v))}" for k, v in value.items()
                        ),
                        10 * MAX_CELL,
                    )
                ),
            )
        elif key == "parameters":
            grid.add_row(key, Text(f"{human_count(value)} ({value:,})"))
        else:
            grid.add_row(key, Text(_clip(safe(value))))
        if key in backed:
            grid.add_row("", _evidence_text(backed.pop(key)))
    lines = Text()
    for name, targets in entry.relations:
        for target in targets:
            lines.append(f"{name.replace('_', ' ')} ", style="dim")
            lines.append(safe(target) + "\n", style="bold")
    for relation, source in incoming:
        label = {"by": "made", "superseded_by": "supersedes"}.get(
            relation, RELATION_INVERSE_LABELS.get(relation, relation)
        )
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
    for key, items in backed.items():  # evidence for a fact shown above in other words (status)
        grid.add_row(f"{key} evidence", _evidence_text(items))
    for label, value in enrichment_rows(enrichment):
        grid.add_row(label, Text(safe(value)))
    title = Text(safe(entry.name), style="bold")
    title.append(f"  {entry.id} · {entry.kind}", style="dim")
    body = Table.grid()
    body.add_row(Text(_clip(safe(entry.summary)), style="italic"))
    body.add_row("")
    body.add_row(grid)
    stdout().print(Panel(body, title=title, title_align="left", expand=False))


def _variants_table(variants: Sequence[Any]) -> Any:
    """A release's checkpoints, one a row: name, Hub repo, parameters, tuning."""
    from rich.table import Table
    from rich.text import Text

    table = Table.grid(padding=(0, 2))
    for _ in range(4):
        table.add_column(overflow="fold")
    for variant in variants:
        table.add_row(
            Text(safe(variant.name), style="bold"),
            Text(safe(variant.hub or "-")),
            Text(human_count(variant.parameters) if variant.parameters is not None else "-"),
            Text(variant.tuning or "", style="dim"),
        )
    return table


def _evidence_text(items: Sequence[Any]) -> Any:
    """The quotes that back a fact, each with its page, dimmed under the fact."""
    from rich.text import Text

    text = Text(style="dim")
    for i, item in enumerate(items):
        text.append(("\n" if i else "") + f"\u201c{safe(' '.join(item.quote.split()))}\u201d")
        text.append(f"\n  {safe(item.source)}", style="dim underline")
    return text


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
        asks = [
            label
            for name, label in ATTRIBUTE_LABELS.items()
            if name != "commercial" and getattr(terms.licenses[0], name)
        ]
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
        parts.add_row(
            Text("✓" if component.ok else "✗", style="green" if component.ok else "red"),
            Text(component.name),
            Text(safe(component.value), style="bold"),
            Text(safe(component.evidence), style="dim"),
        )
    if grade.next_grade is None:
        tail = Text("the top grade: nothing is missing", style="dim")
    else:
        tail = Text(f"for {grade.next_grade}, it needs:", style="dim")
        for need in grade.needs:
            tail.append("\n- " + safe(need))
    return Group(head, parts, tail)


# --- findings ---------------------------------------------------------------------------------


def findings(
    items: Sequence[Any],
    fmt: str,
    files: int,
    ignored: Sequence[Any] | None = None,
    to_stderr: bool = False,
) -> None:
    """Validation findings; with `ignored` (suppress.Ignored), also every suppression and what it
    silenced; `to_stderr` for a command whose stdout is other data (add --dry-run)."""
    errors = sum(1 for f in items if f.severity == "error")
    warnings = len(items) - errors
    if fmt == "json":
        report: dict[str, Any] = {
            "files": files,
            "errors": errors,
            "warnings": warnings,
            "findings": [f.as_dict() for f in items],
        }
        if ignored is not None:
            report["ignored"] = [i.as_dict() for i in ignored]
        write(serialisers().dump_json(report))
        return
    if fmt == "github":
        for f in items:
            message = f"{f.message}" + (f" (hint: {f.hint})" if f.hint else "")
            write(
                f"::{f.severity} file={github_escape(safe(f.path), True)},line={max(f.line, 1)},"
                f"col={max(f.col, 1)},title={f.rule}::{github_escape(safe(message))}\n"
            )
        for i in ignored or ():
            s = i.suppression
            write(
                f"::notice file={github_escape(safe(s.path), True)},line={s.at},"
                f"title={github_escape(' '.join(s.rules), True)} ignored::"
                f"{github_escape(safe(_ignored_text(i)))}\n"
            )
    elif not (sys.stderr if to_stderr else sys.stdout).isatty():
        # Plain lines, as Rich would write them to a pipe, without importing it: the pre-commit
        # hook (`validate FILE`) reads them this way, and waits for every import.
        out = sys.stderr if to_stderr else sys.stdout
        for f in items:
            warning = " (warning)" if f.severity == "warning" else ""
            out.write(
                f"{one_line(f.path)}:{f.line}:{f.col}: {f.rule} {one_line(f.message)}{warning}\n"
            )
            if f.hint:
                out.write(f"    hint: {one_line(f.hint)}\n")
        for i in ignored or ():
            s = i.suppression
            out.write(
                f"{safe(s.path)}:{s.at}: {' '.join(s.rules)} ignored: {one_line(_ignored_text(i))}\n"
            )
        out.flush()
    else:
        from rich.text import Text

        console = stderr() if to_stderr else stdout()
        for f in items:
            line = Text(f"{one_line(f.path)}:{f.line}:{f.col}: ", style="bold")
            line.append(f.rule, style="red" if f.severity == "error" else "yellow")
            line.append(f" {one_line(f.message)}")
            if f.severity == "warning":
                line.append(" (warning)", style="yellow")
            console.print(line, soft_wrap=True)
            if f.hint:
                console.print(
                    Text("    hint: ", style="dim") + Text(one_line(f.hint)), soft_wrap=True
                )
        for i in ignored or ():
            s = i.suppression
            line = Text(f"{safe(s.path)}:{s.at}: ", style="bold")
            line.append(" ".join(s.rules), style="dim")
            line.append(f" ignored: {one_line(_ignored_text(i))}")
            console.print(line, soft_wrap=True)
    summary = (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
        f"in {files} file{'s' * (files != 1)}"
    )
    say((summary, "bold red" if errors else ("yellow" if warnings else "green")))


def _ignored_text(item: Any) -> str:
    s = item.suppression
    scope = "the whole file" if s.line is None else f"line {s.line}"
    count = len(item.findings)
    return f"{s.reason} ({scope}; silenced {count} finding{'s' * (count != 1)})"


def formatted(results: Sequence[Any], check: bool, diff: bool) -> None:
    """What `catalog fmt` did or would do (openai_catalog.fmt.Formatted results)."""
    from rich.text import Text

    from openai_catalog.fmt import unified_diff

    for result in results:
        if result.problem is not None:
            f = result.problem
            error(f"{f.path}:{f.line}:{f.col}: {f.rule} {f.message}", f.hint)
        elif result.skipped is not None:
            error(result.skipped.message, result.skipped.hint)
        elif result.changed:
            if diff:
                write(unified_diff(result))
            stderr().print(
                Text(("would reformat " if check else "reformatted ") + one_line(result.display))
            )
    changed = sum(1 for r in results if r.changed)
    broken = sum(1 for r in results if r.problem is not None)
    skipped = sum(1 for r in results if r.skipped is not None)
    unchanged = len(results) - changed - broken - skipped
    parts = [
        f"{changed} file{'s' * (changed != 1)} "
        + ("would be reformatted" if check else "reformatted"),
        f"{unchanged} already canonical",
    ]
    if broken:
        parts.append(f"{broken} could not be read")
    if skipped:
        parts.append(f"{skipped} not rewritten")
    style = "bold red" if broken or skipped or (check and changed) else "green"
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


def hits(
    result: Any, fmt: str, query: Any, listing: bool = False, document: str | None = None
) -> None:
    """Print search or list results: a data `document` (the records of `catalog export`, made
    by the core) as it is, else the ids or the table."""
    items = result.hits
    if document is not None:
        write(document)
    elif fmt == "ids":
        write("".join(f"{h.id}\n" for h in items))
    else:
        _hits_table(items, query, "id" if listing else "name")
    _result_summary(result, listing)


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
    rows = [
        (
            safe(getattr(h, first)),
            h.kind,
            safe(", ".join(h.by)),
            safe(h.license or "-"),
            safe(h.released or ""),
            figures_text(h),
            age(h.last_activity, short=True) or "",
            safe(h.summary[:MAX_CELL]),
        )
        for h in items
    ]
    headers = (first, "kind", "by", "licence", "released", "popularity", "active", "summary")
    widths = [
        min(28, max([len(hd), *(cells(r[i]) for r in rows)])) for i, hd in enumerate(headers[:-1])
    ]
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
    longest = max([7, *(cells(r[-1]) for r in rows)])
    layout = [(i, widths[i]) for i in keep] + [(len(headers) - 1, max(20, min(rest, longest)))]
    if not terminal:
        for row in (headers, *rows):
            write(
                "  ".join(
                    fit(row[i], w, pad=n < len(layout) - 1) for n, (i, w) in enumerate(layout)
                ).rstrip()
                + "\n"
            )
        return
    from rich.text import Text

    pattern = highlight_pattern(query)
    styles = {0: "bold", 6: "dim"}
    console = stdout()
    for number, row in enumerate((headers, *rows)):
        line = Text()
        for n, (i, width) in enumerate(layout):
            style = "bold" if number == 0 else styles.get(i, "")
            if number and i == 3:
                style = CATEGORY_STYLES.get(items[number - 1].license_category or "", "")
            cell = Text(fit(row[i], width, pad=n < len(layout) - 1), style=style)
            if number and pattern and i in (0, len(headers) - 1):
                cell.highlight_regex(pattern, style="bold yellow")
            line.append_text(cell)
            if n < len(layout) - 1:
                line.append("  ")
        console.print(line, no_wrap=True, overflow="ellipsis", crop=True)


def corrections_note(result: Any) -> None:
    """Say which words were searched for instead of what was typed (a misspelling found nothing)."""
    fixes = getattr(result, "corrections", None)
    if fixes:
        said = ", ".join(f"{safe(typed)!r} as {safe(fixed)!r}" for typed, fixed in fixes)
        say(("nothing matches as typed; ", "yellow"), (f"searched for {said}", ""))


def _result_summary(result: Any, listing: bool) -> None:
    corrections_note(result)
    for path in result.skipped:
        warn(
            f"{path} was left out: it cannot be read or does not validate (run: catalog validate {path})"
        )
    shown, total = len(result.hits), result.total
    if not total:
        suggestion = (
            "; did you mean " + ", ".join(safe(s) for s in result.suggestions) + "?"
            if result.suggestions
            else ""
        )
        say(("no entries match", "yellow"), (suggestion, ""))
        return
    noun = (
        ("entry" if listing else "result") if total == 1 else ("entries" if listing else "results")
    )
    more = f" (showing {shown}; use --limit to see more)" if shown < total else ""
    say((f"{total} {noun}{more}", "dim"))


# --- statistics -------------------------------------------------------------------------------

GRADE_STYLES = {
    "open-science": "bold green",
    "open-tooling": "green",
    "open-model": "green",
    "open-weights": "yellow",
    "open-data": "green",
    "open-access": "yellow",
    "closed": "red",
}
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
    labels = [
        names_by_title.get(t, {}).get(label, label)
        for t, counts, _, _ in sections
        for label in counts
    ]
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
            table.add_row(
                Text("  " + safe(names_by_title.get(title, {}).get(label, label))),
                str(count),
                Text("█" * blocks, style=styles.get(label, "cyan")),
                "" if not count else ("<1%" if share < 0.01 else f"{share:.0%}"),
            )
        table.add_row("", "", "", "")
    entries = "entry" if figures.total == 1 else "entries"
    heading = Text(f"{figures.total} {entries}", style="bold")
    if figures.variants:  # releases are entries; their checkpoints are counted apart
        heading.append(
            f" (their model releases list {figures.variants} "
            f"variant{'s' if figures.variants != 1 else ''})",
            style="dim",
        )
    stdout().print(heading)
    if figures.total:
        stdout().print(table)


def exported(result: Any, fmt: str, output: Any, figures: bool) -> None:
    """What an export wrote, on stderr, so that stdout stays the document."""
    from rich.text import Text

    if figures and not any(
        h.downloads is not None or h.likes is not None or h.stars is not None for h in result.hits
    ):
        warn(
            "no figures to show: the enrichment snapshot has none for these entries "
            "(catalog enrich fetches them)"
        )
    if not result.total:
        _result_summary(result, listing=True)
    elif fmt not in ("mermaid", "dot"):
        corrections_note(result)
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


_CHANGE_STYLES = {
    "added": "green",
    "removed": "red",
    "withdrawn": "red",
    "relicensed": "yellow",
    "deprecated": "yellow",
    "superseded": "yellow",
    "renamed": "cyan",
}


def changes(items: Sequence[Any], span: Any) -> None:
    """`catalog changes` as a table: one row per change, oldest first, its detail wrapped.

    The layout is computed here and written in blocks of lines, not by rich.table: a whole history
    is tens of thousands of rows, which Rich takes many seconds to measure and wrap. On a terminal
    the kind of change and the entry are styled; to a pipe the same layout is plain text, written
    without importing Rich."""
    if not items:
        since = f" since {span.since}" if span.since else ""
        info(f"no changes{since} up to {span.until}")
        return
    rows = [
        (
            item.change.date[:10],
            item.change.change,
            item.change.kind,
            safe(item.change.id),
            one_line(_change_detail(item.change, item.name)),
            f"#{item.change.pr}" if item.change.pr else "",
        )
        for item in items
    ]
    headers = ("date", "change", "kind", "entry", "detail", "PR")
    widths = [max([len(h), *(cells(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    terminal = sys.stdout.isatty()
    import shutil

    columns = stdout().width if terminal else shutil.get_terminal_size((80, 24)).columns
    fixed = sum(widths) - widths[4] + 2 * (len(headers) - 1)
    widths[3] = min(widths[3], max(12, columns - fixed + widths[3] - 20))  # leave the detail 20
    widths[4] = max(20, min(widths[4], columns - (sum(widths) - widths[4] + 10)))
    paint = _painter(terminal)

    def lines(row: tuple[str, ...], styles: tuple[str, ...]) -> Iterator[str]:
        detail = _wrapped(row[4], widths[4])
        first = [fit(cell, widths[i], pad=True) for i, cell in enumerate(row)]
        first[4] = fit(detail[0], widths[4], pad=True)
        yield "  ".join(paint(cell, styles[i]) for i, cell in enumerate(first)).rstrip() + "\n"
        blank = " " * (sum(widths[:4]) + 8)
        for more in detail[1:]:
            yield f"{blank}{more}\n"

    out = list(lines(headers, ("bold",) * len(headers)))
    for row in rows:
        out.extend(lines(row, ("", _CHANGE_STYLES.get(row[1], ""), "", "bold", "", "")))
        if len(out) >= 2000:  # written as it goes, a screenful at a time would be slower
            write("".join(out))
            out.clear()
    write("".join(out))
    count = len(items)
    say((f"{count} change{'s' * (count != 1)}", "dim"))


def _wrapped(text: str, width: int) -> list[str]:
    if cells(text) <= width:
        return [text]
    import textwrap

    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def _painter(terminal: bool) -> Any:
    """A function giving text in a Rich style as the terminal's escape codes (as Rich would write
    it, colour left out under NO_COLOR), or the text itself when not on a terminal."""
    if not terminal:
        return lambda text, style: text
    from rich.style import Style

    console = stdout()
    styles: dict[str, Any] = {}

    def paint(text: str, name: str) -> str:
        if not name or not text.strip():
            return text
        if name not in styles:
            style = Style.parse(name)
            styles[name] = style.without_color if console.no_color else style
        return str(styles[name].render(text, color_system=console.color_system))

    return paint


def _change_detail(change: Any, otherwise: str) -> str:
    """What a row says of a change: the licences, the old id, the fields, or `otherwise`."""
    if change.change == "relicensed":
        return f"{change.old_license or 'none'} → {change.new_license or 'none'}"
    if change.change == "renamed":
        return f"was {change.old_id}"
    if change.change == "changed":
        return ", ".join(change.fields)
    return otherwise


def history(entry: Any, items: Sequence[Any], fmt: str) -> None:
    """`catalog show ID --history`: the dated changes of one entry, oldest first."""
    if fmt in ("json", "yaml"):
        data = {"id": entry.id, "history": [i.change.as_dict() for i in items]}
        dump = serialisers().dump_json if fmt == "json" else serialisers().dump_yaml
        write(dump(data))
        return
    from rich.table import Table
    from rich.text import Text

    count = len(items)
    stdout().print(
        Text(
            f"{safe(entry.name)} ({safe(entry.id)}): {count} change{'s' * (count != 1)}",
            style="bold",
        )
    )
    grid = Table.grid(padding=(0, 2))
    for _ in range(4):
        grid.add_column()
    for item in items:
        change = item.change
        detail = _change_detail(change, change.subject)
        grid.add_row(
            change.date[:10],
            change.change,
            Text(safe(detail)),
            f"#{change.pr}" if change.pr else "",
        )
    stdout().print(grid)


# --- lineage ----------------------------------------------------------------------------------


def lineage(tree: Any, fmt: str) -> None:
    """`catalog lineage`: the tree up and down from one entry, or its JSON."""
    if fmt == "json":
        write(serialisers().dump_json(tree.as_dict()))
        return
    from rich.text import Text
    from rich.tree import Tree

    def label(node: Any, prefix: str) -> Text:
        text = Text(prefix, style="dim")
        text.append(safe(node.id), style="bold")
        if node.missing:
            text.append("  no such entry", style="red")
            return text
        text.append(f"  {safe(node.name)}" if node.name != node.id else "")
        category = node.category or "no licence"
        text.append(f"  {safe(node.license or '-')}", style=CATEGORY_STYLES.get(category, ""))
        text.append(f" ({category})", style="dim")
        if node.grade:
            text.append(f"  openness: {node.grade}", style="dim")
        if node.cycle:
            text.append("  (cycle: already on this path)", style="yellow")
        elif node.repeat:
            text.append("  (shown above)", style="dim")
        return text

    def grow(branch: Any, nodes: Sequence[Any], up: bool) -> None:
        for node in nodes:
            words = node.relation.replace("_", " ")
            grow(branch.add(label(node, f"{words} " if up else f"{words} it: ")), node.children, up)

    root = Tree(label(tree.root, ""))
    up = root.add(Text("built from", style="bold cyan"))
    grow(up, tree.up, True)
    if not tree.up:
        up.add(Text("nothing recorded", style="dim"))
    down = root.add(Text("built on it", style="bold cyan"))
    grow(down, tree.down, False)
    if not tree.down:
        down.add(Text("nothing recorded", style="dim"))
    stdout().print(root)


# --- enrichment ---------------------------------------------------------------------------------


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

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._task = self._progress.add_task(self.description, total=total)
        self._progress.start()

    def advance(self, outcome: Any = None) -> None:
        if self._progress is not None:
            self._progress.update(self._task, advance=1)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


class IndexProgress:
    """How far an index build or update is (index.set_progress calls it with files done and
    files in all): a bar on stderr once the work looks like lasting more than about a second,
    on a terminal only; a quick update shows nothing."""

    SECONDS = 1.0

    def __init__(self) -> None:
        self.began: float | None = None
        self.sink = ProgressSink("indexing the catalogue", minimum=0)

    def __call__(self, done: int, total: int) -> None:
        import time

        now = time.monotonic()
        if self.began is None:
            self.began = now
        if self.sink._progress is None and done < total:
            elapsed = now - self.began
            # Shown from a fifth of the budget on, when the rate so far says it will outlast it.
            if elapsed < self.SECONDS / 5 or elapsed * total / max(done, 1) < self.SECONDS:
                return
            self.sink.start(total)
        if self.sink._progress is not None:
            self.sink._progress.update(self.sink._task, completed=done, total=total)
        if done >= total:
            self.sink.stop()
            self.began = None


@contextmanager
def progress(description: str, minimum: int = 5) -> Iterator[ProgressSink]:
    sink = ProgressSink(description, minimum)
    try:
        yield sink
    finally:
        sink.stop()


_SOURCE_LABELS = {"hub": "Hub", "github": "GitHub"}
_STATUS_STYLES = {
    "renamed": "yellow",
    "not_found": "red",
    "gated": "magenta",
    "disabled": "red",
    "failed": "bold red",
}


def enrich_report(report: Any, fmt: str) -> None:
    """The summary of a `catalog enrich` run: counts per source, then what needs a look."""
    from openai_catalog.enrich.run import STATUSES as SUMMARY_COLUMNS

    counts = report.counts()
    notable = [o for o in report.outcomes if o.status in _STATUS_STYLES]
    if fmt == "json":
        write(
            serialisers().dump_json(
                {
                    "snapshot": str(report.path),
                    "offline": report.offline,
                    "interrupted": report.interrupted,
                    "requests": report.requests,
                    "removed": report.removed,
                    "stopped": report.stopped,
                    "counts": {
                        s: {c: counts.get(s, {}).get(c, 0) for c in SUMMARY_COLUMNS}
                        for s in ("hub", "github")
                    },
                    "outcomes": [
                        {
                            "id": o.task.entry_id,
                            "source": o.task.source,
                            "repo": o.task.repo,
                            "status": o.status,
                            "message": o.message,
                        }
                        for o in report.outcomes
                    ],
                }
            )
        )
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
            cells = [
                Text(str(row.get(c, 0)), style=_STATUS_STYLES.get(c, "") if row.get(c) else "dim")
                for c in SUMMARY_COLUMNS
            ]
            table.add_row(
                Text(_SOURCE_LABELS.get(source or "", "total"), style="bold" if not source else ""),
                *cells,
            )
        stdout().print(table)
        if notable:
            details = Table(box=None, header_style="bold", pad_edge=False)
            for column in ("id", "source", "status", "detail"):
                details.add_column(column, overflow="fold")
            for o in notable:
                details.add_row(
                    Text(safe(o.task.entry_id), style="bold"),
                    _SOURCE_LABELS[o.task.source],
                    Text(o.status.replace("_", " "), style=_STATUS_STYLES[o.status]),
                    Text(safe(f"{o.task.repo}: {o.message or ''}")),
                )
            stdout().print()
            stdout().print(details)
    for source, why in report.stopped.items():
        warn(f"stopped asking {_SOURCE_LABELS[source]}: {why}; what was fetched is saved")
    if report.removed:
        info(
            f"dropped {report.removed} record{'s' * (report.removed != 1)} of entries or sources "
            "no longer in the catalogue"
        )
    if report.offline:
        stale = sum(1 for o in report.outcomes if o.message == "offline")
        info(f"offline: no request made; {stale} record{'s' * (stale != 1)} would be fetched")
    else:
        calls = f"{report.requests} request{'s' * (report.requests != 1)}"
        info(
            f"saved {display(report.path)} ({calls})"
            if report.written
            else f"{display(report.path)} unchanged ({calls})"
        )


def display(path: Any) -> str:
    from openai_catalog.locate import display_path

    return safe(display_path(path))
