"""Search over the small fixed catalogue: ranking, tolerance, filters, freshness, robustness."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from helpers import MINI, run, run_json, run_process
from openai_catalog import index
from openai_catalog.query import parse
from openai_catalog.registry import load_catalog
from openai_catalog.schema import entry_to_dict


def ids(*args: str | Path, catalog: Path = MINI) -> list[str]:
    result = run("--catalog", catalog, "search", *args, "--format", "ids")
    assert result.exit_code == 0, result.output
    return result.stdout.split()


@pytest.mark.parametrize("spelling", ["gpt-j", "GPT J", "gptj", "GPT-J-6B", "gpt j 6b", "Gpt-J"])
def test_every_spelling_of_gpt_j_finds_it_first(spelling: str) -> None:
    assert ids(spelling)[0] == "gpt-j-6b"


def test_plurals_accents_and_case_are_forgiven() -> None:
    assert "gpt-j-6b" in ids("models")  # "model" in its tags and summary
    assert ids("Café")[0] == "cafe-corpus"
    assert ids("CAFE")[0] == "cafe-corpus"
    assert ids("cafés")[0] == "cafe-corpus"


def test_name_outranks_tags_outranks_summary_outranks_description() -> None:
    # "pile" is the name of the-pile, a tag of tagged-model, in the summary of gpt-j-6b
    # and only in the description of cafe-corpus.
    assert ids("pile") == ["the-pile", "tagged-model", "gpt-j-6b", "cafe-corpus"]


def test_phrases_prefixes_exclusions_and_or() -> None:
    assert ids('"language model"')[0] == "gpt-j-6b"
    assert "jax" in ids("compos*")
    assert "gpt-j-6b" not in ids("pile", "-jax")
    either = set(ids("jax", "OR", "llama"))
    assert {"jax", "gpt-j-6b", "llama-2-7b", "meta-ai"} <= either
    assert either.isdisjoint(ids("-jax", "-llama"))


def test_filters_and_their_flags_agree() -> None:
    assert ids("kind:model") == ids("--kind", "model")
    assert ids("license:permissive", "kind:model") == ids(
        "--license", "permissive", "--kind", "model"
    )
    assert "gpt-j-6b" in ids("license:permissive", "kind:model")
    assert "llama-2-7b" not in ids("license:permissive", "kind:model")
    assert "llama-2-7b" in ids("license:community")
    assert ids("--license", "llama2") == ["llama-2-7b"]
    assert ids("params:>=7B") == ["llama-2-7b"]
    assert set(ids("params:<7B")) == {"gpt-j-6b", "open-lm"}
    assert ids("released:2023", "kind:model") == ids(
        "--since", "2023", "--until", "2023", "--kind", "model"
    )
    assert "llama-2-7b" in ids("released:2023") and "gpt-j-6b" not in ids("released:2023")
    assert ids("--until", "2021-06", "--kind", "model") == ["gpt-j-6b"]
    assert ids("by:eleutherai", "kind:model") == ids("--by", "EleutherAI", "--kind", "model")
    assert ids("weights:gated") == ["llama-2-7b"]
    assert ids("tag:english") == ["the-pile"]
    assert ids("-kind:community", "-kind:model", "-kind:dataset", "-kind:tool") == [
        "tpu-research-cloud"
    ]


def test_sort_orders() -> None:
    result, document = run_json(
        "--catalog", MINI, "search", "kind:model", "--sort", "released", "--format", "json"
    )
    dates = [r["released"] for r in document["entries"]]
    assert dates == sorted(dates, reverse=True)
    names = ids("kind:model", "--sort", "name")
    assert names == sorted(names, key=lambda i: i.replace("-", " "))
    assert len(ids("--limit", "2")) == 2


def test_bad_query_exits_2_and_points_at_it() -> None:
    proc = run_process("--catalog", MINI, "search", "kind:modle")
    assert proc.returncode == 2
    assert "kind:modle" in proc.stderr and "^" in proc.stderr and "model" in proc.stderr
    assert run("--catalog", MINI, "search", "--license", "not-a-licence").exit_code == 2


def test_a_misspelling_that_matches_nothing_searches_the_correction_and_says_so() -> None:
    result = run("--catalog", MINI, "search", "eleuther-aii", "--format", "ids")
    assert result.exit_code == 0 and result.stdout.split()[0] == "eleutherai"
    assert "searched for 'eleuther-aii' as 'eleutherai'" in result.stderr


def test_no_match_even_corrected_suggests_near_spellings() -> None:
    result = run("--catalog", MINI, "search", "eleuther-aii", "kind:compute")
    assert result.exit_code == 0 and result.stdout == ""
    assert "did you mean" in result.stderr and "eleutherai" in result.stderr


def test_json_output_carries_licence_category_and_fields() -> None:
    result, document = run_json("--catalog", MINI, "search", "gpt-j", "--format", "json")
    rows = document["entries"]
    assert document["query"] == "gpt-j" and rows[0]["id"] == "gpt-j-6b"
    assert rows[0]["license_category"] == "permissive"
    assert rows[0]["parameters"] == 6_000_000_000


def test_table_escapes_markup_and_highlights_nothing_it_should_not(mini_copy: Path) -> None:
    path = mini_copy / "tools" / "jax.yaml"
    path.write_text(path.read_text().replace("name: JAX", 'name: "JAX [bold red]x[/] \\e[2J"'))
    table = run("--catalog", mini_copy, "search", "jax").stdout
    assert "[bold red]x[/]" in table and "\x1b" not in table


def test_an_in_place_edit_changes_the_next_result(mini_copy: Path) -> None:
    assert ids("zanzibar", catalog=mini_copy) == []
    path = mini_copy / "tools" / "jax.yaml"
    before = path.stat()
    with path.open("r+", encoding="utf-8") as handle:  # the same inode, as many editors write
        text = handle.read().replace("numerical programs", "numerical zanzibar programs")
        handle.seek(0)
        handle.write(text)
        handle.truncate()
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))
    assert path.stat().st_ino == before.st_ino
    assert ids("zanzibar", catalog=mini_copy) == ["jax"]


def test_added_and_removed_entries_show_at_once(mini_copy: Path) -> None:
    shutil.copy(mini_copy / "tools" / "jax.yaml", mini_copy / "tools" / "jax-two.yaml")
    (mini_copy / "tools" / "jax-two.yaml").write_text(
        (mini_copy / "tools" / "jax.yaml")
        .read_text()
        .replace("id: jax", "id: jax-two")
        .replace("github: jax-ml/jax\n", "")
    )
    assert "jax-two" in ids("jax", catalog=mini_copy)
    (mini_copy / "tools" / "jax-two.yaml").unlink()
    assert "jax-two" not in ids("jax", catalog=mini_copy)


@pytest.mark.parametrize(
    "damage", [b"", b"this is not a database at all" * 100, "truncate", "foreign", "old-version"]
)
def test_a_damaged_cache_is_rebuilt_not_a_crash(mini_copy: Path, damage: object) -> None:
    assert ids("jax", catalog=mini_copy)[0] == "jax"
    path = index.index_path(mini_copy)
    if damage == "truncate":
        raw = path.read_bytes()
        path.write_bytes(raw[: len(raw) // 3])
    elif damage == "foreign":
        import sqlite3

        path.unlink()
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE something_else(x)")
        conn.commit()
        conn.close()
    elif damage == "old-version":
        import sqlite3

        conn = sqlite3.connect(path)
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'version'")
        conn.commit()
        conn.close()
    else:
        path.write_bytes(damage)  # type: ignore[arg-type]
    assert ids("jax", catalog=mini_copy)[0] == "jax"
    assert index.status(mini_copy).fresh


def test_two_concurrent_builds_leave_one_whole_index(mini_copy: Path) -> None:
    errors: list[BaseException] = []

    def build() -> None:
        try:
            index.build_index(mini_copy)
        except BaseException as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert index.status(mini_copy).fresh
    assert [p.name for p in index.index_path(mini_copy).parent.iterdir()] == [
        index.index_path(mini_copy).name
    ]


def test_two_concurrent_search_processes(mini_copy: Path, tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "shared-cache")}
    command = [
        sys.executable,
        "-m",
        "openai_catalog",
        "--catalog",
        str(mini_copy),
        "search",
        "jax",
        "--format",
        "ids",
    ]
    procs = [
        subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert all(out.split()[0] == "jax" for out, _ in outputs)


def test_cache_location_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert index.cache_dir() == tmp_path / "xdg" / "openai-catalog"
    monkeypatch.setenv("OPENAI_CATALOG_CACHE", str(tmp_path / "mine"))
    assert index.cache_dir() == tmp_path / "mine"


def test_index_status_and_rebuild_commands(mini_copy: Path) -> None:
    result = run("--catalog", mini_copy, "index", "status")
    assert "not built yet" in result.stdout
    result = run("--catalog", mini_copy, "index", "rebuild")
    assert result.exit_code == 0 and "indexed" in result.stderr
    assert "up to date" in run("--catalog", mini_copy, "index", "status").stdout
    time.sleep(0.01)
    (mini_copy / "tools" / "jax.yaml").write_text(
        (mini_copy / "tools" / "jax.yaml").read_text() + "\n"
    )
    assert "changed" in run("--catalog", mini_copy, "index", "status").stdout


def test_an_invalid_entry_is_left_out_with_a_warning(mini_copy: Path) -> None:
    (mini_copy / "tools" / "broken.yaml").write_text("id: broken\nkind: tool\n")
    result = run("--catalog", mini_copy, "search", "jax")
    assert result.exit_code == 0
    assert "broken.yaml" in result.stderr and "catalog validate" in result.stderr


def test_search_matches_the_searcher_directly() -> None:
    result = index.search(MINI, parse("pile"), "relevance", None)
    assert [h.id for h in result.hits][:1] == ["the-pile"]
    command = json.loads(run("--catalog", MINI, "search", "pile", "--format", "json").stdout)
    assert [e["id"] for e in command["entries"]] == [h.id for h in result.hits]
    pile = load_catalog(MINI).require("the-pile")
    assert result.hits[0].data == entry_to_dict(pile)


@pytest.mark.parametrize("command", ["search", "list", "stats", "export"])
def test_query_commands_take_no_short_options_so_exclusions_reach_the_query(command: str) -> None:
    import typer

    from openai_catalog.cli.app import COMMANDS, make_app

    assert COMMANDS[command][2], f"{command} must be registered as a query command"
    click_group = typer.main.get_command(make_app(command))
    params = click_group.commands[command].params  # type: ignore[attr-defined]
    short = [
        o
        for p in params
        for o in (*p.opts, *p.secondary_opts)
        if o.startswith("-") and not o.startswith("--")
    ]
    assert short == []
    for flag in ("--kind", "--license", "--by", "--tag", "--since", "--until", "--openness"):
        assert any(flag in p.opts for p in params), (command, flag)


def test_exclusions_that_look_like_short_options_are_query_terms() -> None:
    assert ids("-openai", "-foo", "-n", "-h", "kind:tool") == ["jax"]
    assert ids("-jax", "kind:tool") == []
    result = run("--catalog", MINI, "export", "jsonl", "-output", "kind:tool")
    assert result.exit_code == 0 and not Path("utput").exists()


def test_every_query_field_has_a_flag() -> None:
    assert ids("--params", ">=7B") == ids("params:>=7B") == ["llama-2-7b"]
    assert ids("--access", "open", "--kind", "dataset") == ids("access:open", "kind:dataset")
    assert ids("--stars", ">1") == ids("stars:>1")
    assert run("--catalog", MINI, "search", "--params", "lots").exit_code == 2


def test_an_unwritable_cache_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("OPENAI_CATALOG_CACHE", str(blocker / "cache"))
    result = run("--catalog", MINI, "search", "jax")
    assert result.exit_code == 1
    assert (
        "cannot write the search index" in result.stderr and "OPENAI_CATALOG_CACHE" in result.stderr
    )


@pytest.mark.parametrize("batch", [1, 2000])
def test_a_build_keeps_the_first_of_two_entries_with_one_id_whatever_the_batches(
    mini_copy: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    monkeypatch.setattr(index._Inserter, "BATCH", batch)  # 1: the twin is in an earlier batch
    import sqlite3

    def counts() -> tuple[int, ...]:
        conn = sqlite3.connect(index.index_path(mini_copy))
        try:
            return tuple(
                conn.execute(sql).fetchone()[0]
                for sql in (
                    "SELECT count(*) FROM entries",
                    "SELECT count(*) FROM edges",
                    "SELECT count(*) FROM facets",
                    "SELECT count(*) FROM fts WHERE fts MATCH 'jax'",
                )
            )
        finally:
            conn.close()

    alone = index.build_index(mini_copy)
    without_twin = counts()
    twin = (
        (mini_copy / "tools" / "jax.yaml")
        .read_text()
        .replace("numerical programs", "numerical zanzibar programs")
    )
    (mini_copy / "tools" / "zz-jax-twin.yaml").write_text(twin)  # read after jax.yaml
    report = index.build_index(mini_copy)
    assert report.skipped == [str(mini_copy / "tools" / "zz-jax-twin.yaml")]
    assert report.entries == alone.entries and counts() == without_twin
    assert ids("zanzibar", catalog=mini_copy) == []
    assert ids("jax", catalog=mini_copy)[0] == "jax"
    # the words of every batch reach the suggestions
    out = run("--catalog", mini_copy, "search", "jaxx")
    assert "jax" in out.stderr + out.stdout


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_on_a_terminal_results_are_coloured_fitted_and_highlighted() -> None:
    from helpers import Terminal

    term = Terminal("--catalog", MINI, "search", "numerical")
    term.expect("result")
    assert term.wait() == 0
    shown = term.output
    assert "\x1b[" in shown  # Rich styles: licence colour, bold header, highlighted words
    assert "jax" in shown.lower() and "numerical" in shown
    header = next(line for line in shown.splitlines() if "licence" in line)
    assert "name" in header and "summary" in header
