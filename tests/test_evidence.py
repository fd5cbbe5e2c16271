"""Evidence: the schema's form, the rules CAT088 and CAT090-CAT093, the denylist, licences per
component and their filter."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers import MINI, SHIPPED, entry, run, run_json, write_catalog
from openai_catalog._util import reflow
from openai_catalog.checks.evidence import (
    Denied,
    Denylist,
    hub_account,
    load_denylist,
    needed_facts,
)
from openai_catalog.fmt import format_text
from openai_catalog.schema import json_schema

CARD = "https://huggingface.co/org/m"


def ev(*fields: str, source: str = CARD) -> dict[str, list[dict[str, str]]]:
    return {f: [{"source": source, "quote": f"the words that state the {f}"}] for f in fields}


def rules_of(root: Path) -> list[tuple[str, str, str]]:
    _, report = run_json("--catalog", root, "validate", "--format", "json")
    return sorted((Path(f["path"]).stem, f["rule"], f["message"]) for f in report["findings"])


def test_evidence_may_replace_sources_but_an_entry_needs_one_or_the_other(tmp_path: Path) -> None:
    root = write_catalog(
        tmp_path / "c",
        entry("m", hub="org/m", sources=[], evidence=ev("license")),
        entry("bare", sources=[]),
    )
    found = rules_of(root)
    assert ("bare", "CAT055", "no sources and no evidence back this entry") in found
    assert not [f for f in found if f[0] == "m"]


def test_key_facts_follow_the_kind_and_open_weights_need_a_parameter_count() -> None:
    assert needed_facts(
        "model", {"license": "MIT", "released": "2021", "weights": "gated", "parameters": 7}
    ) == ["license", "released", "weights"]
    assert needed_facts("model", {"license": "MIT", "weights": "open", "parameters": 7}) == [
        "license",
        "weights",
        "parameters",
    ]
    assert needed_facts("model", {"license": "unknown"}) == []
    assert needed_facts("dataset", {"license": "MIT", "access": "open"}) == ["license", "access"]
    assert needed_facts(
        "compute", {"offers": ["GPUs"], "eligibility": "academics", "applications": "open"}
    ) == ["offers", "eligibility", "applications"]
    assert needed_facts("tool", {"license": "MIT", "released": "2020"}) == ["license"]
    assert needed_facts("community", {"url": "https://example.org"}) == ["url"]


def test_each_unbacked_key_fact_is_a_warning_at_its_line(tmp_path: Path) -> None:
    root = write_catalog(
        tmp_path / "c",
        entry(
            "m",
            hub="org/m",
            released="2021",
            weights="open",
            parameters="1B",
            evidence=ev("license", "weights"),
        ),
    )
    found = [f for f in rules_of(root) if f[1] == "CAT090"]
    assert [f[2] for f in found] == ["no evidence for `parameters`", "no evidence for `released`"]
    assert run("--catalog", root, "validate").exit_code == 0
    assert run("--catalog", root, "validate", "--strict").exit_code == 1


def test_hub_pages_of_the_entry_its_makers_and_hugging_face_itself_are_fine(tmp_path: Path) -> None:
    community = entry(
        "org", "community", hub="Org", evidence=ev("url", source="https://org.example")
    )
    fine = [
        f"{CARD}/blob/main/README.md",
        "https://huggingface.co/datasets/org/data",
        "https://huggingface.co/Maker/other-model",
        "https://huggingface.co/docs/hub/model-cards",
        "https://huggingface.co/blog/some-post",
        "https://huggingface.co/papers/2101.00027",
        "https://huggingface.co/api/models/org/m",
    ]
    root = write_catalog(
        tmp_path / "c",
        community,
        entry("maker", "community", hub="Maker", evidence=ev("url", source="https://m.example")),
        entry(
            "m",
            by=["maker"],
            hub="org/m",
            sources=fine,
            evidence=ev("license", source="https://huggingface.co/TheBloke/m-GGUF"),
        ),
    )
    found = [f for f in rules_of(root) if f[1] == "CAT093"]
    assert [(f[0], f[2]) for f in found] == [
        (
            "m",
            "evidence.license[0] https://huggingface.co/TheBloke/"
            "m-GGUF is under the Hub account 'TheBloke', not the "
            "entry's own (maker, org)",
        )
    ]


@pytest.mark.parametrize(
    ("url", "account"),
    [
        ("https://huggingface.co/EleutherAI/gpt-j-6b", "EleutherAI"),
        ("https://huggingface.co/datasets/allenai/c4/blob/main/README.md", "allenai"),
        ("https://huggingface.co/spaces/someone/demo", "someone"),
        ("https://huggingface.co/api/datasets/org/x", "org"),
        ("https://huggingface.co/docs/transformers", None),
        ("https://huggingface.co/blog/gemma", None),
        ("https://hf-mirror.com/EleutherAI/gpt-j-6b", None),
    ],
)
def test_the_hub_account_of_an_address(url: str, account: str | None) -> None:
    assert hub_account(url) == account


def test_denied_domains_match_subdomains_globs_and_paths_only() -> None:
    denylist = Denylist(
        (
            Denied("aiwiki.ai", "a wiki"),
            Denied("hf-mirror.*", "a mirror"),
            Denied("*.hf-mirror*", "a mirror"),
            Denied("together.ai/models", "a host"),
        )
    )
    assert denylist.find("https://aiwiki.ai/wiki/x") is not None
    assert denylist.find("https://www.aiwiki.ai/wiki/x") is not None
    assert denylist.find("https://notaiwiki.ai/x") is None
    assert denylist.find("https://hf-mirror.492719920.workers.dev./m/README.md") is not None
    assert denylist.find("https://beta-index.hf-mirror.com/m") is not None
    assert denylist.find("https://together.ai/models/llama") is not None
    assert denylist.find("https://together.ai/blog/redpajama") is None
    assert denylist.find("https://together.ai/modelsx") is None


def test_the_shipped_denylist_reads_and_gives_each_domain_a_reason() -> None:
    denylist, problems = load_denylist(SHIPPED)
    assert problems == []
    patterns = {d.pattern for d in denylist.domains}
    assert {
        "aiwiki.ai",
        "grokipedia.com",
        "deepwiki.com",
        "promptlayer.com",
        "replicate.com",
        "paperswithcode.com",
        "hf-mirror.com",
        "hf.qhduan.com",
        "pydigger.com",
    } <= patterns
    assert len(patterns) == len(denylist.domains)
    assert all(d.reason and "\n" not in d.reason for d in denylist.domains)


def test_a_denied_source_names_the_reason_and_a_primary_page(mini_copy: Path) -> None:
    path = mini_copy / "models" / "gpt-j-6b.yaml"
    path.write_text(
        path.read_text().replace(
            "  - https://huggingface.co/EleutherAI/gpt-j-6b\n",
            "  - https://www.aiwiki.ai/wiki/GPT-J\n",
        )
    )
    _, report = run_json("--catalog", mini_copy, "validate", "--format", "json")
    [finding] = report["findings"]
    assert finding["rule"] == "CAT092" and "an AI wiki" in finding["message"]
    assert "https://huggingface.co/EleutherAI/gpt-j-6b" in finding["hint"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("domains: [aiwiki.ai]\n", "item 1 is not a `domain` with a `reason`"),
        ("domains:\n  - domain: https://aiwiki.ai\n    reason: a wiki\n", "is not a domain"),
        ("aiwiki.ai: a wiki\n", "the file holds `domains:`"),
    ],
)
def test_a_malformed_denylist_is_reported_at_its_line(
    mini_copy: Path, text: str, says: str
) -> None:
    (mini_copy / "source-denylist.yaml").write_text(text)
    result, report = run_json("--catalog", mini_copy, "validate", "--format", "json")
    assert result.exit_code == 1
    [finding] = report["findings"]
    assert finding["rule"] == "CAT088" and says in finding["message"]
    assert finding["path"].endswith("source-denylist.yaml")


def test_fmt_puts_evidence_before_sources_in_field_order_with_quoted_quotes() -> None:
    text = format_text("""id: m
