"""Published times: clean feed and metadata formats, and datelines copied with words around."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tidings.moments import parse_time


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-01-30T08:15:00Z", datetime(2026, 1, 30, 8, 15, tzinfo=UTC)),
        ("2008-03-01", datetime(2008, 3, 1, tzinfo=UTC)),
        ("Thu, 29 Jan 2026 14:45:00 +0100", datetime(2026, 1, 29, 13, 45, tzinfo=UTC)),
        ("December 15th, 2008, 7 : 35 am", datetime(2008, 12, 15, 7, 35, tzinfo=UTC)),
        ("Published on Friday, 27 September 2013", datetime(2013, 9, 27, 12, 0, tzinfo=UTC)),
        ("no date here", None),
        ("Report number 5", None),
        (None, None),
    ],
)
def test_clean_times(raw: object, expected: datetime | None) -> None:
    assert parse_time(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # words after the date hold numbers that are no part of it
        (
            "Published : March 4, 2026 A 112 caller reported smoke at 3 : 33 a. m.",
            datetime(2026, 3, 4, 12, 0, tzinfo=UTC),
        ),
        ("March 2, 2026|12 : 35 pm", datetime(2026, 3, 2, 12, 35, tzinfo=UTC)),
        ("(March 20, 2026) - -", datetime(2026, 3, 20, 12, 0, tzinfo=UTC)),
        # the publication, not the update, and the clock time beside it, in its zone
        (
            "UPDATED 06 / 11 / 2026 at 11 : 00 AM EDT Originally published 06 / 11 / 2026 at "
            "10 : 20 AM EDT",
            datetime(2026, 6, 11, 14, 20, tzinfo=UTC),
        ),
        (
            "PUBLISHED : MONDAY, FEBRUARY 2, 2026, 1 : 32 PM UPDATED : TUESDAY, FEBRUARY 3, 2026",
            datetime(2026, 2, 2, 13, 32, tzinfo=UTC),
        ),
        ("12 : 52 p. m. EDT June 2, 2026", datetime(2026, 6, 2, 16, 52, tzinfo=UTC)),
        ("PUBLISHED : 22 : 07 GMT, 9 January 2026", datetime(2026, 1, 9, 22, 7, tzinfo=UTC)),
        # day-first where month-first cannot be, and year-first with dots
        ("Last updated 13 : 26 14 / 01 / 2026", datetime(2026, 1, 14, 13, 26, tzinfo=UTC)),
        ("Published : 2026.01.08 09 : 01 AM", datetime(2026, 1, 8, 9, 1, tzinfo=UTC)),
        # other languages
        ("Publisert 3. mars 2026 kl. 14:30", datetime(2026, 3, 3, 14, 30, tzinfo=UTC)),
        ("Veröffentlicht am 7. August 2026 um 14:30", datetime(2026, 8, 7, 14, 30, tzinfo=UTC)),
        # a bare year or a day without its year is no published time
        ("In 2019, the champion won in the 11th round.", None),
        ("The summit moves to Oslo in 2027", None),
        ("Updated 9 : 06 AM", None),
    ],
)
def test_datelines(raw: str, expected: datetime | None) -> None:
    assert parse_time(raw) == expected
