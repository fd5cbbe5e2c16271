"""What every call to the Hub and GitHub obeys: timeouts, retries with backoff, rate limits, redaction.

Both services say how many calls are left and when the window resets, on every answer: the Hub in
`RateLimit: "api";r=REMAINING;t=SECONDS` (read with huggingface_hub's own parser, in hub.py),
GitHub in `x-ratelimit-remaining` and `x-ratelimit-reset` (epoch seconds). A `Gate` per service reads those headers and holds calls back before the limit is
reached, instead of learning it from a 429. When a 429 comes anyway, the gate pauses every worker
of that service for as long as `RateLimit`, `Retry-After` or `x-ratelimit-reset` says; when the
waits would add up to more than `max_wait`, the service is given up for this run, so that the work
already done can be saved.
"""

from __future__ import annotations

import email.utils
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    """Knobs of one run. The defaults suit the real services; tests shrink the waits."""

    concurrency: int = 32  # Hub calls in flight at once (bench/enrich.py: 11x at 32, 8x at 16)
    github_concurrency: int = 1  # GitHub asks integrators to make requests serially
    timeout: float = 10.0  # seconds to connect, and between bytes of an answer
    retries: int = 2  # further attempts after a timeout, a network error or a 5xx
    backoff: float = 0.5  # the first retry waits about this long, then twice as long...
    backoff_max: float = 8.0
    max_wait: float = 300.0  # total seconds one service may keep us waiting on rate limits
    default_rate_wait: float = (
        60.0  # a 429 that does not say how long (GitHub: "at least a minute")
    )
    min_rate_wait: float = 1.0  # a reset time already past (clocks differ) still waits this long
    rate_limit_hits: int = 5  # 429s on one call before that call is counted as failed
    checkpoint: float = 30.0  # seconds between saves of the snapshot during a long run


# --- how a call went wrong ----------------------------------------------------------------------


class FetchError(Exception):
    """A call that did not give fields. `kind` is what the snapshot records."""

    kind = "error"

    def __init__(
        self, message: str, kind: str | None = None, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        if kind:
            self.kind = kind
        self.headers = headers


class Definitive(FetchError):
    """The service answered, and the answer is that there is nothing to fetch (not found, gated)."""


class Transient(FetchError):
    """Worth retrying: a timeout, a dropped connection, a 5xx."""


class RateLimited(FetchError):
    """A 429 (or GitHub's 403 with no calls left). `wait` is what the headers said, if anything."""

    kind = "rate_limited"

    def __init__(
        self, message: str, wait: float | None, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message, headers=headers)
        self.wait = wait


class Failed(FetchError):
    """Not worth retrying in this run: a malformed answer, a refused token, a 4xx."""


class Exhausted(FetchError):
    """The service's rate limit would keep us waiting longer than `max_wait`; it is given up."""

    kind = "rate_limited"


class Cancelled(Exception):
    """The run was interrupted; the call was not made or its answer is dropped."""


# --- secrets --------------------------------------------------------------------------------------

_TOKEN_PATTERNS = [
    re.compile(r"(?i)\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=-]{6,}"),
    re.compile(r"(?i)\b(token|access_token|authorization)(\s*[=:]\s*[\"']?)[A-Za-z0-9._~+/=-]{6,}"),
    re.compile(r"\bhf_[A-Za-z0-9]{8,}"),
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{8,}"),
    re.compile(r"\bgithub_pat_[A-Za-z0-9_]{8,}"),
]


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """`text` with every known secret and anything shaped like a token replaced by ***."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    for pattern in _TOKEN_PATTERNS:
        text = pattern.sub(
            lambda m: (m.group(1) + m.group(2) + "***") if m.lastindex else "***", text
        )
    return text


def server_text(text: str | None, secrets: Iterable[str | None] = (), limit: int = 200) -> str:
    """A server's error text fit for a message: one line, short, and with no secret in it."""
    if not text:
        return ""
    line = " ".join(redact(str(text), secrets).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


@contextmanager
def redacted_logs(secrets: Iterable[str | None]) -> Iterator[None]:
    """While it lasts, every log record is redacted, whoever logs it: the HTTP libraries log
    response headers at debug level, and a server may echo the Authorization header in them.
    `secrets` is read at each record, so a list may still grow once the context is entered."""
    previous = logging.getLogRecordFactory()

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        message = record.getMessage()
        cleaned = redact(message, secrets)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return record

    logging.setLogRecordFactory(factory)
    try:
        yield
    finally:
        logging.setLogRecordFactory(previous)


# --- what the headers say -------------------------------------------------------------------------


def header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        lower = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lower), None)
    return value


