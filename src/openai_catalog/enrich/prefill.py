"""`catalog add --from-hub REPO` and `catalog add tool --from-github OWNER/REPO`: what a Hub repo
or a GitHub repository says, as field values of a new entry.

One call through the enrichment clients (their timeouts, retries, rate-limit handling and token
redaction included), then a mapping to the catalogue's vocabulary, written for what real cards
say (tests/fixtures/hub holds recorded ones):
- the licence through the licence table: `license: other` by its `license_name` or
  `license_link`; several licences become an AND expression, with a notice to check it;
- `datasets:` as `trained_on` and `base_model` (a string or a list) as `based_on`, matched to
  catalogued entries by Hub id (an entry's own or one of its variants'), case-insensitively, and
  through renames (an entry's aliases, and
  the canonical ids without owner that the Hub later moved under an organisation); what does not
  match is listed to the contributor, never dropped silently. The kind of derivation
  (`base_model_relation`, the Hub's `base_model:<relation>:` tags, or `library_name: peft` for an
  adapter) is kept as a tag;
- the release date the card's text states ("Model Release Date: July 23, 2024"), with the card
  line as evidence; else the creation date, except the date the Hub gave every repository moved
  before March 2022 (2022-03-02) and a creation date later than the month of the card's paper
  (a repository created after the release), which say nothing about the release: then nothing
  is written, and the paper's month (when the card cites exactly one paper) is only offered as
  the answer to the question, so that `--yes` never writes an inferred date;
- a single `arxiv:` tag as `paper`; card languages as a dataset's `languages`; the pipeline tag
  as modalities and a tag.
Only what the source states is returned; a licence or a release date read on the card comes with
evidence quoting the card's own line at the revision read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from openai_catalog.errors import CatalogError

# Every pipeline tag of the Hub (huggingface.js packages/tasks/src/pipelines.ts, recorded in
# tests/fixtures/hub/pipeline-tags.json), as the modalities it involves; an empty list where
# the tag names no modality of the catalogue (reinforcement learning, robotics, any-to-any).
PIPELINE_MODALITIES: dict[str, list[str]] = {
    "text-classification": ["text"],
    "token-classification": ["text"],
    "table-question-answering": ["tabular", "text"],
    "question-answering": ["text"],
    "zero-shot-classification": ["text"],
    "translation": ["text"],
    "summarization": ["text"],
    "feature-extraction": ["text"],
    "text-generation": ["text"],
    "fill-mask": ["text"],
    "sentence-similarity": ["text"],
    "text-to-speech": ["text", "speech"],
    "text-to-audio": ["text", "audio"],
    "automatic-speech-recognition": ["speech", "text"],
    "audio-to-audio": ["audio"],
    "audio-classification": ["audio"],
    "audio-text-to-text": ["audio", "text"],
    "voice-activity-detection": ["speech"],
    "depth-estimation": ["image"],
    "image-classification": ["image"],
    "object-detection": ["image"],
    "image-segmentation": ["image"],
    "text-to-image": ["text", "image"],
    "image-to-text": ["image", "text"],
    "image-to-image": ["image"],
    "image-to-video": ["image", "video"],
    "unconditional-image-generation": ["image"],
    "video-classification": ["video"],
    "reinforcement-learning": [],
    "robotics": [],
    "tabular-classification": ["tabular"],
    "tabular-regression": ["tabular"],
    "tabular-to-text": ["tabular", "text"],
    "table-to-text": ["tabular", "text"],
    "multiple-choice": ["text"],
    "text-ranking": ["text"],
    "text-retrieval": ["text"],
    "time-series-forecasting": ["time-series"],
    "text-to-video": ["text", "video"],
    "image-text-to-text": ["image", "text"],
    "image-text-to-image": ["image", "text"],
    "image-text-to-video": ["image", "text", "video"],
    "visual-question-answering": ["image", "text"],
    "document-question-answering": ["image", "text"],
    "zero-shot-image-classification": ["image", "text"],
    "graph-ml": ["graph"],
    "mask-generation": ["image"],
    "zero-shot-object-detection": ["image", "text"],
    "text-to-3d": ["text", "3d"],
    "image-to-3d": ["image", "3d"],
    "image-feature-extraction": ["image"],
    "video-text-to-text": ["video", "text"],
    "keypoint-detection": ["image"],
    "visual-document-retrieval": ["image", "text"],
    "any-to-any": [],
    "video-to-video": ["video"],
    "other": [],
}
# Tags the Hub no longer lists but older cards still carry.
LEGACY_PIPELINE_MODALITIES: dict[str, list[str]] = {
    "text2text-generation": ["text"],
    "conversational": ["text"],
}
HUB_PAGES = {"model": "", "dataset": "datasets/", "tool": "spaces/", "compute": "spaces/"}
# The creation date the Hub gave every repository that existed before it recorded one.
MIGRATION_DATE = "2022-03-02"
# `base_model_relation` values, as the tag that keeps them on the entry.
RELATION_TAGS = {
    "finetune": "fine-tune",
    "adapter": "adapter",
    "merge": "merge",
    "quantized": "quantized",
}
_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")
_LANGUAGE = re.compile(r"^([a-z]{2,3}(-[A-Za-z0-9]+)?|multilingual|code)$")
_TAG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class HubPrefillFailed(CatalogError):
    """The Hub did not describe the repo: gone, gated, unreachable."""


class GithubPrefillFailed(CatalogError):
    """GitHub did not describe the repository: gone, private, unreachable."""


@dataclass
class Prefilled:
    """What a source says of a new entry: field values, evidence for some of them, notes for
    the contributor (what did not map, what to check) and suggestions to confirm."""

    values: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # Inferred, not stated: offered as the default answer of a question, never written unasked.
    suggestions: dict[str, str] = field(default_factory=dict)


def hub_values(
    kind: str, repo_id: str, catalog: Any, fields: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Field values for a new `kind` entry from the Hub repo `repo_id` (fetched unless given)."""
    return hub_prefill(kind, repo_id, catalog, fields).values


