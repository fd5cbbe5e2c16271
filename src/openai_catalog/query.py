"""The query language of search, list and export: parsed once, here, into a small tree.

    words  "a phrase"  prefix*  -excluded  this OR that  field:value  field:>=value

Fields: kind, license (the weights' licence for a model: an id, a category such as `permissive`, or
`commercial`), code_license (a model's code licence: an id or a category), by, tag, modality,
status, released (or year), params, downloads, likes, stars, openness (a grade, `open`, or a
comparison such as `openness:>=open-model`), weights, access, id, hub (a Hugging Face repo id: the
entry's own or one of its variants', case aside).
Terms next to each other must all hold; OR joins the terms on either side of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from openai_catalog._util import MAX_COUNT, did_you_mean
from openai_catalog.errors import UsageError
from openai_catalog.kinds import KINDS

Op = Literal["=", ">", ">=", "<", "<="]
_FLAT = {c: " " for c in [*range(0x20), *range(0x7F, 0xA0)]}

# Field name -> (canonical field, value type). Aliases let people type what they think.
FIELDS: dict[str, tuple[str, str]] = {
    "kind": ("kind", "choice"),
    "license": ("license", "text"),
    "licence": ("license", "text"),
    "code_license": ("code_license", "text"),
    "code_licence": ("code_license", "text"),
    "by": ("by", "text"),
    "org": ("by", "text"),
    "tag": ("tag", "text"),
    "modality": ("modality", "text"),
    "status": ("status", "choice"),
    "released": ("released", "date"),
    "year": ("released", "date"),
    "params": ("params", "count"),
    "parameters": ("params", "count"),
    "downloads": ("downloads", "count"),
    "likes": ("likes", "count"),
    "stars": ("stars", "count"),
    "openness": ("openness", "grade"),
    "weights": ("weights", "choice"),
    "access": ("access", "choice"),
    "id": ("id", "text"),
    "hub": ("hub", "text"),
    "region": ("region", "text"),
}
CHOICES: dict[str, tuple[str, ...]] = {
    "kind": KINDS,
    "status": ("active", "deprecated", "withdrawn", "superseded"),
    "weights": ("open", "gated", "closed"),
    "access": ("open", "gated", "on-request", "closed"),
}
_COUNT = re.compile(r"^(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*([kKmMbBgGtT]?)$")
_SUFFIX = {"": 1, "k": 10**3, "m": 10**6, "b": 10**9, "g": 10**9, "t": 10**12}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_WORD_CHARS = re.compile(r"\w", re.UNICODE)
# What a person (or a script) may ask for at once. Longer queries are refused before any work.
MAX_QUERY_CHARS = 4096
MAX_QUERY_WORDS = 256
_SHOWN = 60  # characters of the query shown on each side of the caret


class QueryError(UsageError):
    """A query that cannot be parsed; the message shows where."""

    def __init__(self, query: str, pos: int, message: str, hint: str | None = None) -> None:
        start = max(0, pos - _SHOWN)
        shown = query[start : pos + _SHOWN].translate(_FLAT)  # one line, so the caret lines up
        lead = "..." if start else ""
        pointer = (
            f"\n  {lead}{shown}{'...' if pos + _SHOWN < len(query) else ''}"
            f"\n  {' ' * (len(lead) + pos - start)}^"
        )
        super().__init__(f"bad query: {message}{pointer}", hint)
        self.query = query
        self.pos = pos


@dataclass(frozen=True)
class Term:
    """Free text: a word, a "phrase" or a prefix*."""

    text: str
    phrase: bool = False
    prefix: bool = False
    negated: bool = False


@dataclass(frozen=True)
class Filter:
    """A field compared with a value; `value` is already normalised for its type."""

    field: str
    op: Op
    value: str | int
    negated: bool = False
    raw: str = ""


Item = Term | Filter


@dataclass
class Query:
    """All clauses must hold; a clause holds when any of its items holds."""

    clauses: list[list[Item]] = field(default_factory=list)

    @property
    def terms(self) -> list[Term]:
        return [i for clause in self.clauses for i in clause if isinstance(i, Term)]

    @property
    def positive_terms(self) -> list[Term]:
        return [t for t in self.terms if not t.negated]

    def __bool__(self) -> bool:
        return bool(self.clauses)


def _tokens(text: str) -> list[tuple[int, str]]:
    """Split on white space, keeping quoted stretches (and field:"quoted values") whole."""
    out: list[tuple[int, str]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        while i < n and not text[i].isspace():
            if text[i] == '"':
                end = text.find('"', i + 1)
                if end < 0:
                    raise QueryError(text, i, "this quote is never closed", 'close it with "')
                i = end + 1
            else:
                i += 1
        out.append((start, text[start:i]))
    return out


def parse_count(raw: str) -> int | None:
    match = _COUNT.match(raw.replace(",", "").replace("_", ""))
    if not match:
        return None
    value = float(match.group(1)) * _SUFFIX[match.group(2).lower()]
    return int(value) if value.is_integer() else None


def _filter(query: str, pos: int, name: str, rest: str, negated: bool) -> Filter:
    canonical, kind = FIELDS[name.lower()]
    op: Op = "="
    typed = ""
    for candidate in (">=", "<=", ">", "<", "="):
        if rest.startswith(candidate):
            op, typed = candidate, candidate
            rest = rest[len(candidate) :]
            break
    value_pos = pos + len(name) + 1 + len(typed)
    if rest.startswith('"') and rest.endswith('"') and len(rest) >= 2:
        rest = rest[1:-1]
    rest = rest.strip()
    if not rest:
        raise QueryError(
            query, value_pos, f"{name}: needs a value", f"for example {name}:{_example(canonical)}"
        )
    if kind in ("choice", "text") and op != "=":
        raise QueryError(
            query, pos + len(name) + 1, f"{name} takes no comparison", f"write {name}:{rest}"
        )
    if kind == "choice":
        value = rest.lower()
        if value not in CHOICES[canonical]:
            raise QueryError(
                query,
                value_pos,
                f"{name}: {rest!r} is not one of {', '.join(CHOICES[canonical])}",
                did_you_mean(value, CHOICES[canonical]),
            )
        return Filter(canonical, op, value, negated, rest)
    if kind == "count":
        count = parse_count(rest)
        if count is None:
            raise QueryError(
                query,
                value_pos,
                f"{name}: {rest!r} is not a number",
                f"for example {name}:>={_example(canonical)}",
            )
        if count > MAX_COUNT:
            raise QueryError(
                query, value_pos, f"{name}: {rest!r} is out of range", "counts go up to 1e18"
            )
        return Filter(canonical, op, count, negated, rest)
    if kind == "grade":
        from openai_catalog.openness import GRADES  # only when asked: a plain search never needs it

        value = rest.lower()
        if value not in (*GRADES, "open"):
            raise QueryError(
                query,
                value_pos,
                f"{name}: {rest!r} is not an openness grade",
                did_you_mean(value, (*GRADES, "open")) or f"grades: {', '.join(GRADES)}, or open",
            )
        if value == "open" and op != "=":
            raise QueryError(
                query,
                pos + len(name) + 1,
                f"{name}:open takes no comparison",
                f"compare with a grade, e.g. {name}:>=open-model",
            )
        return Filter(canonical, op, value, negated, rest)
    if kind == "date":
        if not _DATE.match(rest):
            raise QueryError(
                query,
                value_pos,
                f"{name}: {rest!r} is not a date",
                "write YYYY, YYYY-MM or YYYY-MM-DD, e.g. released:>=2022",
            )
        if not _real_date(rest):
            raise QueryError(
                query,
                value_pos,
                f"{name}: {rest!r} is not a real date",
                "check the year (0001 to 9999), the month and the day",
            )
        return Filter(canonical, op, rest, negated, rest)
    return Filter(canonical, op, rest, negated, rest)


def _real_date(text: str) -> bool:
    import datetime as dt

    parts = [int(p) for p in text.split("-")]
    try:
        dt.date(*(parts + [1, 1])[:3])
    except ValueError:
        return False
    return True


def _example(field_name: str) -> str:
    return {
        "params": "7B",
        "downloads": "10000",
        "likes": "100",
        "stars": "1000",
        "released": "2022",
        "license": "permissive",
        "code_license": "MIT",
        "by": "eleutherai",
        "tag": "code",
        "modality": "image",
        "openness": "open",
        "id": "gpt-j-6b",
    }.get(field_name, "...")


def parse(text: str) -> Query:
    """Parse a query; raises QueryError (exit 2) pointing at the problem."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            text,
            MAX_QUERY_CHARS,
            f"the query is longer than {MAX_QUERY_CHARS} characters",
            "ask for less at once, or narrow it with filters such as kind:model",
        )
    query = Query()
    pending_or = False
    tokens = _tokens(text)
    if len(tokens) > MAX_QUERY_WORDS:
        raise QueryError(
            text,
            tokens[MAX_QUERY_WORDS][0],
            f"the query has more than {MAX_QUERY_WORDS} words",
            "ask for less at once, or narrow it with filters such as kind:model",
        )
    for pos, token in tokens:
        if token == "OR":
            if not query.clauses or pending_or:
                raise QueryError(text, pos, "OR needs a term on each side", "write: a OR b")
            pending_or = True
            continue
        item = _item(text, pos, token)
        if item is None:
            continue
        if pending_or:
            query.clauses[-1].append(item)
            pending_or = False
        else:
            query.clauses.append([item])
    if pending_or:
        raise QueryError(text, len(text), "OR needs a term after it", "write: a OR b")
    return query


