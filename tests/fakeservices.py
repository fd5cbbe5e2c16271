"""A local stand-in for the Hugging Face Hub, GitHub's REST API and some web pages.

One ThreadingHTTPServer on 127.0.0.1 (port 0) in a daemon thread, answering from memory. The
bodies and headers are shaped after real recorded answers (shared/reference/api-responses): the
Hub's model, dataset and Space info (trimmed by `expand` to `_id`, `id` and the keys asked for), its
307 renames with a relative Location, errors typed by X-Error-Code, and `RateLimit` /
`RateLimit-Policy` on every answer; GitHub's repository objects, 301 to `/repositories/{id}` after
a rename, `{"message": "Not Found"}`, and `x-ratelimit-*` headers, answering 403 when the budget is
spent. The figures are made up for the tests and belong to no real repository.

Tests script what a repo answers, one `Answer` per call (the last one repeats): normal bodies,
renames, errors, 5xx, an answer that stalls, malformed JSON, a body missing fields, 429s with
their headers. `echo_auth` makes every error body repeat the Authorization header it was sent, so
that a test can prove no token leaks from an error into output, logs or files.
"""

from __future__ import annotations

import hashlib
import json
import re
import ssl
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

TLS_DIR = Path(__file__).resolve().parent / "fixtures" / "tls"
HUB_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "hub"
GITHUB_PREFIX = "/gh"


@dataclass
class Answer:
    """One scripted answer. `hold` makes the server refuse (repeat this answer to) any call for the
    same resource that comes back sooner than `hold` seconds later: a client that does not wait as
    long as a 429 said is caught, and counted in `early`."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    stall: bool = False
    hold: float = 0.0


@dataclass
class Seen:
    """One call as the server saw it; header names in lower case."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    at: float


def ok(body: Any, **headers: str) -> Answer:
    return Answer(200, body, dict(headers))


def hub_error(code: str | None, status: int = 404, message: str = "Repository not found") -> Answer:
    headers = {"X-Error-Message": message}
    if code:
        headers["X-Error-Code"] = code
    return Answer(status, {"error": message}, headers)


def server_error(status: int = 503) -> Answer:
    return Answer(status, {"error": "Service Unavailable"})


def stalled() -> Answer:
    return Answer(stall=True)


def malformed() -> Answer:
    return Answer(200, '{"_id": "5f1", "id": "broken/json", "downloads": 12')


def too_many(hold: float = 0.0, **headers: str) -> Answer:
    return Answer(
        429,
        {"error": "You have exceeded our hourly quotas for action: api."},
        {k.replace("_", "-"): v for k, v in headers.items()},
        hold=hold,
    )


def _hex(text: str, n: int) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:n]


# --- bodies (our own figures, the real shapes) ---------------------------------------------------


def hub_model(
    repo_id: str,
    *,
    downloads: int | None = 48213,
    likes: int | None = 1520,
    license: str | None = "apache-2.0",
    gated: Any = False,
    disabled: bool = False,
    parameters: int | None = 6_053_381_344,
    pipeline_tag: str = "text-generation",
    library: str = "transformers",
    tags: Iterable[str] = ("text-generation", "en"),
    base_models: Iterable[str] = (),
    created: str = "2021-06-03T12:00:00.000Z",
    modified: str = "2024-01-05T08:30:00.000Z",
) -> dict[str, Any]:
    author = repo_id.split("/")[0] if "/" in repo_id else None
    tag_list = [library, "safetensors", *tags] + ([f"license:{license}"] if license else [])
    body: dict[str, Any] = {
        "_id": _hex(repo_id, 24),
        "id": repo_id,
        "private": False,
        "pipeline_tag": pipeline_tag,
        "library_name": library,
        "tags": tag_list,
        "downloads": downloads,
        "likes": likes,
        "modelId": repo_id,
        "author": author,
        "sha": _hex(repo_id + "sha", 40),
        "lastModified": modified,
        "gated": gated,
        "disabled": disabled,
        "widgetData": [{"text": "My name is"}],
        "model-index": None,
        "config": {
            "architectures": ["GPTJForCausalLM"],
            "model_type": "gptj",
            "tokenizer_config": {},
        },
        "cardData": {"language": ["en"], "tags": ["causal-lm"]},
        "transformersInfo": {
            "auto_model": "AutoModelForCausalLM",
            "pipeline_tag": pipeline_tag,
            "processor": "AutoTokenizer",
        },
        "siblings": [
            {"rfilename": ".gitattributes"},
            {"rfilename": "README.md"},
            {"rfilename": "config.json"},
            {"rfilename": "model.safetensors"},
        ],
        "spaces": ["someone/demo-space"],
        "createdAt": created,
        "inference": "warm",
        "usedStorage": 24_215_532_211,
    }
    if license:
        body["cardData"]["license"] = license
    if parameters is not None:
        body["safetensors"] = {"parameters": {"F32": parameters}, "total": parameters}
    bases = list(base_models)
    if bases:
        body["cardData"]["base_model"] = bases[0] if len(bases) == 1 else bases
        body["baseModels"] = {"relation": "finetune", "models": [{"id": b} for b in bases]}
    for key in ("downloads", "likes"):
        if body[key] is None:
            del body[key]
    return body


