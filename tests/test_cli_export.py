"""`catalog export` as a user meets it: the query language, usage errors, --output, real processes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from export_helpers import MINI, make_catalog

from helpers import run, run_process


def test_export_takes_the_query_language_and_the_filters() -> None:
    def ids(*args: str) -> list[str]:
        result = run("--catalog", MINI, "export", "jsonl", *args)
        assert result.exit_code == 0, result.stderr
        return [json.loads(line)["id"] for line in result.stdout.splitlines()]

    assert ids("kind:model", "-llama") == ["gpt-j-6b"]
    assert ids("--kind", "model", "--since", "2023") == ["llama-2-7b"]
    assert ids("--license", "permissive", "--sort", "name") == ["gpt-j-6b", "jax", "the-pile"]
    assert ids('"text corpus"') == ["the-pile"]
    assert ids("--by", "eleutherai", "--limit", "1") == ["gpt-j-6b"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["xml"], "'xml' is not one of"),
        (["json", "--toc"], "--toc does not apply to json"),
        (["csv", "--group-by", "org"], "--group-by does not apply to csv"),
        (["html", "--root", "gpt-j-6b"], "--root does not apply to html"),
        (["markdown", "--columns", "name,licnse"], "unknown column 'licnse'"),
        (["markdown", "--toc"], "--toc lists the sections of --group-by"),
        (
            ["markdown", "--style", "list", "--template", str(MINI / "licenses.yaml")],
            "--template sets",
        ),
        (["markdown", "released:soon"], "released: 'soon' is not a date"),
        (["mermaid", "--depth", "-1"], "'--depth': Input should be greater than or equal to 0"),
        (["markdown", "--template", "/no/such.j2"], "does not exist"),
    ],
)
def test_usage_errors_exit_2_and_print_nothing_on_stdout(args: list[str], message: str) -> None:
    result = run("--catalog", MINI, "export", *args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert message in " ".join(result.stderr.split())
    assert result.stdout == ""


def test_stdout_holds_only_the_document_and_stderr_the_summary() -> None:
    result = run("--catalog", MINI, "export", "json", "--kind", "dataset")
    assert json.loads(result.stdout)["count"] == 1
    assert "exported 1 entry as json" in result.stderr
    empty = run("--catalog", MINI, "export", "markdown", "zzzzqq")
    assert empty.exit_code == 0 and empty.stdout == "_No entries match._\n"
    assert "no entries match" in empty.stderr


def test_output_file_gets_exactly_what_stdout_would(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "post.md"
    result = run("--catalog", MINI, "export", "markdown", "--group-by", "kind", "--output", target)
    assert result.exit_code == 0 and result.stdout == ""
    assert f"wrote {target}" in " ".join(result.stderr.split())
    stdout = run("--catalog", MINI, "export", "markdown", "--group-by", "kind").stdout
    assert target.read_text(encoding="utf-8") == stdout
    assert [p.name for p in target.parent.iterdir()] == ["post.md"]


def test_output_is_replaced_atomically_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "post.md"
    target.write_text("the old post\n")
    broken = folder / "broken.j2"
    broken.write_text("{% if %}")
    result = run("--catalog", MINI, "export", "markdown", "--template", broken, "--output", target)
    assert result.exit_code == 2
    assert target.read_text() == "the old post\n"  # a failed render never touches the file

    def refuse(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    result = run("--catalog", MINI, "export", "markdown", "--output", target)
    assert result.exit_code == 1 and "No space left on device" in result.stderr  # said, not raised
    assert target.read_text() == "the old post\n"
    assert sorted(p.name for p in folder.iterdir()) == ["broken.j2", "post.md"]  # no temp left


def test_export_of_a_catalogue_without_a_snapshot_works(tmp_path: Path) -> None:
    root = make_catalog(tmp_path, snapshot=False)
    for fmt in ("markdown", "json", "csv", "html", "bibtex", "mermaid", "dot", "yaml", "jsonl"):
        result = run("--catalog", root, "export", fmt)
        assert result.exit_code == 0, (fmt, result.stderr)
        assert result.stdout.strip(), fmt


@pytest.mark.slow
def test_a_real_process_exits_with_the_documented_codes(tmp_path: Path) -> None:
    ok = run_process(
        "--catalog", MINI, "export", "markdown", "--kind", "model", "--output", tmp_path / "m.md"
    )
    assert (
        ok.returncode == 0 and ok.stdout == "" and (tmp_path / "m.md").read_text().startswith("|")
    )
    usage = run_process("--catalog", MINI, "export", "pdf")
    assert usage.returncode == 2 and "pdf" in usage.stderr
    missing = run_process("--catalog", MINI, "export", "mermaid", "--root", "gpt-j")
    assert missing.returncode == 1 and "gpt-j-6b" in missing.stderr
    assert "Traceback" not in usage.stderr + missing.stderr


PROBE = """
import sys
sys.argv = ["catalog", *{args!r}]
from openai_catalog.cli.app import main
try:
    main()
