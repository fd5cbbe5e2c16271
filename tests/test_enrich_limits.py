"""Rate limits: read from the headers, respected before a 429, waited out after one, and bounded.

The local server enforces what it advertises: it counts every call over its budget
(`over_limit`) and every call that comes back sooner than a 429 said (`early`). The tests assert
those counts, never a duration.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fakeservices import Answer, FakeServices, github_repo, hub_model, too_many

from helpers import enrich, entry, statuses, write_catalog
from openai_catalog.enrich.hub import hub_budget
from openai_catalog.enrich.policy import (
    Budget,
    Settings,
    advertised_wait,
    parse_budget,
    redact,
    server_text,
)

FAST = Settings(backoff=0.01, timeout=2.0, max_wait=30)


def outcomes(root: Path, settings: Settings = FAST) -> dict[str, str]:
    return statuses(enrich(root, settings)[0], by_source=True)


def test_headers_of_both_services_are_read() -> None:
    assert hub_budget({"RateLimit": '"api";r=42;t=55'}) == Budget(42, 55.0)
    assert hub_budget(
        {"ratelimit": '"api";r=0;t=12', "ratelimit-policy": '"fixed window";"api";q=500;w=300'}
    ) == Budget(0, 12.0)
    assert (
        parse_budget({"RateLimit": '"api";r=42;t=55'}) is None
    )  # the Hub's dialect is hub_budget's
    assert parse_budget(
        {"x-ratelimit-remaining": "7", "x-ratelimit-reset": "1100"}, now=1000
    ) == Budget(7, 100.0)
    assert parse_budget({"Content-Type": "application/json"}) is None
    assert advertised_wait({"ratelimit": '"api";r=0;t=12'}, budget_of=hub_budget) == 12
    # not spent: not why we were refused
    assert advertised_wait({"RateLimit": '"api";r=3;t=12'}, budget_of=hub_budget) is None
    assert advertised_wait({"Retry-After": "30"}) == 30
    assert advertised_wait({"Retry-After": "Thu, 01 Jan 1970 00:01:40 GMT"}, now=40) == 60
    assert (
        advertised_wait({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1090"}, now=1000) == 90
    )


@pytest.mark.slow
def test_the_advertised_budget_is_never_exceeded(services: FakeServices, tmp_path: Path) -> None:
    """Four calls a second, eleven entries, eight workers: the gate waits for each new window."""
    services.limit_hub(quota=4, seconds=1)
    names = [f"m{i:02d}" for i in range(11)]
    for name in names:
        services.model(f"org/{name}")
    root = write_catalog(tmp_path / "c", *(entry(n, hub=f"org/{n}") for n in names))
    result = outcomes(root, Settings(concurrency=8, backoff=0.01, max_wait=30))
    assert set(result.values()) == {"fetched"}
    assert services.over_limit == 0
    assert len(services.calls("/api/")) == 11


def test_a_429_waits_as_long_as_ratelimit_says_then_continues(
    services: FakeServices, tmp_path: Path
) -> None:
    services.model("org/busy", too_many(hold=1, RateLimit='"api";r=0;t=1'), hub_model("org/busy"))
    services.model("org/calm")
    root = write_catalog(
        tmp_path / "c", entry("busy", hub="org/busy"), entry("calm", hub="org/calm")
    )
    assert outcomes(root) == {"busy/hub": "fetched", "calm/hub": "fetched"}
    assert services.early == 0
    assert len(services.calls("/api/models/org/busy")) == 2


@pytest.mark.slow
def test_retry_after_and_x_ratelimit_reset_are_waited_for(
    services: FakeServices, tmp_path: Path
) -> None:
    services.repo("org/slow", too_many(hold=1, Retry_After="1"), github_repo("org/slow"))
    reset = str(int(time.time()) + 2)
    spent = Answer(
        403,
        {"message": "API rate limit exceeded for 127.0.0.1."},
        {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset},
        hold=1,
    )
    services.repo("org/spent", spent, github_repo("org/spent"))
    root = write_catalog(
        tmp_path / "c",
        entry("a-spent", "tool", github="org/spent"),
        entry("slow", "tool", github="org/slow"),
    )
    assert outcomes(root) == {"a-spent/github": "fetched", "slow/github": "fetched"}
    assert services.early == 0


def test_a_spent_github_budget_is_not_spent_further(services: FakeServices, tmp_path: Path) -> None:
    """60 calls an hour without a token: once the headers say none are left, stop asking."""
    services.limit_github(quota=2, seconds=3600)
    names = ["r1", "r2", "r3", "r4"]
    for name in names:
        services.repo(f"org/{name}")
    root = write_catalog(tmp_path / "c", *(entry(n, "tool", github=f"org/{n}") for n in names))
    result = outcomes(root, Settings(backoff=0.01, max_wait=5))
    assert result == {
        "r1/github": "fetched",
        "r2/github": "fetched",
        "r3/github": "failed",
        "r4/github": "failed",
    }
    assert services.over_limit == 0 and len(services.calls("/gh/")) == 2


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Bearer hf_abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnop"),
        ("token=ghp_abcdefghijklmnopqrstuvwxyz0123", "abcdefghijklmnop"),
        ("authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA"),
        ("github_pat_11ABCDEFG0123456789_abcdefghijkl", "11ABCDEFG0123456789"),
        ("Bearer some.opaque-token_value", "opaque"),
    ],
)
def test_anything_shaped_like_a_token_is_redacted(text: str, secret: str) -> None:
    redacted = redact(f"refused ({text})")
    assert secret not in redacted and "***" in redacted and redacted.startswith("refused (")


def test_known_secrets_are_redacted_whatever_their_shape() -> None:
    assert server_text("you sent x-secret-4f9c\nagain", ["x-secret-4f9c"]) == "you sent *** again"


def test_a_call_answered_429_more_often_than_the_cap_fails_without_waiting_for_ever(
    services: FakeServices, tmp_path: Path
) -> None:
    busy = [too_many(Retry_After="0") for _ in range(4)]
    services.model("org/busy", *busy, hub_model("org/busy"))
    services.model("org/calm")
    root = write_catalog(
        tmp_path / "c", entry("busy", hub="org/busy"), entry("calm", hub="org/calm")
    )
    settings = Settings(backoff=0.01, timeout=2.0, min_rate_wait=0.05, rate_limit_hits=2)
    report, entries = enrich(root, settings)
    assert statuses(report) == {"busy": "failed", "calm": "fetched"}
    assert len(services.calls("/api/models/org/busy")) == 3  # the cap: 2 waits, then given up
    assert "still rate limited after 3 waits" in entries["busy"]["hub"]["error"]["message"]
    assert entries["busy"]["hub"]["error"]["kind"] == "rate_limited"


def test_headers_that_do_not_parse_say_nothing() -> None:
    assert parse_budget({"x-ratelimit-remaining": "many", "x-ratelimit-reset": "soon"}) is None
    assert parse_budget({"x-ratelimit-remaining": "3"}) is None
    assert advertised_wait({"Retry-After": "next tuesday"}) is None
    assert advertised_wait({}) is None and advertised_wait(None) is None


def test_a_cancelled_gate_lets_no_call_out_and_stops_a_backoff() -> None:
    import threading

    from openai_catalog.enrich.policy import Cancelled, Gate, Transient, call

    cancel = threading.Event()
    gate = Gate("Test", 2, 10.0, cancel)
    cancel.set()
    with pytest.raises(Cancelled):
        gate.acquire()
    calls: list[int] = []

    def flaky() -> tuple[None, None]:
        calls.append(1)
        cancel.set()
        raise Transient("down")

    cancel.clear()
    with pytest.raises(Cancelled):
        call(Gate("Test", 1, 10.0, cancel), Settings(backoff=5.0, retries=3), flaky)
    assert calls == [1]  # the backoff was cut short, no second attempt
