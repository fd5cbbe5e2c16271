"""Markdown exports parse as GitHub-flavoured markdown with intact tables and links, whatever the
catalogue's text holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from export_helpers import EXPORT_FIXTURES, HOSTILE, MINI, make_catalog, parse_gfm

from helpers import SHIPPED, run
from openai_catalog.export import markdown
from openai_catalog.export.records import group, main_link
from openai_catalog.registry import load_catalog

EVIL = yaml.safe_load((HOSTILE / "models" / "evil-model.yaml").read_text())


def flat(text: str) -> str:
    return " ".join(text.split())


def entry_links(root: Path) -> set[str]:
    """Every page an export may link to: each entry's best page and its Hub, GitHub and paper."""
    from openai_catalog.export.records import github_url, hub_url, paper_url

    links = set()
    for entry in load_catalog(root).entries():
        data = entry.model_dump(exclude_none=True)
        links.add(markdown.url(main_link(entry.kind, data) or ""))
        for key, make in (
            ("hub", lambda v, k=entry.kind: hub_url(k, v)),
            ("github", github_url),
            ("paper", paper_url),
            ("url", str),
        ):
            if data.get(key):
                links.add(markdown.url(make(data[key])))
    return links


def test_text_is_escaped_so_it_shows_as_itself() -> None:
    from markdown_it import MarkdownIt

    nasty = "a | b ] [c](http://x) <script>alert(1)</script> *em* _u_ `c` ~~s~~ $m$ &amp; \\ #"
    rendered = (
        MarkdownIt("commonmark", {"html": True})
        .enable(["table", "strikethrough"])
        .renderInline(markdown.text(nasty + "\nnext line"))
    )
    assert rendered == (
        "a | b ] [c](http://x) &lt;script&gt;alert(1)&lt;/script&gt; *em* _u_ `c` "
        "~~s~~ $m$ &amp;amp; \\ # next line"
    )


def test_urls_lose_what_markdown_would_read_as_syntax() -> None:
    assert markdown.url("https://e.com/a (b)|<c>") == "https://e.com/a%20%28b%29%7C%3Cc%3E"
    assert (
        markdown.url("https://huggingface.co/x/y?a=1&b=2#z")
        == "https://huggingface.co/x/y?a=1&b=2#z"
    )


def test_hostile_entry_keeps_every_table_row_and_link_intact(tmp_path: Path) -> None:
    root = make_catalog(tmp_path, hostile=True)
    result = run(
        "--catalog",
        root,
        "export",
        "markdown",
        "--columns",
        "name,by,released,license,paper,hub,github,aliases,summary",
    )
    assert result.exit_code == 0, result.stderr
    parsed = parse_gfm(result.stdout, entry_links(root))
    (table,) = parsed["tables"]
    header, *rows = table
    assert header == [
        "Name",
        "By",
        "Released",
        "Licence",
        "Paper",
        "Hub",
        "GitHub",
        "Aliases",
        "Summary",
    ]
    evil = next(r for r in rows if r[0].startswith("Evil"))
    assert evil[0] == flat(EVIL["name"])
    assert evil[-1] == flat(EVIL["summary"])
    assert evil[4] == EVIL["paper"]
    assert evil[7] == ", ".join(EVIL["aliases"])
    assert len(rows) == 8
    linked = {text: href for href, text in parsed["links"]}
    assert linked[flat(EVIL["name"])] == "https://example.com/a_%28b%29%7Cc?q=%3Cx%3E&y=%22z%22"
    assert linked["GPT-J-6B"] == "https://huggingface.co/EleutherAI/gpt-j-6b"
    assert (
        linked["kingoflolz/mesh-transformer-jax"]
        == "https://github.com/kingoflolz/mesh-transformer-jax"
    )
    # Nothing in the data turned into emphasis, strikethrough, code or a link of its own.
    kinds = {c.type for t in parsed["tokens"] if t.type == "inline" for c in t.children or []}
    assert not kinds & {"em_open", "strong_open", "s_open", "code_inline", "image"}
    assert "javascript:" not in {href.split(":")[0] + ":" for href, _ in parsed["links"]}


