"""Every test runs with its own user state: no catalogue from the environment, no colour,
a fixed terminal width, and cache and Hub folders inside the test's temporary folder.

huggingface_hub reads HF_ENDPOINT, HF_HOME and HF_HUB_DISABLE_TELEMETRY once, when it is imported;
so before anything can import it, this file starts the local stand-in for the Hub and GitHub and
points those variables (and GITHUB_API_URL) at it. No test reaches the real services.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

assert "huggingface_hub" not in sys.modules, "huggingface_hub was imported before conftest set HF_*"

from fakeservices import GITHUB_PREFIX, FakeServices  # noqa: E402 (after the HF_* set-up above)

from helpers import MINI  # noqa: E402

SERVICES = FakeServices().start()
_HF_HOME = tempfile.TemporaryDirectory(prefix="hf-home-")
os.environ["HF_ENDPOINT"] = SERVICES.url
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["HF_HOME"] = _HF_HOME.name
os.environ["GITHUB_API_URL"] = SERVICES.url + GITHUB_PREFIX
for _name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "GITHUB_TOKEN", "HF_HUB_OFFLINE"):
    os.environ.pop(_name, None)


@pytest.fixture(scope="session", autouse=True)
def _stop_services() -> Iterator[None]:
    yield
    SERVICES.stop()
    _HF_HOME.cleanup()


@pytest.fixture
def services() -> Iterator[FakeServices]:
    """The local Hub and GitHub, with nothing scripted and nothing logged."""
    SERVICES.reset()
    yield SERVICES
    SERVICES.reset()


@pytest.fixture(autouse=True)
def isolated_user_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_CATALOG_DIR", raising=False)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
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
