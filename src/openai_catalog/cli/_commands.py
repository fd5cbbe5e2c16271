"""The command names and how to find them on a command line, without importing Typer."""

from __future__ import annotations

# name -> (module, function, takes a query with `-word` exclusions)
COMMANDS: dict[str, tuple[str, str, bool]] = {
    "search": ("search_cmd", "search", True),
    "show": ("show_cmd", "show", False),
    "list": ("list_cmd", "list_entries", True),
    "validate": ("validate_cmd", "validate", False),
    "export": ("export_cmd", "export", True),
    "enrich": ("enrich_cmd", "enrich", False),
    "index": ("index_cmd", "index_app", False),
    "stats": ("stats_cmd", "stats", True),
    "schema": ("schema_cmd", "schema", False),
    "fmt": ("fmt_cmd", "fmt", False),
    "add": ("add_cmd", "add_app", False),
    "changes": ("changes_cmd", "changes", True),
    "lineage": ("lineage_cmd", "lineage", False),
    "site": ("site_cmd", "site_app", False),
    "badge": ("badge_cmd", "badge", False),
}
# Commands that read the search index, and so first check that it is current.
INDEXED = frozenset(
    {"search", "show", "list", "export", "stats", "changes", "lineage", "site", "badge"}
)
GLOBAL_OPTIONS_WITH_VALUE = ("--catalog",)
_VALIDATE_OPTIONS_WITH_VALUE = ("--format", "-f")


def command_in(argv: list[str]) -> str | None:
    """The command named on the command line, skipping the global options before it."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in GLOBAL_OPTIONS_WITH_VALUE:
            skip = True
        elif arg.startswith("-"):
            if arg in ("-h", "--help"):
                return None
        else:
            return arg if arg in COMMANDS else None
    return None


def catalog_option(argv: list[str]) -> str | None:
    """The value of `--catalog` given before the command, if any."""
    for i, arg in enumerate(argv):
        if arg == "--catalog":
            return argv[i + 1] if i + 1 < len(argv) else None
        if arg.startswith("--catalog="):
            return arg.split("=", 1)[1]
        if not arg.startswith("-"):
            return None
    return None


def validates_files(argv: list[str]) -> bool:
    """Whether the command line is `validate` naming files, which it checks through the index
    (a whole validation loads every file instead)."""
    if command_in(argv) != "validate":
        return False
    rest = argv[argv.index("validate") + 1 :]
    skip = False
    for arg in rest:
        if skip:
            skip = False
        elif arg in _VALIDATE_OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return True
    return False
