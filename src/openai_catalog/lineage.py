"""Licence lineage: what an entry was built from and what was built from it, and whether its
licence keeps the terms its bases pass on.

Two edges carry licence terms. `based_on` does always: a fine-tune, a distillation or a derived
dataset is made from its base, so the base's licence governs what the derivative may be published
under. `trained_on` does only when the data's licence says so: the licence table marks such
licences with `binds_trained_models: true` (non-commercial Creative Commons terms restrict every
use of the data, training a commercial model included), while share-alike data licences whose own
text frees what is computed from the data (ODbL's produced works, CDLA's results) say `false`, and
a licence the table says nothing about (`null`) is not checked.

A derivative breaks a base's terms when its licence, read through the licence table, is freer on a
point the base binds: it allows commercial use where the base's licence forbids it
(`commercial: false`), lacks share-alike where the base asks for it (`share_alike: true`), drops
the use restrictions the base passes on (`use_restrictions: true`), or falls in a freer category
than a base under custom, non-commercial or proprietary terms. The first of these that applies is
the clause that decides, and the finding names it with the chain of entries from the derivative to
the base.

The walk goes up `based_on` edges through bases whose licence says nothing (none, unknown, or not
in the table) to the first base whose licence decides. It stops at a base the derivative's maker
also made (a licensor may relicense its own work: DeepSeek-R1 under MIT on DeepSeek-V3), at a
missing entry (CAT030 reports it) and at an entry already on the path, so a cycle ends the walk.
Only the nearest deciding base is compared: if that base itself broke its own base's terms, the
finding is on the base, where the fix belongs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from openai_catalog._categories import CATEGORIES
from openai_catalog.licenses import LicenseError, Resolved

if TYPE_CHECKING:
    from openai_catalog.licenses import LicenseTable
    from openai_catalog.registry import Catalog, Record
    from openai_catalog.rules import Finding

# Relations that carry licence terms, from the derivative up to what it was made from.
UPWARD = ("based_on", "trained_on")
# Categories whose terms follow a derivative whatever its own licence says.
_BINDING_CATEGORIES = frozenset({"community", "non-commercial", "proprietary"})


class Graph(Protocol):
    """What lineage needs of a catalogue: registry.Catalog, or view.IndexedCatalog."""

    licenses: LicenseTable

    def get(self, entry_id: str) -> Any: ...

    def incoming(self, entry_id: str) -> list[tuple[str, str]]: ...


# --- the tree of `catalog lineage` ------------------------------------------------------------


@dataclass
class Node:
    """One entry in the tree, or an id no entry has (`missing`)."""

    id: str
    relation: str | None  # how it hangs from its parent: based_on, trained_on (up) or the same down
    name: str = ""
    kind: str | None = None
    license: str | None = None
    category: str | None = None  # None when the entry has no licence field (communities, compute)
    grade: str | None = None
    missing: bool = False
    cycle: bool = False  # already on the path from the root: not expanded again
    repeat: bool = False  # already shown elsewhere in the tree: not expanded again
    children: list[Node] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "relation": self.relation}
        if self.missing:
            data["missing"] = True
            return data
        data.update(
            name=self.name,
            kind=self.kind,
            license=self.license,
            category=self.category,
            openness=self.grade,
        )
        if self.cycle:
            data["cycle"] = True
        if self.repeat:
            data["repeat"] = True
        data["children"] = [c.as_dict() for c in self.children]
        return data

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Lineage:
    """An entry with the tree above it (bases, their bases, training data) and below it
    (derivatives: entries based on or trained on it)."""

    root: Node
    up: list[Node]
    down: list[Node]

    def as_dict(self) -> dict[str, Any]:
        root = self.root.as_dict()
        del root["children"], root["relation"]
        return {
            "entry": root,
            "up": [n.as_dict() for n in self.up],
            "down": [n.as_dict() for n in self.down],
        }


def lineage(graph: Graph, entry_id: str) -> Lineage:
    """The lineage tree of one entry (which must exist: use graph.require first)."""
    root = _node(graph, entry_id, None)
    up_seen: set[str] = {entry_id}
    down_seen: set[str] = {entry_id}
    up = _expand(graph, entry_id, _bases, (entry_id,), up_seen)
    down = _expand(graph, entry_id, _derivatives, (entry_id,), down_seen)
    return Lineage(root, up, down)


def _bases(graph: Graph, entry_id: str) -> list[tuple[str, str]]:
    entry = graph.get(entry_id)
    if entry is None:
        return []
    return [
        (relation, target) for relation in UPWARD for target in getattr(entry.relations, relation)
    ]


def _derivatives(graph: Graph, entry_id: str) -> list[tuple[str, str]]:
    return sorted(
        (relation, source) for relation, source in graph.incoming(entry_id) if relation in UPWARD
    )


def _expand(
    graph: Graph, entry_id: str, step: Any, path: tuple[str, ...], seen: set[str]
) -> list[Node]:
    nodes = []
    for relation, other in step(graph, entry_id):
        node = _node(graph, other, relation)
        if node.missing:
            pass
        elif other in path:
            node.cycle = True
        elif other in seen:
            node.repeat = True
        else:
            seen.add(other)
            node.children = _expand(graph, other, step, (*path, other), seen)
        nodes.append(node)
    return nodes


def _node(graph: Graph, entry_id: str, relation: str | None) -> Node:
    entry = graph.get(entry_id)
    if entry is None:
        return Node(entry_id, relation, missing=True)
    license = getattr(entry, "license", None)
    grade = None
    if entry.kind in ("model", "dataset"):
        from openai_catalog.openness import grade as grade_of

        grade = grade_of(entry, graph).grade
    return Node(
        entry_id,
        relation,
        entry.name,
        entry.kind,
        license,
        graph.licenses.category_of(license),
        grade,
    )


# --- the rule (CAT100) ------------------------------------------------------------------------


@dataclass(frozen=True)
class Breach:
    """A derivative whose licence is freer than a base allows, on one clause of the table."""

    chain: tuple[tuple[str, str, str | None], ...]  # (id, relation to the previous, licence)
    clause: str  # e.g. "LLaMA-Research: commercial: false"
    problem: str


def _breach(licenses: LicenseTable, derived: Resolved, base: Resolved) -> tuple[str, str] | None:
    """The clause of the base's licence that the derivative's licence breaks, with the problem."""

    def deciding(attribute: str, value: object) -> str:
        owner = next(
            (lic.id for lic in base.licenses if getattr(lic, attribute) == value), base.text
        )
        return f"{owner}: {attribute}: {str(value).lower()}"

    if base.commercial is False and derived.commercial is True:
        return (
            deciding("commercial", False),
            "forbids commercial use, but the derivative's licence allows it",
        )
    if (
        licenses.requires(base.text, "share_alike")
        and licenses.requires(derived.text, "share_alike") is False
    ):
        return (
            deciding("share_alike", True),
            "asks derivatives to share alike, but the derivative's licence does not",
        )
    if (
        licenses.requires(base.text, "use_restrictions")
        and licenses.requires(derived.text, "use_restrictions") is False
    ):
        return (
            deciding("use_restrictions", True),
            "passes its use restrictions on to derivatives, but the derivative's licence drops them",
        )
    if (
        base.category in _BINDING_CATEGORIES
        and derived.category != "unknown"
        and CATEGORIES.index(derived.category) < CATEGORIES.index(base.category)
    ):
        owner = next((lic.id for lic in base.licenses if lic.category == base.category), base.text)
        return (
            f"{owner}: category: {base.category}",
            f"keeps derivatives under its {base.category} terms, but the derivative claims "
            f"a {derived.category} licence",
        )
    return None


def _resolve(licenses: LicenseTable, text: str | None) -> Resolved | None:
    """A licence that can decide: resolved, and not of the unknown category."""
    if text is None:
        return None
    try:
        resolved = licenses.resolve(text)
    except LicenseError:
        return None
    return None if resolved.category == "unknown" else resolved


def breaches(graph: Graph, entry: Any) -> Iterator[tuple[str, int, Breach]]:
    """Every breach of a base's terms by this entry: (relation, index in that relation, breach)."""
    licenses = graph.licenses
    derived = _resolve(licenses, getattr(entry, "license", None))
    if derived is None:
        return
    makers = set(entry.by)
    for relation in UPWARD:
        for index, target in enumerate(getattr(entry.relations, relation)):
            chain = [(entry.id, "", entry.license)]
            found = _up(graph, target, relation, derived, makers, chain, {entry.id})
            if found is not None:
                yield relation, index, found


