"""The adversarial suite for hostile values: entries, enrichment snapshots, answers from the Hub and
GitHub, queries and options, and text meant to fool the programs our output reaches.

Every command runs over what is generated here and must answer as documented: no traceback, an
exit code of 0, 1 or 2, and output that parses where its format promises it. Each defect found
was added here before it was fixed. (Files, caches and signals have their own suite.)
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from fakeservices import FakeServices
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import besides_evidence, entry, run, write_catalog
from openai_catalog.schema import ENTRY_TYPES, SCHEMA_HEADER

# A read command of every kind, in every format that promises to parse.
READ_COMMANDS: list[tuple[list[str], str | None]] = [
    (["search", "model"], None),
    (["search", "model", "--format", "json"], "json"),
    (["list", "--format", "jsonl"], "jsonl"),
    (["list", "--format", "csv"], "csv"),
    (["list", "--format", "yaml"], "yaml"),
    (["list"], None),
    (["show", "good", "--format", "json"], "json"),
    (["show", "good"], None),
    (["stats"], None),
    (["stats", "--format", "json"], "json"),
    (["export", "markdown", "--figures"], None),
    (["export", "json"], "json"),
    (["export", "csv", "--columns", "id,name,summary,downloads,stars"], "csv"),
    (["export", "html"], None),
    (["export", "bibtex"], None),
    (["export", "mermaid", "--depth", "2"], None),
    (["export", "dot"], None),
    (["index", "status"], None),
    (["schema"], "json"),
]


def parses(text: str, form: str | None) -> None:
    """Raise unless `text` is a document of `form` (json without NaN or Infinity)."""

    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    if form == "json":
        json.loads(text, parse_constant=refuse)
    elif form == "jsonl":
        for line in text.splitlines():
            json.loads(line, parse_constant=refuse)
    elif form == "csv":
        list(csv.reader(io.StringIO(text)))
    elif form == "yaml":
        yaml.safe_load(text)


def assert_sound(result: Any, form: str | None = None, codes: tuple[int, ...] = (0, 1, 2)) -> None:
    assert "Traceback" not in result.output + (result.stderr or ""), result.output + result.stderr
    assert result.exit_code in codes, (result.exit_code, result.output, result.stderr)
    if result.exit_code == 0:
        parses(result.stdout, form)


# One command of each kind and format family, for the tests run over many generated cases.
QUICK_COMMANDS = [READ_COMMANDS[i] for i in (1, 3, 6, 8, 10, 15)]


def every_read_command(root: Path, quick: bool = False) -> None:
    for args, form in QUICK_COMMANDS if quick else READ_COMMANDS:
        result = run("--catalog", root, *args)
        assert_sound(result, form)


def good() -> dict[str, Any]:
    return entry(
        "good",
        hub="org/good",
        github="org/good",
        parameters="6B",
        relations={"trained_on": ["corpus"]},
    )


def corpus() -> dict[str, Any]:
    return entry("corpus", "dataset", hub="org/corpus", size={"tokens": "300B", "hours": 12.5})


# --- 3. untrusted answers: the snapshot and the services ---------------------------------------

HOSTILE_FIELD_VALUES = [10**30, -1, "many", ["a"], {"a": 1}, 1.5, True, None, "", 10**18 + 1]
HOSTILE_SNAPSHOT_TEXT = (
    '{"downloads": NaN, "likes": Infinity, "parameters": -Infinity, '
    '"last_modified": 20250101, "created_at": "yesterday", "tags": [[1], 2]}'
)


def write_snapshot(root: Path, hub_fields: Any, github_fields: Any = None, **extra: Any) -> None:
    record = {
        "repo": "org/good",
        "fetched_at": "2025-01-01T00:00:00Z",
        "fields": hub_fields,
        "error": None,
        **extra,
    }
    body = {
        "version": 1,
        "entries": {
            "good": {
                "hub": record,
                "github": {
                    "repo": "org/good",
                    "fetched_at": "2025-01-01T00:00:00Z",
                    "fields": github_fields if github_fields is not None else {"stars": 5},
                    "error": None,
                },
            }
        },
    }
    (root / "enrichment.json").write_text(json.dumps(body, indent=2), encoding="utf-8")


@pytest.mark.parametrize("value", HOSTILE_FIELD_VALUES, ids=repr)
def test_a_snapshot_field_of_the_wrong_type_or_range_stops_no_command(
    tmp_path: Path, value: Any
) -> None:
    root = write_catalog(tmp_path / "c", good(), corpus())
    write_snapshot(
        root,
        {
            "downloads": value,
            "likes": value,
            "last_modified": value,
            "tags": value,
            "resolved_id": "org/good",
        },
        {"stars": value, "pushed_at": value, "archived": value},
    )
    every_read_command(root, quick=True)


def test_nan_infinity_and_dates_that_are_numbers_are_dropped_and_reported_by_field(
    tmp_path: Path,
) -> None:
    root = write_catalog(tmp_path / "c", good(), corpus())
    write_snapshot(root, {})
    text = (
        (root / "enrichment.json")
        .read_text()
        .replace('"fields": {}', '"fields": ' + HOSTILE_SNAPSHOT_TEXT)
    )
    (root / "enrichment.json").write_text(text)
    every_read_command(root)
    result = run("--catalog", root, "validate", "--format", "json")
    assert_sound(result, "json", codes=(1,))
    findings = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "CAT081"]
    fields = {re.search(r"fields\.(\w+)", f["message"]).group(1) for f in findings}  # type: ignore[union-attr]
    assert fields == {"downloads", "likes", "parameters", "last_modified", "created_at", "tags"}
    assert all(f["path"].endswith("enrichment.json") and f["line"] > 1 for f in findings)
    assert all("entries.good.hub" in f["message"] for f in findings)
    shown = json.loads(run("--catalog", root, "show", "good", "--format", "json").stdout)
    assert "NaN" not in json.dumps(shown)


def test_a_record_that_is_not_what_a_record_holds_keeps_its_sound_parts(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", good(), corpus())
    write_snapshot(
        root, ["not", "an", "object"], {"stars": 7, "forks": "x"}, fetched_at=3, error=[1]
    )
    result = run("--catalog", root, "validate", "--format", "json")
    assert_sound(result, "json", codes=(1,))
    messages = " ".join(
        f["message"] for f in json.loads(result.stdout)["findings"] if f["rule"] == "CAT081"
    )
    assert "hub.fields must be" in messages and "hub.fetched_at" in messages
    assert "hub.error" in messages and "github.fields.forks" in messages
    every_read_command(root)
    [hit] = json.loads(run("--catalog", root, "search", "good", "--format", "json").stdout)[
        "entries"
    ]
    assert hit["enrichment"]["github"]["stars"] == 7


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "downloads",
                "likes",
                "parameters",
                "last_modified",
                "gated",
                "tags",
                "license",
                "unknown",
            ]
        ),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.text(max_size=3), inner, max_size=3)
            ),
            max_leaves=6,
        ),
    )
)
def test_any_nesting_of_wrong_types_in_a_snapshot_is_survived(
    tmp_path: Path, fields: dict[str, Any]
) -> None:
    root = tmp_path / "c"
    if not root.exists():
        write_catalog(root, good(), corpus())
    write_snapshot(root, fields)
    for args, form in [
        (["search", "good", "--format", "json"], "json"),
        (["show", "good", "--format", "json"], "json"),
        (["export", "csv", "--columns", "id,downloads,likes"], "csv"),
        (["stats"], None),
    ]:
        assert_sound(run("--catalog", root, *args), form)
    assert_sound(run("--catalog", root, "validate", "--format", "json"), "json", codes=(0, 1))


def test_an_answer_with_out_of_range_figures_is_not_stored(
    services: FakeServices, tmp_path: Path
) -> None:
    services.model("org/good", downloads=10**30, likes=-5, parameters=10**20)
    services.repo("org/good", stars=10**19, forks=3, pushed_at=20250101, topics=[["nested"]])
    root = write_catalog(tmp_path / "c", good(), corpus())
    assert_sound(run("--catalog", root, "enrich", "good"), codes=(0,))
    stored = json.loads((root / "enrichment.json").read_text())["entries"]["good"]
    assert "downloads" not in stored["hub"]["fields"] and "likes" not in stored["hub"]["fields"]
    assert (
        "parameters" not in stored["hub"]["fields"] and "last_modified" in stored["hub"]["fields"]
    )
    assert stored["hub"]["fields"]["resolved_id"] == "org/good"
    assert "stars" not in stored["github"]["fields"] and stored["github"]["fields"]["forks"] == 3
    assert "pushed_at" not in stored["github"]["fields"]
    result = run("--catalog", root, "validate", "--format", "json")
    assert not [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "CAT081"]


# --- 4. one bad entry never takes the catalogue down --------------------------------------------

BAD_VALUES: list[tuple[str, str]] = [
    ("kind", "[model]"),
    ("kind", "{a: 1}"),
    ("parameters", "1e30"),
    ("parameters", "1e400"),
    ("parameters", "-1"),
    ("parameters", "9" * 5000),
    ("parameters", "'99999999999999999999T'"),
    ("parameters", ".nan"),
    ("context_length", "1e30"),
    ("context_length", "1e400"),
    ("id", "[good]"),
    ("name", "[a, b]"),
    ("name", "{a: b}"),
    ("released", "99999"),
    ("released", "[2021]"),
    ("tags", "{a: b}"),
    ("by", "[[a]]"),
    ("relations", "[a]"),
    ("aliases", "{a: b}"),
    ("status", "[active]"),
    ("license", "[MIT]"),
]


@pytest.mark.parametrize(("field", "value"), BAD_VALUES, ids=lambda v: str(v)[:20])
def test_one_bad_value_is_reported_at_its_line_and_the_rest_keeps_working(
    tmp_path: Path, field: str, value: str
) -> None:
    root = write_catalog(tmp_path / "c", good(), corpus())
    text = SCHEMA_HEADER + "\n" + yaml.safe_dump(entry("bad"), sort_keys=False)
    text = re.sub(rf"(?m)^{field}:.*\n", "", text) + f"{field}: {value}\n"
    (root / "models" / "bad.yaml").write_text(text)
    result = run("--catalog", root, "validate", "--format", "json")
    assert_sound(result, "json", codes=(1,))
    line = text.count("\n")
    assert [
        f
        for f in json.loads(result.stdout)["findings"]
        if f["path"].endswith("bad.yaml") and f["line"] == line and f["severity"] == "error"
    ]
    every_read_command(root, quick=field != "kind")
    listed = json.loads(run("--catalog", root, "list", "--format", "json").stdout)["entries"]
    assert sorted(r["id"] for r in listed) == ["corpus", "good"]
    assert_sound(run("--catalog", root, "fmt", "--check"), codes=(0, 1))


@pytest.mark.parametrize("hours", ["1e400", ".inf", "-1", "1e30"])
def test_a_size_in_hours_must_be_finite_and_in_range(tmp_path: Path, hours: str) -> None:
    root = write_catalog(tmp_path / "c", good(), corpus())
    path = root / "datasets" / "corpus.yaml"
    path.write_text(path.read_text().replace("hours: 12.5", f"hours: {hours}"))
    result = run("--catalog", root, "validate", "--format", "json")
    assert_sound(result, "json", codes=(1,))
    assert any(f["path"].endswith("corpus.yaml") for f in json.loads(result.stdout)["findings"])
    every_read_command(root, quick=True)


def test_every_count_that_validates_fits_the_index_and_json(tmp_path: Path) -> None:
    biggest = "1000000000000000000"
    root = write_catalog(
        tmp_path / "c",
        entry("good", parameters=int(biggest), context_length=int(biggest)),
        entry("corpus", "dataset", size={"bytes": "1000PB", "hours": 1e9}),
    )
    assert run("--catalog", root, "validate").exit_code == 0
    every_read_command(root)
    [hit] = json.loads(
        run("--catalog", root, "search", "params:>=1e18", "--format", "json").stdout
    )["entries"]
    assert hit["id"] == "good"


def test_add_refuses_what_validate_refuses(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", good(), corpus())
    for value in ("1e30", "1e400", "99999999999999999999T"):
        result = run(
            "--catalog",
            root,
            "add",
            "model",
            "--id",
            "huge",
            "--name",
            "Huge",
            "--summary",
            "A model with a parameter count beyond anything real.",
            "--license",
            "MIT",
            "--source",
            "https://example.org/huge",
            "--parameters",
            value,
            "--yes",
        )
        assert_sound(result, codes=(1, 2))
        assert "parameters" in result.stderr and not (root / "models" / "huge.yaml").exists()


@pytest.mark.parametrize("name", ["Evil\u202eledom", "Bell\x07", "Two\nlines", "Esc\x1b[2J"])
def test_add_refuses_control_characters_as_validate_does(tmp_path: Path, name: str) -> None:
    root = write_catalog(tmp_path / "c", good(), corpus())
    result = run(
        "--catalog",
        root,
        "add",
        "model",
        "--id",
        "evil",
        "--name",
        name,
        "--summary",
        "A model whose name hides a control character.",
        "--license",
        "MIT",
        "--source",
        "https://example.org/evil",
        "--yes",
    )
    assert_sound(result, codes=(1, 2))
    assert "CAT015" in result.output and not (root / "models" / "evil.yaml").exists()


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    value=st.one_of(
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=12),
        st.lists(st.integers(), max_size=2),
    )
)
def test_any_number_for_a_count_either_validates_and_works_or_is_refused(
    tmp_path: Path, value: Any
) -> None:
    root = tmp_path / "c"
    if not root.exists():
        write_catalog(root, good(), corpus())
    if isinstance(value, float) and not math.isfinite(value):
        shown = ".nan" if value != value else (".inf" if value > 0 else "-.inf")
    else:
        shown = json.dumps(value)
    (root / "models" / "bad.yaml").write_text(
        SCHEMA_HEADER
        + "\n"
        + yaml.safe_dump(entry("bad"), sort_keys=False)
        + f"parameters: {shown}\n"
    )
    result = run("--catalog", root, "validate", "--format", "json")
    assert_sound(result, "json", codes=(0, 1))
    for args, form in [
        (["list", "--format", "json"], "json"),
        (["show", "bad", "--format", "json"], "json"),
        (["export", "csv"], "csv"),
    ]:
        assert_sound(run("--catalog", root, *args), form)


CONTROL_TEXT = st.characters(exclude_categories=("Cs",))  # every character, controls included
HOSTILE_LEAF = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()
    | st.text(CONTROL_TEXT, max_size=8)
)
HOSTILE_VALUE = st.recursive(
    HOSTILE_LEAF,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)


def _yaml_value(value: Any) -> Any:
    """`value` as YAML can hold it: NaN and the infinities as YAML writes them, NUL dropped."""
    if isinstance(value, float) and not math.isfinite(value):
        return value
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_yaml_value(v) for v in value]
    if isinstance(value, dict):
        return {_yaml_value(k): _yaml_value(v) for k, v in value.items()}
    return value


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    field=st.sampled_from(
        sorted({*ENTRY_TYPES["model"].model_fields, *ENTRY_TYPES["dataset"].model_fields})
    ),
    value=HOSTILE_VALUE,
    kind=st.sampled_from(["model", "dataset"]),
)
def test_any_value_of_any_type_in_any_field_is_survived(
    tmp_path: Path, field: str, value: Any, kind: str
) -> None:
    root = tmp_path / "c"
    if not root.exists():
        write_catalog(root, good(), corpus())
    data = {**entry("odd", kind), field: _yaml_value(value)}
    folder = root / ("models" if kind == "model" else "datasets")
    for old in root.glob("*/odd.yaml"):
        old.unlink()
    (folder / "odd.yaml").write_text(SCHEMA_HEADER + "\n" + yaml.safe_dump(data, sort_keys=False))
    assert_sound(run("--catalog", root, "validate", "--format", "json"), "json", codes=(0, 1))
    for args, form in [
        (["list", "--format", "json"], "json"),
        (["show", "good", "--format", "json"], "json"),
        (["search", "odd", "--format", "csv"], "csv"),
        (["export", "markdown"], None),
        (["stats"], None),
        (["fmt", "--check"], None),
    ]:
        assert_sound(run("--catalog", root, *args), form)
    ids = {
        r["id"]
        for r in json.loads(run("--catalog", root, "list", "--format", "json").stdout)["entries"]
    }
    assert {"good", "corpus"} <= ids


# --- 5. queries and options ---------------------------------------------------------------------

BAD_QUERIES = [
    "released:2021-02-30",
    "released:2021-13",
    "released:0000",
    "year:>=0000-01-01",
    "released:<=2021-00-10",
    "params:>=99999999999999999999999T",
    "downloads:>1e30",
    "downloads:>1e400",
    "stars:<=" + "9" * 5000,
    "likes:1e19",
]


@pytest.mark.parametrize("query", BAD_QUERIES, ids=lambda q: q[:30])
def test_an_impossible_date_or_count_is_a_usage_error_with_a_caret(
    tmp_path: Path, query: str
) -> None:
    root = write_catalog(tmp_path / "c", good(), corpus())
    for command in ("search", "list"):
        result = run("--catalog", root, command, "gpt", query)
        assert_sound(result, codes=(2,))
        assert "^" in result.stderr and "bad query" in result.stderr
        assert (
            max(len(line) for line in result.stderr.splitlines()) < 200
        )  # the query is not echoed whole


@pytest.mark.parametrize(
    "query",
    [
        "released:9999",
        "released:<=9999-12-31",
        "released:>9999-12",
        "released:0001-01-01",
        "params:<=1e18",
        "downloads:>=0",
    ],
)
def test_the_edges_of_the_ranges_are_valid_queries(tmp_path: Path, query: str) -> None:
    root = write_catalog(tmp_path / "c", good(), corpus())
    assert_sound(run("--catalog", root, "search", query, "--format", "json"), "json", codes=(0,))


@pytest.mark.parametrize(
    "args",
    [
        ["search", "gpt", "--limit", "99999999999999999999999"],
        ["list", "--limit", "0"],
        ["export", "json", "--limit", "10000001"],
        ["export", "mermaid", "--depth", "99999999999999999999"],
        ["export", "dot", "--root", "good", "--depth", "11"],
        ["enrich", "--offline", "--stale-after", "99999999999d"],
        ["enrich", "--offline", "--stale-after", "1e400"],
        ["enrich", "--offline", "--max-wait", "99999999999w"],
        ["enrich", "--offline", "--timeout", "nan"],
        ["enrich", "--offline", "--timeout", "1e400"],
    ],
    ids=lambda a: " ".join(a)[:40],
)
def test_an_option_out_of_range_is_a_usage_error(tmp_path: Path, args: list[str]) -> None:
    root = write_catalog(tmp_path / "c", good(), corpus())
    result = run("--catalog", root, *args)
    assert_sound(result, codes=(2,))


@pytest.mark.parametrize("joiner", [" ", " OR ", " -"])
def test_a_query_of_twenty_thousand_words_is_refused_at_once(tmp_path: Path, joiner: str) -> None:
    root = write_catalog(tmp_path / "c", good(), corpus())
    words = joiner.join(f"w{i}" for i in range(20_000))
    result = run("--catalog", root, "search", *words.split(" "))
    assert_sound(result, codes=(2,))
    assert "characters" in result.stderr or "words" in result.stderr
    most = " ".join(f"w{i}" for i in range(256))
    assert_sound(run("--catalog", root, "search", most, "--format", "json"), "json", codes=(0,))


def test_a_deep_graph_reaches_every_linked_entry_and_stops_when_nothing_is_left(
    tmp_path: Path,
) -> None:
    chain = [
        entry(f"m{i}", based_on=None, relations={"based_on": [f"m{i + 1}"]} if i < 11 else {})
        for i in range(12)
    ]
    for item in chain:
        item.pop("based_on")
    root = write_catalog(tmp_path / "c", *chain)
    result = run("--catalog", root, "export", "mermaid", "--root", "m0", "--depth", "10")
    assert_sound(result, codes=(0,))
    assert "n_m10" in result.stdout and "n_m11" not in result.stdout
    upward = run("--catalog", root, "export", "dot", "--root", "m11", "--depth", "3")
    assert all(f'"m{i}"' in upward.stdout for i in (8, 9, 10, 11)) and '"m7"' not in upward.stdout


def test_a_900_kb_summary_is_cut_in_tables_and_whole_in_data(tmp_path: Path) -> None:
    long = entry("long", summary="word " * 180_000)
    root = write_catalog(tmp_path / "c", good(), long)
    listed = run("--catalog", root, "list")
    assert_sound(listed, codes=(0,))
    assert max(len(line) for line in listed.stdout.splitlines()) <= 160
    shown = run("--catalog", root, "show", "long")
    assert_sound(shown, codes=(0,))
    assert "more characters: use --format yaml" in shown.stdout and len(shown.stdout) < 50_000
    data = json.loads(run("--catalog", root, "show", "long", "--format", "json").stdout)
    assert len(data["summary"]) > 800_000


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(words=st.lists(st.text(CONTROL_TEXT, max_size=12), max_size=6))
def test_any_query_at_all_answers_or_is_a_usage_error(tmp_path: Path, words: list[str]) -> None:
    root = tmp_path / "c"
    if not root.exists():
        write_catalog(root, good(), corpus())
    words = [w.replace("\x00", "") for w in words]  # argv cannot hold NUL
    assert_sound(run("--catalog", root, "search", *words, "--format", "json"), "json", codes=(0, 2))
    assert_sound(run("--catalog", root, "list", *words, "--format", "csv"), "csv", codes=(0, 2))


# --- 7. text that reaches other programs --------------------------------------------------------

CONTROLS = ["\x1b[31m", "\x07", "\x7f", "\x85", "\x9b", "\u202e", "\u2066", "\u2069", "\r"]
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


TEXT_FIELDS = ["name", "summary", "description", "tags", "aliases", "sources", "url"]


def _with_control(field: str, control: str) -> Any:
    if field in ("tags", "aliases"):
        return [f"a{control}b"]
    if field in ("sources", "url"):
        address = f"https://example.org/{control}x"
        return [address] if field == "sources" else address
    return f"Text with {control} inside it, long enough to be a summary."


def test_a_control_character_in_text_or_a_url_is_refused_by_a_rule_and_kept_out_of_exports(
    tmp_path: Path,
) -> None:
    """One entry per field and control character; each is reported, none reaches an export."""
    cases = {
        f"e{f}{c}": (field, control)
        for f, field in enumerate(TEXT_FIELDS)
        for c, control in enumerate(CONTROLS)
    }
    root = write_catalog(tmp_path / "c")
    (root / "models").mkdir()
    for entry_id, (field, control) in cases.items():
        data = entry(entry_id, url=f"https://example.org/{entry_id}")
        data[field] = _with_control(field, control)
        # escaped (allow_unicode=False): a raw U+0085 would be a line break to YAML, not text
        (root / "models" / f"{entry_id}.yaml").write_text(
            SCHEMA_HEADER + "\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=False)
        )
    result = run("--catalog", root, "validate", "--format", "json")
    assert_sound(result, "json", codes=(1,))
    reported = {
        Path(f["path"]).stem for f in json.loads(result.stdout)["findings"] if f["rule"] == "CAT015"
    }
    assert reported == set(cases), set(cases) - reported
    exports = [
        ("json", "json"),
        ("jsonl", "jsonl"),
        ("csv", "csv"),
        ("yaml", "yaml"),
        ("markdown", None),
        ("html", None),
        ("bibtex", None),
        ("mermaid", None),
        ("dot", None),
    ]
    for fmt, form in exports:
        result = run("--catalog", root, "export", fmt)
        assert_sound(result, form, codes=(0,))
        assert not CONTROL_RE.search(result.stdout), (fmt, CONTROL_RE.search(result.stdout))
    for args in (
        ["list", "--format", "csv"],
        ["show", "e00", "--format", "json"],
        ["search", "text"],
    ):
        assert not CONTROL_RE.search(run("--catalog", root, *args).stdout), args


def test_tabs_and_line_breaks_are_text_in_a_description_only(tmp_path: Path) -> None:
    root = write_catalog(
        tmp_path / "c",
        entry("good", description="One line.\n\n\tAnother."),
        entry("corpus", "dataset", name="Two\nlines"),
    )
    findings = json.loads(run("--catalog", root, "validate", "--format", "json").stdout)["findings"]
    assert [(f["rule"], Path(f["path"]).name) for f in besides_evidence(findings)] == [
        ("CAT015", "corpus.yaml")
    ]


def test_a_snapshot_with_controls_reaches_no_export_with_them(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", good(), corpus())
    write_snapshot(
        root,
        {"license": "mit\x1b]0;pwned\x07", "tags": ["\u202eevil"], "downloads": 5},
        {"description": "x\x9by", "stars": 2},
    )
    for fmt, form in [
        ("json", "json"),
        ("yaml", "yaml"),
        ("csv", "csv"),
        ("markdown", None),
        ("html", None),
    ]:
        result = run(
            "--catalog", root, "export", fmt, *(["--figures"] if fmt == "markdown" else [])
        )
        assert_sound(result, form, codes=(0,))
        assert not CONTROL_RE.search(result.stdout), fmt
    assert not CONTROL_RE.search(run("--catalog", root, "show", "good", "--format", "json").stdout)


SPLITTERS = [";", ","]


@pytest.mark.parametrize(
    "text",
    [
        'safe;=HYPERLINK("http://x")',
        "a; +cmd",
        "x;@SUM(1)",
        "ok;\t=1",
        " =1+1",
        "a;-2+3",
        "one;two",
    ],
)
def test_csv_holds_no_formula_even_when_a_spreadsheet_splits_on_semicolons(
    tmp_path: Path, text: str
) -> None:
    root = write_catalog(
        tmp_path / "c",
        entry("good", name=text.replace("\t", " "), aliases=[text.replace("\t", " "), "=x"]),
    )
    for args in (["export", "csv"], ["list", "--format", "csv"]):
        out = run("--catalog", root, *args).stdout
        for line in out.splitlines():
            for splitter in SPLITTERS:  # whatever the spreadsheet splits on, no piece is a formula
                for piece in line.split(splitter):
                    assert not piece.lstrip(' "').startswith(("=", "+", "-", "@", "\t")), (
                        splitter,
                        piece,
                    )
        rows = list(csv.reader(io.StringIO(out)))
        names = [r[1] for r in rows[1:]]
        quoted = ['"' + n.replace('"', '""') + '"' for n in names if ";" in n]
        assert all(q in out for q in quoted)  # a cell holding a ; is quoted


AUTOLINKED = [
    "see www.example.com today",
    "at https://evil.example/x now",
    "mail me@example.org",
    "mailto:me@example.org",
    "WWW.EXAMPLE.COM",
    "(www.example.com)",
    "*www.example.com*",
    "_www.example.com_",
    "xmpp:me@example.org/x",
    "http://[::1]/",
    "ftp://x.y.z",
]
# GFM's autolink extension: www. after a delimiter, http(s)://, and e-mail addresses.
GFM_AUTOLINK = re.compile(
    r"(?:^|[\s*_~(])(?:www\.|https?://)|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE
)


def _linkified_text(markdown: str) -> list[str]:
    """The links markdown-it (with linkify) makes from plain text, beside the links we wrote."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("gfm-like")  # linkify on
    found = []
    for token in md.parse(markdown):
        for child in token.children or []:
            if child.type == "link_open" and child.markup == "linkify":
                found.append(str(child.attrs.get("href")))
    return found


