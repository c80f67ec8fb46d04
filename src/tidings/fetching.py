"""The one network seam: every outbound HTTP request of Tidings goes through `Fetcher`.

A fetch follows redirects by hand so that each hop is checked by the SSRF guard
(`netguard`) and the site's robots.txt (`robots`); it waits its turn per host (politeness)
and overall, retries 429/5xx answers and network errors with exponential backoff, honours
Retry-After, caps the decoded body (`bodies`), checks the content type (`mediatypes`) and
names the body's encoding (`charsets`). Failures raise the `FetchError` family of
`tidings.errors` with a message that names the URL and the reason.

Tests and callers with special needs pass their own httpx transport; the default one is
`netguard.GuardedTransport`, which checks resolved addresses at connect time.
"""

from __future__ import annotations

import asyncio
import logging
import random
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType

import httpx

from .bodies import ACCEPT_ENCODING, read_body
from .charsets import decode, detect_encoding
from .errors import (
    BlockedAddressError,
    ContentTypeError,
    FetchError,
    HTTPStatusError,
    RobotsDisallowedError,
    TooManyRedirectsError,
)
from .mediatypes import Accept, accept_header, is_acceptable, needs_sniffing, parse_content_type
from .netguard import GuardedTransport, check_url
from .robots import ROBOTS_MAX_BYTES, RobotsRules, origin_of, robots_url
from .settings import Settings

__all__ = ["Accept", "FetchResult", "Fetcher"]

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
JITTER = 0.25
UNKNOWN_HOST_ERRNOS = frozenset(
    code for code in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None)) if code is not None
)


@dataclass(frozen=True)
class FetchResult:
    """One successful fetch: a 2xx answer with its decoded body, or a 304."""

    url: str
    final_url: str
    status: int
    body: bytes
    content_type: str
    encoding: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: datetime

    @property
    def not_modified(self) -> bool:
        """True when the server answered 304: the caller's copy is current."""
        return self.status == 304

    @property
    def text(self) -> str:
        """The body decoded with `encoding`."""
        return decode(self.body, declared=self.encoding, media_type=self.content_type)


@dataclass(frozen=True)
class _Reply:
    """One HTTP answer; the body is read only for a 2xx."""

    url: httpx.URL
    status: int
    headers: httpx.Headers
    body: bytes = b""


@dataclass
class _Host:
    """Politeness state of one host."""

    slots: asyncio.Semaphore
    delay: float
    next_start: float = 0.0
    robots_lock: asyncio.Lock = field(default_factory=asyncio.Lock)


def _reason(status: int) -> str:
    phrase = httpx.codes.get_reason_phrase(status)
    return f"HTTP {status} {phrase}".rstrip()


def _retry_after(headers: httpx.Headers) -> float | None:
    """Seconds a Retry-After header asks to wait (delta-seconds or HTTP-date), if any."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _transport_message(url: httpx.URL, exc: httpx.HTTPError, settings: Settings) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return f"timed out connecting to {url} after {settings.connect_timeout:g} s"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out reading {url}: no data for {settings.read_timeout:g} s"
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect to {url}: {detail}"
    return f"connection to {url} failed: {detail}"


def _unknown_host(exc: BaseException) -> bool:
    """True when DNS says the host does not exist: retrying soon will not change that."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, socket.gaierror) and seen.errno in UNKNOWN_HOST_ERRNOS:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _parse_url(url: str) -> httpx.URL:
    try:
        return httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise FetchError(f"cannot fetch {url!r}: invalid URL ({exc})", url=url) from exc


