"""What a search means beyond its words: synonyms, kind words and the name a query may spell.

Applied by the index to a parsed query before it runs (the query language itself is unchanged):

* SYNONYMS: each group holds ways of writing one thing. A run of words in the query that spells a
  member (whole words, in order: `tts`, `speech to text`, `speech-to-text`) matches any member of
  its group, each multi-word member as a phrase, so `text to image` finds text-to-image models
  and not image-to-text ones.
* KIND_WORDS: a word naming a kind (`dataset`, `library`, `grant`...) favours entries of that kind.
  Next to other words it no longer has to appear in the entry (`code dataset` finds code
  datasets that never say "dataset"); alone, or among kind words only, it is still searched for.
  `benchmark` favours datasets but is always searched for: it says what kind of dataset.

* PLACES: a word naming a part of the world (`europe`, `african`, `asia`...) also finds the compute
  programmes whose `region` lies there, as `region:` would: a programme for Finland is a
  programme in Europe though its page never says so. Next to other words only, as kind words.

Keep the tables small and general: they hold how people write and where countries are, never a
particular entry.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from openai_catalog.query import Filter, Item, Query, Term

SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("llm", "llms", "large language model", "language model"),
    ("vlm", "vlms", "vision language model", "vision language"),
    ("asr", "stt", "speech to text", "speech recognition"),
    ("tts", "text to speech", "speech synthesis"),
    ("t2i", "txt2img", "text to image"),
    ("rag", "retrieval augmented generation"),
    ("moe", "mixture of experts"),
    ("sd", "stable diffusion"),
    ("ssm", "state space model"),
    ("rlhf", "reinforcement learning from human feedback"),
    ("ocr", "optical character recognition"),
    ("quantization", "quantisation", "quantize", "quantise"),
    ("fine tuning", "finetuning", "fine tune", "finetune"),
    ("vector database", "vector db", "vector store"),
)

# Groups whose long form names a family of entries rather than a subject: `sd` and
# `stable diffusion` are the names of Stable Diffusion releases, so entries named so still lead
# (an `llm` query names a subject, and LLM Foundry must not lead it).
NAMES: frozenset[str] = frozenset({"stable diffusion"})

# word -> (kind, whether it may be dropped from the match when other words remain)
KIND_WORDS: dict[str, tuple[str, bool]] = {
    **{w: ("dataset", True) for w in ("dataset", "datasets", "corpus", "corpora")},
    **{w: ("dataset", False) for w in ("benchmark", "benchmarks")},
    **{w: ("model", True) for w in ("model", "models", "checkpoint", "checkpoints")},
    **{
        w: ("tool", True)
        for w in (
            "tool",
            "tools",
            "library",
            "libraries",
            "toolkit",
            "toolkits",
            "framework",
            "frameworks",
            "package",
            "packages",
        )
    },
    **{
        w: ("compute", True)
        for w in (
            "grant",
            "grants",
            "programme",
            "programmes",
            "program",
            "programs",
            "credits",
            "supercomputer",
            "supercomputers",
        )
    },
    **{
        w: ("community", True)
        for w in (
            "community",
            "communities",
            "organisation",
            "organization",
            "org",
            "lab",
            "company",
        )
    },
}

_EUROPE = (
    "europe", "eu", "austria", "belgium", "bulgaria", "croatia", "cyprus", "czech republic",
    "czechia", "denmark", "estonia", "finland", "france", "germany", "greece", "hungary",
    "iceland", "ireland", "italy", "latvia", "lithuania", "luxembourg", "malta", "netherlands",
    "norway", "poland", "portugal", "romania", "slovakia", "slovenia", "spain", "sweden",
    "switzerland", "uk", "united kingdom", "ukraine", "serbia",
)  # fmt: skip
_AFRICA = (
    "africa", "algeria", "egypt", "ethiopia", "ghana", "kenya", "morocco", "nigeria", "rwanda",
    "senegal", "south africa", "tanzania", "tunisia", "uganda",
)  # fmt: skip
_ASIA = (
    "asia", "bangladesh", "china", "hong kong", "india", "indonesia", "japan", "korea",
    "south korea", "malaysia", "pakistan", "philippines", "singapore", "taiwan", "thailand",
    "vietnam", "israel", "saudi arabia", "qatar", "united arab emirates", "uae",
)  # fmt: skip
_NORTH_AMERICA = ("north america", "us", "usa", "united states", "canada", "mexico")
_SOUTH_AMERICA = (
    "south america", "latin america", "argentina", "brazil", "chile", "colombia", "peru",
    "uruguay",
)  # fmt: skip
_OCEANIA = ("oceania", "australia", "new zealand")

# word -> the `region` values (lower case) of the places it names
PLACES: dict[str, tuple[str, ...]] = {
    **{w: _EUROPE for w in ("europe", "european")},
    **{w: _AFRICA for w in ("africa", "african")},
    **{w: _ASIA for w in ("asia", "asian")},
    **{w: _NORTH_AMERICA + _SOUTH_AMERICA for w in ("america", "americas")},
    **{w: _SOUTH_AMERICA for w in ("latam",)},
    **{w: _OCEANIA for w in ("oceania",)},
}

_WORDS = re.compile(r"[^\W_]+", re.UNICODE)


def words(text: str) -> tuple[str, ...]:
    """Lowercase words without accents, as the index compares them."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return tuple(_WORDS.findall("".join(c for c in decomposed if not unicodedata.combining(c))))


