"""The entry schema: the one source of truth for what an entry may hold.

`catalog schema` prints it as JSON Schema (draft 2020-12) for editors; catalog/schema.json is that
output. check_schema holds one parsed entry file against it and reports each problem as a finding
at its line. Checks that need the whole catalogue or today's date (licences, references, dates in
the future) live in the checks/ package, which reports them with their own rule ids.
"""

from __future__ import annotations

import json
import re
from decimal import Context, Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal, Protocol

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from openai_catalog import rules
from openai_catalog._util import MAX_COUNT, canonical, did_you_mean
from openai_catalog.kinds import FOLDER_KINDS as FOLDER_KINDS  # re-exported
from openai_catalog.kinds import KIND_FOLDERS as KIND_FOLDERS  # re-exported
from openai_catalog.kinds import KINDS
from openai_catalog.rules import Finding

SCHEMA_VERSION = 1
SCHEMA_ID = "https://github.com/openai-catalog/openai-catalog/catalog/schema.json"
SCHEMA_HEADER = "# yaml-language-server: $schema=../schema.json"


SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_RE = re.compile(SLUG)
PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
HTTPS_URL = r"^https://[^\s/$.?#][^\s]*$"
HUB_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$"
GITHUB_REPO = r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]+$"
GITHUB_OWNER_OR_REPO = r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(/[A-Za-z0-9._-]+)?$"
PAPER = r"^(\d{4}\.\d{4,5}(v\d+)?|[a-z-]+(\.[A-Z]{2})?/\d{7}|10\.\d{4,9}/\S+)$"
SUMMARY_MAX = 200
SUMMARY_MIN = 20
QUOTE_MAX = 300
MAX_HOURS = 10**9


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


class Tuning(StrEnum):
    base = "base"
    instruct = "instruct"


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
    "B": 1,
    "KB": 10**3,
    "MB": 10**6,
    "GB": 10**9,
    "TB": 10**12,
    "PB": 10**15,
    "KIB": 2**10,
    "MIB": 2**20,
    "GIB": 2**30,
    "TIB": 2**40,
    "PIB": 2**50,
}
_COUNT_RE = re.compile(r"^\s*(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*([A-Za-z]*)\s*$")


# Enough digits that a count of up to 10^18 with any written fraction is multiplied exactly.
_EXACT = Context(prec=80)


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
            # Decimal, not float: 16.4B is 16,400,000,000 exactly, where 16.4 * 10**9 in binary
            # floating point is 16399999999.999998.
            try:
                mantissa = Decimal(match.group(1))
            except ArithmeticError:  # an exponent past what Decimal holds (0E1000000000000000000)
                raise ValueError(
                    f"{what} {value!r} has an exponent out of range; write e.g. 6B or 1.3e9"
                ) from None
            if mantissa.adjusted() > 18:  # 1e999999999 is refused before any arithmetic on it
                return _bounded(MAX_COUNT + 1, value, what)
            if mantissa and mantissa.adjusted() < -18:  # 1e-999999999: below one of any unit
                raise ValueError(f"{what} {value!r} is not a whole number")
            number = mantissa.fma(suffixes[match.group(2).upper()], 0, _EXACT)
            if number != number.to_integral_value():
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


# What editors check must be what `catalog validate` checks wherever one file can tell (a test
# runs both over every example), so the JSON Schema of counts, sizes and dates spells out what the
# validators above accept: suffixes in any case, separators, whole floats, calendar dates.
_NUMBER_TEXT = r"\s*\d[\d,_]*(\.[\d_]+)?([eE][+-]?\d+)?\s*"
_COUNT_JSON = {
    "anyOf": [
        {"type": "integer", "minimum": 0, "maximum": MAX_COUNT},
        {"type": "number", "minimum": 0, "maximum": MAX_COUNT, "multipleOf": 1},
        {"type": "string", "pattern": rf"^{_NUMBER_TEXT}[KMBTGkmbtg]?\s*$"},
    ],
    "description": "a whole number, or with a suffix: 6B, 770M, 1.3e9",
}
_BYTES_JSON = {
    "anyOf": [
        {"type": "integer", "minimum": 0, "maximum": MAX_COUNT},
        {"type": "number", "minimum": 0, "maximum": MAX_COUNT, "multipleOf": 1},
        {"type": "string", "pattern": rf"^{_NUMBER_TEXT}([KMGTPkmgtp][Ii]?[Bb]|[Bb])?\s*$"},
    ],
    "description": "bytes, or with a unit: 825GB, 1.5TiB",
}
_LEAP_YEAR = r"(\d\d(0[48]|[2468][048]|[13579][26])|([02468][048]|[13579][26])00)"
CALENDAR_DATE = (
    r"^(\d{4}(-(0[1-9]|1[0-2]))?"
    r"|\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\d|3[01])|(0[469]|11)-(0[1-9]|[12]\d|30)"
    r"|02-(0[1-9]|1\d|2[0-8]))"
    rf"|{_LEAP_YEAR}-02-29)$"
)
_DATE_JSON = {
    "anyOf": [
        {"type": "string", "pattern": CALENDAR_DATE},
        {"type": "integer", "minimum": 1000, "maximum": 9999},  # an unquoted year
    ],
    "description": "YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date, best in quotes",
}

