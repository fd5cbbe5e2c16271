"""Enrichment: live figures from the Hugging Face Hub and GitHub, kept apart from the curated YAML.

snapshot.py reads and writes catalog/enrichment.json (json only, cheap to import); policy.py holds
what both services share (timeouts, retries, rate limits, redaction); hub.py and github.py talk to
one service each and import their client only when a run needs it; run.py plans and runs a refresh;
links.py checks that the catalogue's URLs still answer (`catalog validate --online`).
"""