def _item(text: str, pos: int, token: str) -> Item | None:
    negated = False
    start = pos
    if token.startswith("-") and len(token) > 1:
        negated, token, pos = True, token[1:], pos + 1
    if token.startswith('"'):
        inner = token[1:-1] if token.endswith('"') and len(token) > 1 else token[1:]
        if not _WORD_CHARS.search(inner):
            if inner.strip():
                return None
            raise QueryError(text, pos, "an empty phrase", "put words between the quotes")
        return Term(inner.strip(), phrase=True, negated=negated)
    name, colon, rest = token.partition(":")
    if colon and re.fullmatch(r"[A-Za-z_]+", name):
        if name.lower() not in FIELDS:
            raise QueryError(
                text,
                pos,
                f"unknown field {name!r}",
                did_you_mean(name.lower(), FIELDS)
                or f"fields: {', '.join(sorted(set(f for f, _ in FIELDS.values())))}",
            )
        return _filter(text, pos, name, rest, negated)
    prefix = token.endswith("*")
    word = token.rstrip("*")
    if not _WORD_CHARS.search(word):
        if negated and not word:
            raise QueryError(text, start, "a lone '-'", "write -word to exclude a word")
        return None  # punctuation alone carries nothing to search for
    return Term(word, prefix=prefix, negated=negated)
