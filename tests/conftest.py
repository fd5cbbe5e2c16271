"""Every test runs with its own user state: no catalogue from the environment, no colour,
a fixed terminal width, and cache and Hub folders inside the test's temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import MINI


@pytest.fixture(autouse=True)
def isolated_user_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_CATALOG_DIR", raising=False)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    from openai_catalog.cli import _context, _output

    _context.catalog_dir = None
    _context._loaded = None
    _output.stdout.cache_clear()
    _output.stderr.cache_clear()


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the small test catalogue."""
    import shutil

    target = tmp_path / "catalog"
    shutil.copytree(MINI, target)
    return target
