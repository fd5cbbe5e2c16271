"""The licence table: ids, aliases (Hugging Face licence ids), categories, SPDX expressions.

A plain id or alias is looked up directly; only real expressions (`Apache-2.0 OR MIT`) go through
the maintained `license-expression` parser, which is imported on first need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from license_expression import Licensing

# From freest to most restrictive. OR takes the freest choice, AND the most restrictive part.
CATEGORIES = ("permissive", "copyleft", "open-rail", "community", "non-commercial", "proprietary",
              "unknown")
CATEGORY_LABELS = {
    "permissive": "permissive",
    "copyleft": "copyleft (share-alike)",
    "open-rail": "OpenRAIL (use restrictions)",
    "community": "community or custom terms",
    "non-commercial": "non-commercial",
    "proprietary": "proprietary",
    "unknown": "unknown",
}
ATTRIBUTES = ("commercial", "attribution", "share_alike", "use_restrictions", "patent_grant")


@dataclass(frozen=True)
class License:
    id: str
    name: str
    category: str
    spdx: bool = False
    url: str | None = None
    aliases: tuple[str, ...] = ()
    commercial: bool | None = None
    attribution: bool | None = None
    share_alike: bool | None = None
    use_restrictions: bool | None = None
    patent_grant: bool | None = None
    line: int = 0


@dataclass(frozen=True)
class Resolved:
    """What an entry's licence field means: its canonical form, licence ids and category."""

    text: str
    ids: tuple[str, ...]
    category: str
    commercial: bool | None


class LicenseError(ValueError):
    def __init__(self, message: str, unknown: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.unknown = unknown


@dataclass
class LicenseTable:
    licenses: dict[str, License] = field(default_factory=dict)
    _lookup: dict[str, str] = field(default_factory=dict)
    _licensing: Licensing | None = None
    _resolved: dict[str, Resolved | LicenseError] = field(default_factory=dict)

    @classmethod
    def from_data(cls, data: Any, lines: dict[int, int] | None = None) -> tuple[LicenseTable, list[str]]:
        """Build the table from the parsed YAML; returns the table and the problems found."""
        table = cls()
        problems: list[str] = []
        items = data.get("licenses") if isinstance(data, dict) else None
        if not isinstance(items, list):
            return table, ["the file must be a mapping with a `licenses:` list"]
        for index, item in enumerate(items):
            where = f"licence #{index + 1}"
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                problems.append(f"{where}: needs an `id`")
                continue
            if item.get("category") not in CATEGORIES:
                problems.append(f"{where} ({item['id']}): category must be one of {', '.join(CATEGORIES)}")
                continue
            unknown = set(item) - {"id", "name", "category", "spdx", "url", "aliases", *ATTRIBUTES}
            if unknown:
                problems.append(f"{where} ({item['id']}): unknown keys {', '.join(sorted(unknown))}")
            lic = License(
                id=item["id"], name=str(item.get("name") or item["id"]), category=item["category"],
                spdx=bool(item.get("spdx")), url=item.get("url"),
                aliases=tuple(str(a) for a in item.get("aliases") or ()),
                line=(lines or {}).get(index, 0),
                **{a: item.get(a) for a in ATTRIBUTES},
            )
            for name in dict.fromkeys(n.lower() for n in (lic.id, *lic.aliases)):
                key = name
                if key in table._lookup:
                    problems.append(f"{where} ({lic.id}): {name!r} is already used by "
                                    f"{table._lookup[key]}")
                table._lookup.setdefault(key, lic.id)
            table.licenses.setdefault(lic.id, lic)
        return table, problems

    def get(self, name: str) -> License | None:
        """The licence with this id or alias (case-insensitive)."""
        canonical = self._lookup.get(name.strip().lower())
        return self.licenses.get(canonical) if canonical else None

    def names(self) -> list[str]:
        return sorted({*self.licenses, *(a for lic in self.licenses.values() for a in lic.aliases)})

    def resolve(self, text: str) -> Resolved:
        """Resolve an id, alias or SPDX expression; raises LicenseError naming unknown parts."""
        lic = self.get(text)
        if lic is not None:
            return Resolved(lic.id, (lic.id,), lic.category, lic.commercial)
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
            raise LicenseError(f"not a licence id or SPDX expression: {exc}") from None
        except Exception as exc:  # the library raises a few internal types on odd input
            raise LicenseError(f"not a licence id or SPDX expression: {exc}") from None
        if parsed is None:
            raise LicenseError("empty licence")
        keys = tuple(licensing.license_keys(parsed, unique=True))
        unknown = tuple(k for k in keys if self.get(k) is None)
        if unknown:
            raise LicenseError(f"unknown licence {', '.join(unknown)}", unknown)
        category, commercial = self._fold(parsed)
        return Resolved(str(parsed), keys, category, commercial)

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
        if type(node).__name__ == "OR":
            best = min(ranks)
            return CATEGORIES[best], (True if True in commercial else
                                      (None if None in commercial else False))
        worst = max(ranks)
        return CATEGORIES[worst], (False if False in commercial else
                                   (None if None in commercial else True))

    def _licensing_instance(self) -> Licensing:
        if self._licensing is None:
            from license_expression import LicenseSymbol, Licensing

            symbols = [LicenseSymbol(lic.id, aliases=tuple(a for a in lic.aliases))
                       for lic in self.licenses.values()]
            self._licensing = Licensing(symbols)
        return self._licensing
