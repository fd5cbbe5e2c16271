"""`catalog validate --online`: does every `url`, `sources` and evidence address still answer,
and does every evidence quote still stand on its page?

Each distinct address is asked once, concurrently but at most a few at a time per host: HEAD first,
then GET (streamed, the body left unread) where HEAD is refused, since many servers answer HEAD
with 403, 405 or 501. An evidence source is asked with one GET instead, its body read (up to
quotes.MAX_PAGE_BYTES) and searched for every quote that cites it, however many there are: the
answer serves the link check and the quote check alike. 404 and 410 are errors at once; any other
failure (a timeout, a refused connection, a TLS error, a 5xx, a 403 to GET as well) is retried
once, then reported as a warning, because pages come back. Retries, backoff and 429s follow
enrichment's policy (enrich/policy.py), with a gate per host in the place of a service's. A quote
missing from its page is drift (CAT087); a page that cannot be read as text (a PDF, an image, a
page over the size limit) is not judged, and a note says so.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from openai_catalog import __version__, rules
from openai_catalog.enrich.policy import (
    Definitive,
    FetchError,
    Gate,
    RateLimited,
    Settings,
    Transient,
    advertised_wait,
    call,
)
from openai_catalog.rules import Finding

if TYPE_CHECKING:
    import requests

    from openai_catalog.registry import Record

GONE = (404, 410)
CONCURRENCY = 16
PER_HOST = 4
TIMEOUT = 10.0
# One retry after a failure that may pass; a page that asks us to wait is waited for, a little.
SETTINGS = Settings(
    timeout=TIMEOUT, retries=1, backoff=0.5, max_wait=60.0, default_rate_wait=5.0, rate_limit_hits=2
)


@dataclass(frozen=True)
class LinkCheck:
    """How one address answered; for a page read for quotes, which of them it lacks (`missing`)
    or why it was not read (`unread`)."""

    url: str
    ok: bool
    gone: bool = False
    problem: str | None = None
    missing: frozenset[str] = frozenset()
    unread: str | None = None


def _status(status: int, headers: Mapping[str, str]) -> None:
    """Raise a failing status as enrichment's policy types it (gone: Definitive; 429:
    RateLimited; anything that may pass: Transient)."""
    if status in GONE:
        raise Definitive(f"answers {status}", "gone", headers)
    if status == 429:
        raise RateLimited(f"answers {status}", advertised_wait(headers), headers)
    raise Transient(f"answers {status}", headers=headers)


def _read(
    session: requests.Session, url: str, timeout: float, quotes: frozenset[str], max_bytes: int
) -> tuple[LinkCheck, Mapping[str, str] | None]:
    """One GET whose body is read, within `max_bytes`, and searched for `quotes`."""
    from openai_catalog.checks.quotes import page_text, quote_on_page, unreadable

    with session.get(url, allow_redirects=True, timeout=timeout, stream=True) as response:
        status, headers = response.status_code, dict(response.headers)
        if status >= 400:
            _status(status, headers)
        content_type = response.headers.get("Content-Type")
        why = unreadable(content_type, response.url)
        if why:
            return LinkCheck(url, True, unread=why), headers
        limit = f"over the {max_bytes / 2**20:g} MiB a page may have"
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > max_bytes:
            return LinkCheck(url, True, unread=limit), headers
        body = bytearray()
        for chunk in response.iter_content(1 << 16):
            body += chunk
            if len(body) > max_bytes:
                return LinkCheck(url, True, unread=limit), headers
    text = page_text(bytes(body), content_type)
    missing = frozenset(q for q in quotes if not quote_on_page(q, text))
    return LinkCheck(url, True, missing=missing), headers


def _ask(
    session: requests.Session,
    url: str,
    timeout: float,
    quotes: frozenset[str] | None = None,
    max_bytes: int = 0,
) -> tuple[LinkCheck, Mapping[str, str] | None]:
    """One HEAD, and a GET when HEAD is refused; or, for a page with `quotes`, one GET that reads
    it. A failure is raised as enrichment's policy types it (see _status)."""
    import requests

    try:
        if quotes is not None:
            return _read(session, url, timeout, quotes, max_bytes)
        response = session.head(url, allow_redirects=True, timeout=timeout)
        response.close()
        status, headers = response.status_code, dict(response.headers)
        if status >= 400 and status not in GONE and status != 429:
            with session.get(url, allow_redirects=True, timeout=timeout, stream=True) as response:
                status, headers = response.status_code, dict(response.headers)
    except requests.Timeout:
        raise Transient(f"no answer within {timeout:g}s") from None
    except requests.exceptions.SSLError:
        raise Transient("TLS error") from None
    except requests.ConnectionError:
        raise Transient("cannot connect") from None
    except requests.RequestException as exc:
        raise Transient(type(exc).__name__) from None
    if status < 400:
        return LinkCheck(url, True, problem=f"answers {status}"), headers
    _status(status, headers)
    raise AssertionError("unreachable")  # _status always raises


