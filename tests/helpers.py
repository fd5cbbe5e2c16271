"""Running the CLI in-process (CliRunner) and as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from openai_catalog.cli.app import run as run_cli

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
DRIFT = ROOT / "tests" / "fixtures" / "drift"  # entries that disagree with its enrichment.json
BROKEN = ROOT / "tests" / "broken"
SHIPPED = ROOT / "catalog"


def run(*args: str | Path) -> Result:
    """Run a command line in-process through app.run, the path of the console script, with its
    output captured; returns typer's Result (exit_code, stdout, stderr)."""
    from openai_catalog.cli import _context, _output

    _context.catalog_dir = None
    _context._loaded = None
    _output.stdout.cache_clear()
    _output.stderr.cache_clear()
    runner = CliRunner()
    with runner.isolation() as (out, err, both):
        code = run_cli([str(a) for a in args])
        sys.stdout.flush()
        sys.stderr.flush()
        return Result(runner, out.getvalue(), err.getvalue(), both.getvalue(), None, code, None)


def besides_evidence(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings other than CAT090: for tests of other rules on entries made without evidence."""
    return [f for f in findings if f["rule"] != "CAT090"]


def run_json(*args: str | Path) -> Any:
    result = run(*args)
    return result, json.loads(result.stdout)


def run_process(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m openai_catalog` for real: real exit codes, real stderr."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "openai_catalog", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=full_env,
        timeout=120,
    )


def entry(entry_id: str, kind: str = "model", **fields: Any) -> dict[str, Any]:
    """A valid entry of `kind` with the given fields (hub, github, parameters, ...)."""
    data: dict[str, Any] = {
        "id": entry_id,
        "name": entry_id.replace("-", " ").title(),
        "kind": kind,
        "summary": f"The {entry_id} entry, written by a test of enrichment.",
    }
    if kind in ("model", "dataset", "tool"):
        data["license"] = "Apache-2.0"
    if kind in ("tool", "community", "compute"):
        data["url"] = f"https://example.org/{entry_id}"
    data.update(fields)
    data.setdefault("sources", [f"https://example.org/{entry_id}/source"])
    return data


def write_catalog(root: Path, *entries: dict[str, Any]) -> Path:
    """A catalogue folder holding the mini licence table and these entries."""
    import shutil

    import yaml

    from openai_catalog.schema import KIND_FOLDERS, SCHEMA_HEADER

    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(MINI / "licenses.yaml", root / "licenses.yaml")
    for data in entries:
        folder = root / KIND_FOLDERS[data["kind"]]
        folder.mkdir(exist_ok=True)
        text = SCHEMA_HEADER + "\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        (folder / f"{data['id']}.yaml").write_text(text, encoding="utf-8")
    return root


class Terminal:
    """`python -m openai_catalog ARGS` on a real pseudo-terminal that is its controlling
    terminal, so that it sees a TTY on stdin and Ctrl-C (`\\x03`) reaches it as SIGINT."""

    def __init__(self, *args: str | Path, cwd: Path | None = None) -> None:
        import fcntl
        import termios

        self.master, slave = os.openpty()

        def become_terminal_owner() -> None:  # runs in the child, after setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.proc = subprocess.Popen(  # noqa: S603 - our own module
            [sys.executable, "-m", "openai_catalog", *map(str, args)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=cwd,
            env=dict(os.environ),
            start_new_session=True,
            preexec_fn=become_terminal_owner,
        )
        os.close(slave)
        self.output = ""
        self._seen = 0

    def _read(self, timeout: float) -> bool:
        import select

        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # the child closed the terminal
            return False
        if not chunk:
            return False
        self.output += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        return True

    def expect(self, text: str, timeout: float = 15) -> str:
        """Wait until `text` appears after what was already matched; return what came before."""
        import time

        deadline = time.monotonic() + timeout
        while text not in self.output[self._seen :]:
            if not self._read(max(0.0, deadline - time.monotonic())) and (
                time.monotonic() > deadline or self.proc.poll() is not None
            ):
                while self._read(0.1):
                    pass
                if text in self.output[self._seen :]:
                    break
                raise AssertionError(f"{text!r} never came; the terminal shows:\n{self.output}")
        end = self.output.index(text, self._seen) + len(text)
        before = self.output[self._seen : end]
        self._seen = end
        return before

    def send(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode())

    def interrupt(self) -> None:
        os.write(self.master, b"\x03")

    def wait(self, timeout: float = 30) -> int:
        code = self.proc.wait(timeout)
        while self._read(0.1):
            pass
        os.close(self.master)
        return code


# Run as root (as in CI), a test of what an unreadable file does would see it read anyway: root
# passes every permission check. This bootstrap gives up the two capabilities that do that
# (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH; dropped from the bounding set, so the exec that follows
# cannot regain them) and then runs the real command, still as root otherwise: files stay ours,
# and the interpreter in a root-only folder stays runnable, which switching to `nobody` would not.
_DROP_ROOT_OVERRIDE = """
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
for capability in (1, 2):
    if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP; refused: run as we are, and
        break  # permissions_apply() tells the tests that need it
os.execv(sys.executable, [sys.executable, *sys.argv[1:]])
"""


def as_plain_user(argv: list[str]) -> list[str]:
    """`argv` (a Python command: its arguments after the interpreter) so that file permissions
    apply to it even when the tests run as root."""
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        return [sys.executable, *argv]
    return [sys.executable, "-c", _DROP_ROOT_OVERRIDE, *argv]


def permissions_apply() -> bool:
    """Whether as_plain_user really makes permissions apply here (a container may forbid it)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        secret = Path(folder) / "secret"
        secret.write_text("x")
        secret.chmod(0)
        probe = subprocess.run(
            as_plain_user(["-c", f"open({str(secret)!r}).read()"]), capture_output=True, timeout=60
        )
        return probe.returncode == 1 and b"PermissionError" in probe.stderr


def damage(index_file: Path) -> None:
    """Overwrite the first page of the entries table and of the full-text index in an SQLite
    file: its header, schema and metadata stay whole, so it opens and says what it is, and a
    query for entries fails with "database disk image is malformed"."""
    import sqlite3

    conn = sqlite3.connect(index_file)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = [
        r[0]
        for r in conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name IN ('entries', 'fts_data')"
        )
    ]
    conn.close()
    with open(index_file, "r+b") as handle:
        for page in pages:
            handle.seek((page - 1) * page_size)
            handle.write(b"\xa5" * page_size)


