"""The Fetcher against a real HTTP server on 127.0.0.1: status handling, redirects, retries,
size caps, content types and encodings."""

from __future__ import annotations

import asyncio
import gzip
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from tidings.errors import (
    ContentTypeError,
    FetchError,
    HTTPStatusError,
    TooLargeError,
    TooManyRedirectsError,
)
from tidings.fetching import Accept, Fetcher, FetchResult
from tidings.settings import Settings

PAGE = "<!doctype html><html><head><title>Harbour news</title></head><body>Boats.</body></html>"
FEED = (
    '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Harbour'
    "</title><item><title>Boats return</title></item></channel></rss>"
)


def fetch(settings: Settings, url: str, **kwargs: Any) -> FetchResult:
    async def run() -> FetchResult:
        async with Fetcher(settings) as fetcher:
            return await fetcher.fetch(url, **{"accept": Accept.PAGE, **kwargs})

    return asyncio.run(run())


def sequence(*responses: tuple[int, dict[str, str], bytes]) -> Callable[..., None]:
    """A handler that answers with each response in turn, repeating the last."""
    calls = 0

    def handle(request: BaseHTTPRequestHandler) -> None:
        nonlocal calls
        status, headers, body = responses[min(calls, len(responses) - 1)]
        calls += 1
        request.send_response(status)
        for name, value in {"Content-Type": "text/html", **headers}.items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    return handle


def test_page_is_fetched_with_user_agent(local_server: Any, settings: Settings) -> None:
    url = local_server.serve("/story", PAGE)
    result = fetch(settings, url)
    assert result.status == 200
    assert result.body == PAGE.encode()
    assert result.url == result.final_url == url
    assert result.content_type == "text/html"
    assert result.encoding == "utf-8"
    assert result.fetched_at.tzinfo is UTC
    assert not result.not_modified
    (hit,) = local_server.hits("/story")
    assert hit.headers["User-Agent"] == settings.user_agent
    assert "text/html" in hit.headers["Accept"]


def test_conditional_get_gives_not_modified(local_server: Any, settings: Settings) -> None:
    def handle(request: BaseHTTPRequestHandler) -> None:
        fresh = request.headers.get("If-None-Match") == '"v1"'
        request.send_response(304 if fresh else 200)
        request.send_header("ETag", '"v1"')
        request.send_header("Last-Modified", "Mon, 06 May 2024 10:00:00 GMT")
        request.send_header("Content-Type", "application/rss+xml")
        request.send_header("Content-Length", "0" if fresh else str(len(FEED)))
        request.end_headers()
        if not fresh:
            request.wfile.write(FEED.encode())

    url = local_server.handle("/feed", handle)
    first = fetch(settings, url, accept=Accept.FEED)
    assert first.status == 200
    assert first.etag == '"v1"'
    second = fetch(
        settings, url, accept=Accept.FEED, etag=first.etag, last_modified=first.last_modified
    )
    assert second.not_modified
    assert second.body == b""
    assert second.encoding is None
    assert second.etag == '"v1"'
    sent = local_server.hits("/feed")[1].headers
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Mon, 06 May 2024 10:00:00 GMT"


def test_redirect_chain_is_followed(local_server: Any, settings: Settings) -> None:
    start = local_server.serve("/a", status=301, headers={"Location": "/b"})
    local_server.serve("/b", status=302, headers={"Location": local_server.url("/c")})
    final = local_server.serve("/c", PAGE)
    result = fetch(settings, start)
    assert result.url == start
    assert result.final_url == final
    assert result.body == PAGE.encode()


def test_redirect_loop_is_refused(local_server: Any, settings: Settings) -> None:
    url = local_server.serve("/x", status=302, headers={"Location": "/y"})
    local_server.serve("/y", status=302, headers={"Location": "/x"})
    with pytest.raises(TooManyRedirectsError, match="loop"):
        fetch(settings, url)
    assert len(local_server.hits("/x")) == 1


def test_redirects_beyond_the_cap_are_refused(local_server: Any, settings: Settings) -> None:
    for n in range(4):
        local_server.serve(f"/r{n}", status=307, headers={"Location": f"/r{n + 1}"})
    local_server.serve("/r4", PAGE)
    with pytest.raises(TooManyRedirectsError, match="more than 2"):
        fetch(settings.model_copy(update={"max_redirects": 2}), local_server.url("/r0"))
    assert local_server.hits("/r2")
    assert not local_server.hits("/r3")


def test_429_waits_for_retry_after(local_server: Any, settings: Settings) -> None:
    url = local_server.handle(
        "/busy",
        sequence((429, {"Retry-After": "1"}, b"slow down"), (200, {}, PAGE.encode())),
    )
    result = fetch(settings, url)
    assert result.status == 200
    first, second = local_server.hits("/busy")
    assert 0.95 <= second.at - first.at < 2.0


def test_503_is_retried(local_server: Any, settings: Settings) -> None:
    url = local_server.handle(
        "/flaky", sequence((503, {}, b""), (503, {}, b""), (200, {}, PAGE.encode()))
    )
    assert fetch(settings, url).body == PAGE.encode()
    assert len(local_server.hits("/flaky")) == 3


def test_retries_run_out(local_server: Any, settings: Settings) -> None:
    url = local_server.serve("/down", status=502)
    with pytest.raises(HTTPStatusError, match=r"502.*after 2 retries") as caught:
        fetch(settings.model_copy(update={"max_retries": 2}), url)
    assert caught.value.status == 502
    assert len(local_server.hits("/down")) == 3


