from __future__ import annotations

from openai_catalog._yaml import MAX_BYTES, parse_bytes, parse_text


def rules_of(text: str) -> list[str]:
    return [f.rule for f in parse_text(text, "x.yaml").findings]


def test_positions_of_keys_and_items_are_one_based() -> None:
    doc = parse_text("id: a\ntags:\n  - x\n  - y\n", "x.yaml")
    assert doc.data == {"id": "a", "tags": ["x", "y"]}
    assert doc.positions[("tags",)] == (2, 1)
    assert doc.positions[("tags", 1)] == (4, 5)
    assert doc.position(("tags", 1, "missing")) == (4, 5)


def test_plain_scalars_follow_the_yaml_1_2_core_schema() -> None:
    doc = parse_text("a: no\nb: 2021-06-01\nc: 12\nd: 1.5\ne: true\nf: ~\ng: '12'\n", "x.yaml")
    assert doc.data == {
        "a": "no",
        "b": "2021-06-01",
        "c": 12,
        "d": 1.5,
        "e": True,
        "f": None,
        "g": "12",
    }


def test_duplicate_keys_are_all_reported_and_the_first_kept() -> None:
    doc = parse_text("a: 1\na: 2\nb: 1\nb: 2\n", "x.yaml")
    assert [f.line for f in doc.findings] == [2, 4]
    assert doc.data == {"a": 1, "b": 1}


def test_hostile_documents_are_refused() -> None:
    assert rules_of("a: &x [1]\nb: *x\n") == ["CAT003", "CAT003"]
    assert rules_of("a: !!python/object:os.system x\n") == ["CAT004"]
    assert rules_of("a:" + " [" * 40 + "]" * 40 + "\n") == ["CAT008"]
    assert rules_of("a: 1\n---\nb: 2\n") == ["CAT007"]


def test_laughs_never_expand() -> None:
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\nd: [*c,*c]\n'
    doc = parse_text(bomb, "x.yaml")
    assert "CAT003" in [f.rule for f in doc.findings]


def test_large_and_undecodable_files_are_refused_before_parsing() -> None:
    assert [f.rule for f in parse_bytes(b"a: " + b"x" * MAX_BYTES, "x.yaml").findings] == ["CAT006"]
    finding = parse_bytes(b"a: 1\nb: caf\xe9\n", "x.yaml").findings[0]
    assert (finding.rule, finding.line, finding.col) == ("CAT005", 2, 7)


def test_keys_that_are_not_plain_text_are_refused_and_a_bom_is_read_past() -> None:
    for text in ("? [a, b]\n: value\n", "{x: 1}: value\n"):
        doc = parse_text(text, "k.yaml")
        assert [f.rule for f in doc.findings] == ["CAT012"], doc.findings
        assert "keys must be plain text" in doc.findings[0].message
    doc = parse_bytes("\ufeffid: bom\n".encode(), "bom.yaml")
    assert doc.findings == [] and doc.data == {"id": "bom"}
