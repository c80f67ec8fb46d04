"""The static export: written through the web app, then served by a real static file server
on 127.0.0.1 and read back as a reader and a feed reader would."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from click.testing import CliRunner

from tidings.cli import cli
from tidings.db import Store
from tidings.feeds import parse_feed
from tidings.settings import Settings
from tidings.web.export import export_site, file_for
from webdata import fill_store


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def static_server(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    root = tmp_path / "site"
    root.mkdir()
    handler = functools.partial(_Quiet, directory=str(root))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_exported_site_is_served_by_a_static_server(
    settings: Settings, store: Store, static_server: tuple[Path, str]
) -> None:
    root, base = static_server
    data = fill_store(store)
    count = export_site(settings.model_copy(update={"editions": ("en", "nb", "de")}), store, root)
    files = [p for p in root.rglob("*") if p.is_file()]
    assert count == len(files)
    with httpx.Client(base_url=base, follow_redirects=True, timeout=5) as http:
        home = http.get("/en/")
        assert home.status_code == 200
        story_links = sorted(set(re.findall(r'href="(/en/story/[^"]+)"', home.text)))
        assert story_links
        page = http.get(story_links[0])
        assert page.status_code == 200
        assert "text/html" in page.headers["content-type"]
        nb_links = re.findall(r'href="(/nb/story/[^"]+)"', http.get("/nb/").text)
        assert nb_links
        assert all(http.get(link).status_code == 200 for link in set(nb_links))
        feed = http.get("/en/feed.rss")
        assert feed.status_code == 200
        parsed = parse_feed(feed.content, url=f"{base}/en/feed.rss")
        assert len(parsed.entries) == len(data.story_ids)
        line = data.storyline_ids["talks-day-2"]
        assert http.get(f"/de/storyline/{line}/feed.atom").status_code == 200
        story = http.get(f"/api/v1/stories/{data.main}.json").json()
        assert story["id"] == data.main
        assert story["image"]
        image = http.get(urlsplit(story["image"]).path)
        assert image.status_code == 200
        assert image.content.startswith(b"\x89PNG")
        german = http.get(f"/api/v1/stories/{data.story_ids['bridge']}.json")
        assert german.status_code == 200
        assert http.get("/api/v1/openapi.json").json()["openapi"].startswith("3.1")
        first = http.get("/")
        assert first.status_code == 200
        assert "/en/" in first.text


def test_every_internal_link_of_an_exported_page_is_a_file(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    fill_store(store)
    out = tmp_path / "out"
    export_site(settings.model_copy(update={"editions": ("en", "nb")}), store, out)
    pages = [p for p in out.rglob("*.html") if p.name != "404.html"]  # 404 links are moot
    assert len(pages) > 20
    broken = set()
    for page in pages:
        for link in re.findall(r'(?:href|src)="(/[^"#?]*)', page.read_text(encoding="utf-8")):
            if link.startswith("//"):
                continue
            relative = file_for(link)
            assert relative is not None
            if not out.joinpath(*relative.parts).is_file():
                broken.add(link)
    assert not broken


def test_paths_become_files_as_static_hosts_expect() -> None:
    assert str(file_for("/")) == "index.html"
    assert str(file_for("/en/")) == "en/index.html"
    assert str(file_for("/en/story/3-a-slug")) == "en/story/3-a-slug/index.html"
    assert str(file_for("/en/feed.rss")) == "en/feed.rss"
    assert str(file_for("/image/3.png?v=2")) == "image/3.png"
    assert str(file_for("/api/v1/stories/3")) == "api/v1/stories/3.json"
    assert str(file_for("/api/v1/openapi.json")) == "api/v1/openapi.json"
    assert file_for("/en/../../etc/passwd") is None


def test_cli_exports_the_site(settings: Settings, store: Store, tmp_path: Path) -> None:
    fill_store(store)
    out = tmp_path / "cli-out"
    result = CliRunner().invoke(
        cli,
        ["--data", str(settings.data), "--db", settings.db, "export", "site", str(out)],
        env={"TIDINGS_EDITIONS": "en"},
    )
    assert result.exit_code == 0, result.output
    written = int(result.output.split()[0])
    assert written == sum(1 for p in out.rglob("*") if p.is_file())
    assert (out / "en" / "index.html").is_file()
    assert not (out / "nb").exists()
