"""The filter flags shared by search, list and export, and their translation into the query language."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, get_type_hints, overload

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


QueryArg = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="[QUERY]...",
        show_default=False,
        help='Words, "phrases", prefix*, -excluded, a OR b, and field:value filters such as '
        "license:permissive params:>=7B released:>=2022.",
    ),
]
KindFilter = Annotated[
    KindChoice | None,
    typer.Option(
        "--kind", help="model, dataset, compute, tool or community.", rich_help_panel=FILTERS
    ),
]
LicenseFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--license",
        help="A licence id (Apache-2.0, llama3.1), a category (permissive, copyleft, open-rail, "
        "community, non-commercial, proprietary, unknown) or 'commercial' (commercial use allowed). "
        "Repeat for several (any may match).",
        rich_help_panel=FILTERS,
    ),
]
CodeLicenseFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--code-license",
        help="Models whose code is under this licence (code_license: an id such as MIT, "
        "or a category). --license stays on the weights' licence. Repeat for several (any may match).",
        rich_help_panel=FILTERS,
    ),
]
ByFilter = Annotated[
    str | None,
    typer.Option("--by", help="Made by this community (id or name).", rich_help_panel=FILTERS),
]
TagFilter = Annotated[
    list[str] | None,
    typer.Option("--tag", help="Has this tag (repeat: all must hold).", rich_help_panel=FILTERS),
]
ModalityFilter = Annotated[
    str | None,
    typer.Option("--modality", help="text, code, image, audio, ...", rich_help_panel=FILTERS),
]
RegionFilter = Annotated[
    str | None,
    typer.Option(
        "--region",
        help="Compute programmes in this region, as their entries write it (EU, Finland, US...).",
        rich_help_panel=FILTERS,
    ),
]
StatusFilter = Annotated[
    str | None,
    typer.Option(
        "--status", help="active, deprecated, withdrawn or superseded.", rich_help_panel=FILTERS
    ),
]
SinceFilter = Annotated[
    str | None,
    typer.Option("--since", help="Released on or after (YYYY[-MM[-DD]]).", rich_help_panel=FILTERS),
]
UntilFilter = Annotated[
    str | None,
    typer.Option(
        "--until", help="Released on or before (YYYY[-MM[-DD]]).", rich_help_panel=FILTERS
    ),
]
OpennessFilter = Annotated[
    str | None,
    typer.Option(
        "--openness",
        help="A grade (open-science, open-tooling, open-model, open-weights for models; "
        "open-data, open-access for datasets; closed), 'open' for any open grade, or a comparison such "
        "as '>=open-model'.",
        rich_help_panel=FILTERS,
    ),
]
WeightsFilter = Annotated[
    str | None, typer.Option("--weights", help="open, gated or closed.", rich_help_panel=FILTERS)
]
AccessFilter = Annotated[
    str | None,
    typer.Option(
        "--access", help="Datasets: open, gated, on-request or closed.", rich_help_panel=FILTERS
    ),
]


def _comparison(flag: str, example: str, what: str) -> object:
    return Annotated[
        str | None,
        typer.Option(
            flag,
            metavar="[OP]N",
            help=f"{what}, with an optional comparison: '{example}'.",
            rich_help_panel=FILTERS,
        ),
    ]


ParamsFilter = _comparison("--params", ">=7B", "Parameter count")
DownloadsFilter = _comparison("--downloads", ">10k", "Hub downloads (from enrichment)")
LikesFilter = _comparison("--likes", ">=100", "Hub likes (from enrichment)")
StarsFilter = _comparison("--stars", ">1000", "GitHub stars (from enrichment)")
SortOpt = Annotated[Sort, typer.Option("--sort", help="Order of the results.")]
MAX_LIMIT = 1_000_000
LimitOpt = Annotated[
    int | None, typer.Option("--limit", min=1, max=MAX_LIMIT, help="At most this many results.")
]
QueryFormatOpt = Annotated[OutputFormat, typer.Option("--format", help="Output format.")]
ColumnsOpt = Annotated[
    str | None,
    typer.Option(
        "--columns",
        help="csv: comma-separated columns, e.g. id,name,license,downloads (by default "
        "every column of `catalog export csv`).",
    ),
]


FILTER_FLAGS: dict[str, object] = {
    "kind": KindFilter,
    "license": LicenseFilter,
    "code_license": CodeLicenseFilter,
    "by": ByFilter,
    "tag": TagFilter,
    "modality": ModalityFilter,
    "region": RegionFilter,
    "status": StatusFilter,
    "since": SinceFilter,
    "until": UntilFilter,
    "openness": OpennessFilter,
    "weights": WeightsFilter,
    "access": AccessFilter,
    "params": ParamsFilter,
    "downloads": DownloadsFilter,
    "likes": LikesFilter,
    "stars": StarsFilter,
}


@dataclass(frozen=True)
class Selection:
    """What a query command was asked for: the parsed query and the words it came from."""

    query: Query
    text: str


@overload
def query_command(command: Callable[..., None]) -> Callable[..., None]: ...


@overload
def query_command(
    command: None = None, *, without: tuple[str, ...] = ()
) -> Callable[[Callable[..., None]], Callable[..., None]]: ...


def query_command(
    command: Callable[..., None] | None = None, *, without: tuple[str, ...] = ()
) -> Any:
    """Give a command the filter flags of FILTER_FLAGS and hand it the parsed `selection`.

    The command declares its own `query: QueryArg = None` (so that it orders its arguments) and a
    `selection: Selection` parameter that the user never sees; every query command thereby takes
    exactly the same filters, parsed in one place. `without` leaves out flags whose names the
    command uses for something else (`changes --since` is a point in its history); their filters
    stay in the query language.
    """
    if command is None:
        return functools.partial(query_command, without=without)
    hints = get_type_hints(command, include_extras=True)
    own = [
        p.replace(annotation=hints.get(name, p.annotation))
        for name, p in inspect.signature(command).parameters.items()
        if name != "selection"
    ]
    used = {name: kind for name, kind in FILTER_FLAGS.items() if name not in without}
    flags = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=kind)
        for name, kind in used.items()
    ]

    options = [f"--{p.name.replace('_', '-')}" for p in own if p.name != "query"]
    options += [f"--{name}" for name in used]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        values = {name: kwargs.pop(name, None) for name in used}
        words = kwargs.pop("query", None)
        _refuse_unknown_options(words or [], options)
        query, text = build_query(words, **values)
        command(*args, selection=Selection(query, text), **kwargs)

    parameters = [*own, *flags]
    wrapper.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
    return wrapper


def print_results(
    result: Any, fmt: OutputFormat, selection: Selection, columns: str | None, listing: bool = False
) -> None:
    """Print the hits of search or list; the data formats give the records `catalog export`
    gives for the same selection (export.render makes both), csv with `--columns` if asked."""
    from openai_catalog.cli import _context, _output
    from openai_catalog.errors import UsageError
    from openai_catalog.export import DATA, Options, render

    if columns and fmt != OutputFormat.csv:
        raise UsageError(f"--columns does not apply to {fmt.value}", "it applies to csv")
    document = None
    if fmt.value in DATA:
        document = render(
            fmt.value, _context.root(), result.hits, Options(columns=columns), selection.text
        )
    _output.hits(result, fmt.value, selection.query, listing, document)


def _refuse_unknown_options(words: list[str], options: list[str]) -> None:
    """Query words reach a query command unparsed (so that `-word` excludes a word); one that
    starts with `--` is a mistyped option, which must not quietly become part of the query."""
    from openai_catalog._util import did_you_mean
    from openai_catalog.errors import UsageError

    for word in words:
        if word.startswith("--") and len(word) > 2:
            name = word.split("=", 1)[0]
            raise UsageError(
                f"no such option: {name}",
                did_you_mean(name, options)
                or "see --help for the options; "
                "a word is left out of the results with a single -, as in -word",
            )


def build_query(
    words: list[str] | None,
    *,
    kind: KindChoice | None = None,
    license: list[str] | None = None,
    code_license: list[str] | None = None,
    by: str | None = None,
    tag: list[str] | None = None,
    modality: str | None = None,
    region: str | None = None,
    status: str | None = None,
    since: str | None = None,
    until: str | None = None,
    openness: str | None = None,
    weights: str | None = None,
    access: str | None = None,
    params: str | None = None,
    downloads: str | None = None,
    likes: str | None = None,
    stars: str | None = None,
) -> tuple[Query, str]:
    """Parse the query words and append each flag as a filter clause; returns (Query, text).

    A flag means exactly what its field:value does in the query, so both are parsed by query.py."""
    from openai_catalog.query import parse

    text = " ".join(words or [])
    query = parse(text)
    flags: list[tuple[str, list[str]]] = [
        ("kind", [kind.value] if kind else []),
        ("by", [by] if by else []),
        ("modality", [modality] if modality else []),
        ("region", [region] if region else []),
        ("status", [status] if status else []),
        ("released", [f">={since}"] if since else []),
        ("released", [f"<={until}"] if until else []),
        ("openness", [openness] if openness else []),
        ("weights", [weights] if weights else []),
        ("access", [access] if access else []),
        ("params", [params] if params else []),
        ("downloads", [downloads] if downloads else []),
        ("likes", [likes] if likes else []),
        ("stars", [stars] if stars else []),
    ]
    for name, values in flags:
        for value in values:
            query.clauses.extend(_flag(name, value).clauses)
    for name, any_of in (("license", license), ("code_license", code_license)):
        if any_of:
            query.clauses.append(
                [
                    item
                    for value in any_of
                    for clause in _flag(name, value).clauses
                    for item in clause
                ]
            )
    for value in tag or []:
        query.clauses.extend(_flag("tag", value).clauses)
    return query, text


def _flag(name: str, value: str) -> Query:
    from openai_catalog.errors import UsageError
    from openai_catalog.query import parse

    if value.startswith("--"):
        # `--modality --format json` gives --modality the value "--format": the user left the
        # flag's value out, and the next option must not quietly become a filter.
        option = "--" + name.replace("_", "-")
        raise UsageError(
            f"{option} needs a value, not the option {value.split('=', 1)[0]}",
            f"write e.g. {option} VALUE; see --help for the values it takes",
        )
    quoted = '"' + value.replace('"', "") + '"' if " " in value else value
    return parse(f"{name}:{quoted}")
