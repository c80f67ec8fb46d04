"""Web addresses from untrusted sources: only absolute http(s) URLs with a host get through."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

__all__ = ["http_url"]


def http_url(href: object, base: str | None = None) -> str | None:
    """`href` made absolute against `base`, if it is then an http(s) URL with a host.

    Anything else (other schemes such as javascript: or data:, control characters, text that
    is no URL at all) gives None.
    """
    if not isinstance(href, str) or not href.strip():
        return None
    href = href.strip()
    if any(ord(char) < 32 for char in href):
        return None
    url = urljoin(base or "", href)
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return url
