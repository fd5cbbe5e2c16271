"""The index updated in place after edits (index.update_index) equals one built from scratch."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import MINI, stats_by_name
from openai_catalog import __version__, freshness, index
from openai_catalog.query import QueryError
from openai_catalog.query import parse as parse_query

QUERIES = [
    "corpus",
    "model",
    "gpt",
    "open language",
    "kind:model",
    "kind:dataset license:permissive",
    "openness:open",
    "openness:open-data",
    "by:eleutherai",
    "tag:code",
    "-tag:code model",
    "released:>=2021",
    "jax OR pile",
    "lm*",
    "shared",
    "hub:acme/shared-7b",
    "hub:eleutherai/gpt-j-6b",
    "former",
]


def rows(path: Path) -> dict[str, Any]:
    """Everything an index holds, with rowids replaced by entry ids (an update numbers new rows
    after the old ones), and what every query finds, in order."""
    conn = sqlite3.connect(path)
    try:
        ids = dict(conn.execute("SELECT rowid, id FROM entries"))
        out: dict[str, Any] = {
            "entries": sorted(row[1:] for row in conn.execute("SELECT * FROM entries")),
            "edges": sorted(
                (ids[e], s, r, t, w or "") for e, s, r, t, w in conn.execute("SELECT * FROM edges")
            ),
            "facets": sorted((ids[e], f, v) for e, f, v in conn.execute("SELECT * FROM facets")),
            "vocab": conn.execute("SELECT word, n FROM vocab ORDER BY word").fetchall(),
            "licenses": conn.execute("SELECT * FROM licenses ORDER BY name").fetchall(),
            "files": [
                (*row[:7], ids.get(row[7]))
                for row in conn.execute("SELECT * FROM files ORDER BY path")
            ],
            "claims": conn.execute("SELECT * FROM claims ORDER BY path, field, key").fetchall(),
            "meta": {
                k: v
                for k, v in conn.execute("SELECT key, value FROM meta")
                if k not in ("built_at",)
            },
        }
        # The full text: which entries each word finds, and how they rank.
        words = [w for (w, _) in out["vocab"]] + ["corpus", "model", "language", "open"]
        out["fts"] = {
            w: [
                ids[r]
                for (r,) in conn.execute(
                    "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts), rowid",
                    (index._quote(w),),
                )
            ]
            for w in words
        }
        searcher = index.Searcher(conn)

        def answer(text: str) -> Any:
            try:
                return [(h.id, h.openness) for h in searcher.search(parse_query(text)).hits]
            except QueryError as exc:  # `by:` a community that every step removed
                return str(exc)

        out["search"] = {q: answer(q) for q in QUERIES}
    finally:
        conn.close()
    # bm25 ties broken by rowid differ between the two; the sets must not.
    out["fts"] = {w: sorted(found) for w, found in out["fts"].items()}
    return out


def same_as_a_build(root: Path, updated: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.sqlite"
        index.build_index(root, fresh)
        assert rows(updated) == rows(fresh)


def touch_later(path: Path) -> None:
    """A later modification time, as a save a moment later would leave (a save within the same
    clock tick, same size, is the one edit a state of sizes and times cannot see)."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_007))


def write(path: Path, data: Any) -> None:
    text = "# yaml-language-server: $schema=../schema.json\n" + yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True
    )
    existed = path.exists()
    path.write_text(text, encoding="utf-8")
    if existed:
        touch_later(path)