def hub_prefill(
    kind: str, repo_id: str, catalog: Any, fields: dict[str, Any] | None = None
) -> Prefilled:
    """Values, evidence and notes for a new `kind` entry from the Hub repo `repo_id`."""
    if kind == "community":
        raise HubPrefillFailed(
            "--from-hub fills models, datasets, tools and compute programs",
            "for a community, give --hub ORG and the other fields",
        )
    if fields is None:
        fields = fetch(kind, repo_id)
    out = Prefilled()
    raw_card = fields.get("card")
    card: dict[str, Any] = raw_card if isinstance(raw_card, dict) else {}
    tags = [t for t in fields.get("tags") or [] if isinstance(t, str)]
    resolved = str(fields.get("resolved_id") or repo_id)
    owner, _, name = resolved.rpartition("/")
    page = f"https://huggingface.co/{HUB_PAGES[kind]}{resolved}"
    sha = fields.get("sha")
    blob = f"{page}/blob/{sha}/README.md" if isinstance(sha, str) and sha else None
    values = out.values
    values.update({"name": name, "hub": resolved, "url": page, "sources": [page]})
    if resolved.lower() != repo_id.lower():
        out.notes.append(f"{repo_id} is now {resolved} on the Hub; the entry uses the new id")
    _licence(out, card, fields, catalog, page, blob)
    _released(out, fields, tags, blob)
    papers = list(dict.fromkeys(t.removeprefix("arxiv:") for t in tags if t.startswith("arxiv:")))
    if len(papers) == 1:
        # The card's only arXiv link is most often its paper, but may be a citation (Llama 3.1's
        # is a study of training emissions): written, and named so that it gets a look.
        values["paper"] = papers[0]
        out.notes.append(
            f"paper is the card's only arXiv link ({papers[0]}): check that it "
            "describes this release"
        )
    elif papers:
        out.notes.append(
            f"the card cites {len(papers)} papers ({', '.join(papers)}): give "
            "--paper with the one that describes this release"
        )
    pipeline = fields.get("pipeline_tag")
    if isinstance(pipeline, str):
        table = {**LEGACY_PIPELINE_MODALITIES, **PIPELINE_MODALITIES}
        if pipeline in table:
            values["modalities"] = list(table[pipeline])
        if _TAG.match(pipeline) and len(pipeline) <= 40:
            values["tags"] = [pipeline]
    if kind == "dataset":
        languages = [x for x in _strings(card.get("language")) if _LANGUAGE.match(x)]
        if languages:
            values["languages"] = list(dict.fromkeys(languages))
    if kind == "model" and isinstance(fields.get("parameters"), int):
        values["parameters"] = fields["parameters"]
    gated = fields.get("gated")
    if gated is not None and kind in ("model", "dataset"):
        values["weights" if kind == "model" else "access"] = (
            "gated" if gated in ("auto", "manual") else "open"
        )
    by_hub = {str(e.hub).lower(): e.id for e in catalog.entries("community") if e.hub}
    if owner and owner.lower() in by_hub:
        values["by"] = [by_hub[owner.lower()]]
    if kind == "model":
        _relations(out, card, fields, tags, catalog)
    out.values = {k: v for k, v in values.items() if v not in (None, [], "")}
    return out


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str) and v]
    return []


