"""Our own words describe; they do not rank (CAT094).

Summaries and descriptions are written by the catalogue, so a claim of rank in them ("best",
"state of the art") reads as ours. A maker's claim may be reported as a quotation, with its page in
`sources`: text inside quotation marks is not checked.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from openai_catalog import rules
from openai_catalog.rules import Finding

if TYPE_CHECKING:
    from openai_catalog.registry import Record
    from openai_catalog.schema import AnyEntry

# Words and phrases that rank rather than describe. "best known for" is about renown, not rank.
_RANKING = re.compile(
    r"\b(?:"
    r"best(?![- ]known)(?:[- ]in[- ]class)?"
    r"|state[- ]of[- ]the[- ]art|sota"
    r"|world[- ]class|cutting[- ]edge|bleeding[- ]edge|groundbreaking|revolutionary"
    r"|(?:industry|market|field)[- ]leading|(?:the|a) leading"
    r"|unmatched|unparalleled|unrivall?ed|top[- ]performing|most (?:powerful|capable|advanced)"
    r")\b",
    re.IGNORECASE,
)
# Quoted spans: straight or curly double quotes, and curly single quotes.
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’")

CHECKED_FIELDS = ("summary", "description")


def ranking_words(text: str) -> list[str]:
    """The ranking words of `text` outside quotation marks, in order."""
    bare = _QUOTED.sub(lambda m: " " * len(m.group()), text)
    return [m.group() for m in _RANKING.finditer(bare)]


def wording_findings(record: Record, entry: AnyEntry) -> list[Finding]:
    """CAT094 for each checked field of `entry` that ranks in our own words."""
    out: list[Finding] = []
    for field in CHECKED_FIELDS:
        text = getattr(entry, field, None)
        if not isinstance(text, str):
            continue
        found = ranking_words(text)
        if found:
            words = ", ".join(dict.fromkeys(f"{w.lower()!r}" for w in found))
            out.append(
                rules.RankingWords.at(
                    record.display,
                    *record.position(field),
                    f"`{field}` ranks rather than describes: {words}",
                    "state the fact instead (a size, a date, a score with its benchmark), or "
                    "quote the maker's claim in quotation marks with its page in `sources`",
                )
            )
    return out