# --- enrichment runs, shared by the enrichment tests ---------------------------------------------


def fast_settings(**changes: Any) -> Any:
    """Enrichment settings with waits shrunk for tests (short backoff and timeout)."""
    from openai_catalog.enrich.policy import Settings

    return Settings(**{"backoff": 0.01, "timeout": 2.0, **changes})


def enrich(root: Path, settings: Any = None, **options: Any) -> tuple[Any, dict[str, Any]]:
    """Enrich the catalogue at `root`; returns the report and the snapshot's entries."""
    from openai_catalog.enrich.run import enrich_catalog
    from openai_catalog.registry import load_catalog

    report = enrich_catalog(load_catalog(root), settings=settings or fast_settings(), **options)
    path = root / "enrichment.json"
    return report, json.loads(path.read_text())["entries"] if path.exists() else {}


def statuses(report: Any, by_source: bool = False) -> dict[str, str]:
    """What became of each entry (of each entry/source when `by_source`)."""
    return {
        f"{o.task.entry_id}/{o.task.source}" if by_source else o.task.entry_id: o.status
        for o in report.outcomes
    }


def stats_by_name(stats: Any) -> dict[bytes, tuple[int, int, int] | None]:
    """A freshness.Stats as (size, mtime_ns, inode) by file name; None for a file gone by its
    stat (the code reads the arrays in bulk; tests read them by name)."""
    return {
        name: (size, mtime, inode) if size >= 0 else None
        for name, size, mtime, inode in zip(
            stats.names, stats.sizes, stats.mtimes, stats.inodes, strict=True
        )
    }
