"""The licence table: ids, SPDX ids, Hub aliases, categories and what each licence allows.

An entry's `license` is an id or alias of catalog/licenses.yaml, or an SPDX expression of them
(`Apache-2.0 OR MIT`, `CC-BY-4.0 AND ODC-BY`, `GPL-2.0-only WITH Classpath-exception-2.0`). A plain
id is looked up directly; only real expressions go through the maintained `license-expression`
parser, imported on first need (measured: 12 ms for the import and the first parse, then about
0.1 ms an expression, so there is no reason to hand-roll a parser).

The category of an expression follows its operators: OR offers a choice, so the freest part
counts; AND asks for all, so the most restrictive part counts; `WITH` an exception keeps the
category of the licence it adds permissions to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

# From freest to most restrictive. OR takes the freest choice, AND the most restrictive part.
from openai_catalog._categories import CATEGORIES as CATEGORIES

if TYPE_CHECKING:
    from license_expression import Licensing

CATEGORY_LABELS = {
    "permissive": "permissive",
    "copyleft": "copyleft (share-alike)",
    "open-rail": "OpenRAIL (use restrictions)",
    "community": "community or custom terms",
    "non-commercial": "non-commercial",
    "proprietary": "proprietary",
    "unknown": "unknown",
}
# Categories whose licences let anyone use, study, change and share for any purpose: the OSI's
# and the Open Knowledge Foundation's idea of open, which the openness grades build on.
OPEN_CATEGORIES = frozenset({"permissive", "copyleft"})
ATTRIBUTES = ("commercial", "attribution", "share_alike", "use_restrictions", "patent_grant")
ATTRIBUTE_LABELS = {
    "commercial": "commercial use",
    "attribution": "attribution",
    "share_alike": "share-alike",
    "use_restrictions": "use restrictions",
    "patent_grant": "patent grant",
}
# For data licences: whether their terms reach models trained on the data (lineage.py reads it).
DATA_ATTRIBUTES = ("binds_trained_models",)
_KEYS = {"id", "name", "spdx", "url", "category", "aliases", "note", *ATTRIBUTES, *DATA_ATTRIBUTES}
_SPDX_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")

# Where a problem of the table is: a path into the YAML, e.g. ("licenses", 3, "spdx").
Where = tuple[str | int, ...]


@dataclass(frozen=True)
class License:
    id: str
    name: str
    category: str
    spdx: str | None = None
    url: str | None = None
    aliases: tuple[str, ...] = ()
    note: str | None = None
    commercial: bool | None = None
    attribution: bool | None = None
    share_alike: bool | None = None
    use_restrictions: bool | None = None
    patent_grant: bool | None = None
    binds_trained_models: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "spdx": self.spdx,
            "url": self.url,
            "category": self.category,
        }
        data.update({a: getattr(self, a) for a in ATTRIBUTES})
        data.update({a: getattr(self, a) for a in DATA_ATTRIBUTES if getattr(self, a) is not None})
        if self.note:
            data["note"] = self.note
        return data


@dataclass(frozen=True)
class LicenseException:
    """An SPDX licence exception (`... WITH LLVM-exception`): adds permissions, never removes them."""

    id: str
    name: str


@dataclass(frozen=True)
class Resolved:
    """What an entry's licence field means: its canonical form, its licences and its category."""

    text: str
    ids: tuple[str, ...]
    category: str
    commercial: bool | None
    licenses: tuple[License, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "expression": self.text,
            "category": self.category,
            "commercial": self.commercial,
            "licenses": [lic.as_dict() for lic in self.licenses],
        }


class LicenseError(ValueError):
    """A licence field that does not resolve; `unknown` names the parts, `hint` the nearest ids."""

    def __init__(
        self, message: str, unknown: tuple[str, ...] = (), hint: str | None = None
    ) -> None:
        super().__init__(message)
        self.unknown = unknown
        self.hint = hint


@dataclass(frozen=True)
class TableProblem:
    """One problem of the licence table, at a path into its YAML."""

    where: Where
    message: str
    hint: str | None = None