kind: model
sources:
  - https://example.org/m
evidence:
  weights:
    - quote: 'Download: the weights'
      source: https://example.org/m
  license:
    - {source: https://example.org/m, quote: "MIT"}
name: M
summary: A model whose file was written out of order by hand.
license: MIT
weights: open
""")
    assert text.endswith("""weights: open
evidence:
  license:
    - source: https://example.org/m
      quote: "MIT"
  weights:
    - source: https://example.org/m
      quote: "Download: the weights"
sources:
  - https://example.org/m
""")


def test_the_json_schema_names_the_fields_evidence_may_back() -> None:
    defs = json_schema()["$defs"]
    model = defs["Model"]["properties"]["evidence"]["propertyNames"]["enum"]
    assert {"license", "code_license", "parameters", "weights", "released"} <= set(model)
    assert (
        "summary" in model and "description" in model
    )  # claims of our own words can be backed too
    assert "evidence" not in model and "sources" not in model and "id" not in model
    assert "offers" in defs["Compute"]["properties"]["evidence"]["propertyNames"]["enum"]
    assert defs["Evidence"]["properties"]["quote"]["maxLength"] == 300
    assert {"required": ["evidence"]} in defs["Tool"]["anyOf"]


def test_code_and_data_licences_resolve_through_the_licence_table(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", entry("m", code_license="MTI", data_license="unknown"))
    found = {(f[1], f[2].split(":")[0]) for f in rules_of(root)}
    assert ("CAT040", "code_license") in found
    assert ("CAT041", "the data's licence is unknown (unknown)") in found


def search_ids(*args: str) -> list[str]:
    result = run("--catalog", MINI, "search", *args, "--format", "ids")
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()


def test_code_license_filters_by_id_or_category_and_license_stays_on_the_weights() -> None:
    assert search_ids("code_license:mit") == ["open-lm"]
    assert search_ids("--code-license", "permissive") == ["open-lm"]
    assert search_ids("--code-license", "copyleft") == []
    assert "open-lm" not in search_ids("license:MIT")
    bad = run("--catalog", MINI, "search", "code_license:MTI")
    assert bad.exit_code == 2 and "did you mean" in bad.stderr


def test_reflow_joins_paragraph_lines_and_keeps_blank_lines_lists_and_code() -> None:
    text = "A paragraph\nwrapped by YAML.\n\n- item one\n  continued\n- item two\n\n```\nkeep\n as is\n```\n"
    assert reflow(text) == (
        "A paragraph wrapped by YAML.\n\n- item one continued\n- item two\n\n```\nkeep\n as is\n```"
    )


def test_export_json_carries_evidence_and_component_licences(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", entry("m", code_license="MIT", evidence=ev("license")))
    data: Any = json.loads(run("--catalog", root, "export", "json").stdout)
    [exported] = data["entries"]
    assert (
        exported["evidence"] == ev("license") and exported["code_license_category"] == "permissive"
    )


def test_a_repository_address_without_its_revision_is_an_error(tmp_path: Path) -> None:
    """`blob//README.md` names no commit: CAT095 on that very address, wherever it is written;
    a `//` inside another site's address (an archived URL) is not one."""
    root = write_catalog(
        tmp_path / "c",
        entry(
            "unpinned",
            sources=[
                "https://github.com/acme/model/blob//README.md",
                "https://web.archive.org/web/2023/https://acme.example/model",
            ],
            evidence={
                "license": [
                    {
                        "source": "https://huggingface.co/acme/model/blob//README.md",
                        "quote": "license: mit",
                    }
                ]
            },
        ),
    )
    _, report = run_json("--catalog", root, "validate", "--format", "json")
    found = [f for f in report["findings"] if f["rule"] == "CAT095"]
    assert sorted(f["message"].split()[0] for f in found) == ["evidence.license[0]", "sources[0]"]
    assert all(f["severity"] == "error" and f["line"] > 0 for f in found)


def test_the_shipped_catalogue_names_a_revision_in_every_repository_address() -> None:
    _, report = run_json("--catalog", SHIPPED, "validate", "--format", "json")
    assert [f for f in report["findings"] if f["rule"] == "CAT095"] == []
