"""`catalog add KIND`: one subcommand per kind, whose flags are made from the schema.

Typer has no API for a signature decided at run time, so each kind's command is a function given
an `inspect.Signature` of `Annotated[..., typer.Option(...)]` parameters, one per field of
`authoring.fields_for(kind)`. `catalog add model --help` then lists exactly a model's fields, and
a field added to the schema is a flag without touching this file.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer

from openai_catalog.schema import ENTRY_TYPES

# A pre-fill source: a label for messages ("the Hub") and a function returning what it says
# (values, evidence, notes: enrich.prefill.Prefilled), called once the catalogue is loaded.
# Values the user gave always win over pre-filled ones.
Prefill = tuple[str, Callable[[], Any]]

EXAMPLES = {
    "model": 'catalog add model --from-hub EleutherAI/gpt-j-6b --name GPT-J-6B --summary "..."',
    "dataset": "catalog add dataset --name 'The Pile' --license MIT --tokens 300B --dry-run",
    "compute": "catalog add compute --name 'TPU Research Cloud' --url https://sites.research.google/trc/",
    "tool": 'catalog add tool --from-github huggingface/lighteval --category evaluation --summary "..."',
    "community": "catalog add community --name EleutherAI --type collective --hub EleutherAI",
}

add_app = typer.Typer(
    help="Add an entry to the catalogue: one command, then a few questions.\n\n"
    "Give fields as flags (see catalog add KIND --help for a kind's fields); in a terminal, "
    "the required fields still missing are asked for, each answer checked at once. The entry is "
    "checked against the whole catalogue (duplicates included) before its file is written, "
    "in canonical form, to catalog/<kind folder>/<id>.yaml; then the next steps of a pull "
    "request are printed.\n\n"
    "Examples:\n\n"
    "\b\n  catalog add                      # asks which kind, then each field\n"
    "  catalog add model                # asks for a model's fields\n"
    f"  {EXAMPLES['model']}\n"
    "  catalog add tool --name JAX ... --dry-run   # print the YAML, write nothing\n"
    "  catalog add community ... --yes  # never ask; fail if a required field is missing",
    invoke_without_command=True,
    rich_markup_mode=None,
    add_completion=False,
)


@add_app.callback()
def choose_kind(ctx: typer.Context) -> None:
    """Without a kind, ask for one in a terminal; elsewhere, say how to name it."""
    if ctx.invoked_subcommand is not None:
        return
    from openai_catalog.authoring import ask_kind
    from openai_catalog.cli import _output
    from openai_catalog.errors import UsageError

    if not _output.interactive():
        raise UsageError(
            f"name the kind of entry to add: catalog add {'|'.join(ENTRY_TYPES)} [FIELDS...]",
            "see: catalog add --help",
        )
    run_add(ask_kind(_output.ask, _output.complain), {}, dry_run=False, yes=False)


def run_add(
    kind: str,
    given: dict[str, Any],
    *,
    dry_run: bool,
    yes: bool,
    shared_url: bool = False,
    prefills: Sequence[Prefill] = (),
    evidence: Sequence[str] = (),
) -> None:
    """Build the entry from flags, pre-fill sources and answers; check it; write it."""
    from openai_catalog.authoring import (
        Draft,
        InvalidEntry,
        ask_evidence,
        interview,
        next_steps,
        write_entry,
    )
    from openai_catalog.cli import _context, _output

    catalog = _context.load()
    if not dry_run:
        _context.refuse_packaged(catalog.root, "add")
    draft = Draft(kind, catalog, shared_url=shared_url)
    for name, raw in given.items():
        draft.set(name, raw)
    for raw in evidence:
        draft.add_evidence_flag(raw)
    for label, source in prefills:
        said = source()
        for note in [
            *(f"{label}: {n}" for n in said.notes),
            *draft.prefill(said.values, label, said.evidence, said.suggestions),
        ]:
            _output.warn(note)
    interactive = not yes and _output.interactive()
    if interactive:
        interview(draft, _output.ask, _output.complain)
        ask_evidence(draft, _output.ask, _output.complain)
    try:
        text, warnings = draft.entry_text()
    except InvalidEntry as exc:
        _output.findings(exc.findings, "text", 1, to_stderr=True)
        raise
    for near in draft.similar_names():
        _output.warn(
            f"the catalogue has {near!r} with a similar name: is it the same artifact? "
            f"(catalog show {near})"
        )
    if warnings:
        _output.findings(warnings, "text", 1, to_stderr=True)
    if dry_run:
        _output.write(text)
        return
    if interactive and not _output.confirm(text, f"write {draft.path}?"):
        _output.info("nothing written")
        raise typer.Exit(1)
    write_entry(draft.path, text)
    _output.added(draft.path, next_steps(draft.path, draft.values["id"], kind))


# `--tag code --tag llm` reads better than `--tags code --tags llm`; both work.
SINGULAR = {
    "tags": "tag",
    "aliases": "alias",
    "sources": "source",
    "modalities": "modality",
    "languages": "language",
    "offers": "offer",
}


def _hub_values(kind: str, repo: str) -> Any:
    """What the Hub says of `repo` (the Hub client is imported only here)."""
    from openai_catalog.cli import _context, _output
    from openai_catalog.enrich.prefill import hub_prefill

    _output.info(f"asking the Hub about {repo} ...")
    return hub_prefill(kind, repo, _context.load())


def _github_values(repo: str) -> Any:
    """What GitHub says of `repo` (requests is imported only here)."""
    from openai_catalog.cli import _context, _output
    from openai_catalog.enrich.prefill import github_prefill

    _output.info(f"asking GitHub about {repo} ...")
    return github_prefill(repo, _context.load())


def make_command(kind: str) -> Callable[..., None]:
    """The `catalog add KIND` command: a flag per field of the kind, then --dry-run and --yes."""
    from openai_catalog.authoring import fields_for

    specs = fields_for(kind)
    names = {spec.name for spec in specs}
    parameters = []
    for spec in specs:
        decls = [spec.flag]
        singular = SINGULAR.get(spec.name)
        if singular and singular not in names:
            decls.append("--" + singular)
        metavar = (
            "|".join(spec.choices)
            if spec.choices and len(spec.choices) <= 7
            else ("CHOICE" if spec.choices else spec.name.upper().replace("_", "-"))
        )
        required = spec.required and spec.name != "id"  # the id defaults to one made from the name
        note = (
            " (comma-separated, or repeat the flag)"
            if spec.split
            else " (repeat the flag for more)"
            if spec.multiple
            else ""
        )
        option = typer.Option(
            *decls,
            help=spec.help + note + (" [required]" if required else ""),
            metavar=metavar,
            show_default=False,
        )
        kind_of: Any = list[str] | None if spec.multiple else str | None
        parameters.append(
            inspect.Parameter(
                spec.name,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[kind_of, option],
            )
        )
    if kind != "community":
        parameters.append(
            inspect.Parameter(
                "from_hub",
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[
                    str | None,
                    typer.Option(
                        "--from-hub",
                        metavar="OWNER/REPO",
                        help="Pre-fill from this Hugging Face repo: its id and page, the card's licence "
                        "(with the card line as evidence), creation date (never the Hub's 2022-03-02 "
                        "migration date), paper, pipeline tag, parameter count, gating, maker, base "
                        "models and training datasets that the catalogue has. Flags you give win; "
                        "never a summary.",
                    ),
                ],
            )
        )
    if kind == "tool":
        parameters.append(
            inspect.Parameter(
                "from_github",
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[
                    str | None,
                    typer.Option(
                        "--from-github",
                        metavar="OWNER/REPO",
                        help="Pre-fill from this GitHub repository: name, page, licence (its SPDX "
                        "id), topics as tags, github, and the maker when the owner is a catalogued "
                        "community's organisation. Flags you give win; never a summary.",
                    ),
                ],
            )
        )
    parameters += [
        inspect.Parameter(
            "evidence",
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[
                list[str] | None,
                typer.Option(
                    "--evidence",
                    metavar="FIELD=URL::QUOTE",
                    help="Back a fact with the page that states it and its words, copied verbatim (at "
                    "most 300 characters); repeat for each fact, e.g. --evidence 'license=https://"
                    "huggingface.co/EleutherAI/gpt-j-6b::licensed under the Apache License, Version "
                    "2.0'. Evidence sources count as sources. In a terminal, the key facts without "
                    "evidence are asked for.",
                    show_default=False,
                ),
            ],
        ),
        inspect.Parameter(
            "dry_run",
            inspect.Parameter.KEYWORD_ONLY,
            default=False,
            annotation=Annotated[
                bool, typer.Option("--dry-run", help="Print the entry's YAML; write nothing.")
            ],
        ),
        inspect.Parameter(
            "shared_url",
            inspect.Parameter.KEYWORD_ONLY,
            default=False,
            annotation=Annotated[
                bool,
                typer.Option(
                    "--shared-url",
                    help="The homepage is shared with another entry of this "
                    "kind (a family's site): not a duplicate.",
                ),
            ],
        ),
        inspect.Parameter(
            "yes",
            inspect.Parameter.KEYWORD_ONLY,
            default=False,
            annotation=Annotated[
                bool,
                typer.Option(
                    "--yes",
                    "-y",
                    help="Ask nothing: no questions, no confirmation; "
                    "fail if a required field is missing.",
                ),
            ],
        ),
    ]

    def command(**options: Any) -> None:
        dry_run, yes, shared_url = (
            options.pop("dry_run"),
            options.pop("yes"),
            options.pop("shared_url"),
        )
        repo = options.pop("from_hub", None)
        github = options.pop("from_github", None)
        evidence = options.pop("evidence", None) or []
        prefills: list[Prefill] = []
        if repo:
            prefills.append(("the Hub", lambda: _hub_values(kind, repo)))
        if github:
            prefills.append(("GitHub", lambda: _github_values(github)))
        run_add(
            kind,
            {k: v for k, v in options.items() if v not in (None, [])},
            dry_run=dry_run,
            yes=yes,
            shared_url=shared_url,
            prefills=prefills,
            evidence=evidence,
        )

    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__name__ = f"add_{kind}"
    command.__doc__ = (
        f"{ENTRY_TYPES[kind].__doc__}\n\n"
        f"Add a {kind} entry. Flags give fields; in a terminal, missing required fields (and a few "
        "recommended ones, skipped with Enter) are asked for. Nothing is written unless the entry "
        "validates against the whole catalogue; duplicates exit 1.\n\n"
        f"Example: {EXAMPLES[kind]}"
    )
    return command


for _kind in ENTRY_TYPES:
    add_app.command(_kind)(make_command(_kind))
