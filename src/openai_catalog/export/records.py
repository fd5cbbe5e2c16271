"""What every export shows of an entry, and the sections entries are grouped into.

A `Record` is a search hit made ready for a document: its curated fields, licence category,
openness grade, the best page to link to, and the enrichment figures together with the date they
were fetched (read from catalog/enrichment.json, whose figures the index already carries).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openai_catalog._util import did_you_mean, scrub
from openai_catalog.errors import UsageError

if TYPE_CHECKING:
    from openai_catalog.index import Hit

GROUPS = ("kind", "org", "year", "license")
KIND_TITLES = {
    "model": "Models",
    "dataset": "Datasets",
    "compute": "Compute programs",
    "tool": "Tools",
    "community": "Communities",
}
NO_ORG = "Unattributed"
NO_YEAR = "Undated"
NO_LICENCE = "none"  # the group key of entries without a licence field

# Column name -> header. The same names serve markdown tables and lists, CSV and templates.
COLUMNS: dict[str, str] = {
    "id": "Id",
    "name": "Name",
    "kind": "Kind",
    "summary": "Summary",
    "by": "By",
    "released": "Released",
    "year": "Year",
    "license": "Licence",
    "license_category": "Licence category",
    "code_license": "Code licence",
    "data_license": "Data licence",
    "openness": "Openness",
    "status": "Status",
    "parameters": "Parameters",
    "downloads": "Downloads",
    "likes": "Likes",
    "stars": "Stars",
    "last_activity": "Last activity",
    "hub_fetched_at": "Hub fetched",
    "github_fetched_at": "GitHub fetched",
    "link": "Link",
    "url": "Homepage",
    "hub": "Hub",
    "github": "GitHub",
    "paper": "Paper",
    "tags": "Tags",
    "modalities": "Modalities",
    "aliases": "Aliases",
    "variants": "Variants",
}
COLUMN_ALIASES = {
    "licence": "license",
    "category": "license_category",
    "org": "by",
    "params": "parameters",
    "homepage": "url",
}
NUMERIC = frozenset({"parameters", "downloads", "likes", "stars"})
FIGURES = ("downloads", "likes", "stars", "last_activity")


@dataclass(frozen=True)
class Figures:
    """Enrichment figures and when each source was fetched (ISO timestamps)."""

    downloads: int | None = None
    likes: int | None = None
    stars: int | None = None
    last_activity: str | None = None
    hub_fetched_at: str | None = None
    github_fetched_at: str | None = None


@dataclass(frozen=True)
class Community:
    id: str
    name: str
    link: str | None


@dataclass
class Record:
    """One entry as exports show it. `data` holds every curated field."""

    id: str
    kind: str
    name: str
    summary: str
    by: list[str]
    by_names: list[str]
    released: str | None
    license: str | None
    license_category: str | None
    openness: str | None
    link: str | None
    figures: Figures
    enrichment: dict[str, dict[str, Any]]
    data: dict[str, Any] = field(repr=False)
    # A model's code_license and data_license (where recorded) -> their licence categories.
    component_categories: dict[str, str] = field(default_factory=dict)

    @property
    def year(self) -> str | None:
        return self.released[:4] if self.released else None

    def value(self, column: str) -> Any:
        """The raw value of a column of COLUMNS (a list for by, tags, modalities, aliases and
        variants)."""
        if column in (
            "downloads",
            "likes",
            "stars",
            "last_activity",
            "hub_fetched_at",
            "github_fetched_at",
        ):
            return getattr(self.figures, column)
        if column == "status":
            return self.data.get("status", "active")
        if column == "variants":  # a release's checkpoints, each by name and Hub repo
            return [
                f"{v['name']} ({v['hub']})" if v.get("hub") else v["name"]
                for v in self.data.get("variants") or ()
            ]
        if column in (
            "id",
            "kind",
            "name",
            "summary",
            "by",
            "released",
            "year",
            "license",
            "license_category",
            "openness",
            "link",
        ):
            return getattr(self, column)
        return self.data.get(column)


@dataclass
class Group:
    """A section of a grouped document; `title` is None when nothing is grouped."""

    key: str
    title: str | None
    records: list[Record]


# --- links -------------------------------------------------------------------------------------

_URL_SAFE = ":/?#@!$&'*+,;=%~-._"
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def quote_url(value: str) -> str:
    """A URL with whatever a document format could read as syntax percent-encoded: spaces,
    quotes, <>, (), [], {}, backslashes, pipes and backticks; its meaning is unchanged."""
    import urllib.parse

    stray = _STRAY_PERCENT.sub("%25", value.strip())  # a % that starts no escape is data
    return urllib.parse.quote(stray, safe=_URL_SAFE)


def hub_url(kind: str, repo: str) -> str:
    return f"https://huggingface.co/{'datasets/' if kind == 'dataset' else ''}{repo}"


def github_url(repo: str) -> str:
    return f"https://github.com/{repo}"


def paper_url(paper: str) -> str:
    """arXiv ids to their abstract page, DOIs to doi.org."""
    import urllib.parse

    if paper.startswith("10."):  # a DOI may hold # or ?, which must not end the URL's path
        return f"https://doi.org/{urllib.parse.quote(paper, safe='/')}"
    return f"https://arxiv.org/abs/{paper}"


def other_names(data: dict[str, Any]) -> list[str]:
    """What else an entry goes by, for the search boxes of the exports and the site (as the
    index searches them): its aliases, its variants' names and aliases, and its Hub repos."""
    names = [*data.get("aliases", [])]
    for variant in data.get("variants") or ():
        names.extend([variant["name"], *variant.get("aliases", [])])
    names.extend(
        h for h in (data.get("hub"), *(v.get("hub") for v in data.get("variants") or ())) if h
    )
    return list(dict.fromkeys(names))


