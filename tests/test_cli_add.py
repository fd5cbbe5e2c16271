"""`catalog add`: flags, questions on a real terminal, duplicates refused, nothing half-written."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import Terminal, run, run_process
from openai_catalog.schema import SCHEMA_HEADER

SUMMARY = "A small open model added by the tests of catalog add."
BASE = ["--summary", SUMMARY, "--license", "Apache-2.0", "--source", "https://example.org/new-lm"]


def files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_flags_alone_write_a_canonical_valid_entry(mini_copy: Path) -> None:
    card = "https://example.org/new-lm/card"
    result = run(
        "--catalog",
        mini_copy,
        "add",
        "model",
        "--name",
        "New LM",
        *BASE,
        "--by",
        "eleutherai",
        "--tag",
        "code",
        "--tags",
        "text-generation,small",
        "--parameters",
        "1.3B",
        "--trained-on",
        "the-pile",
        "--weights",
        "open",
        "--yes",
        "--evidence",
        f"license={card}::Licensed under the Apache License, Version 2.0",
        "--evidence",
        f"weights={card}::The weights: download them below",
        "--evidence",
        f"parameters={card}::1.3B parameters",
    )
    assert result.exit_code == 0, result.stderr
    path = mini_copy / "models" / "new-lm.yaml"
    text = path.read_text()
    assert (
        text
        == f"""{SCHEMA_HEADER}
id: new-lm
name: New LM
kind: model
summary: {SUMMARY}
by: [eleutherai]
license: Apache-2.0
tags: [code, text-generation, small]
parameters: 1300000000
weights: open
relations:
  trained_on: [the-pile]
evidence:
  license:
    - source: https://example.org/new-lm/card
      quote: "Licensed under the Apache License, Version 2.0"
  parameters:
    - source: https://example.org/new-lm/card
      quote: "1.3B parameters"
  weights:
    - source: https://example.org/new-lm/card
      quote: "The weights: download them below"
sources:
  - https://example.org/new-lm
