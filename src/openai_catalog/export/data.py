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