@dataclass
class LicenseTable:
    licenses: dict[str, License] = field(default_factory=dict)
    exceptions: dict[str, LicenseException] = field(default_factory=dict)
    _lookup: dict[str, str] = field(default_factory=dict)
    _licensing: Licensing | None = None
    _resolved: dict[str, Resolved | LicenseError] = field(default_factory=dict)

    @classmethod
    def from_data(cls, data: Any) -> tuple[LicenseTable, list[TableProblem]]:
        """Build the table from the parsed YAML; returns the table and every problem found."""
        table = cls()
        problems: list[TableProblem] = []
        items = data.get("licenses") if isinstance(data, dict) else None
        if not isinstance(items, list):
            return table, [TableProblem((), "the file must be a mapping with a `licenses:` list")]
        owners: dict[str, str] = {}  # lowercase name -> the licence or exception that has it
        spdx_owner: dict[str, str] = {}
        for index, item in enumerate(items):
            lic = _read_license(item, ("licenses", index), problems)
            if lic is None:
                continue
            if lic.id in table.licenses:
                problems.append(
                    TableProblem(
                        ("licenses", index, "id"),
                        f"id {lic.id!r} is listed twice",
                        "keep one entry per licence",
                    )
                )
                continue
            if lic.spdx:
                if lic.spdx.lower() in spdx_owner:
                    problems.append(
                        TableProblem(
                            ("licenses", index, "spdx"),
                            f"{lic.id}: SPDX id {lic.spdx!r} is already the SPDX id of "
                            f"{spdx_owner[lic.spdx.lower()]}",
                            "one licence per SPDX id; make the other an alias",
                        )
                    )
                spdx_owner.setdefault(lic.spdx.lower(), lic.id)
            names = [lic.id, *lic.aliases, *([lic.spdx] if lic.spdx else [])]
            for position, name in enumerate(dict.fromkeys(n.lower() for n in names)):
                if name in owners and owners[name] != lic.id:
                    where: Where = ("licenses", index, "id" if position == 0 else "aliases")
                    problems.append(
                        TableProblem(
                            where,
                            f"{lic.id}: {name!r} is already a name of {owners[name]}",
                            "ids, aliases and SPDX ids must name one licence each",
                        )
                    )
                    continue
                owners[name] = lic.id
                table._lookup[name] = lic.id
            table.licenses[lic.id] = lic
        for index, item in enumerate(data.get("exceptions") or []):
            at: Where = ("exceptions", index)
            if (
                not isinstance(item, dict)
                or not isinstance(item.get("id"), str)
                or not isinstance(item.get("name"), str)
            ):
                problems.append(TableProblem(at, "an exception needs an `id` and a `name`"))
                continue
            if set(item) - {"id", "name"}:
                problems.append(
                    TableProblem(
                        at,
                        f"exception {item['id']}: unknown keys "
                        f"{', '.join(sorted(set(item) - {'id', 'name'}))}",
                    )
                )
            if item["id"].lower() in owners:
                problems.append(
                    TableProblem(
                        (*at, "id"),
                        f"{item['id']!r} is already a name of {owners[item['id'].lower()]}",
                    )
                )
                continue
            owners[item["id"].lower()] = item["id"]
            table.exceptions[item["id"]] = LicenseException(item["id"], item["name"])
        return table, problems

    def get(self, name: str) -> License | None:
        """The licence with this id, alias or SPDX id (case-insensitive)."""
        canonical = self._lookup.get(name.strip().lower())
        return self.licenses.get(canonical) if canonical else None

    def names(self) -> list[str]:
        """Every id, SPDX id and alias that names a licence, sorted: what an entry may write."""
        found = {
            n
            for lic in self.licenses.values()
            for n in (lic.id, *lic.aliases, *([lic.spdx] if lic.spdx else []))
        }
        return sorted(found, key=lambda n: (n.lower(), n))

    def resolve(self, text: str) -> Resolved:
        """Resolve an id, alias or SPDX expression; raises LicenseError naming unknown parts."""
        lic = self.get(text)
        if lic is not None:
            return Resolved(lic.id, (lic.id,), lic.category, lic.commercial, (lic,))
        # Parsing an expression costs about a millisecond; catalogues repeat the same few.
        if text not in self._resolved:
            try:
                self._resolved[text] = self._resolve_expression(text)
            except LicenseError as exc:
                self._resolved[text] = exc
        outcome = self._resolved[text]
        if isinstance(outcome, LicenseError):
            raise outcome
        return outcome

    def _resolve_expression(self, text: str) -> Resolved:
        from license_expression import ExpressionError, ParseError

        licensing = self._licensing_instance()
        try:
            parsed = licensing.parse(text, validate=False, strict=True)
        except (ExpressionError, ParseError) as exc:
            raise self._parse_error(text, exc) from None
        except Exception as exc:  # the library raises a few internal types on odd input
            raise self._parse_error(text, exc) from None
        if parsed is None:
            raise LicenseError("empty licence")
        symbols = licensing.license_symbols(parsed, unique=True, decompose=True)
        unknown = tuple(s.key for s in symbols if not s.is_exception and self.get(s.key) is None)
        if unknown:
            raise self._unknown(unknown)

        licenses = tuple(
            dict.fromkeys(
                lic
                for s in symbols
                if not s.is_exception
                for lic in [self.get(s.key)]
                if lic is not None
            )
        )
        category, commercial = self._fold(parsed)
        return Resolved(
            str(parsed), tuple(lic.id for lic in licenses), category, commercial, licenses
        )

    def _unknown(self, names: tuple[str, ...]) -> LicenseError:
        from openai_catalog._util import did_you_mean

        return LicenseError(
            f"unknown licence {', '.join(names)}",
            names,
            did_you_mean(names[0], self.names())
            or "use an id of catalog/licenses.yaml, or add the licence there",
        )

    def _parse_error(self, text: str, exc: Exception) -> LicenseError:
        """What a parse failure means: a lone unknown word, an unknown exception, or bad syntax."""
        word = text.strip()
        if word and " " not in word and "(" not in word and ")" not in word:
            return self._unknown((word,))
        # The parser sees an unknown exception after WITH as a licence used in the wrong place.
        match = re.search(r'as an exception.*token: "([^"]+)"', str(exc))
        if match:
            from openai_catalog._util import did_you_mean

            name = match.group(1)
            return LicenseError(
                f"unknown licence exception {name}",
                (name,),
                did_you_mean(name, self.exceptions)
                or "add the exception under `exceptions:` in licenses.yaml",
            )
        return LicenseError(
            f"not a licence id or SPDX expression: {exc}",
            hint="join ids with AND, OR and WITH, e.g. Apache-2.0 OR MIT",
        )

    def _fold(self, node: Any) -> tuple[str, bool | None]:
        """Category and commercial use of a parsed expression: OR frees, AND restricts."""
        from license_expression import LicenseSymbol, LicenseWithExceptionSymbol

        if isinstance(node, LicenseWithExceptionSymbol):
            node = node.license_symbol
        if isinstance(node, LicenseSymbol):
            lic = self.get(node.key)
            assert lic is not None
            return lic.category, lic.commercial
        parts = [self._fold(arg) for arg in node.args]
        ranks = [CATEGORIES.index(c) for c, _ in parts]
        commercial = [c for _, c in parts]
        if node.operator.strip().upper() == "OR":
            return CATEGORIES[min(ranks)], _any(commercial)
        return CATEGORIES[max(ranks)], _all(commercial)

    def category_of(self, text: str | None) -> str | None:
        """The category of a licence field: None when there is none, `unknown` when it does not
        resolve (validation reports why)."""
        if text is None:
            return None
        try:
            return self.resolve(text).category
        except LicenseError:
            return "unknown"

    def requires(self, text: str, attribute: str) -> bool | None:
        """Whether a licence field asks for `attribute` (share_alike, use_restrictions): under OR
        only if every choice asks for it, under AND if any part does; None when not known. The
        text must resolve (see resolve)."""
        lic = self.get(text)
        if lic is not None:
            return getattr(lic, attribute)  # type: ignore[no-any-return]
        parsed = self._licensing_instance().parse(text, validate=False, strict=True)
        return self._fold_requirement(parsed, attribute)

    def _fold_requirement(self, node: Any, attribute: str) -> bool | None:
        from license_expression import LicenseSymbol, LicenseWithExceptionSymbol

        if isinstance(node, LicenseWithExceptionSymbol):
            node = node.license_symbol
        if isinstance(node, LicenseSymbol):
            lic = self.get(node.key)
            assert lic is not None
            return getattr(lic, attribute)  # type: ignore[no-any-return]
        parts = [self._fold_requirement(arg, attribute) for arg in node.args]
        return _all(parts) if node.operator.strip().upper() == "OR" else _any(parts)

    def _licensing_instance(self) -> Licensing:
        if self._licensing is None:
            from license_expression import LicenseSymbol, Licensing

            symbols = [
                LicenseSymbol(
                    lic.id,
                    aliases=tuple(
                        dict.fromkeys(
                            n
                            for n in (*lic.aliases, *([lic.spdx] if lic.spdx else []))
                            if n.lower() != lic.id.lower()
                        )
                    ),
                )
                for lic in self.licenses.values()
            ]
            symbols += [
                LicenseSymbol(exc.id, is_exception=True) for exc in self.exceptions.values()
            ]
            self._licensing = Licensing(symbols)
        return self._licensing


