"""`catalog changes` and `show --history`, on a throwaway git repository whose commits add, edit,
rename, relicense, withdraw and remove entries, some through merged pull requests."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import feedparser
import pytest
import yaml

from helpers import MINI, ROOT, Terminal, entry, run, write_catalog
from openai_catalog import changes as history
from openai_catalog.schema import KIND_FOLDERS, SCHEMA_HEADER

GOLDEN = (
    ROOT / "tests" / "golden" / "changes"
)  # refresh deliberately: UPDATE_GOLDEN=1 python -m pytest tests/test_changes.py


def golden(name: str, text: str) -> str:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path} is missing: run UPDATE_GOLDEN=1 python -m pytest {__file__}"
    return path.read_text(encoding="utf-8")


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{date}T12:00:00+00:00"
    proc = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True
    )
    return proc.stdout


def put(catalog: Path, data: dict[str, Any]) -> None:
    path = catalog / KIND_FOLDERS[data["kind"]] / f"{data['id']}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(SCHEMA_HEADER + "\n" + yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def commit(repo: Path, message: str, date: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)


BASE = entry(
    "base-lm",
    summary="A base language model that later changes its name.",
    url="https://example.org/base-lm",
)
CORPUS = entry(
    "web-corpus",
    "dataset",
    license="CC-BY-4.0",
    summary="A web corpus whose licence and status change over time.",
)
OLD_TOOL = entry("old-tool", "tool", summary="A tool that is removed from the catalogue later on.")
CODER = entry(
    "coder-lm",
    license="MIT",
    hub="example/coder-lm",
    weights="open",
    summary="A code model added through a pull request.",
)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    top = tmp_path_factory.mktemp("history")
    git(top, "init", "-q", "-b", "main")
    catalog = write_catalog(top / "catalog", BASE, CORPUS, OLD_TOOL)
    (top / "README.md").write_text("a catalogue\n")
    commit(top, "Start the catalogue", "2026-10-20")
    git(top, "tag", "v1")
    git(top, "checkout", "-q", "-b", "add-coder")
    put(catalog, CODER)
    commit(top, "Add coder-lm", "2026-11-02")
    git(top, "checkout", "-q", "main")
    git(
        top,
        "merge",
        "-q",
        "--no-ff",
        "add-coder",
        "-m",
        "Merge pull request #12 from someone/add-coder",
        date="2026-11-03",
    )
    put(catalog, {**CORPUS, "license": "CC-BY-NC-4.0"})
    commit(top, "Relicense web-corpus (#15)", "2026-11-05")
    git(top, "mv", "catalog/models/base-lm.yaml", "catalog/models/base-lm-v2.yaml")
    put(catalog, {**BASE, "id": "base-lm-v2", "name": "Base LM v2", "aliases": ["base-lm"]})
    commit(top, "Rename base-lm to base-lm-v2", "2026-11-10")
    put(
        catalog,
        {
            **CORPUS,
            "license": "CC-BY-NC-4.0",
            "status": "withdrawn",
            "status_note": "Taken down by its makers in November 2026.",
        },
    )
    commit(top, "Withdraw web-corpus", "2026-11-12")
    put(
        catalog,
        {
            **CODER,
            "summary": "A code model for twenty programming languages, added by a PR.",
            "tags": ["code"],
        },
    )
    commit(top, "Describe coder-lm", "2026-11-20")
    (catalog / "tools" / "old-tool.yaml").unlink()
    (top / "README.md").write_text("a catalogue of open AI\n")
    commit(top, "Remove old-tool", "2026-11-25")
    return top


def changes(repo: Path, *args: str) -> Any:
    result = run("--catalog", repo / "catalog", "changes", *args)
    assert "Traceback" not in result.output
    return result


def as_json(repo: Path, *args: str) -> list[dict[str, Any]]:
    result = changes(repo, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["changes"]


def test_every_kind_of_change_is_found_with_its_date_and_pull_request(repo: Path) -> None:
    found = [
        (c["change"], c["id"], c["date"][:10], c["pr"])
        for c in as_json(repo, "--since", "2026-11-01")
    ]
    assert found == [
        ("added", "coder-lm", "2026-11-03", 12),
        ("relicensed", "web-corpus", "2026-11-05", 15),
        ("renamed", "base-lm-v2", "2026-11-10", None),
        ("changed", "base-lm-v2", "2026-11-10", None),
        ("withdrawn", "web-corpus", "2026-11-12", None),
        ("changed", "coder-lm", "2026-11-20", None),
        ("removed", "old-tool", "2026-11-25", None),
    ]


def test_details_of_relicensing_renaming_and_field_changes(repo: Path) -> None:
    by = {(c["change"], c["id"]): c for c in as_json(repo, "--since", "2026-11-01")}
    relicensed = by[("relicensed", "web-corpus")]
    assert (relicensed["old_license"], relicensed["new_license"]) == ("CC-BY-4.0", "CC-BY-NC-4.0")
    assert by[("renamed", "base-lm-v2")]["old_id"] == "base-lm"
    assert by[("changed", "base-lm-v2")]["fields"] == ["aliases", "name"]
    assert by[("changed", "coder-lm")]["fields"] == ["summary", "tags"]


def test_the_whole_history_and_a_ref_as_the_start(repo: Path) -> None:
    everything = as_json(repo)
    assert {(c["change"], c["id"], c["date"][:10]) for c in everything[:3]} == {
        ("added", "base-lm", "2026-10-20"),
        ("added", "old-tool", "2026-10-20"),
        ("added", "web-corpus", "2026-10-20"),
    }
    after_tag = as_json(repo, "--since", "v1")
    assert after_tag == as_json(repo, "--since", "2026-11-01")
    until = as_json(repo, "--since", "v1", "--until", "HEAD~3")
    assert [c["change"] for c in until] == ["added", "relicensed", "renamed", "changed"]


def test_the_query_selects_which_entries_count(repo: Path) -> None:
    models = as_json(repo, "--since", "2026-11-01", "kind:model")
    assert {c["id"] for c in models} == {"coder-lm", "base-lm-v2"}
    # a removed entry is matched in its last state
    assert [c["id"] for c in as_json(repo, "--since", "2026-11-01", "kind:tool")] == ["old-tool"]
    assert {c["id"] for c in as_json(repo, "--since", "2026-11-01", "license:commercial")} == {
        "coder-lm",
        "base-lm-v2",
        "old-tool",
    }
    assert as_json(repo, "--since", "2026-11-01", "--kind", "compute") == []


def test_the_markdown_digest_matches_its_golden_file(repo: Path) -> None:
    result = changes(repo, "--since", "2026-11-01", "--until", "HEAD", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert result.stdout == golden("digest.md", result.stdout)
    assert result.stdout.startswith("# New in open AI: November 2026\n")


def test_the_json_matches_its_golden_file(repo: Path) -> None:
    result = changes(repo, "--since", "2026-11-01", "--format", "json")
    data = json.loads(result.stdout)
    for change in data["changes"]:
        change["commit"] = "<commit>"
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    assert text == golden("changes.json", text)


def test_the_atom_feed_is_valid_and_its_ids_are_stable(repo: Path, tmp_path: Path) -> None:
    feed_file = tmp_path / "feed.xml"
    result = changes(repo, "--since", "2026-11-01", "--format", "atom", "--output", feed_file)
    assert result.exit_code == 0, result.output
    feed = feedparser.parse(feed_file.read_bytes())
    assert feed.bozo == 0, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title == "New in open AI: November 2026"
    assert len(feed.entries) == 7
    newest = feed.entries[0]
    assert newest.title == "Removed: Old Tool" and newest.updated.startswith("2026-11-25")
    again = changes(repo, "--since", "2026-10-01", "--format", "atom")
    ids_again = {e.id for e in feedparser.parse(again.stdout).entries}
    assert {e.id for e in feed.entries} <= ids_again  # the same change keeps its id
    text = feed_file.read_text()
    normalised = "\n".join(
        re.sub(r"Commit [0-9a-f]{12}", "Commit <sha>", line)
        for line in text.splitlines()
        if "<id>" not in line
    )
    assert normalised + "\n" == golden("feed.atom", normalised + "\n")


def test_the_table_lists_each_change(repo: Path) -> None:
    result = changes(repo, "--since", "2026-11-01")
    assert result.exit_code == 0
    assert "CC-BY-4.0 → CC-BY-NC-4.0" in result.stdout and "#12" in result.stdout
    assert "was base-lm" in result.stdout
    assert "7 changes" in result.stderr
    quiet = changes(repo, "--since", "2026-11-26")
    assert quiet.exit_code == 0 and "no changes since 2026-11-26" in quiet.stderr


def test_show_history_lists_the_dated_changes_of_one_entry_through_its_rename(repo: Path) -> None:
    result = run("--catalog", repo / "catalog", "show", "base-lm-v2", "--history")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert [line.split()[:2] for line in lines[1:]] == [
        ["2026-10-20", "added"],
        ["2026-11-10", "renamed"],
        ["2026-11-10", "changed"],
    ]
    as_data = json.loads(
        run(
            "--catalog", repo / "catalog", "show", "base-lm-v2", "--history", "--format", "json"
        ).stdout
    )
    assert [c["change"] for c in as_data["history"]] == ["added", "renamed", "changed"]


@pytest.mark.parametrize("args", [["--since", "no-such-tag"], ["--until", "nowhere"]])
def test_an_unknown_ref_is_a_clear_error(repo: Path, args: list[str]) -> None:
    result = changes(repo, *args)
    assert result.exit_code == 1
    assert "names no commit" in result.stderr and "git log" in result.stderr


def test_an_impossible_date_is_a_usage_error(repo: Path) -> None:
    result = changes(repo, "--since", "2026-02-30")
    assert result.exit_code == 2 and "not a real date" in result.stderr


def test_a_catalogue_outside_git_is_a_clear_error(tmp_path: Path) -> None:
    catalog = shutil.copytree(MINI, tmp_path / "catalog")
    result = run("--catalog", catalog, "changes")
    assert result.exit_code == 1
    assert "not in a git repository" in result.stderr


def test_a_shallow_clone_missing_the_range_says_how_to_deepen(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    result = changes(clone, "--since", "2026-11-01")
    assert result.exit_code == 1
    assert "shallow" in result.stderr and "git fetch --shallow-since=2026-11-01" in result.stderr
    by_ref = changes(clone, "--since", "v1")
    assert by_ref.exit_code == 1 and "git fetch --unshallow" in by_ref.stderr
    recent = changes(clone, "--since", "2026-11-25")
    assert recent.exit_code == 0, recent.output


def test_output_is_written_atomically_and_the_table_refuses_it(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "digest.md"
    assert (
        changes(repo, "--since", "2026-11-01", "--format", "markdown", "--output", target).exit_code
        == 0
    )
    assert target.read_text().startswith("# New in open AI")
    refused = changes(repo, "--output", tmp_path / "table.txt")
    assert refused.exit_code == 2 and not (tmp_path / "table.txt").exists()


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A repository for the rarer cases, each in a commit of its own."""
    top = tmp_path / "small"
    top.mkdir()
    git(top, "init", "-q", "-b", "main")
    write_catalog(top / "catalog", BASE, CORPUS)
    commit(top, "Start", "2026-11-01")
    return top


