"""The one HTTP layer of passerelle's live sources, on ``requests``.

- connect and read timeouts on every call;
- retries with exponential backoff and jitter (``tenacity``) on 429, 5xx, connection errors,
  timeouts and bodies cut short, waiting at least what a ``Retry-After`` header asks;
- a client-side rate limit (calls per second, shared by every call of one client, retries included);
- an OAuth2 client-credentials token cache that renews the token before it expires, and once more
  when the API answers 401 anyway (a token revoked or expired early).

Secrets travel as :class:`Secret`, whose ``repr`` and ``str`` hide the value: a settings object, a
log line or an exception that shows one shows ``********``. The secret only leaves as a form field
of the token request body, never in a URL, a header we log, or an error message.
"""

from __future__ import annotations

import email.utils
import hashlib
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
import tenacity

LOGGER = logging.getLogger(__name__)

# Statuses worth a retry: rate limited, or the server (or a proxy in front of it) failing.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Transport failures worth a retry; ChunkedEncodingError is what requests raises when a body is
# cut short (fewer bytes than Content-Length, or a broken chunked stream).
RETRY_EXCEPTIONS: tuple[type[BaseException], ...] = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


class Secret:
    """A credential: its value is only reachable through :meth:`reveal`.

    Not a dataclass on purpose: ``dataclasses.asdict`` of a settings object would copy the value
    out into a plain dict.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__


@dataclass(frozen=True)
class HttpPolicy:
    """How patient one client is. Defaults suit a public API limited to a few calls per second."""

    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_attempts: int = 6
    backoff_initial: float = 1.0
    backoff_max: float = 60.0
    # A Retry-After above this is not waited for: the call fails instead of hanging for hours.
    retry_after_max: float = 300.0
    calls_per_second: float = 3.0


class HttpError(RuntimeError):
    """A call that failed for good: names the method, URL and status, never a credential."""


class RetryableStatus(HttpError):
    """A 429 or 5xx answer; ``retry_after`` is the wait the server asked for, in seconds."""

    def __init__(self, message: str, retry_after: float | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TruncatedBody(HttpError):
    """A body that is not the whole document (JSON that stops short): retried like a cut body."""


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


@dataclass(frozen=True)
class Downloaded:
    """One download's answer: 200 with the body's sha256 and size, or 304 (nothing written)."""

    status: int
    headers: Mapping[str, str]
    sha256: str | None
    bytes: int


class RateLimiter:
    """At most ``calls_per_second`` calls start per second, evenly spaced, across threads."""

    def __init__(self, calls_per_second: float) -> None:
        if calls_per_second <= 0:
            raise ValueError(f"calls_per_second: expected a positive number, found {calls_per_second}")
        self.interval = 1.0 / calls_per_second
        self._next_start = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start)
            self._next_start = start + self.interval
        if start > now:
            time.sleep(start - now)


class _WaitHonouringRetryAfter(tenacity.wait.wait_base):
    """Exponential backoff with jitter, but never less than the server's Retry-After."""

    def __init__(self, backoff: tenacity.wait.wait_base, retry_after_max: float) -> None:
        self.backoff = backoff
        self.retry_after_max = retry_after_max

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        backoff = self.backoff(retry_state)
        error = retry_state.outcome.exception() if retry_state.outcome else None
        retry_after = getattr(error, "retry_after", None)
        if retry_after is None:
            return backoff
        if retry_after > self.retry_after_max:
            raise HttpError(
                f"{error}: the server asks to wait {retry_after:.0f} s, more than the "
                f"{self.retry_after_max:.0f} s this client waits"
            ) from error
        return max(retry_after, backoff)


