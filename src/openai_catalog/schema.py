"""The entry schema: the one source of truth for what an entry may hold.

`catalog schema` prints it as JSON Schema (draft 2020-12) for editors; catalog/schema.json is that
output. Checks that need the whole catalogue or today's date (licences, references, dates in the
future) live in validate.py, which also reports them with their own rule ids.
"""

from __future__ import annotations

import json
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, WithJsonSchema

from openai_catalog._util import MAX_COUNT, canonical

SCHEMA_VERSION = 1
SCHEMA_ID = "https://github.com/openai-catalog/openai-catalog/catalog/schema.json"
SCHEMA_HEADER = "# yaml-language-server: $schema=../schema.json"

KIND_FOLDERS: dict[str, str] = {
    "model": "models",
    "dataset": "datasets",
    "compute": "compute",
    "tool": "tools",
    "community": "communities",
}
FOLDER_KINDS = {folder: kind for kind, folder in KIND_FOLDERS.items()}

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_RE = re.compile(SLUG)
PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
HTTPS_URL = r"^https://[^\s/$.?#][^\s]*$"
HUB_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$"
GITHUB_REPO = r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]+$"
PAPER = r"^(\d{4}\.\d{4,5}(v\d+)?|[a-z-]+(\.[A-Z]{2})?/\d{7}|10\.\d{4,9}/\S+)$"
SUMMARY_MAX = 200
SUMMARY_MIN = 20
MAX_HOURS = 10**9


class Kind(StrEnum):
    model = "model"
    dataset = "dataset"
    compute = "compute"
    tool = "tool"
    community = "community"


class Status(StrEnum):
    active = "active"
    deprecated = "deprecated"
    withdrawn = "withdrawn"
    superseded = "superseded"


class Modality(StrEnum):
    text = "text"
    code = "code"
    image = "image"
    audio = "audio"
    speech = "speech"
    video = "video"
    three_d = "3d"
    tabular = "tabular"
    time_series = "time-series"
    graph = "graph"
    protein = "protein"
    genomics = "genomics"
    molecule = "molecule"


class Weights(StrEnum):
    open = "open"
    gated = "gated"
    closed = "closed"


class TrainingCode(StrEnum):
    open = "open"
    closed = "closed"


class TrainingData(StrEnum):
    open = "open"
    partial = "partial"
    documented = "documented"
    undisclosed = "undisclosed"


class Access(StrEnum):
    open = "open"
    gated = "gated"
    on_request = "on-request"
    closed = "closed"


class Applications(StrEnum):
    open = "open"
    closed = "closed"
    periodic = "periodic"


class ToolCategory(StrEnum):
    framework = "framework"
    library = "library"
    training = "training"
    inference = "inference"
    serving = "serving"
    evaluation = "evaluation"
    data = "data"
    hub = "hub"
    compiler = "compiler"
    kernel = "kernel"
    other = "other"


class CommunityType(StrEnum):
    collective = "collective"
    lab = "lab"
    company = "company"
    nonprofit = "nonprofit"
    academic = "academic"
    government = "government"
    individual = "individual"


_SUFFIXES = {"": 1, "K": 10**3, "M": 10**6, "B": 10**9, "G": 10**9, "T": 10**12}
_BYTE_SUFFIXES = {
    "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12, "PB": 10**15,
    "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40, "PIB": 2**50,
}
_COUNT_RE = re.compile(r"^\s*(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*([A-Za-z]*)\s*$")


def _number(value: Any, suffixes: dict[str, int], what: str) -> Any:
    """Accept `6B`, `1.3e9`, `825GB` or an integer and return an integer."""
    if isinstance(value, bool):
        raise ValueError(f"{what} must be a number such as 6B, 1.3e9 or 6000000000")
    if isinstance(value, int):
        return _bounded(value, value, what)
    if isinstance(value, float):
        if not value.is_integer():  # NaN and the infinities are not whole numbers either
            raise ValueError(f"{what} must be a whole number")
        return _bounded(int(value), value, what)
    if isinstance(value, str):
        match = _COUNT_RE.match(value.replace(",", "").replace("_", ""))
        if match and match.group(2).upper() in suffixes:
            number = float(match.group(1)) * suffixes[match.group(2).upper()]
            if not number.is_integer():
                raise ValueError(f"{what} {value!r} is not a whole number")
            return _bounded(int(number), value, what)
        raise ValueError(
            f"{what} {value!r} is not a number; write e.g. 6B, 770M, 1.3e9 or an integer"
        )
    return value