def main_link(kind: str, data: dict[str, Any]) -> str | None:
    """The page a reader should land on: the homepage, else the Hub, GitHub or the paper."""
    if data.get("url"):
        return str(data["url"])
    if data.get("hub"):
        return hub_url(kind, data["hub"])
    if data.get("github"):
        return github_url(data["github"])
    if data.get("paper"):
        return paper_url(data["paper"])
    return None


# --- building records ---------------------------------------------------------------------------


def _snapshot(record: Any) -> dict[str, dict[str, Any]]:
    """The enrichment of one entry, per source: its fields plus `fetched_at`; errors left out."""
    out: dict[str, dict[str, Any]] = {}
    if not isinstance(record, dict):
        return out
    for source in ("hub", "github"):
        part = record.get(source)
        if not isinstance(part, dict):
            continue
        fields, fetched = part.get("fields"), part.get("fetched_at")
        if not isinstance(fields, dict) or not fields:
            continue
        out[source] = {"fetched_at": fetched if isinstance(fetched, str) else None, **fields}
    return out


def communities(root: Path) -> dict[str, Community]:
    """Every community of the catalogue by id, for names and links of `by`."""
    from openai_catalog.index import search
    from openai_catalog.query import parse

    hits = search(root, parse("kind:community"), "name").hits
    return {h.id: Community(h.id, h.name, main_link(h.kind, h.data)) for h in hits}


def build(root: Path, hits: Sequence[Hit], orgs: dict[str, Community]) -> list[Record]:
    """Records for search hits, in their order, with the snapshot's fetch dates."""
    from openai_catalog.index import read_enrichment

    snapshot = read_enrichment(root)
    licences = None
    records = []
    for hit in hits:
        # whatever validation let in, no export carries control characters
        enrichment = scrub(_snapshot(snapshot.get(hit.id)))
        data = scrub(hit.data)
        hub, github = enrichment.get("hub", {}), enrichment.get("github", {})
        has_hub = hit.downloads is not None or hit.likes is not None
        figures = Figures(
            hit.downloads,
            hit.likes,
            hit.stars,
            hit.last_activity,
            hub.get("fetched_at") if has_hub else None,
            github.get("fetched_at") if hit.stars is not None else None,
        )
        records.append(
            Record(
                id=hit.id,
                kind=hit.kind,
                name=scrub(hit.name),
                summary=scrub(hit.summary),
                by=list(hit.by),
                by_names=[scrub(orgs[b].name) if b in orgs else b for b in hit.by],
                released=hit.released,
                license=hit.license,
                license_category=hit.license_category,
                openness=hit.openness,
                link=main_link(hit.kind, data),
                figures=figures,
                enrichment=enrichment,
                data=data,
            )
        )
        if hit.data.get("code_license") or hit.data.get("data_license"):
            if licences is None:
                from openai_catalog.registry import load_licenses

                licences = load_licenses(root)[0]
            records[-1].component_categories = component_categories(licences, hit.data)
    return records


