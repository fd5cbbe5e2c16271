"""Evidence: which primary page backs which fact, checked entry by entry.

An entry's `evidence:` maps a field to the pages that state its value, each with the words copied
from it. Five rules read it (their documentation is in rules.py):

- CAT090: a key fact without evidence. The key facts are the ones readers decide by: what they
  may do with it (licence, weights, access), when it came out, how big it is (a release with
  `variants` on open or gated weights: every variant's count, backed by `evidence: variants:`,
  whose quotes back the entry's own count, the largest, too); for a compute
  programme what it offers, to whom, and whether it takes applications; for a community where it
  is. A fact the entry does not state needs nothing.
- CAT091: evidence for a field the kind does not have, or that the entry leaves empty.
- CAT092: a source, in `sources` or `evidence`, on a domain of catalog/source-denylist.yaml.
- CAT093: a Hugging Face page under an account that is not the entry's own. Copies of a card
  under other accounts (quantisations, re-uploads) drift from the original and are not the
  maker's word. Allowed are the account of the entry's `hub` repository or of its `url` when
  that is a Hub page, the `hub` accounts of its `by` communities, and Hugging Face's own
  documentation, blog and papers pages.
- CAT095: a GitHub or Hub address with an empty path segment (`blob//README.md`): the revision
  was left out, so the page does not exist.

The online half, whether each quote still stands on its page, is in checks/quotes.py.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from openai_catalog import rules
from openai_catalog._util import did_you_mean
from openai_catalog.checks.wording import wording_findings
from openai_catalog.rules import Finding
from openai_catalog.schema import evidence_keys

if TYPE_CHECKING:
    from openai_catalog.registry import Catalog, Record
    from openai_catalog.schema import AnyEntry

DENYLIST_FILE = "source-denylist.yaml"

# Per kind, the fields whose values need evidence whenever the entry states them.
KEY_FACTS: dict[str, tuple[str, ...]] = {
    "model": ("license", "released", "weights", "parameters"),
    "dataset": ("license", "released", "access"),
    "tool": ("license",),
    "compute": ("offers", "eligibility", "applications"),
    "community": ("url",),
}

HUB_HOSTS = frozenset({"huggingface.co", "www.huggingface.co", "hf.co"})
# First path segments of huggingface.co that are Hugging Face's own pages, not an account's.
HUB_OWN_PAGES = frozenset(
    {
        "docs",
        "blog",
        "papers",
        "learn",
        "posts",
        "changelog",
        "pricing",
        "terms-of-service",
        "privacy",
        "code-of-conduct",
        "content-guidelines",
        "enterprise",
        "hub",
        "tasks",
        "transformers",
    }
)  # the library's documentation before /docs (v4.0)
_HUB_TYPED = frozenset({"datasets", "spaces", "collections"})


# --- the denylist ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Denied:
    """One never-acceptable domain: `pattern` is a host (`aiwiki.ai`, matching its subdomains
    too), a glob (`hf-mirror.*`) or a host with a path prefix (`together.ai/models`)."""

    pattern: str
    reason: str

    def matches(self, host: str, path: str) -> bool:
        domain, _, prefix = self.pattern.lower().partition("/")
        if prefix and not (path.lower().lstrip("/") + "/").startswith(prefix.rstrip("/") + "/"):
            return False
        if "*" in domain or "?" in domain:
            return fnmatch.fnmatchcase(host, domain) or fnmatch.fnmatchcase(host, "*." + domain)
        return host == domain or host.endswith("." + domain)


@dataclass(frozen=True)
class Denylist:
    domains: tuple[Denied, ...] = ()

    def find(self, url: str) -> Denied | None:
        """The denylist item that `url` falls under, if any."""
        split = urlsplit(url)
        host = (split.hostname or "").rstrip(".").lower()
        return next((d for d in self.domains if d.matches(host, split.path)), None)


def load_denylist(root: Path) -> tuple[Denylist, list[Finding]]:
    """catalog/source-denylist.yaml with its problems; a catalogue without one denies nothing."""
    from openai_catalog import _yaml
    from openai_catalog.locate import display_path

    path = root / DENYLIST_FILE
    if not path.is_file():
        return Denylist(), []
    display = display_path(path)
    doc = _yaml.parse_bytes(path.read_bytes(), display)
    if doc.findings:
        return Denylist(), list(doc.findings)
    data = doc.data
    items = data.get("domains") if isinstance(data, dict) else None
    if not isinstance(items, list) or set(data) != {"domains"}:
        return Denylist(), [
            rules.DenylistInvalid.at(
                display,
                *doc.position(()),
                "the file holds `domains:` and nothing else",
                "write `domains:` then one `- domain:` item each",
            )
        ]
    found: list[Denied] = []
    problems: list[Finding] = []
    for i, item in enumerate(items):
        where = doc.position(("domains", i))
        if (
            not isinstance(item, dict)
            or set(item) != {"domain", "reason"}
            or not all(isinstance(item[k], str) and item[k].strip() for k in ("domain", "reason"))
        ):
            problems.append(
                rules.DenylistInvalid.at(
                    display,
                    *where,
                    f"item {i + 1} is not a `domain` with a `reason`",
                    "write `- domain: example.org` and, below it, `reason: <one line: why never>`",
                )
            )
            continue
        pattern = item["domain"].strip().lower()
        if "://" in pattern or " " in pattern:
            problems.append(
                rules.DenylistInvalid.at(
                    display,
                    *where,
                    f"{item['domain']!r} is not a domain",
                    "write the host alone, e.g. aiwiki.ai",
                )
            )
            continue
        found.append(Denied(pattern, " ".join(item["reason"].split())))
    return Denylist(tuple(found)), problems


# --- the checks of one entry ----------------------------------------------------------------


def states(entry: AnyEntry, field: str) -> bool:
    """Whether the entry gives a value for `field` (its status always has one)."""
    if field == "status":
        return True
    value = getattr(entry, field, None)
    if field == "relations":
        return any(targets for _, targets in value) if value is not None else False
    return value not in (None, "", [], {})


def needed_facts(kind: str, values: dict[str, Any]) -> list[str]:
    """The key facts that need evidence among the field `values` of an entry of `kind`."""
    facts = []
    for field in KEY_FACTS.get(kind, ()):
        value = values.get(field)
        if value in (None, "", [], {}):
            continue
        if field == "parameters" and values.get("weights") != "open":
            continue
        if field == "license" and str(value).strip().lower() == "unknown":
            continue  # nothing to back: CAT041 asks for the licence itself
        facts.append(field)
    return facts


def key_facts(entry: AnyEntry) -> list[str]:
    """The fields of `entry` that need evidence (CAT090)."""
    return needed_facts(
        entry.kind, {field: getattr(entry, field, None) for field in KEY_FACTS.get(entry.kind, ())}
    )


def _has_variants(entry: AnyEntry) -> bool:
    return bool(getattr(entry, "variants", None))


def variant_gaps(entry: AnyEntry) -> list[tuple[tuple[str | int, ...], str, str]]:
    """CAT090 for the variants of a model whose weights are open or gated: each needs its
    parameter count, and the counts need `evidence: variants:` quotes. As (where, message, hint)."""
    if not _has_variants(entry) or getattr(entry, "weights", None) not in ("open", "gated"):
        return []
    gaps: list[tuple[tuple[str | int, ...], str, str]] = []
    variants = entry.variants  # type: ignore[union-attr]
    for i, variant in enumerate(variants):
        if variant.parameters is None:
            gaps.append(
                (
                    ("variants", i),
                    f"variant {variant.name!r} has no parameter count",
                    "add its `parameters:` and a quote that states it under `evidence: variants:`",
                )
            )
    if "variants" not in entry.evidence and any(v.parameters is not None for v in variants):
        gaps.append(
            (
                ("variants",),
                "no evidence for the variants' parameter counts",
                "add `evidence: variants:` with the quotes that list the sizes or the repos",
            )
        )
    return gaps


def primary_pages(entry: AnyEntry) -> list[str]:
    """The entry's own pages that a primary source is most likely among, best first."""
    pages = []
    if entry.hub:
        typed = {"dataset": "datasets/", "tool": "spaces/", "compute": "spaces/"}.get(
            entry.kind, ""
        )
        pages.append(f"https://huggingface.co/{typed}{entry.hub}")
    if entry.github:
        pages.append(f"https://github.com/{entry.github}")
    if entry.paper:
        pages.append(
            f"https://doi.org/{entry.paper}"
            if entry.paper.startswith("10.")
            else f"https://arxiv.org/abs/{entry.paper}"
        )
    if entry.url:
        pages.append(entry.url)
    return list(dict.fromkeys(pages))