"""
    )
    assert f"created {path}" in result.stderr
    for step in (
        f"catalog validate {path}",
        f"catalog fmt {path}",
        "git checkout -b add-new-lm",
        f"git add {path}",
        "git push -u origin add-new-lm",
        "pull request",
    ):
        assert step in result.stderr
    assert run("--catalog", mini_copy, "validate", "--strict", path).exit_code == 0
    assert run("--catalog", mini_copy, "fmt", "--check", path).exit_code == 0


def test_dry_run_prints_the_yaml_and_writes_nothing(mini_copy: Path) -> None:
    before = files(mini_copy)
    result = run(
        "--catalog",
        mini_copy,
        "add",
        "tool",
        "--name",
        "New Tool",
        *BASE,
        "--url",
        "https://example.org/tool",
        "--category",
        "training",
        "--dry-run",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(SCHEMA_HEADER + "\nid: new-tool\nname: New Tool\nkind: tool\n")
    assert "category: training\n" in result.stdout
    assert files(mini_copy) == before


@pytest.mark.parametrize(
    ("flags", "says"),
    [
        (["--name", "GPT-J-6B"], "already has an entry with the id 'gpt-j-6b'"),
        (["--name", "Another", "--hub", "eleutherai/GPT-J-6B"], "Hub repo"),
    ],
)
def test_duplicates_are_refused_with_exit_1_and_nothing_written(
    mini_copy: Path, flags: list[str], says: str
) -> None:
    before = files(mini_copy)
    result = run("--catalog", mini_copy, "add", "model", *flags, *BASE, "--yes")
    assert result.exit_code == 1, result.stderr
    assert says in result.stderr and "hint:" in result.stderr
    assert files(mini_copy) == before


def test_a_homepage_of_the_same_kind_is_a_duplicate_unless_said_shared(mini_copy: Path) -> None:
    flags = [
        "add",
        "tool",
        "--name",
        "Jax Two",
        *BASE,
        "--url",
        "https://github.com/JAX-ML/jax/",
        "--yes",
    ]
    refused = run("--catalog", mini_copy, *flags)
    assert (
        refused.exit_code == 1 and "homepage" in refused.stderr and "--shared-url" in refused.stderr
    )
    assert not (mini_copy / "tools" / "jax-two.yaml").exists()
    assert run("--catalog", mini_copy, *flags, "--shared-url").exit_code == 0
    community_site = [
        "add",
        "compute",
        "--name",
        "Eleuther Grants",
        *BASE,
        "--url",
        "https://www.eleuther.ai",
    ]
    assert run("--catalog", mini_copy, *community_site, "--yes").exit_code == 0, (
        "another kind: no duplicate"
    )


def test_a_duplicate_github_repo_is_refused(mini_copy: Path) -> None:
    before = files(mini_copy)
    result = run(
        "--catalog",
        mini_copy,
        "add",
        "tool",
        "--name",
        "Jax Again",
        *BASE,
        "--url",
        "https://example.org/jax-again",
        "--github",
        "JAX-ML/jax",
        "--yes",
    )
    assert result.exit_code == 1 and "GitHub repo" in result.stderr, result.stderr
    assert files(mini_copy) == before


def test_a_near_duplicate_name_is_a_warning(mini_copy: Path) -> None:
    result = run(
        "--catalog",
        mini_copy,
        "add",
        "model",
        "--name",
        "GPT J 6B",
        "--id",
        "gpt-j-6b-v2",
        *BASE,
        "--yes",
    )
    assert result.exit_code == 0, result.stderr
    assert "warning: the catalogue has 'gpt-j-6b' with a similar name" in result.stderr


@pytest.mark.parametrize(
    ("flags", "says", "hint"),
    [
        (["--license", "apache2"], "unknown licence apache2", "did you mean"),
        (["--by", "eleuther"], "no entry has the id 'eleuther'", "did you mean 'eleutherai'"),
        (["--weights", "opne"], "'opne' is not one of open, gated, closed", "did you mean 'open'"),
        (["--released", "2021-13"], "not a real date", "YYYY"),
        (["--trained-on", "gpt-j-6b"], "'gpt-j-6b' is a model", "dataset"),
        (["--summary", "too short"], "it needs 20 to 200", "one sentence"),
        (["--hub", "not a repo"], "is not a valid value", "owner/name"),
        (["--parameters", "six"], "not a number", "6B"),
    ],
)
def test_a_bad_value_says_how_to_fix_it_and_writes_nothing(
    mini_copy: Path, flags: list[str], says: str, hint: str
) -> None:
    before = files(mini_copy)
    result = run("--catalog", mini_copy, "add", "model", "--name", "New LM", *BASE, *flags, "--yes")
    assert result.exit_code == 2, result.stderr
    assert says in result.stderr and hint in result.stderr
    assert files(mini_copy) == before


def test_evidence_flags_are_checked_and_replace_sources(mini_copy: Path) -> None:
    card = "https://example.org/ev-lm/card"
    flags = [
        "add",
        "model",
        "--name",
        "Ev LM",
        "--summary",
        SUMMARY,
        "--license",
        "MIT",
        "--yes",
        "--dry-run",
    ]
    result = run("--catalog", mini_copy, *flags, "--evidence", f"license={card}::MIT licence")
    assert result.exit_code == 0, result.stderr
    assert "sources:" not in result.stdout and f"source: {card}" in result.stdout
    for bad, says in (
        (f"licence={card}::MIT", "did you mean 'license'"),
        (f"license={card}", "write FIELD=URL::QUOTE"),
        ("license=http://example.org::MIT", "https://"),
        (f"license={card}::" + "x" * 301, "at most 300 characters"),
    ):
        refused = run("--catalog", mini_copy, *flags, "--evidence", bad)
        assert refused.exit_code == 2 and says in refused.stderr, (bad, refused.stderr)
    assert "FIELD=URL::QUOTE" in run("add", "model", "--help").stdout


def test_missing_required_fields_without_a_terminal_name_the_flags(mini_copy: Path) -> None:
    result = run("--catalog", mini_copy, "add", "model", "--name", "New LM")
    assert result.exit_code == 2
    assert "missing --summary, --license, --sources" in result.stderr
    assert "in a terminal" in result.stderr


def test_add_without_a_kind_outside_a_terminal_is_a_usage_error(mini_copy: Path) -> None:
    result = run("--catalog", mini_copy, "add")
    assert result.exit_code == 2 and "catalog add model|dataset" in result.stderr


def test_help_lists_the_kinds_fields_with_examples() -> None:
    group = run("add", "--help")
    assert group.exit_code == 0 and "Examples:" in group.stdout and "community" in group.stdout
    model = run("add", "model", "--help")
    assert model.exit_code == 0 and "Example: catalog add model" in model.stdout
    for flag in (
        "--parameters",
        "--trained-on",
        "--weights open|gated|closed",
        "--tags, --tag",
        "--dry-run",
        "--yes",
    ):
        assert flag in model.stdout, flag
    assert "--parameters" not in run("add", "tool", "--help").stdout


def test_interactive_add_on_a_real_terminal(mini_copy: Path) -> None:
    term = Terminal("--catalog", mini_copy, "add", "model")
    term.expect("name: ")
    term.send("Terminal LM")
    term.expect("id [terminal-lm]: ")
    term.send("")
    term.expect("summary: ")
    term.send("short")
    term.expect("it needs 20 to 200")
    term.expect("summary: ")
    term.send(SUMMARY)
    term.expect("license: ")
    term.send("?")
    assert "Apache-2.0" in term.expect("license: ")
    term.send("apache2")
    term.expect("did you mean")
    term.expect("license: ")
    term.send("apache-2.0")
    term.expect("sources 1: ")
    term.send("http://insecure.example.org")
    term.expect("https:// address")
    term.expect("sources 1: ")
    term.send("https://example.org/terminal-lm")
    term.expect("sources 2: ")
    term.send("")
    term.expect("by [eleutherai/meta-ai]: ")
    term.send("eleuther")
    term.expect("did you mean 'eleutherai'?")
    term.expect("by [eleutherai/meta-ai]: ")
    term.send("eleutherai")
    term.expect("released: ")
    term.send("")
    term.expect("hub: ")
    term.send("")
    term.expect("modalities: ")
    term.send("text, code")
    term.expect("weights [open/gated/closed]: ")
    term.send("open")
    term.expect("source of license: ")  # then the evidence of each key fact given
    term.send("https://example.org/terminal-lm/card")
    term.expect("quote for license: ")
    term.send("")
    term.expect("quote: String should have at least 1 character")
    term.expect("source of license: ")
    term.send("https://example.org/terminal-lm/card")
    term.expect("quote for license: ")
    term.send("Released under the Apache 2.0 licence.")
    term.expect("source of weights: ")
    term.send("https://example.org/terminal-lm/card")
    term.expect("quote for weights: ")
    term.send("Download the weights below.")
    term.expect("[Y/n] ")
    term.send("")
    term.expect("next steps:")
    assert term.wait() == 0, term.output
    text = (mini_copy / "models" / "terminal-lm.yaml").read_text()
    assert "license: Apache-2.0\n" in text and "modalities: [text, code]\n" in text
    assert "by: [eleutherai]\n" in text and "weights: open\n" in text
    assert 'quote: "Released under the Apache 2.0 licence."' in text
    assert run("--catalog", mini_copy, "validate", "--strict").exit_code == 0


def test_interactive_add_asks_the_kind_first(mini_copy: Path) -> None:
    term = Terminal("--catalog", mini_copy, "add")
    term.expect("kind [model/dataset/compute/tool/community]: ")
    term.send("modle")
    term.expect("did you mean 'model'?")
    term.send("community")
    term.expect("name: ")
    term.send("New Collective")
    term.expect("id [new-collective]: ")
    term.send("")
    term.expect("summary: ")
    term.send("An open research collective added through the terminal test.")
    term.expect("url: ")
    term.send("https://example.org/collective")
    term.expect("sources 1: ")
    term.send("https://example.org/collective/about")
    term.expect("sources 2: ")
    term.send("")
    term.expect("type [")
    term.send("collective")
    term.expect("hub: ")
    term.send("")
    term.expect("github: ")
    term.send("")
    term.expect("source of url: ")
    term.send("")
    term.expect("[Y/n] ")
    term.send("n")
    term.expect("nothing written")
    assert term.wait() == 1
    assert not (mini_copy / "communities" / "new-collective.yaml").exists()


@pytest.mark.slow
def test_ctrl_c_during_the_questions_exits_130_and_leaves_no_file(mini_copy: Path) -> None:
    before = files(mini_copy)
    term = Terminal("--catalog", mini_copy, "add", "model", "--license", "MIT")
    term.expect("name: ")
    term.send("Interrupted LM")
    term.expect("id [interrupted-lm]: ")
    term.send("")
    term.expect("summary: ")
    term.interrupt()
    assert term.wait() == 130, term.output
    assert "interrupted" in term.output and "Traceback" not in term.output
    assert files(mini_copy) == before


def test_end_of_input_during_the_questions_also_writes_nothing(mini_copy: Path) -> None:
    before = files(mini_copy)
    term = Terminal("--catalog", mini_copy, "add", "dataset")
    term.expect("name: ")
    term.send("\x04")  # Ctrl-D at the start of a line: end of input
    assert term.wait() == 130
    assert files(mini_copy) == before


@pytest.mark.slow
def test_a_duplicate_found_while_answering_stops_at_once(mini_copy: Path) -> None:
    term = Terminal("--catalog", mini_copy, "add", "model")
    term.expect("name: ")
    term.send("GPT-J-6B")
    term.expect("id [gpt-j-6b]: ")
    term.send("")
    term.expect("already has an entry with the id 'gpt-j-6b'")
    assert term.wait() == 1


def test_add_as_a_real_process_with_piped_stdin_never_asks(mini_copy: Path) -> None:
    proc = run_process("--catalog", mini_copy, "add", "model", "--name", "Piped LM", *BASE)
    assert proc.returncode == 0, proc.stderr
    assert (mini_copy / "models" / "piped-lm.yaml").is_file()
