"""GitHub's REST API, through requests: `GET /repos/{owner}/{repo}` per entry.

The base URL is $GITHUB_API_URL (set in GitHub Actions and on GitHub Enterprise), else
https://api.github.com; $GITHUB_TOKEN, when set, raises the limit from 60 calls an hour to 5,000.
A renamed repo answers 301 with the new location, which requests follows (dropping the token if
the host changes); the body then names the repo as it is now called.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self

from openai_catalog import __version__
from openai_catalog.enrich.policy import (
    Definitive,
    Failed,
    Gate,
    RateLimited,
    Settings,
    Transient,
    advertised_wait,
    call,
    header,
    server_text,
)
from openai_catalog.enrich.snapshot import check_fields

if TYPE_CHECKING:
    import requests

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"


def api_url(env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    return (env.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/")


def _typed(value: Any, kind: type) -> Any:
    if kind is int and isinstance(value, bool):
        return None
    return value if isinstance(value, kind) else None


def repo_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    """The snapshot fields of a repository body; absent or mistyped values are left out."""
    license_ = body.get("license")
    topics = body.get("topics")
    fields = {
        "resolved": _typed(body.get("full_name"), str),
        "stars": _typed(body.get("stargazers_count"), int),
        "forks": _typed(body.get("forks_count"), int),
        "archived": _typed(body.get("archived"), bool),
        "disabled": _typed(body.get("disabled"), bool),
        "pushed_at": _typed(body.get("pushed_at"), str),
        "license": _typed(license_.get("spdx_id"), str) if isinstance(license_, dict) else None,
        "topics": [t for t in topics if isinstance(t, str)] if isinstance(topics, list) else None,
        "description": _typed(body.get("description"), str),
    }
    return check_fields("github", fields)[0]  # absent, mistyped or out-of-range values left out


class GithubClient:
    """A requests session for one run; use it as a context manager."""

    def __init__(
        self, settings: Settings, gate: Gate, env: Mapping[str, str] | None = None
    ) -> None:
        env = os.environ if env is None else env
        self.settings = settings
        self.gate = gate
        self.base = api_url(env)
        self.token = env.get("GITHUB_TOKEN") or None
        self.secrets = [self.token] if self.token else []

    def __enter__(self) -> Self:
        import requests
        from requests.adapters import HTTPAdapter

        self.session = requests.Session()
        self.session.headers.update(
            {
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": f"openai-catalog/{__version__}",
            }
        )
        if self.token:
            self.session.headers["Authorization"] = f"Bearer {self.token}"
        adapter = HTTPAdapter(pool_maxsize=max(2, self.settings.github_concurrency), max_retries=0)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        return self

    def __exit__(self, *exc: object) -> None:
        self.session.close()

    def fetch(self, repo: str) -> dict[str, Any]:
        """The fields of `owner/repo`; raises FetchError."""
        return call(self.gate, self.settings, lambda: self._attempt(repo))

    def _attempt(self, repo: str) -> tuple[dict[str, Any], Mapping[str, str] | None]:
        import requests

        url = f"{self.base}/repos/{repo}"
        try:
            response = self.session.get(url, timeout=(self.settings.timeout, self.settings.timeout))
        except requests.Timeout:
            raise Transient(f"no answer within {self.settings.timeout:g}s", "timeout") from None
        except requests.TooManyRedirects:
            raise Failed("too many redirects", "http_error") from None
        except requests.RequestException as exc:
            raise Transient(f"network error: {type(exc).__name__}", "network") from None
        headers = dict(response.headers)
        try:
            if response.status_code != 200:
                raise self._error(response, headers)
            try:
                body = response.json()
            except ValueError:
                body = None
            if not isinstance(body, dict):
                raise Failed(
                    "GitHub's answer is malformed (not a JSON object)", "malformed", headers
                )
            return repo_fields(body), headers
        finally:
            response.close()

    def _error(self, response: requests.Response, headers: dict[str, str]) -> Exception:
        status = response.status_code
        try:
            body = response.json()
            detail = body.get("message") if isinstance(body, dict) else None
        except ValueError:
            detail = response.text[:500]
        detail = server_text(detail, self.secrets)
        message = f"HTTP {status} from GitHub" + (f": {detail}" if detail else "")
        remaining = header(headers, "x-ratelimit-remaining")
        if status == 429 or (
            status == 403 and (remaining == "0" or "rate limit" in detail.lower())
        ):
            hint = "" if self.token else " (set GITHUB_TOKEN for 5,000 calls an hour)"
            return RateLimited(message + hint, advertised_wait(headers), headers)
        if status == 404:
            return Definitive(
                "GitHub has no such repository (or it is private)", "not_found", headers
            )
        if status == 451:
            return Definitive(
                "GitHub blocks this repository for legal reasons", "disabled", headers
            )
        if status >= 500:
            return Transient(message, "server_error", headers)
        if status == 401:
            return Failed(message + " (check GITHUB_TOKEN)", "unauthorized", headers)
        return Failed(message, "http_error", headers)
