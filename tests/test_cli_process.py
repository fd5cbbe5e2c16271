"""The CLI as a user meets it: a real process, real exit codes, real stderr, real imports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import BROKEN, DRIFT, MINI, run_process

PROBE = """
import sys
sys.argv = ["catalog", *{args!r}]
from openai_catalog.cli.app import main
try:
    main()
except SystemExit as exc:
    print("EXIT=" + str(exc.code), file=sys.stderr)
heavy = sorted(m for m in ("huggingface_hub", "requests", "license_expression") if m in sys.modules)
print("HEAVY=" + ",".join(heavy), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--catalog", str(MINI), "list"],
        ["--catalog", str(MINI), "show", "gpt-j-6b"],
        ["--catalog", str(MINI), "search", "gpt-j"],
        ["--catalog", str(MINI), "validate"],
        ["--catalog", str(DRIFT), "show", "hub-renamed"],
        ["--catalog", str(DRIFT), "validate"],
        ["--catalog", str(MINI), "enrich", "--offline"],
    ],
)
def test_light_commands_import_neither_the_hub_client_nor_requests(
    args: list[str], tmp_path: Path
) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    for _ in range(
        2
    ):  # a cold search builds the index, a warm one reads it: neither may import them
        proc = subprocess.run(
            [sys.executable, "-c", PROBE.format(args=args)],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert "EXIT=0" in proc.stderr.splitlines(), proc.stderr  # the command did its work
        heavy = next(line for line in proc.stderr.splitlines() if line.startswith("HEAVY="))
        assert "huggingface_hub" not in heavy and "requests" not in heavy
        assert "Traceback" not in proc.stderr


def test_the_online_check_does_import_requests(tmp_path: Path) -> None:
    """The probe above can see an import: `validate --online` needs requests, and loads it
    (here on an empty catalogue, so that no address is asked; that it is empty is an error,
    CAT028)."""
    (tmp_path / "licenses.yaml").write_bytes((MINI / "licenses.yaml").read_bytes())
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE.format(args=["--catalog", str(tmp_path), "validate", "--online"]),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "EXIT=1" in proc.stderr.splitlines(), proc.stderr
    assert "CAT028" in proc.stdout
    heavy = next(line for line in proc.stderr.splitlines() if line.startswith("HEAVY="))
    assert "requests" in heavy


@pytest.mark.slow
def test_exit_codes_of_a_real_process() -> None:
    assert run_process("--catalog", MINI, "validate").returncode == 0
    broken = run_process("--catalog", MINI, "validate", BROKEN / "models" / "unknown-key.yaml")
    assert broken.returncode == 1
    assert "CAT010" in broken.stdout and "1 error" in broken.stderr
    assert "Traceback" not in broken.stderr
    usage = run_process("--catalog", MINI, "list", "--format", "xml")
    assert usage.returncode == 2 and "xml" in usage.stderr
    missing = run_process("--catalog", MINI, "show", "nothing-like-this")
    assert missing.returncode == 1
    assert missing.stdout == "" and "error: no entry 'nothing-like-this'" in missing.stderr


def test_a_missing_catalogue_is_a_clear_error(tmp_path: Path) -> None:
    proc = run_process("--catalog", tmp_path / "nope", "list")
    assert proc.returncode == 2 and "nope" in proc.stderr
    proc = run_process("list", env={"OPENAI_CATALOG_DIR": str(tmp_path / "nope")})
    assert proc.returncode != 0 and "nope" in proc.stderr and "Traceback" not in proc.stderr


def test_a_broken_licence_table_is_an_unreadable_catalogue(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "licenses.yaml").write_text("licenses: [\n")
    proc = run_process("--catalog", tmp_path, "list")
    assert proc.returncode == 1
    assert "licenses.yaml" in proc.stderr and "Traceback" not in proc.stderr


def test_the_installed_package_carries_its_catalogue(tmp_path: Path) -> None:
    """From a folder with no catalog/ above it, `catalog list` falls back to the packaged copy."""
    proc = run_process("list", "--format", "ids", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.split()) >= 15
    assert "gpt-j-6b" in proc.stdout.split()


def test_file_system_errors_are_messages_not_tracebacks(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    proc = run_process("--catalog", MINI, "export", "json", "--output", blocker / "out.json")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "error:" in proc.stderr


def test_a_closed_pipe_ends_quietly() -> None:
    import subprocess

    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "openai_catalog",
            "--catalog",
            str(MINI),
            "list",
            "--format",
            "jsonl",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    proc.stdout.readline()
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err and b"BrokenPipe" not in err


@pytest.mark.parametrize(
    "command", [["stats"], ["list"], ["show", "gpt-j-6b"], ["search", "gpt"]], ids=lambda c: c[0]
)
def test_a_pipe_closed_before_anything_is_written_ends_quietly_with_0(
    command: list[str], tmp_path: Path
) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # `catalog stats | head -1` once head has gone: every write fails
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "openai_catalog", "--catalog", str(MINI), *command],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)},
        )
    finally:
        os.close(write_end)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "error" not in proc.stderr
