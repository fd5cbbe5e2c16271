"""An index build reading entries through a second process (index_pipeline.read_entries).

The pipeline forks only in a process without other threads, and pytest runs some (the local Hub),
so these tests run it in a fresh interpreter.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import MINI

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or (os.cpu_count() or 1) < 2,
    reason="the pipeline needs fork and two cores",
)

SCRIPT = """
import json, os, sys
from pathlib import Path
from openai_catalog import _fork, index_pipeline, registry
root = Path(sys.argv[1])
files = list(registry.iter_entry_files(root))
serial = [(str(r.path), r.entry.model_dump_json() if r.entry else None) for r in index_pipeline.read_entries(files, False)]
index_pipeline._PIPELINE_BATCH = 1  # one file per message: the parent sees progress before a death
parent = os.getpid()
if len(sys.argv) > 2:  # the helper dies when it reaches this file
    real = registry.read_document
    def dying(path, display, *gate):
        if os.getpid() != parent and path.name == sys.argv[2]:
            os._exit(3)
        return real(path, display, *gate)
    registry.read_document = dying
assert _fork.may_fork()
piped = [(str(r.path), r.entry.model_dump_json() if r.entry else None)
         for r in index_pipeline.read_entries(iter(registry.iter_entry_files(root)), True)]
print(json.dumps({"serial": serial, "piped": piped}))
"""


def read_both(root: Path, *extra: str) -> dict[str, list[list[str | None]]]:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(root), *extra],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)  # type: ignore[no-any-return]


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(MINI, root)
    (root / "tools" / "broken.yaml").write_text("id: broken\nkind: tool\nname: [unclosed\n")
    (root / "tools" / "not-valid.yaml").write_text("id: not-valid\nkind: tool\nname: No summary\n")
    return root


def test_entries_read_through_a_second_process_are_the_entries_read_here(catalogue: Path) -> None:
    both = read_both(catalogue)
    assert both["piped"] == both["serial"]
    by_name = {Path(path).name: entry for path, entry in both["piped"]}
    assert by_name["broken.yaml"] is None and by_name["not-valid.yaml"] is None
    assert by_name["jax.yaml"] is not None and len(both["piped"]) > 5


def test_when_the_helper_dies_the_rest_is_read_here(catalogue: Path) -> None:
    both = read_both(catalogue, "jax.yaml")
    assert both["piped"] == both["serial"]