def hub_account(url: str) -> str | None:
    """The Hub account a huggingface.co page belongs to; None for Hugging Face's own pages and
    for addresses elsewhere."""
    split = urlsplit(url)
    if (split.hostname or "").lower() not in HUB_HOSTS:
        return None
    parts = [p for p in split.path.split("/") if p]
    if parts and parts[0] == "api":
        parts = parts[1:]
        if parts and parts[0] in ("models", "datasets", "spaces"):
            parts = parts[1:]
    if parts and parts[0] in _HUB_TYPED:
        parts = parts[1:]
    if not parts or parts[0] in HUB_OWN_PAGES or parts[0] in ("models", "organizations"):
        return None
    return parts[0]


def _own_accounts(entry: AnyEntry, catalog: Catalog) -> set[str]:
    accounts = set()
    if entry.hub:
        accounts.add(entry.hub.split("/")[0].lower())
    if entry.url and (home := hub_account(entry.url)):  # a homepage on the Hub is its own
        accounts.add(home.lower())
    for community_id in entry.by:
        community = catalog.get(community_id)
        if community is not None and community.hub:
            accounts.add(community.hub.split("/")[0].lower())
    return accounts


def _places(entry: AnyEntry) -> list[tuple[tuple[str | int, ...], str]]:
    """Every source address of the entry with where it is written."""
    places: list[tuple[tuple[str | int, ...], str]] = [
        (("sources", i), url) for i, url in enumerate(entry.sources)
    ]
    for field, items in entry.evidence.items():
        places.extend(
            (("evidence", field, i, "source"), item.source) for i, item in enumerate(items)
        )
    return places


