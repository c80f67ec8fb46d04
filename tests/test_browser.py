"""The site in a real browser: Chromium driven by Playwright against the web app served by
uvicorn on 127.0.0.1.

Screenshots of the home and story pages at desktop and phone widths are written to
`build/screenshots/` (or the folder in TIDINGS_SCREENSHOTS) for people to look at.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tidings.db import Store, open_store
from tidings.settings import load_settings
from tidings.web.app import create_app
from tidings.web.feedback import page_views
from webdata import HOSTILE, WebData, fill_store

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[1]
SHOTS = Path(os.environ.get("TIDINGS_SCREENSHOTS") or ROOT / "build" / "screenshots")

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not CHROMIUM.is_file():
    pytest.skip(
        f"no Chromium at {CHROMIUM} (install Debian's package: apt-get install chromium)",
        allow_module_level=True,
    )


class Site:
    """The web app served over a filled store in a background thread."""

    def __init__(self, base: str, store: Store, data: WebData) -> None:
        self.base = base
        self.store = store
        self.data = data

    def url(self, path: str) -> str:
        return self.base + path

    def views(self, path: str | None = None) -> int:
        with self.store.session() as session:
            return page_views(session, path=path)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    import uvicorn

    folder = tmp_path_factory.mktemp("browser")
    settings = load_settings({"data": folder, "embedder": "hashing"}, env={})
    store = open_store(settings)
    data = fill_store(store)
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings, store), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    try:
        yield Site(f"http://127.0.0.1:{port}", store, data)
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    opened = browser.new_context(viewport={"width": 1280, "height": 900})
    yield opened
    opened.close()


def _story(site: Site, key: str, edition: str = "en") -> str:
    return site.url(f"/{edition}/story/{site.data.story_ids[key]}")


def test_story_page_shows_all_its_sections(context: Any, site: Site) -> None:
    page = context.new_page()
    page.goto(_story(site, "talks-day-2"))
    assert page.locator("h1").inner_text() == site.data.headlines["talks-day-2"]
    image = page.locator("figure.story-image img")
    assert image.get_attribute("alt")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    for heading in (
        "What people say",
        "Related Articles",
        "Sources",
        "How this story was made",
        "Version history",
    ):
        assert page.get_by_role("heading", name=heading).is_visible(), heading
    assert page.get_by_role("link", name="Report an inaccuracy").first.is_visible()
    assert page.locator(".related .card").count() == 3


def test_declining_leaves_no_analytics_cookie_and_counts_nothing(context: Any, site: Site) -> None:
    before = site.views()
    page = context.new_page()
    page.goto(site.url("/en/"))
    assert context.cookies() == []
    page.get_by_role("button", name="Decline").click()
    page.wait_for_load_state()
    assert [(c["name"], c["value"]) for c in context.cookies()] == [("tidings_consent", "declined")]
    assert page.locator(".consent-banner").count() == 0
    page.goto(site.url("/en/about"))
    page.goto(_story(site, "bridge"))
    assert site.views() == before


def test_accepting_counts_a_view(context: Any, site: Site) -> None:
    page = context.new_page()
    page.goto(site.url("/en/privacy"))
    before = site.views("/en/privacy")
    page.get_by_role("button", name="Accept").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/en/privacy")  # back where the reader was, now counted
    assert [c["name"] for c in context.cookies()] == ["tidings_consent"]
    page.reload()
    assert site.views("/en/privacy") == before + 2
    assert "You have accepted analytics cookies." in page.content()


def test_norwegian_edition_shows_the_norwegian_labels(context: Any, site: Site) -> None:
    page = context.new_page()
    page.goto(_story(site, "talks-day-2", "nb"))
    assert page.locator("html").get_attribute("lang") == "nb"
    text = page.locator("body").inner_text()
    for label in ("Bilde generert av AI", "Hva folk sier", "Relaterte artikler"):
        assert label in text
    assert "RAPPORTERT AV AI" in text.upper()
    assert page.get_by_role("button", name="Avvis").is_visible()


def test_a_sentence_shows_its_sources_on_hover_and_on_keyboard_focus(
    context: Any, site: Site
) -> None:
    page = context.new_page()
    page.goto(_story(site, "talks-day-2"))
    page.get_by_role("button", name="Decline").click()
    page.wait_for_load_state()
    sentence = page.locator(".story-body .s").first
    cite = sentence.locator(".cite")
    assert not cite.is_visible()
    sentence.hover()
    assert cite.is_visible()
    assert "Sources" in cite.inner_text()
    assert cite.locator("a").first.get_attribute("href", timeout=1000).startswith("https://")
    page.mouse.move(0, 0)
    assert not cite.is_visible()
    first = page.locator(".standfirst .s").first
    page.locator("h1").click()  # start the tab order near the story
    for _ in range(40):
        page.keyboard.press("Tab")
        if first.evaluate("node => node === document.activeElement"):
            break
    else:
        pytest.fail("the first sentence never took keyboard focus")
    assert first.locator(".cite").is_visible()
    page.keyboard.press("Escape")
    assert not first.locator(".cite").is_visible()


def test_a_hostile_title_is_shown_as_text(context: Any, site: Site) -> None:
    dialogs: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(site.url("/en/"))
    page.goto(_story(site, "hostile"))
    page.wait_for_timeout(300)
    assert dialogs == []
    assert HOSTILE in page.locator("h1").inner_text()
    assert HOSTILE in page.locator(".source-list").inner_text()
    assert page.locator("img[src='x']").count() == 0


def _no_sideways_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize(("name", "width"), [("desktop", 1280), ("phone", 375)])
def test_screenshots_and_no_sideways_scrolling(
    browser: Any, site: Site, name: str, width: int
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(site.url("/en/"))
        page.screenshot(path=str(SHOTS / f"home-{name}-banner.png"))
        page.get_by_role("button", name="Decline").click()
        page.wait_for_load_state()
        paths = {
            "home": "/en/",
            "story": f"/en/story/{site.data.main}",
            "story-nb": f"/nb/story/{site.data.main}",
            "storyline": f"/en/storyline/{site.data.storyline_ids['accord']}",
            "privacy": "/en/privacy",
            "report": f"/en/report?story={site.data.main}",
        }
        for shot, path in paths.items():
            page.goto(site.url(path))
            assert _no_sideways_scroll(page), f"{path} scrolls sideways at {width}px"
            if shot in ("home", "story", "story-nb"):
                target = SHOTS / f"{shot}-{name}.png"
                page.screenshot(path=str(target), full_page=True)
                assert target.stat().st_size > 10_000
    finally:
        context.close()


def test_pages_reflow_at_200_percent_zoom(browser: Any, site: Site) -> None:
    # 200% zoom of a 1280px window: half the CSS pixels, twice the device pixels.
    context = browser.new_context(viewport={"width": 640, "height": 450}, device_scale_factor=2)
    try:
        page = context.new_page()
        for path in ("/en/", f"/en/story/{site.data.main}", "/ko/about", "/de/privacy"):
            page.goto(site.url(path))
            assert _no_sideways_scroll(page), path
        page.goto(site.url(f"/en/story/{site.data.main}"))
        page.screenshot(path=str(SHOTS / "story-zoom200.png"))
    finally:
        context.close()
