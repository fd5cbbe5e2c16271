"""Openness grades: derived from an entry's fields and the graph, never entered by hand.

The ladder for models follows the Model Openness Framework's classes (Class III open model,
Class II open tooling, Class I open science) and the OSI Open Source AI Definition's demand that
weights, code and data information be available under terms that allow use:

    open-science   open weights, open licence, open training code, open training data, documented
    open-tooling   open weights, open licence, open training code, documented
    open-model     open weights, open licence (permissive or copyleft), documented
    open-weights   weights downloadable (openly or after accepting terms) under any licence
    closed         weights not released, or not known to be

Datasets:

    open-data      downloadable without gating, under a permissive or copyleft licence, documented
    open-access    downloadable, but gated or under terms that restrict use (non-commercial, custom)
    closed         withdrawn, closed, or not known to be available

An "open licence" is one of category permissive or copyleft. Training data is open when every
dataset a model is `trained_on` is itself graded open-data; partly open when some are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing import Protocol

    from openai_catalog.licenses import LicenseTable

    class Catalog(Protocol):
        """What grading needs of a catalogue: the licence table and entries by id."""

        licenses: LicenseTable

        def get(self, entry_id: str) -> Any: ...

MODEL_GRADES = ("open-science", "open-tooling", "open-model", "open-weights", "closed")
DATASET_GRADES = ("open-data", "open-access", "closed")
GRADES = (*MODEL_GRADES, "open-data", "open-access")
OPEN_LICENCE = frozenset({"permissive", "copyleft"})


@dataclass
class Component:
    name: str
    value: str
    ok: bool
    detail: str = ""


@dataclass
class Grade:
    grade: str
    components: list[Component] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # what the next grade up needs

    def as_dict(self) -> dict[str, Any]:
        return {"grade": self.grade,
                "components": [c.__dict__ for c in self.components],
                "next_grade_needs": self.missing}


def _category(entry: Any, catalog: Catalog) -> str:
    from openai_catalog.licenses import LicenseError

    if not entry.license:
        return "unknown"
    try:
        return catalog.licenses.resolve(entry.license).category
    except LicenseError:
        return "unknown"


def _dataset_grade(entry: Any, catalog: Catalog) -> Grade:
    category = _category(entry, catalog)
    access = entry.access or "unknown"
    available = entry.status != "withdrawn" and access in ("open", "gated")
    documented = bool(entry.paper or entry.hub or entry.url)
    components = [
        Component("access", access if entry.status != "withdrawn" else "withdrawn", available and access == "open"),
        Component("licence", category, category in OPEN_LICENCE, entry.license or "none"),
        Component("documentation", "yes" if documented else "no", documented,
                  "paper" if entry.paper else ("dataset card" if entry.hub else "")),
    ]
    if not available:
        needs = ["the data must be available (not withdrawn or closed)"]
        return Grade("closed", components, needs)
    if access == "open" and category in OPEN_LICENCE and documented:
        return Grade("open-data", components, [])
    needs = []
    if access != "open":
        needs.append("ungated download")
    if category not in OPEN_LICENCE:
        needs.append(f"a permissive or copyleft licence (now {category})")
    if not documented:
        needs.append("documentation: a paper or a dataset card")
    return Grade("open-access", components, needs)


def _training_data(entry: Any, catalog: Catalog) -> tuple[str, str]:
    targets = entry.relations.trained_on
    if targets:
        grades = []
        for target in targets:
            dataset = catalog.get(target)
            grades.append(_dataset_grade(dataset, catalog).grade if dataset else "closed")
        opened = sum(g == "open-data" for g in grades)
        detail = ", ".join(f"{t}: {g}" for t, g in zip(targets, grades, strict=True))
        if opened == len(grades) and entry.training_data in (None, "open"):
            return "open", detail
        if opened or entry.training_data in ("open", "partial"):
            return "partial", detail
        return "closed", detail
    declared = entry.training_data or "unknown"
    return ({"open": "open", "partial": "partial"}.get(declared, "closed"),
            f"declared {declared}; no trained_on datasets in the catalogue")


def _model_grade(entry: Any, catalog: Catalog) -> Grade:
    category = _category(entry, catalog)
    weights = entry.weights or "unknown"
    code = entry.training_code or "unknown"
    data, data_detail = _training_data(entry, catalog)
    documented = bool(entry.paper or entry.hub)
    components = [
        Component("weights", weights, weights == "open"),
        Component("licence", category, category in OPEN_LICENCE, entry.license or "none"),
        Component("training code", code, code == "open"),
        Component("training data", data, data == "open", data_detail),
        Component("documentation", "yes" if documented else "no", documented,
                  "paper" if entry.paper else ("model card" if entry.hub else "")),
    ]
    if weights not in ("open", "gated"):
        return Grade("closed", components, ["weights that can be downloaded"])
    ladder = [
        ("open-model", [(weights == "open", "ungated open weights"),
                        (category in OPEN_LICENCE, f"a permissive or copyleft licence (now {category})"),
                        (documented, "documentation: a paper or a model card")]),
        ("open-tooling", [(code == "open", "open training code")]),
        ("open-science", [(data == "open", "open training data (every trained_on dataset open-data)")]),
    ]
    reached = "open-weights"
    for name, needs in ladder:
        missing = [text for ok, text in needs if not ok]
        if missing:
            return Grade(reached, components, missing)
        reached = name
    return Grade(reached, components, [])


def grade(entry: Any, catalog: Catalog) -> Grade:
    """The openness grade of a model or dataset, with the evidence for it."""
    if entry.kind == "model":
        return _model_grade(entry, catalog)
    if entry.kind == "dataset":
        return _dataset_grade(entry, catalog)
    raise ValueError(f"{entry.kind} entries have no openness grade")
