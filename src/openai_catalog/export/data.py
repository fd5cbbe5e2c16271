"""Data formats: JSON, JSONL, CSV and YAML, for exports and for every command that prints data.

CSV cells that a spreadsheet would run as a formula (a leading =, +, -, @, tab or carriage
return) are neutralised here, once, for `list --format csv` and `export csv` alike. A spreadsheet
set to a locale that splits on `;` reads each `;`-separated piece of a line as a cell of its own,
so every such piece is neutralised too, and cells holding a `;` are quoted. Control characters
and bidirectional overrides are dropped from every format (see _util.scrub).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from openai_catalog._util import scrub

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PIECE_FORMULA = re.compile(r"(;[ ]*)(?=[=+\-@\t\r])")  # a formula after a `;`, spaces allowed
_CSV_QUOTE = re.compile(r'[,;"\n\r]|^\s|\s$')


def dump_json(data: Any) -> str:
    return json.dumps(scrub(data), indent=2, ensure_ascii=False) + "\n"


def dump_jsonl(rows: Iterable[dict[str, Any]]) -> str:
    return "".join(
        json.dumps(scrub(row), ensure_ascii=False, sort_keys=False) + "\n" for row in rows
    )


def dump_yaml(data: Any) -> str:
    import yaml

    return yaml.safe_dump(scrub(data), sort_keys=False, allow_unicode=True, width=100)


def cell(value: Any) -> str:
    """One CSV cell: lists joined with '; ', mappings as 'key: value', formulas made text."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(cell(v) for v in value)
    elif isinstance(value, dict):
        value = "; ".join(f"{k}: {cell(v)}" for k, v in value.items())
    text = scrub(str(value))
    if text.lstrip(" ").startswith(FORMULA_START):
        # A spreadsheet would run this as a formula; a quote before it makes it text.
        stripped = text.lstrip(" ")
        text = text[: len(text) - len(stripped)] + "'" + stripped
    return _PIECE_FORMULA.sub(r"\1'", text)


def _csv_field(text: str) -> str:
    """A field quoted as RFC 4180 says, and also when it holds a `;` (see the module's docstring)."""
    return '"' + text.replace('"', '""') + '"' if _CSV_QUOTE.search(text) else text


def dump_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    lines = [",".join(_csv_field(scrub(c)) for c in columns)]
    lines.extend(",".join(_csv_field(cell(row.get(c))) for c in columns) for row in rows)
    return "\n".join(lines) + "\n"


# --- exports ------------------------------------------------------------------------------------

SCHEMA_VERSION = 1
CSV_COLUMNS = (
    "id",
    "name",
    "kind",
    "summary",
    "by",
    "released",
    "license",
    "license_category",
    "code_license",
    "data_license",
    "openness",
    "status",
    "link",
    "url",
    "hub",
    "github",
    "paper",
    "tags",
    "modalities",
    "aliases",
    "parameters",
    "variants",
    "downloads",
    "likes",
    "stars",
    "last_activity",
    "hub_fetched_at",
    "github_fetched_at",
)


def entry_object(record: Any) -> dict[str, Any]:
    """One exported entry: every curated field (evidence and a model's code and data licences
    included), then what the catalogue derives and fetches."""
    components = {
        f"{name}_category": category for name, category in record.component_categories.items()
    }
    return {
        **record.data,
        "license_category": record.license_category,
        **components,
        "openness": record.openness,
        "link": record.link,
        "enrichment": record.enrichment,
    }


def document(records: Sequence[Any], query: str) -> dict[str, Any]:
    """The JSON and YAML export: a versioned envelope around the entries."""
    return {
        "schema_version": SCHEMA_VERSION,
        "query": query,
        "count": len(records),
        "entries": [entry_object(r) for r in records],
    }


def to_json(records: Sequence[Any], query: str) -> str:
    return dump_json(document(records, query))


def to_yaml(records: Sequence[Any], query: str) -> str:
    return dump_yaml(document(records, query))


def to_jsonl(records: Sequence[Any]) -> str:
    return dump_jsonl(entry_object(r) for r in records)


def to_csv(records: Sequence[Any], columns: Sequence[str] = CSV_COLUMNS) -> str:
    """Flat columns (lists joined with '; '), formulas neutralised."""
    return dump_csv([{c: r.value(c) for c in columns} for r in records], columns)