def _up(
    graph: Graph,
    entry_id: str,
    relation: str,
    derived: Resolved,
    makers: set[str],
    chain: list[tuple[str, str, str | None]],
    path: set[str],
) -> Breach | None:
    """Walk up from one edge to the first base whose licence decides."""
    base = graph.get(entry_id)
    if base is None or entry_id in path or makers & set(base.by):
        return None
    text = getattr(base, "license", None)
    here = [*chain, (entry_id, relation, text)]
    resolved = _resolve(graph.licenses, text)
    if relation == "trained_on":
        # Data binds only through a licence the table marks as binding trained models, and only
        # the data itself: what the data was made from is the dataset's own lineage.
        if resolved is None or not any(lic.binds_trained_models for lic in resolved.licenses):
            return None
    elif resolved is None:
        for next_id in base.relations.based_on:
            found = _up(graph, next_id, "based_on", derived, makers, here, path | {entry_id})
            if found is not None:
                return found
        return None
    decided = _breach(graph.licenses, derived, resolved)
    if decided is None:
        return None
    return Breach(tuple(here), *decided)


def describe(breach: Breach) -> str:
    """The chain in words: `a (MIT) is based on b (unknown), which is based on c (CC-BY-NC-4.0)`."""
    words = {"based_on": "based on", "trained_on": "trained on"}
    text = ""
    for position, (entry_id, relation, license) in enumerate(breach.chain):
        named = f"{entry_id} ({license or 'no licence'})"
        if position == 0:
            text = named
        elif position == 1:
            text += f" is {words[relation]} {named}"
        else:
            text += f", which is {words[relation]} {named}"
    return text


def lineage_findings(catalog: Catalog, records: list[Record]) -> list[Finding]:
    """CAT100 findings for the given records, walking the whole catalogue's graph."""
    from openai_catalog.rules import LicenceLineage

    out: list[Finding] = []
    for record in records:
        if record.entry is None:
            continue
        for relation, index, breach in breaches(catalog, record.entry):
            base_id, _, base_licence = breach.chain[-1]
            out.append(
                LicenceLineage.at(
                    record.display,
                    *record.position("relations", relation, index),
                    f"licence lineage: {describe(breach)}; {base_id}'s licence {breach.problem} "
                    f"(licenses.yaml, {breach.clause})",
                    f"publish {record.entry.id} under terms that keep {base_licence}'s, fix the "
                    f"licence or relation if the entry is wrong, or, if the base's licensor allowed "
                    f"it, add `# catalog: ignore CAT100 -- <why>` on that line",
                )
            )
    return out
