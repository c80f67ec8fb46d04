"""robots.txt and per-host politeness of the Fetcher, against a real server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest

from tidings.errors import RobotsDisallowedError
from tidings.fetching import Accept, Fetcher, FetchResult
from tidings.robots import RobotsRules
from tidings.settings import Settings

PAGE = "<html><body><p>Tide tables for the week.</p></body></html>"
AGENT = "Tidings/0.1 (self-hosted news reader)"


def fetch_all(settings: Settings, *urls: str) -> list[FetchResult | BaseException]:
    """Fetch `urls` concurrently with one Fetcher; failures are returned, not raised."""

    async def run() -> list[FetchResult | BaseException]:
        async with Fetcher(settings) as fetcher:
            tasks = [fetcher.fetch(url, accept=Accept.PAGE) for url in urls]
            return await asyncio.gather(*tasks, return_exceptions=True)

    return asyncio.run(run())


def test_robots_disallow_is_obeyed_and_cached(local_server: Any, settings: Settings) -> None:
    local_server.serve(
        "/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain"
    )
    open_url = local_server.serve("/news", PAGE)
    closed_url = local_server.serve("/private/memo", PAGE)
    opened, closed, again = fetch_all(settings, open_url, closed_url, open_url)
    assert isinstance(opened, FetchResult)
    assert isinstance(again, FetchResult)
    assert isinstance(closed, RobotsDisallowedError)
    assert "robots.txt disallows" in str(closed)
    assert closed.url == closed_url
    assert not local_server.hits("/private/memo")
    assert len(local_server.hits("/robots.txt")) == 1


def test_robots_rules_for_our_agent(local_server: Any, settings: Settings) -> None:
    local_server.serve(
        "/robots.txt",
        "User-agent: Tidings\nDisallow: /\n\nUser-agent: *\nAllow: /\n",
        content_type="text/plain",
    )
    (result,) = fetch_all(settings, local_server.serve("/news", PAGE))
    assert isinstance(result, RobotsDisallowedError)


def test_missing_robots_allows_all(local_server: Any, settings: Settings) -> None:
    (result,) = fetch_all(settings, local_server.serve("/news", PAGE))
    assert isinstance(result, FetchResult)
    assert local_server.hits("/robots.txt")


def test_failing_robots_closes_the_site(local_server: Any, settings: Settings) -> None:
    local_server.serve("/robots.txt", status=500, content_type="text/plain")
    first, second = fetch_all(
        settings.model_copy(update={"max_retries": 1}),
        local_server.serve("/news", PAGE),
        local_server.serve("/more", PAGE),
    )
    assert isinstance(first, RobotsDisallowedError)
    assert isinstance(second, RobotsDisallowedError)
    assert "HTTP 500" in str(first)
    assert not local_server.hits("/news")
    assert len(local_server.hits("/robots.txt")) == 2  # one retry, then cached


def test_robots_ignored_when_not_respected(local_server: Any, settings: Settings) -> None:
    local_server.serve("/robots.txt", "User-agent: *\nDisallow: /\n", content_type="text/plain")
    url = local_server.serve("/news", PAGE)
    (result,) = fetch_all(settings.model_copy(update={"respect_robots": False}), url)
    assert isinstance(result, FetchResult)
    assert not local_server.hits("/robots.txt")


def test_host_delay_spaces_request_starts(local_server: Any, settings: Settings) -> None:
    urls = [local_server.serve(f"/p{n}", PAGE) for n in range(3)]
    polite = settings.model_copy(
        update={"host_concurrency": 1, "host_delay": 0.2, "respect_robots": False}
    )
    results = fetch_all(polite, *urls)
    assert all(isinstance(r, FetchResult) for r in results)
    starts = sorted(r.at for r in local_server.requests)
    assert len(starts) == 3
    assert all(b - a >= 0.18 for a, b in itertools.pairwise(starts))


def test_host_concurrency_limits_requests_in_flight(local_server: Any, settings: Settings) -> None:
    urls = [local_server.serve(f"/slow{n}", PAGE, delay=0.15) for n in range(3)]
    one_at_a_time = settings.model_copy(update={"host_concurrency": 1, "respect_robots": False})
    fetch_all(one_at_a_time, *urls)
    starts = sorted(r.at for r in local_server.requests)
    assert all(b - a >= 0.13 for a, b in itertools.pairwise(starts))


def test_global_cap_limits_requests_in_flight(local_server: Any, settings: Settings) -> None:
    urls = [local_server.serve(f"/slow{n}", PAGE, delay=0.15) for n in range(2)]
    capped = settings.model_copy(
        update={"concurrency": 1, "host_concurrency": 4, "respect_robots": False}
    )
    fetch_all(capped, *urls)
    first, second = sorted(r.at for r in local_server.requests)
    assert second - first >= 0.13


def test_crawl_delay_raises_host_delay(local_server: Any, settings: Settings) -> None:
    local_server.serve("/robots.txt", "User-agent: *\nCrawl-delay: 1\n", content_type="text/plain")
    urls = [local_server.serve(f"/p{n}", PAGE) for n in range(2)]
    fetch_all(settings, *urls)
    first, second = sorted(r.at for r in local_server.requests if r.path != "/robots.txt")
    assert second - first >= 0.95


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        ("User-agent: *\nDisallow: /a\n", False),
        ("User-agent: *\nDisallow: /b\n", True),
        ("User-agent: OtherBot\nDisallow: /\n", True),
        ("", True),
    ],
)
def test_robots_rules(text: str, allowed: bool) -> None:
    assert RobotsRules.parse(text).allows("https://example.org/a/1", AGENT) is allowed


def test_robots_crawl_delay_is_capped() -> None:
    assert RobotsRules.parse("User-agent: *\nCrawl-delay: 600\n").crawl_delay(AGENT) == 30.0
    assert RobotsRules.allow_all().crawl_delay(AGENT) is None
    assert not RobotsRules.disallow_all("down").allows("https://example.org/", AGENT)
