"""Drift: where the Hub or GitHub, as the enrichment snapshot last saw them, disagree with an entry.

Curated values win, so nothing here changes an entry; each disagreement becomes a warning at the
line of the field concerned. A record only counts when it is about the repo the entry names now
(a curator who fixed `hub:` has answered the finding) and when it holds an answer, not a failure.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from openai_catalog import rules
from openai_catalog.enrich.snapshot import Snapshot, SourceRecord
from openai_catalog.licenses import LicenseError, LicenseTable
from openai_catalog.rules import Finding

if TYPE_CHECKING:
    from openai_catalog.registry import Record
    from openai_catalog.schema import AnyEntry

PARAMETER_TOLERANCE = 0.10
_NO_LICENCE = {"other", "unknown", "noassertion", "none", ""}
_HUB_NOUNS = {
    "model": "model",
    "dataset": "dataset",
    "tool": "Space",
    "compute": "Space",
    "community": "account",
}


def _when(record: SourceRecord) -> str:
    return f"(snapshot of {record.fetched_at[:10]})" if record.fetched_at else "(snapshot)"


def licence_mismatch(
    table: LicenseTable, curated: str | None, remote: Any
) -> tuple[str, str] | None:
    """(message, hint) when the remote licence id maps to none of the licences `curated` names."""
    if not isinstance(remote, str) or remote.strip().lower() in _NO_LICENCE:
        return None
    if not curated or curated.strip().lower() == "unknown":
        return None
    try:
        resolved = table.resolve(curated)
    except LicenseError:
        return None  # CAT040 reports the curated licence itself
    known = table.get(remote)
    if known is None:
        return (
            (
                f"says licence {remote!r}, which catalog/licenses.yaml does not know; "
                f"the entry says {curated!r}"
            ),
            f"add {remote!r} to the aliases of the right licence in licenses.yaml",
        )
    if known.id in resolved.ids:
        return None
    return (
        f"says licence {remote!r} ({known.id}); the entry says {curated!r}",
        "check the licence at the source and fix whichever is wrong",
    )


def _current(snapshot: Snapshot, entry: AnyEntry, source: str) -> SourceRecord | None:
    record = snapshot.get(entry.id, source)
    repo = getattr(entry, source)
    if record is None or not repo or record.repo != repo:
        return None
    if record.error is not None and record.retry_due:
        return None  # a failed fetch says nothing new; its old fields were judged last time
    return record


def entry_drift(
    record: Record, entry: AnyEntry, snapshot: Snapshot, table: LicenseTable
) -> list[Finding]:
    """The drift findings of one entry."""
    out: list[Finding] = []

    def at(rule: type[rules.Rule], field: str, message: str, hint: str | None = None) -> None:
        out.append(rule.at(record.display, *record.position(field), message, hint))

    hub = _current(snapshot, entry, "hub")
    if hub is not None:
        noun, when, fields = _HUB_NOUNS[entry.kind], _when(hub), hub.fields
        kind = hub.error_kind
        if kind == "not_found":
            at(
                rules.HubNotFound,
                "hub",
                f"the Hub has no {noun} {entry.hub!r} {when}",
                "find where it went, or set `status` and `status_note`",
            )
        if kind == "disabled" or fields.get("disabled") is True:
            at(
                rules.HubDisabled,
                "hub",
                f"the Hub has disabled {entry.hub!r} {when}",
                "say so in `status_note`",
            )
        resolved = fields.get("resolved_id")
        if isinstance(resolved, str) and resolved != entry.hub:
            at(
                rules.HubRenamed,
                "hub",
                f"the Hub {noun} {entry.hub!r} is now {resolved!r} {when}",
                f"set `hub: {resolved}`",
            )
        gated = kind == "gated" or fields.get("gated") in ("auto", "manual", True)
        if gated and getattr(entry, "weights", None) == "open":
            at(
                rules.HubGatedButOpen,
                "weights",
                f"the Hub repo {entry.hub!r} is gated, but the entry says `weights: open` {when}",
                "set `weights: gated`, or cite an open copy",
            )
        if gated and getattr(entry, "access", None) == "open":
            at(
                rules.HubGatedButOpen,
                "access",
                f"the Hub repo {entry.hub!r} is gated, but the entry says `access: open` {when}",
                "set `access: gated`, or cite an open copy",
            )
        mismatch = licence_mismatch(table, entry.license, fields.get("license"))
        if mismatch:
            at(rules.HubLicenseDrift, "license", f"the Hub {mismatch[0]} {when}", mismatch[1])
        remote_params, params = fields.get("parameters"), _own_count(entry)
        if (
            isinstance(remote_params, int)
            and params
            and abs(remote_params - params) > PARAMETER_TOLERANCE * params
        ):
            at(
                rules.HubParameterDrift,
                "parameters",
                f"the Hub counts {remote_params:,} parameters; the entry says {params:,} "
                f"({(remote_params - params) / params:+.0%}) {when}",
                "check the model card; safetensors counts every tensor in the repo",
            )

    github = _current(snapshot, entry, "github")
    if github is not None:
        when, fields = _when(github), github.fields
        if github.error_kind in ("not_found", "disabled"):
            what = "blocks" if github.error_kind == "disabled" else "has no repository"
            at(
                rules.GithubNotFound,
                "github",
                f"GitHub {what} {entry.github!r} {when}",
                "find where it went, or remove `github:`",
            )
        resolved = fields.get("resolved")
        if isinstance(resolved, str) and resolved != entry.github:
            at(
                rules.GithubRenamed,
                "github",
                f"the GitHub repository {entry.github!r} is now {resolved!r} {when}",
                f"set `github: {resolved}`",
            )
        if fields.get("archived") is True and entry.status == "active":
            at(
                rules.GithubArchived,
                "github",
                f"the GitHub repository {entry.github!r} is archived {when}",
                "consider `status: deprecated` with a `status_note`",
            )
        if entry.kind == "tool":
            mismatch = licence_mismatch(table, entry.license, fields.get("license"))
            if mismatch:
                at(rules.GithubLicenseDrift, "license", f"GitHub {mismatch[0]} {when}", mismatch[1])
    return out


def _own_count(entry: AnyEntry) -> int | None:
    """The parameter count of the checkpoint the entry's `hub` holds: a release's `parameters` is
    its largest variant's, while its `hub` may be another variant's repo."""
    own = (entry.hub or "").lower()
    for variant in getattr(entry, "variants", ()):
        if variant.hub and variant.hub.lower() == own and variant.parameters is not None:
            return int(variant.parameters)
    return getattr(entry, "parameters", None)


def drift_findings(
    records: Iterable[Record], snapshot: Snapshot, table: LicenseTable
) -> list[Finding]:
    out: list[Finding] = []
    for record in records:
        if record.entry is not None and record.entry.id in snapshot.entries:
            out.extend(entry_drift(record, record.entry, snapshot, table))
    return out
