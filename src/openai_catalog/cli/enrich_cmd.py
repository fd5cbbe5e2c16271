"""`catalog enrich`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from openai_catalog.enrich.policy import Settings

DEFAULTS = Settings()


class SourceChoice(StrEnum):
    all = "all"
    hub = "hub"
    github = "github"


class SummaryFormat(StrEnum):
    table = "table"
    json = "json"


def enrich(
    ids: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="ID", help="Only these entries; default: every entry with `hub` or `github`."
        ),
    ] = None,
    source: Annotated[
        SourceChoice, typer.Option("--source", help="Which service to ask.")
    ] = SourceChoice.all,
    stale_after: Annotated[
        str | None,
        typer.Option(
            "--stale-after",
            metavar="AGE",
            help="Skip records fetched less than AGE ago (7d, 12h, 30m). "
            "Records whose last fetch failed are always fetched again.",
        ),
    ] = None,
    offline: Annotated[
        bool,
        typer.Option(
            "--offline",
            help="Make no request: drop records of entries that are gone and report what is stale.",
        ),
    ] = False,
    concurrency: Annotated[
        int,
        typer.Option(
            "--concurrency",
            "-j",
            min=1,
            max=64,
            help="Hub calls in flight at once. GitHub is asked one "
            "call at a time, as its documentation requests.",
        ),
    ] = DEFAULTS.concurrency,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=0.1,
            max=3600,
            help="Seconds to wait to connect, and for each part of an answer.",
        ),
    ] = DEFAULTS.timeout,
    max_wait: Annotated[
        str,
        typer.Option(
            "--max-wait",
            metavar="AGE",
            help="The longest a service's rate limit may keep the run "
            "waiting in all; past it, that service is given up and what was fetched is saved.",
        ),
    ] = "5m",
    format: Annotated[
        SummaryFormat, typer.Option("--format", "-f", help="Summary format.")
    ] = SummaryFormat.table,
) -> None:
    """Fetch live figures from the Hugging Face Hub and GitHub into catalog/enrichment.json.

    From the Hub: downloads, likes, dates, the card's licence, gating, pipeline, library,
    parameter count, tags, base models and renames; from GitHub: stars, forks, archived, last push,
    licence, topics and renames. The curated YAML is never changed; `catalog validate` reports
    where the two disagree. HF_TOKEN and GITHUB_TOKEN raise the services' rate limits. Ctrl-C
    saves what was fetched. Exit 1 when any fetch failed.

    Examples: catalog enrich; catalog enrich --stale-after 7d; catalog enrich gpt-j-6b --source hub
    """
    from openai_catalog.cli import _context, _output
    from openai_catalog.enrich.run import enrich_catalog
    from openai_catalog.enrich.snapshot import SOURCES, parse_duration
    from openai_catalog.errors import Interrupted, UsageError

    if timeout != timeout:  # NaN passes every range check
        raise UsageError("--timeout nan is not a number of seconds", "write e.g. --timeout 10")
    try:
        stale = parse_duration(stale_after) if stale_after else None
        wait = parse_duration(max_wait).total_seconds()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    settings = Settings(concurrency=concurrency, timeout=timeout, max_wait=wait)
    sources = SOURCES if source is SourceChoice.all else (source.value,)
    catalog = _context.load()
    if not offline:
        _context.refuse_packaged(catalog.root, "enrich")
    try:
        with _output.progress("enriching") as bar:
            report = enrich_catalog(
                catalog,
                ids=ids or None,
                sources=sources,
                stale_after=stale,
                offline=offline,
                settings=settings,
                on_plan=bar.start,
                on_outcome=bar.advance,
            )
    except Interrupted as exc:
        if exc.result is not None:
            _output.enrich_report(exc.result, format.value)
        raise
    _output.enrich_report(report, format.value)
    raise typer.Exit(1 if report.failed else 0)
