"""The illustration Tidings draws from a story's own facts."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from PIL import Image, ImageFont

from tidings import illustration
from tidings.illustration import HEIGHT, MADE_BY, WIDTH, date_span, illustrate, key_figure
from tidings.stories import Citation, Paragraph, Sentence, Story

MAX_BYTES = 200_000


def _sentence(text: str) -> Sentence:
    return Sentence(text=text, citations=(Citation(article_id="1"),))


def make_story(
    headline: str = "Harbour fee talks between Norland and Vesterby end without agreement",
    standfirst: tuple[str, ...] = (
        "Trade ministers of Norland and Vesterby met in Port Alder on Monday but did not "
        "settle the dispute over harbour fees.",
        "Vesterby has threatened to raise its fee on Norland cargo ships to 25 percent from "
        "15 percent.",
    ),
    event_id: str = "7",
) -> Story:
    """A fictional story, as a writer would make it."""
    return Story(
        event_id=event_id,
        lang="en",
        headline=_sentence(headline),
        standfirst=tuple(_sentence(s) for s in standfirst),
        paragraphs=(Paragraph(sentences=(_sentence("The talks resume on Tuesday."),)),),
        outlets=("Alder Post", "Norland Daily"),
        langs=("en",),
        first_published=datetime(2026, 3, 2, 9, tzinfo=UTC),
        last_published=datetime(2026, 3, 3, 11, tzinfo=UTC),
        writer="extractive",
    )


def test_the_picture_is_a_png_of_the_expected_size() -> None:
    picture = illustrate(make_story())
    image = Image.open(io.BytesIO(picture.png))
    image.verify()
    assert image.format == "PNG"
    assert image.size == (WIDTH, HEIGHT) == (picture.width, picture.height) == (1200, 675)
    assert len(picture.png) < MAX_BYTES
    assert picture.media_type == "image/png"


def test_the_picture_is_labelled_as_drawn_not_generated() -> None:
    picture = illustrate(make_story())
    assert picture.generative is False
    assert picture.made_by == MADE_BY


def test_caption_and_alt_text_state_the_story_facts() -> None:
    story = make_story()
    picture = illustrate(story)
    assert picture.caption.startswith("25 percent:")
    assert "Alder Post and Norland Daily" in picture.caption
    assert "2\u20133 March 2026" in picture.caption
    assert story.headline.text in picture.alt
    assert "25 percent and 15 percent" in picture.alt  # the bars compare the two fees
    assert "Alder Post" in picture.alt


def test_the_same_story_always_gives_the_same_picture() -> None:
    assert illustrate(make_story()).png == illustrate(make_story()).png
    other = make_story(headline="Lindmo ferry fire forces 200 passengers into lifeboats")
    assert illustrate(other).png != illustrate(make_story()).png


def test_a_story_without_figures_shows_how_many_outlets_reported_it() -> None:
    story = make_story(standfirst=("The ministers met in Port Alder without agreement.",))
    picture = illustrate(story)
    assert key_figure([story.headline.text, "The ministers met in Port Alder."]) is None
    assert "the number 2 for the outlets" in picture.alt
    assert picture.caption.startswith(story.headline.text)


def test_a_headline_in_a_script_without_a_font_still_gives_a_picture() -> None:
    story = make_story(headline="포트 앨더 항만 협상 합의 없이 끝나")
    picture = illustrate(story)
    Image.open(io.BytesIO(picture.png)).verify()
    assert story.headline.text in picture.alt  # drawn or, without a Korean font, described


def test_key_figures_amounts_and_percentages() -> None:
    figure = key_figure(["The fund pledged US$350 billion, with $200 billion in cash."])
    assert figure is not None
    assert (figure.text, figure.kind) == ("US$350 billion", "money")
    assert [value for _text, value in figure.values] == [350.0, 200.0]
    percent = key_figure(["No figures here.", "Inflation rose to 4,5 prosent i mars."])
    assert percent is not None
    assert (percent.text, percent.values) == ("4,5 prosent", (("4,5 prosent", 4.5),))


def test_date_spans() -> None:
    day = datetime(2026, 1, 29, 8, tzinfo=UTC)
    assert date_span(day, day) == "29 January 2026"
    assert date_span(day, datetime(2026, 2, 2, tzinfo=UTC)) == "29 January \u2013 2 February 2026"
    assert date_span(datetime(2025, 12, 30, tzinfo=UTC), day) == (
        "30 December 2025 \u2013 29 January 2026"
    )
    assert date_span(None, None) == ""


def test_without_system_fonts_pillows_own_font_draws_the_picture(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(illustration, "_FONT_DIRS", ())
    illustration._font.cache_clear()
    try:
        picture = illustrate(make_story())
        drawn_with, bundled = illustration._font(40, True), ImageFont.load_default(40)
        assert isinstance(drawn_with, ImageFont.FreeTypeFont)
        assert isinstance(bundled, ImageFont.FreeTypeFont)
        assert drawn_with.getname() == bundled.getname()
    finally:
        illustration._font.cache_clear()
    image = Image.open(io.BytesIO(picture.png))
    assert image.size == (1200, 675)
    assert f"the headline \u201c{make_story().headline.text}\u201d" in picture.alt  # drawn
