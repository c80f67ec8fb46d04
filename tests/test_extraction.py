from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tidings.documents import Article, PageKind, RawPage
from tidings.errors import ExtractionError
from tidings.extraction import extract, paragraphs

NB_PARAGRAPHS = (
    "Bystyret i Havnby vedtok mandag kveld den nye havneplanen etter en debatt som varte i "
    "over seks timer, og planen får dermed grønt lys fra neste år.",
    "Planen flytter containerterminalen ut av sentrum og gir plass til tusen nye boliger "
    "langs kaia, der det i dag står gamle lagerbygg og en nedlagt fergeterminal.",
    "Opposisjonen mener kostnadene er undervurdert og krevde en ny utredning, men forslaget "
    "falt med tre stemmers overvekt etter at to representanter byttet side.",
    "Ordføreren sier arbeidet med den første byggetrinnet kan starte til høsten dersom "
    "staten godkjenner finansieringen av den nye veien til terminalen.",
)
DE_PARAGRAPHS = (
    "Der Stadtrat von Hafenstadt hat am Montagabend den neuen Hafenplan beschlossen, nachdem "
    "mehr als sechs Stunden lang über die Kosten und den Zeitplan gestritten worden war.",
    "Der Plan verlegt das Containerterminal aus der Innenstadt und schafft Platz für tausend "
    "neue Wohnungen am Kai, wo heute alte Lagerhallen und ein stillgelegter Fähranleger stehen.",
    "Die Opposition hält die Kosten für unterschätzt und forderte ein neues Gutachten, doch "
    "der Antrag scheiterte knapp, nachdem zwei Abgeordnete die Seite gewechselt hatten.",
    "Die Bürgermeisterin sagt, der erste Bauabschnitt könne im Herbst beginnen, wenn das Land "
    "die Finanzierung der neuen Zufahrtsstraße zum Terminal genehmigt.",
)


def story_page(paragraphs: tuple[str, ...], *, lang: str, extras: dict[str, str]) -> bytes:
    """A news page with the given paragraphs and boilerplate placed between and around them."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs[:2])
    body += extras.get("middle", "")
    body += "\n".join(f"<p>{p}</p>" for p in paragraphs[2:])
    page = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>Havneplanen vedtatt | Havnby Tidende</title>
<meta property="og:title" content="Havneplanen vedtatt">
<meta property="og:site_name" content="Havnby Tidende">
<link rel="canonical" href="/nyheter/havneplanen-vedtatt">
<meta property="og:image" content="/bilder/havn.jpg">
<meta property="article:published_time" content="2026-01-30T18:45:00+01:00">
<meta name="author" content="Kari Nordmann; Ola Hansen">
<script>window.tracking = "SCRIPT-SECRET";</script>
<style>.x {{ color: red }} /* STYLE-SECRET */</style>
</head><body>
<header><nav><a href="/">Forsiden</a> <a href="/sport">Sport</a></nav></header>
<main><article>
<h1>Havneplanen vedtatt</h1>
{extras.get("top", "")}
{body}
{extras.get("bottom", "")}
</article></main>
<footer><p>{extras.get("footer", "")}</p></footer>
{extras.get("banner", "")}
</body></html>"""
    return page.encode("utf-8")


def html_page(body: bytes, url: str = "https://havnby.example/nyheter/12345") -> RawPage:
    return RawPage(PageKind.HTML, body, url=url, encoding="utf-8")


NB_EXTRAS = {
    "top": '<figure><img src="/bilder/havn.jpg" onerror="alert(\'ONERROR-SECRET\')">'
    "<figcaption>Foto: Kari Nordmann / NTB</figcaption></figure>",
    "middle": '<p><strong>Les også:</strong> <a href="/nyheter/1">Bystyret krangler om '
    "budsjettet</a></p>"
    "<p><a href=\"javascript:alert('JS-SECRET')\">Meld deg på nyhetsbrevet vårt</a></p>"
    '<iframe src="https://ads.example/frame">IFRAME-SECRET</iframe>',
    "bottom": "<h2>Relaterte artikler</h2><ul><li><a href='/a'>Ny bro over fjorden</a></li>"
    "<li><a href='/b'>Fergen innstilles i vinter</a></li></ul>",
    "footer": "Copyright © 2026 Havnby Tidende. Alle rettigheter reservert.",
    "banner": '<div class="cookie-consent"><p>Dette nettstedet bruker informasjonskapsler</p>'
    "<p>Vi bruker informasjonskapsler for analyse.</p><button>Avvis</button></div>",
}
DE_EXTRAS = {
    "top": "<p>Foto: Hans Müller / dpa</p>",
    "middle": "<p>Lesen Sie auch: Streit um den Haushalt im Stadtrat</p>"
    "<p>Jetzt abonnieren: Der Newsletter mit allen Nachrichten aus Hafenstadt</p>",
    "bottom": "<h3>Mehr zum Thema</h3><ul><li><a href='/a'>Neue Brücke über den Fluss</a></li>"
    "<li><a href='/b'>Fähre fällt im Winter aus</a></li></ul>",
    "footer": "© 2026 Hafenstadt Zeitung. Alle Rechte vorbehalten.",
    "banner": "<div id='consent-banner'><p>Diese Website verwendet Cookies</p>"
    "<button>Ablehnen</button><button>Akzeptieren</button></div>",
}


