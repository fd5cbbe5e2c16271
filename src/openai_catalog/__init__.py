"""openai-catalog: a hand-curated, validated catalogue of open AI.

The core (schema, registry, validate, licenses) is importable as a library; it never prints or exits.
"""

__version__ = "0.1.0"