@dataclass(frozen=True)
class Budget:
    """Calls left in the current window and seconds until it resets."""

    remaining: int
    reset_in: float


# Reads the budget from one service's answer headers; each client brings its own (the Hub's is
# huggingface_hub's parser of `RateLimit`, see hub.py).
BudgetParser = Callable[[Mapping[str, str]], "Budget | None"]


def parse_budget(headers: Mapping[str, str], now: float | None = None) -> Budget | None:
    """The budget GitHub (and any service speaking its dialect) advertises in `x-ratelimit-*`."""
    remaining, reset = (
        header(headers, "x-ratelimit-remaining"),
        header(headers, "x-ratelimit-reset"),
    )
    if remaining is not None and reset is not None:
        try:
            now = time.time() if now is None else now
            return Budget(int(remaining), max(0.0, float(reset) - now))
        except ValueError:
            return None
    return None


def advertised_wait(
    headers: Mapping[str, str] | None,
    now: float | None = None,
    budget_of: BudgetParser | None = None,
) -> float | None:
    """How long a 429 asks us to wait: `Retry-After`, else the reset of a spent budget (read by
    `budget_of`, by default parse_budget); None when the headers do not say."""
    if not headers:
        return None
    now = time.time() if now is None else now
    retry_after = header(headers, "Retry-After")
    if retry_after:
        retry_after = retry_after.strip()
        if retry_after.isdigit():
            return float(retry_after)
        try:
            when = email.utils.parsedate_to_datetime(retry_after)
            return max(0.0, when.timestamp() - now)
        except (TypeError, ValueError):
            pass
    budget = parse_budget(headers, now) if budget_of is None else budget_of(headers)
    if budget is not None and budget.remaining == 0:
        return budget.reset_in
    return None


# --- the gate -------------------------------------------------------------------------------------


