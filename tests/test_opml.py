"""OPML import and export."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tidings.documents import SourceSpec
from tidings.errors import InputError
from tidings.opml import parse_opml, write_opml

FIXTURES = Path(__file__).parent / "fixtures" / "opml"


def test_reader_export_groups_feeds_by_outlet() -> None:
    sources = parse_opml((FIXTURES / "reader-export.opml").read_bytes())
    by_name = {source.name: source for source in sources}
    assert list(by_name) == ["Example Broadcaster", "Nordlys Avis", "Ticker Daily", "Loose Feed"]
    broadcaster = by_name["Example Broadcaster"]
    assert broadcaster.feeds == (
        "https://broadcast.example.com/world/rss.xml",
        "https://broadcast.example.com/business/rss.xml",
    )
    assert broadcaster.homepage == "https://broadcast.example.com/"
    assert broadcaster.topics == ("world", "business")


def test_title_groups_feeds_without_homepage_and_language_is_read() -> None:
    sources = parse_opml((FIXTURES / "reader-export.opml").read_bytes())
    by_name = {source.name: source for source in sources}
    nordlys = by_name["Nordlys Avis"]
    assert nordlys.feeds == (
        "https://nordlys.example.no/rss",
        "https://nordlys.example.no/sport/rss",
    )
    assert nordlys.lang == "nb"
    assert nordlys.homepage is None
    assert by_name["Ticker Daily"].topics == ("business", "markets")
    assert by_name["Ticker Daily"].lang == "en"
    assert by_name["Loose Feed"].topics == ()


def test_non_http_feed_urls_are_skipped() -> None:
    sources = parse_opml((FIXTURES / "reader-export.opml").read_bytes())
    feeds = [feed for source in sources for feed in source.feeds]
    assert all(feed.startswith("https://") for feed in feeds)
    assert len(feeds) == 6


def test_round_trip() -> None:
    sources = [
        SourceSpec(
            name="Example Broadcaster",
            feeds=(
                "https://broadcast.example.com/world.xml",
                "https://broadcast.example.com/b.xml",
            ),
            homepage="https://broadcast.example.com/",
            lang="en",
            country="GB",
            topics=("world", "business"),
        ),
        SourceSpec(name='Bare & <Odd> "Name"', feeds=("https://bare.example.org/feed",)),
        SourceSpec(
            name="Nordlys Avis",
            feeds=("https://nordlys.example.no/rss",),
            lang="nb",
            country="NO",
            topics=("world", "norway"),
        ),
    ]
    document = write_opml(sources)
    assert document.startswith(b"<?xml")
    assert b'<opml version="2.0">' in document
    # Sources come back grouped by their first topic's folder; each comes back whole.
    assert sorted(parse_opml(document), key=repr) == sorted(sources, key=repr)


def test_write_empty_list_reads_back_empty() -> None:
    assert parse_opml(write_opml([])) == []


def test_billion_laughs_is_refused_quickly() -> None:
    levels = ['<!ENTITY lol0 "lol">']
    levels += [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    document = (
        '<?xml version="1.0"?>\n<!DOCTYPE opml [' + "".join(levels) + "]>\n"
        '<opml version="2.0"><head><title>&lol9;</title></head><body>'
        '<outline text="&lol9;" xmlUrl="https://bomb.example.com/feed"/></body></opml>'
    ).encode()
    started = time.monotonic()
    with pytest.raises(InputError, match="entit"):
        parse_opml(document)
    assert time.monotonic() - started < 2


def test_harmless_entity_declaration_is_refused_too() -> None:
    document = (
        b'<!DOCTYPE opml [<!ENTITY name "Example">]><opml version="2.0"><body>'
        b'<outline text="&name;" xmlUrl="https://e.example.com/f"/></body></opml>'
    )
    with pytest.raises(InputError, match="declares entities"):
        parse_opml(document)


def test_external_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("LOCAL-FILE-CONTENT")
    document = (
        f'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        '<opml version="2.0"><body><outline text="&x;" xmlUrl="https://e.example.com/f"/>'
        "</body></opml>"
    ).encode()
    with pytest.raises(InputError) as caught:
        parse_opml(document)
    assert "LOCAL-FILE-CONTENT" not in str(caught.value)


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (b"", "empty document"),
        (b"<opml><body><outline", "malformed OPML at line 1"),
        (b"<rss version='2.0'><channel/></rss>", "root element <rss>"),
        (b"<opml version='2.0'><head/></opml>", "no <body>"),
    ],
)
def test_broken_documents_raise_input_error(document: bytes, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        parse_opml(document)


def test_category_attribute_and_case_insensitive_attributes() -> None:
    document = (
        b'<opml version="2.0"><body>'
        b'<outline text="Tech Weekly" xmlurl="https://tech.example.org/rss"'
        b' category="/Tech,/Science/Space" htmlurl="https://tech.example.org/" country="us"/>'
        b"</body></opml>"
    )
    (source,) = parse_opml(document)
    assert source.topics == ("tech", "science", "space")
    assert source.homepage == "https://tech.example.org/"
    assert source.country == "US"