def component_categories(licences: Any, data: dict[str, Any]) -> dict[str, str]:
    """The categories of a model's code and data licences, for exports."""
    from openai_catalog.licenses import LicenseError

    out = {}
    for name in ("code_license", "data_license"):
        if data.get(name):
            try:
                out[name] = str(licences.resolve(data[name]).category)
            except LicenseError:
                out[name] = "unknown"
    return out


# --- columns and groups -------------------------------------------------------------------------


def parse_columns(text: str | None, default: Sequence[str]) -> list[str]:
    """`name,license,downloads` -> column names; unknown names are a usage error."""
    if not text:
        return list(default)
    names = []
    for raw in text.split(","):
        name = raw.strip().lower().replace("-", "_")
        if not name:
            continue
        name = COLUMN_ALIASES.get(name, name)
        if name not in COLUMNS:
            raise UsageError(
                f"--columns: unknown column {raw.strip()!r}",
                did_you_mean(name, COLUMNS) or f"columns: {', '.join(COLUMNS)}",
            )
        if name not in names:
            names.append(name)
    if not names:
        raise UsageError("--columns names no column", "for example --columns name,license,summary")
    return names


def group(records: Iterable[Record], by: str | None, orgs: dict[str, Community]) -> list[Group]:
    """Sections in a reader's order; entries keep the order they came in within each.

    kind: models first; org: by community name, an entry under each of its makers; year: newest
    first; license: by licence category, freest first.
    """
    from openai_catalog.licenses import CATEGORIES, CATEGORY_LABELS

    records = list(records)
    if by is None:
        return [Group("", None, records)]
    buckets: dict[str, list[Record]] = {}
    for record in records:
        if by == "kind":
            keys = [record.kind]
        elif by == "org":  # a community with no maker of its own heads its own section
            keys = record.by or [record.id if record.kind == "community" else ""]
        elif by == "year":
            keys = [record.year or ""]
        else:  # compute programs and communities carry no licence: their own section
            keys = [record.license_category or NO_LICENCE]
        for key in keys:
            buckets.setdefault(key, []).append(record)

    def title(key: str) -> str:
        if by == "kind":
            return KIND_TITLES[key]
        if by == "org":
            return orgs[key].name if key in orgs else (key or NO_ORG)
        if by == "year":
            return key or NO_YEAR
        if key == NO_LICENCE:
            return "No licence (compute programs, communities)"
        label = CATEGORY_LABELS.get(key, key)
        return label[:1].upper() + label[1:]

    kind_order = list(KIND_TITLES)

    def order(key: str) -> tuple[Any, ...]:
        if by == "kind":
            return (kind_order.index(key),)
        if by == "org":
            return (key == "", title(key).casefold(), key)
        if by == "year":
            return (key == "", -int(key) if key else 0)
        return (CATEGORIES.index(key) if key in CATEGORIES else len(CATEGORIES), key)

    return [Group(key, title(key), buckets[key]) for key in sorted(buckets, key=order)]


def figures_note(records: Sequence[Record], columns: Sequence[str]) -> str | None:
    """Where the figures of `columns` come from and when they were fetched; None for no figures."""
    parts = []
    hub_shown = [c for c in ("downloads", "likes") if c in columns]
    if hub_shown:
        dates = sorted({r.figures.hub_fetched_at[:10] for r in records if r.figures.hub_fetched_at})
        what = " and ".join(hub_shown)
        if "downloads" in hub_shown:
            what = what.replace("downloads", "downloads (over the 30 days before fetching)")
        parts.append(f"{what} from the Hugging Face Hub{_fetched(dates)}")
    if "stars" in columns:
        dates = sorted(
            {r.figures.github_fetched_at[:10] for r in records if r.figures.github_fetched_at}
        )
        parts.append(f"stars from GitHub{_fetched(dates)}")
    if not parts:
        return None
    sentence = "; ".join(parts)
    return sentence[:1].upper() + sentence[1:] + "."


def _fetched(dates: list[str]) -> str:
    if not dates:
        return ", not fetched yet"
    return f", fetched {dates[0]}" if len(dates) == 1 else f", fetched {dates[0]} to {dates[-1]}"
