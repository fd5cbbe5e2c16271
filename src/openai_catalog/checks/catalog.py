"""Validation: the checks of one entry that need the whole catalogue, and validate_catalog, which
runs every check (the schema's, in schema.py, already ran when the entry was loaded).

Every check returns findings and never raises; `validate_catalog` collects them all so that a
contributor sees every problem in one run. Rule ids and their documentation live in rules.py.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openai_catalog import rules
from openai_catalog._util import CONTROL, did_you_mean, human_count
from openai_catalog.kinds import KIND_FOLDERS
from openai_catalog.licenses import LicenseError
from openai_catalog.rules import Finding
from openai_catalog.schema import (
    RELATION_TARGET_KINDS,
    SCHEMA_HEADER,
    SLUG_RE,
    SUMMARY_MAX,
    SUMMARY_MIN,
)

if TYPE_CHECKING:
    from openai_catalog.registry import Catalog, Record
    from openai_catalog.schema import AnyEntry, Model
    from openai_catalog.suppress import Ignored

_DATE_FIELDS = ("released", "founded", "active_from", "active_until", "applications_checked")
# The licence of the entry (a model's weights) and, for models, of its code and data.
LICENCE_FIELDS = ("license", "code_license", "data_license")
# A quote keeps the line breaks of the page it is copied from (the online check normalises them).
_MULTILINE = frozenset({"description", "status_note", "evidence"})
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
                out.append(
                    rules.ControlCharacter.at(
                        record.display,
                        *record.position(*path),
                        f"{where} holds the control character U+{ord(found.group()):04X} at "
                        f"character {found.start() + 1}",
                        "delete it"
                        + (
                            "; line breaks belong in description" if found.group() in "\t\n" else ""
                        ),
                    )
                )
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

    def at(
        rule: type[rules.Rule], field: tuple[str | int, ...], message: str, hint: str | None = None
    ) -> None:
        out.append(rule.at(path, *record.position(*field), message, hint))

    if record.doc.first_line.strip() != SCHEMA_HEADER:
        out.append(
            rules.SchemaHeader.at(
                path, 1, 1, "the schema line is missing", f"make the first line `{SCHEMA_HEADER}`"
            )
        )
    stem = record.path.name.rsplit(".", 1)[0]
    if entry.id != stem:
        at(
            rules.IdMismatch,
            ("id",),
            f"id {entry.id!r} differs from the file name {stem!r}",
            f"rename the file to {entry.id}.yaml or set `id: {stem}`",
        )
    folder_kind = record.folder_kind
    if folder_kind is None:
        out.append(
            rules.OutsideKindFolder.at(
                path,
                1,
                1,
                "not in a kind folder of the catalogue",
                f"move it to catalog/{KIND_FOLDERS[entry.kind]}/",
            )
        )
    elif folder_kind != entry.kind:
        at(
            rules.KindFolderMismatch,
            ("kind",),
            f"kind {entry.kind!r} in the folder {record.path.parent.name}/",
            f"move it to {KIND_FOLDERS[entry.kind]}/ or set `kind: {folder_kind}`",
        )

    for name in LICENCE_FIELDS:
        value = getattr(entry, name, None)
        if value is None:
            continue
        try:
            resolved = catalog.licenses.resolve(value)
        except LicenseError as exc:
            at(
                rules.UnknownLicense,
                (name,),
                f"{name}: {exc}" if name != "license" else str(exc),
                exc.hint or "use an id of catalog/licenses.yaml, or add the licence there",
            )
        else:
            if resolved.category == "unknown":
                what = {
                    "license": "the licence",
                    "code_license": "the code's licence",
                    "data_license": "the data's licence",
                }[name]
                at(
                    rules.LicenseUnknownValue,
                    (name,),
                    f"{what} is unknown ({resolved.text})",
                    "find the licence on the model card, repository or site, and cite it in sources",
                )

    for name in _DATE_FIELDS:
        value = getattr(entry, name, None)
        if value:
            problem = _check_date(value, today)
            if problem == "not-real":
                at(
                    rules.DateNotReal,
                    (name,),
                    f"{name} {value!r} is not a real date",
                    "check the month and the day",
                )
            elif problem == "future":
                at(
                    rules.DateInFuture,
                    (name,),
                    f"{name} {value!r} is in the future",
                    f"today is {today.isoformat()}; give the date of the first public release",
                )

    summary_len = len(entry.summary)
    if summary_len > SUMMARY_MAX:
        at(
            rules.SummaryLength,
            ("summary",),
            f"summary has {summary_len} characters, over {SUMMARY_MAX}",
            "keep it to one sentence; move the rest to description",
        )
    elif summary_len < SUMMARY_MIN:
        at(
            rules.SummaryLength,
            ("summary",),
            f"summary has {summary_len} characters, under {SUMMARY_MIN}",
            "say in one sentence what it is and why it matters",
        )

    for i, tag in enumerate(entry.tags):
        if not SLUG_RE.match(tag) or len(tag) > 40:
            fixed = "-".join("".join(c if c.isalnum() else " " for c in tag.lower()).split())
            at(
                rules.TagFormat,
                ("tags", i),
                f"tag {tag!r} is not a lowercase slug",
                f"write it as {fixed!r}" if fixed else None,
            )

    for name in ("tags", "modalities", "aliases", "by", "sources"):
        values = getattr(entry, name)
        for i, value in enumerate(values):
            if value in values[:i]:
                at(
                    rules.DuplicateListItem,
                    (name, i),
                    f"{name} lists {value!r} twice",
                    "remove one",
                )

    if entry.status == "superseded" and not entry.superseded_by:
        at(
            rules.StatusIncomplete,
            ("status",),
            "status superseded without superseded_by",
            "name the entry that replaces it in `superseded_by`",
        )
    if entry.status != "active" and not entry.status_note:
        at(
            rules.StatusIncomplete,
            ("status",),
            f"status {entry.status} without status_note",
            "say in `status_note` what happened and when",
        )
    if entry.status == "active" and (entry.superseded_by or entry.status_note):
        field = "superseded_by" if entry.superseded_by else "status_note"
        at(
            rules.StatusIncomplete,
            (field,),
            f"{field} on an active entry",
            "set `status:` to what happened, or remove the field",
        )

    if entry.kind == "model" and entry.variants:
        out.extend(_check_variants(record, entry))
    out.extend(_check_references(record, entry, catalog))
    return out


def _check_variants(record: Record, entry: Model) -> list[Finding]:
    """A release lists each checkpoint once (CAT057), and its own count is the largest (CAT058)."""
    out: list[Finding] = []
    seen: dict[tuple[str, str], int] = {}
    for i, variant in enumerate(entry.variants):
        keys = [("name", _folded(variant.name))]
        if variant.hub:
            keys.append(("hub", variant.hub.lower()))
        for field, key in keys:
            first = seen.setdefault((field, key), i)
            if first != i:
                value = getattr(variant, field)
                out.append(
                    rules.DuplicateVariant.at(
                        record.display,
                        *record.position("variants", i, field),
                        f"variants {first + 1} and {i + 1} share the {field} {value!r}",
                        "list each checkpoint once; remove the repeat or fix its "
                        + ("Hub id" if field == "hub" else "name"),
                    )
                )
    counts = [(v.parameters, v.name) for v in entry.variants if v.parameters is not None]
    if counts:
        largest, largest_name = max(counts, key=lambda c: c[0])
        if entry.parameters != largest:
            stated = (
                f"parameters {_count(entry.parameters)}"
                if entry.parameters is not None
                else "no parameters"
            )
            out.append(
                rules.VariantParameters.at(
                    record.display,
                    *record.position("parameters" if entry.parameters is not None else "variants"),
                    f"{stated}, but its largest variant, {largest_name}, has {_count(largest)}",
                    f"set `parameters: {_count(largest)}` (the entry's count is its largest "
                    "variant's), or fix the variant's count",
                )
            )
    return out


def _count(value: int) -> str:
    """A count as written in an entry: 8B when that is exact, else every digit."""
    from openai_catalog.schema import parse_count

    short = human_count(value)
    return short if parse_count(short) == value else str(value)


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def _check_references(record: Record, entry: AnyEntry, catalog: Catalog) -> list[Finding]:
    out: list[Finding] = []
    ids = catalog.by_id

    def target(
        field: tuple[str | int, ...], target_id: str, allowed: Iterable[str], label: str
    ) -> None:
        line, col = record.position(*field)
        if target_id == entry.id:
            out.append(
                rules.SelfReference.at(record.display, line, col, f"{label} names the entry itself")
            )
            return
        other = ids.get(target_id)
        now = catalog.former_ids.get(target_id) if other is None else None
        if now is not None:
            out.append(
                rules.FormerIdReference.at(
                    record.display,
                    line,
                    col,
                    f"{label}: {target_id!r} is now {now!r}",
                    f"write {now}",
                )
            )
            if now == entry.id:
                out.append(
                    rules.SelfReference.at(
                        record.display, line, col, f"{label} names the entry itself"
                    )
                )
                return
            other = ids.get(now)
        if other is None or other.entry is None and other.data.get("kind") is None:
            hint = (
                did_you_mean(target_id, ids) or f"add an entry {target_id!r} first, or fix the id"
            )
            out.append(
                rules.UnknownTarget.at(
                    record.display, line, col, f"{label}: no entry has the id {target_id!r}", hint
                )
            )
            return
        kind = other.entry.kind if other.entry else other.data.get("kind")
        allowed = set(allowed)
        if not isinstance(kind, str) or kind not in allowed:
            out.append(
                rules.WrongTargetKind.at(
                    record.display,
                    line,
                    col,
                    f"{label}: {target_id!r} is a {kind}",
                    f"{label} takes {' or '.join(sorted(allowed))} entries",
                )
            )

    for i, community in enumerate(entry.by):
        target(("by", i), community, {"community"}, "by")
    for name, targets in entry.relations:
        for i, target_id in enumerate(targets):
            target(
                ("relations", name, i), target_id, RELATION_TARGET_KINDS[name], f"relations.{name}"
            )
    if entry.superseded_by:
        target(("superseded_by",), entry.superseded_by, {entry.kind}, "superseded_by")
    return out


def _check_uniqueness(catalog: Catalog, records: list[Record]) -> list[Finding]:
    """DuplicateId, DuplicateHubRepo and DuplicateGithubRepo for `records`: each of their claims
    (registry.claims: the Hub repos of an entry's variants too) that another entry makes too."""
    from openai_catalog.registry import claims

    rules_of: dict[str, type[rules.Rule]] = {
        "id": rules.DuplicateId,
        "hub": rules.DuplicateHubRepo,
        "github": rules.DuplicateGithubRepo,
    }
    out: list[Finding] = []
    for record in records:
        if record.entry is None:
            continue
        for field, key, where, value in claims(record.entry):
            group = catalog.claimants(field, key)
            if len(group) < 2:
                continue
            mine = next(i for i, (display, _) in enumerate(group) if display == record.display)
            others = ", ".join(
                display + (f" (variant {int(at[1]) + 1})" if at[0] == "variants" else "")
                for display, at in group[:mine] + group[mine + 1 :]
            )
            label = "variant hub" if where[0] == "variants" else field
            what = {"id": "id", "github": "GitHub repo"}.get(field, "Hub repo")
            hint = f"keep one entry per {what}"
            if field == "hub":
                hint += "; a release's checkpoints belong in one entry's variants"
            out.append(
                rules_of[field].at(
                    record.display,
                    *record.position(*where),
                    f"{label} {value!r} is also claimed by {others}",
                    hint,
                )
            )
    return out


def _check_enrichment(catalog: Catalog, records: list[Record], report_file: bool) -> list[Finding]:
    """Drift between the entries and catalog/enrichment.json; an absent snapshot has none."""
    from openai_catalog.checks.drift import drift_findings
    from openai_catalog.enrich.snapshot import read_snapshot, snapshot_path
    from openai_catalog.locate import display_path

    try:
        snapshot = read_snapshot(catalog.root)
    except (OSError, ValueError) as exc:
        if not report_file:
            return []
        return [
            rules.SnapshotInvalid.at(
                display_path(snapshot_path(catalog.root)),
                1,
                1,
                f"not a readable enrichment snapshot: {exc}",
                "it is generated by `catalog enrich`: restore it from git, "
                "or delete it and enrich again",
            )
        ]
    out = drift_findings(records, snapshot, catalog.licenses)
    if report_file and snapshot.problems:
        shown = display_path(snapshot_path(catalog.root))
        for problem in snapshot.problems:
            where = f"entries.{problem.entry_id}.{problem.source}"
            where += f".{problem.field}" if problem.field else ""
            if problem.field not in (None, "fields", "fetched_at", "repo", "error"):
                where = f"entries.{problem.entry_id}.{problem.source}.fields.{problem.field}"
            out.append(
                rules.SnapshotRecordInvalid.at(
                    shown,
                    problem.line,
                    1,
                    f"{where} {problem.message}; it is ignored",
                    "it is generated by `catalog enrich`: restore it from git, or run "
                    f"`catalog enrich {problem.entry_id}`",
                )
            )
    return out


def _check_evidence(
    catalog: Catalog, records: list[Record], wanted: set[str] | None
) -> list[Finding]:
    """Evidence and primary sources (evidence.py); the denylist's own problems only when the
    whole catalogue or the denylist itself is checked."""
    from openai_catalog.checks.evidence import DENYLIST_FILE, catalog_evidence_findings
    from openai_catalog.locate import display_path

    found = catalog_evidence_findings(catalog, records)
    denylist = display_path(catalog.root / DENYLIST_FILE)
    if wanted is not None and os.path.realpath(catalog.root / DENYLIST_FILE) not in wanted:
        found = [f for f in found if f.path != denylist]
    return found


def validate_catalog(
    catalog: Catalog,
    only: Iterable[Path] | None = None,
    today: dt.date | None = None,
    online: bool = False,
    notes: list[str] | None = None,
) -> list[Finding]:
    """Every finding of the catalogue, or of the files in `only` (checked against the whole).

    Drift against the enrichment snapshot is always checked; `online` also asks every `url`,
    `sources` and evidence address whether it still answers, and whether each evidence quote is
    still on its page (see checks/links.py); `notes` collects what could not be checked. Findings
    silenced by a `# catalog: ignore` comment are left out (see suppress.py and
    validate_with_ignored)."""
    return validate_with_ignored(catalog, only, today, online, notes)[0]


def validate_with_ignored(
    catalog: Catalog,
    only: Iterable[Path] | None = None,
    today: dt.date | None = None,
    online: bool = False,
    notes: list[str] | None = None,
) -> tuple[list[Finding], list[Ignored]]:
    """validate_catalog's findings, and every suppression of the files checked with what it
    silenced."""
    from openai_catalog import suppress
    from openai_catalog.enrich.snapshot import snapshot_path

    today = today or dt.date.today()
    # realpath, not Path.resolve: that raises on a loop of links, which a hostile file can be
    wanted = {os.path.realpath(p) for p in only} if only is not None else None
    out: list[Finding] = []
    if wanted is None or (
        catalog.licenses_path and os.path.realpath(catalog.licenses_path) in wanted
    ):
        out.extend(catalog.license_findings)
    records = [r for r in catalog.records if wanted is None or os.path.realpath(r.path) in wanted]
    if wanted is None and not catalog.records:
        from openai_catalog.locate import display_path

        out.append(
            rules.NoEntries.at(
                display_path(catalog.root),
                0,
                0,
                "the catalogue holds no entry files, so nothing was checked",
                "entries live in <catalogue>/<kind folder>/<id>.yaml, e.g. models/",
            )
        )
    for record in records:
        out.extend(record.findings)
        out.extend(check_text(record))
        if record.entry is not None:
            out.extend(check_entry(record, record.entry, catalog, today))
    out.extend(_check_uniqueness(catalog, records))
    report_file = wanted is None or os.path.realpath(snapshot_path(catalog.root)) in wanted
    out.extend(_check_enrichment(catalog, records, report_file))
    out.extend(_check_evidence(catalog, records, wanted))
    from openai_catalog.lineage import lineage_findings

    out.extend(lineage_findings(catalog, records))
    if online:
        from openai_catalog.checks.links import link_findings

        out.extend(link_findings(records, notes))
    checked = {
        rule_id for rule_id, rule in rules.Rule.registry.items() if online or not rule.online
    }
    kept, ignored = suppress.apply(out, (s for r in records for s in r.doc.suppressions), checked)
    return sorted(kept, key=lambda f: (f.path, f.line, f.col, f.rule)), ignored