def _bounded(number: int, value: Any, what: str) -> int:
    if number > MAX_COUNT:
        shown = f"{value!r}" if len(repr(value)) <= 40 else f"a number of {len(str(number))} digits"
        raise ValueError(f"{what} {shown} is larger than 10^18; check the unit (6B is six billion)")
    return number


def parse_count(value: Any) -> Any:
    return _number(value, _SUFFIXES, "count")


def parse_bytes(value: Any) -> Any:
    return _number(value, _BYTE_SUFFIXES | {"": 1}, "byte size")


def _date_to_str(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


_COUNT_JSON = {
    "anyOf": [
        {"type": "integer", "minimum": 0, "maximum": MAX_COUNT},
        {"type": "string", "pattern": r"^\d+(\.\d+)?([eE][+-]?\d+)?\s*[KMBTG]?$"},
    ]
}
_BYTES_JSON = {
    "anyOf": [
        {"type": "integer", "minimum": 0, "maximum": MAX_COUNT},
        {"type": "string", "pattern": r"^\d+(\.\d+)?\s*([KMGTP]i?B|B)?$"},
    ]
}

Slug = Annotated[str, Field(pattern=SLUG, max_length=80)]
Count = Annotated[int, BeforeValidator(parse_count), Field(ge=0, le=MAX_COUNT),
                  WithJsonSchema(_COUNT_JSON)]
Bytes = Annotated[int, BeforeValidator(parse_bytes), Field(ge=0, le=MAX_COUNT),
                  WithJsonSchema(_BYTES_JSON)]
PartialDate = Annotated[
    str,
    BeforeValidator(_date_to_str),
    Field(pattern=PARTIAL_DATE),
    WithJsonSchema({"type": ["string", "integer"], "pattern": PARTIAL_DATE,
                    "description": "YYYY, YYYY-MM or YYYY-MM-DD"}),
]
HttpsUrl = Annotated[str, Field(pattern=HTTPS_URL, max_length=2000)]
Tag = Annotated[str, WithJsonSchema({"type": "string", "pattern": SLUG, "maxLength": 40})]
Summary = Annotated[str, WithJsonSchema({"type": "string", "minLength": SUMMARY_MIN,
                                         "maxLength": SUMMARY_MAX})]
SlugList = list[Slug]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True,
                              use_enum_values=True)


class Relations(_Strict):
    """Typed edges to other entries, by id."""

    trained_on: SlugList = Field(default_factory=list, description="datasets a model was trained on")
    based_on: SlugList = Field(default_factory=list, description="the entry this one derives from")
    uses: SlugList = Field(default_factory=list, description="tools, models or datasets it relies on")
    supported_by: SlugList = Field(default_factory=list,
                                   description="compute programs or communities that supported it")
    part_of: SlugList = Field(default_factory=list, description="a larger entry it belongs to")


RELATION_TARGET_KINDS: dict[str, frozenset[str]] = {
    "trained_on": frozenset({"dataset"}),
    "based_on": frozenset({"model", "dataset", "tool"}),
    "uses": frozenset({"tool", "model", "dataset"}),
    "supported_by": frozenset({"compute", "community"}),
    "part_of": frozenset(Kind),
}

RELATION_INVERSE_LABELS: dict[str, str] = {
    "trained_on": "used to train",
    "based_on": "basis of",
    "uses": "used by",
    "supported_by": "supports",
    "part_of": "includes",
}


class _Entry(_Strict):
    id: Slug
    name: Annotated[str, Field(min_length=1, max_length=120)]
    summary: Summary
    description: str | None = None
    url: HttpsUrl | None = None
    by: SlugList = Field(default_factory=list, description="ids of the communities that made or run it")
    released: PartialDate | None = None
    license: str | None = Field(default=None, description="an id of catalog/licenses.yaml or an "
                                "SPDX expression of such ids")
    hub: Annotated[str, Field(pattern=HUB_ID)] | None = Field(default=None,
                                                              description="Hugging Face repo id")
    github: Annotated[str, Field(pattern=GITHUB_REPO)] | None = None
    paper: Annotated[str, Field(pattern=PAPER)] | None = Field(default=None,
                                                               description="arXiv id or DOI")
    tags: list[Tag] = Field(default_factory=list)
    modalities: list[Modality] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    status: Status = Status.active
    status_note: str | None = None
    superseded_by: Slug | None = None
    relations: Relations = Field(default_factory=Relations)
    sources: Annotated[list[HttpsUrl], Field(min_length=1)]


