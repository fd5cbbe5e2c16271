"""`catalog validate --online`: does every `url` and `sources` address still answer?

Each distinct address is asked once, concurrently but at most a few at a time per host: HEAD first,
then GET (streamed, the body left unread) where HEAD is refused, since many servers answer HEAD
with 403, 405 or 501. 404 and 410 are errors at once; any other failure (a timeout, a refused
connection, a TLS error, a 5xx, a 403 to GET as well) is retried once, then reported as a warning,
because pages come back. Retries, backoff and 429s follow enrichment's policy (enrich/policy.py),
with a gate per host in the place of a service's.
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
SETTINGS = Settings(timeout=TIMEOUT, retries=1, backoff=0.5, max_wait=60.0, default_rate_wait=5.0,
                    rate_limit_hits=2)


@dataclass(frozen=True)
class LinkCheck:
    url: str
    ok: bool
    gone: bool = False
    problem: str | None = None


def _ask(session: requests.Session, url: str, timeout: float,
         ) -> tuple[LinkCheck, Mapping[str, str] | None]:
    """One HEAD, and a GET when HEAD is refused; a failure is raised as enrichment's policy
    types it (gone: Definitive; 429: RateLimited; anything that may pass: Transient)."""
    import requests

    try:
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
    if status in GONE:
        raise Definitive(f"answers {status}", "gone", headers)
    if status == 429:
        raise RateLimited(f"answers {status}", advertised_wait(headers), headers)
    raise Transient(f"answers {status}", headers=headers)


def check_urls(urls: Iterable[str], *, timeout: float = TIMEOUT, concurrency: int = CONCURRENCY,
               per_host: int = PER_HOST, settings: Settings = SETTINGS) -> dict[str, LinkCheck]:
    """Check each distinct URL; failures other than 404/410 are retried as `settings` say."""
    import requests
    from requests.adapters import HTTPAdapter

    settings = dataclasses.replace(settings, timeout=timeout)
    distinct = list(dict.fromkeys(urls))
    hosts: dict[str, Gate] = {}
    lock = threading.Lock()

    def check(url: str) -> LinkCheck:
        host = urlsplit(url).netloc.lower()
        with lock:
            gate = hosts.setdefault(host, Gate(host, per_host, settings.max_wait))
        try:
            return call(gate, settings, lambda: _ask(session, url, timeout))
        except Definitive as exc:
            return LinkCheck(url, False, True, exc.message)
        except FetchError as exc:
            return LinkCheck(url, False, problem=exc.message)

    with requests.Session() as session:
        session.headers["User-Agent"] = (f"openai-catalog/{__version__} link check "
                                         "(+https://github.com/openai-catalog/openai-catalog)")
        adapter = HTTPAdapter(pool_maxsize=concurrency, max_retries=0)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
            return dict(zip(distinct, pool.map(check, distinct), strict=True))


def link_findings(records: Iterable[Record]) -> list[Finding]:
    """Findings for the `url` and `sources` addresses of the records' entries."""
    places: list[tuple[Record, tuple[str | int, ...], str]] = []
    for record in records:
        entry = record.entry
        if entry is None:
            continue
        if entry.url:
            places.append((record, ("url",), entry.url))
        places.extend((record, ("sources", i), url) for i, url in enumerate(entry.sources))
    results = check_urls(url for _, _, url in places)
    out: list[Finding] = []
    for record, field, url in places:
        result = results[url]
        if result.ok:
            continue
        where = "url" if field == ("url",) else f"sources[{field[1]}]"
        line, col = record.position(*field)
        if result.gone:
            out.append(rules.UrlGone.at(record.display, line, col, f"{where} {url} {result.problem}",
                                        "replace it with the page's new address or an archived copy"))
        else:
            out.append(rules.UrlUnreachable.at(record.display, line, col,
                                               f"{where} {url}: {result.problem}",
                                               "try it in a browser; fix or replace it if it stays down"))
    return out