@pytest.mark.parametrize(
    ("paras", "lang", "extras", "gone"),
    [
        (
            NB_PARAGRAPHS,
            "nb",
            NB_EXTRAS,
            (
                "Les også",
                "nyhetsbrevet",
                "Foto:",
                "Relaterte",
                "Ny bro",
                "rettigheter",
                "informasjonskapsler",
                "Avvis",
                "Forsiden",
            ),
        ),
        (
            DE_PARAGRAPHS,
            "de",
            DE_EXTRAS,
            (
                "Lesen Sie auch",
                "Newsletter",
                "Foto:",
                "Mehr zum Thema",
                "Neue Brücke",
                "Rechte vorbehalten",
                "Cookies",
                "Ablehnen",
            ),
        ),
    ],
)
def test_html_article_is_kept_and_boilerplate_removed(
    paras: tuple[str, ...], lang: str, extras: dict[str, str], gone: tuple[str, ...]
) -> None:
    article = extract(html_page(story_page(paras, lang=lang, extras=extras)))
    assert article.text == "\n\n".join(paras)
    assert article.lang == lang
    for word in gone:
        assert word not in article.text


def test_hostile_markup_never_reaches_the_text() -> None:
    article = extract(html_page(story_page(NB_PARAGRAPHS, lang="nb", extras=NB_EXTRAS)))
    for secret in (
        "SCRIPT-SECRET",
        "STYLE-SECRET",
        "ONERROR-SECRET",
        "JS-SECRET",
        "IFRAME-SECRET",
        "<",
        "javascript:",
    ):
        assert secret not in article.text
        assert secret not in article.title


def test_html_metadata() -> None:
    article = extract(html_page(story_page(NB_PARAGRAPHS, lang="nb", extras=NB_EXTRAS)))
    assert article.title == "Havneplanen vedtatt"
    assert article.canonical_url == "https://havnby.example/nyheter/havneplanen-vedtatt"
    assert article.url == "https://havnby.example/nyheter/12345"
    assert article.image == "https://havnby.example/bilder/havn.jpg"
    assert article.published == datetime(2026, 1, 30, 17, 45, tzinfo=UTC)
    assert article.authors == ("Kari Nordmann", "Ola Hansen")
    assert article.outlet == "Havnby Tidende"


def test_unsafe_canonical_and_image_are_dropped() -> None:
    page = (
        story_page(DE_PARAGRAPHS, lang="de", extras={})
        .replace(b'href="/nyheter/havneplanen-vedtatt"', b'href="javascript:alert(1)"')
        .replace(b'content="/bilder/havn.jpg"', b'content="data:image/png;base64,AAAA"')
    )
    article = extract(html_page(page))
    assert article.canonical_url in (None, "https://havnby.example/nyheter/12345")
    assert article.image is None


def test_hints_fill_what_the_page_lacks() -> None:
    body = "".join(f"<p>{p}</p>" for p in DE_PARAGRAPHS)
    page = RawPage(
        PageKind.HTML,
        f"<html><body><article>{body}</article></body></html>".encode(),
        url="https://hafen.example/a",
        hint_title="Hafenplan beschlossen",
        hint_published=datetime(2026, 1, 30, 12, 0),
        hint_outlet="Hafenstadt Zeitung",
    )
    article = extract(page)
    assert article.title == "Hafenplan beschlossen"
    assert article.published == datetime(2026, 1, 30, 12, 0, tzinfo=UTC)
    assert article.outlet == "Hafenstadt Zeitung"
    assert article.lang == "de"


def test_declared_charset_is_used() -> None:
    body = "".join(f"<p>{p}</p>" for p in DE_PARAGRAPHS)
    raw = f"<html><body><article>{body}</article></body></html>".encode("iso-8859-1")
    article = extract(RawPage(PageKind.HTML, raw, encoding="iso-8859-1"))
    assert "Bürgermeisterin" in article.text


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   ",
        b"<html><body></body></html>",
        b"\x00\x01\x02\xff\xfe garbage \x00",
        b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
    ],
)
def test_empty_or_garbage_page_raises(body: bytes) -> None:
    with pytest.raises(ExtractionError, match="no article text"):
        extract(RawPage(PageKind.HTML, body))