def test_list_style_keeps_names_linked_and_text_literal(tmp_path: Path) -> None:
    root = make_catalog(tmp_path, hostile=True)
    result = run(
        "--catalog", root, "export", "markdown", "--style", "list", "--kind", "model", "--figures"
    )
    parsed = parse_gfm(result.stdout, entry_links(root))
    items = [t for t in parsed["tokens"] if t.type == "inline"]
    evil = next(t for t in items if t.content.startswith("**[Evil"))
    strong = [c.type for c in evil.children].count("strong_open")
    assert strong == 1  # the name only; the summary's *stars* stay text
    text = "".join(c.content for c in evil.children if c.type == "text")
    assert flat(EVIL["summary"]) in text
    gptj = next(t for t in items if "GPT-J-6B" in t.content)
    assert "123K downloads" in gptj.content and "6.31K stars" in gptj.content


def test_grouped_export_has_headings_a_table_each_and_a_working_toc(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    result = run(
        "--catalog",
        root,
        "export",
        "markdown",
        "--group-by",
        "org",
        "--toc",
        "--title",
        "Open models, by maker",
    )
    parsed = parse_gfm(result.stdout, entry_links(root))
    assert parsed["headings"] == ["Open models, by maker", "EleutherAI", "Meta AI", "Unattributed"]
    toc = [(href, text) for href, text in parsed["links"] if href.startswith("#")]
    assert toc == [
        ("#eleutherai", "EleutherAI"),
        ("#meta-ai", "Meta AI"),
        ("#unattributed", "Unattributed"),
    ]
    names = [[row[0] for row in table[1:]] for table in parsed["tables"]]
    assert names == [
        ["GPT-J-6B", "The Pile", "EleutherAI"],
        ["Llama 2 7B", "Meta AI"],
        ["TPU Research Cloud", "JAX"],
    ]


@pytest.mark.parametrize(
    ("by", "titles"),
    [
        ("kind", ["Models", "Datasets", "Compute programs", "Tools", "Communities"]),
        ("year", ["2023", "2021", "2020", "Undated"]),
        (
            "license",
            [
                "Permissive",
                "Community or custom terms",
                "No licence (compute programs, communities)",
            ],
        ),
    ],
)
def test_group_by_orders_sections_for_readers(by: str, titles: list[str]) -> None:

    from openai_catalog.export import records

    orgs = records.communities(MINI)
    from openai_catalog.index import search
    from openai_catalog.query import parse

    built = records.build(MINI, search(MINI, parse("")).hits, orgs)
    assert [g.title for g in group(built, by, orgs)] == titles


def test_repeated_headings_get_github_style_suffixes() -> None:
    seen: dict[str, int] = {}
    assert [markdown.anchor(t, seen) for t in ("Meta AI", "Meta AI", "C++ & Co.", "Étoilé")] == [
        "meta-ai",
        "meta-ai-1",
        "c--co",
        "étoilé",
    ]


def test_figures_come_with_the_date_they_were_fetched(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    result = run("--catalog", root, "export", "markdown", "--kind", "model", "--figures")
    parsed = parse_gfm(result.stdout, entry_links(root))
    header, *rows = parsed["tables"][0]
    assert header == ["Name", "By", "Released", "Licence", "Downloads", "Stars", "Summary"]
    assert [r[4:6] for r in rows] == [["123K", "6.31K"], ["988K", ""]]
    note = re.search(r"^_(.*)_$", result.stdout, re.MULTILINE)
    assert note is not None
    assert "fetched 2026-01-03 to 2026-01-05" in note.group(1)
    assert "stars from GitHub, fetched 2026-01-04" in note.group(1)
    assert "| ---: | ---: |" in result.stdout  # numbers right-aligned


def test_figures_without_a_snapshot_say_so(tmp_path: Path) -> None:
    root = make_catalog(tmp_path, snapshot=False)
    result = run("--catalog", root, "export", "markdown", "--figures")
    assert result.exit_code == 0
    assert "not fetched yet" in result.stdout
    assert "no figures to show" in result.stderr


def test_the_writers_command_on_the_shipped_catalogue_renders_cleanly() -> None:
    result = run(
        "--catalog",
        SHIPPED,
        "export",
        "markdown",
        "--kind",
        "model",
        "--since",
        "2023",
        "--group-by",
        "org",
    )
    assert result.exit_code == 0, result.stderr
    parsed = parse_gfm(result.stdout, entry_links(SHIPPED))
    assert len(parsed["tables"]) == len(parsed["headings"]) >= 10
    years = [row[2][:4] for table in parsed["tables"] for row in table[1:]]
    assert years and all(y >= "2023" for y in years)


def test_template_gets_the_documented_context(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    template = tmp_path / "all.j2"
    template.write_text(
        "{{ title }}|{{ query }}|{{ group_by }}|{{ count }}|{{ entries|length }}|"
        "{% for g in groups %}{{ g.title }}#{{ g.anchor }}={{ g.records|map(attribute='id')|join(',') }};{% endfor %}|"
        "{{ communities['eleutherai'].name }}|{{ entries[0].figures.downloads }}|"
        "{{ entries[0].by_names|join }}|{{ entries[0].license_category }}|{{ entries[0].openness }}|"
        "{{ entries[0].value('parameters')|human }}|{{ entries[0].enrichment.hub.fetched_at }}|"
        "{{ '<b>|x' | md }}|{{ entries[0] | md_link }}|{{ figures_note is string }}\n"
    )
    result = run(
        "--catalog",
        root,
        "export",
        "markdown",
        "--kind",
        "model",
        "--group-by",
        "org",
        "--template",
        template,
        "--title",
        "Hello",
        "language",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "Hello|language|org|2|2|EleutherAI#eleutherai=gpt-j-6b;Meta AI#meta-ai=llama-2-7b;|"
        "EleutherAI|123456|EleutherAI|permissive|open-model|6B|2026-01-05T09:30:00Z|"
        "\\<b\\>\\|x|[GPT-J-6B](https://huggingface.co/EleutherAI/gpt-j-6b)|True\n"
    )


def test_the_fixture_template_renders_valid_markdown(tmp_path: Path) -> None:
    root = make_catalog(tmp_path, hostile=True)
    result = run(
        "--catalog",
        root,
        "export",
        "markdown",
        "--template",
        EXPORT_FIXTURES / "post.md.j2",
        "--group-by",
        "kind",
    )
    parsed = parse_gfm(result.stdout, entry_links(root))
    assert parsed["headings"][1:] == [
        "Models",
        "Datasets",
        "Compute programs",
        "Tools",
        "Communities",
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{% for x in %}", "post.j2:1:"),
        ("{{ entries[0].nmae }}", "has no attribute 'nmae'"),
        ("{% include 'missing.j2' %}", "'missing.j2' not found"),
    ],
)
def test_template_mistakes_are_usage_errors_with_the_file(
    tmp_path: Path, body: str, message: str
) -> None:
    template = tmp_path / "post.j2"
    template.write_text(body)
    result = run("--catalog", make_catalog(tmp_path), "export", "markdown", "--template", template)
    assert result.exit_code == 2
    assert message in result.stderr.replace("\n", "") and result.stdout == ""


def test_two_entries_whose_reference_labels_collide_each_link_to_their_own_page() -> None:
    """Reference labels match case-insensitively in GFM: a second entry whose label is the first's
    (same id in another case, or twins) must not borrow the first's page; it is linked inline."""
    from openai_catalog.export.records import Community, Figures, Group, Record

    def record(entry_id: str, name: str, link: str) -> Record:
        return Record(
            id=entry_id,
            kind="model",
            name=name,
            summary="A summary long enough.",
            by=["lab"],
            by_names=["Lab"],
            released="2024",
            license="MIT",
            license_category="permissive",
            openness=None,
            link=link,
            figures=Figures(),
            enrichment={},
            data={"id": entry_id, "name": name},
        )

    first = record("twin", "First", "https://first.example/")
    second = record("TWIN", "Second", "https://second.example/")
    lab = Community("lab", "Lab", "https://lab.example/")
    records = [first, second, record("lab", "Lab model", "https://lab.example/")]
    document = markdown.render(
        records,
        [Group("all", None, records)],
        markdown.Options(columns=["name", "by"]),
        {"lab": lab},
    )
    links = {
        text: href for href, text in parse_gfm(document, {r.link or "" for r in records})["links"]
    }
    assert links["First"] == "https://first.example/"
    assert links["Second"] == "https://second.example/"
    assert links["Lab"] == links["Lab model"] == "https://lab.example/"  # one page, one definition
    assert document.count("]: https://lab.example/") == 1
