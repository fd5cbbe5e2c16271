"""Licence categories, from freest to most restrictive: a search filter needs only these names,
not the licence machinery of licenses.py (which re-exports them)."""

CATEGORIES = (
    "permissive",
    "copyleft",
    "open-rail",
    "community",
    "non-commercial",
    "proprietary",
    "unknown",
)
