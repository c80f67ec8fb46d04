"""Render the fictional demo newsroom into static files under src/tidings/data/demo.

Every outlet, person, place and event here is invented for the Tidings demo. The prose lives
in the content modules beside this script (one per group of events); this script only lays it
out the way real news sites do: pages with navigation, a cookie banner, "Read also" inserts,
newsletter prompts, related links and footers, and a feed per outlet in RSS 2.0, Atom or JSON
Feed. It also writes the outlets list, the social posts and `expected.json`, the ground truth
the demo's tests check the pipeline against.

Run it from the repository root: `python tools/demo_newsroom/build.py`. The output is
deterministic, so running it twice changes nothing.
"""

from __future__ import annotations

import json
import shutil
import sys
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from content import (  # noqa: E402  (the content modules sit beside this script)
    ARTICLES,
    OUTLETS,
    POSTS,
    STORYLINES,
    Article,
    Outlet,
)

OUT = HERE.parents[1] / "src" / "tidings" / "data" / "demo"
SITE = OUT / "site"
MONDAY = datetime(2026, 11, 2)  # day 1 of the demo week; the demo server moves it to this week
NOTE = "Fictional outlet for the Tidings demo"


def when(article: Article) -> datetime:
    outlet = OUTLETS[article.outlet]
    hour, minute = (int(x) for x in article.time.split(":"))
    local = MONDAY + timedelta(days=article.day - 1, hours=hour, minutes=minute)
    return local.replace(tzinfo=timezone(timedelta(hours=outlet.utc_offset)))


def page_path(article: Article) -> str:
    return f"/{article.outlet}/{article.path}.html"


# -- pages -----------------------------------------------------------------------------------


def _read_also(article: Article, outlet: Outlet) -> str:
    others = [a for a in ARTICLES if a.outlet == article.outlet and a is not article]
    if not others:
        return ""
    other = min(others, key=lambda a: abs(when(a) - when(article)))
    link = f'<a href="{page_path(other)}">{escape(other.title)}</a>'
    if outlet.style == "classic":
        return f'<p class="read-also"><strong>{outlet.words["read_also"]}</strong> {link}</p>'
    if outlet.style == "modern":
        return (
            f'<aside class="inline-teaser"><span class="label">{outlet.words["read_also"]}'
            f"</span> {link}</aside>"
        )
    return f"<p><b>{outlet.words['read_also']}</b> {link}</p>"