def hub_dataset(
    repo_id: str,
    *,
    downloads: int = 9120,
    likes: int = 311,
    license: str | None = "mit",
    gated: Any = False,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "_id": _hex(repo_id, 24),
        "id": repo_id,
        "author": repo_id.split("/")[0],
        "sha": _hex(repo_id + "sha", 40),
        "lastModified": "2024-03-01T10:00:00.000Z",
        "private": False,
        "gated": gated,
        "disabled": False,
        "tags": ["task_categories:text-generation", "language:en", "size_categories:1M<n<10M"]
        + ([f"license:{license}"] if license else []),
        "citation": None,
        "description": "A text corpus used by the tests.",
        "downloads": downloads,
        "likes": likes,
        "cardData": {"task_categories": ["text-generation"], "language": ["en"]},
        "siblings": [{"rfilename": ".gitattributes"}, {"rfilename": "README.md"}],
        "createdAt": "2022-01-10T09:00:00.000Z",
        "usedStorage": 825_000_000,
    }
    if license:
        body["cardData"]["license"] = license
    return body


def hub_space(repo_id: str, *, likes: int = 87, license: str | None = "mit") -> dict[str, Any]:
    return {
        "_id": _hex(repo_id, 24),
        "id": repo_id,
        "author": repo_id.split("/")[0],
        "sha": _hex(repo_id + "sha", 40),
        "lastModified": "2024-02-02T02:02:02.000Z",
        "private": False,
        "gated": False,
        "disabled": False,
        "likes": likes,
        "sdk": "gradio",
        "tags": ["gradio", "region:us"] + ([f"license:{license}"] if license else []),
        "cardData": {"title": "Demo", "sdk": "gradio", **({"license": license} if license else {})},
        "runtime": {
            "stage": "RUNNING",
            "hardware": {"current": None, "requested": None},
            "storage": None,
            "replicas": {"requested": 1, "current": 1},
        },
        "createdAt": "2023-05-05T05:05:05.000Z",
        "siblings": [{"rfilename": "app.py"}],
    }


def hub_org(name: str, *, followers: int = 4200, models: int = 120) -> dict[str, Any]:
    return {
        "avatarUrl": f"https://cdn.example/avatars/{name}.png",
        "fullname": name.title(),
        "name": name,
        "type": "org",
        "isVerified": True,
        "isFollowing": False,
        "numUsers": 40,
        "numModels": models,
        "numSpaces": 12,
        "numDatasets": 30,
        "numFollowers": followers,
        "numPapers": 9,
        "plan": "team",
    }


def hub_user(name: str, *, followers: int = 800) -> dict[str, Any]:
    return {
        "avatarUrl": f"https://cdn.example/avatars/{name}.png",
        "fullname": name.title(),
        "user": name,
        "type": "user",
        "isPro": False,
        "numModels": 7,
        "numDatasets": 1,
        "numSpaces": 3,
        "numDiscussions": 2,
        "numPapers": 0,
        "numUpvotes": 10,
        "numLikes": 4,
        "numFollowing": 3,
        "numFollowers": followers,
        "orgs": [],
    }