def test_a_rename_git_cannot_see_is_found_through_the_alias(small: Path) -> None:
    catalog = small / "catalog"
    (catalog / "models" / "base-lm.yaml").unlink()
    put(
        catalog,
        entry(
            "renamed-lm",
            aliases=["base-lm"],
            license="MIT",
            url="https://example.org/r",
            summary="Written anew: nothing of the old file survives but the old id.",
        ),
    )
    commit(small, "Rename base-lm, rewriting it", "2026-11-02")
    found = [
        (c["change"], c["id"], c.get("old_id")) for c in as_json(small, "--since", "2026-11-02")
    ]
    assert ("renamed", "renamed-lm", "base-lm") in found
    assert ("relicensed", "renamed-lm", None) in found
    assert not any(change == "added" or change == "removed" for change, _, _ in found)


def test_a_status_that_becomes_active_again_is_reinstated(small: Path) -> None:
    catalog = small / "catalog"
    put(catalog, {**CORPUS, "status": "deprecated", "status_note": "Replaced for a while."})
    commit(small, "Deprecate", "2026-11-02")
    put(catalog, CORPUS)
    commit(small, "Reinstate", "2026-11-03")
    assert [c["change"] for c in as_json(small, "--since", "2026-11-02")] == [
        "deprecated",
        "reinstated",
    ]