class HttpClient:
    """``requests`` with timeouts, retries, backoff and a rate limit, for one remote service."""

    def __init__(self, policy: HttpPolicy | None = None, session: requests.Session | None = None) -> None:
        self.policy = policy or HttpPolicy()
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", "passerelle (open data pipeline)")
        self.rate_limiter = RateLimiter(self.policy.calls_per_second)
        self.calls = 0

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[requests.Response, Any]:
        """One call and its JSON body, retried on transient failures.

        ``data`` is sent as a form, ``json_body`` as JSON (the statistics APIs take POST bodies).

        Any other answer (2xx, 4xx) is returned as is; its body is parsed when it is a success
        with content (``None`` for a 204 or an error), and JSON that stops short counts as a body
        cut short: the call is made again.
        """
        return self._retrying()(self._send, method, url, params, data, json_body, headers)

    def download(self, url: str, destination: Path, *, headers: Mapping[str, str] | None = None) -> Downloaded:
        """GET ``url`` into ``destination``, streamed, retried like :meth:`request`.

        A 200 writes the body (sha256 computed on the way) and returns it; a 304 writes nothing.
        Any other answer raises :class:`HttpError` naming the URL and status; the destination is
        then left as it was, or absent.
        """
        return self._retrying()(self._download_once, url, destination, headers)

    def _retrying(self) -> tenacity.Retrying:
        return tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.policy.max_attempts),
            wait=_WaitHonouringRetryAfter(
                tenacity.wait_exponential_jitter(
                    initial=self.policy.backoff_initial,
                    max=self.policy.backoff_max,
                    jitter=self.policy.backoff_initial,
                ),
                self.policy.retry_after_max,
            ),
            retry=tenacity.retry_if_exception_type((RetryableStatus, TruncatedBody, *RETRY_EXCEPTIONS)),
            before_sleep=self._log_retry,
            reraise=True,
        )

    def _download_once(self, url: str, destination: Path, headers: Mapping[str, str] | None) -> Downloaded:
        self.rate_limiter.wait()
        self.calls += 1
        partial = destination.with_name(destination.name + ".part")
        with self.session.get(
            url,
            headers=dict(headers or {}),
            stream=True,
            timeout=(self.policy.connect_timeout, self.policy.read_timeout),
        ) as response:
            where = f"GET {_public_url(response.url)}"
            _raise_if_retryable(response, where)
            if response.status_code == 304:
                return Downloaded(response.status_code, response.headers, None, 0)
            if response.status_code != 200:
                raise HttpError(f"{where}: answer {response.status_code}: {error_message(response)}")
            digest = hashlib.sha256()
            size = 0
            try:
                with partial.open("wb") as sink:
                    # urllib3 2 checks the bytes against Content-Length: a body cut short raises
                    # here (ChunkedEncodingError), and the whole download is tried again.
                    for chunk in response.iter_content(chunk_size=1 << 20):
                        sink.write(chunk)
                        digest.update(chunk)
                        size += len(chunk)
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
            partial.replace(destination)
            return Downloaded(response.status_code, response.headers, digest.hexdigest(), size)

    def _send(
        self,
        method: str,
        url: str,
        params: Mapping[str, str] | None,
        data: Mapping[str, str] | None,
        json_body: Any,
        headers: Mapping[str, str] | None,
    ) -> tuple[requests.Response, Any]:
        self.rate_limiter.wait()
        self.calls += 1
        # The body is read here (stream=False), so a body cut short raises inside the retry.
        response = self.session.request(
            method,
            url,
            params=params,
            data=data,
            json=json_body,
            headers=dict(headers or {}),
            timeout=(self.policy.connect_timeout, self.policy.read_timeout),
        )
        where = f"{method} {_public_url(response.url)}"
        _raise_if_retryable(response, where)
        if response.status_code >= 300 or not response.content:
            return response, None
        try:
            return response, response.json()
        except ValueError as error:
            raise TruncatedBody(
                f"{where}: answer {response.status_code} is not complete JSON ({len(response.content)} bytes): {error}"
            ) from error

    @staticmethod
    def _log_retry(retry_state: tenacity.RetryCallState) -> None:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        wait = retry_state.next_action.sleep if retry_state.next_action else 0.0
        LOGGER.warning(
            "attempt %d failed (%s: %s); next in %.1f s",
            retry_state.attempt_number,
            type(error).__name__,
            error,
            wait,
        )


def _raise_if_retryable(response: requests.Response, where: str) -> None:
    """A 429 or 5xx answer becomes :class:`RetryableStatus`, with the wait the server asked for."""
    if response.status_code in RETRY_STATUSES:
        raise RetryableStatus(
            f"{where}: answer {response.status_code}", parse_retry_after(response.headers.get("Retry-After"))
        )


def _public_url(url: str | None) -> str:
    """The URL as it may be shown: our calls never carry a credential in it (form bodies and
    headers only), so this only strips a fragment and caps the length."""
    text = (url or "").split("#", 1)[0]
    return text if len(text) <= 300 else text[:299] + "…"


def error_message(response: requests.Response) -> str:
    """What an error answer says, short: the JSON ``message``/``error`` field or the text start."""
    try:
        payload = response.json()
    except ValueError:
        return response.text[:200].strip()
    if isinstance(payload, dict):
        for key in ("message", "error_description", "error"):
            if isinstance(payload.get(key), str):
                return payload[key][:200]
    return str(payload)[:200]


class ClientCredentialsToken:
    """An OAuth2 client-credentials access token, cached and renewed before it expires."""

    def __init__(
        self,
        http: HttpClient,
        token_url: str,
        client_id: str,
        client_secret: Secret,
        scope: str,
        renew_before_seconds: float = 60.0,
    ) -> None:
        self.http = http
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.scope = scope
        self.renew_before_seconds = renew_before_seconds
        self._token: Secret | None = None
        self._expires_at = 0.0
        self._lock = threading.Lock()
        self.fetches = 0

    def __repr__(self) -> str:
        return (
            f"ClientCredentialsToken(token_url={self.token_url!r}, client_id={self.client_id!r}, scope={self.scope!r})"
        )

    def bearer(self) -> str:
        with self._lock:
            if self._token is None or time.monotonic() >= self._expires_at - self.renew_before_seconds:
                self._fetch()
            assert self._token is not None
            return self._token.reveal()

    def invalidate(self) -> None:
        with self._lock:
            self._token = None

    def _fetch(self) -> None:
        response, payload = self.http.request(
            "POST",
            self.token_url,
            data={
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret.reveal(),
                "scope": self.scope,
            },
        )
        if response.status_code != 200 or not isinstance(payload, dict) or "access_token" not in payload:
            raise HttpError(
                f"POST {_public_url(self.token_url)}: no access token (answer {response.status_code}: "
                f"{error_message(response) if response.status_code != 200 else 'no access_token field'}); "
                "check FRANCE_TRAVAIL_CLIENT_ID, FRANCE_TRAVAIL_CLIENT_SECRET and FRANCE_TRAVAIL_TOKEN_URL"
            )
        self.fetches += 1
        self._token = Secret(str(payload["access_token"]))
        self._expires_at = time.monotonic() + float(payload.get("expires_in", 0) or 0)

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Any = None,
    ) -> tuple[requests.Response, Any]:
        """An authorized call and its JSON body; on 401, one new token and one more try."""
        response, payload = self.http.request(
            method, url, params=params, json_body=json_body, headers={"Authorization": f"Bearer {self.bearer()}"}
        )
        if response.status_code == 401:
            LOGGER.info("%s %s: 401, renewing the access token once", method, _public_url(url))
            self.invalidate()
            response, payload = self.http.request(
                method, url, params=params, json_body=json_body, headers={"Authorization": f"Bearer {self.bearer()}"}
            )
        return response, payload
