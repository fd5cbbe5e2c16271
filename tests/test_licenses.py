"""The licence table and SPDX expressions: categories, Hub ids, SPDX ids, and the table's own checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import MINI, SHIPPED, run_json
from openai_catalog.licenses import CATEGORIES, OPEN_CATEGORIES, LicenseError, LicenseTable
from openai_catalog.registry import load_catalog, load_licenses

# Every licence id of the Hugging Face Hub, in the order of huggingface/hub-docs
# docs/hub/repositories-licenses.md at commit 242f4a1eeb867daf4ac3f44026a5df4a68908a3d.
HUB_LICENSE_IDS = (
    "apache-2.0",
    "mit",
    "openrail",
    "bigscience-openrail-m",
    "creativeml-openrail-m",
    "bigscience-bloom-rail-1.0",
    "bigcode-openrail-m",
    "afl-3.0",
    "artistic-2.0",
    "bsl-1.0",
    "bsd",
    "bsd-2-clause",
    "bsd-3-clause",
    "bsd-3-clause-clear",
    "c-uda",
    "cc",
    "cc0-1.0",
    "cc-by-2.0",
    "cc-by-2.5",
    "cc-by-3.0",
    "cc-by-4.0",
    "cc-by-sa-3.0",
    "cc-by-sa-4.0",
    "cc-by-nc-2.0",
    "cc-by-nc-3.0",
    "cc-by-nc-4.0",
    "cc-by-nd-4.0",
    "cc-by-nc-nd-3.0",
    "cc-by-nc-nd-4.0",
    "cc-by-nc-sa-2.0",
    "cc-by-nc-sa-3.0",
    "cc-by-nc-sa-4.0",
    "cdla-sharing-1.0",
    "cdla-permissive-1.0",
    "cdla-permissive-2.0",
    "wtfpl",
    "ecl-2.0",
    "epl-1.0",
    "epl-2.0",
    "etalab-2.0",
    "eupl-1.1",
    "eupl-1.2",
    "agpl-3.0",
    "gfdl",
    "gpl",
    "gpl-2.0",
    "gpl-3.0",
    "lgpl",
    "lgpl-2.1",
    "lgpl-3.0",
    "isc",
    "h-research",
    "intel-research",
    "lppl-1.3c",
    "ms-pl",
    "apple-ascl",
    "apple-amlr",
    "mpl-2.0",
    "odc-by",
    "odbl",
    "openmdw-1.0",
    "openmdw-1.1",
    "openrail++",
    "osl-3.0",
    "postgresql",
    "ofl-1.1",
    "ncsa",
    "unlicense",
    "zlib",
    "pddl",
    "lgpl-lr",
    "deepfloyd-if-license",
    "fair-noncommercial-research-license",
    "llama2",
    "llama3",
    "llama3.1",
    "llama3.2",
    "llama3.3",
    "llama4",
    "grok2-community",
    "gemma",
    "unknown",
    "other",
)
# ScanCode LicenseDB categories (vendored by license-expression) and the ones they allow here.
SCANCODE_CATEGORIES = {
    "Permissive": {"permissive"},
    "Public Domain": {"permissive"},
    "Copyleft": {"copyleft"},
    "Copyleft Limited": {"copyleft"},
    "Source-available": {"community", "non-commercial"},
    "Free Restricted": {"community", "open-rail"},
    "Proprietary Free": {"community", "open-rail", "non-commercial"},
}


@pytest.fixture(scope="module")
def table() -> LicenseTable:
    table, findings, _ = load_licenses(SHIPPED)
    assert findings == [], findings
    return table


@pytest.mark.parametrize(
    ("expression", "category", "commercial"),
    [
        ("Apache-2.0 OR MIT", "permissive", True),
        ("CC-BY-4.0 AND ODC-BY", "permissive", True),
        ("CC-BY-SA-3.0 OR GFDL", "copyleft", True),  # Wikipedia's dual licence
        ("Apache-2.0 AND CC-BY-4.0", "permissive", True),  # AlphaFold 2: code and weights
        (
            "Apache-2.0 AND CC-BY-NC-SA-4.0",
            "non-commercial",
            False,
        ),  # GraphCast: the weights are NC
        ("MIT OR CC-BY-NC-4.0", "permissive", True),  # a choice: the freest counts
        ("MIT AND CC-BY-NC-4.0", "non-commercial", False),  # both: the strictest counts
        ("(MIT OR GPL-3.0-only) AND CC-BY-NC-4.0", "non-commercial", False),
        ("(CC-BY-NC-4.0 OR GPL-3.0-only) AND MIT", "copyleft", True),
        ("OpenRAIL++ OR Llama-2-Community", "open-rail", True),
        ("Llama-3.1-Community AND MIT", "community", True),
        ("GPL-2.0-only WITH Classpath-exception-2.0", "copyleft", True),
        ("Apache-2.0 WITH LLVM-exception OR MIT", "permissive", True),
        ("unknown OR MIT", "permissive", True),
        ("unknown AND MIT", "unknown", None),
        ("LicenseRef-Custom AND Apache-2.0", "community", None),
        ("LicenseRef-Custom OR proprietary", "community", None),  # unknown terms under OR: not "no"
        ("cc OR CC-BY-NC-4.0", "non-commercial", None),
        ("proprietary", "proprietary", False),
        ("llama3.1", "community", True),  # a Hub id is an alias
        ("cc", "unknown", None),
    ],
)
def test_categories_of_real_expressions(
    table: LicenseTable, expression: str, category: str, commercial: bool | None
) -> None:
    resolved = table.resolve(expression)
    assert (resolved.category, resolved.commercial) == (category, commercial)


def test_aliases_and_spdx_ids_resolve_to_the_canonical_expression(table: LicenseTable) -> None:
    assert table.resolve("apache-2.0 or mit").text == "Apache-2.0 OR MIT"
    assert table.resolve("cc-by-4.0 AND odc-by").ids == ("CC-BY-4.0", "ODC-By-1.0")
    assert table.resolve("falcon-llm-license").ids == ("TII-Falcon-LLM-License",)
    assert [lic.id for lic in table.resolve("MIT OR llama2").licenses] == [
        "MIT",
        "Llama-2-Community",
    ]


@pytest.mark.parametrize(
    ("text", "unknown", "suggested"),
    [
        ("Apach-2.0", ("Apach-2.0",), "Apache-2.0"),
        ("MIT OR Apache-2", ("Apache-2",), "Apache-2.0"),
        ("LicenseRef-Custm", ("LicenseRef-Custm",), "LicenseRef-Custom"),
        (
            "GPL-2.0-only WITH Classpath-exception",
            ("Classpath-exception",),
            "Classpath-exception-2.0",
        ),
    ],
)
def test_unknown_ids_are_errors_with_a_did_you_mean(
    table: LicenseTable, text: str, unknown: tuple[str, ...], suggested: str
) -> None:
    with pytest.raises(LicenseError) as caught:
        table.resolve(text)
    assert caught.value.unknown == unknown
    assert caught.value.hint and suggested in caught.value.hint


@pytest.mark.parametrize("text", ["MIT OR", "(MIT", "MIT AND AND Apache-2.0", ""])
def test_malformed_expressions_are_errors(table: LicenseTable, text: str) -> None:
    with pytest.raises(LicenseError):
        table.resolve(text)


def test_every_hub_licence_id_is_an_alias_of_a_licence(table: LicenseTable) -> None:
    missing = [hub_id for hub_id in HUB_LICENSE_IDS if table.get(hub_id) is None]
    assert missing == []
    named = {alias.lower() for lic in table.licenses.values() for alias in (lic.id, *lic.aliases)}
    assert set(HUB_LICENSE_IDS) <= named
    assert table.get("other").category == table.get("unknown").category == "unknown"
    assert (
        table.get("bsd").category,
        table.get("gpl").category,
        table.get("lgpl").category,
        table.get("gfdl").category,
        table.get("cc").category,
        table.get("openrail").category,
    ) == ("permissive", "copyleft", "copyleft", "copyleft", "unknown", "open-rail")
    assert table.get("bsd").id != "BSD-3-Clause" and table.get("gpl").id != "GPL-3.0-only"


def test_every_licence_used_in_the_shipped_catalogue_resolves_to_a_category() -> None:
    catalog = load_catalog(SHIPPED)
    unresolved = {}
    for entry in catalog.entries():
        if entry.license is None:
            assert entry.kind in ("compute", "community"), entry.id
            continue
        try:
            category = catalog.licenses.resolve(entry.license).category
        except LicenseError as exc:
            unresolved[entry.id] = str(exc)
            continue
        if category == "unknown":
            unresolved[entry.id] = f"{entry.license} has the unknown category"
    assert unresolved == {}
    kinds_with_licences = {e.kind for e in catalog.entries() if e.license}
    assert {"model", "dataset", "tool"} <= kinds_with_licences


def test_spdx_ids_are_real_spdx_ids_whose_scancode_category_agrees(table: LicenseTable) -> None:
    from license_expression import get_license_index

    by_spdx = {}
    for record in get_license_index():
        for key in (record["spdx_license_key"], *record["other_spdx_license_keys"]):
            if key and not key.startswith("LicenseRef-"):
                by_spdx[key.lower()] = record
    with_spdx = [lic for lic in table.licenses.values() if lic.spdx]
    assert len(with_spdx) >= 50
    for lic in with_spdx:
        record = by_spdx.get(lic.spdx.lower())
        assert record is not None and not record["is_deprecated"], (
            f"{lic.id}: {lic.spdx} is not SPDX"
        )
        assert record["spdx_license_key"] == lic.spdx, (
            f"{lic.id}: SPDX spells it {record['spdx_license_key']}"
        )
        assert lic.category in SCANCODE_CATEGORIES[record["category"]], (
            f"{lic.id} is {lic.category} here but {record['category']} in ScanCode"
        )
    for exception in table.exceptions:
        assert by_spdx[exception.lower()]["is_exception"], exception


def test_attributes_agree_with_the_categories(table: LicenseTable) -> None:
    for lic in table.licenses.values():
        if lic.category in OPEN_CATEGORIES:
            assert lic.commercial is True and lic.use_restrictions is False, lic.id
        if lic.category == "copyleft":
            assert lic.share_alike is True, lic.id
        if lic.category == "non-commercial":
            assert lic.commercial is False, lic.id
        if lic.category == "open-rail":
            assert lic.use_restrictions is True, lic.id
        assert lic.url is None or lic.url.startswith("https://"), lic.id
    assert {lic.category for lic in table.licenses.values()} == set(CATEGORIES)


def test_custom_community_licences_say_what_their_terms_are(table: LicenseTable) -> None:
    for lic_id in (
        "Llama-2-Community",
        "Llama-3.1-Community",
        "Gemma-Terms",
        "Qwen-License",
        "Falcon-180B-TII-License",
        "NVIDIA-Open-Model",
        "Stability-Community",
        "Databricks-Open-Model-License",
        "Modified-MIT",
    ):
        lic = table.licenses[lic_id]
        assert lic.category == "community" and lic.commercial is True and lic.note, lic_id
    assert "700 million" in table.licenses["Llama-3.3-Community"].note
    assert "100 million" in table.licenses["Qwen-License"].note
    assert table.licenses["Qwen-Research"].category == "non-commercial"


def _write_table(tmp_path: Path, body: str) -> Path:
    (tmp_path / "models").mkdir(exist_ok=True)
    path = tmp_path / "licenses.yaml"
    path.write_text("licenses:\n" + body)
    return tmp_path


_MIT = "  - id: MIT\n    category: permissive\n"


@pytest.mark.parametrize(
    ("body", "line", "text"),
    [
        (
            "  - id: MIT\n    name: MIT License\n    spdx: true\n    category: permissive\n",
            4,
            "SPDX id",
        ),
        (
            (
                "  - id: MIT\n    spdx: MIT\n    category: permissive\n  - id: Expat\n    spdx: MIT\n"
                "    category: permissive\n"
            ),
            6,
            "already the SPDX id of MIT",
        ),
        (
            (
                "  - id: MIT\n    category: permissive\n    aliases: [mit]\n  - id: Other\n"
                "    category: unknown\n    aliases: [MIT]\n"
            ),
            7,
            "already a name of MIT",
        ),
        (
            "  - id: MIT\n    category: permissive\n    comercial: true\n",
            4,
            "unknown key 'comercial'",
        ),
        (
            "  - id: MIT\n    category: permissive\n    commercial: yes please\n",
            4,
            "true, false or null",
        ),
        (
            "  - id: MIT\n    category: free-ish\n  - id: ISC\n    category: permissive\n",
            3,
            "category must be one of",
        ),
        ("  - id: MIT\n    category: permissive\n    url: http://example.org\n", 4, "https"),
        (
            "  - id: MIT\n    category: permissive\n  - id: MIT\n    category: permissive\n",
            4,
            "'MIT' is listed twice",
        ),
        (f"{_MIT}exceptions:\n  - id: LLVM-exception\n", 5, "needs an `id` and a `name`"),
        (f"{_MIT}exceptions:\n  - name: LLVM exception\n", 5, "needs an `id` and a `name`"),
        (
            f"{_MIT}exceptions:\n  - id: LLVM-exception\n    name: LLVM\n    url: https://llvm.org\n",
            5,
            "exception LLVM-exception: unknown keys url",
        ),
        (
            f"{_MIT}exceptions:\n  - id: mit\n    name: Not an exception\n",
            5,
            "'mit' is already a name of MIT",
        ),
        (f"{_MIT}  - name: Nameless\n    category: permissive\n", 4, "every licence needs an `id`"),
        (
            f"{_MIT}  - id: ISC\n    name: [ISC]\n    category: permissive\n",
            5,
            "`name` must be text",
        ),
        (
            f"{_MIT}  - id: ISC\n    category: permissive\n    aliases: isc\n",
            6,
            "`aliases` must be a list",
        ),
        (
            f"{_MIT}  - id: ISC\n    category: permissive\n    note: [a, b]\n",
            6,
            "`note` must be text",
        ),
    ],
)
def test_table_problems_are_reported_at_their_line(
    tmp_path: Path, body: str, line: int, text: str
) -> None:
    root = _write_table(tmp_path, body)
    result, report = run_json("--catalog", root, "validate", "--format", "json")
    assert result.exit_code == 1
    found = [(f["rule"], f["line"]) for f in report["findings"] if text in f["message"]]
    assert found == [("CAT060", line)], report["findings"]


def test_the_mini_table_and_the_shipped_table_are_clean() -> None:
    for root in (MINI, SHIPPED):
        _, findings, _ = load_licenses(root)
        assert findings == []
