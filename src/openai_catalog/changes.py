"""What changed in the catalogue, read from the git history of its folder.

The history is walked along the first parent of each commit, so a merged pull request counts as
one change, dated when it landed and numbered from its merge commit ("Merge pull request #12" or a
squash's "Title (#12)"). `git log --raw` lists the entry files each commit touched with the ids
of their old and new contents (on a long range, a few gits at once, each walking a part), and one
`git cat-file --batch` reads the contents that comparing needs while Python compares: a few
processes however long the history. Only the top-level fields whose text differs are parsed.

Each commit that touches an entry gives one or more changes of that entry:

- `added`, `removed`; `renamed` when the id changed (a renamed file, or a file removed and
  another added in the same commit that keeps the old id among its aliases);
- `withdrawn`, `deprecated`, `superseded` when the status became so (and `reinstated` when it
  became active again);
- `relicensed`, with the old and the new licence;
- `changed`, naming the other fields that changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openai_catalog.errors import CatalogError, UsageError
from openai_catalog.kinds import FOLDER_KINDS

if TYPE_CHECKING:
    from openai_catalog.query import Query

KINDS_OF_CHANGE = (
    "added",
    "removed",
    "renamed",
    "withdrawn",
    "deprecated",
    "superseded",
    "reinstated",
    "relicensed",
    "changed",
)
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_PR = (re.compile(r"^Merge pull request #(\d+)\b"), re.compile(r"\(#(\d+)\)\s*$"))
_ENTRY_FILE = re.compile(r"^(?P<folder>[a-z]+)/(?P<stem>[a-z0-9]+(?:-[a-z0-9]+)*)\.yaml$")


class HistoryError(CatalogError):
    """The history cannot be read: no git, not a repository, a shallow clone, an unknown ref."""


@dataclass(frozen=True)
class Change:
    """One change of one entry in one commit."""

    change: str
    id: str
    kind: str
    commit: str
    date: str
    subject: str
    pr: int | None = None
    old_id: str | None = None
    old_license: str | None = None
    new_license: str | None = None
    fields: tuple[str, ...] = ()
    blob: str = field(default="", repr=False, compare=False)  # the file's id in git
    store: _Blobs | None = field(default=None, repr=False, compare=False)

    @property
    def data(self) -> dict[str, Any]:
        """The entry as this change left it (as it was, for a removal), read and parsed when
        first asked; `load` reads many changes' versions at once."""
        if self.store is None or not self.blob:
            return {}
        return _parse(self.store[self.blob])

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "change": self.change,
            "id": self.id,
            "kind": self.kind,
            "date": self.date,
            "commit": self.commit,
            "pr": self.pr,
            "subject": self.subject,
        }
        if self.old_id is not None:
            out["old_id"] = self.old_id
        if self.change == "relicensed":
            out["old_license"], out["new_license"] = self.old_license, self.new_license
        if self.fields:
            out["fields"] = list(self.fields)
        return out


@dataclass(frozen=True)
class Range:
    """What `--since` and `--until` resolved to, for titles and messages."""

    since: str | None
    until: str
    since_date: dt.date | None
    until_date: dt.date


def _git_command() -> str:
    git = shutil.which("git")
    if git is None:
        raise HistoryError(
            "`catalog changes` needs git, which is not installed",
            "install git (e.g. apt install git), then run it again",
        )
    return git


def _git(repo: Path, *args: str, input: bytes | None = None) -> bytes:
    proc = subprocess.run(
        [_git_command(), "-C", str(repo), *args], input=input, capture_output=True, check=False
    )
    if proc.returncode != 0:
        raise _failed(args[0], proc.stderr, proc.returncode)
    return proc.stdout


def _failed(command: str, stderr: bytes, code: int) -> HistoryError:
    message = stderr.decode("utf-8", "replace").strip().splitlines()
    return HistoryError(f"git {command} failed: {message[-1] if message else code}")


def repository_of(root: Path) -> tuple[Path, str]:
    """The top of the git repository holding the catalogue, and the catalogue's path inside it."""
    _git(root, "--version")  # says how to install git when there is none
    proc = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True, check=False
    )
    if proc.returncode != 0:
        raise HistoryError(
            f"{root} is not in a git repository, so it has no history to read",
            "run `catalog changes` in a clone of the catalogue's repository "
            "(git clone ...), or pass --catalog with the catalog/ folder of one",
        )
    top = Path(proc.stdout.decode().strip())
    prefix = Path(root).resolve().relative_to(top.resolve()).as_posix()
    return top, "" if prefix == "." else prefix + "/"


