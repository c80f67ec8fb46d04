"""robots.txt rules of one site, as RFC 9309 reads them.

A 200 gives the parsed file; a 4xx means the site has no rules (everything allowed); a 5xx
or an unreachable server means the site is treated as disallowed, since the crawler cannot
know what it may fetch.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

import httpx

__all__ = ["MAX_CRAWL_DELAY", "ROBOTS_MAX_BYTES", "RobotsRules", "origin_of", "robots_url"]

logger = logging.getLogger(__name__)

MAX_CRAWL_DELAY = 30.0
# RFC 9309 asks crawlers to read at least 500 KiB; anything after the cap is ignored.
ROBOTS_MAX_BYTES = 512 * 1024


def origin_of(url: httpx.URL) -> str:
    """scheme://host:port, the scope of one robots.txt."""
    port = url.port or (443 if url.scheme == "https" else 80)
    return f"{url.scheme}://{url.raw_host.decode('ascii').lower()}:{port}"


def robots_url(url: httpx.URL) -> str:
    """The robots.txt URL that governs `url`."""
    return str(url.copy_with(path="/robots.txt", query=None, fragment=None))


@dataclass(frozen=True)
class RobotsRules:
    """What one site's robots.txt allows; `blocked` explains a site closed as a whole."""

    parser: RobotFileParser | None = None
    blocked: str | None = None

    @classmethod
    def allow_all(cls) -> RobotsRules:
        return cls()

    @classmethod
    def disallow_all(cls, reason: str) -> RobotsRules:
        return cls(blocked=reason)

    @classmethod
    def parse(cls, text: str) -> RobotsRules:
        parser = RobotFileParser()
        parser.parse(text.splitlines())
        return cls(parser=parser)

    def allows(self, url: str, user_agent: str) -> bool:
        """True when `user_agent` may fetch `url`."""
        if self.blocked is not None:
            return False
        return self.parser is None or self.parser.can_fetch(user_agent, url)

    def crawl_delay(self, user_agent: str) -> float | None:
        """The Crawl-delay for `user_agent` in seconds, capped at `MAX_CRAWL_DELAY`."""
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(user_agent)
        if delay is None:
            return None
        return min(float(delay), MAX_CRAWL_DELAY)
