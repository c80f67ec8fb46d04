"""Offline ingest through extraction and duplicate detection, on a real store."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import sqlalchemy as sa

from newsfixtures import BRIDGE_OTHER_REPORT, BRIDGE_REPORT, STORM_REPORT, article_html
from tidings.db import Store
from tidings.ingest import ingest_paths
from tidings.models import Article, Document, StageItem
from tidings.pipeline import process
from tidings.settings import Settings
from tidings.status import store_status


def _articles(store: Store) -> list[Article]:
    with store.session() as session:
        return list(session.scalars(sa.select(Article).order_by(Article.id)))


def _count(store: Store, model: type[object]) -> int:
    with store.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_seeds_are_ingested_clean(store: Store, settings: Settings, shared: Path) -> None:
    report = ingest_paths(store, [shared / "seeds"])
    assert (report.done, report.failed) == (5, 0)
    extract, dedupe, *_later = process(store, settings)
    assert (extract.done, extract.failed, dedupe.done) == (5, 0, 5)
    joined = "\n".join(a.text for a in _articles(store))
    assert "Read Also" not in joined
    assert "All rights reserved" not in joined
    assert "This website uses cookies" not in joined
    assert "Jamieson Greer" in joined  # news text of 002/004 kept
    assert "80 minutes" in joined  # news text of 003 kept
    # The three reports are different texts: none is a duplicate of another.
    assert all(a.duplicate_of is None for a in _articles(store))


def test_reingest_adds_nothing(store: Store, settings: Settings, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "bridge.html").write_text(article_html("Velmora opens its bridge", BRIDGE_REPORT))
    (pages / "storm.html.gz").write_bytes(
        gzip.compress(article_html("Storm closes Eskerud schools", STORM_REPORT).encode())
    )
    for _ in range(2):
        ingest_paths(store, [pages])
        process(store, settings)
    assert _count(store, Document) == 2
    assert _count(store, Article) == 2
    with store.session() as session:
        stages = session.execute(
            sa.select(StageItem.stage, sa.func.count()).group_by(StageItem.stage)
        ).all()
    # Each article is extracted, deduplicated, embedded and clustered once; the two events'
    # related lists are refreshed once.
    assert dict(stages) == {"extract": 2, "dedupe": 2, "embed": 2, "cluster": 2, "related": 2}


def test_wire_copies_and_same_urls_are_linked_to_the_first_copy(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    original = article_html("Velmora opens its bridge", BRIDGE_REPORT, outlet="Velmora Courier")
    wire = article_html(
        "Velmora bridge opens to traffic",
        ["VELMORA (Nordic Wire) -", *BRIDGE_REPORT],
        outlet="Fjord Daily",
        extra="<p>Subscribe to our newsletter for more news.</p>",
    )
    other = article_html("Crowds walk the new bridge", BRIDGE_OTHER_REPORT, outlet="Harbour Post")
    (pages / "a_original.html").write_text(original)
    (pages / "b_wire.html").write_text(wire)
    (pages / "c_other.html").write_text(other)
    feed = tmp_path / "feed.jsonl"
    record = {
        "id": "x1",
        "url": "https://news.test/storm?utm_source=rss",
        "outlet": "Eskerud Tidende",
        "lang": "en",
        "title": "Storm closes schools",
        "text": "\n\n".join(STORM_REPORT),
    }
    again = dict(record, id="x2", url="https://news.test/storm")
    feed.write_text(json.dumps(record) + "\n" + json.dumps(again) + "\n")
    ingest_paths(store, [pages, feed])
    process(store, settings)
    articles = {a.title: a for a in _articles(store)}
    first = articles["Velmora opens its bridge"]
    assert articles["Velmora bridge opens to traffic"].duplicate_of == first.id
    assert articles["Velmora bridge opens to traffic"].duplicate_reason == "near-duplicate"
    assert articles["Crowds walk the new bridge"].duplicate_of is None
    storms = [a for a in _articles(store) if a.external_id in {"x1", "x2"}]
    assert sorted(a.duplicate_reason or "" for a in storms) == ["", "same-url"]
    assert store_status(store).duplicates == {"near-duplicate": 1, "same-url": 1}


def test_failures_are_recorded_with_reasons_and_retried_up_to_the_limit(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "empty.html").write_text("<html><body><nav>Home</nav></body></html>")
    (pages / "bridge.html").write_text(article_html("Velmora opens its bridge", BRIDGE_REPORT))
    (pages / "broken.jsonl").write_text('{"id": "1", "title": "No text"}\nnot json\n')
    ingested = ingest_paths(store, [pages])
    assert ingested.failed == 1  # the line that is not JSON
    assert "broken.jsonl" in ingested.failures[0].item
    for attempt in range(1, settings.max_attempts + 2):
        extract, *_later = process(store, settings)
        expected = 2 if attempt <= settings.max_attempts else 0
        assert extract.failed == expected, attempt
    status = store_status(store)
    assert status.articles == 1
    reasons = {item: reason for _stage, item, reason in status.item_failures}
    assert len(reasons) == 2
    assert all(reason for reason in reasons.values())
    assert any(item.endswith("empty.html") for item in reasons)
