"""Running Tidings: every stage once over what waits, or continuously with the site served.

`process_waiting` fetches the pages already queued and runs every stage once. `run` is the
newsroom left running: it polls each feed on its own schedule (`FeedSchedule`: around
`poll_minutes`, busy feeds up to four times as often, quiet ones up to four times less,
failing ones backing off), runs the stages after every poll, serves the site in the same
process (`SiteServer`, uvicorn in a thread) and stops gracefully: on Ctrl-C or SIGTERM the
item in hand is finished (each stage commits an item with its outcome before it reports
progress) and nothing else is started. All state is in the store, so a run resumes where the
last one stopped, however it stopped.

`setting_sources` says where each effective setting came from, for `tidings config`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import logging.handlers
import signal
import threading
import time
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy as sa
from pydantic import SecretStr

from .db import Store, open_store
from .embedding import Embedder, make_embedder
from .fetching import Fetcher
from .models import Feed
from .pipeline import process
from .polling import fetch_pages, poll_feeds
from .progress import NullProgress, Progress
from .settings import CONFIG_NAME, ENV_PREFIX, Settings
from .stages import StageReport

__all__ = [
    "FeedSchedule",
    "JsonFormatter",
    "RunCycle",
    "RunObserver",
    "RunTotals",
    "SettingSource",
    "ShutdownRequested",
    "SiteServer",
    "json_log_handler",
    "process_waiting",
    "run",
    "setting_sources",
]

log = logging.getLogger(__name__)

BUSY_ENTRIES = 3  # new entries in one poll that make a feed busy
FASTEST, SLOWEST = 0.25, 4.0  # bounds of a feed's interval, as factors of poll_minutes
MAX_IDLE = 30.0  # seconds between two runs of the stages when no poll is due
LOG_BYTES, LOG_BACKUPS = 5_000_000, 5


class ShutdownRequested(Exception):
    """A stop was asked for: the item in hand is done, nothing more is started."""


# -- the schedule ----------------------------------------------------------------------------


@dataclass
class _Timing:
    interval: float  # seconds
    due: float  # monotonic time of the next poll


class FeedSchedule:
    """When each feed is polled next: an interval per feed around a base interval.

    A poll that finds `BUSY_ENTRIES` or more new entries halves the feed's interval; one that
    finds none lengthens it by half; a few new entries move it back toward the base; a failed
    poll doubles it. Intervals stay between a quarter of the base and four times it.
    """

    def __init__(self, base_seconds: float) -> None:
        self.base = base_seconds
        self.fastest = base_seconds * FASTEST
        self.slowest = base_seconds * SLOWEST
        self._feeds: dict[int, _Timing] = {}

    def sync(
        self, feeds: Iterable[tuple[int, datetime | None, int]], *, now: float, wall: datetime
    ) -> None:
        """Know the feeds (id, last polled, consecutive failures) of the store: a new one is
        due a base interval after its last poll (at once if never polled); a removed one is
        forgotten."""
        seen = set()
        for feed_id, polled_at, failures in feeds:
            seen.add(feed_id)
            if feed_id in self._feeds:
                continue
            interval = min(self.slowest, self.base * 2 ** min(failures, 4))
            waited = (wall - polled_at).total_seconds() if polled_at else interval
            self._feeds[feed_id] = _Timing(interval, now + max(0.0, interval - waited))
        for gone in set(self._feeds) - seen:
            del self._feeds[gone]

    def due(self, now: float) -> list[int]:
        """The feeds whose next poll is due at `now`."""
        return sorted(f for f, t in self._feeds.items() if t.due <= now)

    def next_due(self) -> float | None:
        return min((t.due for t in self._feeds.values()), default=None)

    def interval(self, feed_id: int) -> float:
        return self._feeds[feed_id].interval

    def polled(self, feed_id: int, *, new_entries: int, failed: bool, now: float) -> None:
        """Adapt the feed's interval to what its poll found, and set its next poll."""
        timing = self._feeds.get(feed_id)
        if timing is None:
            return
        if failed:
            interval = max(timing.interval, self.base) * 2
        elif new_entries >= BUSY_ENTRIES:
            interval = timing.interval / 2
        elif new_entries == 0:
            interval = timing.interval * 1.5
        else:
            interval = (timing.interval + self.base) / 2
        timing.interval = min(self.slowest, max(self.fastest, interval))
        timing.due = now + timing.interval


