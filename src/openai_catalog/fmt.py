"""Canonical formatting of entry files: key order, layout, quoting and the schema line.

The canonical form is the one the catalogue is written in: the schema line first; keys in
`schema.field_order` (unknown keys kept at the end, so that `validate` still reports them);
two-space indentation; short lists inline (`tags: [a, b]`) and lists of addresses or sentences
(`sources`, `chat`, `offers`) one item a line; a model's `variants` just after `parameters`, each
item's keys in schema order (name, hub, parameters, tuning, aliases); `evidence` just before
`sources`, its fields in schema order and each item as `- source:` then `quote:` (always in double
quotes); multi-line text as a `|` block; a string quoted, with double quotes, only when YAML would
otherwise read it as something else (`"2021"`).

Comments are kept. PyYAML drops them and ruamel.yaml ties each comment to the key *before* it,
so reordering keys would move comments to the wrong place; instead the file is parsed once by
the strict loader (for the data and the position of every key and item) and once more as events
(for where each scalar lies, so that a `#` outside every scalar is known to start a comment). A
comment on its own line belongs to the key or item that follows it, one at the end of a line to
the key or item that starts on that line, and both travel with it when keys are reordered.

Every result is checked before it is returned: parsed again, it must give exactly the same data
(types included) and the same comments, or the file is refused rather than changed.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from openai_catalog import _yaml
from openai_catalog.errors import CatalogError
from openai_catalog.rules import Finding
from openai_catalog.schema import ENTRY_TYPES, FOLDER_KINDS, SCHEMA_HEADER, field_order

PathKey = tuple[str | int, ...]

# Lists whose items are addresses or sentences read best one a line; every other list of plain
# values is written inline, as in the rest of the catalogue.
BLOCK_LISTS = frozenset({"sources", "chat", "offers"})
INDENT = 2

_HEADER_RE = re.compile(r"#\s*yaml-language-server:\s*\$schema=")
_FIRST_NOT_PLAIN = frozenset("-?:,[]{}#&*!|>'\"%@` \t")
_FLOW_NOT_PLAIN = frozenset(",[]{}:")
_BLOCK_HEADER_COMMENT = re.compile(r"[|>][0-9+-]*[ \t]+(#.*)$")
_YAML11 = yaml.resolver.Resolver()


class FormatError(CatalogError):
    """An entry file that cannot be formatted without risk: broken YAML, or data the
    formatter would change (a bug: the file is left as it was)."""


@dataclass
class Formatted:
    """One file's formatting: its text before and after, or the problem that stopped it."""

    path: Path
    display: str
    original: str | None
    text: str | None = None
    problem: Finding | None = None
    skipped: CatalogError | None = None  # formatted, but the file could not be replaced: why

    @property
    def changed(self) -> bool:
        return self.text is not None and self.text != self.original and self.skipped is None

    @property
    def would_change(self) -> bool:
        return self.text is not None and self.text != self.original


