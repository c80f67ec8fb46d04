"""RSS, Atom and JSON Feed of the site, read back with Tidings' own feed parser and an XML
parser, through the real web app in process."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from feeddata import BASE_TIME, HOSTILE, fill
from tidings import models
from tidings.db import Store
from tidings.feeds import parse_feed
from tidings.settings import Settings
from tidings.web.app import create_app
from tidings.web.feeds import xml_text

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://news.example.org"


def _parse(body: bytes) -> ET.Element:
    """The site's own feed as an XML tree (ElementTree expands no external entities)."""
    return ET.fromstring(body)  # noqa: S314 (our own output, the thing under test)


@pytest.fixture
def site_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"site_url": SITE, "site_name": "Tidings Test"})


@pytest.fixture
def client(site_settings: Settings, store: Store) -> Iterator[tuple[TestClient, dict[int, int]]]:
    room = fill(store)
    with TestClient(create_app(site_settings, store)) as client:
        yield client, room.story_ids


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_edition_feed_reads_back_with_the_feed_parser(
    client: tuple[TestClient, dict[int, int]], fmt: str
) -> None:
    http, stories = client
    response = http.get(f"/en/feed.{fmt}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        {
            "rss": "application/rss+xml",
            "atom": "application/atom+xml",
            "json": "application/feed+json",
        }[fmt]
    )
    parsed = parse_feed(response.content, url=f"{SITE}/en/feed.{fmt}")
    assert parsed.warning is None
    assert len(parsed.entries) == len(stories)
    newest = parsed.entries[0]  # the ferry story was updated last
    assert newest.title == xml_text(HOSTILE)
    assert newest.url.startswith(f"{SITE}/en/story/{stories[14]}-")
    assert newest.guid == f"tag:news.example.org,2031-03-02:en/story/{stories[14]}"
    assert newest.published == BASE_TIME
    assert newest.summary is not None
    assert "Ticket prices on the Copperfield ferry line rise in April." in newest.summary
    titles = [e.title for e in parsed.entries]
    assert "Riverside bridge in Lowmere reopens after eight months of repairs" in titles


def test_hostile_text_is_escaped_in_xml(client: tuple[TestClient, dict[int, int]]) -> None:
    http, _stories = client
    for fmt, item_path, title_path in (
        ("rss", "channel/item", "title"),
        ("atom", f"{ATOM}entry", f"{ATOM}title"),
    ):
        body = http.get(f"/en/feed.{fmt}").content
        assert b"<script>" not in body
        assert b"<b>" not in body
        assert b"\x01" not in body
        root = _parse(body)
        titles = [item.findtext(title_path) for item in root.iterfind(item_path)]
        assert xml_text(HOSTILE) in titles


def test_json_feed_is_json_feed_1_1(client: tuple[TestClient, dict[int, int]]) -> None:
    http, stories = client
    document = json.loads(http.get("/en/feed.json").content)
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == f"{SITE}/en/feed.json"
    assert document["home_page_url"] == f"{SITE}/en/"
    items = {item["id"]: item for item in document["items"]}
    ferry = items[f"tag:news.example.org,2031-03-02:en/story/{stories[14]}"]
    assert ferry["title"] == xml_text(HOSTILE)  # the same text in every format
    assert ferry["date_modified"] > ferry["date_published"]


def test_honest_labels(client: tuple[TestClient, dict[int, int]]) -> None:
    http, stories = client
    root = _parse(http.get("/en/feed.rss").content)
    described = {
        item.findtext("guid"): item.findtext("description") or ""
        for item in root.iterfind("channel/item")
    }
    by_story = {guid.rsplit("/", 1)[1]: text for guid, text in described.items() if guid}
    assert by_story[str(stories[13])].endswith("Reported by AI")
    assert by_story[str(stories[11])].endswith("Compiled automatically from 3 sources")
    assert "Reported by AI" not in by_story[str(stories[11])]


def test_rewrite_keeps_the_entry_id_and_moves_updated(
    client: tuple[TestClient, dict[int, int]], store: Store
) -> None:
    http, stories = client
    before = _parse(http.get("/en/feed.atom").content)
    ids_before = [e.findtext(f"{ATOM}id") for e in before.iterfind(f"{ATOM}entry")]
    with store.session() as session:
        row = session.get(models.Story, stories[11])
        assert row is not None
        row.headline = "Lowmere's Riverside bridge carries traffic again"
        row.version = 2
        row.updated_at = BASE_TIME + timedelta(days=3)
    after = _parse(http.get("/en/feed.atom").content)
    first = after.find(f"{ATOM}entry")
    assert first is not None
    assert first.findtext(f"{ATOM}title") == "Lowmere's Riverside bridge carries traffic again"
    assert first.findtext(f"{ATOM}updated") == "2031-03-05T08:00:00Z"
    assert first.findtext(f"{ATOM}id") in ids_before
    assert sorted(e.findtext(f"{ATOM}id") or "" for e in after.iterfind(f"{ATOM}entry")) == sorted(
        i or "" for i in ids_before
    )


def test_topic_and_storyline_feeds(client: tuple[TestClient, dict[int, int]]) -> None:
    http, stories = client
    line = parse_feed(http.get("/en/storyline/1/feed.rss").content, url=SITE)
    assert {e.guid.rsplit("/", 1)[1] for e in line.entries if e.guid} == {
        str(stories[11]),
        str(stories[12]),
    }
    assert line.link == f"{SITE}/en/storyline/1"
    world = parse_feed(http.get("/en/topic/world/feed.atom").content, url=SITE)
    business = parse_feed(http.get("/en/topic/business/feed.json").content, url=SITE)
    assert world.entries
    assert business.entries
    assert {e.url for e in world.entries} | {e.url for e in business.entries} >= {
        e.url for e in line.entries
    }


@pytest.mark.parametrize(
    "path",
    [
        "/xx/feed.rss",
        "/en/feed.xml",
        "/en/topic/astrology/feed.rss",
        "/en/storyline/99/feed.atom",
    ],
)
def test_unknown_feeds_are_not_found(client: tuple[TestClient, dict[int, int]], path: str) -> None:
    http, _stories = client
    assert http.get(path).status_code == 404


def test_conditional_get(client: tuple[TestClient, dict[int, int]]) -> None:
    http, _stories = client
    first = http.get("/nb/feed.rss")
    assert first.status_code == 200
    again = http.get("/nb/feed.rss", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_empty_store_gives_an_empty_valid_feed(site_settings: Settings, store: Store) -> None:
    with TestClient(create_app(site_settings, store)) as http:
        for fmt in ("rss", "atom", "json"):
            response = http.get(f"/de/feed.{fmt}")
            assert response.status_code == 200
            assert parse_feed(response.content, url=SITE).entries == ()
    with store.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(models.Story)) == 0