def _licence(
    out: Prefilled,
    card: dict[str, Any],
    fields: dict[str, Any],
    catalog: Any,
    page: str,
    blob: str | None,
) -> None:
    """The card's licence through the licence table, with the card line that states it."""
    table = catalog.licenses
    declared = _strings(card.get("license")) or _strings(fields.get("license"))
    if not declared:
        return
    if len(declared) > 1:
        found = [table.get(d) for d in declared]
        missing = [d for d, lic in zip(declared, found, strict=True) if lic is None]
        if missing:
            out.notes.append(
                f"the card lists licences {', '.join(declared)}; "
                f"{', '.join(missing)} is not in the licence table: give --license"
            )
            return
        ids = list(dict.fromkeys(lic.id for lic in found if lic is not None))
        out.values["license"] = " AND ".join(ids)
        out.notes.append(
            f"the card lists several licences ({', '.join(declared)}); written as "
            f"{out.values['license']}: check which part each covers, and use OR if "
            "the card offers a choice"
        )
        return
    text = declared[0]
    if text.lower() != "other":
        lic = table.get(text)
        if lic is None:
            out.notes.append(
                f"the card's licence {text!r} is not in the licence table: give "
                "--license, or add it to catalog/licenses.yaml"
            )
            return
        out.values["license"] = lic.id
        if isinstance(card.get("license"), str):  # a list is written over several lines
            _quote(out, "license", blob, f"license: {text}")
        return
    name = card.get("license_name") if isinstance(card.get("license_name"), str) else None
    link = card.get("license_link") if isinstance(card.get("license_link"), str) else None
    lic = table.get(name) if name else None
    if lic is not None:
        out.values["license"] = lic.id
        _quote(out, "license", blob, f"license_name: {name}")
        return
    if link:
        absolute = link if link.startswith("https://") else f"{page}/blob/main/{link.lstrip('./')}"
        for candidate in table.licenses.values():
            if candidate.url and _same_page(candidate.url, absolute):
                out.values["license"] = candidate.id
                _quote(out, "license", blob, f"license_link: {link}")
                return
    said = ", ".join(f"{k} {v}" for k, v in (("license_name", name), ("license_link", link)) if v)
    out.notes.append(
        f"the card says `license: other`{f' ({said})' if said else ''}, which the "
        "licence table does not know: give --license, or add the licence to "
        "catalog/licenses.yaml with its own page as source"
    )


def _same_page(a: str, b: str) -> bool:
    def key(url: str) -> str:
        return re.sub(r"/(blob|resolve|raw)/[^/]+/", "/", url.lower().split("?")[0]).rstrip("/")

    return key(a) == key(b)


def _quote(out: Prefilled, name: str, blob: str | None, line: str) -> None:
    """Evidence for `name`: a front-matter line of the card at the revision read, when the value
    is a plain word that YAML writes unquoted (so that the line is literally on the card)."""
    value = line.partition(": ")[2]
    if blob and _PLAIN.match(value):
        out.evidence.setdefault(name, []).append({"source": blob, "quote": line})