def format_text(text: str, display: str = "<entry>") -> str:
    """The canonical form of an entry file's text; raises FormatError when it cannot be made."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    doc = _yaml.parse_text(text, display)
    _refuse_findings(doc.findings, display)
    if not isinstance(doc.data, dict):
        raise FormatError(
            f"{display}: an entry is a mapping of fields", "catalog validate " + display
        )
    comments = _find_comments(text)
    emitter = _Emitter(doc, comments)
    out = emitter.emit()
    _verify(doc.data, comments, out, display)
    return out


def format_data(data: dict[str, Any]) -> str:
    """A new entry file for `data`, in canonical form (checked like any formatting)."""
    doc = _yaml.Document(data=data)
    out = _Emitter(doc, []).emit()
    _verify(data, [], out, "<new entry>")
    return out


def format_file(path: Path, display: str | None = None) -> Formatted:
    """Format one file in memory (nothing is written); problems come back, never raise."""
    from openai_catalog.locate import display_path
    from openai_catalog.rules import YamlSyntax

    display = display or display_path(path)
    if path.parent.name not in FOLDER_KINDS:
        from openai_catalog.rules import OutsideKindFolder

        return Formatted(
            path,
            display,
            None,
            problem=OutsideKindFolder.at(
                display,
                0,
                0,
                "not an entry file, so not formatted",
                "entries live in catalog/<kind folder>/, e.g. catalog/models/; other files keep their form",
            ),
        )
    from openai_catalog.registry import EntryGate

    raw, problem = EntryGate().read(path, display)
    if problem is not None or raw is None:
        return Formatted(path, display, None, problem=problem)
    text, problem = _yaml.decode(raw, display)
    if problem is not None or text is None:
        return Formatted(path, display, None, problem=problem)
    original = raw.decode("utf-8")
    try:
        return Formatted(path, display, original, format_text(text, display))
    except _Unformattable as exc:
        return Formatted(path, display, original, problem=exc.finding)
    except FormatError as exc:
        return Formatted(
            path, display, original, problem=YamlSyntax.at(display, 1, 1, exc.message, exc.hint)
        )


class _Unformattable(FormatError):
    def __init__(self, finding: Finding) -> None:
        super().__init__(
            f"{finding.path}:{finding.line}:{finding.col}: {finding.message}", finding.hint
        )
        self.finding = finding


def _refuse_findings(findings: list[Finding], display: str) -> None:
    """The loader's findings mean lost or unsafe data (a dropped duplicate key, an alias read as
    nothing): formatting would bake that in, so the file must be fixed by hand first."""
    if findings:
        first = findings[0]
        hint = (first.hint + "; " if first.hint else "") + f"then run: catalog fmt {display}"
        raise _Unformattable(
            Finding(
                first.rule, first.severity, first.path, first.line, first.col, first.message, hint
            )
        )


# --- comments ---------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class _Comment:
    line: int  # 0-based
    col: int
    text: str
    own_line: bool


def _find_comments(text: str) -> list[_Comment]:
    """Every comment of the text: a `#` that lies outside every scalar starts one."""
    lines = text.split("\n")
    covered: dict[int, list[tuple[int, int]]] = {}

    def cover(line: int, start: int, end: int) -> None:
        covered.setdefault(line, []).append((start, end))

    header_comments: list[_Comment] = []
    for event in _yaml._events(text):
        if not isinstance(event, yaml.ScalarEvent):
            continue
        start: Any = event.start_mark
        end: Any = event.end_mark
        (l0, c0), (l1, c1) = (start.line, start.column), (end.line, end.column)
        if event.style in ("|", ">"):
            header = _BLOCK_HEADER_COMMENT.match(lines[l0][c0:])
            if header:
                col = c0 + header.start(1)
                header_comments.append(_Comment(l0, col, header.group(1).rstrip(), False))
            cover(l0, c0, len(lines[l0]))
            l0, c0 = l0 + 1, 0
        if l0 == l1:
            cover(l0, c0, c1)
            continue
        cover(l0, c0, len(lines[l0]) if l0 < len(lines) else 0)
        for middle in range(l0 + 1, min(l1, len(lines))):
            cover(middle, 0, len(lines[middle]))
        if l1 < len(lines):
            cover(l1, 0, c1)
    found = list(header_comments)
    for number, line in enumerate(lines):
        start = 0
        while (col := line.find("#", start)) != -1:
            if any(a <= col < b for a, b in covered.get(number, ())):
                start = col + 1
                continue
            found.append(_Comment(number, col, line[col:].rstrip(), not line[:col].strip()))
            break
    return sorted(found)


@dataclass
class _Attached:
    leading: dict[PathKey, list[str]] = field(default_factory=dict)
    trailing: dict[PathKey, str] = field(default_factory=dict)
    tail: list[str] = field(default_factory=list)


def _attach(doc: _yaml.Document, comments: list[_Comment]) -> _Attached:
    """Tie each comment to the key or item it describes, so that it moves with it."""
    nodes = sorted(
        (line - 1, col - 1, len(path), path) for path, (line, col) in doc.positions.items() if path
    )
    starts: dict[int, PathKey] = {}
    for line, _col, _depth, path in nodes:
        if line not in starts or len(path) < len(starts[line]):
            starts[line] = path
    keys = [(line, col) for line, col, _depth, _path in nodes]
    first = keys[0] if keys else (len(comments), 0)
    out = _Attached()
    for comment in comments:
        if (
            comment.own_line
            and (comment.line, comment.col) < first
            and _HEADER_RE.match(comment.text)
        ):
            continue  # the schema line: always written anew, first
        owner = starts.get(comment.line)
        if not comment.own_line and owner is not None and owner not in out.trailing:
            out.trailing[owner] = comment.text
            continue
        index = bisect.bisect_right(keys, (comment.line, comment.col))
        if index < len(nodes):
            # several nodes may start at one place (an item and its first key): the outer one
            line, col = keys[index]
            same = [n for n in nodes[index:] if (n[0], n[1]) == (line, col)]
            path = min(same, key=lambda n: n[2])[3]
            out.leading.setdefault(path, []).append(comment.text)
        else:
            out.tail.append(comment.text)
    return out


# --- writing ----------------------------------------------------------------------------------


class _Emitter:
    def __init__(self, doc: _yaml.Document, comments: list[_Comment]) -> None:
        self.data: dict[str, Any] = doc.data
        self.attached = _attach(doc, comments)
        kind = self.data.get("kind")
        self.kind = kind if isinstance(kind, str) else ""
        self.quoted = _quoted_fields(self.kind)

    def emit(self) -> str:
        lines = [SCHEMA_HEADER, *self._mapping(self.data, 0, ())]
        lines.extend(self.attached.tail)
        return "\n".join(lines) + "\n"

    def _order(self, mapping: dict[str, Any], path: PathKey) -> list[str]:
        known = _key_order(self.kind, path)
        return [k for k in known if k in mapping] + [k for k in mapping if k not in known]

    def _leading(self, path: PathKey, indent: int) -> list[str]:
        return [" " * indent + text for text in self.attached.leading.get(path, ())]

    def _trailing(self, path: PathKey) -> str:
        text = self.attached.trailing.get(path)
        return f"  {text}" if text else ""

    def _mapping(self, mapping: dict[str, Any], indent: int, path: PathKey) -> list[str]:
        lines: list[str] = []
        for key in self._order(mapping, path):
            lines.extend(self._leading((*path, key), indent))
            prefix = " " * indent + _key(key) + ":"
            value = mapping[key]
            if isinstance(value, str) and (not path and key in self.quoted or _is_quote(path, key)):
                lines.append(f"{prefix} {_double(value)}{self._trailing((key,))}")
                continue
            lines.extend(self._node(prefix, value, indent, (*path, key)))
        return lines

    def _node(self, prefix: str, value: Any, indent: int, path: PathKey) -> list[str]:
        tail = self._trailing(path)
        if isinstance(value, dict):
            if not value:
                return [f"{prefix} {{}}{tail}"]
            inner = self._mapping(value, indent + INDENT, path)
            first = (*path, self._order(value, path)[0])
            if (
                prefix.endswith("-")
                and first not in self.attached.leading
                and first not in self.attached.trailing
            ):
                # `- key: value` with the other keys below it
                return [f"{prefix} {inner[0].lstrip()}{tail}", *inner[1:]]
            return [prefix + tail, *inner]
        if isinstance(value, list):
            if not value:
                return [f"{prefix} []{tail}"]
            if self._inline(value, path):
                items = ", ".join(_scalar(v, flow=True) or "" for v in value)
                return [f"{prefix} [{items}]{tail}"]
            lines = [prefix + tail]
            for i, item in enumerate(value):
                lines.extend(self._leading((*path, i), indent + INDENT))
                lines.extend(
                    self._node(" " * (indent + INDENT) + "-", item, indent + INDENT, (*path, i))
                )
            return lines
        one_line = _scalar(value, flow=False)
        if one_line is not None:
            return [f"{prefix} {one_line}{tail}"]
        return [
            f"{prefix} {_literal_header(value)}{tail}",
            *(" " * (indent + INDENT) + line if line else "" for line in _literal_lines(value)),
        ]

    def _inline(self, items: list[Any], path: PathKey) -> bool:
        if path and path[-1] in BLOCK_LISTS:
            return False
        return all(not isinstance(v, (dict, list)) for v in items) and not any(
            (*path, i) in self.attached.leading or (*path, i) in self.attached.trailing
            for i in range(len(items))
        )


def _is_quote(path: PathKey, key: str) -> bool:
    """An evidence quote: always in double quotes, so that it reads as the copied words it is and
    an edit of those words never changes how YAML reads them."""
    return key == "quote" and len(path) == 3 and path[0] == "evidence"


def _key_order(kind: str, path: PathKey) -> list[str]:
    """The schema's order of the keys at `path`: the entry's fields, or a nested block's."""
    if not path:
        return field_order(kind)
    if path[0] == "evidence":
        from openai_catalog.schema import Evidence, evidence_keys

        if len(path) == 1:
            return evidence_keys(kind) if kind in ENTRY_TYPES else []
        return list(Evidence.model_fields) if len(path) == 3 else []
    if path[0] == "variants" and len(path) == 2 and kind == "model":
        from openai_catalog.schema import Variant

        return list(Variant.model_fields)
    if len(path) == 1 and kind in ENTRY_TYPES:
        info = ENTRY_TYPES[kind].model_fields.get(str(path[0]))
        if info is not None:
            from pydantic import BaseModel

            for candidate in (info.annotation, *getattr(info.annotation, "__args__", ())):
                if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                    return list(candidate.model_fields)
    return []