# -- logs ------------------------------------------------------------------------------------


class JsonFormatter(logging.Formatter):
    """One JSON object per log record: time, level, logger, message, and its `fields`."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, Mapping):
            entry.update(fields)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def json_log_handler(data: Path) -> logging.Handler:
    """A rotating file handler writing JSON lines to `logs/tidings.log` in the data dir."""
    folder = data / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        folder / "tidings.log", maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(JsonFormatter())
    handler.setLevel(logging.INFO)
    handler.addFilter(_not_chatty)
    return handler


def _not_chatty(record: logging.LogRecord) -> bool:
    """Leave out the HTTP client's line per request; its warnings and errors stay."""
    return record.levelno >= logging.WARNING or not record.name.startswith(("httpx", "httpcore"))


# -- processing ------------------------------------------------------------------------------


async def _fetch_queued(store: Store, settings: Settings, progress: Progress | None) -> StageReport:
    async with Fetcher(settings) as fetcher:
        return await fetch_pages(store, fetcher, settings, progress=progress)


def process_waiting(
    store: Store,
    settings: Settings,
    *,
    progress: Progress | None = None,
    embedder: Embedder | None = None,
) -> list[StageReport]:
    """Fetch the pages already queued, then run every stage once over what waits for it."""
    fetched = asyncio.run(_fetch_queued(store, settings, progress))
    return [fetched, *process(store, settings, progress=progress, embedder=embedder)]


class _Stoppable:
    """Progress that passes everything on and ends the stage after the item in hand once a
    stop is asked for: stages report an item only after committing it."""

    def __init__(self, inner: Progress, stop: threading.Event) -> None:
        self.inner = inner
        self.stop = stop

    def start(self, stage: str, total: int) -> None:
        if self.stop.is_set():
            raise ShutdownRequested
        self.inner.start(stage, total)

    def advance(self, stage: str, count: int = 1) -> None:
        self.inner.advance(stage, count)
        if self.stop.is_set():
            raise ShutdownRequested


# -- serving the site ------------------------------------------------------------------------


class SiteServer:
    """The site (`tidings.web.app.create_app`) served by uvicorn in a background thread."""

    def __init__(self, settings: Settings, *, host: str | None = None, port: int | None = None):
        import uvicorn

        from .web.app import create_app

        self.host = host or settings.host
        self.port = port if port is not None else settings.port
        config = uvicorn.Config(
            create_app(settings),
            host=self.host,
            port=self.port,
            log_level="warning",
            proxy_headers=False,
            lifespan="on",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="site", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def start(self, *, timeout: float = 30.0) -> None:
        """Start serving; returns once the server listens (raises OSError when it cannot)."""
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise OSError(f"the site could not listen on {self.host}:{self.port}")
            time.sleep(0.05)

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=10)


# -- running continuously --------------------------------------------------------------------


@dataclass
class RunCycle:
    """What one turn of the run loop did."""

    number: int
    polled: int
    reports: list[StageReport]
    next_poll_in: float | None  # seconds


@dataclass
class RunTotals:
    """What a whole run did: items done and failed per stage, and how it ended."""

    cycles: int = 0
    done: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)
    stopped: bool = False  # by a signal or the caller, not by running out of cycles

    def add(self, reports: Iterable[StageReport]) -> None:
        for r in reports:
            self.done[r.stage] = self.done.get(r.stage, 0) + r.done
            self.failed[r.stage] = self.failed.get(r.stage, 0) + r.failed


class RunObserver(Progress, Protocol):
    """What a front end learns from a run: stage progress, and each finished cycle."""

    def cycle(self, cycle: RunCycle) -> None: ...


class _Quiet(NullProgress):
    def cycle(self, cycle: RunCycle) -> None:
        pass


def _feed_rows(store: Store) -> list[tuple[int, datetime | None, int, int, str | None]]:
    with store.session() as session:
        query = sa.select(
            Feed.id, Feed.polled_at, Feed.failures, Feed.entries_seen, Feed.last_status
        )
        return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]


