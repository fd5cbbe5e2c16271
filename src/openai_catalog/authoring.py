"""Authoring a new entry: its fields, each value checked as it is given, duplicates, and a write
that never leaves an invalid or half-written file.

The fields come from the schema (`schema.ENTRY_TYPES`), so a field added there is at once a flag
of `catalog add` and, if required, a question. A `Draft` collects values from three places, in
order of precedence: what the user typed (flags or answers), then pre-filled values from a
source such as the Hugging Face Hub (`Draft.prefill`), and nothing is ever guessed beyond that.
`Draft.entry_text()` checks the whole entry against the whole catalogue before `write_entry`
creates the file.

Evidence is not a field like the others: each key fact (evidence.KEY_FACTS) gets a page and the
words on it that state the fact, given as `--evidence FIELD=URL::QUOTE` or, in a terminal, asked
for after the fields. With evidence, `sources` may be left out: evidence sources count as sources.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from openai_catalog._util import did_you_mean, suggest
from openai_catalog.errors import CatalogError, UsageError
from openai_catalog.schema import (
    ENTRY_TYPES,
    KIND_FOLDERS,
    RELATION_TARGET_KINDS,
    SLUG_RE,
    SUMMARY_MAX,
    SUMMARY_MIN,
    field_order,
)

if TYPE_CHECKING:
    from pydantic.fields import FieldInfo

    from openai_catalog.registry import Catalog
    from openai_catalog.rules import Finding

# Lists whose items may hold commas (addresses, sentences, names): one item a flag or a line.
UNSPLIT_LISTS = frozenset({"sources", "chat", "offers", "aliases"})
# Asked for when missing, beside the required fields: cheap to answer, valuable to readers, and
# skipped with Enter. Everything else is a flag only.
RECOMMENDED: dict[str, tuple[str, ...]] = {
    "model": ("by", "released", "hub", "modalities", "weights"),
    "dataset": ("by", "released", "hub", "access"),
    "compute": ("provider", "apply_url"),
    "tool": ("by", "github", "package", "category"),
    "community": ("type", "hub", "github"),
}
# Help for the fields whose form is not obvious from their name; examples for every question.
HELP: dict[str, str] = {
    "id": "lowercase slug, also the file name, e.g. gpt-j-6b (default: made from the name)",
    "name": "the name people use, e.g. GPT-J-6B",
    "summary": f"one sentence in your own words, {SUMMARY_MIN}-{SUMMARY_MAX} characters",
    "description": "optional longer markdown",
    "url": "https homepage, e.g. https://huggingface.co/EleutherAI/gpt-j-6b",
    "by": "ids of the communities that made or run it, e.g. eleutherai",
    "released": "first public release: YYYY, YYYY-MM or YYYY-MM-DD",
    "license": "a licence id or SPDX expression, e.g. Apache-2.0, MIT, llama3.1, Apache-2.0 OR MIT",
    "hub": "Hugging Face repo id, e.g. EleutherAI/gpt-j-6b (an organisation for a community)",
    "github": "GitHub owner/repo, e.g. EleutherAI/gpt-neox",
    "paper": "arXiv id such as 2101.00027, or a DOI",
    "tags": "lowercase slugs, e.g. language-model, text-generation",
    "modalities": "what it reads or makes",
    "aliases": "former or other names",
    "status_note": "what happened and when (for a status other than active)",
    "superseded_by": "id of the entry that replaces it",
    "sources": "https pages that back the facts, e.g. the model card (may be left out when "
    "--evidence backs the facts)",
    "evidence": "FIELD=URL::QUOTE: the page that states a fact and its words copied verbatim "
    "(at most 300 characters), e.g. 'license=https://huggingface.co/EleutherAI/"
    "gpt-j-6b::The weights are licensed under the Apache License, Version 2.0'",
    "code_license": "the code's licence where it differs from the weights', e.g. MIT",
    "data_license": "the released training data's licence where it differs, e.g. ODC-By-1.0",
    "parameters": "e.g. 6B, 770M, 1.3e9 or an integer",
    "context_length": "tokens, e.g. 2048",
    "languages": "ISO 639 codes such as en or fra, or multilingual, or code",
    "offers": "what it grants, e.g. GPU-hours on A100 nodes",
    "apply_url": "https page where one applies",
    "active_from": "YYYY, YYYY-MM or YYYY-MM-DD",
    "active_until": "YYYY, YYYY-MM or YYYY-MM-DD",
    "package": "PyPI name, e.g. transformers",
    "language": "programming language, e.g. Python",
    "founded": "YYYY, YYYY-MM or YYYY-MM-DD",
    "chat": "https links to its Discord, forum or chat",
    "tokens": "dataset size in tokens, e.g. 1.3T",
    "bytes": "dataset size, e.g. 825GB or 1.2TiB",
    "hours": "hours of audio or video",
}
_DATES = frozenset({"released", "founded", "active_from", "active_until"})


class FieldError(UsageError):
    """A value that does not fit its field; `hint` says what would."""


class DuplicateEntry(CatalogError):
    """The catalogue already has this artifact (same id, Hub repo, GitHub repo or homepage)."""


class InvalidEntry(CatalogError):
    """The finished entry does not validate against the catalogue; `findings` say why."""

    def __init__(self, message: str, findings: list[Finding], hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.findings = findings


@dataclass(frozen=True)
class FieldSpec:
    """One field as `catalog add` offers it: a flag, maybe a question, and how to check it."""

    name: str
    path: tuple[str, ...]  # where it lives in the entry: ("license",) or ("relations", "uses")
    info: FieldInfo = field(repr=False, compare=False)
    required: bool = False
    multiple: bool = False
    choices: tuple[str, ...] = ()

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def split(self) -> bool:
        """Whether one answer may list several values separated by commas."""
        return self.multiple and self.name not in UNSPLIT_LISTS

    @property
    def help(self) -> str:
        text = HELP.get(self.name) or self.info.description or ""
        if self.choices:
            text += (
                ("; " if text else "")
                + ("any of: " if self.multiple else "one of: ")
                + ", ".join(self.choices)
            )
        return text or self.name.replace("_", " ")

    @cached_property
    def adapter(self) -> Any:
        from pydantic import TypeAdapter

        return TypeAdapter(self.info.rebuild_annotation())


def _choices(annotation: Any) -> tuple[str, ...]:
    """The allowed values of an enum field (or of a list of enums)."""
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return tuple(str(m.value) for m in annotation)
    for arg in get_args(annotation):
        found = _choices(arg)
        if found:
            return found
    return ()


def _is_list(annotation: Any) -> bool:
    if getattr(annotation, "__origin__", None) is list:
        return True
    return any(_is_list(a) for a in get_args(annotation) if a is not type(None))


def fields_for(kind: str) -> list[FieldSpec]:
    """Every field a `kind` entry may have, in file order, nested blocks flattened (`uses` for
    relations.uses, `tokens` for size.tokens); `kind` itself is left out, being the command."""
    from pydantic import BaseModel

    if kind not in ENTRY_TYPES:
        raise UsageError(
            f"unknown kind {kind!r}",
            did_you_mean(kind, ENTRY_TYPES) or f"use one of {', '.join(ENTRY_TYPES)}",
        )
    model = ENTRY_TYPES[kind]
    specs: list[FieldSpec] = []
    for name in field_order(kind):
        if name in ("kind", "evidence", "variants"):
            continue  # the command itself; evidence has a form of its own; variants are a table
        # written in the file (one flag per variant field could not say which variant it is for)
        info = model.model_fields[name]
        nested = [
            a
            for a in (info.annotation, *get_args(info.annotation))
            if isinstance(a, type) and issubclass(a, BaseModel)
        ]
        if nested:
            for sub, sub_info in nested[0].model_fields.items():
                specs.append(
                    FieldSpec(
                        sub,
                        (name, sub),
                        sub_info,
                        False,
                        _is_list(sub_info.annotation),
                        _choices(sub_info.annotation),
                    )
                )
            continue
        # `sources` is asked for unless evidence gives the sources (see Draft.missing)
        specs.append(
            FieldSpec(
                name,
                (name,),
                info,
                info.is_required() or name == "sources",
                _is_list(info.annotation),
                _choices(info.annotation),
            )
        )
    return specs


def slugify(name: str) -> str:
    """An id made from a name: `GPT-J 6B` -> `gpt-j-6b`."""
    import unicodedata

    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", text))[:80].strip("-")


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


# --- one value --------------------------------------------------------------------------------


def parse_value(
    spec: FieldSpec, raw: Any, kind: str, catalog: Catalog, today: dt.date | None = None
) -> Any:
    """Check one value (text as typed, a list of such, or a value from a pre-fill source) and
    return it as the entry stores it; FieldError says what is wrong and how to fix it."""
    from pydantic import ValidationError

    value = _split(spec, raw)
    if value in (None, "", []):
        if spec.required:
            raise FieldError(f"{spec.name} is required", HELP.get(spec.name))
        return None
    if spec.choices:
        items = value if isinstance(value, list) else [value]
        for item in items:
            if str(item) not in spec.choices:
                raise FieldError(
                    f"{spec.name}: {item!r} is not one of {', '.join(spec.choices)}",
                    did_you_mean(str(item), spec.choices),
                )
    try:
        checked = spec.adapter.validate_python(value)
    except ValidationError as exc:
        raise _explain(spec, exc) from None
    result = spec.adapter.dump_python(checked, mode="json")
    return _check_in_catalog(spec, result, kind, catalog, today or dt.date.today())


def _split(spec: FieldSpec, raw: Any) -> Any:
    if isinstance(raw, str):
        raw = raw.strip()
    if not spec.multiple:
        return raw
    items = raw if isinstance(raw, (list, tuple)) else ([] if raw in (None, "") else [raw])
    out: list[Any] = []
    for item in items:
        if isinstance(item, str):
            parts = item.split(",") if spec.split else [item]
            out.extend(p.strip() for p in parts if p.strip())
        else:
            out.append(item)
    if all(isinstance(item, (str, int, float)) for item in out):
        out = list(dict.fromkeys(out))  # the same value twice is one
    return out


def _explain(spec: FieldSpec, exc: Any) -> FieldError:
    from openai_catalog.schema import _PATTERN_HINTS

    err = exc.errors()[0]
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "string_pattern_mismatch":
        message = f"{err.get('input')!r} is not a valid value"
    elif err["type"] == "too_short" and spec.multiple:
        message = "give at least one"
    return FieldError(
        f"{spec.name}: {message}", _PATTERN_HINTS.get(spec.name) or HELP.get(spec.name)
    )


def _check_in_catalog(
    spec: FieldSpec, value: Any, kind: str, catalog: Catalog, today: dt.date
) -> Any:
    """What the schema alone cannot know: licences, references, dates, lengths, taken ids.
    Returns the value as stored: a licence named by an alias or in other case becomes its id."""
    from openai_catalog.checks.catalog import _check_date
    from openai_catalog.licenses import LicenseError

    name = spec.name
    if name == "id":
        if not SLUG_RE.match(value):
            raise FieldError(
                f"id {value!r} is not a lowercase slug", f"e.g. {slugify(value) or 'gpt-j-6b'}"
            )
        other = catalog.by_id.get(value)
        if other is not None:
            raise DuplicateEntry(
                f"the catalogue already has an entry with the id {value!r} ({other.display})",
                f"see: catalog show {value}; if yours is a "
                "different artifact, choose another id with --id",
            )
    elif name == "summary" and not SUMMARY_MIN <= len(value) <= SUMMARY_MAX:
        raise FieldError(
            f"summary has {len(value)} characters; it needs {SUMMARY_MIN} to {SUMMARY_MAX}",
            "say in one sentence what it is and why it matters; details go in --description",
        )
    elif name in ("license", "code_license", "data_license"):
        try:
            catalog.licenses.resolve(value)
        except LicenseError as exc:
            raise FieldError(f"{name}: {exc}", exc.hint) from None
        lic = catalog.licenses.get(value)
        return lic.id if lic is not None else value
    elif name in _DATES:
        problem = _check_date(value, today)
        if problem == "not-real":
            raise FieldError(
                f"{name} {value!r} is not a real date",
                "check the month and the day: YYYY, YYYY-MM or YYYY-MM-DD",
            )
        if problem:
            raise FieldError(
                f"{name} {value!r} is in the future",
                f"today is {today.isoformat()}; give the date it happened",
            )
    elif name == "tags":
        for tag in value:
            if not SLUG_RE.match(tag) or len(tag) > 40:
                raise FieldError(
                    f"tag {tag!r} is not a lowercase slug", f"write it as {slugify(tag)!r}"
                )
    targets = {
        "by": frozenset({"community"}),
        "superseded_by": frozenset({kind}),
        **RELATION_TARGET_KINDS,
    }
    if name in targets:
        for target in value if isinstance(value, list) else [value]:
            _check_reference(catalog, target, targets[name], name)
    return value


def _check_reference(catalog: Catalog, target: str, allowed: frozenset[str], label: str) -> None:
    record = catalog.by_id.get(target)
    if record is None or record.entry is None:
        fitting = [e.id for e in catalog.entries() if e.kind in allowed]
        raise FieldError(
            f"{label}: no entry has the id {target!r}",
            did_you_mean(target, fitting)
            or f"add an entry {target!r} first (catalog add {sorted(allowed)[0]}), or fix the id",
        )
    if record.entry.kind not in allowed:
        raise FieldError(
            f"{label}: {target!r} is a {record.entry.kind}",
            f"{label} takes {' or '.join(sorted(allowed))} entries",
        )


def choices_for(spec: FieldSpec, kind: str, catalog: Catalog) -> list[str]:
    """What a question may offer: enum values, licence ids, or ids of fitting entries."""
    if spec.choices:
        return list(spec.choices)
    if spec.name == "license":
        return sorted(catalog.licenses.licenses)
    allowed = {"by": {"community"}, "superseded_by": {kind}, **RELATION_TARGET_KINDS}.get(spec.name)
    if allowed:
        return [e.id for e in catalog.entries() if e.kind in allowed]
    return []


# --- the whole entry --------------------------------------------------------------------------


@dataclass
class Draft:
    """A new entry being put together: values by field name, with where each came from."""

    kind: str
    catalog: Catalog
    values: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    shared_url: bool = False  # the homepage is knowingly shared with an entry of the same kind
    evidence: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    # Values a source inferred rather than stated: defaults of the questions, never written unasked.
    suggested: dict[str, str] = field(default_factory=dict)

    @cached_property
    def specs(self) -> dict[str, FieldSpec]:
        return {spec.name: spec for spec in fields_for(self.kind)}

    def set(self, name: str, raw: Any, origin: str = "you") -> None:
        """Check and set one value; FieldError (or DuplicateEntry for a taken id) if it is wrong."""
        spec = self.specs.get(name)
        if spec is None:
            raise FieldError(
                f"a {self.kind} has no field {name!r}",
                did_you_mean(name, self.specs) or f"see: catalog add {self.kind} --help",
            )
        value = parse_value(spec, raw, self.kind, self.catalog)
        if value is None:
            self.values.pop(name, None)
            self.origins.pop(name, None)
            return
        self.values[name] = value
        self.origins[name] = origin
        if name in ("hub", "github", "url"):
            dupes = self.duplicates()
            if dupes:
                raise DuplicateEntry(
                    f"already in the catalogue: {'; '.join(dupes)}", _DUPLICATE_HINT
                )

    def prefill(
        self,
        values: dict[str, Any],
        origin: str,
        evidence: dict[str, list[dict[str, str]]] | None = None,
        suggestions: dict[str, str] | None = None,
    ) -> list[str]:
        """Merge values from a pre-fill source (such as the Hub) under those already set: a
        field the user gave keeps the user's value. Values that do not check out are left out,
        each with a note in the returned list, so that the question is asked instead. Evidence
        from the source backs only the values this source filled; its suggestions become the
        defaults of the questions still to ask."""
        notes = []
        for name, value in (suggestions or {}).items():
            self.suggested.setdefault(name, value)
        for name, raw in values.items():
            if name in self.values or raw in (None, "", []):
                continue
            try:
                self.set(name, raw, origin)
            except FieldError as exc:  # a DuplicateEntry goes on: the artifact is already listed
                notes.append(f"{origin}: left out {name} ({exc.message})")
        for name, items in (evidence or {}).items():
            if self.origins.get(name) != origin:
                continue
            for item in items:
                try:
                    self.add_evidence(name, item["source"], item["quote"])
                except FieldError as exc:
                    notes.append(f"{origin}: left out evidence for {name} ({exc.message})")
        return notes

    def add_evidence(self, name: str, source: str, quote: str) -> None:
        """Back the field `name` with a page and its words; FieldError if either does not fit."""
        from pydantic import ValidationError

        from openai_catalog.schema import Evidence, evidence_keys

        allowed = evidence_keys(self.kind)
        if name not in allowed:
            raise FieldError(
                f"evidence: a {self.kind} has no field {name!r} to back",
                did_you_mean(name, allowed) or f"fields: {', '.join(allowed)}",
            )
        try:
            item = Evidence(source=source.strip(), quote=quote.strip())
        except ValidationError as exc:
            err = exc.errors()[0]
            what = str(err["loc"][0])
            message = (
                err["msg"]
                if err["type"] != "string_pattern_mismatch"
                else f"{err.get('input')!r} is not a full https:// address"
            )
            raise FieldError(f"evidence for {name}: {what}: {message}", HELP["evidence"]) from None
        items = self.evidence.setdefault(name, [])
        if item.model_dump() not in items:
            items.append(item.model_dump())

    def add_evidence_flag(self, raw: str) -> None:
        """One `--evidence FIELD=URL::QUOTE`."""
        name, equals, rest = raw.partition("=")
        source, colons, quote = rest.partition("::")
        if not equals or not colons:
            raise FieldError(f"--evidence {raw!r}: write FIELD=URL::QUOTE", HELP["evidence"])
        self.add_evidence(name.strip(), source, quote)

    def unbacked(self) -> list[str]:
        """The key facts of the draft that no evidence backs yet."""
        from openai_catalog.checks.evidence import needed_facts

        return [name for name in needed_facts(self.kind, self.data()) if name not in self.evidence]

    def missing(self, recommended: bool = True) -> list[FieldSpec]:
        """The fields still to ask for: required ones, then (optionally) recommended ones; the
        name before the id, so that the id can default to one made from it. `sources` is not
        needed once evidence gives pages."""
        wanted = [
            s
            for s in self.specs.values()
            if s.required
            and s.name not in self.values
            and not (s.name == "sources" and self.evidence)
        ]
        if recommended:
            wanted += [
                self.specs[n]
                for n in RECOMMENDED.get(self.kind, ())
                if n in self.specs and n not in self.values
            ]
        wanted.sort(key=lambda s: (not s.required, s.name != "name"))
        return wanted

    def data(self) -> dict[str, Any]:
        """The entry as plain data, nested blocks rebuilt."""
        data: dict[str, Any] = {"kind": self.kind}
        for name, value in self.values.items():
            path = self.specs[name].path
            if len(path) == 1:
                data[name] = value
            else:
                data.setdefault(path[0], {})[path[1]] = value
        if self.evidence:
            data["evidence"] = {name: list(items) for name, items in self.evidence.items()}
        return data

    @property
    def path(self) -> Path:
        return self.catalog.root / KIND_FOLDERS[self.kind] / f"{self.values.get('id', '')}.yaml"

    def duplicates(self) -> list[str]:
        """Entries that already are this artifact: same id, Hub repo (an entry's own or one of
        its variants'), GitHub repo, or homepage (of an entry of the same kind)."""
        found = []
        mine = self.values
        for record in self.catalog.records:
            entry = record.entry
            if entry is None:
                continue
            if mine.get("id") == entry.id:
                found.append(f"id {entry.id!r} is taken by {record.display}")
            if mine.get("hub") and (self.kind == "community") == (entry.kind == "community"):
                wanted = mine["hub"].lower()
                if entry.hub and wanted == entry.hub.lower():
                    found.append(f"Hub repo {mine['hub']} is {entry.id!r} ({record.display})")
                else:
                    variant = next(
                        (
                            v
                            for v in getattr(entry, "variants", ())
                            if (v.hub or "").lower() == wanted
                        ),
                        None,
                    )
                    if variant is not None:
                        found.append(
                            f"Hub repo {mine['hub']} is {entry.id!r} ({record.display}), "
                            f"as its variant {variant.name}"
                        )
            if (
                mine.get("github")
                and entry.github
                and mine["github"].lower() == entry.github.lower()
            ):
                found.append(f"GitHub repo {mine['github']} is {entry.id!r} ({record.display})")
            # A homepage is shared now and then by a family (esm-2 and esmfold) and by a maker and
            # its programme, so only the same kind counts, and --shared-url says it is meant.
            if (
                mine.get("url")
                and entry.url
                and entry.kind == self.kind
                and not self.shared_url
                and _url_key(mine["url"]) == _url_key(entry.url)
            ):
                found.append(
                    f"homepage {mine['url']} is {entry.id!r} ({record.display}); if "
                    "both share it, add --shared-url"
                )
        return found

    def similar_names(self) -> list[str]:
        """Ids of entries whose name or aliases look like this one's (worth a second look)."""
        name = self.values.get("name")
        if not name:
            return []
        mine = {_key(name), *(_key(a) for a in self.values.get("aliases", []))}
        names: dict[str, str] = {}
        near = []
        for entry in self.catalog.entries():
            variants = getattr(entry, "variants", ())
            for other in (entry.name, *entry.aliases, *(v.name for v in variants)):
                if _key(other) in mine:
                    near.append(entry.id)
                names.setdefault(other.lower(), entry.id)
        near += [names[n.lower()] for n in suggest(name, names, n=3, cutoff=0.85)]
        return list(dict.fromkeys(near))

    def entry_text(self) -> tuple[str, list[Finding]]:
        """The file text, checked against the whole catalogue as if it were already in it.
        Raises DuplicateEntry or InvalidEntry; returns the text and any warnings."""
        from openai_catalog.checks import validate_catalog
        from openai_catalog.fmt import format_data
        from openai_catalog.registry import Catalog, record_from_text

        if "id" not in self.values and self.values.get("name"):
            self.set("id", slugify(self.values["name"]))
        dupes = self.duplicates()
        if dupes:
            raise DuplicateEntry(f"already in the catalogue: {'; '.join(dupes)}", _DUPLICATE_HINT)
        missing = [s.flag for s in self.missing(recommended=False)]
        if missing:
            raise FieldError(
                f"missing {', '.join(missing)}",
                "give them as flags, or run `catalog add` in a terminal to be asked",
            )
        text = format_data(self.data())
        record = record_from_text(self.path, text)
        whole = Catalog(
            self.catalog.root,
            [*self.catalog.records, record],
            self.catalog.licenses,
            self.catalog.license_findings,
            self.catalog.licenses_path,
        )
        findings = validate_catalog(whole, only=[self.path])
        errors = [f for f in findings if f.severity == "error"]
        if errors:
            raise InvalidEntry(
                f"the entry would not validate ({len(errors)} "
                f"problem{'s' * (len(errors) != 1)}); nothing was written",
                errors,
                "fix the values named above and run the command again",
            )
        return text, findings


_DUPLICATE_HINT = (
    "improve the existing entry instead (edit its file and open a pull request); if "
    "yours is a different artifact, give it its own homepage and id"
)


def _url_key(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url.strip().lower()).rstrip("/")


def write_entry(path: Path, text: str) -> None:
    """Create the entry file atomically; never replaces an existing file."""
    from openai_catalog._util import write_atomic

    try:
        write_atomic(path, text, exclusive=True)
    except FileExistsError:
        raise DuplicateEntry(
            f"{path} already exists; nothing was written",
            "edit that file instead, or choose another id",
        ) from None


def next_steps(path: Path, entry_id: str, kind: str) -> list[tuple[str, str]]:
    """What a contributor does after `catalog add`, up to the pull request: (what, command)."""
    from openai_catalog.locate import display_path

    shown = display_path(path)
    branch = f"add-{entry_id}"
    return [
        ("check it against the catalogue", f"catalog validate {shown}"),
        ("after any edit by hand, tidy it", f"catalog fmt {shown}"),
        ("commit it on a branch of its own", f"git checkout -b {branch}"),
        ("", f"git add {shown}"),
        ("", f'git commit -m "Add {entry_id} ({kind})"'),
        ("", f"git push -u origin {branch}"),
        (
            "open a pull request; its template lists what reviewers check",
            "gh pr create --fill   (or use the link that git push prints)",
        ),
    ]


# --- asking -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One question of `catalog add`: what to show, and what an empty answer means."""

    name: str
    help: str
    required: bool
    default: str | None = None
    choices: tuple[str, ...] = ()
    one_per_line: bool = False  # a list asked item by item, an empty answer ending it
    number: int = 0  # which item of such a list


Ask = Callable[[Question], str]
Complain = Callable[[CatalogError], None]


def ask_kind(ask: Ask, complain: Complain) -> str:
    """Ask which kind of entry to add until the answer is one."""
    question = Question("kind", "what to add", True, choices=tuple(ENTRY_TYPES))
    while True:
        answer = ask(question).strip().lower()
        if answer in ENTRY_TYPES:
            return answer
        complain(
            UsageError(
                f"{answer!r} is not a kind" if answer else "the kind is required",
                did_you_mean(answer, ENTRY_TYPES) or f"one of {', '.join(ENTRY_TYPES)}",
            )
        )


def interview(draft: Draft, ask: Ask, complain: Complain, recommended: bool = True) -> None:
    """Ask for every field still missing, checking each answer at once and asking again, with
    the reason, until it fits. Optional questions are skipped with an empty answer. A duplicate
    (DuplicateEntry) ends the interview: there is nothing to add."""
    for spec in draft.missing(recommended):
        if spec.name in draft.values:
            continue
        default = (
            slugify(draft.values.get("name", ""))
            if spec.name == "id"
            else draft.suggested.get(spec.name)
        )
        question = Question(
            spec.name,
            spec.help + ("; comma-separated" if spec.split else ""),
            spec.required,
            default or None,
            tuple(choices_for(spec, draft.kind, draft.catalog)),
            spec.multiple and not spec.split,
        )
        if question.one_per_line:
            _ask_items(draft, spec, question, ask, complain)
            continue
        while True:
            answer = ask(question).strip() or (default or "")
            if not answer and not spec.required:
                break
            try:
                draft.set(spec.name, answer)
                break
            except FieldError as exc:
                complain(exc)


def ask_evidence(draft: Draft, ask: Ask, complain: Complain) -> None:
    """For each key fact still unbacked, ask for the page that states it and its words; an
    empty page skips the fact (validate will say it lacks evidence)."""
    for name in draft.unbacked():
        value = draft.data().get(name)
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        page = Question(
            f"source of {name}",
            f"the https page that states {name}: {shown} (the "
            "maker's card, repository, site or paper)",
            False,
        )
        while True:
            source = ask(page).strip()
            if not source:
                break
            words = Question(
                f"quote for {name}",
                "the words on that page that state it, copied verbatim (at most 300 characters)",
                True,
            )
            quote = ask(words).strip()
            try:
                draft.add_evidence(name, source, quote)
                break
            except FieldError as exc:
                complain(exc)


def _ask_items(
    draft: Draft, spec: FieldSpec, question: Question, ask: Ask, complain: Complain
) -> None:
    items: list[Any] = []
    while True:
        answer = ask(replace(question, number=len(items) + 1, required=spec.required and not items))
        answer = answer.strip()
        if not answer:
            if items or not spec.required:
                return
            complain(FieldError(f"{spec.name}: give at least one", HELP.get(spec.name)))
            continue
        try:
            draft.set(spec.name, [*items, answer])
            items = list(draft.values[spec.name])
        except FieldError as exc:
            complain(exc)
