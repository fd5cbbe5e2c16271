from __future__ import annotations

import re

import pytest

from openai_catalog import rules
from openai_catalog.rules import Rule


def test_rule_ids_are_unique_and_well_formed() -> None:
    ids = [cls.id for cls in Rule.registry.values()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"CAT\d{3}", i) for i in ids)


def test_every_rule_is_documented_by_its_docstring() -> None:
    for cls in Rule.registry.values():
        assert len(cls.doc()) > 20, cls.__name__


def test_reusing_a_rule_id_is_refused() -> None:
    with pytest.raises(ValueError, match="CAT001"):
        type("Again", (Rule,), {"id": "CAT001", "__doc__": "x"})
    assert Rule.registry["CAT001"] is rules.YamlSyntax