def _resolve(repo: Path, ref: str, option: str) -> str:
    if ref.startswith("-"):
        raise UsageError(f"{option} {ref!r} is not a date or a git ref")
    proc = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
        capture_output=True,
        check=False,
    )
    if proc.returncode == 0:
        return proc.stdout.decode().strip()
    shallow = _is_shallow(repo)
    raise HistoryError(
        f"{option} {ref!r} names no commit of this repository"
        + (", which is a shallow clone" if shallow else ""),
        "fetch the full history with `git fetch --unshallow`, or give a date (YYYY-MM-DD)"
        if shallow
        else "give a date (YYYY-MM-DD), a tag, a branch or a commit; `git log` lists them",
    )


def _is_shallow(repo: Path) -> bool:
    return _git(repo, "rev-parse", "--is-shallow-repository").strip() == b"true"


def parse_date(text: str, option: str) -> dt.date:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` as the first day it names."""
    parts = [int(p) for p in text.split("-")]
    try:
        return dt.date(parts[0], *(parts[1:] + [1, 1])[:2])
    except ValueError:
        raise UsageError(
            f"{option} {text!r} is not a real date",
            "write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2026-11-01",
        ) from None


def history(
    root: Path, since: str | None = None, until: str | None = None
) -> tuple[list[Change], Range]:
    """Every change of the catalogue at `root` in the range, oldest first.

    `since` is a date (`YYYY[-MM[-DD]]`, changes on or after it) or a git ref (changes after it);
    `until` a git ref (default HEAD)."""
    repo, prefix = repository_of(root)
    until_sha = _resolve(repo, until or "HEAD", "--until")
    since_date: dt.date | None = None
    limits: list[str] = []  # what git log and rev-list take to keep to the range
    start: str | None = None
    if since is not None and _DATE.match(since):
        since_date = parse_date(since, "--since")
        limits = [f"--since={since_date.isoformat()}T00:00:00"]
        if _is_shallow(repo):
            _check_depth(repo, until_sha, since_date)
    elif since is not None:
        start = _resolve(repo, since, "--since")
    changes = _read(repo, _log(repo, limits, start, until_sha), prefix)
    until_date = dt.date.fromisoformat(
        _git(repo, "show", "-s", "--format=%cs", until_sha).decode().strip()
    )
    return changes, Range(since, until or "HEAD", since_date, until_date)


_LOG = (
    "log",
    "--first-parent",
    "--diff-merges=first-parent",
    "--raw",
    "-M",
    "--no-abbrev",
    "--format=%x01%H%x00%cI%x00%s",
)
_PART = 250  # commits: a shorter range is walked by one git, a longer one cut into parts


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _log(repo: Path, limits: list[str], start: str | None, until: str) -> bytes:
    """`git log --raw` of the commits after `start` (or matching `limits`) up to `until`.

    Comparing each commit's tree with its parent's is most of what a long history costs, and a
    git process works on one core; so on a machine with more, a long range is cut at commits of
    its first-parent line into consecutive parts, each walked by a git of its own at the same
    time, whose outputs laid end to end are the one log. No pathspec: limiting the walk to the
    catalogue's folders costs git more than reading the whole log, and the paths are filtered
    here anyway."""
    commits: list[bytes] = []
    if _cores() > 1:
        commits = _git(
            repo, "rev-list", "--first-parent", *limits, f"{start}..{until}" if start else until
        ).split()
    parts = max(1, min(_cores(), 4, len(commits) // _PART))
    tops = [until, *(commits[len(commits) * i // parts].decode() for i in range(1, parts))]
    ranges = [
        f"{bottom}..{top}" if bottom else top
        for top, bottom in zip(tops, [*tops[1:], start], strict=True)
    ]
    if parts == 1:
        return _git(repo, *_LOG, *limits, *ranges)
    with contextlib.ExitStack() as stack:
        outputs = [stack.enter_context(tempfile.TemporaryFile()) for _ in ranges]
        procs = [
            subprocess.Popen(
                [_git_command(), "-C", str(repo), *_LOG, *limits, part],
                stdout=output,
                stderr=subprocess.PIPE,
            )
            for part, output in zip(ranges, outputs, strict=True)
        ]
        for proc in procs:
            _, stderr = proc.communicate()
            if proc.returncode != 0:
                raise _failed("log", stderr, proc.returncode)
        pieces = []
        for output in outputs:
            output.seek(0)
            pieces.append(output.read())
    return b"".join(pieces)


def _check_depth(repo: Path, until_sha: str, since: dt.date) -> None:
    """A shallow clone must reach back to `since`, or changes would be missed in silence."""
    shallow = Path(_git(repo, "rev-parse", "--git-path", "shallow").decode().strip())
    boundary = set((shallow if shallow.is_absolute() else repo / shallow).read_text().split())
    for line in (
        _git(repo, "log", "--first-parent", "--format=%H %cs", "--max-parents=0", until_sha)
        .decode()
        .splitlines()
    ):
        sha, date = line.split()
        if sha in boundary and dt.date.fromisoformat(date) > since:
            raise HistoryError(
                f"this shallow clone's history starts on {date}, after {since}",
                f"deepen it: git fetch --shallow-since={since.isoformat()} "
                "(or git fetch --unshallow)",
            )


Entry = tuple[str, str]  # (kind, id) of an entry file


@dataclass
class _Commit:
    sha: str
    date: str
    subject: str
    # The entry files it touched: where each was and is, and the ids of its old and new contents
    # (None where there is no such file).
    files: list[tuple[Entry | None, Entry | None, str | None, str | None]] = field(
        default_factory=list
    )


def _commits(log: bytes, prefix: str) -> list[_Commit]:
    commits: list[_Commit] = []
    for chunk in log.split(b"\x01")[1:]:
        head, _, raw = chunk.partition(b"\n")
        sha, date, subject = head.decode("utf-8", "replace").split("\x00", 2)
        commit = _Commit(sha, date, subject)
        for line in raw.decode("utf-8", "replace").splitlines():
            if not line.startswith(":"):
                continue
            meta, *paths = line.split("\t")
            _, _, old_blob, new_blob, status = meta.split()
            old_path = paths[0] if status[0] in "MDRC" else None
            new_path = paths[-1] if status[0] in "AMRC" else None
            old_at, new_at = _entry_path(old_path, prefix), _entry_path(new_path, prefix)
            if old_at or new_at:  # an id of zeros (40 of SHA-1, 64 of SHA-256) is no file
                commit.files.append(
                    (
                        old_at,
                        new_at,
                        old_blob if old_at and old_blob.strip("0") else None,
                        new_blob if new_at and new_blob.strip("0") else None,
                    )
                )
        commits.append(commit)
    return commits


class _Blobs:
    """The contents of the entry files a history names, read from git by id.

    The versions the comparisons need are asked of one `git cat-file` at once and taken from its
    output as the comparisons reach them, so that git reads the next while Python compares the
    last. An addition or a removal is read only when its data is asked for (`load`): most
    additions are of entries that still exist, which the search index describes."""

    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self.held: dict[str, bytes] = {}
        self._pending: set[str] = set()
        self._proc: subprocess.Popen[bytes] | None = None

    def read(self, ids: Iterable[str], wait: bool = True) -> None:
        """Ask git for these versions; with `wait`, take them all before returning."""
        self.finish()
        wanted = [i for i in dict.fromkeys(ids) if i not in self.held]
        if not wanted:
            return
        with tempfile.TemporaryFile() as request:  # a file, not a pipe: git answers as it reads
            request.write("\n".join(wanted).encode() + b"\n")
            request.seek(0)
            self._proc = subprocess.Popen(
                [_git_command(), "-C", str(self.repo), "cat-file", "--batch", "--buffer"],
                stdin=request,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        self._pending = set(wanted)
        if wait:
            self.finish()

    def _take(self) -> None:
        """The next version from git's output."""
        assert self._proc is not None and self._proc.stdout is not None
        header = self._proc.stdout.readline().split()
        if len(header) != 3:
            self._pending.clear()
            self._proc.kill()
            _, stderr = self._proc.communicate()
            if not header:
                raise _failed("cat-file", stderr, self._proc.returncode)
            raise HistoryError(
                f"git cannot read {header[0].decode()}, a version of an entry file that the "
                "history names (a partial or damaged clone)",
                "fetch the missing objects (git fetch --refetch) or clone the repository again",
            )
        blob = header[0].decode()
        self.held[blob] = self._proc.stdout.read(int(header[2]) + 1)[:-1]
        self._pending.discard(blob)

    def finish(self) -> None:
        """Take every version still to come, and see that git ended well."""
        while self._pending:
            self._take()
        if self._proc is not None:
            proc, self._proc = self._proc, None
            _, stderr = proc.communicate()
            if proc.returncode != 0:
                raise _failed("cat-file", stderr, proc.returncode)

    def __getitem__(self, blob: str) -> bytes:
        while blob not in self.held and blob in self._pending:
            self._take()
        if blob not in self.held:
            self.read([blob])
        return self.held[blob]


def load(changes: Iterable[Change]) -> None:
    """Read the entry versions of these changes that are not read yet, in one go per history, so
    that asking each for its `data` afterwards starts no process."""
    stores: dict[int, tuple[_Blobs, list[str]]] = {}
    for change in changes:
        if change.store is not None and change.blob:
            stores.setdefault(id(change.store), (change.store, []))[1].append(change.blob)
    for store, ids in stores.values():
        store.read(ids)


@functools.lru_cache(maxsize=4096)
def _parse(blob: bytes) -> dict[str, Any]:
    from openai_catalog import _yaml

    doc = _yaml.parse_bytes(blob, "") if blob else None
    return doc.data if doc is not None and isinstance(doc.data, dict) else {}


# A top-level field begins a line with its key.
_FIRST_KEY = re.compile(r"([A-Za-z_][\w-]*)\s*:")
_NEXT_KEYS = re.compile(r"\n([A-Za-z_][\w-]*)\s*:")  # a literal first: many times faster than ^
_NEXT_KEY = re.compile(r"\n(?=[A-Za-z_][\w-]*\s*:)")


def _blocks(text: str) -> dict[str, str] | None:
    """An entry file's top-level fields as their text, without parsing: what a diff compares;
    None when a key is written twice (the file is then parsed whole).

    Most commits change a few fields of a few entries, so comparing blocks of text and parsing
    only the blocks that differ is what keeps a long history fast. A block keeps the blank lines
    and comments that follow it: they make a difference only in text, and the values compared
    then say that nothing changed."""
    keys = _NEXT_KEYS.findall(text)
    chunks = _NEXT_KEY.split(text)
    if first := _FIRST_KEY.match(text):
        keys.insert(0, first.group(1))
    else:
        del chunks[0]  # what precedes the first key: the schema comment
    if len(keys) != len(chunks):
        return None
    blocks = dict(zip(keys, chunks, strict=True))
    return blocks if len(blocks) == len(keys) else None


_SIMPLE = re.compile(r"^[\w-]+:[ \t]+([A-Za-z][\w.+-]*)$")
# A value on the key's line that YAML can only read as the string it is written as: it starts
# with a letter, holds no line break or character YAML refuses, no ": " or " #", and is no word
# that YAML 1.1 (PyYAML's reading) takes for a boolean or null. Summaries and names are mostly
# such strings, and reading them as text saves parsing each changed field as a YAML document.
_PLAIN = re.compile(
    r"([A-Za-z][\w-]*):[ ]+([A-Za-z][^\x00-\x1f\x7f-\x84\x86-\x9f\u2028\u2029\ufeff\ufffe\uffff]*)"
)
_WORD = r"[A-Za-z][\w.+-]*"
_FLOW_WORDS = re.compile(rf"([A-Za-z][\w-]*):[ ]+\[[ ]*((?:{_WORD})(?:[ ]*,[ ]*{_WORD})*)?[ ]*\]")
_NOT_STRINGS = frozenset(
    "yes Yes YES no No NO true True TRUE false False FALSE on On ON off Off OFF null Null NULL".split()
)


def _value(block: str, key: str) -> Any:
    if (simple := _SIMPLE.match(block)) and simple.group(1) not in (
        "null",
        "true",
        "false",
        "Null",
        "True",
        "False",
        "NULL",
    ):
        return simple.group(1)  # `id: gpt-j-6b`, `license: MIT`: most values that are compared
    if (plain := _PLAIN.fullmatch(block)) and plain.group(1) not in _NOT_STRINGS:
        text = plain.group(2)
        if not (": " in text or " #" in text or text.endswith(":") or text in _NOT_STRINGS):
            return text  # `summary: A model for ...`
    if (flow := _FLOW_WORDS.fullmatch(block)) and flow.group(1) not in _NOT_STRINGS:
        words = [w.strip() for w in flow.group(2).split(",")] if flow.group(2) else []
        if not _NOT_STRINGS.intersection(words):
            return words  # `tags: [code, vision]`
    import yaml

    try:
        loaded = yaml.load(block, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return block
    return loaded.get(key) if isinstance(loaded, dict) else block


class _Version:
    """One version of an entry file: its text, its fields' blocks, and values parsed on demand."""

    def __init__(self, blob: bytes) -> None:
        self.blob = blob

    @functools.cached_property
    def blocks(self) -> dict[str, str] | None:
        return _blocks(self.blob.decode("utf-8", "replace"))

    def get(self, key: str) -> Any:
        if self.blocks is None:
            return _parse(self.blob).get(key)
        block = self.blocks.get(key)
        return None if block is None else _value(block.rstrip(), key)

    def keys(self) -> set[str]:
        return set(self.blocks if self.blocks is not None else _parse(self.blob))


@functools.lru_cache(maxsize=65536)
def _entry_path(path: str | None, prefix: str) -> Entry | None:
    """(kind, id) of an entry file's path, or None for anything else."""
    if path is None or not path.startswith(prefix):
        return None
    match = _ENTRY_FILE.match(path[len(prefix) :])
    if match is None or match.group("folder") not in FOLDER_KINDS:
        return None
    return FOLDER_KINDS[match.group("folder")], match.group("stem")


def _pr(subject: str) -> int | None:
    for pattern in _PR:
        if match := pattern.search(subject):
            return int(match.group(1))
    return None


def _read(repo: Path, log: bytes, prefix: str) -> list[Change]:
    commits = _commits(log, prefix)
    commits.reverse()  # oldest first (git's --reverse would hold the whole log back)
    store = _Blobs(repo)
    # Both versions of each changed file are compared; an addition or a removal is read now only
    # when the commit has both, since an addition may be a rename that keeps the old id as alias.
    store.read(
        (blob for commit in commits for ids in _needed(commit) for blob in ids if blob),
        wait=False,
    )
    out: list[Change] = []
    for commit in commits:
        base: dict[str, Any] = {
            "commit": commit.sha,
            "date": commit.date,
            "subject": commit.subject,
            "pr": _pr(commit.subject),
            "store": store,
        }
        added: list[tuple[str, str, str]] = []
        removed: dict[str, tuple[str, str]] = {}
        for old_at, new_at, old_blob, new_blob in commit.files:
            if new_at and new_blob and old_blob is None:
                added.append((*new_at, new_blob))
            elif old_at and old_blob and new_blob is None:
                removed[old_at[1]] = (old_at[0], old_blob)
            elif new_at and old_blob and new_blob:
                out.extend(
                    _compare(
                        _Version(store[old_blob]), _Version(store[new_blob]), new_at, new_blob, base
                    )
                )
        for kind, entry_id, new_blob in added:
            old_id = None
            if removed:
                aliases = _Version(store[new_blob]).get("aliases")
                old_id = (
                    next((a for a in aliases if a in removed), None)
                    if isinstance(aliases, list)
                    else None
                )
            if old_id is not None:
                _, old_blob = removed.pop(old_id)
                out.extend(
                    _compare(
                        _Version(store[old_blob]),
                        _Version(store[new_blob]),
                        (kind, entry_id),
                        new_blob,
                        base,
                    )
                )
            else:  # an entry's id is its file name (CAT020), which saves parsing every addition
                out.append(Change("added", entry_id, kind, blob=new_blob, **base))
        for entry_id, (kind, old_blob) in removed.items():
            out.append(Change("removed", entry_id, kind, blob=old_blob, **base))
    store.finish()
    return out


def _needed(commit: _Commit) -> list[tuple[str | None, str | None]]:
    """The versions of the commit's entry files that reading its changes needs at once."""
    adds = any(old is None and new for _, _, old, new in commit.files)
    removes = any(old and new is None for _, _, old, new in commit.files)
    return [(old, new) for _, _, old, new in commit.files if (old and new) or (adds and removes)]


def _compare(
    old: _Version, new: _Version, at: Entry, blob: str, base: dict[str, Any]
) -> list[Change]:
    """The changes between two versions of an entry file; `blob` is the new version's id."""
    kind, stem = at
    entry_id = str(new.get("id") or stem)
    out: list[Change] = []
    if old.blocks is not None and new.blocks is not None:
        differ = {k for k, _ in old.blocks.items() ^ new.blocks.items()}
    else:
        differ = old.keys() | new.keys()
    values = {k: (old.get(k), new.get(k)) for k in differ}
    changed = {k for k, (a, b) in values.items() if a != b}
    old_id = str(old.get("id") or "")
    if old_id and old_id != entry_id:
        out.append(Change("renamed", entry_id, kind, old_id=old_id, blob=blob, **base))
    if "status" in changed:
        status = values["status"][1] or "active"
        if status in ("withdrawn", "deprecated", "superseded", "active"):
            out.append(
                Change(
                    "reinstated" if status == "active" else str(status),
                    entry_id,
                    kind,
                    blob=blob,
                    **base,
                )
            )
    if "license" in changed:
        was, now = values["license"]
        out.append(
            Change(
                "relicensed",
                entry_id,
                kind,
                old_license=was,
                new_license=now,
                blob=blob,
                **base,
            )
        )
    fields = tuple(sorted(changed - {"id", "status", "status_note", "superseded_by", "license"}))
    if fields:
        out.append(Change("changed", entry_id, kind, fields=fields, blob=blob, **base))
    return out


def select(changes: Sequence[Change], ids: set[str] | None) -> list[Change]:
    """The changes of the entries in `ids` (None: all of them)."""
    return list(changes) if ids is None else [c for c in changes if c.id in ids]


def entry_history(root: Path, entry_id: str, aliases: Iterable[str] = ()) -> list[Change]:
    """The dated changes of one entry, through its renames (`aliases` are its former ids)."""
    names = {entry_id, *aliases}
    changes, _ = history(root)
    found = [c for c in changes if c.id in names or c.old_id in names]
    for change in found:  # follow renames back: the old id's earlier changes belong here too
        if change.old_id:
            names.add(change.old_id)
    return [c for c in changes if c.id in names or c.old_id in names]


def matching_ids(
    root: Path, query: Query, changes: Sequence[Change], present: set[str] | None = None
) -> set[str] | None:
    """The ids whose entries the query selects (None: no query, every entry counts).

    Entries that still exist (`present`, when the caller has read them) are matched by the
    catalogue's own search index; entries removed since are matched in their last state, by an
    index built of those states alone, so that a filter means the same for both."""
    if not query.clauses:
        return None
    from openai_catalog.index import search

    hits = search(root, query, "name").hits
    if present is None:
        present = {h.id for h in search(root, _all(), "name").hits}
    ids = {h.id for h in hits}
    gone: dict[str, tuple[str, dict[str, Any]]] = {}
    load(c for c in changes if c.id not in present)
    for change in changes:
        if change.id not in present and change.data:
            gone[change.id] = (change.kind, change.data)
    if gone:
        ids |= _match_gone(root, query, gone)
    return ids


def _all() -> Query:
    from openai_catalog.query import parse

    return parse("")


def _match_gone(root: Path, query: Query, gone: dict[str, tuple[str, dict[str, Any]]]) -> set[str]:
    import shutil as _shutil
    import sqlite3
    import tempfile

    import yaml

    from openai_catalog.index import Searcher, build_index
    from openai_catalog.locate import LICENSES_FILE
    from openai_catalog.schema import KIND_FOLDERS

    with tempfile.TemporaryDirectory(prefix="catalog-changes-") as tmp:
        base = Path(tmp) / "catalog"
        for folder in KIND_FOLDERS.values():
            (base / folder).mkdir(parents=True)
        _shutil.copyfile(root / LICENSES_FILE, base / LICENSES_FILE)
        for entry_id, (kind, data) in gone.items():
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            (base / KIND_FOLDERS[kind] / f"{entry_id}.yaml").write_text(text, encoding="utf-8")
        db = Path(tmp) / "index.db"
        build_index(base, db, "changes")
        conn = sqlite3.connect(db)
        try:
            return {h.id for h in Searcher(conn, "").search(query, "name", None).hits}
        finally:
            conn.close()