def _released(out: Prefilled, fields: dict[str, Any], tags: list[str], blob: str | None) -> None:
    """The release date: the one the card's text states (with the card line as evidence), else
    the Hub's creation date, unless that is the migration date or later than the month of the
    card's paper (a repository created after the release: then the paper's month is offered)."""
    created = fields.get("created_at")
    created = created[:10] if isinstance(created, str) and len(created) >= 10 else None
    text = fields.get("card_text")
    stated = _stated_dates(text) if isinstance(text, str) else []
    if stated:
        day, line = stated[0]
        if len({d for d, _ in stated}) > 1 or blob is None:
            # Several dates, or no revision to quote: a value to confirm, never written unasked.
            out.suggestions["released"] = day
            said = "; ".join(dict.fromkeys(f'"{q}"' for _, q in stated))
            out.notes.append(
                f"the card states {said}: give --released (in a terminal, {day} is offered)"
            )
            return
        out.values["released"] = day
        out.evidence.setdefault("released", []).append({"source": blob, "quote": line})
        if created and created != day:
            out.notes.append(
                f'released is the date the card states ("{line}"), not the day the Hub '
                f"created the repository ({created})"
            )
        return
    if created is None:
        return
    papers = list(dict.fromkeys(t.removeprefix("arxiv:") for t in tags if t.startswith("arxiv:")))
    month = re.match(r"^(\d{2})(\d{2})\.\d{4,5}$", papers[0]) if len(papers) == 1 else None
    paper = (
        f"20{month.group(1)}-{month.group(2)}" if month and 1 <= int(month.group(2)) <= 12 else None
    )
    if created == MIGRATION_DATE:
        if paper:
            out.suggestions["released"] = paper
            out.notes.append(
                f"the Hub dates this repository {MIGRATION_DATE}, the day it recorded "
                f"every older repository, which is not its release; its paper (arXiv "
                f"{papers[0]}) dates from {paper}: give --released (in a terminal, that "
                "month is offered)"
            )
            return
        out.notes.append(
            f"the Hub dates this repository {MIGRATION_DATE}, the day it recorded every "
            "older repository, which is not its release: give --released"
        )
        return
    if paper and paper < created[:7]:
        out.suggestions["released"] = paper
        out.notes.append(
            f"the Hub created this repository on {created}, after the month of the card's "
            f"paper (arXiv {papers[0]}, {paper}), so the release may be older than the "
            f"repository: give --released (in a terminal, {paper} is offered)"
        )
        return
    out.values["released"] = created


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
# A line of a card that states the release: "Model Release Date: July 23, 2024",
# "**Release date** 2024-04-18", "first released ... on May 3rd 2022".
_RELEASE_LINE = re.compile(r"release\s+date|released\b.*\bon\b", re.IGNORECASE)
_DATE_WORDS = re.compile(
    r"\b(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{2})\b"
    r"|\b(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month2>[A-Za-z]{3,9})\.?,?\s+(?P<year2>(?:19|20)\d{2})\b"
    r"|\b(?P<iso>(?:19|20)\d{2}-\d{2}-\d{2})\b"
)


def _stated_dates(text: str) -> list[tuple[str, str]]:
    """(YYYY-MM-DD, the line as a reader sees it) for each line of a card's text that states a
    release date, outside code blocks and before anything past the first 2,000 lines."""
    found: list[tuple[str, str]] = []
    fenced = False
    for raw in text.splitlines()[:2000]:
        if raw.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced or not _RELEASE_LINE.search(raw):
            continue
        line = re.sub(r"[*_`]+", "", raw).strip().lstrip("#>-| ").rstrip("| ").strip()
        match = _DATE_WORDS.search(line)
        if match is None:
            continue
        if match.group("iso"):
            day = match.group("iso")
        else:
            month = _MONTHS.get((match.group("month") or match.group("month2")).lower())
            if month is None:
                continue
            number = int(match.group("day") or match.group("day2"))
            year = int(match.group("year") or match.group("year2"))
            day = f"{year:04d}-{month:02d}-{number:02d}"
        try:
            dt.date.fromisoformat(day)
        except ValueError:
            continue
        found.append((day, line))
    return found


