"""Openness grades: derived from an entry's fields and the catalogue graph, never entered by hand.

Models climb a ladder modelled on the classes of the Model Openness Framework (MOF, arXiv
2403.13784: Class III open model, Class II open tooling, Class I open science) and on the OSI Open
Source AI Definition (OSAID 1.0), which asks for weights and code under terms that let anyone use,
study, change and share them, and for enough information about the training data. Each grade
needs everything the grade below it needs, and:

    open-weights   the weights can be downloaded, openly or after accepting terms
                   (`weights: open` or `gated`), under any licence
    open-model     (MOF Class III) the weights are downloadable without gating (`weights: open`),
                   under an open licence (category permissive or copyleft: no use restrictions,
                   commercial use allowed), and documented by a paper or a model card (`paper:` or
                   `hub:`)
    open-tooling   (MOF Class II, plus the data information OSAID asks for) the training code is
                   open (`training_code: open`) under an open licence, and the training data is at
                   least documented: the datasets are named in `relations.trained_on`, or
                   `training_data` says what they were. The code's licence is `code_license`
                   where the entry records one (Whisper: weights Apache-2.0, code MIT), else the
                   entry's `license`: a licence names the code too unless it is said to differ
    open-science   (MOF Class I) the training data is open, checked in the graph: the model names
                   its datasets in `relations.trained_on`, every one of them grades open-data, and
                   `training_data` does not say that they are only part of it; and a paper
                   (`paper:`) describes the work
    closed         anything less: the weights are not released, or not known to be

Datasets:

    open-data      downloadable by anyone without gating (`access: open`, not withdrawn), under an
                   open licence (permissive or copyleft), and documented by a paper or a dataset
                   card (`paper:` or `hub:`)
    open-access    obtainable (`access: open`, `gated` or `on-request`, not withdrawn) but short of
                   open-data: gated, on request, under restrictive terms, or undocumented
    closed         withdrawn, `access: closed`, or access not recorded

The training data of a model, judged from the datasets it is `trained_on`:

    open           every dataset named grades open-data
    partial        some do; or `training_data: partial` although every one named does
    documented     datasets are named but none grades open-data (say, all withdrawn), or the entry
                   declares `training_data: documented`
    open (unchecked), partial (unchecked)
                   the entry declares it, but names no datasets that could show it
    undisclosed    declared undisclosed;  unknown: nothing recorded

Each grade comes with its components (value, whether it meets the open bar, and the evidence)
and with what the next grade up still needs, so that `catalog show` can explain it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from openai_catalog.licenses import OPEN_CATEGORIES

if TYPE_CHECKING:
    from typing import Protocol

    from openai_catalog.licenses import LicenseTable

    class Catalog(Protocol):
        """What grading needs of a catalogue: the licence table and entries by id."""

        licenses: LicenseTable

        def get(self, entry_id: str) -> Any: ...


# The fields a dataset's grade reads: an index build keeps only these of each dataset, to judge the
# training data of the models that follow.
DATASET_FIELDS = ("id", "kind", "license", "status", "status_note", "paper", "hub", "url", "access")

# Best first. The two ladders share their lowest rung, `closed`.
MODEL_GRADES = ("open-science", "open-tooling", "open-model", "open-weights", "closed")
DATASET_GRADES = ("open-data", "open-access", "closed")
GRADES = (*MODEL_GRADES[:-1], *DATASET_GRADES)
LADDERS = {"model": MODEL_GRADES, "dataset": DATASET_GRADES}
# `openness:open` means open by these rules: an open licence and open weights or data.
OPEN_GRADES = ("open-science", "open-tooling", "open-model", "open-data")
GRADE_SUMMARIES = {
    "open-science": "open weights, licence, training code and training data, with a paper (MOF Class I)",
    "open-tooling": "open weights, licence and training code; training data documented (MOF Class II)",
    "open-model": "open weights under an open licence, documented (MOF Class III)",
    "open-weights": "downloadable weights, under any licence",
    "open-data": "downloadable without gating, under an open licence, documented",
    "open-access": "obtainable, but gated, on request, restricted or undocumented",
    "closed": "not available, or not known to be",
}
_DATA_INFORMATION = ("open", "partial", "documented", "open (unchecked)", "partial (unchecked)")


@dataclass
class Component:
    """One thing the grade looks at: its value, whether it is open, and where that comes from."""

    name: str
    value: str
    ok: bool
    evidence: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "ok": self.ok, "evidence": self.evidence}


@dataclass
class Grade:
    grade: str
    kind: str
    components: list[Component] = field(default_factory=list)
    next_grade: str | None = None
    needs: list[str] = field(default_factory=list)  # what the next grade up still needs

    @property
    def ladder(self) -> tuple[str, ...]:
        return LADDERS[self.kind]

    def as_dict(self) -> dict[str, Any]:
        return {
            "grade": self.grade,
            "summary": GRADE_SUMMARIES[self.grade],
            "ladder": list(self.ladder),
            "components": [c.as_dict() for c in self.components],
            "next_grade": self.next_grade,
            "next_grade_needs": self.needs,
        }


def grade(entry: Any, catalog: Catalog) -> Grade:
    """The openness grade of a model or dataset, with the evidence for it."""
    if entry.kind == "model":
        return _model_grade(entry, catalog)
    if entry.kind == "dataset":
        return _dataset_grade(entry, catalog)
    raise ValueError(f"{entry.kind} entries have no openness grade")


def matching_grades(op: str, value: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The (kinds, grades) an `openness:` filter keeps: `open`, one grade, or a comparison
    within the ladder that the grade belongs to (`openness:>=open-model` keeps models only)."""
    if value == "open":
        return ("model", "dataset"), OPEN_GRADES
    if op == "=":
        return tuple(k for k, ladder in LADDERS.items() if value in ladder), (value,)
    import operator

    # Ranks count from the best grade (0), so "better than" is "lower rank than".
    better = {">": operator.lt, ">=": operator.le, "<": operator.gt, "<=": operator.ge}[op]
    kinds: list[str] = []
    grades: list[str] = []
    for kind, ladder in LADDERS.items():
        if value not in ladder:
            continue
        rank = ladder.index(value)
        kinds.append(kind)
        grades.extend(g for r, g in enumerate(ladder) if better(r, rank) and g not in grades)
    return tuple(kinds), tuple(grades)


