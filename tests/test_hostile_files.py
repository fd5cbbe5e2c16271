"""The adversarial suite, file-system half: every command over catalogues in hostile states.

A pull request, a shared machine or a bad disk can leave a catalogue with links that lead out of
it, named pipes and devices where entries belong, sparse files of gigabytes, empty or `~`-only
documents, read-only and unreadable files and folders, an index damaged on disk, a cache path
with URI metacharacters. For each state, every command runs (hostile_driver.py, in a subprocess
with a timeout, as a plain user even when the tests run as root) and must:

- end, within the timeout (a pipe must never stall a reader);
- exit with a documented code (0, 1 or 2), the one the state calls for, with no traceback;
- change no file it may not write (the whole tree is compared before and after each command);
- show nothing of a file outside the catalogue (a secret there never appears in any output).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import MINI, as_plain_user, damage, permissions_apply

DRIVER = Path(__file__).with_name("hostile_driver.py")
SECRET = "HOSTILE-SECRET-41c7"
SECRET_ENTRY = f"""id: gpt-j-6b
name: {SECRET}
kind: model
summary: {SECRET} is a value from outside the catalogue that no output may show.
license: Apache-2.0
sources: [https://example.org/{SECRET}]
"""
KIND_FOLDERS = ("models", "datasets", "compute", "tools", "communities")
TIMEOUT = 180  # for the whole list of commands of one state; each takes well under a second
QUERY = "query"  # search, list, show, stats, export


@dataclass
class World:
    """A catalogue (a canonical copy of the mini one) with a secret beside it, and its cache."""

    base: Path
    root: Path
    outside: Path
    out: Path
    cache: Path
    hostile: list[Path] = field(default_factory=list)  # the files the state planted

    @classmethod
    def make(cls, base: Path) -> World:
        from openai_catalog.fmt import format_paths
        from openai_catalog.registry import iter_entry_files

        root = base / "catalog"
        shutil.copytree(MINI, root)
        format_paths(list(iter_entry_files(root)), write=True)  # so that `fmt --check` passes as is
        outside = base / "outside"
        outside.mkdir()
        (outside / "secret.yaml").write_text(SECRET_ENTRY)
        (base / "out").mkdir()
        return cls(base, root, outside, base / "out", base / "cache")

    def plant(self, relative: str) -> Path:
        path = self.root / relative
        self.hostile.append(path)
        return path


@dataclass
class Expect:
    """The exit codes a state calls for, and words the failing commands must use."""

    validate: int = 1
    query: int = 0
    show: int | None = None  # `show gpt-j-6b`, when it differs from the other queries
    fmt: int = 1
    cause: str | None = None  # in the output of the commands of these roles, when they fail:
    cause_for: tuple[str, ...] = ("validate", QUERY, "show", "fmt")
    needs_permissions: bool = False
    named: int = 1  # `validate` of the files the state planted: refused or reported
    enrich: int | None = None  # `enrich --offline`, when it differs from the queries


def link_out(w: World) -> Expect:
    w.plant("models/leak.yaml").symlink_to(w.outside / "secret.yaml")
    return Expect()


def linked_folder_out(w: World) -> Expect:
    shutil.rmtree(w.root / "tools")
    (w.outside / "tools").mkdir()
    (w.outside / "tools" / "secret.yaml").write_text(SECRET_ENTRY)
    (w.root / "tools").symlink_to(w.outside / "tools")
    w.hostile.append(w.root / "tools" / "secret.yaml")
    return Expect(cause=None)


def link_in(w: World) -> Expect:
    w.plant("models/twin.yaml").symlink_to("gpt-j-6b.yaml")  # inside: read, and reported as a twin
    return Expect(fmt=0)


def link_loop(w: World) -> Expect:
    w.plant("models/loop.yaml").symlink_to("loop.yaml")
    return Expect()


def link_dangling(w: World) -> Expect:
    w.plant("models/gone.yaml").symlink_to("nowhere.yaml")
    return Expect()


def fifo(w: World) -> Expect:
    os.mkfifo(w.plant("models/pipe.yaml"))
    return Expect()


def device(w: World) -> Expect:
    w.plant("models/zero.yaml").symlink_to("/dev/zero")
    return Expect()


def unix_socket(w: World) -> Expect:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(w.plant("datasets/sock.yaml")))
    return Expect()


def sparse_huge(w: World) -> Expect:
    with open(w.plant("models/huge.yaml"), "wb") as handle:
        handle.truncate(3 * 1024**3)  # 3 GiB that take no room on disk
    return Expect()


def empty_file(w: World) -> Expect:
    w.plant("models/empty.yaml").write_text("")
    return Expect()


def only_null(w: World) -> Expect:
    w.plant("models/null.yaml").write_text("~\n")
    return Expect()


def read_only(w: World) -> Expect:
    path = w.plant("datasets/the-pile.yaml")
    path.write_text(path.read_text() + "\n\n")  # valid, but not canonical: fmt wants to rewrite it
    path.chmod(0o444)
    return Expect(validate=0, named=0, cause="read-only", cause_for=("write",))


def unreadable_entry(w: World) -> Expect:
    w.plant("models/gpt-j-6b.yaml").chmod(0)
    return Expect(show=1, cause="permission denied", needs_permissions=True)


def unreadable_folder(w: World) -> Expect:
    w.plant("models").chmod(0)
    return Expect(query=1, cause="cannot be read: permission denied", needs_permissions=True)


def unreadable_catalogue(w: World) -> Expect:
    w.plant(".").chmod(0)
    return Expect(query=1, cause="cannot be read: permission denied", needs_permissions=True)


def licences_fifo(w: World) -> Expect:
    path = w.plant("licenses.yaml")
    path.unlink()
    os.mkfifo(path)
    return Expect(query=1, fmt=0, cause="licence table: not a regular file")


def enrichment_fifo(w: World) -> Expect:
    os.mkfifo(w.plant("enrichment.json"))
    return Expect(fmt=0, enrich=1, cause="not a regular file", cause_for=("enrich",))


def folder_named_like_an_entry(w: World) -> Expect:
    w.plant("models/folder.yaml").mkdir()
    return Expect()


def control_characters_in_a_name(w: World) -> Expect:
    # A name that would retitle a terminal, or forge a line of its own in CI annotations.
    w.plant("models/x\x1b]0;pwned\x07\n::error file=forged.yaml::forged.yaml").write_text("~\n")
    return Expect()


def no_entries(w: World) -> Expect:
    for folder in KIND_FOLDERS:
        shutil.rmtree(w.root / folder)
        (w.root / folder).mkdir()
    return Expect(show=1, fmt=0, cause=None)


def damaged_cache(w: World) -> Expect:
    from openai_catalog import index

    os.environ["XDG_CACHE_HOME"] = str(w.cache)  # restored by the autouse fixture
    index.build_index(w.root)
    damage(index.index_path(w.root))
    return Expect(validate=0, fmt=0)


def cache_path_with_uri_characters(w: World) -> Expect:
    w.cache = w.base / "ca?c#h%e 1"
    return Expect(validate=0, fmt=0)


def cache_is_a_file(w: World) -> Expect:
    w.cache = w.base / "cache-file"
    w.cache.write_text("not a folder")
    return Expect(
        validate=0, query=1, fmt=0, enrich=0, cause="cannot write the search index"
    )  # not a traceback


STATES: dict[str, Callable[[World], Expect]] = {
    f.__name__: f
    for f in (
        link_out,
        linked_folder_out,
        link_in,
        link_loop,
        link_dangling,
        fifo,
        device,
        unix_socket,
        sparse_huge,
        empty_file,
        only_null,
        read_only,
        unreadable_entry,
        unreadable_folder,
        unreadable_catalogue,
        licences_fifo,
        enrichment_fifo,
        folder_named_like_an_entry,
        control_characters_in_a_name,
        no_entries,
        damaged_cache,
        cache_path_with_uri_characters,
        cache_is_a_file,
    )
}


def commands(w: World) -> list[dict[str, Any]]:
    """Every command, read-only ones first and `fmt` (which writes) last."""
    cat = ["--catalog", str(w.root)]
    named = [
        str(p)
        for p in w.hostile
        if p.name.endswith(".yaml") and p.parent.name in KIND_FOLDERS and not p.is_dir()
    ]  # a folder named like an entry is a folder when named (CAT028)
    out: list[dict[str, Any]] = [
        {"args": [*cat, "index", "status"], "role": "status"},
        {"args": [*cat, "validate"], "role": "validate"},
        {"args": [*cat, "validate", "--format", "json"], "role": "validate"},
        {"args": [*cat, "validate", "--format", "github", "--strict"], "role": "validate"},
        {"args": [*cat, "search", "gpt"], "role": QUERY},
        {"args": [*cat, "search", "model", "--format", "json"], "role": QUERY},
        {"args": [*cat, "list"], "role": QUERY},
        {"args": [*cat, "list", "--format", "csv"], "role": QUERY},
        {"args": [*cat, "show", "gpt-j-6b"], "role": "show"},
        {"args": [*cat, "stats"], "role": QUERY},
        {"args": [*cat, "stats", "--format", "json"], "role": QUERY},
        {"args": [*cat, "export", "markdown"], "role": QUERY},
        {
            "args": [*cat, "export", "html", "--output", str(w.out / "page.html")],
            "role": QUERY,
            "may_write": [str(w.out / "page.html")],
        },
        {
            "args": [*cat, "enrich", "--offline"],
            "role": "enrich",
            "may_write": [str(w.root / "enrichment.json")],
        },
        {"args": ["schema"], "role": "status"},
        {"args": [*cat, "fmt", "--check"], "role": "fmt"},
        {"args": [*cat, "fmt", "--diff"], "role": "fmt"},
    ]
    if named:
        out.append({"args": [*cat, "validate", "--format", "github", *named], "role": "named"})
        out.extend(
            {"args": [*cat, "show", Path(p).stem], "role": "named"}
            for p in named
            if Path(p).stem != "gpt-j-6b"
        )  # an id whose file is refused: no entry, exit 1
        out.append({"args": [*cat, "fmt", "--check", *named], "role": "fmt"})
    out.append({"args": [*cat, "fmt"], "role": "write", "formats": True})
    return out


def run_commands(w: World, todo: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run the commands through hostile_driver.py in one subprocess; their records, in order."""
    work = w.base / "driver"
    work.mkdir(exist_ok=True)
    spec = {
        "commands": todo,
        "cwd": str(w.base),
        "work": str(work),
        "watch": [str(w.root), str(w.outside)],
        "progress": str(work / "progress.json"),
        "results": str(work / "results.json"),
    }
    (work / "spec.json").write_text(json.dumps(spec))
    env = {**os.environ, "XDG_CACHE_HOME": str(w.cache), "NO_COLOR": "1", "COLUMNS": "120"}
    try:
        proc = subprocess.run(
            as_plain_user([str(DRIVER), str(work / "spec.json")]),
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            cwd=w.base,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(
            f"stalled in: catalog {' '.join(json.loads((work / 'progress.json').read_text()))}"
        )
    assert proc.returncode == 0, proc.stderr
    results: list[dict[str, Any]] = json.loads((work / "results.json").read_text())
    return results


def check(w: World, expect: Expect, result: dict[str, Any], command: dict[str, Any]) -> None:
    shown = f"catalog {' '.join(result['args'])}\n--- stdout\n{result['stdout']}\n--- stderr\n{result['stderr']}"
    output = result["stdout"] + result["stderr"]
    assert "Traceback" not in output, shown
    assert SECRET not in output, shown
    assert "\x1b" not in output and "\x07" not in output, (
        shown
    )  # no terminal control from file names
    assert not any(line.startswith("::error file=forged") for line in output.split("\n")), (
        shown
    )  # nor CI commands
    code = result["code"]
    assert code in (0, 1, 2), shown
    role = command["role"]
    wanted = {
        "validate": expect.validate,
        QUERY: expect.query,
        "fmt": expect.fmt,
        "status": 0,
        "write": expect.fmt,
        "show": expect.query if expect.show is None else expect.show,
        "named": expect.named,
        "enrich": expect.query if expect.enrich is None else expect.enrich,
    }[role]
    assert code == wanted, shown
    if code == 1 and expect.cause and role in expect.cause_for:
        assert expect.cause in result["stderr"] or expect.cause in result["stdout"], shown
    allowed = set(command.get("may_write", []))
    for path in result["changed"]:
        if path in allowed:
            continue
        before, after = result["before"][path], result["after"][path]
        formatted = (
            command.get("formats")
            and before
            and after
            and path.startswith(str(w.root) + os.sep)
            and before[0] == after[0] == 0o100000
            and before[1:3] == after[1:3]
        )
        assert formatted, f"{shown}\n--- changed {path}: {before} -> {after}"


@pytest.mark.parametrize("state", STATES)
def test_every_command_survives_a_hostile_state(state: str, tmp_path: Path) -> None:
    world = World.make(tmp_path)
    expect = STATES[state](world)
    if expect.needs_permissions and not permissions_apply():
        pytest.skip("file permissions cannot be made to apply to this user here")
    todo = commands(world)
    try:
        results = run_commands(world, todo)
    finally:
        for path in (world.root, *world.hostile):
            if path.exists() and not path.is_symlink():
                path.chmod(0o755)  # so that pytest can remove the tree
    for command, result in zip(todo, results, strict=True):
        check(world, expect, result, command)


# States that plant a file every command must refuse or report, whatever else is there.
REFUSED_FILES = [
    "link_out",
    "link_loop",
    "link_dangling",
    "fifo",
    "device",
    "unix_socket",
    "sparse_huge",
    "empty_file",
    "only_null",
    "folder_named_like_an_entry",
    "control_characters_in_a_name",
    "enrichment_fifo",
]


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(REFUSED_FILES), min_size=2, max_size=5, unique=True))
def test_hostile_files_together_leave_the_rest_of_the_catalogue_usable(
    tmp_path_factory: Any, picked: list[str]
) -> None:
    world = World.make(tmp_path_factory.mktemp("together"))
    for name in picked:
        STATES[name](world)
    todo = [c for c in commands(world) if c["role"] in (QUERY, "show", "named")]
    results = run_commands(world, todo)
    for command, result in zip(todo, results, strict=True):
        check(world, Expect(show=0), result, command)
    listing = next(r for r in results if r["args"][-1] == "csv")
    assert "gpt-j-6b" in listing["stdout"]  # one bad file never hides the others
