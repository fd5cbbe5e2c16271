"""Running the CLI in-process (CliRunner) and as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from openai_catalog.cli.app import make_app

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
BROKEN = ROOT / "tests" / "broken"
SHIPPED = ROOT / "catalog"


def run(*args: str | Path) -> Any:
    """Invoke the app in-process; returns typer's Result (exit_code, stdout, stderr)."""
    from openai_catalog.cli import _context, _output

    _context.catalog_dir = None
    _context._loaded = None
    _output.stdout.cache_clear()
    _output.stderr.cache_clear()
    return CliRunner().invoke(make_app(), [str(a) for a in args], catch_exceptions=False)


def run_json(*args: str | Path) -> Any:
    result = run(*args)
    return result, json.loads(result.stdout)


def run_process(*args: str | Path, cwd: Path | None = None,
                env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m openai_catalog` for real: real exit codes, real stderr."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "openai_catalog", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, env=full_env, timeout=120)
