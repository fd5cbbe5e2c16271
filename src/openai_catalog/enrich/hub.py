"""The Hugging Face Hub, through huggingface_hub: one call per entry, asking only for what we keep.

The repo type follows from the entry's kind: a model's `hub` is a model repo, a dataset's a dataset
repo, a tool's or compute program's a Space, and a community's its organisation on the Hub (or,
failing that, the user account that publishes its work).

huggingface_hub reads HF_ENDPOINT when it is imported, sets no timeout unless given one and makes one
attempt per call. So this module installs, for the length of a run, an HTTP client with a timeout
on every call (the organisation and user overviews take no `timeout` argument) and a response hook
that hands each answer's rate-limit headers to the gate; retries and rate limits are policy.py's.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from openai_catalog import __version__
from openai_catalog.enrich.policy import (
    Budget,
    Definitive,
    Failed,
    FetchError,
    Gate,
    RateLimited,
    Settings,
    Transient,
    advertised_wait,
    call,
    server_text,
)
from openai_catalog.enrich.snapshot import check_fields

if TYPE_CHECKING:
    import httpx2

T = TypeVar("T")

MODEL_EXPAND = [
    "downloads",
    "likes",
    "createdAt",
    "lastModified",
    "cardData",
    "gated",
    "disabled",
    "pipeline_tag",
    "library_name",
    "safetensors",
    "tags",
    "baseModels",
]
DATASET_EXPAND = [
    "downloads",
    "likes",
    "createdAt",
    "lastModified",
    "cardData",
    "gated",
    "disabled",
    "tags",
]
# The most of a card's text that is read (the longest cards, with evaluation tables, are ~100 kB).
CARD_TEXT_LIMIT = 400_000
SPACE_EXPAND = ["likes", "createdAt", "lastModified", "cardData", "disabled", "tags", "sdk"]
REPO_TYPES = {
    "model": "model",
    "dataset": "dataset",
    "tool": "space",
    "compute": "space",
    "community": "organization",
}


def repo_type(kind: str) -> str:
    return REPO_TYPES[kind]


def _iso(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _strings(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return None


def _card(info: Any) -> dict[str, Any]:
    card = getattr(info, "card_data", None)
    if card is None:
        return {}
    if isinstance(card, dict):
        return card
    try:
        data = card.to_dict()
    except (ValueError, TypeError, AttributeError):  # card data the client could not read: absent
        return {}
    return data if isinstance(data, dict) else {}


def _license(card: Mapping[str, Any], tags: list[str] | None) -> str | None:
    """The licence the card declares, else the `license:` tag the Hub derives from it."""
    value = card.get("license")
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, str) and value:
        return value
    for tag in tags or []:
        if tag.startswith("license:"):
            return tag.removeprefix("license:")
    return None


def _base_models(info: Any, card: Mapping[str, Any]) -> list[str] | None:
    """`baseModels` ({"relation": ..., "models": [{"id": ...}]}), else the card's `base_model`."""
    base = getattr(info, "base_models", None)
    if isinstance(base, dict):
        models = base.get("models")
        if isinstance(models, list):
            ids = [m.get("id") if isinstance(m, dict) else m for m in models]
            return [i for i in ids if isinstance(i, str)]
    return _strings(card.get("base_model"))


def repo_fields(info: Any) -> dict[str, Any]:
    """The snapshot fields of a ModelInfo, DatasetInfo or SpaceInfo; absent values are left out."""
    card = _card(info)
    tags = _strings(getattr(info, "tags", None))
    gated = getattr(info, "gated", None)
    safetensors = getattr(info, "safetensors", None)
    fields: dict[str, Any] = {
        "resolved_id": _str(getattr(info, "id", None)),
        "downloads": _int(getattr(info, "downloads", None)),
        "likes": _int(getattr(info, "likes", None)),
        "created_at": _iso(getattr(info, "created_at", None)),
        "last_modified": _iso(getattr(info, "last_modified", None)),
        "license": _license(card, tags),
        "gated": gated
        if gated in (False, "auto", "manual")
        else (None if gated is None else str(gated)),
        "disabled": getattr(info, "disabled", None)
        if isinstance(getattr(info, "disabled", None), bool)
        else None,
        "pipeline_tag": _str(getattr(info, "pipeline_tag", None)),
        "library": _str(getattr(info, "library_name", None)),
        "parameters": _int(getattr(safetensors, "total", None)),
        "sdk": _str(getattr(info, "sdk", None)),
        "tags": tags,
        "base_models": _base_models(info, card),
    }
    return check_fields("hub", fields)[0]  # absent, mistyped or out-of-range values left out


