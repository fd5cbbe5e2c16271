"""Shared by the website's tests: a hostile catalogue to build, and a crawler of the built site."""

from __future__ import annotations

import html.parser
import urllib.parse
from pathlib import Path

from export_helpers import make_catalog

# Text that must come out as text: in a description, an evidence quote and its source URL.
SCRIPT = '<script>alert("x")</script>'
EVIL_EXTRA = f"""description: |
  A description that tries {SCRIPT} and <img src=x onerror=alert(1)> and ]]> and </textarea>.
evidence:
  license:
    - source: "https://example.com/\\"><svg/onload=alert(1)>"
      quote: "licence: MIT {SCRIPT.replace('"', "'")} </q>"
"""


def hostile_catalog(tmp_path: Path) -> Path:
    """The export tests' mini catalogue with the hostile entry, which here also has a description
    and evidence that try to break out of the page."""
    root = make_catalog(tmp_path, hostile=True)
    evil = root / "models" / "evil-model.yaml"
    evil.write_text(evil.read_text().replace("sources:\n", EVIL_EXTRA + "sources:\n", 1))
    return root


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"] or "")
        for name in ("href", "src"):
            value = found.get(name)
            if value is not None and tag in ("a", "link", "script", "img"):
                self.links.append(value)


def parse_page(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def crawl(site: Path, start: str = "index.html") -> tuple[set[Path], list[str]]:
    """Follow every internal link from `start`: the pages reached and the links that lead nowhere
    (a missing file, or a #fragment that names no element). External links must be https."""
    site = site.resolve()
    seen: set[Path] = set()
    broken: list[str] = []
    queue = [site / start]
    ids: dict[Path, set[str]] = {}
    pending_fragments: list[tuple[Path, str, str]] = []
    while queue:
        page = queue.pop()
        if page in seen:
            continue
        seen.add(page)
        if page.suffix != ".html":
            continue
        parsed = parse_page(page)
        ids[page] = parsed.ids
        for link in parsed.links:
            parts = urllib.parse.urlsplit(link)
            if parts.scheme in ("https",) or link.startswith("data:"):
                continue
            if parts.scheme or parts.netloc:
                broken.append(f"{page.relative_to(site)}: non-https link {link}")
                continue
            target = (
                (page.parent / urllib.parse.unquote(parts.path)).resolve() if parts.path else page
            )
            if not target.is_file() or not target.is_relative_to(site):
                broken.append(f"{page.relative_to(site)}: {link}")
                continue
            if parts.fragment:
                pending_fragments.append(
                    (target, parts.fragment, f"{page.relative_to(site)}: {link}")
                )
            queue.append(target)
    for target, fragment, where in pending_fragments:
        if target.suffix == ".html" and fragment not in ids.get(target, parse_page(target).ids):
            broken.append(where)
    return seen, broken