Slug = Annotated[str, Field(pattern=SLUG, max_length=80)]
Count = Annotated[
    int, BeforeValidator(parse_count), Field(ge=0, le=MAX_COUNT), WithJsonSchema(_COUNT_JSON)
]
Bytes = Annotated[
    int, BeforeValidator(parse_bytes), Field(ge=0, le=MAX_COUNT), WithJsonSchema(_BYTES_JSON)
]
PartialDate = Annotated[
    str,
    BeforeValidator(_date_to_str),
    Field(pattern=PARTIAL_DATE),
    WithJsonSchema(_DATE_JSON),
]
HttpsUrl = Annotated[str, Field(pattern=HTTPS_URL, max_length=2000)]
Tag = Annotated[str, WithJsonSchema({"type": "string", "pattern": SLUG, "maxLength": 40})]
Summary = Annotated[
    str, WithJsonSchema({"type": "string", "minLength": SUMMARY_MIN, "maxLength": SUMMARY_MAX})
]
SlugList = list[Slug]


class _Strict(BaseModel):
    # defer_build: a kind's validator is compiled when an entry of that kind is first checked,
    # not at import. An update in place after one edit (index.update_quietly) imports this
    # module on the critical path of a search and checks one or two kinds, not all five.
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        frozen=True,
        use_enum_values=True,
        defer_build=True,
    )


class Relations(_Strict):
    """Typed edges to other entries, by id."""

    trained_on: SlugList = Field(
        default_factory=list, description="datasets a model was trained on"
    )
    based_on: SlugList = Field(default_factory=list, description="the entry this one derives from")
    uses: SlugList = Field(
        default_factory=list, description="tools, models or datasets it relies on"
    )
    supported_by: SlugList = Field(
        default_factory=list, description="compute programs or communities that supported it"
    )
    part_of: SlugList = Field(default_factory=list, description="a larger entry it belongs to")


RELATION_TARGET_KINDS: dict[str, frozenset[str]] = {
    "trained_on": frozenset({"dataset"}),
    "based_on": frozenset({"model", "dataset", "tool"}),
    "uses": frozenset({"tool", "model", "dataset"}),
    "supported_by": frozenset({"compute", "community"}),
    "part_of": frozenset(KINDS),
}

RELATION_INVERSE_LABELS: dict[str, str] = {
    "trained_on": "used to train",
    "based_on": "basis of",
    "uses": "used by",
    "supported_by": "supports",
    "part_of": "includes",
}


class Evidence(_Strict):
    """One page that backs a fact, and its words that state it, copied verbatim."""

    source: HttpsUrl = Field(description="the page the quote is copied from (a primary source)")
    quote: Annotated[str, Field(min_length=1, max_length=QUOTE_MAX)] = Field(
        description=f"words copied verbatim from that page, at most {QUOTE_MAX} characters"
    )


EvidenceList = Annotated[list[Evidence], Field(min_length=1)]
# Fields whose words are ours (or the entry's own bookkeeping), so no page can back them.
# Every stated fact may be backed, the claims of a summary or description too; not the entry's
# own bookkeeping.
NO_EVIDENCE = frozenset({"id", "kind", "tags", "evidence", "sources"})


