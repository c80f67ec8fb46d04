"""The curated default source list and the TOML source-list shape."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

import pytest

from tidings.catalog import SUBJECTS, TOPICS, default_sources, parse_source_list
from tidings.errors import InputError
from tidings.opml import parse_opml, write_opml

REQUIRED_LANGUAGES = ("en", "nb", "de", "es", "fr", "ko")
REQUIRED_TOPICS = ("world", "business", "tech", "science", "sport")


def test_default_list_is_large_and_unique() -> None:
    sources = default_sources()
    feeds = [feed for source in sources for feed in source.feeds]
    assert len(sources) >= 45
    assert len(feeds) >= 100
    assert len(set(feeds)) == len(feeds)
    assert all(urlsplit(feed).scheme == "https" for feed in feeds)
    assert len({source.name for source in sources}) == len(sources)
    assert len({source.homepage for source in sources}) == len(sources)


def test_every_source_is_complete() -> None:
    for source in default_sources():
        assert source.name
        assert source.homepage is not None
        assert source.homepage.startswith("https://")
        assert source.lang is not None
        assert len(source.lang) == 2
        assert source.country is not None
        assert source.country.isupper()
        assert source.topics
        assert set(source.topics) <= TOPICS
        assert source.feeds


@pytest.mark.parametrize("lang", REQUIRED_LANGUAGES)
def test_required_languages_have_several_outlets(lang: str) -> None:
    outlets = Counter(source.lang for source in default_sources())
    assert outlets[lang] >= 3


@pytest.mark.parametrize("topic", REQUIRED_TOPICS)
def test_required_topics_are_covered(topic: str) -> None:
    covering = [source for source in default_sources() if topic in source.topics]
    assert len(covering) >= 5
    assert len({source.lang for source in covering}) >= 3


def test_subjects_are_topics() -> None:
    assert set(REQUIRED_TOPICS) <= SUBJECTS <= TOPICS


def test_default_list_survives_an_opml_round_trip() -> None:
    sources = default_sources()
    back = parse_opml(write_opml(sources))
    assert sorted(back, key=lambda s: s.name) == sorted(sources, key=lambda s: s.name)


GOOD = """
[[source]]
name = "Example Daily"
homepage = "https://daily.example.org/"
lang = "en"
country = "GB"
topics = ["world", "uk"]
feeds = ["https://daily.example.org/rss"]
"""


def test_parse_source_list_reads_a_good_list() -> None:
    (source,) = parse_source_list(GOOD, origin="mine.toml")
    assert source.name == "Example Daily"
    assert source.feeds == ("https://daily.example.org/rss",)
    assert source.topics == ("world", "uk")
    assert source.country == "GB"


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        (GOOD.replace('lang = "en"', 'lang = "english"'), "ISO 639-1"),
        (GOOD.replace('country = "GB"', 'country = "gb"'), "ISO 3166-1"),
        (GOOD.replace('"uk"]', '"gossip"]'), "unknown topics: gossip"),
        (GOOD.replace("https://daily.example.org/rss", "http://daily.example.org/rss"), "https"),
        (GOOD.replace('homepage = "https://daily.example.org/"', 'homepage = "ftp://x"'), "https"),
        (GOOD.replace('name = "Example Daily"', "name = 3"), "name must be"),
        (GOOD.replace('feeds = ["https://daily.example.org/rss"]', "feeds = []"), "feeds must be"),
        (GOOD + "extra = 1\n", "unknown fields: extra"),
        (GOOD + GOOD.replace("Example Daily", "Copy"), "listed by both Example Daily and Copy"),
        ("[[source]]\nname = ", "not valid TOML"),
        ("title = 'no sources'", "no \\[\\[source\\]\\] tables"),
    ],
)
def test_broken_lists_raise_clear_errors(broken: str, reason: str) -> None:
    with pytest.raises(InputError, match=reason) as caught:
        parse_source_list(broken, origin="mine.toml")
    assert str(caught.value).startswith("mine.toml")
