"""`catalog enrich` as a library call: plan what is stale, fetch it concurrently, save the snapshot.

Each service has its own pool of worker threads and its own gate (policy.py), so a slow or
rate-limited GitHub never holds up the Hub. Workers only fetch; the calling thread alone applies
their results to the snapshot and writes it: at the end, every `checkpoint` seconds during a long
run, when a service's rate limit gives out, and on Ctrl-C, so that finished work is never lost.
One entry's failure is recorded against that entry and the others go on.
"""

from __future__ import annotations

import datetime as dt
import os
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openai_catalog.enrich.policy import (
    Cancelled,
    Definitive,
    Failed,
    FetchError,
    Gate,
    Settings,
    redact,
    redacted_logs,
)
from openai_catalog.enrich.snapshot import (
    SOURCES,
    Snapshot,
    SourceRecord,
    canonical_fields,
    check_fields,
    iso,
    load_snapshot,
    snapshot_path,
    utc_now,
    variant_key,
)
from openai_catalog.errors import EntryNotFound, Interrupted

if TYPE_CHECKING:
    from openai_catalog.registry import Catalog

STATUSES = (
    "fetched",
    "unchanged",
    "renamed",
    "not_found",
    "gated",
    "disabled",
    "failed",
    "skipped",
)
RESOLVED_FIELD = {"hub": "resolved_id", "github": "resolved"}


@dataclass(frozen=True)
class Task:
    """One (entry, source) pair to fetch; `key` is its record's key in the snapshot when that is
    not the source (a variant's Hub repo: `hub@<repo>`)."""

    entry_id: str
    kind: str
    source: str
    repo: str
    key: str | None = None

    @property
    def slot(self) -> str:
        return self.key or self.source


@dataclass(frozen=True)
class Outcome:
    task: Task
    status: str
    message: str | None = None


@dataclass
class Report:
    path: Path
    outcomes: list[Outcome] = field(default_factory=list)
    stopped: dict[str, str] = field(default_factory=dict)  # source -> why it was given up
    removed: int = 0  # records dropped because their entry or source is gone
    requests: int = 0  # calls sent to the services (redirects not counted)
    offline: bool = False
    interrupted: bool = False
    written: bool = False  # the snapshot file changed

    def counts(self) -> dict[str, Counter[str]]:
        by_source: dict[str, Counter[str]] = {}
        for outcome in self.outcomes:
            by_source.setdefault(outcome.task.source, Counter())[outcome.status] += 1
        return by_source

    @property
    def failed(self) -> int:
        return sum(1 for o in self.outcomes if o.status == "failed")

    @property
    def fetched(self) -> int:
        return sum(1 for o in self.outcomes if o.status != "skipped")


def tasks_of(
    catalog: Catalog, sources: Iterable[str] = SOURCES, ids: Iterable[str] | None = None
) -> list[Task]:
    """Every (entry, source) the catalogue names, or those of the entries `ids`, by id."""
    wanted = set(sources)
    entries = catalog.entries()
    if ids is not None:
        ids = list(dict.fromkeys(ids))
        known = {e.id: e for e in entries}
        missing = [i for i in ids if i not in known]
        if missing:
            from openai_catalog._util import did_you_mean

            raise EntryNotFound(
                f"no entry {missing[0]!r}"
                + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""),
                did_you_mean(missing[0], known) or "try: catalog list --format ids",
            )
        entries = [known[i] for i in ids]
    tasks = []
    for entry in sorted(entries, key=lambda e: e.id):
        for source in SOURCES:
            repo = getattr(entry, source)
            if source == "github" and repo and "/" not in repo:
                continue  # a community's organisation: the repository endpoint has nothing to say
            if source in wanted and repo:
                tasks.append(Task(entry.id, entry.kind, source, repo))
        if "hub" in wanted:
            tasks.extend(
                Task(entry.id, entry.kind, "hub", repo, variant_key(repo))
                for repo in variant_repos(entry)
            )
    return tasks


