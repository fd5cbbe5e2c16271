"""Hypothesis strategies for valid entries, built from the entry schema itself.

Each kind's JSON Schema (what `catalog schema` prints) is turned into a strategy: enums become
choices, patterns become regular expressions, nested blocks become nested dictionaries. Free text
draws from all of Unicode, so that quoting and escaping meet the hard cases; every draw is then
checked by the pydantic model, so only entries the schema accepts come out.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from hypothesis import strategies as st

from openai_catalog.schema import ENTRY_TYPES

# Any character a YAML file may hold (no surrogates, no NUL-like controls of no use in an entry).
TEXT = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
ASCII = st.characters(codec="ascii", exclude_characters="\x00")


def _from_schema(node: dict[str, Any], defs: dict[str, Any]) -> st.SearchStrategy[Any]:
    if "$ref" in node:
        return _from_schema(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
    if "anyOf" in node:
        return st.one_of([_from_schema(option, defs) for option in node["anyOf"]])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if "const" in node:
        return st.just(node["const"])
    kind = node.get("type")
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        low = node.get(
            "minimum", (node["exclusiveMinimum"] + 1) if "exclusiveMinimum" in node else None
        )
        return st.integers(min_value=low, max_value=10**13)
    if kind == "number":
        return st.floats(
            min_value=node.get("minimum"), max_value=1e9, allow_nan=False, allow_infinity=False
        )
    if kind == "string":
        if "pattern" in node:
            strategy = st.from_regex(node["pattern"], fullmatch=True, alphabet=ASCII)
            if "maxLength" in node:
                strategy = strategy.filter(lambda s: len(s) <= node["maxLength"])
            return strategy
        return st.text(TEXT, min_size=node.get("minLength", 0), max_size=node.get("maxLength", 60))
    if kind == "array":
        return st.lists(
            _from_schema(node.get("items", {"type": "string"}), defs),
            min_size=node.get("minItems", 0),
            max_size=4,
        )
    if kind == "object" and "properties" not in node:  # a mapping such as `evidence`
        names = node.get("propertyNames", {}).get("enum")
        keys = (
            st.sampled_from(names) if names else st.from_regex(r"[a-z][a-z_]{0,15}", fullmatch=True)
        )
        return st.dictionaries(
            keys, _from_schema(node.get("additionalProperties", {}), defs), max_size=2
        )
    if kind == "object" or "properties" in node:
        required = set(node.get("required", ()))
        fields = {name: _from_schema(sub, defs) for name, sub in node["properties"].items()}
        return st.fixed_dictionaries(
            {k: v for k, v in fields.items() if k in required},
            optional={k: v for k, v in fields.items() if k not in required},
        )
    if isinstance(kind, list):  # e.g. a date: ["string", "integer"] with a pattern
        return st.one_of([_from_schema({**node, "type": t}, defs) for t in kind])
    return st.text(TEXT, max_size=40)


def _valid(kind: str, data: dict[str, Any]) -> bool:
    try:
        ENTRY_TYPES[kind].model_validate(data)
    except ValueError:
        return False
    return True


def _kind_strategy(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    schema = ENTRY_TYPES[kind].model_json_schema()
    return (
        _from_schema(schema, schema.get("$defs", {}))
        .map(lambda data: {**data, "kind": kind})
        .filter(lambda data: _valid(kind, data))
    )


_BY_KIND = {kind: _kind_strategy(kind) for kind in ENTRY_TYPES}


def entries(kinds: tuple[str, ...] = tuple(ENTRY_TYPES)) -> st.SearchStrategy[dict[str, Any]]:
    """Dictionaries that the schema accepts as entries of one of `kinds`."""
    return st.one_of([_BY_KIND[kind] for kind in kinds])


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


# PyYAML writes YAML 1.1, where `1e3` is text; the catalogue reads YAML 1.2, where it is a
# number. Teaching the dumper 1.2's numbers makes it quote such text, so the file holds the entry.
_NoAliases.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)


@st.composite
def entry_files(draw: st.DrawFn, data: dict[str, Any] | None = None, block: bool = False) -> str:
    """An entry written the way a person might: any key order, any YAML layout (`block`: keys
    one a line, as in every real entry file)."""
    if data is None:
        data = draw(entries())
    keys = draw(st.permutations(list(data)))
    styles = [False, None] if block else [False, True, None]
    text: str = yaml.dump(
        {k: data[k] for k in keys},
        Dumper=_NoAliases,
        sort_keys=False,
        default_flow_style=draw(st.sampled_from(styles)),
        indent=draw(st.integers(2, 4)),
        width=draw(st.integers(40, 200)),
        allow_unicode=draw(st.booleans()),
    )
    return text