class _Entry(_Strict):
    id: Slug
    name: Annotated[str, Field(min_length=1, max_length=120)]
    summary: Summary
    description: str | None = None
    url: HttpsUrl | None = None
    by: SlugList = Field(
        default_factory=list, description="ids of the communities that made or run it"
    )
    released: PartialDate | None = None
    license: str | None = Field(
        default=None, description="an id of catalog/licenses.yaml or an SPDX expression of such ids"
    )
    hub: Annotated[str, Field(pattern=HUB_ID)] | None = Field(
        default=None, description="Hugging Face repo id"
    )
    github: Annotated[str, Field(pattern=GITHUB_REPO)] | None = None
    paper: Annotated[str, Field(pattern=PAPER)] | None = Field(
        default=None, description="arXiv id or DOI"
    )
    tags: list[Tag] = Field(default_factory=list)
    modalities: list[Modality] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    status: Status = Status.active
    status_note: str | None = None
    superseded_by: Slug | None = None
    relations: Relations = Field(default_factory=Relations)
    evidence: dict[str, EvidenceList] = Field(
        default_factory=dict,
        description="field name -> the pages and verbatim quotes that back "
        "its value; each source also counts as a source of the entry",
    )
    sources: list[HttpsUrl] = Field(
        default_factory=list, description="pages that back the facts (evidence sources count too)"
    )

    @model_validator(mode="after")
    def _sourced(self) -> _Entry:
        if not self.sources and not self.evidence:
            raise PydanticCustomError("no_sources", "no sources and no evidence back this entry")
        return self

    def all_sources(self) -> list[str]:
        """`sources` and every evidence source, each once, in the order they appear."""
        found = list(self.sources)
        for items in self.evidence.values():
            found.extend(item.source for item in items)
        return list(dict.fromkeys(found))


class Variant(_Strict):
    """One checkpoint of a release: a size or a tuning that has its own Hub repo."""

    name: Annotated[str, Field(min_length=1, max_length=120)]
    hub: Annotated[str, Field(pattern=HUB_ID)] | None = Field(
        default=None, description="its Hugging Face model repo id"
    )
    parameters: Count | None = None
    tuning: Tuning | None = Field(
        default=None, description="base (pretrained) or instruct (tuned to follow instructions)"
    )
    aliases: list[str] = Field(default_factory=list, description="former or other names and ids")


class Model(_Entry):
    """A trained model: weights and what is known of how they were made. A release with several
    sizes or tunings is one entry whose `variants` list them; `parameters` is the largest's."""

    kind: Literal["model"]
    license: str = Field(description="the licence of the weights")
    code_license: str | None = Field(
        default=None,
        description="the licence of the training and "
        "inference code, where it differs from the weights'",
    )
    data_license: str | None = Field(
        default=None,
        description="the licence of the released training data, where it differs from the weights'",
    )
    parameters: Count | None = None
    variants: list[Variant] = Field(
        default_factory=list,
        description="the checkpoints of this release (sizes, base and instruct), each with its "
        "own Hub repo; `parameters` is the largest one's",
    )
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
    languages: list[
        Annotated[str, Field(pattern=r"^([a-z]{2,3}(-[A-Za-z0-9]+)?|multilingual|code)$")]
    ] = Field(default_factory=list)
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
    applications_checked: PartialDate | None = Field(
        default=None, description="when `applications` was last read on the official page"
    )
    applications_note: str | None = Field(
        default=None, description="how and when to apply, as the official page says"
    )