@pytest.mark.parametrize("style", ["table", "list"])
def test_markdown_text_gives_githubs_autolinker_nothing_to_link(tmp_path: Path, style: str) -> None:
    hostile = [
        entry(
            f"e{i}", name=text[:60], summary=f"Summary: {text} and more words here.", aliases=[text]
        )
        for i, text in enumerate(AUTOLINKED)
    ]
    root = write_catalog(tmp_path / "c", *hostile)
    result = run(
        "--catalog",
        root,
        "export",
        "markdown",
        "--style",
        style,
        "--columns",
        "name,aliases,summary",
    )
    assert_sound(result, codes=(0,))
    assert _linkified_text(result.stdout) == []
    plain = re.sub(r"\]\([^)]*\)|^\[[^\]]+\]: .*$", "]", result.stdout, flags=re.MULTILINE)
    assert not GFM_AUTOLINK.search(plain), GFM_AUTOLINK.search(plain)
    from markdown_it import MarkdownIt

    shown = MarkdownIt("gfm-like").render(result.stdout)
    assert (
        "see www.example.com today" in shown and "mail me@example.org" in shown
    )  # renders the same


@pytest.mark.parametrize(
    "label",
    [
        "%%{init: {'theme': 'dark', 'securityLevel': 'loose'}}%%",
        "%% a comment",
        "a %%{init}%% b",
        "100%",
    ],
)
def test_mermaid_labels_carry_no_directive_or_comment(tmp_path: Path, label: str) -> None:
    root = write_catalog(
        tmp_path / "c", entry("good", name=label, relations={"trained_on": ["corpus"]}), corpus()
    )
    result = run("--catalog", root, "export", "mermaid", "--depth", "1")
    assert_sound(result, codes=(0,))
    assert "%" not in result.stdout
    assert "#37;#37;" in result.stdout or label == "100%"


