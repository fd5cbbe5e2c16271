"""`catalog schema`."""

from __future__ import annotations


def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of an entry file, as editors use it.

    The licence ids of the catalogue's licence table are offered for completion.

    Example: catalog schema > catalog/schema.json
    """
    from openai_catalog.cli import _context, _output
    from openai_catalog.errors import CatalogError
    from openai_catalog.registry import load_licenses
    from openai_catalog.schema import json_schema_text

    try:
        names: list[str] | None = load_licenses(_context.root(), strict=True)[0].names()
    except (CatalogError, OSError) as exc:  # the schema stands without the completion list
        _output.warn(f"licence ids are not offered for completion: {getattr(exc, 'message', exc)}")
        names = None
    _output.write(json_schema_text(names))
