"""The site's JSON API (`api/v1/`) and the JSON Schema it is published with.

An API entry is the curated entry as written (`fields`, which the catalogue's own entry schema
describes, evidence included) plus what the catalogue derives: the licence resolved with its
category and commercial use, the openness grade with its components, the relations in both
directions, and the Hub and GitHub figures with the date they were fetched.
"""

from __future__ import annotations

from typing import Any

from openai_catalog.site.model import Item, Site

VERSION = 1
SCHEMA_ID = "https://github.com/openai-catalog/openai-catalog/site/api/v1/schema.json"


def entry(item: Item) -> dict[str, Any]:
    r = item.record
    return {
        "id": r.id,
        "kind": r.kind,
        "name": r.name,
        "summary": r.summary,
        "page": f"entries/{r.id}.html",
        "badge": f"badges/{r.id}.svg",
        "fields": item.data,
        "license": item.terms.as_dict() if item.terms else None,
        "openness": item.grade.as_dict() if item.grade else None,
        "relations": {
            "outgoing": [{"relation": rel, "id": other} for rel, other in item.outgoing],
            "incoming": [{"relation": rel, "id": other} for rel, other in item.incoming],
        },
        "figures": r.enrichment,
    }


def entries(site: Site) -> dict[str, Any]:
    return {
        "version": VERSION,
        "count": len(site.items),
        "entries": [entry(item) for item in site.items.values()],
    }


def licenses(site: Site) -> dict[str, Any]:
    return {
        "version": VERSION,
        "licenses": [lic.as_dict() for lic in site.licenses.licenses.values()],
    }


def schema(site: Site) -> dict[str, Any]:
    """One schema for the three kinds of file: `entries.json` at the top, `#/$defs/entry` for
    `entries/<id>.json`, `#/$defs/licenses` for `licenses.json`."""
    from openai_catalog.licenses import ATTRIBUTES, CATEGORIES, DATA_ATTRIBUTES
    from openai_catalog.openness import GRADES
    from openai_catalog.schema import json_schema

    curated = json_schema(sorted(site.licenses.licenses))
    curated.pop("$schema", None)
    nullable_bool = {"type": ["boolean", "null"]}
    licence = {
        "type": "object",
        "required": ["id", "name", "category", *ATTRIBUTES],
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "spdx": {"type": ["string", "null"]},
            "url": {"type": ["string", "null"]},
            "category": {"enum": list(CATEGORIES)},
            "note": {"type": "string"},
            **{a: nullable_bool for a in (*ATTRIBUTES, *DATA_ATTRIBUTES)},
        },
        "additionalProperties": False,
    }
    edge = {
        "type": "object",
        "required": ["relation", "id"],
        "additionalProperties": False,
        "properties": {"relation": {"type": "string"}, "id": {"type": "string"}},
    }
    figures = {
        "type": "object",
        "required": ["fetched_at"],
        "properties": {"fetched_at": {"type": ["string", "null"]}},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "openai-catalog API v1: entries.json",
        "type": "object",
        "required": ["version", "count", "entries"],
        "additionalProperties": False,
        "properties": {
            "version": {"const": VERSION},
            "count": {"type": "integer", "minimum": 0},
            "entries": {"type": "array", "items": {"$ref": "#/$defs/entry"}},
        },
        "$defs": {
            "curated": curated,
            "license": licence,
            "licenses": {
                "type": "object",
                "required": ["version", "licenses"],
                "additionalProperties": False,
                "properties": {
                    "version": {"const": VERSION},
                    "licenses": {"type": "array", "items": {"$ref": "#/$defs/license"}},
                },
            },
            "entry": {
                "type": "object",
                "required": [
                    "id",
                    "kind",
                    "name",
                    "summary",
                    "page",
                    "badge",
                    "fields",
                    "license",
                    "openness",
                    "relations",
                    "figures",
                ],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string"},
                    "kind": {"type": "string"},
                    "name": {"type": "string"},
                    "summary": {"type": "string"},
                    "page": {"type": "string"},
                    "badge": {"type": "string"},
                    "fields": {"$ref": "#/$defs/curated"},
                    "license": {
                        "oneOf": [
                            {"type": "null"},
                            {
                                "type": "object",
                                "required": ["expression", "category", "commercial", "licenses"],
                                "properties": {
                                    "expression": {"type": "string"},
                                    "category": {"enum": list(CATEGORIES)},
                                    "commercial": nullable_bool,
                                    "licenses": {
                                        "type": "array",
                                        "items": {"$ref": "#/$defs/license"},
                                    },
                                },
                            },
                        ]
                    },
                    "openness": {
                        "oneOf": [
                            {"type": "null"},
                            {
                                "type": "object",
                                "required": [
                                    "grade",
                                    "summary",
                                    "ladder",
                                    "components",
                                    "next_grade",
                                    "next_grade_needs",
                                ],
                                "properties": {
                                    "grade": {"enum": [*GRADES, "closed"]},
                                    "components": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["name", "value", "ok", "evidence"],
                                        },
                                    },
                                    "next_grade": {"type": ["string", "null"]},
                                    "next_grade_needs": {
                                        "type": "array",
                                        "items": {"type": "string"},
                                    },
                                },
                            },
                        ]
                    },
                    "relations": {
                        "type": "object",
                        "required": ["outgoing", "incoming"],
                        "properties": {
                            "outgoing": {"type": "array", "items": edge},
                            "incoming": {"type": "array", "items": edge},
                        },
                    },
                    "figures": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {"hub": figures, "github": figures},
                    },
                },
            },
        },
    }