# -- plain text ------------------------------------------------------------------------------


def text_page(shared: Path, prefix: str) -> Article:
    path = next((shared / "seeds").glob(f"{prefix}_*.txt"))
    return extract(RawPage(PageKind.TEXT, path.read_bytes(), origin=str(path)))


def test_text_seed_with_read_also_inserts(shared: Path) -> None:
    article = text_page(shared, "002")
    assert "Read Also" not in article.text
    assert "Drone Investigation" not in article.text
    assert article.text.startswith("Trade negotiations between the United States")
    assert article.title.startswith("Trade negotiations between the United States")
    assert len(article.title) <= 151
    for sentence in (
        "Industry Minister Kim Jung kwan met US Secretary of Commerce",
        "declined to provide immediate comment",
        "any escalation in tariffs could disrupt",
    ):
        assert sentence in article.text
    assert article.lang == "en"
    assert article.text.count("\n\n") == 7


def test_text_seed_with_copyright_line(shared: Path) -> None:
    article = text_page(shared, "003")
    assert "All rights reserved" not in article.text
    assert article.text.endswith("though it declined to provide a specific timeline.")
    assert "Under that deal, Japan agreed to cut tariffs" in article.text


def test_text_seed_plain_report(shared: Path) -> None:
    article = text_page(shared, "004")
    assert article.text.startswith("SEOUL, Jan 30 - The United States and South Korea")
    assert "trade envoy Yeo Han-koo departed Seoul" in article.text


def test_text_story_pages(shared: Path) -> None:
    english, norwegian = text_page(shared, "000"), text_page(shared, "001")
    assert english.title == "South Korea-US tariff talks conclude second day without agreement"
    assert english.text.startswith("South Korea's Industry Minister Kim Jung-kwan held")
    assert "Energy Secretary Chris Wright" in english.text
    assert norwegian.title == (
        "South Korea and US top diplomats to hold talks amid Trump's tariff threat"
    )
    for article in (english, norwegian):
        for gone in (
            "Related",
            "Relaterte",
            "Reported by AI",
            "Rapportert av AI",
            "cookies",
            "informasjonskapsler",
            "Decline",
            "Avvis",
            "Kuala Lumpur",
        ):
            assert gone not in article.text


def test_paragraphs_join_hard_wrapped_lines() -> None:
    text = "The council met late\non Monday evening.\n\n\nIt voted.\nThen it adjourned."
    expected = "The council met late on Monday evening.\n\nIt voted.\n\nThen it adjourned."
    assert paragraphs(text) == expected


def test_empty_text_page_raises() -> None:
    with pytest.raises(ExtractionError, match="no article text"):
        extract(RawPage(PageKind.TEXT, b"\n\n  \n"))


# -- article JSON ----------------------------------------------------------------------------


def json_page(record: object) -> RawPage:
    return RawPage(PageKind.ARTICLE_JSON, json.dumps(record).encode())


def test_article_json_maps_to_an_article() -> None:
    article = extract(
        json_page(
            {
                "id": "a-17",
                "url": "https://hafen.example/a",
                "outlet": "Hafenstadt Zeitung",
                "lang": "no",
                "title": "Hafenplan beschlossen",
                "text": "\n".join(DE_PARAGRAPHS) + "\nLesen Sie auch: Streit im Stadtrat\n"
                "© 2026 Hafenstadt Zeitung",
                "published": "2026-01-30T18:45:00+01:00",
            }
        )
    )
    assert article.external_id == "a-17"
    assert article.url == "https://hafen.example/a"
    assert article.outlet == "Hafenstadt Zeitung"
    assert article.lang == "nb"
    assert article.title == "Hafenplan beschlossen"
    assert article.published == datetime(2026, 1, 30, 17, 45, tzinfo=UTC)
    assert article.text == "\n\n".join(DE_PARAGRAPHS)


def test_article_json_without_published_or_lang() -> None:
    article = extract(json_page({"id": 5, "title": "T", "text": DE_PARAGRAPHS[0]}))
    assert article.published is None
    assert article.external_id == "5"
    assert article.lang == "de"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "not one object"),
        (json.dumps({"id": "x", "title": "T"}).encode(), "has no text"),
        (json.dumps({"id": "x", "text": "   "}).encode(), "has no text"),
        (json.dumps({"id": "x", "text": "Copyright 2026 Nobody."}).encode(), "no article text"),
    ],
)
def test_bad_article_json_raises(body: bytes, reason: str) -> None:
    with pytest.raises(ExtractionError, match=reason):
        extract(RawPage(PageKind.ARTICLE_JSON, body))
