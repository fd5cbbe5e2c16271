"""`catalog validate --online`: does every `url` and `sources` address still answer?

Each distinct address is asked once, concurrently but at most a few at a time per host: HEAD first,
then GET (streamed, the body left unread) where HEAD is refused, since many servers answer HEAD
with 403, 405 or 501. 404 and 410 are errors at once; any other failure (a timeout, a refused
connection, a TLS error, a 5xx, a 403 to GET as well) is retried once, then reported as a warning,
because pages come back.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from openai_catalog import __version__, rules
from openai_catalog.rules import Finding

if TYPE_CHECKING:
    import requests

    from openai_catalog.registry import Record

GONE = (404, 410)
CONCURRENCY = 16
PER_HOST = 4
TIMEOUT = 10.0


@dataclass(frozen=True)
class LinkCheck:
    url: str
    ok: bool
    gone: bool = False
    problem: str | None = None


def _ask(session: requests.Session, url: str, timeout: float) -> LinkCheck:
    """One HEAD, and a GET when HEAD is refused."""
    import requests

    try:
        response = session.head(url, allow_redirects=True, timeout=timeout)
        response.close()
        status = response.status_code
        if status < 400 or status in GONE:
            return LinkCheck(url, status < 400, status in GONE, f"answers {status}")
        with session.get(url, allow_redirects=True, timeout=timeout, stream=True) as response:
            status = response.status_code
        return LinkCheck(url, status < 400, status in GONE, f"answers {status}")
    except requests.Timeout:
        return LinkCheck(url, False, problem=f"no answer within {timeout:g}s")
    except requests.exceptions.SSLError:
        return LinkCheck(url, False, problem="TLS error")
    except requests.ConnectionError:
        return LinkCheck(url, False, problem="cannot connect")
    except requests.RequestException as exc:
        return LinkCheck(url, False, problem=type(exc).__name__)


def check_urls(urls: Iterable[str], *, timeout: float = TIMEOUT, concurrency: int = CONCURRENCY,
               per_host: int = PER_HOST) -> dict[str, LinkCheck]:
    """Check each distinct URL; failures other than 404/410 get one more try."""
    import requests
    from requests.adapters import HTTPAdapter

    distinct = list(dict.fromkeys(urls))
    hosts: dict[str, threading.Semaphore] = {}
    lock = threading.Lock()

    def check(url: str) -> LinkCheck:
        host = urlsplit(url).netloc.lower()
        with lock:
            gate = hosts.setdefault(host, threading.Semaphore(per_host))
        with gate:
            result = _ask(session, url, timeout)
            if not result.ok and not result.gone:
                retry = _ask(session, url, timeout)
                result = retry if retry.ok or retry.gone else LinkCheck(
                    url, False, problem=f"{retry.problem} (twice)")
            return result

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