@dataclass
class _Loop:
    store: Store
    settings: Settings
    embedder: Embedder
    observer: RunObserver
    stop: threading.Event
    schedule: FeedSchedule

    async def poll_due(self, fetcher: Fetcher) -> list[StageReport]:
        rows = _feed_rows(self.store)
        self.schedule.sync(
            ((r[0], r[1], r[2]) for r in rows), now=time.monotonic(), wall=datetime.now(UTC)
        )
        due = self.schedule.due(time.monotonic())
        if not due:
            return []
        seen = {r[0]: r[3] for r in rows}
        report = await poll_feeds(
            self.store, fetcher, self.settings, progress=self.observer, only=due
        )
        now = time.monotonic()
        for feed_id, _polled, _failures, entries, status in _feed_rows(self.store):
            if feed_id in due:
                new = entries - seen.get(feed_id, 0)
                self.schedule.polled(feed_id, new_entries=new, failed=status == "failed", now=now)
        return [report]

    async def turn(self, fetcher: Fetcher) -> list[StageReport]:
        reports = await self.poll_due(fetcher)
        progress = _Stoppable(self.observer, self.stop)
        reports.append(await fetch_pages(self.store, fetcher, self.settings, progress=progress))
        reports += await asyncio.to_thread(
            process, self.store, self.settings, progress=progress, embedder=self.embedder
        )
        return reports

    async def wait(self) -> None:
        """Until the next poll is due (or MAX_IDLE has passed), or a stop is asked for."""
        next_due = self.schedule.next_due()
        until = time.monotonic() + MAX_IDLE
        if next_due is not None:
            until = min(until, next_due)
        while not self.stop.is_set() and time.monotonic() < until:
            await asyncio.sleep(min(0.2, max(0.0, until - time.monotonic())))


