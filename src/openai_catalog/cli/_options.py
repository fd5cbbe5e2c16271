"""Reusable option types, so every command spells them the same way."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    yaml = "yaml"
    ids = "ids"


class KindChoice(StrEnum):
    model = "model"
    dataset = "dataset"
    compute = "compute"
    tool = "tool"
    community = "community"


FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
KindOpt = Annotated[KindChoice | None, typer.Option("--kind", "-k", help="Only entries of this kind.")]