def variant_repos(entry: Any) -> list[str]:
    """The Hub repos of a release's variants, each once, other than the entry's own `hub`."""
    own = (entry.hub or "").lower()
    repos: dict[str, str] = {}
    for variant in getattr(entry, "variants", ()):
        if variant.hub and variant.hub.lower() != own:
            repos.setdefault(variant.hub.lower(), variant.hub)
    return list(repos.values())


def kept_sources(catalog: Catalog, snapshot: Snapshot) -> dict[str, set[str]]:
    """What the snapshot may hold: the sources each entry names. An entry file that does not
    validate at the moment keeps its records, so fixing a typo does not cost a refetch."""
    kept: dict[str, set[str]] = {}
    for record in catalog.records:
        if record.id is None:
            continue
        if record.entry is not None:
            kept[record.id] = {s for s in SOURCES if getattr(record.entry, s)} | {
                variant_key(repo) for repo in variant_repos(record.entry)
            }
        else:
            kept[record.id] = set(snapshot.entries.get(record.id, {}))
    return kept


def apply(
    snapshot: Snapshot,
    task: Task,
    fields: Mapping[str, Any] | None,
    error: FetchError | None,
    now: dt.datetime,
    secrets: Iterable[str | None] = (),
) -> Outcome:
    """Record one fetch in the snapshot and say how it went."""
    previous = snapshot.get(task.entry_id, task.slot)
    same_repo = previous if previous is not None and previous.repo == task.repo else None
    if error is None:
        clean = canonical_fields(check_fields(task.source, fields or {})[0])  # odd answers dropped
        snapshot.put(task.entry_id, task.slot, SourceRecord(task.repo, iso(now), clean, None))
        resolved = clean.get(RESOLVED_FIELD[task.source])
        if isinstance(resolved, str) and resolved != task.repo:
            return Outcome(task, "renamed", f"now {resolved}")
        if clean.get("disabled"):
            return Outcome(task, "disabled", "the repository is disabled")
        if clean.get("gated"):
            return Outcome(task, "gated", f"gated ({clean['gated']})")
        if same_repo is not None and same_repo.error is None and same_repo.fields == clean:
            return Outcome(task, "unchanged")
        return Outcome(task, "fetched")
    message = redact(error.message, secrets)
    problem = {"kind": error.kind, "message": message}
    if isinstance(error, Definitive):
        snapshot.put(task.entry_id, task.slot, SourceRecord(task.repo, iso(now), {}, problem))
        return Outcome(task, error.kind, message)
    # A failure to get an answer: keep the last good fields, and try again next time.
    snapshot.put(
        task.entry_id,
        task.slot,
        SourceRecord(
            task.repo,
            same_repo.fetched_at if same_repo else iso(now),
            dict(same_repo.fields) if same_repo else {},
            problem,
        ),
    )
    return Outcome(task, "failed", message)


class _Pool:
    """Daemon worker threads for one source: Ctrl-C never waits for a call in flight."""

    def __init__(
        self,
        tasks: list[Task],
        fetch: Callable[[Task], dict[str, Any]],
        threads: int,
        results: queue.Queue[tuple[Task, dict[str, Any] | None, FetchError | None]],
        cancel: threading.Event,
    ) -> None:
        self.todo: queue.Queue[Task] = queue.Queue()
        for task in tasks:
            self.todo.put(task)
        self.fetch, self.results, self.cancel = fetch, results, cancel
        self.threads = [
            threading.Thread(target=self._work, daemon=True, name=f"enrich-{i}")
            for i in range(max(1, min(threads, len(tasks))))
        ]
        for thread in self.threads:
            thread.start()

    def _work(self) -> None:
        while not self.cancel.is_set():
            try:
                task = self.todo.get_nowait()
            except queue.Empty:
                return
            try:
                self.results.put((task, self.fetch(task), None))
            except Cancelled:
                return
            except FetchError as exc:
                self.results.put((task, None, exc))
            except Exception as exc:  # noqa: BLE001 - a surprise about one entry must not stop the rest
                self.results.put((task, None, Failed(f"unexpected {type(exc).__name__}: {exc}")))