def _quoted_fields(kind: str) -> frozenset[str]:
    """Fields whose values often look like numbers (`released: "2021"`, `paper: "2101.00027"`):
    always quoted, so that they all look alike and an edit never turns one into a number."""
    from typing import get_args

    from openai_catalog.schema import PartialDate

    fields = ENTRY_TYPES[kind].model_fields if kind in ENTRY_TYPES else {}
    return frozenset(
        name
        for name, info in fields.items()
        if name == "paper" or PartialDate in get_args(info.annotation)
    )


def _key(key: str) -> str:
    return key if _plain_ok(key, flow=False) else _double(key)


def _escape_needed(ch: str) -> bool:
    """Characters a YAML file cannot hold as they are (PyYAML's printable set), or that a reader
    would take for a line break or a byte-order mark."""
    if ch in "\x85\u2028\u2029\ufeff":
        return True
    return not (
        "\x20" <= ch <= "\x7e"
        or "\xa0" <= ch <= "\ud7ff"
        or "\ue000" <= ch <= "\ufffd"
        or "\U00010000" <= ch <= "\U0010ffff"
    )


def _plain_ok(text: str, flow: bool) -> bool:
    """Whether `text` reads back as the same string when written without quotes."""
    if not text or text[0] in _FIRST_NOT_PLAIN or text[-1] in " :":
        return False
    if ": " in text or " #" in text or "\t" in text or "\n" in text:
        return False
    if flow and any(ch in _FLOW_NOT_PLAIN for ch in text):
        return False
    if any(_escape_needed(ch) for ch in text):
        return False
    # Plain only if both YAML 1.2 (our loader, editors) and YAML 1.1 (PyYAML's safe_load and many
    # other tools) read a string: so `no`, `2021-06-09` and `1_000` are quoted for everyone.
    resolved = _yaml._resolve_plain(text)
    yaml11 = _YAML11.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return isinstance(resolved, str) and resolved == text and yaml11 == "tag:yaml.org,2002:str"