class Tool(_Entry):
    """Software that people use to build, train, serve or evaluate open AI."""

    kind: Literal["tool"]
    license: str
    url: HttpsUrl
    category: ToolCategory | None = None
    language: str | None = None
    package: Annotated[str, Field(pattern=r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")] | None = (
        None
    )


class Community(_Entry):
    """A group that makes or runs open AI: a collective, lab, company, nonprofit or person."""

    kind: Literal["community"]
    url: HttpsUrl
    github: Annotated[str, Field(pattern=GITHUB_OWNER_OR_REPO)] | None = Field(
        default=None, description="its GitHub organisation or user (`EleutherAI`), or a repository"
    )
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
_COMMON_HEAD = [
    "id",
    "name",
    "kind",
    "summary",
    "description",
    "url",
    "by",
    "released",
    "license",
    "hub",
    "github",
    "paper",
    "tags",
    "modalities",
    "aliases",
    "status",
    "status_note",
    "superseded_by",
]
_COMMON_TAIL = ["relations", "evidence", "sources"]
# A model's licences per component follow `license` (the weights').
_AFTER_LICENSE = ["code_license", "data_license"]


def field_order(kind: str) -> list[str]:
    """The canonical order of an entry's keys, for `fmt` and `show`."""
    if kind not in _ORDERS:
        model = ENTRY_TYPES.get(kind, _Entry)
        fields = model.model_fields
        skip = _COMMON_HEAD + _COMMON_TAIL + _AFTER_LICENSE
        specific = [name for name in fields if name not in skip]
        head = list(_COMMON_HEAD)
        at = head.index("license") + 1
        head[at:at] = [name for name in _AFTER_LICENSE if name in fields]
        _ORDERS[kind] = head + specific + _COMMON_TAIL
    return _ORDERS[kind]


def known_fields(kind: str | None) -> list[str]:
    if kind in ENTRY_TYPES:
        return list(ENTRY_TYPES[kind].model_fields)
    names: dict[str, None] = {}
    for model in ENTRY_TYPES.values():
        names.update(dict.fromkeys(model.model_fields))
    return list(names)


def evidence_keys(kind: str) -> list[str]:
    """The fields of a kind that `evidence` may back, in canonical order."""
    return [name for name in field_order(kind) if name not in NO_EVIDENCE]


# Status fields that go together (CAT054), as JSON Schema conditions on every kind.
_STATUS_RULES: list[dict[str, Any]] = [
    {
        "if": {"properties": {"status": {"const": "superseded"}}, "required": ["status"]},
        "then": {"required": ["superseded_by"]},
    },
    {
        "if": {
            "properties": {"status": {"enum": ["deprecated", "withdrawn", "superseded"]}},
            "required": ["status"],
        },
        "then": {"required": ["status_note"]},
        "else": {
            "not": {"anyOf": [{"required": ["superseded_by"]}, {"required": ["status_note"]}]}
        },
    },
]
_UNIQUE_LISTS = ("by", "tags", "modalities", "aliases", "sources")


def json_schema(license_ids: list[str] | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one entry file.

    The kind is chosen with `if`/`then` on `kind` rather than `oneOf` with a discriminator (a
    keyword validators ignore), so that an editor reports an error against the rules of the
    entry's own kind, at the field that is wrong. `license_ids` (the licence table's ids and
    aliases) are offered for completion; any other text stays allowed, since an SPDX expression
    of them is valid and the table is checked by `catalog validate` (CAT040)."""
    schema = TypeAdapter(Entry).json_schema(mode="validation")
    defs: dict[str, Any] = schema["$defs"]
    names = {kind: model.__name__ for kind, model in ENTRY_TYPES.items()}
    for kind, name in names.items():
        definition = defs[name]
        keys = evidence_keys(kind)
        definition["properties"]["evidence"]["propertyNames"] = {"enum": keys}
        # evidence backs a fact the entry states (CAT091), and sources or evidence back the entry
        definition["allOf"] = [
            *_STATUS_RULES,
            *(
                {
                    "if": {
                        "required": ["evidence"],
                        "properties": {"evidence": {"required": [key]}},
                    },
                    "then": {"required": [key]},
                }
                for key in keys
                if key not in ("kind", "status")
            ),
        ]  # status defaults to active
        definition["anyOf"] = [
            {"required": ["sources"], "properties": {"sources": {"minItems": 1}}},
            {"required": ["evidence"]},
        ]
        for field in _UNIQUE_LISTS:
            if field in definition["properties"]:
                definition["properties"][field]["uniqueItems"] = True
        if license_ids and "license" in definition["properties"]:
            definition["properties"]["license"] = {
                "anyOf": [{"enum": license_ids}, {"type": "string", "minLength": 1}],
                "description": "an id of catalog/licenses.yaml (or an alias), or an SPDX "
                "expression of such ids",
            }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "openai-catalog entry",
        "description": f"One entry of the openai-catalog registry (schema version {SCHEMA_VERSION}).",
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": list(ENTRY_TYPES)}},
        "allOf": [
            {
                "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                "then": {"$ref": f"#/$defs/{name}"},
            }
            for kind, name in names.items()
        ],
        "$defs": defs,
    }


def json_schema_text(license_ids: list[str] | None = None) -> str:
    return json.dumps(json_schema(license_ids), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def entry_to_dict(entry: BaseModel) -> dict[str, Any]:
    """An entry as plain data in canonical key order, leaving out what is empty or default."""
    data = entry.model_dump(mode="json", exclude_none=True)
    return canonical(data, field_order(data["kind"]))


_ORDERS: dict[str, list[str]] = {}


# --- checking one parsed entry against the schema ---------------------------------------------
AnyEntry = Model | Dataset | Compute | Tool | Community


class Located(Protocol):
    """What check_schema needs of a parsed entry file (registry.Record is one)."""

    display: str

    @property
    def data(self) -> dict[str, Any]: ...

    @property
    def folder_kind(self) -> str | None: ...

    def position(self, *path: str | int) -> tuple[int, int]: ...


_NESTED_FIELDS: dict[str, list[str]] = {
    "relations": list(Relations.model_fields),
    "evidence": ["source", "quote"],
    "size": ["tokens", "documents", "images", "examples", "hours", "bytes"],
    "variants": list(Variant.model_fields),
}


def check_schema(record: Located) -> tuple[AnyEntry | None, list[Finding]]:
    """Validate one parsed entry against the schema of its kind; problems come back as findings."""
    data = record.data
    kind = data.get("kind")
    if (
        not isinstance(kind, str) or kind not in ENTRY_TYPES
    ):  # a list or a mapping is no kind either
        line, col = record.position("kind")
        if kind is None:
            hint = (
                f"add `kind: {record.folder_kind}`"
                if record.folder_kind
                else "add `kind: model` (or another kind)"
            )
            return None, [
                rules.MissingField.at(record.display, line, col, "missing field 'kind'", hint)
            ]
        hint = (
            did_you_mean(kind, ENTRY_TYPES) if isinstance(kind, str) else None
        ) or f"use one of {', '.join(ENTRY_TYPES)}"
        return None, [
            rules.UnknownKind.at(record.display, line, col, f"unknown kind {kind!r}", hint)
        ]
    try:
        return ENTRY_TYPES[kind].model_validate(data), []  # type: ignore[return-value]
    except ValidationError as exc:
        return None, [_schema_finding(record, kind, err) for err in exc.errors()]


def _schema_finding(record: Located, kind: str, err: Any) -> Finding:
    loc = tuple(err["loc"])
    line, col = record.position(*loc)
    where = ".".join(str(p) for p in loc)
    kind_of = err["type"]
    if kind_of == "no_sources":
        return rules.NoSources.at(
            record.display,
            *record.position("sources"),
            "no sources and no evidence back this entry",
            "list under `sources:` the https pages you checked its facts on, "
            "or back each key fact under `evidence:`",
        )
    if kind_of == "extra_forbidden":
        parent = str(loc[0]) if len(loc) > 1 else None  # the entry's field it is nested in
        choices = _NESTED_FIELDS.get(parent, []) if parent else known_fields(kind)
        other_kinds = [k for k in ENTRY_TYPES if k != kind and loc[-1] in known_fields(k)]
        hint = did_you_mean(str(loc[-1]), choices)
        if hint is None and other_kinds:
            hint = f"{loc[-1]!r} belongs to {' and '.join(other_kinds)} entries, not to a {kind}"
        return rules.UnknownKey.at(
            record.display,
            line,
            col,
            f"unknown field {where!r}",
            hint or "remove it, or see `catalog schema` for the fields",
        )
    if kind_of == "missing":
        return rules.MissingField.at(
            record.display, line, col, f"missing field {where!r}", f"add `{loc[-1]}:`"
        )
    if kind_of in ("enum", "literal_error"):
        expected = [
            e.strip(" '")
            for e in err.get("ctx", {}).get("expected", "").replace(" or ", ", ").split(",")
        ]
        value = err.get("input")
        hint = did_you_mean(str(value), expected) or f"use one of: {', '.join(expected)}"
        return rules.InvalidChoice.at(
            record.display, line, col, f"{where}: {value!r} is not an allowed value", hint
        )
    message = err["msg"].removeprefix("Value error, ")
    hint = _PATTERN_HINTS.get(str(loc[-1]) if not isinstance(loc[-1], int) else str(loc[-2]))
    if kind_of == "string_pattern_mismatch":
        message = f"{err.get('input')!r} is not a valid value"
    return rules.InvalidValue.at(record.display, line, col, f"{where}: {message}", hint)


_PATTERN_HINTS = {
    "id": "ids are lowercase slugs: letters, digits and single hyphens, e.g. gpt-j-6b",
    "by": "name community ids, e.g. eleutherai",
    "released": 'write YYYY, YYYY-MM or YYYY-MM-DD in quotes, e.g. "2021-06"',
    "founded": "write YYYY, YYYY-MM or YYYY-MM-DD in quotes",
    "active_from": "write YYYY, YYYY-MM or YYYY-MM-DD in quotes",
    "active_until": "write YYYY, YYYY-MM or YYYY-MM-DD in quotes",
    "applications_checked": "write the date you read the page, YYYY-MM-DD in quotes",
    "url": "write a full https:// address",
    "apply_url": "write a full https:// address",
    "sources": "list full https:// addresses of the pages that back the facts",
    "chat": "write full https:// addresses",
    "hub": "write the Hub repo id as owner/name, e.g. EleutherAI/gpt-j-6b",
    "github": "write owner/repo, e.g. EleutherAI/gpt-neox",
    "paper": "write an arXiv id such as 2101.00027 or a DOI such as 10.1038/s41586-021-03819-2",
    "parameters": "write e.g. 6B, 770M, 1.3e9 or an integer",
    "name": "give the variant a name, e.g. Llama 3.1 8B Instruct",
    "languages": "use ISO 639 codes such as en or fra, or multilingual, or code",
}