class Model(_Entry):
    """A trained model: weights and what is known of how they were made."""

    kind: Literal["model"]
    license: str
    parameters: Count | None = None
    architecture: str | None = None
    context_length: Annotated[int, Field(gt=0, le=MAX_COUNT)] | None = None
    weights: Weights | None = None
    training_code: TrainingCode | None = None
    training_data: TrainingData | None = None


class DatasetSize(_Strict):
    tokens: Count | None = None
    documents: Count | None = None
    images: Count | None = None
    examples: Count | None = None
    hours: Annotated[float, Field(ge=0, le=MAX_HOURS, allow_inf_nan=False)] | None = None
    bytes: Bytes | None = None


class Dataset(_Entry):
    """A dataset used to train or evaluate models."""

    kind: Literal["dataset"]
    license: str
    size: DatasetSize | None = None
    languages: list[Annotated[str, Field(pattern=r"^([a-z]{2,3}(-[A-Za-z0-9]+)?|multilingual|code)$")]] = (
        Field(default_factory=list)
    )
    access: Access | None = None


class Compute(_Entry):
    """A program that lends GPUs or TPUs to researchers and open projects."""

    kind: Literal["compute"]
    url: HttpsUrl
    provider: str | None = None
    offers: list[str] = Field(default_factory=list)
    eligibility: str | None = None
    region: str | None = None
    apply_url: HttpsUrl | None = None
    active_from: PartialDate | None = None
    active_until: PartialDate | None = None
    applications: Applications | None = None


class Tool(_Entry):
    """Software that people use to build, train, serve or evaluate open AI."""

    kind: Literal["tool"]
    license: str
    url: HttpsUrl
    category: ToolCategory | None = None
    language: str | None = None
    package: Annotated[str, Field(pattern=r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")] | None = None


class Community(_Entry):
    """A group that makes or runs open AI: a collective, lab, company, nonprofit or person."""

    kind: Literal["community"]
    url: HttpsUrl
    type: CommunityType | None = None
    founded: PartialDate | None = None
    chat: list[HttpsUrl] = Field(default_factory=list)


ENTRY_TYPES: dict[str, type[_Entry]] = {
    "model": Model,
    "dataset": Dataset,
    "compute": Compute,
    "tool": Tool,
    "community": Community,
}
Entry = Annotated[Model | Dataset | Compute | Tool | Community, Field(discriminator="kind")]

# Fields in the order an entry file lists them: common identity first, kind-specific next,
# then the graph and the sources.
_COMMON_HEAD = ["id", "name", "kind", "summary", "description", "url", "by", "released", "license",
                "hub", "github", "paper", "tags", "modalities", "aliases", "status", "status_note",
                "superseded_by"]
_COMMON_TAIL = ["relations", "sources"]


def field_order(kind: str) -> list[str]:
    """The canonical order of an entry's keys, for `fmt` and `show`."""
    if kind not in _ORDERS:
        model = ENTRY_TYPES.get(kind, _Entry)
        specific = [name for name in model.model_fields if name not in _COMMON_HEAD + _COMMON_TAIL]
        _ORDERS[kind] = _COMMON_HEAD + specific + _COMMON_TAIL
    return _ORDERS[kind]


def known_fields(kind: str | None) -> list[str]:
    if kind in ENTRY_TYPES:
        return list(ENTRY_TYPES[kind].model_fields)
    names: dict[str, None] = {}
    for model in ENTRY_TYPES.values():
        names.update(dict.fromkeys(model.model_fields))
    return list(names)


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one entry file."""
    schema = TypeAdapter(Entry).json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "openai-catalog entry",
        "description": f"One entry of the openai-catalog registry (schema version {SCHEMA_VERSION}).",
        **schema,
    }


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def entry_to_dict(entry: BaseModel) -> dict[str, Any]:
    """An entry as plain data in canonical key order, leaving out what is empty or default."""
    data = entry.model_dump(mode="json", exclude_none=True)
    return canonical(data, field_order(data["kind"]))


_ORDERS: dict[str, list[str]] = {}
