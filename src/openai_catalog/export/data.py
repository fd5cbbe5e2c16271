"""Data formats: JSON, JSONL, CSV and YAML, for exports and for every command that prints data.

CSV cells that a spreadsheet would run as a formula (a leading =, +, -, @, tab or carriage
return) are neutralised here, once, for `list --format csv` and `export csv` alike.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def dump_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def dump_jsonl(rows: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n" for row in rows)


def dump_yaml(data: Any) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def cell(value: Any) -> str:
    """One CSV cell: lists joined with '; ', mappings as 'key: value', formulas made text."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(cell(v) for v in value)
    elif isinstance(value, dict):
        value = "; ".join(f"{k}: {cell(v)}" for k, v in value.items())
    text = str(value)
    if text.startswith(FORMULA_START):
        # A spreadsheet would run this as a formula; a leading quote makes it text.
        text = "'" + text
    return text


def dump_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(c)) for c in columns])
    return buffer.getvalue()


# --- exports ------------------------------------------------------------------------------------

SCHEMA_VERSION = 1
CSV_COLUMNS = ("id", "name", "kind", "summary", "by", "released", "license", "license_category",
               "code_license", "data_license", "openness", "status", "link", "url", "hub", "github", "paper", "tags", "modalities",
               "aliases", "parameters", "downloads", "likes", "stars", "last_activity",
               "hub_fetched_at", "github_fetched_at")


def entry_object(record: Any) -> dict[str, Any]:
    """One exported entry: every curated field (evidence and a model's code and data licences
    included), then what the catalogue derives and fetches."""
    components = {f"{name}_category": category for name, category in record.component_categories.items()}
    return {**record.data, "license_category": record.license_category, **components,
            "openness": record.openness, "link": record.link, "enrichment": record.enrichment}


def document(records: Sequence[Any], query: str) -> dict[str, Any]:
    """The JSON and YAML export: a versioned envelope around the entries."""
    return {"schema_version": SCHEMA_VERSION, "query": query, "count": len(records),
            "entries": [entry_object(r) for r in records]}


def to_json(records: Sequence[Any], query: str) -> str:
    return dump_json(document(records, query))


def to_yaml(records: Sequence[Any], query: str) -> str:
    return dump_yaml(document(records, query))


def to_jsonl(records: Sequence[Any]) -> str:
    return dump_jsonl(entry_object(r) for r in records)


def to_csv(records: Sequence[Any], columns: Sequence[str] = CSV_COLUMNS) -> str:
    """Flat columns (lists joined with '; '), formulas neutralised."""
    return dump_csv([{c: r.value(c) for c in columns} for r in records], columns)
