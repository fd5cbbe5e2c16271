"""Silencing a finding where it is deliberate, with the reason in the file for reviewers to read.

A comment `# catalog: ignore CAT041 -- licence text not yet published` silences the rules it names
(several may be listed, separated by commas or spaces):

- at the end of a line: findings reported at that line;
- on a line of its own: findings at the next line that holds YAML;
- among the comments at the top of the file, before the first field: findings anywhere in the file.

The reason after `--` is required, as in awesome-lint's `<!--lint disable-->` comments; a
suppression without one, or naming no known rule, is itself a finding and silences nothing, and a
suppression that silenced nothing in a run that checked its rules is reported too, so that stale
ones do not pile up. The comments are found line by line, so the marker must not be written inside a
block scalar (a description) where it would be text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from openai_catalog import rules
from openai_catalog.rules import Finding

MARKER = "# catalog: ignore"
_MARK = re.compile(r"(?:^|\s)#\s*catalog:\s*ignore\b(?P<rest>.*)$")
_RULE_ID = re.compile(r"^CAT\d{3}$")


@dataclass(frozen=True)
class Suppression:
    """One `# catalog: ignore` comment: where it is and what it silences (`line` None: the file)."""

    path: str
    at: int
    line: int | None
    rules: tuple[str, ...]
    reason: str

    def covers(self, finding: Finding) -> bool:
        return (
            finding.path == self.path
            and finding.rule in self.rules
            and (self.line is None or finding.line == self.line)
        )

    def as_dict(self, silenced: int) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.at,
            "scope": "file" if self.line is None else "line",
            "applies_to_line": self.line,
            "rules": list(self.rules),
            "reason": self.reason,
            "silenced": silenced,
        }


@dataclass
class Ignored:
    """A suppression and the findings it silenced in this run."""

    suppression: Suppression
    findings: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        out = self.suppression.as_dict(len(self.findings))
        out["findings"] = [f.as_dict() for f in self.findings]
        return out


def parse(text: str, path: str) -> tuple[list[Suppression], list[Finding]]:
    """The suppressions of one entry file's text, and findings for the malformed ones."""
    if "catalog:" not in text:
        return [], []
    found: list[Suppression] = []
    problems: list[Finding] = []
    pending: list[tuple[int, tuple[str, ...], str]] = []
    seen_content = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        own_line = stripped.startswith("#")
        if stripped and not own_line:
            seen_content = True
            for at, ids, reason in pending:
                found.append(Suppression(path, at, number, ids, reason))
            pending = []
        match = _MARK.search(line)
        if match is None:
            continue
        parsed = _parse_rest(match.group("rest"), path, number, match.start() + 1)
        if isinstance(parsed, Finding):
            problems.append(parsed)
        elif not own_line:
            found.append(Suppression(path, number, number, *parsed))
        elif not seen_content:
            found.append(Suppression(path, number, None, *parsed))
        else:
            pending.append((number, *parsed))
    for at, _ids, _reason in pending:
        problems.append(
            rules.SuppressionInvalid.at(
                path,
                at,
                1,
                "`# catalog: ignore` at the end of the file has no line to apply to",
                "put it at the end of the line it is about, or on the line above it",
            )
        )
    return found, problems


def _parse_rest(rest: str, path: str, line: int, col: int) -> tuple[tuple[str, ...], str] | Finding:
    names, sep, reason = rest.partition("--")
    ids = tuple(n for n in re.split(r"[\s,]+", names.strip()) if n)
    example = "e.g. `# catalog: ignore CAT041 -- licence text not yet published`"
    if not ids:
        return rules.SuppressionInvalid.at(
            path,
            line,
            col,
            "`# catalog: ignore` names no rule",
            f"name the rule ids to silence, {example}",
        )
    unknown = [i for i in ids if not _RULE_ID.match(i) or i not in rules.Rule.registry]
    if unknown:
        return rules.SuppressionInvalid.at(
            path,
            line,
            col,
            f"`# catalog: ignore` names no known rule: {', '.join(unknown)}",
            "use the id a finding shows, such as CAT041 (the README lists the rules)",
        )
    if not sep or not reason.strip():
        return rules.SuppressionInvalid.at(
            path,
            line,
            col,
            "`# catalog: ignore` without a reason",
            f"say why after `--`, {example}",
        )
    return ids, reason.strip()


def apply(
    findings: Sequence[Finding],
    suppressions: Iterable[Suppression],
    checked: set[str] | None = None,
) -> tuple[list[Finding], list[Ignored]]:
    """Split findings into those kept and those silenced, and report suppressions that silenced
    nothing among the rules that ran (`checked`: the rule ids whose checks ran; None: all of them).

    Findings about suppressions themselves are never silenced."""
    ignored = [Ignored(s) for s in suppressions]
    by_path: dict[str, list[Ignored]] = {}
    for item in ignored:
        by_path.setdefault(item.suppression.path, []).append(item)
    kept: list[Finding] = []
    for finding in findings:
        cover = None
        if finding.rule not in _ABOUT_SUPPRESSIONS:
            cover = next(
                (i for i in by_path.get(finding.path, ()) if i.suppression.covers(finding)), None
            )
        if cover is None:
            kept.append(finding)
        else:
            cover.findings.append(finding)
    for item in ignored:
        s = item.suppression
        ran = [r for r in s.rules if checked is None or r in checked]
        if item.findings or not ran:
            continue
        where = "in this file" if s.line is None else f"at line {s.line}"
        kept.append(
            rules.SuppressionUnused.at(
                s.path,
                s.at,
                1,
                f"`# catalog: ignore {' '.join(s.rules)}` silences nothing {where}",
                "remove the comment: the problem it was for is gone",
            )
        )
    return kept, ignored


_ABOUT_SUPPRESSIONS = frozenset({"CAT097", "CAT098"})
