from __future__ import annotations

from tidings.discovery import read_homepage

PAGE = """<!doctype html><html lang="nb-NO"><head>
<title>Fjordposten - nyheter</title>
<meta property="og:site_name" content="Fjordposten">
<link rel="alternate" type="application/rss+xml" title="Siste" href="/rss/siste.xml">
<link rel="alternate" type="application/atom+xml" href="https://fjordposten.test/atom">
<link rel="alternate" type="application/rss+xml" href="/rss/siste.xml">
<link rel="alternate" type="text/html" hreflang="en" href="/en/">
<link rel="stylesheet" type="text/css" href="/style.css">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
</head><body><p>Forside</p></body></html>"""


def test_homepage_advertises_its_feeds() -> None:
    home = read_homepage(PAGE, url="https://fjordposten.test/")
    assert home.name == "Fjordposten"
    assert home.lang == "nb"
    assert home.feeds == ("https://fjordposten.test/rss/siste.xml", "https://fjordposten.test/atom")


def test_page_without_feeds_or_name() -> None:
    home = read_homepage("<html><body>plain</body></html>", url="https://x.test/")
    assert (home.name, home.lang, home.feeds) == (None, None, ())
    assert read_homepage("  ", url="https://x.test/").feeds == ()