def _install_signals(stop: threading.Event) -> Callable[[], None]:
    """Ctrl-C and SIGTERM ask for a stop; a second one stops at once. Returns the undo."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def handle(signum: int, _frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        log.warning("stopping after the item in hand (%s)", signal.Signals(signum).name)
        stop.set()

    for sig in previous:
        signal.signal(sig, handle)

    def undo() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return undo


async def _run_loop(loop: _Loop, cycles: int | None, totals: RunTotals) -> None:
    async with Fetcher(loop.settings) as fetcher:
        while not loop.stop.is_set() and (cycles is None or totals.cycles < cycles):
            try:
                reports = await loop.turn(fetcher)
            except ShutdownRequested:
                break
            totals.cycles += 1
            totals.add(reports)
            next_due = loop.schedule.next_due()
            wait = None if next_due is None else max(0.0, next_due - time.monotonic())
            cycle = RunCycle(
                totals.cycles, sum(r.done + r.failed for r in reports[:1]), reports, wait
            )
            _log_cycle(cycle)
            loop.observer.cycle(cycle)
            if cycles is None or totals.cycles < cycles:
                await loop.wait()


def _log_cycle(cycle: RunCycle) -> None:
    work = {
        r.stage: {"done": r.done, "failed": r.failed} for r in cycle.reports if r.done or r.failed
    }
    log.info(
        "cycle %d: %s",
        cycle.number,
        ", ".join(f"{k} {v['done']}" for k, v in work.items()) or "idle",
        extra={"fields": {"event": "cycle", "cycle": cycle.number, "stages": work}},
    )


def run(
    settings: Settings,
    *,
    serve: bool = True,
    observer: RunObserver | None = None,
    stop: threading.Event | None = None,
    embedder: Embedder | None = None,
    cycles: int | None = None,
    on_serving: Callable[[str], None] | None = None,
) -> RunTotals:
    """Poll, process and serve until stopped (by Ctrl-C, SIGTERM, `stop`, or after `cycles`).

    Logs go, as JSON lines, to `logs/tidings.log` in the data directory as well.
    """
    stop = stop or threading.Event()
    totals = RunTotals()
    handler = json_log_handler(settings.data)
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    undo = _install_signals(stop)
    site: SiteServer | None = None
    try:
        with open_store(settings) as store:
            if serve:
                site = SiteServer(settings)
                site.start()
                if on_serving is not None:
                    on_serving(site.url)
            loop = _Loop(
                store,
                settings,
                embedder or make_embedder(settings.embedder),
                observer or _Quiet(),
                stop,
                FeedSchedule(settings.poll_minutes * 60),
            )
            log.info(
                "run started", extra={"fields": {"event": "start", "data": str(settings.data)}}
            )
            asyncio.run(_run_loop(loop, cycles, totals))
    finally:
        totals.stopped = stop.is_set()
        if site is not None:
            site.stop()
        undo()
        log.info(
            "run stopped after %d cycles",
            totals.cycles,
            extra={"fields": {"event": "stop", "cycles": totals.cycles}},
        )
        root.removeHandler(handler)
        handler.close()
    return totals


# -- where each setting came from ------------------------------------------------------------


@dataclass(frozen=True)
class SettingSource:
    """One effective setting, shown as text, and where its value came from."""

    name: str
    value: str
    origin: str  # default, file PATH, env NAME, flag


def _shown(value: Any) -> str:
    if isinstance(value, SecretStr):
        return "********" if value.get_secret_value() else "(empty)"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) or "(none)"
    if isinstance(value, bool):
        return str(value).lower()
    return "(empty)" if value == "" else str(value)


def _config_path(settings: Settings, config: Path | None, env: Mapping[str, str]) -> Path | None:
    if config is not None:
        return config
    if env.get("TIDINGS_CONFIG"):
        return Path(env["TIDINGS_CONFIG"])
    found = settings.data / CONFIG_NAME
    return found if found.is_file() else None


def setting_sources(
    settings: Settings,
    flags: Mapping[str, Any],
    *,
    config: Path | None = None,
    env: Mapping[str, str],
) -> list[SettingSource]:
    """Every effective setting with where it came from, the way `load_settings` layers them:
    flags over the environment over the config file over the defaults. Secrets are masked."""
    path = _config_path(settings, config, env)
    from_file: dict[str, Any] = {}
    if path is not None and path.is_file():
        with path.open("rb") as handle:
            from_file = tomllib.load(handle)
    rows = []
    for name in type(settings).model_fields:
        if flags.get(name) is not None:
            origin = "flag"
        elif ENV_PREFIX + name.upper() in env:
            origin = f"env {ENV_PREFIX}{name.upper()}"
        elif name in from_file:
            origin = f"file {path}"
        else:
            origin = "default"
        rows.append(SettingSource(name, _shown(getattr(settings, name)), origin))
    return rows


# -- the terminal ----------------------------------------------------------------------------


class TerminalDisplay:
    """The run's status on a terminal: where the site is, the stage in hand, what the run has
    done so far; one line per busy cycle when the output is not a terminal."""

    def __init__(self, console: Any) -> None:
        from rich.live import Live

        self.console = console
        self.site = ""
        self.stage = ""
        self.handled = 0
        self.total = 0
        self.totals = RunTotals()
        self.next_poll: float | None = None
        self.live = Live(console=console, refresh_per_second=4, transient=True)
        self.active = bool(console.is_terminal)

    def __enter__(self) -> TerminalDisplay:
        if self.active:
            self.live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.active:
            self.live.stop()

    def start(self, stage: str, total: int) -> None:
        self.stage, self.handled, self.total = stage, 0, total
        self._refresh()

    def advance(self, stage: str, count: int = 1) -> None:
        self.handled += count
        self._refresh()

    def cycle(self, cycle: RunCycle) -> None:
        self.totals.add(cycle.reports)
        self.totals.cycles = cycle.number
        self.stage, self.next_poll = "", cycle.next_poll_in
        busy = [
            f"{r.stage} {r.done}" + (f" ({r.failed} failed)" if r.failed else "")
            for r in cycle.reports
            if r.done or r.failed
        ]
        if busy and not self.active:
            self.console.print(f"cycle {cycle.number}: " + ", ".join(busy), highlight=False)
        self._refresh()

    def _refresh(self) -> None:
        if self.active:
            self.live.update(self._render())

    def _render(self) -> Any:
        from rich.table import Table

        table = Table.grid(padding=(0, 2))
        table.add_row("site", self.site or "not served")
        doing = f"{self.stage} {self.handled}/{self.total}" if self.stage else "waiting"
        if not self.stage and self.next_poll is not None:
            doing += f" (next poll in {self.next_poll:.0f} s)"
        table.add_row("now", doing)
        table.add_row("cycles", str(self.totals.cycles))
        for stage, done in self.totals.done.items():
            failed = self.totals.failed.get(stage, 0)
            table.add_row(stage, f"{done} done" + (f", {failed} failed" if failed else ""))
        return table