# --- the components ---------------------------------------------------------------------------


def _licence(entry: Any, catalog: Catalog) -> Component:
    from openai_catalog.licenses import LicenseError

    if not entry.license:
        return Component("licence", "unknown", False, "no licence recorded")
    try:
        resolved = catalog.licenses.resolve(entry.license)
    except LicenseError as exc:
        return Component("licence", "unknown", False, f"{entry.license}: {exc}")
    return Component(
        "licence", resolved.category, resolved.category in OPEN_CATEGORIES, resolved.text
    )


def _documentation(entry: Any, card: str) -> Component:
    kinds, evidence = [], []
    if entry.paper:
        kinds.append("paper")
        evidence.append(f"paper: {entry.paper}")
    if entry.hub:
        kinds.append(card)
        evidence.append(f"{card} on the Hub: {entry.hub}")
    return Component(
        "documentation",
        " and ".join(kinds) or "none",
        bool(kinds),
        "; ".join(evidence) or "no paper and no Hub card recorded",
    )


def _dataset_access(entry: Any) -> Component:
    if entry.status == "withdrawn":
        note = f": {entry.status_note}" if entry.status_note else ""
        return Component("access", "withdrawn", False, f"status withdrawn{note}")
    access = entry.access or "unknown"
    evidence = f"access: {access}" if entry.access else "access not recorded"
    return Component("access", access, access == "open", evidence)


def _training_data(entry: Any, catalog: Catalog) -> Component:
    targets = entry.relations.trained_on
    declared = entry.training_data
    if not targets:
        if declared in ("open", "partial"):
            return Component(
                "training data",
                f"{declared} (unchecked)",
                False,
                f"training_data: {declared}, but no trained_on datasets in the "
                "catalogue to check it",
            )
        if declared:
            return Component("training data", declared, False, f"training_data: {declared}")
        return Component(
            "training data",
            "unknown",
            False,
            "no trained_on datasets and no training_data recorded",
        )
    grades = []
    for target in targets:
        dataset = catalog.get(target)
        grades.append(_dataset_grade(dataset, catalog).grade if dataset is not None else "closed")
    evidence = "; ".join(f"{t}: {g}" for t, g in zip(targets, grades, strict=True))
    opened = sum(g == "open-data" for g in grades)
    if opened == len(grades) and declared in (None, "open"):
        return Component("training data", "open", True, evidence)
    if opened:
        if declared not in (None, "open") and opened == len(grades):
            evidence += f"; training_data: {declared}"
        return Component("training data", "partial", False, evidence)
    return Component("training data", "documented", False, evidence)