_REPO_HOSTS = frozenset({"github.com", "huggingface.co", "raw.githubusercontent.com"})


def _empty_segment(url: str) -> bool:
    """A repository page whose path has an empty segment (`blob//README.md`): the revision left
    out. These hosts never serve such a path; on other sites `//` may be part of a real address
    (an archived URL inside another)."""
    parts = urlsplit(url)
    return (parts.hostname or "").lower() in _REPO_HOSTS and "//" in parts.path


def _where(path: tuple[str | int, ...]) -> str:
    if path[0] == "sources":
        return f"sources[{path[1]}]"
    return f"evidence.{path[1]}[{path[2]}]"


def evidence_findings(
    record: Record, entry: AnyEntry, catalog: Catalog, denylist: Denylist
) -> list[Finding]:
    """CAT090 to CAT093 and CAT095 for one entry."""
    out: list[Finding] = []

    def at(rule: type[rules.Rule], path: tuple[str | int, ...], message: str, hint: str) -> None:
        out.append(rule.at(record.display, *record.position(*path), message, hint))

    pages = primary_pages(entry)
    look = (
        f"look for it on {', '.join(pages[:2])}"
        if pages
        else "look for it on the maker's own site, repository or paper"
    )
    for field in key_facts(entry):
        if field == "parameters" and "variants" in entry.evidence and _has_variants(entry):
            continue  # the quotes that list the sizes back the largest one's count too
        if field not in entry.evidence:
            at(
                rules.MissingEvidence,
                (field,),
                f"no evidence for `{field}`",
                f"add `evidence: {field}:` with a `- source:` page and its `quote:` verbatim; {look}",
            )
    for path, message, hint in variant_gaps(entry):
        at(rules.MissingEvidence, path, message, f"{hint}; {look}")
    allowed = evidence_keys(entry.kind)
    for field in entry.evidence:
        if field not in allowed:
            hint = did_you_mean(
                field, allowed
            ) or f"evidence backs fields of a {entry.kind}: " + ", ".join(allowed)
            at(
                rules.EvidenceMismatch,
                ("evidence", field),
                f"evidence for {field!r}, which is not a field of a {entry.kind}",
                hint,
            )
        elif not states(entry, field):
            at(
                rules.EvidenceMismatch,
                ("evidence", field),
                f"evidence for `{field}`, which the entry does not state",
                f"add `{field}:` with the value the quote backs, or remove the evidence",
            )

    own = _own_accounts(entry, catalog)
    for path, url in _places(entry):
        if _empty_segment(url):
            at(
                rules.EmptyRevision,
                path,
                f"{_where(path)} {url} has an empty path segment (`//`): it names no revision",
                "put the commit the page was read at (40 hex digits) between the slashes",
            )
            continue
        denied = denylist.find(url)
        if denied is not None:
            at(
                rules.DeniedSource,
                path,
                f"{_where(path)} {url} is on {denied.pattern}: {denied.reason.split(';')[0]}",
                f"{denied.reason.split(';')[-1].strip()}; {look}",
            )
            continue
        account = hub_account(url)
        if account is not None and account.lower() not in own:
            mine = ", ".join(sorted(own)) or "none recorded"
            hint = (
                f"cite the card under the maker's account: {pages[0]}"
                if entry.hub
                else "cite the maker's own page; if the maker has a Hub account, record it as the "
                "`hub:` of its community entry"
            )
            at(
                rules.ForeignHubPage,
                path,
                f"{_where(path)} {url} is under the Hub account "
                f"{account!r}, not the entry's own ({mine})",
                hint,
            )
    return out


def catalog_evidence_findings(catalog: Catalog, records: list[Any]) -> list[Finding]:
    """The evidence findings of `records` (and CAT094 on their own words, wording.py), with the
    denylist's own problems first."""
    denylist, problems = load_denylist(catalog.root)
    out = list(problems)
    for record in records:
        if record.entry is not None:
            out.extend(evidence_findings(record, record.entry, catalog, denylist))
            out.extend(wording_findings(record, record.entry))
    return out