def with_card(info: Any) -> dict[str, Any]:
    """`repo_fields` plus the card's front matter and the revision it was read at."""
    fields = repo_fields(info)
    fields["card"] = _card(info)
    sha = _str(getattr(info, "sha", None))
    if sha:
        fields["sha"] = sha
    return fields


def account_fields(account: Any, kind: str) -> dict[str, Any]:
    """The snapshot fields of an Organization or User overview."""
    name = (
        getattr(account, "name", None)
        if kind == "organization"
        else getattr(account, "username", None)
    )
    fields = {
        "resolved_id": _str(name),
        "account": kind,
        "followers": _int(getattr(account, "num_followers", None)),
        "num_models": _int(getattr(account, "num_models", None)),
        "num_datasets": _int(getattr(account, "num_datasets", None)),
        "num_spaces": _int(getattr(account, "num_spaces", None)),
    }
    return check_fields("hub", fields)[0]  # absent, mistyped or out-of-range values left out


class HubClient:
    """huggingface_hub set up for one run; use it as a context manager."""

    def __init__(self, settings: Settings, gate: Gate) -> None:
        self.settings = settings
        self.gate = gate
        gate.budget_of = hub_budget  # the Hub's answers are read by the Hub's own parser
        self._local = threading.local()
        self.secrets: list[str] = []

    def __enter__(self) -> Self:
        from huggingface_hub import HfApi, get_session, get_token, set_client_factory
        from huggingface_hub.utils import _http

        # Put back afterwards whatever factory was in place (there is no public getter).
        self._previous_factory = getattr(
            _http, "_GLOBAL_CLIENT_FACTORY", _http.default_client_factory
        )
        # Keep the library's own request hook (offline mode, request ids); should it move, take
        # the hooks of its current client instead.
        hook = getattr(_http, "hf_request_event_hook", None)
        request_hooks = [hook] if hook else list(get_session().event_hooks.get("request", []))
        set_client_factory(lambda: self._client(request_hooks))
        # Looked up once: HfApi would otherwise read HF_TOKEN or the token file on every call.
        token = get_token()
        self.secrets = [token] if token else []
        self.api = HfApi(
            library_name="openai-catalog", library_version=__version__, token=token or False
        )
        return self

    def __exit__(self, *exc: object) -> None:
        from huggingface_hub import set_client_factory

        set_client_factory(self._previous_factory)

    def _client(self, request_hooks: list[Any]) -> httpx2.Client:
        import httpx2

        return httpx2.Client(
            event_hooks={"request": request_hooks, "response": [self._remember]},
            follow_redirects=True,
            timeout=httpx2.Timeout(self.settings.timeout),
            limits=httpx2.Limits(
                max_connections=self.settings.concurrency + 4,
                max_keepalive_connections=self.settings.concurrency + 4,
            ),
        )

    def _remember(self, response: httpx2.Response) -> None:
        self._local.headers = dict(response.headers)

    def fetch(self, kind: str, repo_id: str, card: bool = False) -> dict[str, Any]:
        """The fields of the repo (or account) `repo_id`; raises FetchError. With `card`, also
        the card's front matter as the Hub parsed it (`card`) and the revision read (`sha`), which
        `catalog add --from-hub` reads and the snapshot does not keep."""
        target = repo_type(kind)
        if target == "organization":
            try:
                return call(
                    self.gate,
                    self.settings,
                    lambda: self._attempt(
                        lambda: account_fields(
                            self.api.get_organization_overview(repo_id), "organization"
                        )
                    ),
                )
            except Definitive as exc:
                if exc.kind != "not_found":
                    raise
            return call(
                self.gate,
                self.settings,
                lambda: self._attempt(
                    lambda: account_fields(self.api.get_user_overview(repo_id), "user")
                ),
            )
        calls: dict[str, tuple[Callable[..., Any], list[str]]] = {
            "model": (self.api.model_info, MODEL_EXPAND),
            "dataset": (self.api.dataset_info, DATASET_EXPAND),
            "space": (self.api.space_info, SPACE_EXPAND),
        }
        method, expand = calls[target]
        read = with_card if card else repo_fields
        fields = call(
            self.gate,
            self.settings,
            lambda: self._attempt(
                lambda: read(
                    method(
                        repo_id,
                        expand=[*expand, "sha"] if card else expand,
                        timeout=self.settings.timeout,
                    )
                )
            ),
        )
        if card:
            text = self.card_text(
                target, str(fields.get("resolved_id") or repo_id), fields.get("sha")
            )
            if text is not None:
                fields["card_text"] = text
        return fields

    def card_text(self, target: str, repo_id: str, revision: Any) -> str | None:
        """The card's text (README.md) at `revision`, for what a front matter cannot say, such as
        a release date the card states; None when the Hub does not give it (gated, missing,
        unreachable), which leaves the card's front matter to say what it says."""
        from huggingface_hub import get_session, hf_hub_url

        # public (documented in huggingface_hub's utilities reference), though the package
        # re-exports them lazily, unseen by mypy
        from huggingface_hub.utils import (  # type: ignore[attr-defined]
            build_hf_headers,
            hf_raise_for_status,
        )

        url = hf_hub_url(
            repo_id,
            "README.md",
            repo_type=target,
            revision=revision if isinstance(revision, str) and revision else None,
        )
        headers = build_hf_headers(
            token=self.secrets[0] if self.secrets else False,
            library_name="openai-catalog",
            library_version=__version__,
        )

        def read() -> str:
            response = get_session().get(url, headers=headers, timeout=self.settings.timeout)
            hf_raise_for_status(response)
            return str(response.text)[:CARD_TEXT_LIMIT]

        try:
            return call(self.gate, self.settings, lambda: self._attempt(read))
        except FetchError:
            return None

    def _attempt(self, request: Callable[[], T]) -> tuple[T, Mapping[str, str] | None]:
        """One call, with the client's exceptions turned into FetchError kinds."""
        import httpx2
        from huggingface_hub.errors import (
            DisabledRepoError,
            GatedRepoError,
            HfHubHTTPError,
            OfflineModeIsEnabled,
            RepositoryNotFoundError,
        )

        self._local.headers = None
        try:
            fields = request()
        except GatedRepoError as exc:
            raise Definitive(
                "the Hub refuses access: the repo is gated", "gated", _headers(exc)
            ) from None
        except RepositoryNotFoundError as exc:
            raise Definitive(
                "the Hub has no such repo (or it is private)", "not_found", _headers(exc)
            ) from None
        except DisabledRepoError as exc:
            raise Definitive("the Hub has disabled this repo", "disabled", _headers(exc)) from None
        except HfHubHTTPError as exc:
            raise self._http_error(exc) from None
        except httpx2.TimeoutException:
            raise Transient(f"no answer within {self.settings.timeout:g}s", "timeout") from None
        except httpx2.TooManyRedirects:
            raise Failed("too many redirects", "http_error") from None
        except httpx2.TransportError as exc:
            raise Transient(f"network error: {type(exc).__name__}", "network") from None
        except OfflineModeIsEnabled:
            raise Failed("HF_HUB_OFFLINE is set", "offline") from None
        except FetchError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise Failed(
                f"the Hub's answer is malformed ({type(exc).__name__})",
                "malformed",
                self._local.headers,
            ) from None
        return fields, self._local.headers

    def _http_error(self, exc: Any) -> FetchError:
        response = getattr(exc, "response", None)
        status = getattr(response, "status_code", 0)
        headers = _headers(exc)
        detail = server_text(getattr(exc, "server_message", None), self.secrets)
        message = f"HTTP {status} from the Hub" + (f": {detail}" if detail else "")
        if status == 429:
            return RateLimited(message, advertised_wait(headers, budget_of=hub_budget), headers)
        if status >= 500 or status == 408:
            return Transient(message, "server_error", headers)
        if status in (404, 410):
            return Definitive("the Hub has no such repo or account", "not_found", headers)
        return Failed(message, "http_error", headers)


def hub_budget(headers: Mapping[str, str]) -> Budget | None:
    """The budget in a Hub answer's `RateLimit: "api";r=REMAINING;t=SECONDS`, read by
    huggingface_hub's own parser (this module runs only once huggingface_hub is wanted)."""
    # public (its docstring imports it so), though the package re-exports it lazily, unseen by mypy
    from huggingface_hub.utils import parse_ratelimit_headers  # type: ignore[attr-defined]

    info = parse_ratelimit_headers(headers)
    return Budget(info.remaining, float(info.reset_in_seconds)) if info is not None else None


def _headers(exc: Any) -> dict[str, str] | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    return dict(headers) if headers is not None else None
