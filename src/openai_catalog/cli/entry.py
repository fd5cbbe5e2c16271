"""The `catalog` console script and `python -m openai_catalog`.

Before Typer is imported (about 0.2 s of start-up), a command that reads the search index starts
the check of whether that index is current in a child process (freshness.py), which also updates
it in place after a small edit, so the two overlap; the child imports what an update needs while
it looks at the files.
Nothing here may import more than the standard library and locate.py.
"""

from __future__ import annotations

import sys


def main() -> None:
    args = sys.argv[1:]
    _stop_on_sigterm()
    _start_freshness_check(args)
    from openai_catalog.cli.app import run

    sys.exit(run(args))


def _start_freshness_check(args: list[str]) -> None:
    from openai_catalog.cli._commands import INDEXED, catalog_option, command_in, validates_files

    if command_in(args) not in INDEXED and not validates_files(args) or "--help" in args:
        return
    from openai_catalog import freshness
    from openai_catalog.errors import CatalogError
    from openai_catalog.locate import find_catalog

    try:
        root = find_catalog(catalog_option(args))
    except CatalogError:
        return  # the app reports it, with its usual message

    def update(state: str, seen: freshness.Seen) -> None:  # in the child
        from openai_catalog.index import update_quietly

        update_quietly(root, state, seen)

    def prepare() -> None:  # in a thread of the child, while it stats the entry files
        # What an update in place imports (pydantic and the schema above all, ~0.1 s; a kind's
        # validator is compiled when first used): after an edit the update then starts at once
        # instead of after the stats, and takes the stats the check took rather than statting
        # again; when nothing changed the child answers without waiting for this. The index
        # module first, as update() does.
        import openai_catalog.index
        import openai_catalog.index_pipeline
        import openai_catalog.openness  # noqa: F401

    freshness.start(root, update, prepare)


def _stop_on_sigterm() -> None:
    """SIGTERM (`kill`, a CI timeout, a service manager) stops like Ctrl-C: as KeyboardInterrupt,
    so temporary files are removed, finished work is saved and the exit code is 130. Python's
    default would end the process at once, leaving `.name.tmp` files behind."""
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, interrupt)
    except (ValueError, OSError):  # not the main thread, or a platform without it
        pass