_GROUPS: dict[tuple[str, ...], tuple[str, ...]] = {
    words(member): group for group in SYNONYMS for member in group
}
_LONGEST = max(len(key) for key in _GROUPS)


@dataclass
class Meaning:
    """A query as run: its clauses after expansion, and how to rank."""

    query: Query
    kinds: tuple[str, ...] = ()  # kinds the words asked for, ranked first among equals
    # kinds a kind word asked for next to other words (`instruction dataset`): ranked first
    # whatever the score, since the other words say what the entry is about and the kind word
    # what it is. `benchmark` is not among them: MTEB, a tool, is an embedding benchmark too.
    first: tuple[str, ...] = ()
    name: str = ""  # the positive words run together: an entry so named, aliased or id'd leads
    phrase: str = (
        ""  # the plain words in order, when two or more: entries that have them so rank higher
    )
    unranked: tuple[Term, ...] = ()  # kind words that only select: they say nothing of relevance


def _plain(clause: list[Item]) -> Term | None:
    """The clause's term when it is one plain searched word or hyphenated word, else None."""
    if len(clause) == 1 and isinstance(clause[0], Term):
        term = clause[0]
        if not (term.negated or term.phrase or term.prefix):
            return term
    return None


def interpret(query: Query) -> Meaning:
    clauses = [list(c) for c in query.clauses]
    plain = [_plain(c) for c in clauses]
    plain_words = [words(t.text) if t else () for t in plain]
    kinds: list[str] = []
    first: list[str] = []
    unranked: list[Term] = []
    # Kind words: favour the kind; drop the word from the match when other words carry it.
    kind_at: dict[int, str] = {}
    for i, ws in enumerate(plain_words):
        if len(ws) == 1 and ws[0] in KIND_WORDS:
            kind_at[i] = ws[0]
            kinds.append(KIND_WORDS[ws[0]][0])
    others = any(ws and i not in kind_at for i, ws in enumerate(plain_words)) or any(
        isinstance(item, Term) and not item.negated
        for i, c in enumerate(clauses)
        if plain[i] is None
        for item in c
    )
    # Synonyms: longest run of whole plain terms spelling a member, left to right.
    out: list[list[Item]] = []
    expanded = False
    named: list[str] = []  # long forms of NAMES groups the query spelled
    i = 0
    while i < len(clauses):
        matched = 0
        if plain[i] is not None:
            for j in range(min(len(clauses), i + _LONGEST), i, -1):
                if any(p is None for p in plain[i:j]):
                    continue
                run = tuple(w for ws in plain_words[i:j] for w in ws)
                if run in _GROUPS:
                    matched = j - i
                    break
        if matched:
            run = tuple(w for ws in plain_words[i : i + matched] for w in ws)
            typed = " ".join(t.text for t in plain[i : i + matched] if t)
            alternatives: list[Item] = [Term(typed, phrase=len(run) > 1)]
            alternatives += [Term(m, phrase=True) for m in _GROUPS[run] if words(m) != run]
            out.append(alternatives)
            names = [m for m in _GROUPS[run] if m in NAMES]
            if names:
                named.append("".join(words(names[0])))
            else:
                expanded = True
            i += matched
            continue
        ws, place = plain_words[i], plain[i]
        if len(ws) == 1 and ws[0] in PLACES and len(clauses) > 1 and place is not None:
            out.append([place, *(Filter("region", "=", r, raw=r) for r in PLACES[ws[0]])])
            i += 1
            continue
        if i in kind_at and others and KIND_WORDS[kind_at[i]][1]:
            term = plain[i]
            assert term is not None
            out.append([term, Filter("kind", "=", KIND_WORDS[kind_at[i]][0], raw=term.text)])
            unranked.append(term)
            first.append(KIND_WORDS[kind_at[i]][0])
        else:
            out.append(clauses[i])
        i += 1
    positive = [t for t in plain if t is not None]
    # A query that spells a synonym names a subject (llm), not an entry (LLM Foundry), unless the
    # synonym is a name (NAMES).
    name = (
        "".join(w for t in positive for w in words(t.text))
        if positive
        and not expanded
        and all(
            p is not None or all(isinstance(x, Filter) or x.negated for x in c)
            for p, c in zip(plain, clauses, strict=True)
        )
        else ""
    )
    if name and len(named) == 1 and len(out) == 1:
        name = named[0]  # `sd` alone names what `stable diffusion` names
    phrase = " ".join(w for t in positive for w in words(t.text))
    return Meaning(
        Query(out),
        tuple(dict.fromkeys(kinds)),
        tuple(dict.fromkeys(first)),
        name,
        phrase if len(phrase.split()) > 1 else "",
        tuple(unranked),
    )