def check_urls(
    urls: Iterable[str],
    *,
    timeout: float = TIMEOUT,
    concurrency: int = CONCURRENCY,
    per_host: int = PER_HOST,
    settings: Settings = SETTINGS,
    quotes: Mapping[str, Iterable[str]] | None = None,
    max_bytes: int | None = None,
) -> dict[str, LinkCheck]:
    """Check each distinct URL; failures other than 404/410 are retried as `settings` say. A URL
    in `quotes` is read and searched for the quotes listed under it."""
    import requests
    from requests.adapters import HTTPAdapter

    from openai_catalog.checks.quotes import MAX_PAGE_BYTES

    settings = dataclasses.replace(settings, timeout=timeout)
    wanted = {url: frozenset(found) for url, found in (quotes or {}).items()}
    limit = MAX_PAGE_BYTES if max_bytes is None else max_bytes
    distinct = list(dict.fromkeys([*urls, *wanted]))
    hosts: dict[str, Gate] = {}
    lock = threading.Lock()

    def check(url: str) -> LinkCheck:
        host = urlsplit(url).netloc.lower()
        with lock:
            gate = hosts.setdefault(host, Gate(host, per_host, settings.max_wait))
        try:
            return call(gate, settings, lambda: _ask(session, url, timeout, wanted.get(url), limit))
        except Definitive as exc:
            return LinkCheck(url, False, True, exc.message)
        except FetchError as exc:
            return LinkCheck(url, False, problem=exc.message)

    with requests.Session() as session:
        session.headers["User-Agent"] = (
            f"openai-catalog/{__version__} link check "
            "(+https://github.com/openai-catalog/openai-catalog)"
        )
        adapter = HTTPAdapter(pool_maxsize=concurrency, max_retries=0)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
            return dict(zip(distinct, pool.map(check, distinct), strict=True))


def link_findings(
    records: Iterable[Record],
    notes: list[str] | None = None,
    *,
    timeout: float = TIMEOUT,
    max_bytes: int | None = None,
) -> list[Finding]:
    """Findings for the `url`, `sources` and evidence addresses of the records' entries, and for
    evidence quotes gone from their pages; `notes` collects the pages that could not be judged."""
    places: list[tuple[Record, tuple[str | int, ...], str]] = []
    quotes: dict[str, set[str]] = {}
    for record in records:
        entry = record.entry
        if entry is None:
            continue
        if entry.url:
            places.append((record, ("url",), entry.url))
        places.extend((record, ("sources", i), url) for i, url in enumerate(entry.sources))
        for name, items in entry.evidence.items():
            for i, item in enumerate(items):
                places.append((record, ("evidence", name, i, "source"), item.source))
                quotes.setdefault(item.source, set()).add(item.quote)
    results = check_urls(
        (url for _, _, url in places), quotes=quotes, timeout=timeout, max_bytes=max_bytes
    )
    out: list[Finding] = []
    unread: dict[str, str] = {}
    for record, field, url in places:
        result = results[url]
        line, col = record.position(*field)
        where = _where(field)
        if result.gone:
            out.append(
                rules.UrlGone.at(
                    record.display,
                    line,
                    col,
                    f"{where} {url} {result.problem}",
                    "replace it with the page's new address or an archived copy",
                )
            )
        elif not result.ok:
            out.append(
                rules.UrlUnreachable.at(
                    record.display,
                    line,
                    col,
                    f"{where} {url}: {result.problem}",
                    "try it in a browser; fix or replace it if it stays down",
                )
            )
        elif result.unread:
            unread.setdefault(url, result.unread)
        elif field[0] == "evidence" and record.entry is not None:
            name, index = str(field[1]), int(field[2])
            quote = record.entry.evidence[name][index].quote
            if quote in result.missing:
                out.append(
                    rules.QuoteGone.at(
                        record.display,
                        *record.position("evidence", name, index, "quote"),
                        f"{record.entry.id}: the quote backing `{name}` is no longer on {url}",
                        f"read the page: if `{name}` changed (a relicensing, a new figure), fix it and "
                        "its quote; if the words moved, cite the page that states them now",
                    )
                )
    if notes is not None:
        notes.extend(f"quotes on {url} not checked: {why}" for url, why in unread.items())
    return out


def _where(field: tuple[str | int, ...]) -> str:
    if field[0] == "sources":
        return f"sources[{field[1]}]"
    if field[0] == "evidence":
        return f"evidence.{field[1]}[{field[2]}]"
    return str(field[0])