def github_repo(
    full_name: str,
    *,
    repo_id: int | None = None,
    stars: int = 6080,
    forks: int = 890,
    archived: bool = False,
    pushed_at: str = "2024-11-02T10:20:30Z",
    license_spdx: str | None = "Apache-2.0",
    topics: Iterable[str] = ("jax", "transformer"),
    description: str | None = "Model parallel transformers in JAX and Haiku",
) -> dict[str, Any]:
    owner, name = full_name.split("/")
    repo_id = repo_id or int(_hex(full_name, 8), 16) % 10**9
    api = "https://api.github.com"
    license_ = (
        None
        if license_spdx is None
        else {
            "key": license_spdx.lower(),
            "name": license_spdx,
            "spdx_id": license_spdx,
            "url": f"{api}/licenses/{license_spdx.lower()}",
            "node_id": "MDc6TGljZW5zZTE=",
        }
    )
    return {
        "id": repo_id,
        "node_id": "MDEwOlJlcG9zaXRvcnk" + _hex(full_name, 8),
        "name": name,
        "full_name": full_name,
        "private": False,
        "owner": {
            "login": owner,
            "id": 1000 + repo_id % 1000,
            "type": "User",
            "html_url": f"https://github.com/{owner}",
        },
        "html_url": f"https://github.com/{full_name}",
        "description": description,
        "fork": False,
        "url": f"{api}/repos/{full_name}",
        "created_at": "2021-03-01T00:00:00Z",
        "updated_at": "2025-01-02T03:04:05Z",
        "pushed_at": pushed_at,
        "homepage": None,
        "size": 4096,
        "stargazers_count": stars,
        "watchers_count": stars,
        "language": "Python",
        "has_issues": True,
        "forks_count": forks,
        "archived": archived,
        "disabled": False,
        "open_issues_count": 12,
        "license": license_,
        "allow_forking": True,
        "topics": list(topics),
        "visibility": "public",
        "forks": forks,
        "open_issues": 12,
        "watchers": stars,
        "default_branch": "main",
        "network_count": forks,
        "subscribers_count": 90,
    }


def card_body(
    kind: str, repo_id: str, card: dict[str, Any], sha: str | None = None
) -> dict[str, Any]:
    """An API answer in the recorded shape for a card read on a page: cardData is the card, tags
    are derived from it as the Hub derives them; nothing the page did not show is made up."""
    tags: list[str] = []
    for key, prefix in (("datasets", "dataset:"), ("base_model", "base_model:")):
        value = card.get(key)
        tags += [prefix + v for v in ([value] if isinstance(value, str) else value or [])]
    languages = card.get("language")
    tags += [
        f"language:{x}" if kind == "dataset" else x
        for x in ([languages] if isinstance(languages, str) else languages or [])
    ]
    licences = card.get("license")
    tags += [f"license:{x}" for x in ([licences] if isinstance(licences, str) else licences or [])]
    body: dict[str, Any] = {
        "_id": _hex(repo_id, 24),
        "id": repo_id,
        "author": repo_id.split("/")[0],
        "private": False,
        "gated": False,
        "disabled": False,
        "tags": [*card.get("tags", []), *tags, "region:us"],
        "cardData": card,
        "siblings": [{"rfilename": "README.md"}],
    }
    if sha:
        body["sha"] = sha
    if kind == "model" and isinstance(card.get("pipeline_tag"), str):
        body["pipeline_tag"] = card["pipeline_tag"]
    return body


