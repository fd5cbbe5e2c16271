"""Runs catalog commands one after another in this process, as `catalog` would run them, and
records for each its exit code, its output and every file it changed (test_hostile_files.py).

One process for a list of commands, not one each: a Python start-up costs more than most
commands over a small catalogue, and the hostile suite runs hundreds. Each command goes through
the console script's own entry point with the state of one invocation reset, its stdout and
stderr are the real file descriptors 1 and 2 (redirected to files), and the parent gives the
whole run a timeout: a command that hangs is named in `progress`.

Usage: python hostile_driver.py SPEC.json (written by the test; see run_commands there).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import traceback
from pathlib import Path
from typing import Any

SMALL = 2 * 1024 * 1024


def state_of(path: str, info: os.stat_result) -> list[Any]:
    """What a path is, compared before and after a command: type, mode, owner, and its content
    (a link's target, a small regular file's hash, a large one's size and time)."""
    kind = stat.S_IFMT(info.st_mode)
    out: list[Any] = [kind, stat.S_IMODE(info.st_mode), info.st_uid]
    if stat.S_ISLNK(info.st_mode):
        out.append(os.readlink(path))
    elif stat.S_ISREG(info.st_mode):
        if info.st_size > SMALL:
            out += [info.st_size, info.st_mtime_ns]
        else:
            try:
                with open(path, "rb") as handle:
                    out.append(hashlib.sha256(handle.read()).hexdigest())
            except OSError:  # unreadable on purpose: its stat has to do
                out += [info.st_size, info.st_mtime_ns]
    return out


def snapshot(folders: list[str]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for top in folders:
        if not os.path.lexists(top):
            continue
        found[top] = state_of(top, os.lstat(top))
        for folder, dirs, files in os.walk(top, onerror=lambda exc: None):
            for name in dirs + files:
                path = os.path.join(folder, name)
                try:
                    found[path] = state_of(path, os.lstat(path))
                except OSError:
                    pass
    return found


def run_one(args: list[str], stdout_path: str, stderr_path: str) -> int:
    from openai_catalog import freshness
    from openai_catalog.cli import _context, _output, entry

    _context.catalog_dir = None
    _context._loaded = None
    _output.stdout.cache_clear()
    _output.stderr.cache_clear()
    sys.argv = ["catalog", *args]
    saved = os.dup(1), os.dup(2)
    out = os.open(stdout_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    err = os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(out, 1)
    os.dup2(err, 2)
    code = 0
    try:
        entry.main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - exactly what the suite looks for
        traceback.print_exc()
        code = 99
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, out, err):
            os.close(fd)
        freshness.discard()
    return code


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text())
    results = []
    work = Path(spec["work"])
    for number, command in enumerate(spec["commands"]):
        Path(spec["progress"]).write_text(json.dumps(command["args"]))
        before = snapshot(spec["watch"])
        os.chdir(command.get("cwd", spec["cwd"]))
        out, err = str(work / f"{number}.out"), str(work / f"{number}.err")
        code = run_one(command["args"], out, err)
        after = snapshot(spec["watch"])
        changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
        results.append(
            {
                "args": command["args"],
                "code": code,
                "changed": changed,
                "before": {p: before.get(p) for p in changed},
                "after": {p: after.get(p) for p in changed},
                "stdout": Path(out).read_text(errors="replace"),
                "stderr": Path(err).read_text(errors="replace"),
            }
        )
    Path(spec["results"]).write_text(json.dumps(results))


if __name__ == "__main__":
    main()
