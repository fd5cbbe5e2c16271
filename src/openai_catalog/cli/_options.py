"""Reusable option types, so every command spells them the same way."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from openai_catalog.kinds import KINDS


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    yaml = "yaml"
    ids = "ids"


# Typer takes choices as an Enum; its members are derived from the one list of kinds.
KindChoice = StrEnum("KindChoice", [(kind, kind) for kind in KINDS])  # type: ignore[misc]


FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
KindOpt = Annotated[
    KindChoice | None, typer.Option("--kind", "-k", help="Only entries of this kind.")
]