@pytest.mark.parametrize("form", ["seconds", "http-date"])
def test_long_retry_after_fails_at_once(local_server: Any, settings: Settings, form: str) -> None:
    # The date is made when the test runs, not when it is collected: an hour from now.
    in_an_hour = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    retry_after = "3600" if form == "seconds" else in_an_hour
    url = local_server.serve("/later", status=503, headers={"Retry-After": retry_after})
    with pytest.raises(HTTPStatusError, match=r"retry after 3[56]\d\d s") as caught:
        fetch(settings.model_copy(update={"max_retry_after": 60.0}), url)
    assert caught.value.status == 503
    assert caught.value.url == url
    assert len(local_server.hits("/later")) == 1


def test_404_fails_without_retry(local_server: Any, settings: Settings) -> None:
    url = local_server.url("/missing")
    with pytest.raises(HTTPStatusError, match="404 Not Found") as caught:
        fetch(settings, url)
    assert caught.value.status == 404
    assert url in str(caught.value)
    assert len(local_server.hits("/missing")) == 1


def test_slow_response_times_out(local_server: Any, settings: Settings) -> None:
    url = local_server.serve("/slow", PAGE, delay=1.0)
    quick = settings.model_copy(update={"read_timeout": 0.3, "max_retries": 0})
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out reading") as caught:
        fetch(quick, url)
    assert time.monotonic() - started < 0.9
    assert caught.value.url == url


def test_trickling_response_hits_the_total_timeout(local_server: Any, settings: Settings) -> None:
    def trickle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.send_header("Transfer-Encoding", "chunked")
        request.end_headers()
        for _ in range(100):  # one byte every 0.1 s: each read is quick, the whole is not
            request.wfile.write(b"1\r\nx\r\n")
            request.wfile.flush()
            time.sleep(0.1)

    url = local_server.handle("/trickle", trickle)
    limited = settings.model_copy(update={"total_timeout": 0.5, "max_retries": 0})
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"took longer than 0\.5 s in all"):
        fetch(limited, url)
    assert time.monotonic() - started < 1.5


def test_content_length_over_the_cap(local_server: Any, settings: Settings) -> None:
    url = local_server.serve("/big", "x" * 5000)
    with pytest.raises(TooLargeError, match="announces 5000 bytes"):
        fetch(settings.model_copy(update={"max_bytes": 1000}), url)


def test_endless_body_is_cut_off(local_server: Any, settings: Settings) -> None:
    def endless(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.send_header("Transfer-Encoding", "chunked")
        request.end_headers()
        chunk = b"<p>" + b"x" * 4093 + b"\n"
        for _ in range(100_000):
            request.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))

    url = local_server.handle("/endless", endless)
    started = time.monotonic()
    with pytest.raises(TooLargeError, match="more than the 100000-byte cap"):
        fetch(settings.model_copy(update={"max_bytes": 100_000}), url)
    assert time.monotonic() - started < 2.0


def test_gzip_bomb_is_stopped(local_server: Any, settings: Settings) -> None:
    bomb = gzip.compress(b"\0" * 50_000_000, compresslevel=9)
    url = local_server.serve("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    started = time.monotonic()
    with pytest.raises(TooLargeError):
        fetch(settings.model_copy(update={"max_bytes": 1_000_000}), url)
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("coding", ["gzip", "deflate"])
def test_compressed_page_is_decoded(local_server: Any, settings: Settings, coding: str) -> None:
    packed = gzip.compress(PAGE.encode()) if coding == "gzip" else zlib.compress(PAGE.encode())
    url = local_server.serve("/packed", packed, headers={"Content-Encoding": coding})
    assert fetch(settings, url).body == PAGE.encode()
    assert "gzip" in local_server.hits("/packed")[0].headers["Accept-Encoding"]


def test_lying_charset_header_still_gives_the_text(local_server: Any, settings: Settings) -> None:
    text = "<p>Le caf\u00e9 \u201cna\u00efve\u201d co\u00fbte 5\u20ac \u2014 d\u00e9j\u00e0 vu.</p>"
    url = local_server.serve("/latin", text.encode("cp1252"))
    result = fetch(settings, url)
    assert result.encoding == "cp1252"
    assert result.text == text


def test_meta_charset_is_read(local_server: Any, settings: Settings) -> None:
    news = "\u041d\u043e\u0432\u043e\u0441\u0442\u0438"
    text = f'<html><head><meta charset="windows-1251"></head><body>{news}</body></html>'
    url = local_server.serve("/ru", text.encode("cp1251"), content_type="text/html")
    result = fetch(settings, url)
    assert result.encoding == "cp1251"
    assert news in result.text


@pytest.mark.parametrize("content_type", ["image/png", "application/json", "text/xml"])
def test_page_refuses_other_types(local_server: Any, settings: Settings, content_type: str) -> None:
    url = local_server.serve("/thing", b"\x89PNG....", content_type=content_type)
    with pytest.raises(ContentTypeError, match=content_type):
        fetch(settings, url)


def test_page_without_type_is_sniffed(local_server: Any, settings: Settings) -> None:
    url = local_server.serve("/untyped", PAGE, content_type="")
    assert fetch(settings, url).content_type == ""
    bad = local_server.serve("/blob", b"\x00\x01binary", content_type="application/octet-stream")
    with pytest.raises(ContentTypeError, match="does not look like a page"):
        fetch(settings, bad)


@pytest.mark.parametrize("content_type", ["text/xml", "text/html; charset=utf-8", "text/plain"])
def test_feed_accepts_loose_types(local_server: Any, settings: Settings, content_type: str) -> None:
    url = local_server.serve("/rss", FEED, content_type=content_type)
    result = fetch(settings, url, accept=Accept.FEED)
    assert b"<rss" in result.body


def test_feed_refuses_an_html_page(local_server: Any, settings: Settings) -> None:
    url = local_server.serve("/home", PAGE)
    with pytest.raises(ContentTypeError, match="not look like a feed"):
        fetch(settings, url, accept=Accept.FEED)