def recorded_cards() -> dict[tuple[str, str], dict[str, Any]]:
    """Every recorded card of tests/fixtures/hub/cards as an API answer, by (kind, repo id):
    the recorded answers verbatim, the cards read on pages through `card_body`."""
    import yaml

    found: dict[tuple[str, str], dict[str, Any]] = {}
    for path in sorted((HUB_FIXTURES / "cards").iterdir()):
        kind = path.name.partition("__")[0]
        if path.name.endswith(".card.yaml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            found[(kind, data["id"])] = card_body(kind, data["id"], data["card"], data.get("sha"))
        elif path.suffix == ".json":
            body = json.loads(path.read_text(encoding="utf-8"))
            found[(kind, body["id"])] = body
    return found


def recorded_card_texts() -> dict[tuple[str, str], str]:
    """The recorded cards' texts (tests/fixtures/hub/cards/*.readme.md), by (kind, repo id)."""
    cards = recorded_cards()
    ids = {path_stem(kind, repo_id): (kind, repo_id) for kind, repo_id in cards}
    return {
        ids[path.name.removesuffix(".readme.md")]: path.read_text(encoding="utf-8")
        for path in sorted((HUB_FIXTURES / "cards").glob("*.readme.md"))
    }


def path_stem(kind: str, repo_id: str) -> str:
    """The file stem of a recorded card: KIND__OWNER__NAME."""
    return f"{kind}__{repo_id.replace('/', '__')}"


def recorded_renames() -> list[tuple[str, str]]:
    data = json.loads((HUB_FIXTURES / "renames.json").read_text(encoding="utf-8"))
    return [(old, new) for old, new in data["renames"]]


# --- the server ----------------------------------------------------------------------------------


@dataclass
class _Window:
    quota: int
    seconds: int
    started: float = 0.0
    used: int = 0

    def take(self, now: float) -> tuple[bool, int, int]:
        """Count one call; returns (allowed, remaining, seconds to reset)."""
        if now - self.started >= self.seconds:
            self.started, self.used = now, 0
        self.used += 1
        left = max(0, int(self.started + self.seconds - now + 0.999))
        return self.used <= self.quota, max(0, self.quota - self.used), left


class FakeServices:
    """The Hub under /api, GitHub under /gh, web pages under /web: see the module docstring."""

    def __init__(self, *, tls: bool = False, latency: float = 0.0) -> None:
        self.tls = tls
        self.latency = latency
        self.lock = threading.Lock()
        self.reset()
        self._server: ThreadingHTTPServer | None = None

    def reset(self) -> None:
        """Forget every scripted answer, limit and logged call, and let stalled answers go."""
        stalled_calls = getattr(self, "release", None)
        if stalled_calls is not None:
            stalled_calls.set()
        self.release = threading.Event()
        self.hub: dict[str, list[Answer]] = {}
        self.github: dict[str, list[Answer]] = {}
        self.pages: dict[str, dict[str, list[Answer]]] = {}
        self.readmes: dict[str, str] = {}
        self.log: list[Seen] = []
        self.hub_limit: _Window | None = None
        self.github_limit: _Window | None = None
        self.echo_auth = False
        self.in_flight = 0
        self.peak_in_flight = 0
        self.over_limit = 0
        self.early = 0
        self._served: dict[str, tuple[Answer, float]] = {}
        self._count: dict[str, int] = {}

    # scripting ---------------------------------------------------------------------------------

    def model(self, repo_id: str, *answers: Answer | dict[str, Any], **fields: Any) -> None:
        self.hub[f"models/{repo_id}"] = self._answers(answers) or [ok(hub_model(repo_id, **fields))]

    def dataset(self, repo_id: str, *answers: Answer | dict[str, Any], **fields: Any) -> None:
        self.hub[f"datasets/{repo_id}"] = self._answers(answers) or [
            ok(hub_dataset(repo_id, **fields))
        ]

    def space(self, repo_id: str, *answers: Answer | dict[str, Any], **fields: Any) -> None:
        self.hub[f"spaces/{repo_id}"] = self._answers(answers) or [ok(hub_space(repo_id, **fields))]

    def org(self, name: str, *answers: Answer | dict[str, Any], **fields: Any) -> None:
        self.hub[f"organizations/{name}"] = self._answers(answers) or [ok(hub_org(name, **fields))]

    def user(self, name: str, *answers: Answer | dict[str, Any], **fields: Any) -> None:
        self.hub[f"users/{name}"] = self._answers(answers) or [ok(hub_user(name, **fields))]

    def recorded(self) -> list[tuple[str, str]]:
        """Serve every recorded card (tests/fixtures/hub) and recorded rename; returns the
        (kind, repo id) of each card."""
        cards = recorded_cards()
        for (kind, repo_id), body in cards.items():
            self.hub[f"{kind}s/{repo_id}"] = [ok(body)]
        for old, new in recorded_renames():
            self.hub_rename("model", old, new)
        for (kind, repo_id), text in recorded_card_texts().items():
            self.readme(kind, repo_id, text)
        return sorted(cards)

    def readme(self, kind: str, repo_id: str, text: str) -> None:
        """The card's text, README.md, as the Hub serves it at /[datasets/]REPO/resolve/REV/."""
        self.readmes[f"{'' if kind == 'model' else kind + 's/'}{repo_id}"] = text

    def hub_rename(self, repo_type: str, old: str, new: str) -> None:
        """The Hub's answer for a moved repo: 307 to the new id, relative, in plain text."""
        location = f"/api/{repo_type}s/{new}"
        self.hub[f"{repo_type}s/{old}"] = [
            Answer(307, f"Temporary Redirect. Redirecting to {location}", {"Location": location})
        ]

    def repo(self, full_name: str, *answers: Answer | dict[str, Any], **fields: Any) -> None:
        body = github_repo(full_name, **fields)
        self.github[full_name.lower()] = self._answers(answers) or [ok(body)]
        self.github[f"repositories/{body['id']}"] = self.github[full_name.lower()]

    def github_rename(self, old: str, new: str) -> None:
        """GitHub's answer for a renamed repo: 301 to /repositories/{id} of the new one."""
        repo_id = github_repo(new)["id"]
        if new.lower() not in self.github:
            self.repo(new)
        location = f"{self.url}{GITHUB_PREFIX}/repositories/{repo_id}"
        self.github[old.lower()] = [
            Answer(
                301,
                {
                    "message": "Moved Permanently",
                    "url": location,
                    "documentation_url": "https://docs.github.com/v3/#http-redirects",
                },
                {"Location": location},
            )
        ]

    def page(self, path: str, *answers: Answer, head: Iterable[Answer] | None = None) -> str:
        """A web page at /web/<path>; `head` answers HEAD differently from GET. Returns its URL."""
        get = list(answers) or [Answer(200, "<html>ok</html>")]
        self.pages[path] = {"GET": get, "HEAD": list(head) if head is not None else get}
        return f"{self.url}/web/{path}"

    @staticmethod
    def _answers(answers: Iterable[Answer | dict[str, Any]]) -> list[Answer]:
        return [a if isinstance(a, Answer) else ok(a) for a in answers]

    def limit_hub(self, quota: int, seconds: int) -> None:
        self.hub_limit = _Window(quota, seconds)

    def limit_github(self, quota: int, seconds: int) -> None:
        self.github_limit = _Window(quota, seconds)

    # observing -----------------------------------------------------------------------------------

    def calls(self, prefix: str = "") -> list[Seen]:
        with self.lock:
            return [s for s in self.log if s.path.startswith(prefix)]

    # serving ---------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the server first"
        port = self._server.server_address[1]
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{port}"

    def start(self) -> FakeServices:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        server.daemon_threads = True
        if self.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(TLS_DIR / "cert.pem", TLS_DIR / "key.pem")
            server.socket = context.wrap_socket(server.socket, server_side=True)
        self._server = server
        threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name="fakeservices",
        ).start()
        return self

    def stop(self) -> None:
        self.release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _next(self, key: str, answers: list[Answer]) -> Answer:
        with self.lock:
            previous = self._served.get(key)
            now = time.monotonic()
            if previous and previous[0].hold and now - previous[1] < previous[0].hold - 0.05:
                self.early += 1
                return previous[0]
            index = self._count.get(key, 0)
            self._count[key] = index + 1
            answer = answers[min(index, len(answers) - 1)]
            self._served[key] = (answer, now)
            return answer

    def answer(
        self, method: str, path: str, query: dict[str, list[str]], auth: str | None
    ) -> tuple[Answer, dict[str, str]]:
        """What the server says to one call, and the rate-limit headers to add."""
        extra: dict[str, str] = {}
        if path.startswith("/api/"):
            allowed, extra = self._count_call(self.hub_limit, "hub")
            if not allowed:
                return Answer(
                    429, {"error": "You have exceeded our rate limit for action: api."}
                ), extra
            return self._hub(path[len("/api/") :], query), extra
        if path.startswith(GITHUB_PREFIX + "/"):
            allowed, extra = self._count_call(self.github_limit, "github")
            if not allowed:
                return Answer(
                    403,
                    {
                        "message": "API rate limit exceeded for 127.0.0.1. (But here's the "
                        "good news: Authenticated requests get a higher rate limit.)",
                        "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
                    },
                ), extra
            key = path[len(GITHUB_PREFIX) + 1 :].removeprefix("repos/").lower()
            answers = self.github.get(key)
            if answers is None:
                return Answer(
                    404,
                    {
                        "message": "Not Found",
                        "documentation_url": "https://docs.github.com/rest/repos/repos#get-a-repository",
                        "status": "404",
                    },
                ), extra
            return self._next(f"gh:{key}", answers), extra
        readme = re.match(r"^/(.+)/resolve/[^/]+/README\.md$", path)
        if readme and readme.group(1) in self.readmes:
            return Answer(200, self.readmes[readme.group(1)]), extra
        if path.startswith("/web/"):
            page = self.pages.get(path[len("/web/") :])
            if page is None:
                return Answer(404, "<html>not found</html>"), extra
            return self._next(f"web:{method}:{path}", page[method]), extra
        return Answer(404, {"error": "no such route"}), extra

    def _count_call(self, window: _Window | None, service: str) -> tuple[bool, dict[str, str]]:
        if window is None:
            return True, {}
        with self.lock:
            allowed, remaining, reset_in = window.take(time.monotonic())
            if not allowed:
                self.over_limit += 1
        if service == "hub":
            return allowed, {
                "RateLimit": f'"api";r={remaining};t={reset_in}',
                "RateLimit-Policy": f'"fixed window";"api";q={window.quota};w={window.seconds}',
            }
        return allowed, {
            "x-ratelimit-limit": str(window.quota),
            "x-ratelimit-remaining": str(remaining),
            "x-ratelimit-reset": str(int(time.time()) + reset_in),
            "x-ratelimit-used": str(window.used),
            "x-ratelimit-resource": "core",
        }

    def _hub(self, rest: str, query: dict[str, list[str]]) -> Answer:
        if rest.startswith(("organizations/", "users/")) and rest.endswith("/overview"):
            key = rest.removesuffix("/overview")
            answers = self.hub.get(key)
            if answers is None:
                return Answer(404, {"error": "Not Found"})
            return self._next(f"hub:{key}", answers)
        answers = self.hub.get(rest)
        if answers is None:
            return hub_error("RepoNotFound")
        answer = self._next(f"hub:{rest}", answers)
        expand = query.get("expand")
        if answer.status == 200 and isinstance(answer.body, dict) and expand:
            keep = {"_id", "id", *expand}
            answer = Answer(
                200,
                {k: v for k, v in answer.body.items() if k in keep},
                answer.headers,
                answer.delay,
                answer.stall,
                answer.hold,
            )
        if answer.status == 307 and query:
            location = (
                answer.headers["Location"]
                + "?"
                + "&".join(f"{k}={v}" for k, values in query.items() for v in values)
            )
            answer = Answer(
                307, f"Temporary Redirect. Redirecting to {location}", {"Location": location}
            )
        return answer


