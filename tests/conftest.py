"""Fixtures shared by the test suite.

`local_server` is a real HTTP server on 127.0.0.1 (a thread per request) that serves routes a
test registers; every request it receives is recorded so tests can assert on what was sent.

`settings` points the data directory at a temporary folder and the store at SQLite, or at
the database given with `--db URL` (e.g. `pytest --db postgresql+psycopg://127.0.0.1/test`),
so the same suite runs on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlalchemy as sa

from tidings.db import Store, open_store
from tidings.settings import Settings, load_settings

SHARED = Path(__file__).resolve().parents[2] / "shared"

pytest_plugins = ["llama_server"]  # the `llama_server` and `chat_stub` fixtures

Handler = Callable[[BaseHTTPRequestHandler], None]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        default=None,
        help="run the store tests against this database URL instead of SQLite",
    )


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    at: float


@dataclass
class LocalServer:
    """Routes and the log of requests of one running server."""

    host: str
    port: int
    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def handle(self, path: str, handler: Handler) -> str:
        """Serve `path` with a function that writes the whole response; returns its URL."""
        self.routes[path] = handler
        return self.url(path)

    def serve(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> str:
        """Serve a fixed response at `path`; returns its URL."""
        data = body.encode() if isinstance(body, str) else body

        def write(request: BaseHTTPRequestHandler) -> None:
            if delay:
                time.sleep(delay)
            request.send_response(status)
            request.send_header("Content-Type", content_type)
            request.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                request.send_header(name, value)
            request.end_headers()
            if request.command != "HEAD":
                request.wfile.write(data)

        return self.handle(path, write)

    def hits(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]


def _handler_class(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _dispatch(self) -> None:
            server.requests.append(
                Recorded(self.command, self.path, dict(self.headers.items()), time.monotonic())
            )
            route = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
            if route is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                route(self)

        do_GET = do_HEAD = _dispatch

        def log_message(self, format: str, *args: object) -> None:
            """Keep the test output quiet."""

    return RequestHandler


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    state = LocalServer("127.0.0.1", 0)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new schema on the `--db` server."""
    base: str | None = request.config.getoption("--db")
    if not base:
        yield f"sqlite:///{tmp_path / 'tidings.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as exc:
        pytest.skip(f"database {base} is not reachable: {exc.orig}")
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    """Settings for one test: temp data dir, fresh store, local hosts allowed, no delays,
    and the fast hashing embedder (tests about clustering quality load e5 themselves)."""
    return load_settings(
        {
            "data": tmp_path / "data",
            "db": db_url,
            "allow_hosts": ("127.0.0.1", "localhost"),
            "host_delay": 0.0,
            "backoff": 0.01,
            "connect_timeout": 2.0,
            "read_timeout": 2.0,
            "embedder": "hashing",
        },
        env={},
    )


@pytest.fixture
def shared() -> Path:
    """The shared data beside the project; tests that need it skip without it."""
    if not SHARED.is_dir():
        pytest.skip(f"shared data not found at {SHARED} (clone the project beside shared/)")
    return SHARED


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    """The migrated store of `settings`, closed after the test."""
    with open_store(settings) as opened:
        yield opened
