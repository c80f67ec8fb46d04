"""Feed parsing: every format, broken documents, hostile documents."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tidings.errors import FeedError
from tidings.feeds import ParsedFeed, normalize_lang, parse_feed

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"
FEED_URL = "https://ledger.example.com/feeds/all.xml"


def parse_fixture(name: str, *, url: str = FEED_URL, encoding: str | None = None) -> ParsedFeed:
    return parse_feed((FIXTURES / name).read_bytes(), url=url, encoding=encoding)


@dataclass(frozen=True)
class Expected:
    fixture: str
    entries: int
    title: str
    url: str
    published: datetime | None
    lang: str | None


EXPECTED = [
    Expected(
        "rss091.xml",
        2,
        "Ferry timetable changes for the winter",
        "https://gazette.example.org/2024/ferry-timetable",
        None,
        "en",
    ),
    Expected(
        "rss092.xml",
        2,
        "First frost arrives early",
        "https://weather.example.net/notes/first-frost",
        None,
        None,
    ),
    Expected(
        "rss10.rdf",
        2,
        "Komet zeigt zweiten Schweif",
        "https://science.example.com/briefs/comet",
        datetime(2024, 3, 5, 20, 30, tzinfo=UTC),
        "de",
    ),
    Expected(
        "rss20.xml",
        3,
        "Port authority approves new crane contract",
        "https://ledger.example.com/business/crane-contract?utm_source=rss",
        datetime(2024, 5, 14, 7, 30, tzinfo=UTC),
        "en",
    ),
    Expected(
        "atom03.xml",
        1,
        "Year-end tide tables",
        "https://almanac.example.org/tides-2024",
        datetime(2023, 12, 30, 12, 0, tzinfo=UTC),
        "en",
    ),
    Expected(
        "atom10.xml",
        3,
        "L'été arrive tôt",
        "https://blog.example.fr/journal/2024/ete-precoce",
        datetime(2024, 6, 1, 6, 15, tzinfo=UTC),
        "fr",
    ),
    Expected(
        "jsonfeed11.json",
        2,
        "El derbi termina en empate",
        "https://sport.example.es/futbol/derbi-empate",
        datetime(2024, 4, 20, 19, 45, tzinfo=UTC),
        "es",
    ),
]


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: e.fixture)
def test_each_format_gives_its_entries(expected: Expected) -> None:
    feed = parse_fixture(expected.fixture)
    assert len(feed.entries) == expected.entries
    first = feed.entries[0]
    assert first.title == expected.title
    assert first.url == expected.url
    assert first.published == expected.published
    assert feed.lang == expected.lang
    assert all(e.url.startswith(("https://", "http://")) for e in feed.entries)
    assert all(e.published is None or e.published.tzinfo is UTC for e in feed.entries)


def test_rss2_prefers_description_and_strips_content_markup() -> None:
    feed = parse_fixture("rss20.xml")
    crane, bakery, relative = feed.entries
    assert feed.title == "The Example Ledger"
    assert feed.link == "https://ledger.example.com/"
    assert crane.summary == "The board voted 5 to 2 for the contract."
    assert crane.guid == "ledger-1001"
    # content:encoded stands in when there is no description; style and markup are gone.
    assert bakery.summary == "Growth\nTen shops & counting."
    # A permalink guid is the link.
    assert bakery.url == "https://ledger.example.com/business/bakery-tenth-shop"
    assert relative.url == "https://ledger.example.com/markets/closing-bell"


def test_duplicate_and_script_links_are_dropped() -> None:
    urls = [entry.url for entry in parse_fixture("rss20.xml").entries]
    assert len(urls) == len(set(urls))
    assert not any("javascript" in url or url.startswith("data:") for url in urls)
    titles = [entry.title for entry in parse_fixture("rss20.xml").entries]
    assert "Duplicate of the crane story" not in titles
    assert "Script link is refused" not in titles


def test_atom_links_follow_xml_base_and_permalink_ids() -> None:
    feed = parse_fixture("atom10.xml")
    assert feed.link == "https://blog.example.fr/"
    assert [e.url for e in feed.entries] == [
        "https://blog.example.fr/journal/2024/ete-precoce",
        "https://autre.example.fr/articles/marche",
        "https://blog.example.fr/journal/2024/permalien",
    ]
    assert feed.entries[0].title == "L'été arrive tôt"  # type="html" title made plain
    assert feed.entries[1].summary == "Des fraises partout."  # xhtml content made plain
    assert feed.entries[1].published == datetime(2024, 5, 30, 7, 0, tzinfo=UTC)  # updated


def test_rss1_dc_date_without_zone_is_utc() -> None:
    moss = parse_fixture("rss10.rdf").entries[1]
    assert moss.published == datetime(2024, 3, 4, 8, 0, tzinfo=UTC)


def test_json_feed_items() -> None:
    feed = parse_fixture("jsonfeed11.json")
    derby, basket = feed.entries
    assert feed.title == "Example Sports Wire"
    assert feed.link == "https://sport.example.es/"
    assert derby.summary == "Dos goles en los últimos minutos."
    assert basket.url == "https://ledger.example.com/baloncesto/final"  # relative, resolved
    assert basket.guid == "42"
    assert basket.published == datetime(2024, 4, 19, 10, 0, tzinfo=UTC)
    assert feed.warning is not None  # one item was not an object


def test_guid_that_is_not_a_url_is_not_a_link() -> None:
    body = (
        b'<rss version="2.0"><channel>'
        b"<item><title>a</title><guid>12345</guid></item>"
        b"<item><title>b</title><guid>https://news.example.org/b</guid></item>"
        b"</channel></rss>"
    )
    feed = parse_feed(body, url="https://news.example.org/feed")
    assert [entry.url for entry in feed.entries] == ["https://news.example.org/b"]


def test_truncated_feed_keeps_its_complete_items() -> None:
    feed = parse_fixture("truncated.xml")
    assert [entry.title for entry in feed.entries] == ["Complete story one", "Complete story two"]
    assert feed.warning is not None
    assert feed.warning.startswith("malformed XML at line 16")


@pytest.mark.parametrize(
    ("fixture", "reason"),
    [
        ("html-page.html", "not a feed: looks like an HTML page"),
        ("invalid.json", "invalid JSON"),
        ("jsonfeed-no-items.json", "JSON Feed without items"),
    ],
)
def test_unusable_documents_raise_with_reason(fixture: str, reason: str) -> None:
    with pytest.raises(FeedError, match=reason):
        parse_fixture(fixture)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty document"),
        (b"  \n\t ", "empty document"),
        (b"just some words", "neither XML nor JSON"),
        (b"<?xml version='1.0'?><note><to>you</to></note>", r"root element <note>"),
        (b'{"title": "not a feed"}', "not a JSON Feed"),
        (b"<rss version='2.0'><channel><title>x</title>\n<item><title", "malformed XML at line 2"),
    ],
)
def test_other_unusable_bodies(body: bytes, reason: str) -> None:
    with pytest.raises(FeedError, match=reason):
        parse_feed(body, url=FEED_URL)


def test_well_formed_feed_without_items_is_empty_not_an_error() -> None:
    feed = parse_feed(
        b"<rss version='2.0'><channel><title>Quiet</title></channel></rss>", url=FEED_URL
    )
    assert feed.entries == ()
    assert feed.title == "Quiet"
    assert feed.warning is None


def test_latin1_declared_in_xml() -> None:
    feed = parse_fixture("latin1.xml")
    assert feed.title == "Tromsø Café Nytt"
    assert feed.entries[0].summary == "Smørbrød og café au lait fra mandag."
    assert feed.warning is None


def test_wrong_charset_from_server_loses_to_the_bytes() -> None:
    feed = parse_fixture("latin1.xml", encoding="utf-8")
    assert feed.entries[0].title == "Kafé på Tromsø bibliotek åpner"
    assert feed.warning is not None
    assert "utf-8" in feed.warning
    utf8 = (FIXTURES / "nrk-style.xml").read_bytes()
    assert parse_feed(utf8, url=FEED_URL, encoding="iso-8859-1").title == "Eksempelavisa"
    assert "østsiden" in (
        parse_feed(utf8, url=FEED_URL, encoding="iso-8859-1").entries[0].summary or ""
    )


@pytest.mark.parametrize("fixture", ["nrk-style.xml", "no-lang.xml"])
def test_norwegian_language_tags_become_nb(fixture: str) -> None:
    assert parse_fixture(fixture).lang == "nb"


@pytest.mark.parametrize(
    ("tag", "code"),
    [("nb-NO", "nb"), ("no", "nb"), ("NO", "nb"), ("nn-NO", "nn"), ("en_US", "en"), ("ko", "ko"),
     ("", None), (None, None), ("x-klingon", None), ("deu", "de")],
)  # fmt: skip
def test_normalize_lang(tag: str | None, code: str | None) -> None:
    assert normalize_lang(tag) == code


def _billion_laughs() -> bytes:
    levels = ['<!ENTITY lol0 "lol">']
    for level in range(1, 10):
        refs = f"&lol{level - 1};" * 10
        levels.append(f'<!ENTITY lol{level} "{refs}">')
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n' + "\n".join(levels) + "\n]>\n"
        '<rss version="2.0"><channel><title>&lol9;</title>'
        "<item><title>Bomb &lol9;</title><link>https://bomb.example.com/a</link></item>"
        "</channel></rss>"
    ).encode()


def test_billion_laughs_is_not_expanded() -> None:
    started = time.monotonic()
    feed = parse_feed(_billion_laughs(), url=FEED_URL)
    assert time.monotonic() - started < 2
    assert [entry.url for entry in feed.entries] == ["https://bomb.example.com/a"]
    assert len(feed.entries[0].title or "") < 100
    assert feed.warning is not None
    assert "entity declarations ignored" in feed.warning


def test_quadratic_blowup_is_not_expanded() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "' + b"x" * 50_000 + b'">]>'
        b"<rss version='2.0'><channel><item><title>" + b"&a;" * 50_000 + b"</title>"
        b"<link>https://bomb.example.com/q</link></item></channel></rss>"
    )
    started = time.monotonic()
    feed = parse_feed(body, url=FEED_URL)
    assert time.monotonic() - started < 5
    assert len(feed.entries[0].title or "") < 200_000


def test_external_entity_does_not_read_local_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("LOCAL-FILE-CONTENT")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        "<rss version='2.0'><channel><title>t &xxe;</title><item><title>x &xxe;</title>"
        "<link>https://bomb.example.com/x</link><description>&xxe;</description></item>"
        "</channel></rss>"
    ).encode()
    feed = parse_feed(body, url=FEED_URL)
    assert "LOCAL-FILE-CONTENT" not in repr(feed)
    assert feed.entries[0].url == "https://bomb.example.com/x"


def test_body_that_names_a_local_file_is_not_opened(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes((FIXTURES / "rss20.xml").read_bytes())
    with pytest.raises(FeedError):
        parse_feed(str(path).encode(), url=FEED_URL)


def test_deeply_nested_json_fails_fast() -> None:
    with pytest.raises(FeedError, match="invalid JSON"):
        parse_feed(b"[" * 200_000 + b"]" * 200_000, url=FEED_URL)


def test_json_feed_items_must_be_a_list() -> None:
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": {}}).encode()
    with pytest.raises(FeedError, match="JSON Feed without items"):
        parse_feed(body, url=FEED_URL)


def test_script_content_never_reaches_summaries() -> None:
    body = (
        b"<rss version='2.0'><channel><item><link>https://news.example.org/s</link>"
        b"<description>&lt;p&gt;Hello&lt;script&gt;steal()&lt;/script&gt; world&lt;/p&gt;"
        b"&lt;noscript&gt;enable js&lt;/noscript&gt;</description></item></channel></rss>"
    )
    entry = parse_feed(body, url=FEED_URL).entries[0]
    assert entry.summary == "Hello world"
