"""`tidings process`, `tidings run` and `tidings config`: the schedule, the loop, the logs,
graceful stops and where settings come from."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from conftest import LocalServer
from newsfixtures import BRIDGE_REPORT, STORM_REPORT, article_html, rss_feed
from tidings import models
from tidings.cli import cli
from tidings.db import Store, open_store
from tidings.ingest import ingest_paths
from tidings.progress import NullProgress
from tidings.running import (
    FeedSchedule,
    JsonFormatter,
    RunCycle,
    json_log_handler,
    run,
    setting_sources,
)
from tidings.settings import Settings, load_settings
from tidings.sources import add_sources, spec_for_url

BASE = 600.0  # ten minutes


def _schedule(*feeds: int) -> FeedSchedule:
    schedule = FeedSchedule(BASE)
    schedule.sync(((f, None, 0) for f in feeds), now=0.0, wall=datetime.now(UTC))
    return schedule


def test_busy_feeds_are_polled_up_to_four_times_as_often() -> None:
    schedule = _schedule(1)
    for _ in range(5):
        schedule.polled(1, new_entries=10, failed=False, now=0.0)
    assert schedule.interval(1) == BASE / 4


def test_quiet_feeds_are_polled_up_to_four_times_less() -> None:
    schedule = _schedule(1)
    intervals = []
    for _ in range(6):
        schedule.polled(1, new_entries=0, failed=False, now=0.0)
        intervals.append(schedule.interval(1))
    assert intervals == sorted(intervals)
    assert intervals[-1] == BASE * 4


def test_failing_feeds_back_off_and_recover() -> None:
    schedule = _schedule(1)
    schedule.polled(1, new_entries=0, failed=True, now=0.0)
    assert schedule.interval(1) == BASE * 2
    schedule.polled(1, new_entries=0, failed=True, now=0.0)
    assert schedule.interval(1) == BASE * 4
    schedule.polled(1, new_entries=1, failed=False, now=0.0)
    assert BASE < schedule.interval(1) < BASE * 4


def test_a_poll_sets_the_next_one_and_only_due_feeds_are_due() -> None:
    schedule = _schedule(1, 2)
    assert schedule.due(0.0) == [1, 2]
    schedule.polled(1, new_entries=1, failed=False, now=0.0)
    assert schedule.due(1.0) == [2]
    assert schedule.due(BASE + 1) == [1, 2]


def test_a_restart_waits_for_feeds_polled_recently() -> None:
    wall = datetime(2026, 5, 1, 12, tzinfo=UTC)
    schedule = FeedSchedule(BASE)
    feeds = [(1, wall - timedelta(minutes=4), 0), (2, wall - timedelta(hours=2), 0), (3, None, 0)]
    schedule.sync(feeds, now=100.0, wall=wall)
    assert schedule.due(100.0) == [2, 3]
    assert schedule.due(100.0 + 6 * 60) == [1, 2, 3]
    schedule.sync([(3, None, 0)], now=100.0, wall=wall)
    assert schedule.due(10_000.0) == [3]


def test_settings_say_where_they_came_from(tmp_path: Path) -> None:
    config = tmp_path / "tidings.toml"
    config.write_text('poll_minutes = 3\nsite_name = "Harbour News"\n')
    env = {"TIDINGS_PORT": "9001", "TIDINGS_CHAT_API_KEY": "key-1234", "TIDINGS_SITE_NAME": "X"}
    flags = {"data": tmp_path}
    settings = load_settings(flags, config=config, env=env)
    rows = {r.name: r for r in setting_sources(settings, flags, config=config, env=env)}
    assert (rows["data"].origin, rows["data"].value) == ("flag", str(tmp_path))
    assert (rows["port"].origin, rows["port"].value) == ("env TIDINGS_PORT", "9001")
    assert rows["poll_minutes"].origin == f"file {config}"
    assert rows["site_name"].origin == "env TIDINGS_SITE_NAME"
    assert rows["writer"].origin == "default"
    assert rows["chat_api_key"].value == "********"
    assert "key-1234" not in repr(list(rows.values()))


def test_config_command_masks_the_key(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["--data", str(tmp_path), "config"],
        env={"TIDINGS_CHAT_API_KEY": "key-1234", "TIDINGS_CONFIG": ""},
    )
    assert result.exit_code == 0, result.output
    assert "key-1234" not in result.output
    line = next(x for x in result.output.splitlines() if x.startswith("chat_api_key"))
    assert "********" in line
    assert "(env TIDINGS_CHAT_API_KEY)" in line


def test_json_logs_carry_their_fields(tmp_path: Path) -> None:
    handler = json_log_handler(tmp_path)
    logger = logging.getLogger("tidings.test_running")
    logger.addHandler(handler)
    try:
        logger.warning("poll of %s failed", "feed 3", extra={"fields": {"feed": 3}})
    finally:
        logger.removeHandler(handler)
        handler.close()
    lines = (tmp_path / "logs" / "tidings.log").read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[-1])
    assert entry["message"] == "poll of feed 3 failed"
    assert entry["level"] == "warning"
    assert entry["feed"] == 3
    assert datetime.fromisoformat(entry["time"]).tzinfo is not None
    assert isinstance(JsonFormatter().format(logging.makeLogRecord({"msg": "x"})), str)


def _newsroom(local_server: LocalServer) -> str:
    bridge = local_server.serve(
        "/bridge.html", article_html("Velmora opens its bridge", BRIDGE_REPORT)
    )
    storm = local_server.serve("/storm.html", article_html("Storm closes schools", STORM_REPORT))
    items = [("Velmora opens its bridge", bridge), ("Storm closes schools", storm)]
    return local_server.serve(
        "/feed.xml", rss_feed("Courier", items), content_type="application/rss+xml"
    )


def _count(store: Store, table: type[models.Base]) -> int:
    with store.session() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(table)) or 0)


def test_process_command_runs_every_stage_over_what_waits(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "bridge.html").write_text(article_html("Velmora opens its bridge", BRIDGE_REPORT))
    (pages / "storm.html").write_text(article_html("Storm closes schools", STORM_REPORT))
    ingest_paths(store, [pages])
    assert _count(store, models.Article) == 0
    result = CliRunner().invoke(
        cli,
        ["--data", str(settings.data), "--db", settings.db, "process"],
        env={"TIDINGS_EMBEDDER": "hashing"},
    )
    assert result.exit_code == 0, result.output
    assert _count(store, models.Article) == 2
    assert _count(store, models.EventMember) == 2
    rows = {line.split()[1] for line in result.output.splitlines() if line.startswith("│")}
    assert {"extract", "dedupe", "embed", "cluster"} <= rows


class _Recorder(NullProgress):
    def __init__(self, stop: threading.Event | None = None, after: str | None = None) -> None:
        self.cycles: list[RunCycle] = []
        self.stop = stop
        self.after = after

    def advance(self, stage: str, count: int = 1) -> None:
        if self.stop is not None and stage == self.after:
            self.stop.set()

    def cycle(self, cycle: RunCycle) -> None:
        self.cycles.append(cycle)


def test_run_polls_processes_and_logs(local_server: LocalServer, settings: Settings) -> None:
    feed = _newsroom(local_server)
    with open_store(settings) as store:
        add_sources(store, [spec_for_url(feed, name="Courier")])
    recorder = _Recorder()
    totals = run(settings, serve=False, observer=recorder, cycles=2)
    assert totals.cycles == 2
    assert totals.done["poll"] == 1  # the feed is not due again within the run
    assert totals.done["extract"] == 2
    assert [c.number for c in recorder.cycles] == [1, 2]
    with open_store(settings) as store:
        assert _count(store, models.EventMember) == 2
    log = [json.loads(x) for x in (settings.data / "logs" / "tidings.log").read_text().splitlines()]
    cycles = [e for e in log if e.get("event") == "cycle"]
    assert cycles[0]["stages"]["extract"] == {"done": 2, "failed": 0}
    assert cycles[1]["stages"] == {}


def test_a_stop_finishes_the_item_in_hand_and_the_next_run_resumes(
    local_server: LocalServer, settings: Settings
) -> None:
    feed = _newsroom(local_server)
    with open_store(settings) as store:
        add_sources(store, [spec_for_url(feed, name="Courier")])
    stop = threading.Event()
    totals = run(settings, serve=False, observer=_Recorder(stop, after="extract"), stop=stop)
    assert totals.stopped
    with open_store(settings) as store:
        assert _count(store, models.Article) == 1  # the item in hand, and nothing after it
        assert _count(store, models.ArticleFeatures) == 0
    again = run(settings, serve=False, cycles=1)
    assert again.done["extract"] == 1
    with open_store(settings) as store:
        assert _count(store, models.Article) == 2
        assert _count(store, models.EventMember) == 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_run_serves_the_site_while_it_works(local_server: LocalServer, settings: Settings) -> None:
    feed = _newsroom(local_server)
    with open_store(settings) as store:
        add_sources(store, [spec_for_url(feed, name="Courier")])
    served = settings.model_copy(update={"port": _free_port()})
    answers: list[int] = []

    def fetch(url: str) -> None:
        answers.append(httpx.get(url, follow_redirects=True, timeout=10).status_code)

    run(served, serve=True, cycles=1, on_serving=fetch)
    assert answers == [200]
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{served.port}/", timeout=2)


@pytest.mark.slow
def test_sigterm_stops_a_running_newsroom_cleanly(
    local_server: LocalServer, settings: Settings
) -> None:
    feed = _newsroom(local_server)
    with open_store(settings) as store:
        add_sources(store, [spec_for_url(feed, name="Courier")])
    env = dict(
        os.environ,
        TIDINGS_DATA=str(settings.data),
        TIDINGS_DB=settings.db,
        TIDINGS_ALLOW_HOSTS="127.0.0.1",
        TIDINGS_EMBEDDER="hashing",
        TIDINGS_HOST_DELAY="0",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "tidings", "run", "--no-serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    log = settings.data / "logs" / "tidings.log"
    deadline = time.monotonic() + 60
    while not (log.exists() and '"event": "cycle"' in log.read_text()):
        assert time.monotonic() < deadline, "no cycle logged"
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err.decode()
    assert "stopped after 1 cycles" in " ".join(err.decode().split())
    assert '"event": "stop"' in log.read_text()