def _any(values: Iterable[bool | None]) -> bool | None:
    """Commercial use under OR: allowed if any choice allows it."""
    values = list(values)
    return True if True in values else (None if None in values else False)


def _all(values: Iterable[bool | None]) -> bool | None:
    """Commercial use under AND: allowed only if every part allows it."""
    values = list(values)
    return False if False in values else (None if None in values else True)


def _read_license(item: Any, at: Where, problems: list[TableProblem]) -> License | None:
    """One licence of the table, or None (with the reason in `problems`) when it is unusable."""
    if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"].strip():
        problems.append(TableProblem(at, "every licence needs an `id`"))
        return None
    lic_id = item["id"]
    usable = True
    for key in sorted(set(item) - _KEYS):
        from openai_catalog._util import did_you_mean

        problems.append(
            TableProblem((*at, key), f"{lic_id}: unknown key {key!r}", did_you_mean(key, _KEYS))
        )
    if item.get("name") is not None and not isinstance(item["name"], str):
        problems.append(TableProblem((*at, "name"), f"{lic_id}: `name` must be text"))
    if item.get("category") not in CATEGORIES:
        problems.append(
            TableProblem(
                (*at, "category"), f"{lic_id}: category must be one of {', '.join(CATEGORIES)}"
            )
        )
        usable = False
    spdx = item.get("spdx")
    if spdx is not None and not (isinstance(spdx, str) and _SPDX_ID.match(spdx)):
        problems.append(
            TableProblem(
                (*at, "spdx"),
                f"{lic_id}: `spdx` must be the SPDX id of the licence, not {spdx!r}",
                f"write e.g. `spdx: {lic_id}` (from https://spdx.org/licenses/), or leave it out "
                "when the licence has no SPDX id",
            )
        )
        spdx = None
    url = item.get("url")
    if url is not None and not (isinstance(url, str) and url.startswith("https://")):
        problems.append(TableProblem((*at, "url"), f"{lic_id}: `url` must be an https:// address"))
        url = None
    aliases = item.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        problems.append(
            TableProblem((*at, "aliases"), f"{lic_id}: `aliases` must be a list of names")
        )
        aliases = []
    note = item.get("note")
    if note is not None and not isinstance(note, str):
        problems.append(TableProblem((*at, "note"), f"{lic_id}: `note` must be text"))
        note = None
    attributes: dict[str, bool | None] = {}
    for name in (*ATTRIBUTES, *DATA_ATTRIBUTES):
        value = item.get(name)
        if value is not None and not isinstance(value, bool):
            problems.append(
                TableProblem(
                    (*at, name), f"{lic_id}: `{name}` must be true, false or null, not {value!r}"
                )
            )
            value = None
        attributes[name] = value
    if not usable:
        return None
    given = item.get("name")
    name = given if isinstance(given, str) and given.strip() else lic_id
    return License(
        id=lic_id,
        name=name,
        category=item["category"],
        spdx=spdx,
        url=url,
        aliases=tuple(aliases),
        note=note,
        **attributes,
    )