@pytest.mark.parametrize(
    "template",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ entries.__class__.__init__.__globals__ }}",
        "{% for e in entries %}{{ e.__class__.__mro__ }}{% endfor %}",
        "{{ cycler.__init__.__globals__.os.system('echo pwned') }}",
    ],
)
def test_a_template_cannot_reach_pythons_internals(tmp_path: Path, template: str) -> None:
    root = write_catalog(tmp_path / "c", good(), corpus())
    path = tmp_path / "evil.j2"
    path.write_text(template)
    result = run("--catalog", root, "export", "markdown", "--template", path)
    assert_sound(result, codes=(1, 2))
    assert result.exit_code != 0 and "pwned" not in result.stdout
    assert "unsafe" in result.stderr or "undefined" in result.stderr


def test_a_template_still_renders_its_context(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", good(), corpus())
    path = tmp_path / "ok.j2"
    path.write_text(
        "{% for e in entries %}- {{ e.name | md }} ({{ e.value('parameters') }})\n{% endfor %}"
    )
    result = run("--catalog", root, "export", "markdown", "--template", path)
    assert_sound(result, codes=(0,))
    assert "- Good (6000000000)" in result.stdout


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.text(CONTROL_TEXT, min_size=1, max_size=30),
    summary=st.text(CONTROL_TEXT, min_size=20, max_size=80),
)
def test_any_text_in_an_entry_is_either_refused_or_exported_clean(
    tmp_path: Path, name: str, summary: str
) -> None:
    root = tmp_path / "c"
    if not root.exists():
        write_catalog(root, good(), corpus())
    data = entry("any", name=name.replace("\x00", "") or "x", summary=summary.replace("\x00", ""))
    (root / "models" / "any.yaml").write_text(
        SCHEMA_HEADER + "\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=False)
    )
    assert_sound(run("--catalog", root, "validate", "--format", "json"), "json", codes=(0, 1))
    for fmt, form in [("csv", "csv"), ("json", "json"), ("markdown", None), ("mermaid", None)]:
        result = run("--catalog", root, "export", fmt)
        assert_sound(result, form, codes=(0,))
        assert not CONTROL_RE.search(result.stdout), fmt
