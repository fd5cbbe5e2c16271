"""The contributor's tooling: pre-commit hooks, GitHub workflows, issue and pull-request templates."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import MINI, ROOT, run
from openai_catalog.cli.app import COMMANDS
from openai_catalog.schema import ENTRY_TYPES

HOOKS = ROOT / ".pre-commit-hooks.yaml"
CONFIG = ROOT / ".pre-commit-config.yaml"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def test_pre_commit_accepts_both_files() -> None:
    from pre_commit.clientlib import load_config, load_manifest

    assert [hook["id"] for hook in load_manifest(str(HOOKS))] == ["catalog-validate", "catalog-fmt"]
    assert load_config(str(CONFIG))["repos"][0]["repo"] == "local"


@pytest.mark.parametrize("hook", yaml.safe_load(HOOKS.read_text()), ids=lambda h: h["id"])
def test_hook_entries_name_real_commands(hook: dict[str, str]) -> None:
    program, command, *args = shlex.split(hook["entry"])
    assert program == "catalog" and command in COMMANDS
    assert run(command, *args, "--help").exit_code == 0


def test_this_repository_runs_the_hooks_it_publishes() -> None:
    published = {h["id"]: h for h in yaml.safe_load(HOOKS.read_text())}
    local = {h["id"]: h for h in yaml.safe_load(CONFIG.read_text())["repos"][0]["hooks"]}
    assert local.keys() == published.keys()
    for hook_id, hook in local.items():
        for key in ("entry", "files", "pass_filenames"):
            assert hook.get(key) == published[hook_id].get(key), (hook_id, key)


@pytest.mark.slow
def test_the_hooks_run_under_pre_commit_in_a_git_repository(tmp_path: Path) -> None:
    """fmt fixes what is not canonical (and so fails once), validate passes, then all is clean."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    shutil.copytree(MINI, repo / "catalog")
    shutil.copy(CONFIG, repo / ".pre-commit-config.yaml")
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PRE_COMMIT_COLOR": "never",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    for command in (["git", "init", "-q"], ["git", "add", "-A"]):
        subprocess.run(command, cwd=repo, env=env, check=True, capture_output=True)

    def pre_commit() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--all-files"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    first = pre_commit()
    assert first.returncode == 1, first.stdout + first.stderr
    assert "catalog validate" in first.stdout and "files were modified by this hook" in first.stdout
    second = pre_commit()
    assert second.returncode == 0, second.stdout + second.stderr
    assert second.stdout.count("Passed") == 2


def test_workflows_pass_actionlint() -> None:
    actionlint = shutil.which("actionlint", path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if actionlint is None:
        if os.environ.get("CI"):
            pytest.fail("actionlint is missing in CI: pip install '.[test]' should install it")
        pytest.skip("actionlint is not installed here (no wheel for this platform)")
    proc = subprocess.run(
        [actionlint, "-no-color", *map(str, WORKFLOWS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _steps(name: str) -> list[str]:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())
    return [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]


def test_pull_requests_validate_format_and_test() -> None:
    runs = " ; ".join(_steps("pull_request.yml"))
    for command in (
        "pip install '.[test]'",
        "catalog validate --strict --lenient-drift --format github",
        "catalog fmt --diff",
        "bash .ci/run",
    ):
        assert command in runs, command


def test_the_weekly_job_enriches_and_proposes_the_snapshot() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "enrich.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "schedule" in triggers and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read"}
    assert "catalog enrich" in " ".join(_steps("enrich.yml"))
    uses = [step.get("uses", "") for step in workflow["jobs"]["enrich"]["steps"]]
    assert any(u.startswith("peter-evans/create-pull-request@") for u in uses)


def test_pages_builds_the_site_on_every_push_to_main_and_deploys_it() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    assert workflow[True]["push"] == {"branches": ["main"]}
    assert workflow["permissions"] == {"contents": "read"}  # write access only where it deploys
    assert "catalog --catalog catalog site build _site --base-url" in " ".join(_steps("pages.yml"))
    build = [step.get("uses", "") for step in workflow["jobs"]["build"]["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in build)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["permissions"] == {
        "pages": "write",
        "id-token": "write",
    }
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_the_issue_form_offers_every_kind() -> None:
    form = yaml.safe_load(
        (ROOT / ".github" / "ISSUE_TEMPLATE" / "suggest-an-artifact.yml").read_text()
    )
    fields = {item.get("id"): item for item in form["body"] if item.get("id")}
    assert fields["kind"]["attributes"]["options"] == list(ENTRY_TYPES)
    for required in ("kind", "name", "links", "license", "why"):
        assert fields[required]["validations"]["required"] is True, required


def test_the_pull_request_template_and_guide_name_real_commands() -> None:
    guide = (ROOT / "docs" / "adding-an-entry.md").read_text()
    template = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text()
    assert "docs/adding-an-entry.md" in (ROOT / "CONTRIBUTING.md").read_text()
    for text in (guide, template):
        for command in ("catalog validate", "catalog fmt"):
            assert command in text
    import re

    named = set(re.findall(r"(?:^|\$ |`)catalog ([a-z]+)", guide + template, flags=re.MULTILINE))
    known = set(COMMANDS) | {"enrich"}  # enrich arrives with the enrichment work
    assert {"add", "fmt", "validate"} <= named and named <= known, named
