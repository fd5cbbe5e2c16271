"""Do the evidence quotes still stand? The text of a fetched page, and whether a quote is in it.

A quote is words copied from a page as a reader sees it, so the page is reduced to its visible
text (stdlib html.parser: script, style and template contents dropped, block tags read as word
breaks, inline ones not, entities decoded) before it is searched. Both sides are then normalised
the same way, so that what a copy-paste or a re-render changes does not count as a change of wording: runs of white
space become one space; case is folded; curly and straight quotes, primes and guillemets become
one quote mark each; hyphens and dashes become `-`; soft hyphens and zero-width characters go.

Pages that cannot be read as text are not judged: PDFs and other non-text answers (images,
archives), and pages over MAX_PAGE_BYTES, come back as a note saying why, never as a finding.
Other text (JSON, plain text) is searched as it is; plain text and markdown (a raw README) also
as rendered, without link targets and emphasis marks.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

MAX_PAGE_BYTES = 4 * 1024 * 1024
# Besides text/*: answers that are text too, and that a quote may be copied from (the Hub's API).
TEXT_TYPES = ("application/xhtml+xml", "application/json", "application/yaml", "application/x-yaml")

_SINGLE = "\u2018\u2019\u201a\u201b\u2032\u2035\u00b4`"
_DOUBLE = "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_GONE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_TABLE = str.maketrans(
    {
        **dict.fromkeys(_SINGLE, "'"),
        **dict.fromkeys(_DOUBLE, '"'),
        **dict.fromkeys(_DASHES, "-"),
        **dict.fromkeys(_GONE, None),
    }
)
_SPACE = re.compile(r"\s+")
_SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "svg"})
# Tags inside a line of text: no word break, so that `Apache-<b>2.0</b>` reads `Apache-2.0`.
_INLINE_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "font",
        "i",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
    }
)


def normalise(text: str) -> str:
    """The form in which quotes and pages are compared."""
    return _SPACE.sub(" ", text.translate(_TABLE)).casefold().strip()


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skipping += 1
        if tag not in _INLINE_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self.skipping:
            self.skipping -= 1
        if tag not in _INLINE_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The visible text of an HTML page, tags read as word breaks."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def unreadable(content_type: str | None, url: str = "") -> str | None:
    """Why a page of this type is not searched for quotes; None when it is text."""
    kind = media_type(content_type)
    if kind == "application/pdf" or (not kind and url.lower().endswith(".pdf")):
        return "a PDF"
    if kind and not kind.startswith("text/") and kind not in TEXT_TYPES:
        return f"not a text page ({kind})"
    return None


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(\*\*|__|`+|^#{1,6}\s+|^\s*>\s?)", re.MULTILINE)


def markdown_text(text: str) -> str:
    """Markdown source as it reads rendered: links by their text, no emphasis, code or heading
    marks. A raw README is searched both ways, since a quote may come from either form."""
    return _MD_MARKS.sub("", _MD_LINK.sub(r"\1", text))


def page_text(body: bytes, content_type: str | None) -> str:
    """The text a reader sees of a fetched page: HTML reduced, other text as it is."""
    charset = "utf-8"
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip("\"' ")
    try:
        text = body.decode(charset, errors="replace")
    except LookupError:
        text = body.decode("utf-8", errors="replace")
    kind = media_type(content_type)
    if kind in ("text/html", "application/xhtml+xml") or (
        not kind and "<html" in text[:2048].lower()
    ):
        return html_text(text)
    if kind in ("text/plain", "text/markdown", "text/x-markdown", ""):
        return text + "\n\n" + markdown_text(text)
    return text


def quote_on_page(quote: str, text: str) -> bool:
    """Whether `quote` appears in the page text, both normalised."""
    wanted = normalise(quote)
    return bool(wanted) and wanted in normalise(text)
