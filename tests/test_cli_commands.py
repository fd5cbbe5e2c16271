"""Every command of the real command table, walked: its help has examples and they run, and bad
options, unknown ids and a catalogue it may not change each end in a message and the documented
exit code, never a traceback (all through app.run, the path of the console script)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from helpers import MINI, SHIPPED, run
from openai_catalog.cli._commands import COMMANDS
from openai_catalog.cli.app import make_app


def _leaves() -> Iterator[tuple[tuple[str, ...], Any]]:
    """(path of names, click command) for every command a user can run, groups walked."""
    for name in COMMANDS:
        command = typer.main.get_command(make_app(name)).commands[name]  # type: ignore[attr-defined]
        children = getattr(command, "commands", None)
        if children:
            for child, sub in children.items():
                yield (name, child), sub
        else:
            yield (name,), command


LEAVES = dict(_leaves())
IDS = [" ".join(path) for path in LEAVES]


def examples(help_text: str) -> list[str]:
    """The `catalog ...` command lines after "Example:" or "Examples:" in a help text."""
    text = re.split(r"Examples?:", help_text, maxsplit=1)[1]
    lines = [re.sub(r"\s+#.*", "", line).strip() for line in text.splitlines()]
    joined = " ".join(line for line in lines if line and line != "\b")
    parts = re.split(r";\s*|\s+(?=catalog\s)", joined)
    return [part.strip() for part in parts if part.strip().startswith("catalog ")]


# Examples that would reach the internet; the local stand-ins of the Hub and of web pages test
# them (test_prefill.py, test_enrich_links.py). Examples with `...` are schematic.
NETWORK = ("--online", "--from-hub")
# `catalog add` examples give some fields and leave the rest to be asked in a terminal; without
# one they end with a usage error that says so. They run in a catalogue without entries, since
# the ones they add are in the catalogue already.
NEEDS_A_TERMINAL = (2, "catalog add")
EXAMPLES = sorted(
    {example for command in LEAVES.values() for example in examples(command.help or "")}
    | {
        example
        for name in ("add",)
        for example in examples(typer.main.get_command(make_app(name)).commands[name].help or "")
    }
)  # type: ignore[attr-defined]


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder holding a copy of the shipped catalogue as catalog/, as a clone would:
    a git repository (`catalog changes` reads its history) with a release tag."""
    import subprocess

    shutil.copytree(SHIPPED, tmp_path / "catalog")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    for command in (
        ["init", "-q"],
        ["add", "-A"],
        ["commit", "-q", "-m", "The catalogue"],
        ["tag", "v1.0"],
    ):
        subprocess.run(
            ["git", "-C", str(tmp_path), *command], check=True, env=env, capture_output=True
        )
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("path", list(LEAVES), ids=IDS)
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0, result.stderr
    assert "Example" in result.stdout and examples(LEAVES[path].help or ""), path


def test_the_examples_found_cover_every_command() -> None:
    named = {" ".join(shlex.split(e)[1:3]) for e in EXAMPLES} | {
        shlex.split(e)[1] for e in EXAMPLES
    }
    for path in LEAVES:
        assert " ".join(path) in named or path[0] in named, path
    assert len(EXAMPLES) >= 20


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_example_of_the_help_runs(example: str, checkout: Path) -> None:
    if "..." in example or any(flag in example for flag in NETWORK):
        pytest.skip("schematic or reaches the internet: see the module docstring")
    args = shlex.split(example)[1:]
    if ">" in args:
        args = args[: args.index(">")]
    if args[0] == "enrich":
        args.append("--offline")  # plan what is stale, ask nothing
    if args[0] == "add":
        for entry in (checkout / "catalog").glob("*/*.yaml"):
            entry.unlink()
    result = run(*args)
    assert "Traceback" not in result.stderr
    code, says = NEEDS_A_TERMINAL if args[0] == "add" else (0, "")
    assert result.exit_code == code, result.stdout + result.stderr
    assert says in result.stderr


@pytest.mark.parametrize("path", list(LEAVES), ids=IDS)
def test_an_unknown_option_is_a_usage_error(path: tuple[str, ...]) -> None:
    args = ["export", "json"] if path == ("export",) else list(path)
    result = run("--catalog", MINI, *args, "--no-such-option")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "--no-such-option" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["show", "no-such-entry"], "no entry 'no-such-entry'"),
        (["export", "mermaid", "--root", "no-such-entry"], "no entry 'no-such-entry'"),
        (["enrich", "no-such-entry", "--offline"], "no-such-entry"),
        (["validate", "no/such/file.yaml"], "no/such/file.yaml"),
        (["fmt", "no/such/file.yaml"], "no/such/file.yaml"),
    ],
)
def test_an_unknown_id_or_path_names_itself(args: list[str], says: str) -> None:
    result = run("--catalog", MINI, *args)
    assert result.exit_code in (1, 2), result.stdout + result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


WRITERS = [
    ["fmt"],
    ["fmt", "--check"],
    ["enrich"],
    [
        "add",
        "tool",
        "--name",
        "Pen",
        "--summary",
        "A pen that writes nothing at all, ever.",
        "--url",
        "https://example.org/pen",
        "--license",
        "MIT",
        "--source",
        "https://example.org/pen",
        "--yes",
    ],
]