def _handler(services: FakeServices) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes; with Nagle's algorithm on, the body would wait
        # for the client's delayed ACK, adding 40 ms to every answer that a real server does not.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def handle(self) -> None:
            try:
                super().handle()
            except (ConnectionError, ssl.SSLError, TimeoutError):
                pass

        def do_GET(self) -> None:
            self._serve("GET")

        def do_HEAD(self) -> None:
            self._serve("HEAD")

        def _serve(self, method: str) -> None:
            split = urlsplit(self.path)
            query = parse_qs(split.query)
            auth = self.headers.get("Authorization")
            with services.lock:
                services.log.append(
                    Seen(
                        method,
                        split.path,
                        query,
                        {k.lower(): v for k, v in self.headers.items()},
                        time.monotonic(),
                    )
                )
                services.in_flight += 1
                services.peak_in_flight = max(services.peak_in_flight, services.in_flight)
            try:
                answer, extra = services.answer(method, split.path, query, auth)
                if services.latency:
                    time.sleep(services.latency)
                if answer.delay:
                    time.sleep(answer.delay)
                if answer.stall:
                    services.release.wait(30)
                    return
                self._send(method, answer, extra, auth)
            finally:
                with services.lock:
                    services.in_flight -= 1

        def _send(
            self, method: str, answer: Answer, extra: dict[str, str], auth: str | None
        ) -> None:
            body = answer.body
            headers = {**answer.headers, **extra}
            if services.echo_auth and answer.status >= 400 and auth:
                echo = f" (you sent Authorization: {auth})"
                if isinstance(body, dict):
                    key = "error" if "error" in body else "message"
                    body = {**body, key: str(body.get(key, "")) + echo}
                if "X-Error-Message" in headers:
                    headers["X-Error-Message"] += echo
            if isinstance(body, (dict, list)):
                raw = json.dumps(body).encode()
                headers.setdefault("Content-Type", "application/json; charset=utf-8")
            elif isinstance(body, str):
                raw = body.encode()
                headers.setdefault(
                    "Content-Type",
                    "application/json; charset=utf-8"
                    if body.startswith("{")
                    else "text/plain; charset=utf-8",
                )
            else:
                raw = b"" if body is None else bytes(body)
            self.send_response(answer.status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            if method != "HEAD":
                self.wfile.write(raw)

    return Handler