class Fetcher:
    """Polite, guarded, retrying HTTP GET; one per run, shared by concurrent tasks."""

    def __init__(
        self, settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._settings = settings
        if transport is None:
            transport = GuardedTransport(settings.allow_hosts, max_connections=settings.concurrency)
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        )
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, RobotsRules] = {}

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections."""
        await self._client.aclose()

    async def fetch(
        self,
        url: str,
        *,
        accept: Accept,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        """GET `url`, conditionally when `etag` or `last_modified` is given."""
        headers = {"Accept": accept_header(accept)}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        reply = await self._follow(url, accept, headers, robots=self._settings.respect_robots)
        media_type, charset = parse_content_type(reply.headers.get("content-type"))
        modified = reply.status != 304
        return FetchResult(
            url=url,
            final_url=str(reply.url),
            status=reply.status,
            body=reply.body,
            content_type=media_type,
            encoding=detect_encoding(reply.body, declared=charset, media_type=media_type)
            if modified
            else None,
            etag=reply.headers.get("etag") or (None if modified else etag),
            last_modified=reply.headers.get("last-modified")
            or (None if modified else last_modified),
            fetched_at=datetime.now(UTC),
        )

    async def _follow(
        self, url: str, accept: Accept, headers: dict[str, str], *, robots: bool
    ) -> _Reply:
        """Request `url` and follow its redirects, checking every hop."""
        current = _parse_url(url)
        seen = {str(current)}
        for _hop in range(self._settings.max_redirects + 1):
            check_url(current, self._settings.allow_hosts)
            if robots:
                await self._check_robots(current)
            reply = await self._with_retries(current, accept, headers)
            if 200 <= reply.status < 300 or reply.status == 304:
                return reply
            location = reply.headers.get("location")
            if reply.status not in REDIRECT_STATUSES or not location:
                raise HTTPStatusError(
                    f"{current} answered {_reason(reply.status)}", url=url, status=reply.status
                )
            current = self._redirect_target(url, current, location, seen)
        raise TooManyRedirectsError(
            f"{url} redirects more than {self._settings.max_redirects} times", url=url
        )

    @staticmethod
    def _redirect_target(url: str, current: httpx.URL, location: str, seen: set[str]) -> httpx.URL:
        try:
            target = current.join(location.strip())
        except httpx.InvalidURL as exc:
            raise FetchError(
                f"{current} redirects to an invalid URL {location!r}", url=url
            ) from exc
        if str(target) in seen:
            raise TooManyRedirectsError(
                f"{url} is in a redirect loop: {current} redirects back to {target}", url=url
            )
        seen.add(str(target))
        logger.debug("%s redirects to %s", current, target)
        return target

    async def _with_retries(
        self, url: httpx.URL, accept: Accept, headers: dict[str, str]
    ) -> _Reply:
        """One request, repeated after 429/5xx answers and network errors."""
        settings = self._settings
        attempt = 0
        while True:
            try:
                reply = await self._attempt(url, accept, headers)
            except RETRY_ERRORS as exc:
                message = _transport_message(url, exc, settings)
                if attempt >= settings.max_retries or _unknown_host(exc):
                    suffix = f" (after {attempt} retries)" if attempt else ""
                    raise FetchError(message + suffix, url=str(url)) from exc
                wait = self._backoff(attempt)
            except httpx.HTTPError as exc:
                raise FetchError(_transport_message(url, exc, settings), url=str(url)) from exc
            else:
                if reply.status not in RETRY_STATUSES:
                    return reply
                message = f"{url} answered {_reason(reply.status)}"
                wait = self._retry_wait(url, reply, attempt, message)
            logger.info("retrying %s in %.2f s: %s", url, wait, message)
            attempt += 1
            await asyncio.sleep(wait)

    def _backoff(self, attempt: int) -> float:
        base = self._settings.backoff * 2.0**attempt
        return base * (1 + random.uniform(0, JITTER))

    def _retry_wait(self, url: httpx.URL, reply: _Reply, attempt: int, message: str) -> float:
        """Seconds to wait before retrying `reply`, or HTTPStatusError if not retrying."""
        settings = self._settings
        retry_after = _retry_after(reply.headers)
        if retry_after is not None and retry_after > settings.max_retry_after:
            raise HTTPStatusError(
                f"{message} and asks to retry after {retry_after:.0f} s, longer than the "
                f"{settings.max_retry_after:g} s allowed",
                url=str(url),
                status=reply.status,
            )
        if attempt >= settings.max_retries:
            suffix = f" (after {attempt} retries)" if attempt else ""
            raise HTTPStatusError(message + suffix, url=str(url), status=reply.status)
        return max(self._backoff(attempt), retry_after or 0.0)

    async def _attempt(self, url: httpx.URL, accept: Accept, headers: dict[str, str]) -> _Reply:
        """Send one request in a politeness slot and read the body of a 2xx answer."""
        async with self._turn(url.host):
            logger.debug("GET %s", url)
            limit = self._settings.total_timeout
            try:
                async with asyncio.timeout(limit):
                    return await self._exchange(url, accept, headers)
            except TimeoutError as exc:
                message = f"{url} took longer than {limit:g} s in all"
                raise FetchError(message, url=str(url)) from exc

    async def _exchange(self, url: httpx.URL, accept: Accept, headers: dict[str, str]) -> _Reply:
        request = self._client.build_request("GET", url, headers=headers)
        try:
            response = await self._client.send(request, stream=True)
        except BlockedAddressError as exc:
            raise BlockedAddressError(f"refused to fetch {url}: {exc}", url=str(url)) from exc
        try:
            body = b""
            if 200 <= response.status_code < 300:
                body = await self._read(url, response, accept)
            return _Reply(url, response.status_code, response.headers, body)
        finally:
            await response.aclose()

    async def _read(self, url: httpx.URL, response: httpx.Response, accept: Accept) -> bytes:
        """The body of a 2xx answer, once its type is known to be acceptable."""
        media_type, _ = parse_content_type(response.headers.get("content-type"))
        shown = media_type or "no content type"
        if not is_acceptable(accept, media_type):
            raise ContentTypeError(f"{url} is {shown}, not a {accept}", url=str(url))
        if accept is Accept.ROBOTS:
            limit = min(self._settings.max_bytes, ROBOTS_MAX_BYTES)
            return await read_body(response, limit=limit, url=str(url), truncate=True)
        body = await read_body(response, limit=self._settings.max_bytes, url=str(url))
        if needs_sniffing(accept, media_type) and not is_acceptable(accept, media_type, body):
            raise ContentTypeError(
                f"{url} is {shown} and its body does not look like a {accept}", url=str(url)
            )
        return body

    def _host(self, host: str) -> _Host:
        state = self._hosts.get(host)
        if state is None:
            settings = self._settings
            state = _Host(asyncio.Semaphore(settings.host_concurrency), settings.host_delay)
            self._hosts[host] = state
        return state

    @asynccontextmanager
    async def _turn(self, host: str) -> AsyncIterator[None]:
        """Hold a slot of `host` and a global slot, started at least `delay` after the last."""
        state = self._host(host)
        loop = asyncio.get_running_loop()
        async with state.slots:
            while True:
                wait = state.next_start - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                    continue
                await self._slots.acquire()
                now = loop.time()
                if now >= state.next_start:
                    state.next_start = now + state.delay
                    break
                self._slots.release()
            try:
                yield
            finally:
                self._slots.release()

    async def _check_robots(self, url: httpx.URL) -> None:
        rules = await self._rules(url)
        if not rules.allows(str(url), self._settings.user_agent):
            reason = rules.blocked or "the site's robots.txt disallows it"
            raise RobotsDisallowedError(f"not fetching {url}: {reason}", url=str(url))

    async def _rules(self, url: httpx.URL) -> RobotsRules:
        """The robots.txt rules of `url`'s origin, fetched once per Fetcher."""
        origin = origin_of(url)
        state = self._host(url.host)
        async with state.robots_lock:
            rules = self._robots.get(origin)
            if rules is None:
                try:
                    rules = await self._load_robots(url)
                except BlockedAddressError as exc:
                    raise BlockedAddressError(str(exc), url=str(url)) from exc
                self._robots[origin] = rules
                delay = rules.crawl_delay(self._settings.user_agent)
                if delay is not None and delay > state.delay:
                    logger.info("%s asks for %g s between requests", url.host, delay)
                    state.delay = delay
            return rules

    async def _load_robots(self, url: httpx.URL) -> RobotsRules:
        """Fetch and read robots.txt; RFC 9309: 4xx allows all, 5xx or no answer disallows."""
        target = robots_url(url)
        headers = {"Accept": accept_header(Accept.ROBOTS)}
        try:
            reply = await self._follow(target, Accept.ROBOTS, headers, robots=False)
        except HTTPStatusError as exc:
            if 400 <= exc.status < 500 and exc.status != 429:
                return RobotsRules.allow_all()
            return RobotsRules.disallow_all(
                f"its robots.txt answered {_reason(exc.status)}, so the site is off limits"
            )
        except TooManyRedirectsError:
            return RobotsRules.allow_all()
        except BlockedAddressError:
            raise
        except FetchError as exc:
            return RobotsRules.disallow_all(
                f"its robots.txt cannot be fetched ({exc}), so the site is off limits"
            )
        media_type, charset = parse_content_type(reply.headers.get("content-type"))
        return RobotsRules.parse(decode(reply.body, declared=charset, media_type=media_type))