def load(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return None  # a file an earlier step broke


# old-pile is no dataset's id: a relation to it leads to the dataset that takes it as an alias
DATASETS = ["the-pile", "open-corpus", "cafe-corpus", "gated-speech", "scraped-images", "old-pile"]
# Hub repos that several entries' variants may claim, one of them a model's own
HUBS = ["acme/shared-7b", "acme/shared-7b-instruct", "EleutherAI/gpt-j-6b", None]
variant = st.tuples(
    st.sampled_from(["7B", "7B Instruct", "Former 13B"]),
    st.sampled_from(HUBS),
    st.lists(st.sampled_from(["old-pile", "shared-lm", "Former LM"]), max_size=2, unique=True),
)

Operation = tuple[str, ...]
operations = st.one_of(
    st.tuples(
        st.just("summary"), st.sampled_from(["models", "datasets", "tools"]), st.integers(0, 9)
    ),
    st.tuples(st.just("access"), st.integers(0, 9), st.sampled_from(["open", "gated", "closed"])),
    st.tuples(
        st.just("licence"), st.integers(0, 9), st.sampled_from(["MIT", "CC-BY-NC-4.0", "unknown"])
    ),
    st.tuples(
        st.just("trained_on"),
        st.integers(0, 9),
        st.lists(st.sampled_from(DATASETS), max_size=3, unique=True),
    ),
    st.tuples(
        st.just("add"),
        st.sampled_from(["models", "datasets"]),
        st.integers(0, 9),
        st.text("abcdefgh", min_size=1, max_size=6),
    ),
    st.tuples(
        st.just("twin"),
        st.sampled_from(["models", "datasets"]),
        st.integers(0, 9),
        st.sampled_from(["a", "zz"]),
    ),
    st.tuples(
        st.just("rename"), st.sampled_from(["models", "datasets", "tools"]), st.integers(0, 9)
    ),
    st.tuples(
        st.just("remove"), st.sampled_from(["models", "datasets", "communities"]), st.integers(0, 9)
    ),
    st.tuples(st.just("break"), st.sampled_from(["models", "datasets"]), st.integers(0, 9)),
    st.tuples(st.just("variants"), st.integers(0, 9), st.lists(variant, max_size=3)),
    st.tuples(
        st.just("aliases"),
        st.sampled_from(["models", "datasets"]),
        st.integers(0, 9),
        st.lists(st.sampled_from(["old-pile", "gpt-j", "the-pile", "Former"]), max_size=2),
    ),
)


def pick(root: Path, folder: str, n: int) -> Path | None:
    files = sorted((root / folder).glob("*.yaml"))
    return files[n % len(files)] if files else None


def apply(root: Path, op: tuple[Any, ...]) -> None:
    """One edit a contributor might make (twins and broken files included)."""
    name = op[0]
    if name in ("access", "licence", "trained_on", "variants"):
        path = pick(root, "datasets" if name in ("access", "licence") else "models", op[1])
        if path is None:
            return
        data = load(path)
        if not isinstance(data, dict):
            return
        if name == "access":
            data["access"] = op[2]
        elif name == "licence":
            data["license"] = op[2]
        elif name == "variants":  # a release's checkpoints, their repos and other names
            data["variants"] = [
                {"name": n, **({"hub": h} if h else {}), **({"aliases": a} if a else {})}
                for n, h, a in op[2]
            ]
            if not op[2]:
                del data["variants"]
        else:
            data.setdefault("relations", {})["trained_on"] = list(op[2])
            if not op[2]:
                del data["relations"]["trained_on"]
            if not data["relations"]:
                del data["relations"]
        write(path, data)
        return
    path = pick(root, op[1], op[2])
    if path is None:
        return
    if name == "summary":
        data = load(path)
        if isinstance(data, dict):
            data["summary"] = f"An edited summary about zanzibar {op[2]} and other words."
            data["tags"] = sorted({*data.get("tags", []), f"edited-{op[2]}"})
            write(path, data)
    elif name == "add":
        data = load(path)
        if isinstance(data, dict):
            data["id"] = f"new-{op[3]}"
            data["name"] = f"New {op[3]} {data.get('name', '')}"
            data.pop("hub", None)
            write(path.with_name(f"new-{op[3]}.yaml"), data)
    elif name == "aliases":  # a former id taken on or given up, or another name
        data = load(path)
        if isinstance(data, dict):
            data["aliases"] = list(dict.fromkeys(op[3]))
            write(path, data)
    elif name == "twin":  # a second file claiming the same id, before or after the first
        shutil.copy(path, path.with_name(f"{op[3]}-{path.name}"))
    elif name == "rename":
        path.rename(path.with_name(f"renamed-{path.name}"))
    elif name == "remove":
        path.unlink()
    elif name == "break":
        path.write_text("id: [unclosed\n", encoding="utf-8")
        touch_later(path)


def seed_former_id(root: Path) -> None:
    """GPT-J also trained on old-pile, the former id of open-corpus: a relation the index leads
    to the renamed entry, which later edits may take on, give up or make ambiguous."""
    model, dataset = root / "models" / "gpt-j-6b.yaml", root / "datasets" / "open-corpus.yaml"
    data = load(model)
    data["relations"]["trained_on"] = [*data["relations"]["trained_on"], "old-pile"]
    write(model, data)
    data = load(dataset)
    data["aliases"] = [*data.get("aliases", []), "old-pile"]
    write(dataset, data)


def trained_on(path: Path) -> list[tuple[str, str, str | None]]:
    with sqlite3.connect(path) as conn:
        return sorted(
            conn.execute("SELECT source, target, written FROM edges WHERE relation = 'trained_on'")
        )


def test_a_relation_to_a_former_id_follows_the_alias_as_edits_take_it_on_and_give_it_up(
    mini_copy: Path,
) -> None:
    seed_former_id(mini_copy)
    path = mini_copy.parent / "index.sqlite"
    index.build_index(mini_copy, path)
    assert ("gpt-j-6b", "open-corpus", "old-pile") in trained_on(path)
    cafe = mini_copy / "datasets" / "cafe-corpus.yaml"
    data = load(cafe)
    write(cafe, {**data, "aliases": ["old-pile"]})  # two entries claim it: it leads nowhere
    assert index.update_index(mini_copy, path, fraction=1.0) is not None
    assert ("gpt-j-6b", "old-pile", None) in trained_on(path)
    same_as_a_build(mini_copy, path)
    (mini_copy / "datasets" / "open-corpus.yaml").unlink()  # the other one is left
    assert index.update_index(mini_copy, path, fraction=1.0) is not None
    assert ("gpt-j-6b", "cafe-corpus", "old-pile") in trained_on(path)
    same_as_a_build(mini_copy, path)
    write(cafe, data)  # given up
    assert index.update_index(mini_copy, path, fraction=1.0) is not None
    assert ("gpt-j-6b", "old-pile", None) in trained_on(path)
    same_as_a_build(mini_copy, path)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(st.lists(operations, min_size=1, max_size=3), min_size=1, max_size=4),
    reuse=st.lists(st.booleans(), min_size=4, max_size=4),
)
def test_an_index_updated_in_place_equals_a_fresh_build_after_any_edits(
    tmp_path: Path, steps: list[list[tuple[Any, ...]]], reuse: list[bool]
) -> None:
    """Whether the update stats the files itself or takes the stats of the fingerprint it is
    stamped with (as the start-up check passes them), it ends where a build does."""
    with tempfile.TemporaryDirectory(dir=tmp_path) as tmp:
        root = Path(tmp) / "catalog"
        shutil.copytree(MINI, root)
        seed_former_id(root)
        path = Path(tmp) / "index.sqlite"
        index.build_index(root, path)
        for step, given_stats in zip(steps, reuse, strict=False):
            for op in step:
                apply(root, op)
            if given_stats:
                seen: freshness.Seen = {}
                stamp = f"{__version__}|{freshness.fingerprint(root, seen=seen)}"
                report = index.update_index(root, path, stamp, fraction=1.0, seen=seen)
            else:
                report = index.update_index(root, path, fraction=1.0)
            assert report is not None
            same_as_a_build(root, path)


