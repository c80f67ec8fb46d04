"""Duplicate-detection primitives: URL keys, content hashes, MinHash signatures and the index."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tidings.dedupe import NearDuplicates, content_hash, normalize_url, signature, similarity

BASE = "https://example.com/world/2025/storm-reaches-coast"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (BASE + "?utm_source=rss&utm_medium=feed&utm_campaign=x", BASE),
        (BASE + "?fbclid=abc&gclid=def&mc_cid=1&mc_eid=2&ocid=msn&at_medium=social", BASE),
        (BASE + "?id=7&page=2&utm_term=storm", BASE + "?id=7&page=2"),
        (BASE + "?page=2&id=7", BASE + "?id=7&page=2"),
        (BASE + "#comments", BASE),
        (BASE + "/", BASE),
        ("HTTPS://WWW.EXAMPLE.COM:443/world/2025/storm-reaches-coast", BASE),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/", "https://example.com/"),
        ("https://m.example.com/news/a", "https://example.com/news/a"),
        ("https://www.example.com/news/a", "https://example.com/news/a"),
        ("https://mobile.example.com/news/a", "https://example.com/news/a"),
        ("https://amp.example.com/news/a", "https://example.com/news/a"),
        ("https://example.com/news/a/amp", "https://example.com/news/a"),
        ("https://example.com/news/a/amp/", "https://example.com/news/a"),
        ("https://example.com/amp/news/a", "https://example.com/news/a"),
        ("https://example.com/news/a?amp=1", "https://example.com/news/a"),
        ("https://example.com/news/a?amp", "https://example.com/news/a"),
        ("https://example.com/news/a?outputType=amp", "https://example.com/news/a"),
        ("https://example.com/news/a.amp.html", "https://example.com/news/a.html"),
        (
            "https://example.com/News/Storm-Reaches-Coast",
            "https://example.com/News/Storm-Reaches-Coast",
        ),
        ("https://example.com/news/ampere-record", "https://example.com/news/ampere-record"),
        ("https://m.co/x", "https://m.co/x"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("mailto:desk@example.com", "mailto:desk@example.com"),
    ],
)
def test_normalize_url(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


def test_normalize_url_is_idempotent() -> None:
    once = normalize_url("https://m.example.com/a/amp/?b=2&a=1&utm_source=x#top")
    assert normalize_url(once) == once


ORIGINAL = (
    "Quarry workers in Tallow Bay rescued a stranded fishing crew on Tuesday night after a "
    "sudden squall capsized their trawler, the Bay Harbour Authority said. Seven crew members "
    "were pulled from the water within an hour, and two were taken to the district hospital "
    "with mild hypothermia. The trawler, the Morning Gull, had left port at dawn and was "
    "returning with a full hold when winds of more than 90 kilometres per hour struck the "
    "inlet. The authority said the quarry workers used a crane barge to reach the crew because "
    "the lifeboat station was closed for repairs. The harbour master praised their quick "
    "thinking and said an inquiry would look at why the squall warning reached boats late. "
    "Fishing from the port will be suspended until Friday while the wreck is cleared.\n"
    "The Morning Gull is one of eleven trawlers still working out of Tallow Bay, a port that "
    "landed more than forty boats a generation ago. Its owner, a cooperative of three "
    "families, said the vessel was insured but that losing a season of catches would be hard "
    "to absorb. Neighbours have started a collection for the crew, and the parish hall will "
    "host a supper on Saturday to raise money for replacement gear.\n"
    "The squall formed over the open sea late in the afternoon and moved inland faster than "
    "forecasters had expected, according to the regional weather office. It said its warning "
    "was issued at twenty past six, but several skippers said the message reached their radios "
    "almost an hour later. The office said it would review how alerts are relayed to small "
    "boats that do not carry satellite receivers.\n"
    "Quarry managers said the crane barge had never been used for a rescue before. Its crew "
    "lowered a cargo net into the water so the fishermen could climb aboard, a manoeuvre one "
    "of them described as the longest ten minutes of his life. The lifeboat station is "
    "expected to reopen next month after its slipway is rebuilt."
)


def _wire_copy() -> str:
    intro = "TALLOW BAY (Coastline Wire) - Here is what we know so far. "
    footer = (
        " Copyright 2025 Coastline Wire. All rights reserved. This material may not be "
        "published, broadcast or redistributed."
    )
    return intro + ORIGINAL.replace("Tuesday night", "Tuesday  night") + footer


OTHER_REPORT = (
    "A crane barge from the Tallow Bay quarry became an unlikely lifeboat this week. With the "
    "town's lifeboat station shut for maintenance, quarry staff swung the barge out into the "
    "inlet on Tuesday when the trawler Morning Gull overturned in a violent squall. All seven "
    "fishermen survived; local officials said two needed hospital treatment for cold. Several "
    "skippers told reporters they had received the weather alert only after the storm hit, and "
    "the harbour master has promised an investigation. Boats will stay in port until the end "
    "of the week while divers remove the wreck."
)


def test_content_hash_ignores_spacing_case_and_quotes() -> None:
    text = 'The mayor said: "We\'re ready." Costs rose 12% in 2024.'
    variants = [
        "the MAYOR said:  \u201cWe\u2019re ready.\u201d\nCosts rose 12% in 2024.",
        "  The mayor said: «We're ready» Costs rose 12 % in 2024. ",
        'The mayor said \u2014 "We\u2019re ready" \u2014 costs rose 12% in 2024',
        'The ma\u00adyor said: "We\'re ready." Costs rose 12% in 2024.',  # soft hyphen
        "The mayor said: \uff02We're ready.\uff02 Costs rose 12% in 2024.",  # full-width
    ]
    assert {content_hash(v) for v in variants} == {content_hash(text)}
    assert content_hash(text.replace("12%", "13%")) != content_hash(text)
    assert content_hash(text.replace("2024", "2025")) != content_hash(text)
    assert len(content_hash(text)) == 64


def test_republished_wire_story_is_a_near_duplicate() -> None:
    assert similarity(signature(ORIGINAL), signature(_wire_copy())) >= 0.8


def test_different_reports_of_one_event_are_not_near_duplicates() -> None:
    assert similarity(signature(ORIGINAL), signature(OTHER_REPORT)) < 0.2


def test_signature_is_compact_and_deterministic() -> None:
    sig = signature(ORIGINAL)
    assert isinstance(sig, bytes)
    assert len(sig) == 512
    assert signature(ORIGINAL) == sig
    assert signature(OTHER_REPORT) != sig
    assert similarity(bytes(bytearray(sig)), sig) == 1.0  # survives a store round trip


def test_short_texts() -> None:
    for text in ["", "   ", "!!", "Storm", "Storm hits coast", "One two three four"]:
        assert len(signature(text)) == 512
    assert similarity(signature("Storm hits coast"), signature("storm  hits COAST.")) == 1.0
    assert similarity(signature("Storm hits coast"), signature("Flood hits town")) < 0.5
    with pytest.raises(ValueError, match="512 bytes"):
        similarity(b"short", signature("x"))


def _variant(words: list[str], changed: int, rng: random.Random) -> str:
    copy = list(words)
    for index in rng.sample(range(len(copy)), changed):
        copy[index] = f"changed{index}"
    return " ".join(copy)


def test_index_query_is_best_first_and_threshold_bound() -> None:
    rng = random.Random(7)
    words = [f"w{rng.randrange(5000)}" for _ in range(300)]
    index = NearDuplicates(threshold=0.7)
    index.add(1, signature(" ".join(words)))
    index.add(2, signature(_variant(words, 3, rng)))
    index.add(3, signature(_variant(words, 12, rng)))
    index.add(4, signature(" ".join(f"u{rng.randrange(5000)}" for _ in range(300))))
    found = index.query(signature(" ".join(words)))
    assert [key for key, _ in found] == [1, 2, 3]
    scores = [score for _, score in found]
    assert scores[0] == 1.0
    assert scores == sorted(scores, reverse=True)
    assert all(score >= 0.7 for score in scores)


def test_index_add_is_idempotent_and_replaces() -> None:
    index = NearDuplicates(threshold=0.8)
    index.add(5, signature(ORIGINAL))
    index.add(5, signature(ORIGINAL))
    assert len(index) == 1
    assert index.query(signature(ORIGINAL)) == [(5, 1.0)]
    index.add(5, signature(OTHER_REPORT))
    assert len(index) == 1
    assert index.query(signature(ORIGINAL)) == []
    assert index.query(signature(OTHER_REPORT)) == [(5, 1.0)]


def test_index_finds_what_a_full_scan_finds() -> None:
    rng = random.Random(11)
    base = [f"w{rng.randrange(3000)}" for _ in range(200)]
    sigs = {key: signature(_variant(base, rng.randrange(0, 60), rng)) for key in range(300)}
    index = NearDuplicates(threshold=0.8)
    for key, sig in sigs.items():
        index.add(key, sig)
    probe = signature(" ".join(base))
    expected = {key for key, sig in sigs.items() if similarity(probe, sig) >= 0.8}
    assert expected
    assert {key for key, _ in index.query(probe)} == expected


def test_index_rejects_other_permutation_counts() -> None:
    with pytest.raises(ValueError, match="permutations"):
        NearDuplicates(threshold=0.8, num_perm=64)


def test_seed_reports_of_one_event_are_not_near_duplicates(shared: Path) -> None:
    seeds = sorted((shared / "seeds").glob("*.txt"))
    texts = {path.name[:3]: path.read_text(encoding="utf-8") for path in seeds}
    assert similarity(signature(texts["002"]), signature(texts["004"])) < 0.5
    index = NearDuplicates(threshold=0.8)
    for key, text in texts.items():
        index.add(int(key), signature(text))
    for key, text in texts.items():
        assert index.query(signature(text)) == [(int(key), 1.0)]