except SystemExit:
    pass
print("LOADED=" + ",".join(m for m in ("huggingface_hub", "requests", "jinja2") if m in sys.modules),
      file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("args", "jinja"),
    [
        (["markdown"], False),
        (["html"], False),
        (["csv"], False),
        (["markdown", "--template", "TEMPLATE"], True),
    ],
)
def test_export_loads_jinja2_only_for_templates_and_never_the_hub_client(
    tmp_path: Path, args: list[str], jinja: bool
) -> None:
    template = tmp_path / "t.j2"
    template.write_text("{{ count }}\n")
    argv = [
        "--catalog",
        str(MINI),
        "export",
        *[str(template) if a == "TEMPLATE" else a for a in args],
    ]
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=argv)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    loaded = next(line for line in proc.stderr.splitlines() if line.startswith("LOADED="))
    assert "huggingface_hub" not in loaded and "requests" not in loaded
    assert ("jinja2" in loaded) == jinja


def test_output_through_a_link_replaces_the_target_and_keeps_the_link(tmp_path: Path) -> None:
    (tmp_path / "real.json").write_text("old")
    (tmp_path / "real.json").chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to("real.json")
    assert run("--catalog", MINI, "export", "json", "--output", link).exit_code == 0
    assert link.is_symlink() and json.loads((tmp_path / "real.json").read_text())
    assert stat.S_IMODE((tmp_path / "real.json").stat().st_mode) == 0o640


def test_output_to_dev_stdout_or_a_pipe_writes_into_it_and_never_replaces_it(
    tmp_path: Path,
) -> None:
    # /dev/stdout itself is not used: a regression would replace it on the machine running the tests.
    stdout_link = tmp_path / "stdout"
    stdout_link.symlink_to("/proc/self/fd/1")
    for target in (stdout_link, "/dev/fd/1"):
        proc = run_process(
            "--catalog", MINI, "export", "json", "--kind", "tool", "--output", target
        )
        assert proc.returncode == 0 and [e["id"] for e in json.loads(proc.stdout)["entries"]] == [
            "jax"
        ], proc.stderr
    assert os.readlink(stdout_link) == "/proc/self/fd/1"
    fifo = tmp_path / "export.fifo"
    os.mkfifo(fifo)
    with subprocess.Popen(
        [sys.executable, "-c", f"print(open({str(fifo)!r}).read())"],
        stdout=subprocess.PIPE,
        text=True,
    ) as reader:
        result = run("--catalog", MINI, "export", "json", "--kind", "tool", "--output", fifo)
        assert [e["id"] for e in json.loads(reader.communicate(timeout=60)[0])["entries"]] == [
            "jax"
        ]
    assert result.exit_code == 0 and stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_read_only_output_file_is_refused_with_a_message(tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    target.write_text("keep me")
    target.chmod(0o444)
    result = run("--catalog", MINI, "export", "html", "--output", target)
    assert result.exit_code == 1 and "is read-only: not rewritten" in result.stderr
    assert target.read_text() == "keep me"