@pytest.mark.parametrize("args", WRITERS, ids=lambda a: " ".join(a[:2]))
def test_the_catalogue_installed_with_the_package_is_never_changed(
    args: list[str], checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openai_catalog import locate

    packaged = (checkout / "catalog").resolve()
    monkeypatch.setattr(locate, "is_packaged", lambda root: Path(root).resolve() == packaged)
    before = {p: p.read_bytes() for p in packaged.rglob("*") if p.is_file()}
    result = run(*args)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "installed with the package" in result.stderr and "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in packaged.rglob("*") if p.is_file()} == before


@pytest.mark.skipif(
    not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() == 0,
    reason="root writes into read-only folders",
)
@pytest.mark.parametrize("args", [["fmt"], ["add", *WRITERS[3][1:]]], ids=["fmt", "add"])
def test_a_read_only_catalogue_is_a_message_not_a_traceback(
    args: list[str], checkout: Path
) -> None:
    catalog = checkout / "catalog"
    jax = catalog / "tools" / "jax.yaml"
    jax.write_text(jax.read_text().replace("name: JAX", "name:   JAX"))  # fmt has work to do
    for folder in (catalog, *(p for p in catalog.iterdir() if p.is_dir())):
        folder.chmod(0o555)
    try:
        result = run(*args)
    finally:
        for folder in (catalog, *(p for p in catalog.iterdir() if p.is_dir())):
            folder.chmod(0o755)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "error:" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("raised", "code", "says"),
    [
        (KeyboardInterrupt(), 130, "error: interrupted"),
        (
            PermissionError(13, "Permission denied", "/some/file"),
            1,
            "/some/file: Permission denied",
        ),
    ],
)
def test_the_error_table_maps_each_failure_to_its_exit_code(
    raised: BaseException, code: int, says: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openai_catalog import index

    def fail(*args: Any, **kwargs: Any) -> None:
        raise raised

    monkeypatch.setattr(index, "search", fail)
    result = run("--catalog", MINI, "search", "jax")
    assert result.exit_code == code and says in result.stderr and "Traceback" not in result.stderr


def test_a_bug_keeps_its_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from openai_catalog import index

    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(index, "search", fail)
    with pytest.raises(RuntimeError, match="a bug"):
        run("--catalog", MINI, "search", "jax")


def test_a_mistyped_option_of_a_query_command_is_named_with_the_nearest() -> None:
    result = run("--catalog", MINI, "list", "--licence", "permissive")
    assert result.exit_code == 2 and result.stdout == ""
    assert "no such option: --licence" in result.stderr and "--license" in result.stderr
    assert (
        run("--catalog", MINI, "list", "-jax", "--format", "ids").exit_code == 0
    )  # -word still excludes


def test_the_version_is_printed_and_main_exits_with_the_code_of_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from openai_catalog import __version__
    from openai_catalog.cli import app

    result = run("--version")
    assert result.exit_code == 0 and result.stdout == f"openai-catalog {__version__}\n"
    with pytest.raises(SystemExit) as stop:
        app.main(["--catalog", str(MINI), "show", "no-such-entry"])
    assert stop.value.code == 1
    assert "no entry 'no-such-entry'" in capsys.readouterr().err


def test_the_command_is_found_on_a_command_line_without_typer() -> None:
    from openai_catalog.cli._commands import catalog_option, command_in

    assert command_in([]) is None and command_in(["--catalog", "x"]) is None
    assert command_in(["--version"]) is None and command_in(["nonsense", "search"]) is None
    assert command_in(["--catalog", "x", "index", "status"]) == "index"
    assert catalog_option([]) is None and catalog_option(["--version"]) is None


def test_show_prints_only_the_formats_it_has() -> None:
    result = run("--catalog", MINI, "show", "gpt-j-6b", "--format", "csv")
    assert result.exit_code == 2 and "show prints table, json or yaml, not csv" in result.stderr


def test_show_of_an_entry_the_index_left_out_says_it_does_not_validate(checkout: Path) -> None:
    broken = checkout / "catalog" / "tools" / "broken-tool.yaml"
    broken.write_text("id: broken-tool\nkind: tool\nname: Broken\n")
    result = run("show", "broken-tool")
    assert result.exit_code == 1
    assert "'broken-tool' is in the catalogue but does not validate" in result.stderr


def test_exit_codes_of_the_error_table() -> None:
    from openai_catalog.cli._errors import exit_code_for
    from openai_catalog.errors import UsageError

    assert exit_code_for(BrokenPipeError()) == 0  # the reader left: not a failure
    assert exit_code_for(OSError("disk full")) == 1
    assert exit_code_for(UsageError("bad")) == 2 and exit_code_for(KeyboardInterrupt()) == 130


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["export", "yaml-ish"], "FORMAT"),
        (["export", "markdown", "--toc"], "--toc lists the sections of --group-by"),
        (["export", "json", "--group-by", "kind"], "--group-by does not apply to json"),
    ],
)
def test_export_options_that_do_not_fit_are_usage_errors(args: list[str], says: str) -> None:
    result = run("--catalog", MINI, *args)
    assert result.exit_code == 2 and says in result.stderr and "Traceback" not in result.stderr


def test_a_rebuild_names_the_entries_it_left_out(checkout: Path) -> None:
    (checkout / "catalog" / "tools" / "broken-tool.yaml").write_text(
        "id: broken-tool\nkind: tool\n"
    )
    result = run("index", "rebuild")
    assert result.exit_code == 0 and "indexed" in result.stderr
    assert "broken-tool.yaml was left out: it cannot be read or does not validate" in result.stderr


def test_validating_a_catalogue_folder_by_path_uses_its_licence_table(tmp_path: Path) -> None:
    root = tmp_path / "elsewhere"
    shutil.copytree(MINI, root)
    result = run("validate", root)
    assert result.exit_code == 0 and "0 errors" in result.stderr
