"""Exports: a selection of the catalogue rendered as a document, one module per format."""