def _literal_ok(text: str) -> bool:
    """Whether `text` can be a `|` block that reads back the same."""
    if "\n" not in text or "\t" in text or "\r" in text:
        return False
    lines = _literal_lines(text)
    body = [line for line in lines if line]
    if not body or body[0][0] == " ":
        return False
    if any(line != line.rstrip(" ") for line in lines):
        return False
    return not any(_escape_needed(ch) for ch in text if ch != "\n")


def _literal_lines(text: str) -> list[str]:
    lines = text.split("\n")
    return lines[:-1] if text.endswith("\n") else lines


def _literal_header(text: str) -> str:
    return "|+" if text.endswith("\n\n") else ("|" if text.endswith("\n") else "|-")


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def _double(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _escape_needed(ch):
            code = ord(ch)
            out.append(
                f"\\x{code:02x}"
                if code <= 0xFF
                else f"\\u{code:04x}"
                if code <= 0xFFFF
                else f"\\U{code:08x}"
            )
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _scalar(value: Any, flow: bool) -> str | None:
    """One-line YAML for a scalar, or None for text that reads best as a `|` block."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise FormatError(f"cannot write the number {value!r}")
        return repr(value)
    if isinstance(value, str):
        if _plain_ok(value, flow):
            return value
        if not flow and _literal_ok(value):
            return None
        return _double(value)
    raise FormatError(f"cannot write a value of type {type(value).__name__}")


# --- checking the result ----------------------------------------------------------------------


def same_data(a: Any, b: Any) -> bool:
    """Equal values of equal types all the way down: 1, 1.0 and True are three different values."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_data(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _comment_texts(comments: list[_Comment]) -> list[str]:
    return sorted(c.text for c in comments if not (c.own_line and _HEADER_RE.match(c.text)))


def _verify(data: Any, comments: list[_Comment], out: str, display: str) -> None:
    again = _yaml.parse_text(out, display)
    problem = None
    if again.findings or not same_data(data, again.data):
        problem = "the formatted text would not hold the same data"
    elif _comment_texts(_find_comments(out)) != _comment_texts(comments):
        problem = "the formatted text would lose a comment"
    if problem:
        raise FormatError(
            f"{display}: {problem}; the file was left as it was",
            "this is a bug in catalog fmt: please report it with the file",
        )


def format_paths(paths: list[Path], write: bool) -> list[Formatted]:
    """Format entry files; with `write`, replace each changed one atomically.

    Each file is read, formatted and written before the next is read, and replaced only if it
    still holds what was read: an edit saved while a large catalogue is formatted is never lost.
    A file that cannot be replaced (read-only, changed meanwhile) is skipped with the reason.
    """
    from openai_catalog._util import write_atomic

    results = []
    for path in paths:
        result = format_file(path)
        if write and result.changed and result.text is not None and result.original is not None:
            try:
                write_atomic(result.path, result.text, unchanged=result.original.encode("utf-8"))
            except CatalogError as exc:
                result.skipped = exc
            except OSError as exc:  # a folder we may not write in, a full disk: this file only
                result.skipped = CatalogError(
                    f"{result.display}: {exc.strerror or exc}: not rewritten",
                    "check the file, its folder and their permissions",
                )
        results.append(result)
    return results


def unified_diff(result: Formatted) -> str:
    """What formatting changes in one file, as a unified diff."""
    import difflib

    # A file name with a line break would otherwise split a header line in two.
    name = result.display.replace("\n", "\\n").replace("\r", "\\r")
    return "".join(
        difflib.unified_diff(
            (result.original or "").splitlines(keepends=True),
            (result.text or "").splitlines(keepends=True),
            f"{name} (before)",
            f"{name} (formatted)",
        )
    )
