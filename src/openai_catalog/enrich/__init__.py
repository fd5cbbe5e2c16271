"""Enrichment: live figures from the Hugging Face Hub and GitHub, kept apart from the curated YAML.

snapshot.py reads and writes catalog/enrichment.json (json only, cheap to import).
"""
