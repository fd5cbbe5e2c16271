"""`catalog schema`."""

from __future__ import annotations


def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of an entry file, as editors use it.

    Example: catalog schema > catalog/schema.json
    """
    from openai_catalog.cli import _output
    from openai_catalog.schema import json_schema_text

    _output.write(json_schema_text())
