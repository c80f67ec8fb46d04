"""The seeds' hard cases for events and storylines, with the real e5 model.

002 and 004 report the first day of the January 2026 talks; 000's story is the second day;
003 reports talks of July 2025. Publication times are the ones the seeds state or imply.
"""

from __future__ import annotations

import pytest

from conftest import SHARED
from tidings.clustering import Assignment, cluster_records
from tidings.documents import PageKind, RawPage
from tidings.embedding import make_embedder
from tidings.extraction import extract

PUBLISHED = {
    "003": "2025-07-25T12:00:00+00:00",
    "002": "2026-01-30T02:00:00+00:00",
    "004": "2026-01-30T05:00:00+00:00",
    "000": "2026-01-31T01:00:00+00:00",
}


@pytest.fixture(scope="module")
def placed() -> dict[str, Assignment]:
    shared = SHARED / "seeds"
    if not shared.is_dir():
        pytest.skip(f"seeds not found at {shared} (clone the project beside shared/)")
    records = []
    for key, when in PUBLISHED.items():
        page = RawPage(kind=PageKind.TEXT, body=next(shared.glob(f"{key}_*.txt")).read_bytes())
        article = extract(page)
        records.append(
            {
                "id": key,
                "title": article.title,
                "text": article.text,
                "lang": "en",
                "published": when,
            }
        )
    return {a.article_id: a for a in cluster_records(records, embedder=make_embedder("e5"))}


def test_reports_of_the_first_day_share_one_event(placed: dict[str, Assignment]) -> None:
    assert placed["002"].event_id == placed["004"].event_id


def test_the_july_talks_are_another_event_of_the_storyline(placed: dict[str, Assignment]) -> None:
    assert placed["003"].event_id != placed["002"].event_id
    assert placed["003"].storyline_id == placed["002"].storyline_id


def test_the_second_day_is_an_event_of_its_own(placed: dict[str, Assignment]) -> None:
    assert placed["000"].event_id != placed["002"].event_id
    assert placed["000"].storyline_id == placed["002"].storyline_id
