"""The web app: the site's pages, feeds and API over the store, as one ASGI application.

`create_app(settings, store)` builds it; `serve(settings)` runs it with uvicorn. Every
response carries the security headers (a strict Content-Security-Policy with no inline
script, no framing, no MIME sniffing); errors are turned into pages once, here: an HTML page
in the reader's edition, or JSON under `/api/`.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..db import Store, open_store
from ..settings import Settings
from .i18n import N_
from .pages import page_routes
from .site import STATIC, Site

__all__ = ["SECURITY_HEADERS", "CachedPages", "create_app", "serve"]

log = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "cross-origin-opener-policy": "same-origin",
}
ERROR_TITLES = {
    400: N_("Bad request"),
    403: N_("Not allowed"),
    404: N_("Page not found"),
    405: N_("Not allowed"),
}
SERVER_ERROR = N_("Something went wrong")


class SecurityHeaders:
    """Adds the security headers, and how long browsers may keep what was sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])]
                present = {k.lower() for k, _ in headers}
                extra = dict(SECURITY_HEADERS)
                if path.startswith("/static/"):
                    extra["cache-control"] = "public, max-age=86400"
                else:
                    extra["cache-control"] = "private, no-cache"
                    extra["vary"] = "Cookie, Accept-Language"
                for name, value in extra.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class CachedPages:
    """Answers a GET for a page already in the page cache on the event loop, with no worker
    thread: about a sixth of the CPU time of the full path (benchmarks/site.py).

    Everything else takes the app's usual path: pages not cached yet, readers who accepted
    counting (their views are counted by the page handlers), and the once-a-second check that
    the store has not changed (`PageCache.peek` declines when that check is due).
    """

    def __init__(self, app: ASGIApp, site: Site) -> None:
        self.app = app
        self.site = site

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            request = Request(scope)
            if self.site.consent(request) != "accepted":
                edition = self.site.edition_of_path(request.url.path)
                page = self.site.cache.peek(self.site.page_key(request, edition))
                if page is not None:
                    await HTMLResponse(page[1], status_code=page[0])(scope, receive, send)
                    return
        await self.app(scope, receive, send)


def _error_handler(site: Site) -> Callable[[Request, Exception], Any]:
    def handle(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        if status >= 500:
            log.error("error serving %s: %r", request.url.path, exc)
        if request.url.path.startswith("/api/"):
            detail = exc.detail if isinstance(exc, HTTPException) else "server error"
            return JSONResponse({"error": detail, "status": status}, status_code=status)
        edition = site.edition_of_path(request.url.path)
        title = ERROR_TITLES.get(status, SERVER_ERROR)
        html = site.render(request, edition, "error.html", {"status": status, "title": title})
        headers = getattr(exc, "headers", None) if isinstance(exc, HTTPException) else None
        return HTMLResponse(html, status_code=status, headers=headers)

    return handle


def _optional_routes(module: str, factory: str) -> list[BaseRoute]:
    """Routes of another part of the site (feeds, API) when it is installed."""
    try:
        found = importlib.import_module(f"tidings.web.{module}")
    except ImportError as exc:
        log.debug("no %s routes: %s", module, exc)
        return []
    make: Callable[[], list[BaseRoute]] | None = getattr(found, factory, None)
    return list(make()) if make is not None else []


def create_app(settings: Settings, store: Store | None = None) -> Starlette:
    """The site as an ASGI app over `store` (opened from `settings` when not given)."""
    own_store = store is None
    opened = store if store is not None else open_store(settings)
    site = Site(settings, opened)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        if own_store:
            opened.close()

    handler = _error_handler(site)
    routes: list[BaseRoute] = [
        *_optional_routes("feeds", "feed_routes"),
        *_optional_routes("api", "api_routes"),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
        *page_routes(),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: handler, Exception: handler},
        lifespan=lifespan,
    )
    app.state.site = site
    app.state.settings = settings
    app.state.store = opened
    app.add_middleware(CachedPages, site=site)
    app.add_middleware(SecurityHeaders)
    return app


def serve(settings: Settings, *, host: str | None = None, port: int | None = None) -> None:
    """Serve the site with uvicorn until interrupted."""
    import uvicorn

    app = create_app(settings)
    uvicorn.run(
        app,
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
        proxy_headers=False,
    )
