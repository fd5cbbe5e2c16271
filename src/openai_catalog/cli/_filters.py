"""The filter flags shared by search, list and export, and their translation into the query language."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, get_type_hints

import typer

from openai_catalog.cli._options import KindChoice, OutputFormat
from openai_catalog.query import Query

FILTERS = "Filters"


class Sort(StrEnum):
    relevance = "relevance"
    downloads = "downloads"
    likes = "likes"
    stars = "stars"
    released = "released"
    name = "name"
    kind = "kind"


QueryArg = Annotated[list[str] | None, typer.Argument(
    metavar="[QUERY]...", show_default=False,
    help='Words, "phrases", prefix*, -excluded, a OR b, and field:value filters such as '
    "license:permissive params:>=7B released:>=2022.")]
KindFilter = Annotated[KindChoice | None, typer.Option("--kind", help="model, dataset, compute, tool or community.",
                                                       rich_help_panel=FILTERS)]
LicenseFilter = Annotated[list[str] | None, typer.Option(
    "--license", help="A licence id (Apache-2.0, llama3.1), a category (permissive, copyleft, open-rail, "
    "community, non-commercial, proprietary, unknown) or 'commercial' (commercial use allowed). "
    "Repeat for several (any may match).",
    rich_help_panel=FILTERS)]
ByFilter = Annotated[str | None, typer.Option("--by", help="Made by this community (id or name).",
                                              rich_help_panel=FILTERS)]
TagFilter = Annotated[list[str] | None, typer.Option("--tag", help="Has this tag (repeat: all must hold).",
                                                     rich_help_panel=FILTERS)]
ModalityFilter = Annotated[str | None, typer.Option("--modality", help="text, code, image, audio, ...",
                                                    rich_help_panel=FILTERS)]
StatusFilter = Annotated[str | None, typer.Option("--status", help="active, deprecated, withdrawn or superseded.",
                                                  rich_help_panel=FILTERS)]
SinceFilter = Annotated[str | None, typer.Option("--since", help="Released on or after (YYYY[-MM[-DD]]).",
                                                 rich_help_panel=FILTERS)]
UntilFilter = Annotated[str | None, typer.Option("--until", help="Released on or before (YYYY[-MM[-DD]]).",
                                                 rich_help_panel=FILTERS)]
OpennessFilter = Annotated[str | None, typer.Option(
    "--openness", help="A grade (open-science, open-tooling, open-model, open-weights for models; "
    "open-data, open-access for datasets; closed), 'open' for any open grade, or a comparison such "
    "as '>=open-model'.",
    rich_help_panel=FILTERS)]
WeightsFilter = Annotated[str | None, typer.Option("--weights", help="open, gated or closed.",
                                                   rich_help_panel=FILTERS)]
AccessFilter = Annotated[str | None, typer.Option(
    "--access", help="Datasets: open, gated, on-request or closed.", rich_help_panel=FILTERS)]


def _comparison(flag: str, example: str, what: str) -> object:
    return Annotated[str | None, typer.Option(
        flag, metavar="[OP]N", help=f"{what}, with an optional comparison: '{example}'.",
        rich_help_panel=FILTERS)]


ParamsFilter = _comparison("--params", ">=7B", "Parameter count")
DownloadsFilter = _comparison("--downloads", ">10k", "Hub downloads (from enrichment)")
LikesFilter = _comparison("--likes", ">=100", "Hub likes (from enrichment)")
StarsFilter = _comparison("--stars", ">1000", "GitHub stars (from enrichment)")
SortOpt = Annotated[Sort, typer.Option("--sort", help="Order of the results.")]
MAX_LIMIT = 1_000_000
LimitOpt = Annotated[int | None, typer.Option("--limit", min=1, max=MAX_LIMIT,
                                              help="At most this many results.")]
QueryFormatOpt = Annotated[OutputFormat, typer.Option("--format", help="Output format.")]



FILTER_FLAGS: dict[str, object] = {
    "kind": KindFilter, "license": LicenseFilter, "by": ByFilter, "tag": TagFilter,
    "modality": ModalityFilter, "status": StatusFilter, "since": SinceFilter, "until": UntilFilter,
    "openness": OpennessFilter, "weights": WeightsFilter, "access": AccessFilter,
    "params": ParamsFilter, "downloads": DownloadsFilter, "likes": LikesFilter, "stars": StarsFilter,
}


@dataclass(frozen=True)
class Selection:
    """What a query command was asked for: the parsed query and the words it came from."""

    query: Query
    text: str


def query_command(command: Callable[..., None]) -> Callable[..., None]:
    """Give a command the filter flags of FILTER_FLAGS and hand it the parsed `selection`.

    The command declares its own `query: QueryArg = None` (so that it orders its arguments) and a
    `selection: Selection` parameter that the user never sees; every query command thereby takes
    exactly the same filters, parsed in one place.
    """
    hints = get_type_hints(command, include_extras=True)
    own = [p.replace(annotation=hints.get(name, p.annotation))
           for name, p in inspect.signature(command).parameters.items() if name != "selection"]
    flags = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=kind)
             for name, kind in FILTER_FLAGS.items()]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        values = {name: kwargs.pop(name, None) for name in FILTER_FLAGS}
        query, text = build_query(kwargs.pop("query", None), **values)
        command(*args, selection=Selection(query, text), **kwargs)

    parameters = [*own, *flags]
    wrapper.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
    return wrapper


def build_query(words: list[str] | None, *, kind: KindChoice | None = None,
                license: list[str] | None = None, by: str | None = None, tag: list[str] | None = None,
                modality: str | None = None, status: str | None = None, since: str | None = None,
                until: str | None = None, openness: str | None = None,
                weights: str | None = None, access: str | None = None, params: str | None = None,
                downloads: str | None = None, likes: str | None = None,
                stars: str | None = None) -> tuple[Query, str]:
    """Parse the query words and append each flag as a filter clause; returns (Query, text).

    A flag means exactly what its field:value does in the query, so both are parsed by query.py."""
    from openai_catalog.query import parse

    text = " ".join(words or [])
    query = parse(text)
    flags: list[tuple[str, list[str]]] = [
        ("kind", [kind.value] if kind else []), ("by", [by] if by else []),
        ("modality", [modality] if modality else []), ("status", [status] if status else []),
        ("released", [f">={since}"] if since else []), ("released", [f"<={until}"] if until else []),
        ("openness", [openness] if openness else []), ("weights", [weights] if weights else []),
        ("access", [access] if access else []), ("params", [params] if params else []),
        ("downloads", [downloads] if downloads else []), ("likes", [likes] if likes else []),
        ("stars", [stars] if stars else []),
    ]
    for name, values in flags:
        for value in values:
            query.clauses.extend(_flag(name, value).clauses)
    if license:
        query.clauses.append([item for value in license for clause in _flag("license", value).clauses
                              for item in clause])
    for value in tag or []:
        query.clauses.extend(_flag("tag", value).clauses)
    return query, text


def _flag(name: str, value: str) -> Query:
    from openai_catalog.query import parse

    quoted = '"' + value.replace('"', "") + '"' if " " in value else value
    return parse(f"{name}:{quoted}")