def edited_after_a_build(root: Path) -> tuple[Path, str, freshness.Seen]:
    """An index of `root`, then jax.yaml edited to mention zanzibar, and the state and stats the
    start-up check would hand the update."""
    index.build_index(root)
    jax = root / "tools" / "jax.yaml"
    data = load(jax)
    data["summary"] = "Composable transformations of zanzibar programs: differentiate, compile."
    write(jax, data)
    seen: freshness.Seen = {}
    return jax, freshness.fingerprint(root, seen=seen), seen


def found_by_the_edit(root: Path) -> list[str]:
    """What a search of the word the edit brought in finds, the index brought up to date first."""
    conn = index.open_index(root)
    try:
        return [h.id for h in index.Searcher(conn).search(parse_query("zanzibar")).hits]
    finally:
        conn.close()


def test_an_update_takes_the_stats_of_the_fingerprint_it_is_stamped_with(
    mini_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start-up check hands the update the stats it summed: the entry files are not looked
    at a second time (here any second look fails), and the edit is in the index."""
    jax, state, seen = edited_after_a_build(mini_copy)
    known = stats_by_name(seen["tools"])
    assert set(known) == {os.fsencode(p.name) for p in (mini_copy / "tools").glob("*.yaml")}
    info = jax.stat()
    assert known[b"jax.yaml"] == (info.st_size, info.st_mtime_ns, info.st_ino)
    real_stat = os.stat

    def no_second_look(target: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        if os.fsdecode(target).endswith(".yaml") and "tools" in os.fsdecode(target):
            raise AssertionError(f"stat-ed again: {target}")
        return real_stat(target, *args, **kwargs)

    monkeypatch.setattr(os, "stat", no_second_look)
    index.update_quietly(mini_copy, state, seen)
    monkeypatch.setattr(os, "stat", real_stat)
    assert found_by_the_edit(mini_copy) == ["jax"]
    same_as_a_build(mini_copy, index.index_path(mini_copy))


def test_an_edit_updates_the_index_in_place_and_keeps_its_file(mini_copy: Path) -> None:
    index.build_index(mini_copy)
    path = index.index_path(mini_copy)
    before = path.stat().st_ino
    jax = mini_copy / "tools" / "jax.yaml"
    data = load(jax)
    data["summary"] = "Composable transformations of zanzibar programs: differentiate, compile."
    write(jax, data)
    assert found_by_the_edit(mini_copy) == ["jax"]
    assert path.stat().st_ino == before  # updated, not replaced
    same_as_a_build(mini_copy, path)


def test_a_model_is_graded_again_when_the_dataset_it_was_trained_on_changes(
    mini_copy: Path,
) -> None:
    index.build_index(mini_copy)

    def grades() -> dict[str, str | None]:
        conn = index.open_index(mini_copy)
        try:
            return dict(conn.execute("SELECT id, openness FROM entries WHERE kind = 'model'"))
        finally:
            conn.close()

    before = grades()
    trained = {
        p.stem
        for p in (mini_copy / "models").glob("*.yaml")
        if "the-pile" in (load(p).get("relations") or {}).get("trained_on", [])
    }
    assert trained
    pile = mini_copy / "datasets" / "the-pile.yaml"
    data = load(pile)
    data["access"] = "closed"
    data["license"] = "CC-BY-NC-4.0"
    write(pile, data)
    after = grades()
    assert {k for k in before if before[k] != after[k]} <= trained
    same_as_a_build(mini_copy, index.index_path(mini_copy))


@pytest.mark.parametrize("change", ["licences", "version"])
def test_a_changed_licence_table_or_index_version_builds_the_index_again(
    mini_copy: Path, change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    index.build_index(mini_copy)
    path = index.index_path(mini_copy)
    if change == "licences":
        with (mini_copy / "licenses.yaml").open("a") as table:
            table.write("\n")
    else:
        monkeypatch.setattr(index, "INDEX_VERSION", index.INDEX_VERSION + 1)
    assert index.update_index(mini_copy, path) is None
    before = path.stat().st_ino
    index.open_index(mini_copy).close()
    assert path.stat().st_ino != before  # built anew and renamed into place


def test_many_changed_files_build_the_index_again(mini_copy: Path) -> None:
    index.build_index(mini_copy)
    for path in (mini_copy / "models").glob("*.yaml"):
        touch_later(path)
    assert index.update_index(mini_copy, fraction=0.1, min_files=1) is None
    assert index.update_index(mini_copy, fraction=0.5, min_files=1) is not None


def test_a_build_and_an_update_report_their_progress_to_the_end(mini_copy: Path) -> None:
    calls: list[tuple[int, int]] = []
    index.build_index(mini_copy, progress=lambda done, total: calls.append((done, total)))
    files = len(list(mini_copy.glob("*/*.yaml")))
    assert calls[0] == (0, files + 1) and calls[-1] == (files + 1, files + 1)
    calls.clear()
    touch_later(mini_copy / "tools" / "jax.yaml")
    index.update_index(mini_copy, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 2) and calls[-1] == (1, 1)


def test_the_progress_bar_shows_only_for_work_that_outlasts_a_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from rich.console import Console

    from openai_catalog.cli import _output

    screen = io.StringIO()
    monkeypatch.setattr(_output, "stderr", lambda: Console(file=screen, force_terminal=True))
    clock = iter([0.0, 0.1, 0.15, 10.0, 20.0, 20.0, 20.0])  # quick work, then slow work
    monkeypatch.setattr("time.monotonic", lambda: next(clock))
    quick = _output.IndexProgress()
    quick(0, 10)
    quick(9, 10)  # 0.1 s for nine tenths: done in time, no bar
    quick(10, 10)
    assert screen.getvalue() == ""
    slow = _output.IndexProgress()
    slow(0, 100)
    slow(1, 100)  # ten seconds for one file in a hundred
    assert "indexing the catalogue" in screen.getvalue()
    slow(100, 100)
    assert slow.sink._progress is None  # stopped


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalogue whose index takes a few seconds to build."""
    import sys

    from helpers import ROOT

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from _synth import make_catalog
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return make_catalog(8000, tmp_path_factory.mktemp("large") / "catalog")


def test_a_long_build_shows_a_bar_on_a_terminal_and_nothing_on_a_pipe(large: Path) -> None:
    from helpers import Terminal, run_process

    piped = run_process("--catalog", large, "search", "model", "--limit", "1")
    assert piped.returncode == 0
    assert "indexing" not in piped.stderr
    with (large / "licenses.yaml").open("a") as table:
        table.write("\n")  # a change that needs a whole build
    terminal = Terminal("--catalog", large, "search", "model", "--limit", "1")
    terminal.expect("indexing the catalogue", timeout=60)
    assert terminal.wait(60) == 0


SEARCHER = """
import json, sys, time
from pathlib import Path
from openai_catalog import index
from openai_catalog.query import parse
root, until, out = Path(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
answers = []
while time.time() < until:
    answer = []
    for text in ("zanzibar", "kind:tool"):
        found = index.search(root, parse(text))
        answer.append([[h.id, h.summary] for h in found.hits])
    answers.append(answer)
Path(out).write_text(json.dumps(answers))
"""


def test_searches_while_another_process_edits_see_the_state_before_or_after(
    mini_copy: Path, tmp_path: Path
) -> None:
    import json
    import subprocess
    import sys
    import time

    jax = mini_copy / "tools" / "jax.yaml"
    before = jax.read_text(encoding="utf-8")
    after = before.replace("numerical programs", "numerical zanzibar programs")
    hidden = jax.with_name(".jax.yaml.new")  # hidden: not an entry while it is written

    def save(text: str) -> None:  # as editors that write a new file and rename it do
        hidden.write_text(text, encoding="utf-8")
        os.replace(hidden, jax)

    summary = (
        "A Python library for composable transformations of numerical programs on accelerators."
    )
    edited = [["jax", summary.replace("numerical", "numerical zanzibar")]]
    # Per query, what each state answers: a search that saw half an update (the new words but
    # the old entry, or an entry gone) would answer something else.
    states = [([], [["jax", summary]]), (edited, edited)]
    index.build_index(mini_copy)
    until = time.time() + 6
    outs = [tmp_path / f"answers-{n}.json" for n in range(2)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    searchers = [
        subprocess.Popen(
            [sys.executable, "-c", SEARCHER, str(mini_copy), str(until), str(out)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for out in outs
    ]
    edits = 0
    while time.time() < until - 0.5:
        save(after if edits % 2 == 0 else before)
        edits += 1
        time.sleep(0.05)
    for searcher in searchers:
        _, errors = searcher.communicate(timeout=120)
        assert searcher.returncode == 0, errors
    answers = [a for out in outs for a in json.loads(out.read_text())]
    assert edits > 20 and len(answers) > 20
    for position in (0, 1):
        allowed = [state[position] for state in states]
        assert [a[position] for a in answers if a[position] not in allowed] == []
        seen = {json.dumps(a[position]) for a in answers}
        assert seen == {json.dumps(s) for s in allowed}  # both states were seen


CRASHING_UPDATE = """
import os, sys
from pathlib import Path
from openai_catalog import index
def crash(*args, **kwargs):
    os._exit(9)  # killed in the middle of the transaction, old rows already taken out
index._Inserter.insert = crash
index.update_index(Path(sys.argv[1]))
"""


def test_an_update_killed_half_way_leaves_an_index_that_the_next_search_makes_whole(
    mini_copy: Path,
) -> None:
    import subprocess
    import sys

    index.build_index(mini_copy)
    jax = mini_copy / "tools" / "jax.yaml"
    write(
        jax, {**load(jax), "summary": "Composable transformations of zanzibar programs, compiled."}
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    crashed = subprocess.run(
        [sys.executable, "-c", CRASHING_UPDATE, str(mini_copy)], env=env, check=False
    )
    assert crashed.returncode == 9
    journal = index.index_path(mini_copy).with_name(index.index_path(mini_copy).name + "-journal")
    assert journal.exists()  # the rollback journal of the unfinished transaction
    conn = index.open_index(mini_copy)
    try:
        assert [h.id for h in index.Searcher(conn).search(parse_query("zanzibar")).hits] == ["jax"]
    finally:
        conn.close()
    same_as_a_build(mini_copy, index.index_path(mini_copy))


def test_a_kind_folder_that_cannot_be_listed_is_not_taken_for_an_empty_one(
    mini_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start-up check cannot list models/: the update must not read that as a folder without
    files (and quietly drop every model), but fail as a build does, which says why."""
    index.build_index(mini_copy)
    (mini_copy / "models" / "new-model.yaml").write_text("x", encoding="utf-8")
    real_listdir = os.listdir

    def refusing(path: Any) -> list[Any]:
        if os.fsdecode(path).rstrip("/").endswith("models"):
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real_listdir(path)

    monkeypatch.setattr(os, "listdir", refusing)
    seen: freshness.Seen = {}
    state = freshness.fingerprint(mini_copy, seen=seen)
    assert "models -" in state and "models" not in seen
    with pytest.raises(PermissionError):
        index.update_quietly(mini_copy, state, seen)
    monkeypatch.setattr(os, "listdir", real_listdir)
    conn = index.open_index(mini_copy)
    try:
        kinds = {row[0] for row in conn.execute("SELECT kind FROM entries")}
    finally:
        conn.close()
    assert "model" in kinds


def test_a_file_the_check_saw_vanish_is_not_indexed_as_one_that_failed(mini_copy: Path) -> None:
    """A file listed by the start-up check but gone by its stat is gone: the update does not read
    it and report it as skipped, and the index ends where a build does."""
    jax, state, seen = edited_after_a_build(mini_copy)
    got = seen["tools"]
    got.names.append(b"ghost.yaml")  # as if listed, then gone before its stat
    got.sizes.append(-1)
    got.mtimes.append(0)
    got.inodes.append(0)
    index.update_quietly(mini_copy, state, seen)
    path = index.index_path(mini_copy)
    conn = sqlite3.connect(path)
    try:
        skipped = conn.execute("SELECT value FROM meta WHERE key = 'skipped'").fetchone()[0]
    finally:
        conn.close()
    assert "ghost" not in skipped
    same_as_a_build(mini_copy, path)
