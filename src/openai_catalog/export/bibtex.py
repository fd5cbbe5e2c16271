"""BibTeX for the entries that have a paper.

Each `@misc` cites the artifact as the catalogue knows it: its name, its makers (the communities
of `by`, as institutional authors), its release year and its page; and it points at the paper by
arXiv id (`eprint`, `archiveprefix`) or DOI. The catalogue does not hold papers' own titles and
authors, so none are invented: a reference manager can complete them from the id.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from openai_catalog.export.records import Record, quote_url

_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "~": r"\textasciitilde{}",
    "_": r"\_",
    "^": r"\textasciicircum{}",
}
_LATEX_RE = re.compile(r"[\\{}#$%&~_^]")
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ARXIV_NEW = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}(v\d+)?$")


def latex(value: object) -> str:
    """Text for a BibTeX field: one line, braces balanced, TeX's special characters escaped."""
    flat = _SPACE.sub(" ", _CONTROL.sub(" ", str(value))).strip()
    return _LATEX_RE.sub(lambda m: _LATEX[m.group()], flat)


def _verbatim(value: str) -> str:
    """A URL, DOI or eprint id: read verbatim by biblatex, so percent-encoded, not escaped."""
    return quote_url(value)


def _year(record: Record, paper: str) -> str | None:
    if record.year:
        return record.year
    match = _ARXIV_NEW.match(paper)
    return f"20{match.group(1)}" if match else None


def entry(record: Record) -> str | None:
    """The `@misc` of one record, or None when it has no paper."""
    paper = record.data.get("paper")
    if not paper:
        return None
    fields: list[tuple[str, str]] = [("title", "{" + latex(record.name) + "}")]
    if record.by_names:
        fields.append(("author", " and ".join("{" + latex(n) + "}" for n in record.by_names)))
    year = _year(record, paper)
    if year:
        fields.append(("year", year))
    if paper.startswith("10."):
        fields.append(("doi", _verbatim(paper)))
    else:
        fields += [("eprint", _verbatim(paper)), ("archiveprefix", "arXiv")]
    if record.link:
        fields.append(("url", _verbatim(record.link)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{record.id},\n{body}\n}}\n"


def render(records: Sequence[Record]) -> str:
    entries = [e for e in (entry(r) for r in records) if e]
    return "\n".join(entries)