def _relations(
    out: Prefilled, card: dict[str, Any], fields: dict[str, Any], tags: list[str], catalog: Any
) -> None:
    """`datasets:` as trained_on and base models as based_on, the derivation kind as a tag."""
    datasets = _strings(card.get("datasets")) or [
        t.removeprefix("dataset:") for t in tags if t.startswith("dataset:")
    ]
    matched, unmatched = _match(datasets, catalog.entries("dataset"))
    if matched:
        out.values["trained_on"] = matched
    if unmatched:
        out.notes.append(
            f"the card's datasets {', '.join(unmatched)} are not in the catalogue: "
            "add them first to link them as trained_on, or leave them out"
        )
    relation_tags = [
        t.split(":", 2) for t in tags if t.count(":") == 2 and t.startswith("base_model:")
    ]
    bases = (
        _strings(card.get("base_model"))
        or list(fields.get("base_models") or [])
        or [t[2] for t in relation_tags]
    )
    matched, unmatched = _match(bases, catalog.entries("model"))
    if matched:
        out.values["based_on"] = matched
    if unmatched:
        out.notes.append(
            f"the base model{'s' * (len(unmatched) > 1)} {', '.join(unmatched)} "
            f"{'are' if len(unmatched) > 1 else 'is'} not in the catalogue: add "
            f"{'them' if len(unmatched) > 1 else 'it'} first to link as based_on"
        )
    relation = card.get("base_model_relation")
    kinds = [relation] if isinstance(relation, str) else [t[1] for t in relation_tags]
    if not kinds and card.get("library_name") == "peft":
        # What the Hub infers for a PEFT repo (hub-docs model-cards.md), when its answer does
        # not say it in a `base_model:adapter:` tag.
        kinds = ["adapter"]
    relation_tags_found = [RELATION_TAGS[k] for k in dict.fromkeys(kinds) if k in RELATION_TAGS]
    if relation_tags_found and bases:
        out.values["tags"] = [*out.values.get("tags", []), *relation_tags_found]


def _match(ids: Iterable[str], entries: Iterable[Any]) -> tuple[list[str], list[str]]:
    """Catalogue ids for Hub ids, by the entries' `hub` (case-insensitive), their aliases, and the
    repo name for ids without an owner (canonical ids the Hub moved under an organisation) or
    with the entry's owner (a repo renamed within its organisation)."""
    exact: dict[str, str] = {}
    by_name: dict[str, list[tuple[str, str]]] = {}
    for entry in entries:
        # a release's variants are its checkpoints: a card based on one is based on the release
        repos = [
            (repo, aliases)
            for repo, aliases in (
                (entry.hub, entry.aliases),
                *((v.hub, v.aliases) for v in getattr(entry, "variants", ())),
            )
            if repo
        ]
        for repo, aliases in repos:
            exact.setdefault(repo.lower(), entry.id)
            owner, _, name = repo.lower().rpartition("/")
            by_name.setdefault(name, []).append((owner, entry.id))
            for alias in aliases:
                exact.setdefault(alias.lower(), entry.id)
                by_name.setdefault(alias.lower().rpartition("/")[2], []).append((owner, entry.id))
    matched: list[str] = []
    unmatched: list[str] = []
    for raw in dict.fromkeys(ids):
        key = raw.strip().lower()
        owner, _, name = key.rpartition("/")
        found = exact.get(key)
        if found is None:
            candidates = {eid for o, eid in by_name.get(name, []) if not owner or o == owner}
            found = candidates.pop() if len(candidates) == 1 else None
        if found is None:
            unmatched.append(raw)
        elif found not in matched:
            matched.append(found)
    return matched, unmatched