def _body(article: Article, outlet: Outlet) -> str:
    paras = [f"<p>{escape(p)}</p>" for p in article.paras]
    middle = max(1, len(paras) // 2)
    paras.insert(middle, _read_also(article, outlet))
    if article.photo:
        figure = (
            f'<figure class="lead-photo"><img src="/{outlet.slug}/img/{article.path.split("/")[-1]}'
            f'.jpg" alt="{escape(article.photo)}"><figcaption>{escape(article.photo)} '
            f"{outlet.words['photo']}</figcaption></figure>"
        )
        paras.insert(0, figure)
    return "\n".join(p for p in paras if p)


def _related(article: Article, outlet: Outlet) -> str:
    others = [a for a in ARTICLES if a.outlet == article.outlet and a is not article][:4]
    items = "".join(f'<li><a href="{page_path(a)}">{escape(a.title)}</a></li>' for a in others)
    return f'<section class="more"><h2>{outlet.words["more"]}</h2><ul>{items}</ul></section>'


def _jsonld(article: Article, outlet: Outlet, url: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": when(article).isoformat(),
        "author": [{"@type": "Person", "name": article.author}],
        "publisher": {"@type": "Organization", "name": outlet.name},
        "inLanguage": outlet.lang,
        "mainEntityOfPage": url,
    }
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def _nav(outlet: Outlet) -> str:
    links = "".join(f'<li><a href="/{outlet.slug}/">{escape(s)}</a></li>' for s in outlet.sections)
    return f'<nav class="site-nav" aria-label="Main"><ul>{links}</ul></nav>'


def article_page(article: Article) -> str:
    outlet = OUTLETS[article.outlet]
    url = page_path(article)  # root-relative: the pages work on any host
    published = when(article)
    stamp = published.isoformat()
    shown = f"{outlet.words['days'][published.weekday()]} {published:%H:%M}"
    feed_type = {"rss": "application/rss+xml", "atom": "application/atom+xml"}.get(
        outlet.feed_format, "application/feed+json"
    )
    jsonld = _jsonld(article, outlet, url) if outlet.jsonld else ""
    return f"""<!doctype html>
<html lang="{outlet.lang}">
<head>
<meta charset="utf-8">
<title>{escape(article.title)} – {escape(outlet.name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{escape(article.paras[0][:180])}">
<link rel="canonical" href="{url}">
<link rel="alternate" type="{feed_type}" href="{outlet.feed_path}" title="{escape(outlet.name)}">
<meta property="og:site_name" content="{escape(outlet.name)}">
<meta property="og:type" content="article">
<meta property="og:title" content="{escape(article.title)}">
<meta property="article:published_time" content="{stamp}">
<meta name="author" content="{escape(article.author)}">
{jsonld}
<link rel="stylesheet" href="/{outlet.slug}/style.css">
</head>
<body class="{outlet.style}">
<div class="fiction-note" role="note">{NOTE}</div>
<div id="cookie-consent" class="cookie-banner">
<p>{outlet.words["cookies"]}</p>
<button>{outlet.words["accept"]}</button> <button>{outlet.words["decline"]}</button>
</div>
<header class="masthead"><a class="logo" href="/{outlet.slug}/">{escape(outlet.name)}</a>
{_nav(outlet)}
<form class="search" action="/{outlet.slug}/"><input name="q" placeholder="{outlet.words["search"]}"></form>
</header>
<main>
<article class="story">
<h1>{escape(article.title)}</h1>
<p class="byline">{outlet.words["by"]} <span class="author">{escape(article.author)}</span> ·
<time datetime="{stamp}">{shown}</time></p>
{_body(article, outlet)}
</article>
<div class="newsletter"><p>{outlet.words["newsletter"]}</p>
<form><input type="email" placeholder="e-mail"><button>{outlet.words["subscribe"]}</button></form></div>
<div class="share">{outlet.words["share"]}: <a href="#">Facebook</a> <a href="#">X</a> <a href="#">E-mail</a></div>
{_related(article, outlet)}
</main>
<footer class="site-footer">
<p>© 2026 {escape(outlet.name)}. {outlet.words["rights"]}</p>
<p>{NOTE}. {outlet.words["fiction"]}</p>
<ul><li><a href="/{outlet.slug}/">{outlet.words["about"]}</a></li>
<li><a href="/{outlet.slug}/">{outlet.words["privacy"]}</a></li></ul>
</footer>
</body>
</html>
"""


def homepage(outlet: Outlet) -> str:
    mine = sorted((a for a in ARTICLES if a.outlet == outlet.slug), key=when, reverse=True)
    items = "".join(f'<li><a href="{page_path(a)}">{escape(a.title)}</a></li>' for a in mine)
    feed_type = {"rss": "application/rss+xml", "atom": "application/atom+xml"}.get(
        outlet.feed_format, "application/feed+json"
    )
    return f"""<!doctype html>
<html lang="{outlet.lang}"><head><meta charset="utf-8"><title>{escape(outlet.name)}</title>
<link rel="alternate" type="{feed_type}" href="{outlet.feed_path}" title="{escape(outlet.name)}">
</head><body>
<div class="fiction-note" role="note">{NOTE}</div>
<header><h1>{escape(outlet.name)}</h1>{_nav(outlet)}</header>
<main><p>{escape(outlet.tagline)}</p><ul class="latest">{items}</ul></main>
<footer><p>{NOTE}. {outlet.words["fiction"]}</p></footer>
</body></html>
"""


GALLERY = """<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>Bilder fra uka – Eidsvika Dagblad</title>
<meta property="og:site_name" content="Eidsvika Dagblad"></head>
<body>
<header><p class="fiction-note" role="note">Fictional outlet for the Tidings demo</p>
<a href="/eidsvika-dagblad/">Eidsvika Dagblad</a>
<nav><ul><li><a href="/eidsvika-dagblad/">Nyheter</a></li><li><a href="/eidsvika-dagblad/">Sport</a></li></ul></nav></header>
<main class="gallery">
<h1>Bilder fra uka</h1>
<ul class="grid">
<li><img src="/eidsvika-dagblad/img/g1.jpg" alt=""></li>
<li><img src="/eidsvika-dagblad/img/g2.jpg" alt=""></li>
<li><img src="/eidsvika-dagblad/img/g3.jpg" alt=""></li>
<li><img src="/eidsvika-dagblad/img/g4.jpg" alt=""></li>
<li><img src="/eidsvika-dagblad/img/g5.jpg" alt=""></li>
<li><img src="/eidsvika-dagblad/img/g6.jpg" alt=""></li>
</ul>
</main>
<footer><p>© 2026 Eidsvika Dagblad. Fictional outlet for the Tidings demo.</p></footer>
</body></html>
"""


# -- feeds -----------------------------------------------------------------------------------


def _summary(article: Article) -> str:
    first = article.paras[0]
    return first if len(first) <= 240 else first[:237].rsplit(" ", 1)[0] + "…"


def rss(outlet: Outlet, items: list[tuple[str, Article | None, datetime]]) -> str:
    entries = []
    for url, article, published in items:
        title = article.title if article else "Bilder fra uka"
        summary = _summary(article) if article else ""
        author = article.author if article else outlet.name
        entries.append(
            f"""<item><title>{escape(title)}</title><link>{url}</link>
<guid isPermaLink="true">{url}</guid><pubDate>{format_datetime(published)}</pubDate>
<dc:creator>{escape(author)}</dc:creator><description>{escape(summary)}</description></item>"""
        )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>{escape(outlet.name)}</title><link>/{outlet.slug}/</link>
<description>{escape(outlet.tagline)} ({NOTE})</description><language>{outlet.lang}</language>
{chr(10).join(entries)}
</channel></rss>
"""


def atom(outlet: Outlet, items: list[tuple[str, Article | None, datetime]]) -> str:
    entries = []
    for url, article, published in items:
        title = article.title if article else "Removed"
        summary = _summary(article) if article else ""
        author = article.author if article else outlet.name
        entries.append(
            f"""<entry><title>{escape(title)}</title><link rel="alternate" href="{url}"/>
<id>tag:{outlet.slug}.example,2026:{url}</id><published>{published.isoformat()}</published>
<updated>{published.isoformat()}</updated><author><name>{escape(author)}</name></author>
<summary>{escape(summary)}</summary></entry>"""
        )
    latest = max(p for _u, _a, p in items).isoformat()
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{outlet.lang}">
<title>{escape(outlet.name)}</title><subtitle>{escape(outlet.tagline)} ({NOTE})</subtitle>
<link rel="alternate" href="/{outlet.slug}/"/><id>tag:{outlet.slug}.example,2026:feed</id>
<updated>{latest}</updated>
{chr(10).join(entries)}
</feed>
"""


def json_feed(outlet: Outlet, items: list[tuple[str, Article | None, datetime]]) -> str:
    data = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": outlet.name,
        "description": f"{outlet.tagline} ({NOTE})",
        "home_page_url": f"/{outlet.slug}/",
        "feed_url": f"{outlet.feed_path}",
        "language": outlet.lang,
        "items": [
            {
                "id": f"{url}",
                "url": f"{url}",
                "title": article.title if article else "",
                "summary": _summary(article) if article else "",
                "date_published": published.isoformat(),
                "authors": [{"name": article.author if article else outlet.name}],
            }
            for url, article, published in items
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def feed_items(outlet: Outlet) -> list[tuple[str, Article | None, datetime]]:
    mine = [(page_path(a), a, when(a)) for a in ARTICLES if a.outlet == outlet.slug]
    tz = timezone(timedelta(hours=outlet.utc_offset))
    for path, day, clock in outlet.extra_entries:
        hour, minute = (int(x) for x in clock.split(":"))
        at = (MONDAY + timedelta(days=day - 1, hours=hour, minutes=minute)).replace(tzinfo=tz)
        mine.append((path, None, at))
    return sorted(mine, key=lambda item: item[2], reverse=True)


RENDER = {"rss": rss, "atom": atom, "json": json_feed}

MALFORMED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Brandtaler Tagesbote – Sport</title>
<item><title>Pokal: Hallenburg siegt & zieht ins Halbfinale ein</title>
<link>/tagesbote/sport/pokal-halbfinale.html
<pubDate>Tue, 03 Nov 2026 20:15:00 +0100</pubDate></item
<item><title>Eishockey
"""


# -- manifest --------------------------------------------------------------------------------


def expected() -> dict[str, object]:
    events: dict[str, list[str]] = {}
    for a in ARTICLES:
        events.setdefault(a.event, []).append(page_path(a))
    wire: dict[str, list[str]] = {}
    for a in ARTICLES:
        if a.wire:
            wire.setdefault(a.wire, []).append(page_path(a))
    return {
        "note": "Ground truth of the fictional demo newsroom: which pages report which event.",
        "events": events,
        "storylines": STORYLINES,
        "same_topic_pairs": [
            ["quake-fjellmark", "quake-costaluna"],
            ["rate-brandtal", "rate-valdoria"],
        ],
        "cross_lingual": ["port-strike-called", "telecom-outage", "climate-summit"],
        "wire_copies": list(wire.values()),
        "disagreement": {"event": "port-deal", "values": ["350 million", "400 million"]},
        "failures": {
            "feeds": {
                "/tagesbote/sport.xml": "malformed XML",
                "/diario-costeno/ultima-hora.json": "empty document",
            },
            "pages": {
                "/northgate-post/world/valdoria-ferry-inquiry.html": "404 Not Found",
                "/eidsvika-dagblad/galleri/bilder-fra-uka.html": "no article text",
            },
        },
    }


def outlets_json() -> list[dict[str, object]]:
    return [
        {
            "name": o.name,
            "slug": o.slug,
            "homepage": f"/{o.slug}/",
            "lang": o.lang,
            "country": o.country,
            "topics": list(o.topics),
            "feeds": [o.feed_path, *o.extra_feeds],
        }
        for o in OUTLETS.values()
    ]


def posts_feed() -> dict[str, object]:
    """The social posts as a JSON Feed: one item per post, with its network beside it."""
    items = []
    for number, post in enumerate(POSTS, start=1):
        day, clock, network, author, lang, text = post
        hour, minute = (int(x) for x in clock.split(":"))
        at = (MONDAY + timedelta(days=day - 1, hours=hour, minutes=minute)).replace(
            tzinfo=timezone(timedelta(hours=1))
        )
        items.append(
            {
                "id": f"{number:04d}",
                "network": network,
                "authors": [{"name": author}],
                "language": lang,
                "content_text": text,
                "date_published": at.isoformat(),
            }
        )
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"Chatter: posts about the week's news ({NOTE})",
        "items": items,
    }


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    if SITE.exists():
        shutil.rmtree(SITE)
    for article in ARTICLES:
        write(SITE / page_path(article).lstrip("/"), article_page(article))
    for outlet in OUTLETS.values():
        write(SITE / outlet.slug / "index.html", homepage(outlet))
        items = feed_items(outlet)
        write(SITE / outlet.feed_path.lstrip("/"), RENDER[outlet.feed_format](outlet, items))
    write(SITE / "eidsvika-dagblad/galleri/bilder-fra-uka.html", GALLERY)
    write(SITE / "tagesbote/sport.xml", MALFORMED)
    write(SITE / "diario-costeno/ultima-hora.json", "")
    write(SITE / "robots.txt", "User-agent: *\nAllow: /\n")
    write(SITE / "social/posts.json", json.dumps(posts_feed(), ensure_ascii=False, indent=1))
    write(OUT / "outlets.json", json.dumps(outlets_json(), ensure_ascii=False, indent=1) + "\n")
    write(OUT / "expected.json", json.dumps(expected(), ensure_ascii=False, indent=1) + "\n")
    print(f"{len(ARTICLES)} articles, {len(OUTLETS)} outlets, {len(POSTS)} posts -> {OUT}")


if __name__ == "__main__":
    main()
