"""Validation: the schema check of one entry and the checks that need the whole catalogue.

Every check returns findings and never raises; `validate_catalog` collects them all so that a
contributor sees every problem in one run. Rule ids and their documentation live in rules.py.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openai_catalog import rules
from openai_catalog._util import CONTROL, did_you_mean
from openai_catalog.licenses import LicenseError
from openai_catalog.rules import Finding
from openai_catalog.schema import (
    ENTRY_TYPES,
    KIND_FOLDERS,
    RELATION_TARGET_KINDS,
    SCHEMA_HEADER,
    SLUG_RE,
    SUMMARY_MAX,
    SUMMARY_MIN,
    Relations,
    known_fields,
)

if TYPE_CHECKING:
    from openai_catalog.registry import AnyEntry, Catalog, Record

_NESTED_FIELDS: dict[str, list[str]] = {
    "relations": list(Relations.model_fields),
    "size": ["tokens", "documents", "images", "examples", "hours", "bytes"],
}


def check_schema(record: Record) -> tuple[AnyEntry | None, list[Finding]]:
    """Validate one parsed entry against the schema of its kind."""
    from pydantic import ValidationError

    data = record.data
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in ENTRY_TYPES:  # a list or a mapping is no kind either
        line, col = record.position("kind")
        if kind is None:
            hint = f"add `kind: {record.folder_kind}`" if record.folder_kind else "add `kind: model` (or another kind)"
            return None, [rules.MissingField.at(record.display, line, col, "missing field 'kind'", hint)]
        hint = (did_you_mean(kind, ENTRY_TYPES) if isinstance(kind, str) else None) \
            or f"use one of {', '.join(ENTRY_TYPES)}"
        return None, [rules.UnknownKind.at(record.display, line, col, f"unknown kind {kind!r}", hint)]
    try:
        return ENTRY_TYPES[kind].model_validate(data), []  # type: ignore[return-value]
    except ValidationError as exc:
        return None, [_schema_finding(record, kind, err) for err in exc.errors()]


def _schema_finding(record: Record, kind: str, err: Any) -> Finding:
    loc = tuple(err["loc"])
    line, col = record.position(*loc)
    where = ".".join(str(p) for p in loc)
    kind_of = err["type"]
    if loc == ("sources",) and kind_of in ("missing", "too_short"):
        return rules.NoSources.at(record.display, line, col, "no sources back this entry",
                                  "list under `sources:` the https pages you checked its facts on")
    if kind_of == "extra_forbidden":
        parent = str(loc[-2]) if len(loc) > 1 else None
        choices = _NESTED_FIELDS.get(parent, []) if parent else known_fields(kind)
        other_kinds = [k for k in ENTRY_TYPES if k != kind and loc[-1] in known_fields(k)]
        hint = did_you_mean(str(loc[-1]), choices)
        if hint is None and other_kinds:
            hint = f"{loc[-1]!r} belongs to {' and '.join(other_kinds)} entries, not to a {kind}"
        return rules.UnknownKey.at(record.display, line, col, f"unknown field {where!r}",
                                   hint or "remove it, or see `catalog schema` for the fields")
    if kind_of == "missing":
        return rules.MissingField.at(record.display, line, col, f"missing field {where!r}",
                                     f"add `{loc[-1]}:`")
    if kind_of in ("enum", "literal_error"):
        expected = [e.strip(" '") for e in err.get("ctx", {}).get("expected", "").replace(" or ", ", ").split(",")]
        value = err.get("input")
        hint = did_you_mean(str(value), expected) or f"use one of: {', '.join(expected)}"
        return rules.InvalidChoice.at(record.display, line, col,
                                      f"{where}: {value!r} is not an allowed value", hint)
    message = err["msg"].removeprefix("Value error, ")
    hint = _PATTERN_HINTS.get(str(loc[-1]) if not isinstance(loc[-1], int) else str(loc[-2]))
    if kind_of == "string_pattern_mismatch":
        message = f"{err.get('input')!r} is not a valid value"
    return rules.InvalidValue.at(record.display, line, col, f"{where}: {message}", hint)


_PATTERN_HINTS = {
    "id": "ids are lowercase slugs: letters, digits and single hyphens, e.g. gpt-j-6b",
    "by": "name community ids, e.g. eleutherai",
    "released": "write YYYY, YYYY-MM or YYYY-MM-DD in quotes, e.g. \"2021-06\"",
    "founded": "write YYYY, YYYY-MM or YYYY-MM-DD in quotes",
    "active_from": "write YYYY, YYYY-MM or YYYY-MM-DD in quotes",
    "active_until": "write YYYY, YYYY-MM or YYYY-MM-DD in quotes",
    "url": "write a full https:// address",
    "apply_url": "write a full https:// address",
    "sources": "list full https:// addresses of the pages that back the facts",
    "chat": "write full https:// addresses",
    "hub": "write the Hub repo id as owner/name, e.g. EleutherAI/gpt-j-6b",
    "github": "write owner/repo, e.g. EleutherAI/gpt-neox",
    "paper": "write an arXiv id such as 2101.00027 or a DOI such as 10.1038/s41586-021-03819-2",
    "parameters": "write e.g. 6B, 770M, 1.3e9 or an integer",
    "languages": "use ISO 639 codes such as en or fra, or multilingual, or code",
}

_DATE_FIELDS = ("released", "founded", "active_from", "active_until")
_MULTILINE = frozenset({"description", "status_note"})
_LINE_BREAKS = re.compile(r"[\t\n]")


def check_text(record: Record) -> list[Finding]:
    """Every string of the entry, at any depth, free of control characters (CAT015): checked
    whether or not the entry passed the schema (a URL may fail its pattern for the very character),
    by validate only; an index build needs none of it, and the exports drop such characters."""
    out: list[Finding] = []

    def walk(value: Any, path: tuple[str | int, ...]) -> None:
        if isinstance(value, str):
            found = CONTROL.search(value)
            if found is None and path[0] not in _MULTILINE:
                found = _LINE_BREAKS.search(value)
            if found is not None:
                where = ".".join(str(p) for p in path)
                out.append(rules.ControlCharacter.at(
                    record.display, *record.position(*path),
                    f"{where} holds the control character U+{ord(found.group()):04X} at "
                    f"character {found.start() + 1}", "delete it"
                    + ("; line breaks belong in description" if found.group() in "\t\n" else "")))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, (*path, i))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))

    for key, value in record.data.items():
        walk(value, (key,))
    return out


def _check_date(value: str, today: dt.date) -> str | None:
    parts = [int(p) for p in value.split("-")]
    year, month, day = (parts + [1, 1])[:3]
    if not 1 <= month <= 12:
        return "not-real"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return "not-real"
    if len(parts) == 1 and year > today.year:
        return "future"
    if len(parts) == 2 and (year, month) > (today.year, today.month):
        return "future"
    if len(parts) == 3 and dt.date(year, month, day) > today:
        return "future"
    return None


def check_entry(record: Record, entry: AnyEntry, catalog: Catalog, today: dt.date) -> list[Finding]:
    """Checks of one entry that go beyond its shape: place, licence, dates, graph, style."""
    out: list[Finding] = []
    path = record.display

    def at(rule: type[rules.Rule], field: tuple[str | int, ...], message: str,
           hint: str | None = None) -> None:
        out.append(rule.at(path, *record.position(*field), message, hint))

    if record.doc.first_line.strip() != SCHEMA_HEADER:
        out.append(rules.SchemaHeader.at(path, 1, 1, "the schema line is missing",
                                         f"make the first line `{SCHEMA_HEADER}`"))
    stem = record.path.name.rsplit(".", 1)[0]
    if entry.id != stem:
        at(rules.IdMismatch, ("id",), f"id {entry.id!r} differs from the file name {stem!r}",
           f"rename the file to {entry.id}.yaml or set `id: {stem}`")
    folder_kind = record.folder_kind
    if folder_kind is None:
        out.append(rules.OutsideKindFolder.at(path, 1, 1, "not in a kind folder of the catalogue",
                                              f"move it to catalog/{KIND_FOLDERS[entry.kind]}/"))
    elif folder_kind != entry.kind:
        at(rules.KindFolderMismatch, ("kind",),
           f"kind {entry.kind!r} in the folder {record.path.parent.name}/",
           f"move it to {KIND_FOLDERS[entry.kind]}/ or set `kind: {folder_kind}`")

    if entry.license is not None:
        try:
            resolved = catalog.licenses.resolve(entry.license)
        except LicenseError as exc:
            at(rules.UnknownLicense, ("license",), str(exc),
               exc.hint or "use an id of catalog/licenses.yaml, or add the licence there")
        else:
            if resolved.category == "unknown":
                at(rules.LicenseUnknownValue, ("license",), f"the licence is unknown ({resolved.text})",
                   "find the licence on the model card, repository or site, and cite it in sources")

    for name in _DATE_FIELDS:
        value = getattr(entry, name, None)
        if value:
            problem = _check_date(value, today)
            if problem == "not-real":
                at(rules.DateNotReal, (name,), f"{name} {value!r} is not a real date",
                   "check the month and the day")
            elif problem == "future":
                at(rules.DateInFuture, (name,), f"{name} {value!r} is in the future",
                   f"today is {today.isoformat()}; give the date of the first public release")

    summary_len = len(entry.summary)
    if summary_len > SUMMARY_MAX:
        at(rules.SummaryLength, ("summary",), f"summary has {summary_len} characters, over {SUMMARY_MAX}",
           "keep it to one sentence; move the rest to description")
    elif summary_len < SUMMARY_MIN:
        at(rules.SummaryLength, ("summary",), f"summary has {summary_len} characters, under {SUMMARY_MIN}",
           "say in one sentence what it is and why it matters")

    for i, tag in enumerate(entry.tags):
        if not SLUG_RE.match(tag) or len(tag) > 40:
            fixed = "-".join("".join(c if c.isalnum() else " " for c in tag.lower()).split())
            at(rules.TagFormat, ("tags", i), f"tag {tag!r} is not a lowercase slug",
               f"write it as {fixed!r}" if fixed else None)

    for name in ("tags", "modalities", "aliases", "by", "sources"):
        values = getattr(entry, name)
        for i, value in enumerate(values):
            if value in values[:i]:
                at(rules.DuplicateListItem, (name, i), f"{name} lists {value!r} twice", "remove one")

    if entry.status == "superseded" and not entry.superseded_by:
        at(rules.StatusIncomplete, ("status",), "status superseded without superseded_by",
           "name the entry that replaces it in `superseded_by`")
    if entry.status != "active" and not entry.status_note:
        at(rules.StatusIncomplete, ("status",), f"status {entry.status} without status_note",
           "say in `status_note` what happened and when")
    if entry.status == "active" and (entry.superseded_by or entry.status_note):
        field = "superseded_by" if entry.superseded_by else "status_note"
        at(rules.StatusIncomplete, (field,), f"{field} on an active entry",
           "set `status:` to what happened, or remove the field")

    out.extend(_check_references(record, entry, catalog))
    return out


def _check_references(record: Record, entry: AnyEntry, catalog: Catalog) -> list[Finding]:
    out: list[Finding] = []
    ids = catalog.by_id

    def target(field: tuple[str | int, ...], target_id: str, allowed: Iterable[str], label: str) -> None:
        line, col = record.position(*field)
        if target_id == entry.id:
            out.append(rules.SelfReference.at(record.display, line, col,
                                              f"{label} names the entry itself"))
            return
        other = ids.get(target_id)
        if other is None or other.entry is None and other.data.get("kind") is None:
            hint = did_you_mean(target_id, ids) or f"add an entry {target_id!r} first, or fix the id"
            out.append(rules.UnknownTarget.at(record.display, line, col,
                                              f"{label}: no entry has the id {target_id!r}", hint))
            return
        kind = other.entry.kind if other.entry else other.data.get("kind")
        allowed = set(allowed)
        if not isinstance(kind, str) or kind not in allowed:
            out.append(rules.WrongTargetKind.at(
                record.display, line, col, f"{label}: {target_id!r} is a {kind}",
                f"{label} takes {' or '.join(sorted(allowed))} entries"))

    for i, community in enumerate(entry.by):
        target(("by", i), community, {"community"}, "by")
    for name, targets in entry.relations:
        for i, target_id in enumerate(targets):
            target(("relations", name, i), target_id, RELATION_TARGET_KINDS[name], f"relations.{name}")
    if entry.superseded_by:
        target(("superseded_by",), entry.superseded_by, {entry.kind}, "superseded_by")
    return out


def _check_uniqueness(catalog: Catalog) -> list[Finding]:
    out: list[Finding] = []
    keys: list[tuple[type[rules.Rule], str, Any]] = [
        (rules.DuplicateId, "id", lambda r: r.entry.id),
        (rules.DuplicateHubRepo, "hub", lambda r: (r.entry.kind == "community", r.entry.hub.lower())
         if r.entry.hub else None),
        (rules.DuplicateGithubRepo, "github", lambda r: r.entry.github.lower() if r.entry.github else None),
    ]
    for rule, field, key_of in keys:
        seen: dict[Any, list[Record]] = defaultdict(list)
        for record in catalog.records:
            if record.entry is not None and (key := key_of(record)) is not None:
                seen[key].append(record)
        for group in seen.values():
            if len(group) < 2:
                continue
            for record in group:
                others = ", ".join(r.display for r in group if r is not record)
                value = getattr(record.entry, field)
                out.append(rule.at(record.display, *record.position(field),
                                   f"{field} {value!r} is also claimed by {others}",
                                   "keep one entry per " + ("id" if field == "id" else f"{field} repo")))
    return out


def _check_enrichment(catalog: Catalog, records: list[Record], report_file: bool) -> list[Finding]:
    """Drift between the entries and catalog/enrichment.json; an absent snapshot has none."""
    from openai_catalog.drift import drift_findings
    from openai_catalog.enrich.snapshot import read_snapshot, snapshot_path
    from openai_catalog.locate import display_path

    try:
        snapshot = read_snapshot(catalog.root)
    except (OSError, ValueError) as exc:
        if not report_file:
            return []
        return [rules.SnapshotInvalid.at(display_path(snapshot_path(catalog.root)), 1, 1,
                                         f"not a readable enrichment snapshot: {exc}",
                                         "it is generated by `catalog enrich`: restore it from git, "
                                         "or delete it and enrich again")]
    out = drift_findings(records, snapshot, catalog.licenses)
    if report_file and snapshot.problems:
        shown = display_path(snapshot_path(catalog.root))
        for problem in snapshot.problems:
            where = f"entries.{problem.entry_id}.{problem.source}"
            where += f".{problem.field}" if problem.field else ""
            if problem.field not in (None, "fields", "fetched_at", "repo", "error"):
                where = f"entries.{problem.entry_id}.{problem.source}.fields.{problem.field}"
            out.append(rules.SnapshotRecordInvalid.at(
                shown, problem.line, 1, f"{where} {problem.message}; it is ignored",
                "it is generated by `catalog enrich`: restore it from git, or run "
                f"`catalog enrich {problem.entry_id}`"))
    return out


def validate_catalog(catalog: Catalog, only: Iterable[Path] | None = None,
                     today: dt.date | None = None, online: bool = False) -> list[Finding]:
    """Every finding of the catalogue, or of the files in `only` (checked against the whole).

    Drift against the enrichment snapshot is always checked; `online` also asks every `url` and
    `sources` address whether it still answers (see enrich/links.py)."""
    from openai_catalog.enrich.snapshot import snapshot_path

    today = today or dt.date.today()
    wanted = {p.resolve() for p in only} if only is not None else None
    out: list[Finding] = []
    if wanted is None or (catalog.licenses_path and catalog.licenses_path.resolve() in wanted):
        out.extend(catalog.license_findings)
    records = [r for r in catalog.records if wanted is None or r.path.resolve() in wanted]
    for record in records:
        out.extend(record.findings)
        out.extend(check_text(record))
        if record.entry is not None:
            out.extend(check_entry(record, record.entry, catalog, today))
    displays = {r.display for r in records}
    out.extend(f for f in _check_uniqueness(catalog) if f.path in displays)
    report_file = wanted is None or snapshot_path(catalog.root).resolve() in wanted
    out.extend(_check_enrichment(catalog, records, report_file))
    if online:
        from openai_catalog.enrich.links import link_findings

        out.extend(link_findings(records))
    return sorted(out, key=lambda f: (f.path, f.line, f.col, f.rule))