# --- the ladders ------------------------------------------------------------------------------


def _climb(
    kind: str, components: list[Component], rungs: list[tuple[str, list[tuple[bool, str]]]]
) -> Grade:
    """The highest grade whose needs, and the needs of every grade below it, all hold."""
    reached = "closed"
    for name, needs in rungs:
        missing = [text for ok, text in needs if not ok]
        if missing:
            return Grade(reached, kind, components, name, missing)
        reached = name
    return Grade(reached, kind, components)


def _training_code(entry: Any, catalog: Catalog) -> Component:
    """Open when the code is released (`training_code: open`) under an open licence: the
    model's `code_license`, or its `license` when no separate code licence is recorded."""
    from openai_catalog.licenses import LicenseError

    code = entry.training_code or "unknown"
    if not entry.training_code:
        return Component("training code", code, False, "training code not recorded")
    field = "code_license" if getattr(entry, "code_license", None) else "license"
    text = getattr(entry, field)
    if code != "open" or not text:
        return Component("training code", code, False, f"training_code: {code}")
    try:
        category = catalog.licenses.resolve(text).category
    except LicenseError:
        category = "unknown"
    open_licence = category in OPEN_CATEGORIES
    return Component(
        "training code",
        code if open_licence else f"open, {category} licence",
        open_licence,
        f"training_code: open; {field}: {text} ({category})",
    )


def _model_grade(entry: Any, catalog: Catalog) -> Grade:
    weights = entry.weights or "unknown"
    licence = _licence(entry, catalog)
    code_part = _training_code(entry, catalog)
    code = entry.training_code or "unknown"
    data = _training_data(entry, catalog)
    docs = _documentation(entry, "model card")
    components = [
        Component(
            "weights",
            weights,
            weights == "open",
            f"weights: {weights}" if entry.weights else "weights not recorded",
        ),
        licence,
        code_part,
        data,
        docs,
    ]
    return _climb(
        "model",
        components,
        [
            (
                "open-weights",
                [
                    (
                        weights in ("open", "gated"),
                        "weights that can be downloaded (record `weights: open` or `gated`)",
                    )
                ],
            ),
            (
                "open-model",
                [
                    (weights == "open", f"weights downloadable without gating (now {weights})"),
                    (
                        licence.ok,
                        (
                            f"an open licence, permissive or copyleft (now {licence.value}: "
                            f"{licence.evidence})"
                        ),
                    ),
                    (docs.ok, "documentation: a paper or a model card (`paper:` or `hub:`)"),
                ],
            ),
            (
                "open-tooling",
                [
                    (
                        code_part.ok,
                        "open training code (`training_code: open`)"
                        if code != "open"
                        else f"training code under an open licence, permissive or copyleft (now {code_part.evidence})",
                    ),
                    (
                        data.value in _DATA_INFORMATION,
                        "information on the training data: name the datasets in `relations.trained_on`",
                    ),
                ],
            ),
            (
                "open-science",
                [
                    (
                        data.ok,
                        "open training data: "
                        + (
                            f"every trained_on dataset graded open-data (now {data.evidence})"
                            if entry.relations.trained_on
                            else "name the datasets in `relations.trained_on`, each graded open-data"
                        ),
                    ),
                    (bool(entry.paper), "a research paper (`paper:`)"),
                ],
            ),
        ],
    )


def _dataset_grade(entry: Any, catalog: Catalog) -> Grade:
    access = _dataset_access(entry)
    licence = _licence(entry, catalog)
    docs = _documentation(entry, "dataset card")
    components = [access, licence, docs]
    return _climb(
        "dataset",
        components,
        [
            (
                "open-access",
                [
                    (
                        access.value in ("open", "gated", "on-request"),
                        f"data that can be obtained (now {access.value})",
                    )
                ],
            ),
            (
                "open-data",
                [
                    (
                        access.value == "open",
                        f"download without gating or request (now {access.value})",
                    ),
                    (
                        licence.ok,
                        (
                            f"an open licence, permissive or copyleft (now {licence.value}: "
                            f"{licence.evidence})"
                        ),
                    ),
                    (docs.ok, "documentation: a paper or a dataset card (`paper:` or `hub:`)"),
                ],
            ),
        ],
    )
