"""A strict YAML reader for entry files: libyaml's C parser, our own value construction.

Building values from parser events, instead of through PyYAML's constructor, lets one pass record
the line and column of every key and item, and refuse what an entry never needs: duplicate keys,
anchors and aliases, explicit tags, several documents, deep nesting. Plain scalars are resolved by
the YAML 1.2 core schema, so `no` stays the string "no" (Norwegian) and dates stay strings.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from openai_catalog import rules, suppress
from openai_catalog.rules import Finding
from openai_catalog.suppress import Suppression

try:
    from yaml._yaml import CParser as _Parser

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)

        def dispose(self) -> None:
            pass

    HAVE_LIBYAML = False

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 12

PathKey = tuple[str | int, ...]

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_warned_pure_python = False


@dataclass
class Document:
    """A parsed entry file: its data (None when unreadable), positions and problems."""

    data: Any = None
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    first_line: str = ""
    suppressions: list[Suppression] = field(default_factory=list)

    def position(self, path: PathKey) -> tuple[int, int]:
        """The line and column of `path`, or of its nearest ancestor that has one."""
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))


_MAX_DIGITS = 4000
_MAYBE_NOT_TEXT = frozenset("0123456789+-.~nNtTfF")


def _resolve_plain(text: str) -> Any:
    if text and text[0] not in _MAYBE_NOT_TEXT:
        return text  # most values are words: skip the checks below
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        # Python refuses to convert more than 4300 digits; such a number is infinite to us, and
        # the schema then reports it at its line like any other number out of range.
        return int(text) if len(text) <= _MAX_DIGITS else float(text)
    if _FLOAT.match(text) and any(c.isdigit() for c in text):
        return float(text)
    return text


_Scalar, _SeqStart, _SeqEnd = yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.SequenceEndEvent
_MapStart, _MapEnd = yaml.MappingStartEvent, yaml.MappingEndEvent


class _Refused(Exception):
    def __init__(self, finding: Finding) -> None:
        self.finding = finding


class _Builder:
    """Turns the event stream of one document into values and positions.

    Events come straight from the parser's `get_event`, and the common case (a plain scalar, a
    key, an item: no anchor, no tag, not too deep) is handled inline in the loops over mappings
    and sequences, since loading 100k entries meets it tens of millions of times. Everything
    unusual goes through `_check`, which reports it.
    """

    def __init__(self, get_event: Callable[[], Any], path: str, doc: Document) -> None:
        self.get_event = get_event
        self.path = path
        self.doc = doc

    def _pos(self, event: Any) -> tuple[int, int]:
        return event.start_mark.line + 1, event.start_mark.column + 1

    def _check(self, event: Any, depth: int) -> bool:
        """Report what an entry must not use; False when the event carries no usable value."""
        if (
            depth <= MAX_DEPTH
            and getattr(event, "tag", None) is None
            and getattr(event, "anchor", None) is None
        ):
            return True
        line, col = self._pos(event)
        report = self.doc.findings.append
        if isinstance(event, yaml.AliasEvent):
            report(
                rules.AnchorOrAlias.at(
                    self.path,
                    line,
                    col,
                    f"alias *{event.anchor} refused",
                    "write the value out instead of referring to an anchor",
                )
            )
            return False
        if getattr(event, "anchor", None) is not None:
            report(
                rules.AnchorOrAlias.at(
                    self.path,
                    line,
                    col,
                    f"anchor &{event.anchor} refused",
                    "remove the anchor; write each value in full",
                )
            )
        if getattr(event, "tag", None) is not None:
            report(
                rules.ExplicitTag.at(
                    self.path,
                    line,
                    col,
                    f"explicit tag {event.tag} refused",
                    "remove the tag; plain YAML values suffice",
                )
            )
        if depth > MAX_DEPTH:
            raise _Refused(
                rules.TooDeep.at(
                    self.path, line, col, f"nesting deeper than {MAX_DEPTH} levels refused"
                )
            )
        return True

    def value(self, event: Any, at: PathKey, depth: int) -> Any:
        """The value that starts with `event`, found at `at`, `depth` levels down."""
        if not self._check(event, depth):
            return None
        kind = type(event)
        if kind is _Scalar:
            return _resolve_plain(event.value) if event.implicit[0] else event.value
        if kind is _SeqStart:
            return self._sequence(at, depth)
        if kind is _MapStart:
            return self._mapping(at, depth)
        raise _Refused(rules.YamlSyntax.at(self.path, *self._pos(event), "unexpected YAML event"))

    def _sequence(self, at: PathKey, depth: int) -> list[Any]:
        get_event, positions = self.get_event, self.doc.positions
        inner = depth + 1
        plain = inner <= MAX_DEPTH  # whether an item can take the inline path
        items: list[Any] = []
        while (kind := type(event := get_event())) is not _SeqEnd:
            item_at = at + (len(items),)
            mark = event.start_mark
            positions[item_at] = (mark.line + 1, mark.column + 1)
            if kind is _Scalar and plain and event.anchor is None and event.tag is None:
                text = event.value
                items.append(
                    _resolve_plain(text)
                    if event.implicit[0] and (not text or text[0] in _MAYBE_NOT_TEXT)
                    else text
                )
            else:
                items.append(self.value(event, item_at, inner))
        return items

    def _mapping(self, at: PathKey, depth: int) -> dict[str, Any]:
        get_event, positions = self.get_event, self.doc.positions
        inner = depth + 1
        plain = inner <= MAX_DEPTH  # whether a key or value can take the inline path
        mapping: dict[str, Any] = {}
        while (kind := type(event := get_event())) is not _MapEnd:
            mark = event.start_mark
            line, col = mark.line + 1, mark.column + 1
            if kind is not _Scalar:
                raise _Refused(
                    rules.InvalidValue.at(self.path, line, col, "keys must be plain text")
                )
            if not plain or event.anchor is not None or event.tag is not None:
                self._check(event, inner)
            key = event.value
            key_at = at + (key,)
            if (
                (kind := type(event := get_event())) is _Scalar
                and plain
                and event.anchor is None
                and event.tag is None
            ):
                text = event.value
                value = (
                    _resolve_plain(text)
                    if event.implicit[0] and (not text or text[0] in _MAYBE_NOT_TEXT)
                    else text
                )
            else:
                value = self.value(event, key_at, inner)
            if key in mapping:
                first = positions.get(key_at, (0, 0))[0]
                self.doc.findings.append(
                    rules.DuplicateKey.at(
                        self.path,
                        line,
                        col,
                        f"duplicate key {key!r} (first at line {first})",
                        "keep one of the two; the first is used",
                    )
                )
                continue
            positions[key_at] = (line, col)
            mapping[key] = value
        return mapping


def parse_text(text: str, path: str) -> Document:
    """Parse the text of one entry file; problems come back as findings, never as exceptions."""
    global _warned_pure_python
    if not HAVE_LIBYAML and not _warned_pure_python:
        _warned_pure_python = True
        warnings.warn(
            "PyYAML was built without libyaml; loading the catalogue will be slow",
            RuntimeWarning,
            stacklevel=2,
        )
    doc = Document(first_line=text.split("\n", 1)[0])
    if "catalog:" in text:
        doc.suppressions, problems = suppress.parse(text, path)
        doc.findings.extend(problems)
    parser = None
    try:
        parser = _Parser(text)  # in the try: the pure-Python reader refuses some text here
        get_event = parser.get_event
        get_event()  # StreamStart
        start = get_event()
        if isinstance(start, yaml.StreamEndEvent):
            doc.findings.append(
                rules.NotAMapping.at(
                    path, 1, 1, "the file is empty", "an entry is a mapping of fields"
                )
            )
            return doc
        builder = _Builder(get_event, path, doc)
        body = get_event()
        doc.positions[()] = builder._pos(body)
        doc.data = builder.value(body, (), 0)
        get_event()  # DocumentEnd
        after = get_event()
        if not isinstance(after, yaml.StreamEndEvent):
            line, col = builder._pos(after)
            doc.data = None
            doc.findings.append(
                rules.NotAMapping.at(
                    path,
                    line,
                    col,
                    "a second YAML document",
                    "keep one entry per file; remove the `---`",
                )
            )
    except _Refused as refused:
        doc.data = None
        doc.findings.append(refused.finding)
    except yaml.MarkedYAMLError as exc:
        doc.data = None
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        context = exc.context
        if context and exc.context_mark and mark and exc.context_mark.line != mark.line:
            context = f"{context} (started at line {exc.context_mark.line + 1})"
        problem = ": ".join(filter(None, [context, exc.problem]))
        doc.findings.append(rules.YamlSyntax.at(path, line, col, problem or "invalid YAML"))
    except yaml.YAMLError as exc:
        doc.data = None
        doc.findings.append(rules.YamlSyntax.at(path, 1, 1, str(exc).splitlines()[0]))
    finally:
        if parser is not None:
            parser.dispose()
    if doc.data is None and not doc.findings:  # `~`, `null` or a bare `---`: nothing to check
        doc.findings.append(
            rules.NotAMapping.at(
                path,
                *doc.positions.get((), (1, 1)),
                "the document is empty (null)",
                "an entry is a mapping of fields such as `id: ...`",
            )
        )
    elif doc.data is not None and not isinstance(doc.data, dict):
        doc.findings.append(
            rules.NotAMapping.at(
                path,
                *doc.positions.get((), (1, 1)),
                f"the top level is a {type(doc.data).__name__}",
                "an entry is a mapping of fields such as `id: ...`",
            )
        )
        doc.data = None
    return doc


def _events(text: str) -> Iterator[Any]:
    parser = _Parser(text)
    get_event = parser.get_event
    try:
        while (event := get_event()) is not None:
            yield event
    finally:
        if parser is not None:
            parser.dispose()


def decode(raw: bytes, path: str) -> tuple[str | None, Finding | None]:
    """Decode an entry file's bytes, refusing what is too large or not UTF-8."""
    if len(raw) > MAX_BYTES:
        return None, rules.FileTooLarge.at(path, 1, 1, f"file is {len(raw):,} bytes, over 1 MiB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, rules.NotUtf8.at(
            path,
            line,
            col,
            f"byte 0x{raw[exc.start]:02x} is not UTF-8",
            "re-save the file with UTF-8 encoding",
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, None


def parse_bytes(raw: bytes, path: str) -> Document:
    text, problem = decode(raw, path)
    if problem is not None:
        return Document(findings=[problem])
    assert text is not None
    return parse_text(text, path)
