"""The checks that need the whole catalogue, in one place: the rules of each entry against the
others (catalog.py), drift against the enrichment snapshot (drift.py) and, online, whether the
addresses still answer (links.py). `validate_catalog` runs them all; the schema's own check runs
when an entry is loaded (schema.check_schema)."""

from openai_catalog.checks.catalog import validate_catalog

__all__ = ["validate_catalog"]