def enrich_catalog(
    catalog: Catalog,
    *,
    ids: Iterable[str] | None = None,
    sources: Iterable[str] = SOURCES,
    stale_after: dt.timedelta | None = None,
    offline: bool = False,
    settings: Settings | None = None,
    on_plan: Callable[[int], None] | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    env: Mapping[str, str] | None = None,
) -> Report:
    """Refresh catalog/enrichment.json for the catalogue (or the entries `ids`) and report."""
    settings = settings or Settings()
    env = os.environ if env is None else env
    root = catalog.root
    snapshot = load_snapshot(root)
    path = snapshot_path(root)
    original = path.read_text(encoding="utf-8") if path.is_file() else None
    report = Report(path, offline=offline)
    now = utc_now()
    tasks = tasks_of(catalog, sources, ids)
    todo: list[Task] = []
    for task in tasks:
        record = snapshot.get(task.entry_id, task.slot)
        if offline:
            report.outcomes.append(Outcome(task, "skipped", "offline"))
        elif record is not None and record.fresh(task.repo, now, stale_after):
            report.outcomes.append(Outcome(task, "skipped", f"fetched {record.fetched_at}"))
        else:
            todo.append(task)
    report.removed = snapshot.prune(kept_sources(catalog, snapshot))
    if on_plan is not None:
        on_plan(len(todo))

    def save() -> None:
        """Write the snapshot if its text changed (no file is created for nothing)."""
        text = snapshot.to_text()
        nonlocal original
        if text != original and (original is not None or snapshot.entries):
            from openai_catalog._util import write_atomic

            write_atomic(path, text)
            original = text
            report.written = True

    if not todo:
        save()
        return report

    cancel = threading.Event()
    gates = {
        "hub": Gate("Hub", settings.concurrency, settings.max_wait, cancel),
        "github": Gate("GitHub", settings.github_concurrency, settings.max_wait, cancel),
    }
    results: queue.Queue[tuple[Task, dict[str, Any] | None, FetchError | None]] = queue.Queue()
    secrets: list[str | None] = [env.get("HF_TOKEN"), env.get("GITHUB_TOKEN")]
    received = 0

    def take(item: tuple[Task, dict[str, Any] | None, FetchError | None]) -> None:
        nonlocal received
        task, fields, error = item
        received += 1
        exhausted = gates[task.source].exhausted
        if error is not None and error.kind == "rate_limited" and exhausted:
            report.stopped[task.source] = exhausted
        outcome = apply(snapshot, task, fields, error, utc_now(), secrets)
        report.outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    try:
        with ExitStack() as stack:
            stack.enter_context(redacted_logs(secrets))
            by_source = {s: [t for t in todo if t.source == s] for s in SOURCES}
            if by_source["hub"]:
                from openai_catalog.enrich.hub import HubClient

                hub = stack.enter_context(HubClient(settings, gates["hub"]))
                secrets.extend(hub.secrets)
                _Pool(
                    by_source["hub"],
                    lambda t: hub.fetch(t.kind, t.repo),
                    settings.concurrency,
                    results,
                    cancel,
                )
            if by_source["github"]:
                from openai_catalog.enrich.github import GithubClient

                github = stack.enter_context(GithubClient(settings, gates["github"], env))
                secrets.extend(github.secrets)
                _Pool(
                    by_source["github"],
                    lambda t: github.fetch(t.repo),
                    settings.github_concurrency,
                    results,
                    cancel,
                )
            last_save = time.monotonic()
            while received < len(todo):
                try:
                    take(results.get(timeout=0.2))
                except queue.Empty:
                    pass
                if time.monotonic() - last_save > settings.checkpoint:
                    save()
                    last_save = time.monotonic()
    except KeyboardInterrupt:
        cancel.set()
        for gate in gates.values():
            gate.wake()
        while True:
            try:
                take(results.get_nowait())
            except queue.Empty:
                break
        report.interrupted = True
        report.requests = sum(g.sent for g in gates.values())
        save()
        stop = Interrupted(
            f"interrupted; {received} of {len(todo)} fetches finished and were saved "
            f"to {path.name}",
            "run the same command again to fetch the rest",
        )
        stop.result = report
        raise stop from None
    report.requests = sum(g.sent for g in gates.values())
    save()
    return report
