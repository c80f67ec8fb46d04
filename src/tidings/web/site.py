"""What every page of the site shares: templates, the page cache, consent and form tokens.

`Site` holds the settings, the store and the template environment of one web app. Rendered
pages are cached in memory under their path, edition and the reader's consent state, and
dropped when the store's `generation` changes (checked at most once a second), so a new or
rewritten story shows at once without re-rendering unchanged pages on every request.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import nh3
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import NoMatchFound

from ..db import Store
from ..settings import Settings
from . import i18n
from .reading import generation, slugify

__all__ = [
    "CONSENT_COOKIE",
    "CONSENT_VALUES",
    "PageCache",
    "Site",
    "safe_return_path",
    "safe_url",
]

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")
CONSENT_COOKIE = "tidings_consent"
CONSENT_VALUES = ("accepted", "declined")
CONSENT_MAX_AGE = 180 * 24 * 3600  # the choice is asked again after about six months
TOKEN_MAX_AGE = 2 * 24 * 3600  # a form token is good for two days
RICH_TAGS = {"em", "strong", "b", "i", "q"}  # markup kept in model-written summaries


def safe_url(value: str | None) -> str | None:
    """A link to a source only when it is an absolute http(s) URL (no javascript: etc.)."""
    if not value:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return parts.geturl()


def safe_return_path(value: str | None, fallback: str) -> str:
    """A path on this site to send the reader back to; anything else gives `fallback`."""
    if not value or len(value) > 2000:
        return fallback
    value = value.strip()
    if not value.startswith("/") or value.startswith(("//", "/\\")) or "\\" in value:
        return fallback
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or any(ord(ch) < 32 for ch in value):
        return fallback
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _rich(text: str) -> Markup:
    """Model-written text with a few inline tags kept and everything else removed."""
    return Markup(nh3.clean(text, tags=RICH_TAGS, attributes={}))  # noqa: S704 (sanitised by nh3)


class PageCache:
    """Rendered pages kept in memory until the store changes."""

    def __init__(
        self, current: Callable[[], Any], *, size: int = 512, check_every: float = 1.0
    ) -> None:
        self._current = current
        self._size = size
        self._check_every = check_every
        self._pages: OrderedDict[tuple[str, ...], tuple[int, str]] = OrderedDict()
        self._lock = threading.Lock()
        self._generation: Any = None
        self._checked = float("-inf")

    def _fresh(self) -> None:
        now = time.monotonic()
        with self._lock:
            if now - self._checked < self._check_every:
                return
            self._checked = now  # one check at a time; meanwhile the others serve the cache
        value = self._current()
        with self._lock:
            if value != self._generation:
                self._generation = value
                self._pages.clear()

    def get(self, key: tuple[str, ...]) -> tuple[int, str] | None:
        self._fresh()
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def peek(self, key: tuple[str, ...]) -> tuple[int, str] | None:
        """The cached page without asking the store: None when the last check that the store
        has not changed is older than `check_every` (the caller then takes `get`'s path)."""
        if time.monotonic() - self._checked >= self._check_every:
            return None
        with self._lock:
            return self._pages.get(key)

    def put(self, key: tuple[str, ...], status: int, html: str) -> None:
        with self._lock:
            self._pages[key] = (status, html)
            self._pages.move_to_end(key)
            while len(self._pages) > self._size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._checked = float("-inf")


class Site:
    """The shared state of one web app: settings, store, templates and the page cache."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.editions = tuple(settings.editions) or ("en",)
        self.secret = secrets.token_bytes(32)  # form tokens last as long as the process
        self.cache = PageCache(self._generation)
        self._build_locks = tuple(threading.Lock() for _ in range(64))
        self.env = self._environment()
        css = (STATIC / "site.css").read_bytes() if (STATIC / "site.css").is_file() else b""
        self.asset_version = hashlib.sha256(css).hexdigest()[:10]

    def _generation(self) -> Any:
        with self.store.session() as session:
            return generation(session)

    def _environment(self) -> Environment:
        env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.install_gettext_callables(  # type: ignore[attr-defined]
            i18n.gettext, i18n.ngettext, newstyle=True
        )
        env.filters["when"] = lambda value, with_time=True: i18n.format_time(
            value, i18n.current(), with_time=with_time
        )
        env.filters["iso"] = lambda value: value.isoformat() if isinstance(value, datetime) else ""
        env.filters["safe_url"] = safe_url
        env.filters["rich"] = _rich
        env.filters["slug"] = slugify
        env.filters["language"] = lambda code: i18n.language_name(code, i18n.current())
        env.filters["pct"] = lambda value: round(max(0.0, min(1.0, float(value))) * 100)
        env.globals["native_name"] = i18n.native_name
        return env

    def consent(self, request: Request) -> str | None:
        """The reader's recorded choice: accepted, declined, or None when not yet asked."""
        value = request.cookies.get(CONSENT_COOKIE)
        return value if value in CONSENT_VALUES else None

    def edition_of_path(self, path: str) -> str:
        first = path.strip("/").split("/", 1)[0]
        return first if first in self.editions else self.editions[0]

    def render(
        self,
        request: Request,
        edition: str,
        template: str,
        context: Mapping[str, Any],
        *,
        alternates: Mapping[str, str] | None = None,
    ) -> str:
        """A template rendered in the edition's language, with what every page needs."""
        path = request.url.path
        with i18n.use(edition):
            return self.env.get_template(template).render(
                edition=edition,
                editions=self.editions,
                site_name=self.settings.site_name,
                site_url=self.settings.site_url.rstrip("/"),
                path=path,
                return_to=path + (f"?{request.url.query}" if request.url.query else ""),
                consent=self.consent(request),
                alternates=alternates or self.alternates(path, edition),
                asset_version=self.asset_version,
                **context,
            )

    def alternates(self, path: str, edition: str) -> dict[str, str]:
        """The same page in every edition, by language."""
        rest = path[len(edition) + 1 :] if path.startswith(f"/{edition}/") else "/"
        return {code: f"/{code}{rest}" for code in self.editions}

    def page_key(self, request: Request, edition: str) -> tuple[str, ...]:
        """A page's key in the cache: path, query, edition and the reader's consent."""
        return (request.url.path, request.url.query, edition, self.consent(request) or "unset")

    def cached(
        self,
        request: Request,
        edition: str,
        build: Callable[[], tuple[int, str]],
    ) -> HTMLResponse:
        """The page from the cache, or built, cached and returned.

        One page is built once at a time: readers who ask for it meanwhile wait for that
        build instead of starting their own (after a new story empties the cache, a busy
        home page would otherwise be built by every waiting request at once)."""
        key = self.page_key(request, edition)
        page = self.cache.get(key)
        if page is None:
            with self._build_locks[hash(key) % len(self._build_locks)]:
                page = self.cache.get(key)
                if page is None:
                    page = build()
                    if page[0] == 200:
                        self.cache.put(key, *page)
        return HTMLResponse(page[1], status_code=page[0])

    def form_token(self, purpose: str, *, now: float | None = None) -> str:
        """A token that proves a form was served by this site for `purpose`."""
        stamp = str(int(now if now is not None else time.time()))
        mac = hmac.new(self.secret, f"{purpose}|{stamp}".encode(), hashlib.sha256).hexdigest()
        return f"{stamp}.{mac}"

    def check_token(self, token: str | None, purpose: str) -> bool:
        if not token or "." not in token:
            return False
        stamp, _, mac = token.partition(".")
        if not stamp.isdigit() or time.time() - int(stamp) > TOKEN_MAX_AGE:
            return False
        expected = self.form_token(purpose, now=int(stamp)).partition(".")[2]
        return hmac.compare_digest(mac, expected)

    def same_origin(self, request: Request) -> bool:
        """False when the browser says the request came from another site."""
        if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            return False
        origin = request.headers.get("origin")
        if not origin or origin == "null":
            return origin is None
        own = {f"{request.url.scheme}://{request.url.netloc}"}
        site = urlsplit(self.settings.site_url)
        own.add(f"{site.scheme}://{site.netloc}")
        return origin.rstrip("/") in own

    def url_for(self, request: Request, name: str, **params: Any) -> str:
        try:
            return str(request.url_for(name, **params).path)
        except NoMatchFound:
            return "/"