class Gate:
    """Admits one service's calls: at most `concurrency` at once, never more than the budget the
    service advertises, and none while a 429 asked us to wait.

    Until the first answer of a window has told us the budget, one call at a time goes out, so
    that a burst of concurrent calls never overshoots a limit we have not seen yet. Each call gets
    a sequence number; an answer to call `s` saying `r` calls remain leaves at most `r - (calls
    sent after s)`, and the gate keeps the least of these estimates. Calls may reach the server in
    another order than they were numbered, so the estimate errs low; when it reaches zero, the gate
    waits for the calls in flight, after which the lowest `r` of the window is exact again, and only
    then, if nothing is left, for the window to reset.
    """

    def __init__(
        self,
        name: str,
        concurrency: int,
        max_wait: float,
        cancel: threading.Event | None = None,
        budget_of: BudgetParser = parse_budget,
    ) -> None:
        self.name = name
        self.budget_of = budget_of
        self.concurrency = max(1, concurrency)
        self.max_wait = max_wait
        self.cancel = cancel or threading.Event()
        self._cond = threading.Condition()
        self._in_flight = 0
        self._sent = 0
        self._allowance: float | None = None  # calls we may still send in this window
        self._floor = 0.0  # the lowest `remaining` answered in this window
        self._reset_at = 0.0  # monotonic time the window ends
        self._known = False  # an answer of this window has been seen
        self._blocked_until = 0.0
        self._waiting_until = 0.0
        self.waited = 0.0  # seconds spent held back by rate limits
        self.exhausted: str | None = None  # why the service was given up
        self.sent = 0

    def _hold(self, until: float, now: float, why: str) -> None:
        """Wait (under the lock) until `until`, counting the time against `max_wait`."""
        extension = max(0.0, until - max(now, self._waiting_until))
        if self.waited + extension > self.max_wait:
            self.exhausted = (
                f"{self.name} rate limit: {why} {until - now:.0f}s more, over the "
                f"{self.max_wait:.0f}s this run may wait"
            )
            self._cond.notify_all()
            raise Exhausted(self.exhausted)
        self.waited += extension
        self._waiting_until = max(self._waiting_until, until)
        self._cond.wait(min(until - now, 1.0))

    def acquire(self) -> int:
        """Block until a call may go out; returns its sequence number."""
        with self._cond:
            while True:
                if self.cancel.is_set():
                    raise Cancelled()
                if self.exhausted:
                    raise Exhausted(self.exhausted)
                now = time.monotonic()
                if self._blocked_until > now:
                    self._hold(self._blocked_until, now, "the service asked to wait")
                    continue
                if self._allowance is not None and now >= self._reset_at:
                    self._allowance, self._known = None, False  # a new window: learn it again
                if self._in_flight >= self.concurrency or (not self._known and self._in_flight):
                    self._cond.wait(0.5)
                    continue
                if self._allowance is not None and self._allowance <= 0:
                    if self._in_flight:
                        self._cond.wait(0.5)  # their answers will say exactly what is left
                    else:
                        self._hold(self._reset_at, now, "the budget is spent; it resets in")
                    continue
                self._in_flight += 1
                self._sent += 1
                self.sent += 1
                if self._allowance is not None:
                    self._allowance -= 1
                return self._sent

    def release(self, seq: int, headers: Mapping[str, str] | None = None) -> None:
        """The call `seq` is over; `headers` are its answer's, when there was one."""
        with self._cond:
            self._in_flight -= 1
            budget = self.budget_of(headers) if headers else None
            if budget is not None:
                now = time.monotonic()
                reset_at = now + budget.reset_in
                estimate = budget.remaining - (self._sent - seq)
                if self._allowance is None or reset_at > self._reset_at + 1.0:
                    # A window we had not seen.
                    self._allowance, self._reset_at, self._floor = (
                        estimate,
                        reset_at,
                        budget.remaining,
                    )
                else:
                    self._allowance = min(self._allowance, estimate)
                    self._floor = min(self._floor, budget.remaining)
                    self._reset_at = max(self._reset_at, reset_at)
                self._known = True
            elif headers is None:
                self._floor -= 1  # no answer: the server may have counted the call all the same
            elif not self._known:
                self._known = True  # the service does not advertise a budget: stop probing
            if self._in_flight == 0 and self._allowance is not None:
                # Every call sent has been answered, so the lowest `remaining` is exact.
                self._allowance = self._floor
            self._cond.notify_all()

    def block(self, seconds: float) -> None:
        """A 429 asked us to wait: hold every call of this service for that long."""
        with self._cond:
            self._blocked_until = max(self._blocked_until, time.monotonic() + seconds)
            self._cond.notify_all()

    def wake(self) -> None:
        with self._cond:
            self._cond.notify_all()


def call(
    gate: Gate,
    settings: Settings,
    attempt: Callable[[], tuple[T, Mapping[str, str] | None]],
) -> T:
    """Run one logical request through `gate`: retry timeouts, network errors and 5xx with
    backoff, wait out 429s. `attempt` returns (value, response headers) or raises FetchError."""
    retries_left = settings.retries
    rate_hits = 0
    delay = settings.backoff
    while True:
        seq = gate.acquire()
        headers: Mapping[str, str] | None = None
        try:
            value, headers = attempt()
            return value
        except RateLimited as exc:
            headers = exc.headers
            rate_hits += 1
            if rate_hits > settings.rate_limit_hits:
                raise Failed(
                    f"still rate limited after {rate_hits} waits", "rate_limited"
                ) from None
            wait = exc.wait if exc.wait is not None else settings.default_rate_wait
            gate.block(max(settings.min_rate_wait, wait))
        except Transient as exc:
            headers = exc.headers
            if retries_left <= 0:
                attempts = settings.retries + 1
                raise Failed(
                    f"{exc.message} ({attempts} attempt{'s' * (attempts != 1)})", exc.kind
                ) from None
            retries_left -= 1
            pause = min(settings.backoff_max, delay) * random.uniform(0.5, 1.0)
            delay *= 2
            gate.release(seq, headers)
            seq = 0
            if gate.cancel.wait(pause):
                raise Cancelled() from None
        except FetchError as exc:
            headers = exc.headers
            raise
        finally:
            if seq:
                gate.release(seq, headers)
