"""Fictional news written for the tests: pages, feeds and wire copies.

Every outlet, person and event here is invented.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

BRIDGE_REPORT = [
    "The harbour city of Velmora opened its new suspension bridge on Monday after six years "
    "of construction, city officials said.",
    "The 1.4-kilometre crossing cost 820 million crowns and links the old town with the "
    "industrial district of Nordkai, cutting the journey by ferry from forty minutes to five.",
    "Mayor Ilse Brandvik cut the ribbon in front of about 3,000 residents and promised that "
    "tolls would stay at 12 crowns for cars until at least 2030.",
    "Engineers from the firm Hallvard & Sons said the bridge was designed to withstand winds "
    "of up to 60 metres per second, the strongest ever measured on that coast.",
    "Opposition councillor Tomas Ekre criticised the final bill, which was 140 million crowns "
    "above the budget approved in 2019, and called for an independent audit.",
]

BRIDGE_OTHER_REPORT = [
    "Thousands of people walked across Velmora's long-awaited bridge on its first day, many of "
    "them stopping to photograph the fjord from the middle of the span.",
    "For shopkeepers in Nordkai the opening is a turning point: several told reporters they "
    "expected more customers now that the ferry queue is gone.",
    "Not everyone celebrated. A small group protested the toll, arguing that commuters from "
    "the islands already pay more than anyone else in the region.",
    "The bridge was delayed twice, first by a dispute over steel deliveries and then by a "
    "winter storm that damaged the scaffolding in 2022.",
]

STORM_REPORT = [
    "A winter storm closed every school in the mountain town of Eskerud on Thursday as snow "
    "drifts of up to two metres blocked the main road.",
    "Power was cut to around 4,200 homes overnight, the regional grid operator said, and crews "
    "expected to restore it by Friday evening.",
    "Residents were asked to stay indoors and to check on elderly neighbours, while the army "
    "sent two snowploughs from the garrison at Lindmo.",
]


def article_html(
    title: str,
    paragraphs: list[str],
    *,
    outlet: str = "Velmora Courier",
    canonical: str | None = None,
    published: datetime | None = None,
    extra: str = "",
) -> str:
    """A news page with the usual furniture around the article."""
    when = (published or datetime(2026, 3, 2, 9, 30, tzinfo=UTC)).isoformat()
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)} | {outlet}</title>
{link}
<meta property="og:site_name" content="{outlet}">
<meta property="article:published_time" content="{when}">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>{escape(title)}</h1>
{body}
{extra}
</article>
<footer><p>Copyright 2026 {outlet}. All rights reserved.</p></footer>
</body></html>"""


def rss_feed(title: str, items: list[tuple[str, str]], *, start: datetime | None = None) -> str:
    """An RSS 2.0 feed of (title, link) items, newest first."""
    start = start or datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    entries = "\n".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
        f"<pubDate>{format_datetime(start - timedelta(minutes=i))}</pubDate></item>"
        for i, (t, link) in enumerate(items)
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{escape(title)}</title><link>http://127.0.0.1/</link>
<description>Fictional test feed</description>
{entries}
</channel></rss>"""