def fetch(kind: str, repo_id: str) -> dict[str, Any]:
    """One Hub call for `repo_id`, card included, under the enrichment policy; HubPrefillFailed if
    it fails."""
    from openai_catalog.enrich.hub import HubClient
    from openai_catalog.enrich.policy import FetchError, Gate, Settings

    settings = Settings(concurrency=1, max_wait=30.0)
    try:
        with HubClient(settings, Gate("Hub", 1, settings.max_wait)) as hub:
            return hub.fetch(kind, repo_id, card=True)
    except FetchError as exc:
        hints = {
            "not_found": "check the repo id, e.g. EleutherAI/gpt-j-6b (case matters)",
            "gated": "the repo is gated: set HF_TOKEN to a token that has access, or give "
            "the fields as flags",
        }
        raise HubPrefillFailed(
            f"the Hub could not describe {repo_id}: {exc.message}",
            hints.get(exc.kind, "give the fields as flags instead"),
        ) from None


# --- GitHub -------------------------------------------------------------------------------------


def github_prefill(repo: str, catalog: Any, fields: dict[str, Any] | None = None) -> Prefilled:
    """Values and notes for a new tool from the GitHub repository `repo` (fetched unless given):
    its name, page, SPDX licence, topics as tags, `github`, and `by` when the owner is the GitHub
    organisation of a catalogued community."""
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]+$", repo):
        raise GithubPrefillFailed(
            f"--from-github {repo!r} is not OWNER/REPO",
            "e.g. --from-github huggingface/transformers",
        )
    if fields is None:
        fields = fetch_github(repo)
    out = Prefilled()
    resolved = str(fields.get("resolved") or repo)
    owner, _, name = resolved.partition("/")
    page = f"https://github.com/{resolved}"
    out.values.update({"name": name, "github": resolved, "url": page, "sources": [page]})
    if resolved.lower() != repo.lower():
        out.notes.append(f"{repo} is now {resolved} on GitHub; the entry uses the new name")
    spdx = fields.get("license")
    if isinstance(spdx, str) and spdx not in ("NOASSERTION", "other"):
        lic = catalog.licenses.get(spdx)
        if lic is not None:
            out.values["license"] = lic.id
        else:
            out.notes.append(
                f"GitHub reports the licence {spdx}, which the licence table does "
                "not know: give --license"
            )
    elif spdx is not None:
        out.notes.append("GitHub could not identify the repository's licence: give --license")
    topics = [t for t in fields.get("topics") or [] if _TAG.match(t) and len(t) <= 40]
    if topics:
        out.values["tags"] = topics
    # A community's GitHub organisation: the owner of its `github`, else its Hub organisation's
    # name, which organisations keep the same on both (EleutherAI, huggingface, google).
    orgs: dict[str, set[str]] = {}
    named: dict[str, set[str]] = {}
    for entry in catalog.entries("community"):
        if entry.github:
            orgs.setdefault(entry.github.partition("/")[0].lower(), set()).add(entry.id)
        if entry.hub:
            named.setdefault(entry.hub.lower(), set()).add(entry.id)
    makers = orgs.get(owner.lower()) or named.get(owner.lower(), set())
    if len(makers) == 1:
        out.values["by"] = sorted(makers)
    elif makers:
        out.notes.append(
            f"the GitHub owner {owner} stands for several communities "
            f"({', '.join(sorted(makers))}): give --by"
        )
    if fields.get("archived"):
        out.notes.append(f"{resolved} is archived on GitHub: consider --status deprecated")
    return out


def fetch_github(repo: str) -> dict[str, Any]:
    """One GitHub call for `repo`, under the enrichment policy; GithubPrefillFailed if it fails."""
    from openai_catalog.enrich.github import GithubClient
    from openai_catalog.enrich.policy import FetchError, Gate, Settings

    settings = Settings(concurrency=1, max_wait=30.0)
    try:
        with GithubClient(settings, Gate("GitHub", 1, settings.max_wait)) as github:
            return github.fetch(repo)
    except FetchError as exc:
        hints = {
            "not_found": "check OWNER/REPO, e.g. huggingface/transformers",
            "rate_limited": "set GITHUB_TOKEN for 5,000 calls an hour, or wait",
        }
        raise GithubPrefillFailed(
            f"GitHub could not describe {repo}: {exc.message}",
            hints.get(exc.kind, "give the fields as flags instead"),
        ) from None