def test_a_file_that_is_not_laid_out_as_fmt_writes_it_is_compared_after_parsing(
    small: Path,
) -> None:
    path = small / "catalog" / "models" / "base-lm.yaml"
    text = path.read_text()
    path.write_text(text + "summary: Written twice, so its fields cannot be told apart as text.\n")
    commit(small, "A duplicate key", "2026-11-02")
    path.write_text(
        text.replace("license: Apache-2.0", "license: MIT")
        + "summary: Written twice, so its fields cannot be told apart as text.\n"
    )
    commit(small, "Relicense it", "2026-11-03")
    found = [(c["change"], c["id"]) for c in as_json(small, "--since", "2026-11-03")]
    assert ("relicensed", "base-lm") in found


def test_an_option_that_looks_like_a_flag_is_a_usage_error(small: Path) -> None:
    result = changes(small, "--until", "-x")
    assert result.exit_code == 2 and "not a date or a git ref" in result.stderr


def test_without_git_it_says_how_to_get_it(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil as shutil_module

    monkeypatch.setattr(shutil_module, "which", lambda name, *a, **k: None)
    result = changes(small)
    assert result.exit_code == 1 and "needs git" in result.stderr and "install git" in result.stderr


def test_the_table_wraps_a_long_detail_under_its_own_column(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "72")
    lines = changes(repo, "--since", "2026-11-01").stdout.splitlines()
    column = lines[0].index("detail")
    row = next(i for i, line in enumerate(lines) if " relicensed " in line)
    assert lines[row][column:].split() == ["CC-BY-4.0", "→", "#15"]
    assert lines[row + 1] == " " * column + "CC-BY-NC-4.0"
    assert all(len(line) <= 72 for line in lines)


def test_on_a_terminal_the_table_is_styled_and_counted(repo: Path) -> None:
    term = Terminal("--catalog", repo / "catalog", "changes", "--since", "2026-11-01")
    assert term.wait() == 0
    assert "\x1b[1mweb-corpus" in term.output  # the entry in bold (NO_COLOR keeps no colour)
    assert "7 changes" in term.output


def test_a_removal_is_read_from_git_only_when_its_data_is_asked_for(repo: Path) -> None:
    found, _ = history.history(repo / "catalog")
    removed = next(c for c in found if c.change == "removed")
    assert removed.store is not None and removed.blob not in removed.store.held
    history.load([removed])
    assert removed.blob in removed.store.held and removed.data["name"] == "Old Tool"


def test_a_file_version_git_cannot_read_is_a_clear_error(small: Path) -> None:
    put(small / "catalog", {**CORPUS, "license": "MIT"})
    commit(small, "Relicense", "2026-11-02")
    blob = git(small, "rev-parse", "HEAD~1:catalog/datasets/web-corpus.yaml").strip()
    (small / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    result = changes(small, "--format", "json")
    assert result.exit_code == 1 and "partial or damaged clone" in result.stderr


@pytest.mark.parametrize(
    "block",
    [
        "summary: A model for code. Revised.",
        "summary: a  double  space, [brackets] {braces} and 50% more",
        "summary: Off the record",
        "name: Ünïcode näme 日本",
        "url: https://example.org/a#b?c=d:e",
        "license: Apache-2.0 OR MIT",
        "summary: Note: a colon and a space",
        "summary: With a # comment",
        "summary: ends with a colon:",
        "summary: a\ttab",
        "summary: a\u2028line separator",
        "summary: null",
        "on: a key YAML 1.1 reads as true",
        "tags: [code, vision]",
        "tags: [a,b , c]",
        "tags: []",
        "tags: [ ]",
        "tags: [yes, no, null]",
        "tags: [1.5, v2]",
        "tags: [a, b,]",
    ],
)
def test_a_field_read_as_text_has_the_value_yaml_reads(block: str) -> None:
    key = block.split(":")[0]
    try:  # as the comparison reads a field it cannot read as text
        loaded = yaml.load(block, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        expected = loaded.get(key) if isinstance(loaded, dict) else block
    except yaml.YAMLError:
        expected = block
    assert history._value(block, key) == expected


def test_the_fields_of_a_file_are_told_apart_as_text() -> None:
    text = "# a header\nid: a\ntags:\n- x\n# a note\nsummary: One\n  two\n"
    assert history._blocks(text) == {
        "id": "id: a",
        "tags": "tags:\n- x\n# a note",
        "summary": "summary: One\n  two\n",
    }
    assert history._blocks("id: a\nname: b") == {"id": "id: a", "name": "name: b"}
    assert history._blocks("id: a\nid: b\n") is None  # written twice: the file is parsed instead


def test_a_walk_cut_into_parts_finds_what_one_walk_finds(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = [c.as_dict() for c in history.history(repo / "catalog")[0]]
    monkeypatch.setattr(history, "_PART", 2)  # 7 commits: three gits at once
    monkeypatch.setattr(history, "_cores", lambda: 4)
    walks: list[list[str]] = []
    popen = subprocess.Popen

    def counted(args: list[str], **options: Any) -> Any:
        if "log" in args:
            walks.append(args)
        return popen(args, **options)

    monkeypatch.setattr(subprocess, "Popen", counted)
    for since in (None, "v1", "2026-11-01"):
        cut = [c.as_dict() for c in history.history(repo / "catalog", since)[0]]
        assert cut == [c for c in whole if c["date"] >= "2026-11" or since is None]
    assert len(walks) == 9  # each range in three parts
