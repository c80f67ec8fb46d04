"""The online clusterer on hand-made items: joining, opening, storylines, the live window."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from tidings.clustering import CLOSE_EVERY, Decision, OnlineClusterer, stream_order
from tidings.errors import ConfigError
from tidings.events import FEATURES, EventState, Item
from tidings.evidence import Evidence

DIM = 16
START = datetime(2026, 1, 29, 9, 0, tzinfo=UTC)


def unit(*weights: float) -> np.ndarray:
    vector = np.zeros(DIM, dtype=np.float32)
    vector[: len(weights)] = weights
    return vector / np.linalg.norm(vector)


def item(
    key: str,
    vector: np.ndarray,
    *,
    entities: tuple[str, ...] = (),
    numbers: tuple[str, ...] = (),
    dates: tuple[date, ...] = (),
    hours: float = 0.0,
    lang: str = "en",
    phases: tuple[str, ...] = (),
) -> Item:
    evidence = Evidence(
        frozenset(entities), frozenset(numbers), frozenset(dates), frozenset(), frozenset(phases)
    )
    return Item(key, vector, evidence, lang, START + timedelta(hours=hours))


TALKS = ("kim jung kwan", "howard lutnick", "washington")
QUAKE = ("eskerud", "civil defence")


def test_reports_of_one_event_join_it_and_another_event_opens() -> None:
    clusterer = OnlineClusterer(DIM)
    first = clusterer.add(item("a", unit(1, 0.1), entities=TALKS))
    second = clusterer.add(item("b", unit(1, 0.12), entities=TALKS, hours=2, lang="nb"))
    other = clusterer.add(item("c", unit(0, 1), entities=QUAKE, hours=3))
    assert first.opened
    assert not second.opened
    assert second.event_id == first.event_id
    assert second.probability >= clusterer.decision.threshold
    assert other.opened
    assert other.event_id != first.event_id
    assert other.storyline_id != first.storyline_id


def test_the_next_day_of_the_same_talks_is_a_new_event_of_their_storyline() -> None:
    clusterer = OnlineClusterer(DIM)
    first = clusterer.add(item("a", unit(1, 0.1), entities=TALKS, phases=("day:1",)))
    copy = clusterer.add(item("b", unit(1, 0.1), entities=TALKS, phases=("day:1",), hours=1))
    plain = clusterer.add(item("c", unit(1, 0.1), entities=TALKS, hours=2))
    second = clusterer.add(item("d", unit(1, 0.1), entities=TALKS, phases=("day:2",), hours=24))
    assert copy.event_id == plain.event_id == first.event_id
    assert second.event_id != first.event_id
    assert second.storyline_id == first.storyline_id


def test_disagreeing_dates_keep_same_topic_events_apart() -> None:
    clusterer = OnlineClusterer(DIM)
    july = clusterer.add(item("july", unit(1, 0.3), entities=TALKS, dates=(date(2025, 7, 25),)))
    january = clusterer.add(
        item("jan", unit(1, 0.3), entities=TALKS, dates=(date(2026, 1, 29),), hours=24 * 180)
    )
    assert january.event_id != july.event_id


def test_a_new_event_about_the_same_actors_joins_their_storyline() -> None:
    clusterer = OnlineClusterer(DIM)
    first_round = clusterer.add(
        item(
            "first",
            unit(1, 0.2),
            entities=(*TALKS, "jamieson greer"),
            numbers=("15%",),
            dates=(date(2026, 1, 26),),
        )
    )
    next_round = clusterer.add(
        item(
            "next",
            unit(1, 0.75),
            entities=(*TALKS, "chris wright", "energy department"),
            numbers=("USD 350000000000",),
            dates=(date(2026, 2, 5),),
            hours=24 * 10,
        )
    )
    assert next_round.event_id != first_round.event_id
    assert next_round.storyline_id == first_round.storyline_id


def test_inactive_events_close_and_leave_memory() -> None:
    closed: list[tuple[str, int]] = []
    clusterer = OnlineClusterer(
        DIM,
        event_window=timedelta(days=1),
        storyline_window=timedelta(days=2),
        on_close=lambda level, state: closed.append((level, state.id)),
    )
    old = clusterer.add(item("old", unit(1), entities=TALKS))
    clusterer.add(item("new", unit(0, 1), entities=QUAKE, hours=24 * 5))
    clusterer.close_inactive(START + timedelta(days=5))
    assert ("event", old.event_id) in closed
    assert ("storyline", old.storyline_id) in closed
    assert old.event_id not in clusterer.events.live
    assert len(clusterer.events.index) == 1
    late = clusterer.add(item("late", unit(1), entities=TALKS, hours=24 * 5))
    assert late.opened  # a closed event takes no new reports


def test_memory_stays_bounded_over_a_long_stream() -> None:
    rng = np.random.default_rng(7)
    clusterer = OnlineClusterer(
        DIM, event_window=timedelta(hours=6), storyline_window=timedelta(hours=12)
    )
    for n in range(3000):
        vector = rng.normal(size=DIM).astype(np.float32)
        clusterer.add(item(str(n), vector / np.linalg.norm(vector), hours=n * 0.25))
    # At most one window's worth of reports (24) plus those since the last sweep stay live.
    bound = 24 * 2 + CLOSE_EVERY
    assert len(clusterer.events.live) <= bound
    assert len(clusterer.storylines.live) <= bound


def test_storylines_keep_their_names_and_not_the_rest_of_the_evidence() -> None:
    clusterer = OnlineClusterer(DIM)
    placed = clusterer.add(
        item("a", unit(1), entities=TALKS, numbers=("25%",), dates=(START.date(),))
    )
    event = clusterer.events.live[placed.event_id]
    story = clusterer.storylines.live[placed.storyline_id]
    assert set(event.entities) == set(story.entities) == set(TALKS)
    assert (len(event.numbers), len(event.dates), len(event.recent)) == (1, 1, 1)
    assert (len(story.numbers), len(story.dates), len(story.recent)) == (0, 0, 0)


def test_shipped_decision_covers_every_feature() -> None:
    decision = Decision.load()
    assert len(decision.weights) == len(FEATURES)
    assert 0.0 < decision.threshold < 1.0
    with pytest.raises(ConfigError, match="nearest_member"):
        Decision.load('{"weights": {"cosine": 1.0}, "bias": 0.0}')


def test_event_state_trims_its_terms() -> None:
    state = EventState(1, np.zeros(DIM, dtype=np.float32))
    for n in range(50):
        names = tuple(f"name {n} {k}" for k in range(20))
        state.add(item(str(n), unit(1), entities=names), START)
    assert len(state.entities) <= 400
    assert state.size == 50


def test_stream_order_keeps_undated_records_after_their_predecessor() -> None:
    times = [START + timedelta(days=2), None, START, None, START + timedelta(days=1)]
    assert stream_order(times) == [2, 3, 4, 0, 1]


def cosine_only(weight: float = 30.0, bias: float = -26.0) -> Decision:
    """A decision that weighs nothing but the centroid cosine: probability 0.98 at cosine 1,
    0.92 at 0.95, 0.12 at 0.8."""
    weights = tuple(weight if name == "cosine" else 0.0 for name in FEATURES)
    return Decision(weights=weights, bias=bias, threshold=0.35)


def angled(degrees: float) -> np.ndarray:
    radians = np.radians(degrees)
    return unit(float(np.cos(radians)), float(np.sin(radians)))


def test_a_report_bridging_two_fragments_merges_them() -> None:
    clusterer = OnlineClusterer(DIM, cosine_only())
    early = item("early", angled(0), entities=TALKS)
    later = item("later", angled(37), entities=TALKS, hours=1)  # cosine 0.8: a new event
    bridge = item("bridge", angled(18.5), entities=TALKS, hours=2)
    placed = clusterer.run([early, later, bridge])
    first, second, third = placed
    assert second.opened
    assert third.merged
    assert {a.event_id for a in placed} == {third.event_id}
    assert {a.storyline_id for a in placed} == {third.storyline_id}
    assert len(clusterer.events.live) == 1
    assert len(clusterer.events.index) == 1
    assert clusterer.events.live[third.event_id].size == 3
    assert first.event_id == third.event_id


@pytest.mark.parametrize("guard", ["dates", "sizes", "language"])
def test_events_that_cannot_be_one_are_not_merged(guard: str) -> None:
    """Fragments whose dates disagree, grown past a report or two, or bridged only by a
    report in a language neither was reported in (its vector alone ties them) stay apart."""
    clusterer = OnlineClusterer(DIM, cosine_only())
    reports = 3 if guard == "sizes" else 1
    january = (date(2026, 1, 29),) if guard == "dates" else ()
    march = (date(2026, 3, 4),) if guard == "dates" else ()
    for n in range(reports):
        clusterer.add(item(f"a{n}", angled(0), dates=january, hours=n))
        clusterer.add(item(f"b{n}", angled(37), dates=march, hours=n))
    assert len(clusterer.events.live) == 2
    lang = "es" if guard == "language" else "en"
    bridge = clusterer.add(item("bridge", angled(18.5), hours=reports, lang=lang))
    assert bridge.merged == ()
    assert len(clusterer.events.live) == 2
