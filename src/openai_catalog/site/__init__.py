"""The static website: `catalog site build DIR` and `catalog badge ID`.

    model.py   what the site knows: the index's hits made export records, grades, licence terms,
               relations both ways (no second source of truth)
    pages.py   the page frame and the entry pages;  write.py the other pages and every file
    api.py     api/v1/ and its JSON Schema;  svg.py badges, charts and the graph

The site is written into a new folder beside DIR and swapped in only when complete, so a build
that fails or is interrupted leaves the old site (or none) as it was, never half of one. A folder
already at DIR is replaced only if an earlier build made it (it holds MARKER) or it is empty.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MARKER = ".catalog-site"


@dataclass
class BuildReport:
    dest: Path
    entries: int
    pages: int
    files: int
    skipped: list[str]


def _base_path(base_url: str | None) -> str | None:
    """The path part of the base URL, ending in /; None without a base URL."""
    if not base_url:
        return None
    import urllib.parse

    path = urllib.parse.urlsplit(base_url).path
    return path if path.endswith("/") else path + "/"


def check_base_url(base_url: str | None) -> None:
    """An absolute http(s) URL, or nothing (a usage error otherwise, before any work)."""
    if base_url is None:
        return
    import urllib.parse

    from openai_catalog.errors import UsageError

    parts = urllib.parse.urlsplit(base_url)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or parts.query
        or parts.fragment
        or any(c.isspace() or c in "\"'<>`" for c in base_url)
    ):
        raise UsageError(
            f"--base-url {base_url!r} is not an absolute http(s) URL",
            "for example --base-url https://openai-catalog.github.io/openai-catalog/",
        )


def _check_dest(dest: Path) -> None:
    from openai_catalog._util import WriteRefused

    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        raise WriteRefused(
            f"{dest} exists and is not a folder: not replaced",
            "name a new folder, or one an earlier `catalog site build` wrote",
        )
    if dest.is_dir() and not (dest / MARKER).is_file() and any(dest.iterdir()):
        raise WriteRefused(
            f"{dest} is a folder that `catalog site build` did not write: not replaced",
            "name a new or empty folder, or remove this one first",
        )


def build(root: Path, dest: Path, base_url: str | None = None) -> BuildReport:
    """Write the site for the catalogue at `root` into `dest`, whole or not at all."""
    check_base_url(base_url)
    dest = Path(dest)
    _check_dest(dest)
    from openai_catalog.site.model import collect

    site = collect(root)
    from openai_catalog._util import WriteRefused
    from openai_catalog.site.write import write_site

    parent = dest.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=parent))
    except OSError as exc:
        raise WriteRefused(
            f"cannot write the site beside {dest}: {exc.strerror or exc}",
            "name a folder in a writable place",
        ) from None
    try:
        files = write_site(site, work, base_url)
        (work / MARKER).write_text("written by `catalog site build`; replaced by the next one\n")
        os.chmod(work, 0o755)  # mkdtemp's 0700 would hide the site from a web server
        _swap(work, dest)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise WriteRefused(
            f"cannot write the site to {dest}: {exc.strerror or exc}",
            "free some space or pick a writable folder; nothing was changed",
        ) from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    pages = sum(1 for f in files if f.endswith(".html"))
    from openai_catalog.locate import display_path

    return BuildReport(
        dest, len(site.items), pages, len(files), [display_path(Path(p)) for p in site.skipped]
    )


def _swap(work: Path, dest: Path) -> None:
    """Put the finished site at `dest`; the old one goes only once the new one is in place."""
    if not dest.exists():
        os.replace(work, dest)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old.", dir=work.parent))
    os.replace(dest, old / "site")
    try:
        os.replace(work, dest)
    except OSError:
        os.replace(old / "site", dest)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


def badge(root: Path, entry_id: str) -> str:
    """The SVG badge of one entry, as `catalog badge` prints it and the site serves it."""
    from openai_catalog.licenses import LicenseError
    from openai_catalog.openness import grade
    from openai_catalog.site.svg import entry_badge
    from openai_catalog.view import IndexedCatalog

    catalog = IndexedCatalog(root)
    try:
        entry = catalog.require(entry_id)
        openness = grade(entry, catalog).grade if entry.kind in ("model", "dataset") else None
        category = None
        if getattr(entry, "license", None):
            try:
                category = catalog.licenses.resolve(entry.license).category
            except LicenseError:
                category = "unknown"
    finally:
        catalog.close()
    return entry_badge(entry.kind, openness, category)


def dump_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
