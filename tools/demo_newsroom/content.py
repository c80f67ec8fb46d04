"""The fictional world of the demo: its outlets, and every article, gathered from the
content modules (one per group of events). Everything here is invented."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Outlet:
    slug: str
    name: str
    lang: str
    country: str
    utc_offset: int
    feed_format: str  # rss, atom, json
    style: str  # classic, modern, plain: how the page lays out its inserts
    tagline: str
    sections: tuple[str, ...]
    topics: tuple[str, ...]
    words: dict[str, object]
    jsonld: bool = False
    extra_feeds: tuple[str, ...] = ()
    extra_entries: tuple[tuple[str, int, str], ...] = ()  # (path, day, time) of broken entries

    @property
    def feed_path(self) -> str:
        name = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}[self.feed_format]
        return f"/{self.slug}/{name}"


@dataclass(frozen=True)
class Article:
    event: str
    outlet: str
    path: str
    day: int  # 1 (Monday) to 5 (Friday) of the demo week
    time: str  # local time at the outlet, HH:MM
    title: str
    author: str
    paras: list[str] = field(default_factory=list)
    wire: str | None = None  # the agency whose text this republishes
    photo: str | None = None  # caption of the lead photo


EN_WORDS: dict[str, object] = {
    "read_also": "Read also:",
    "more": "More from the newsroom",
    "cookies": "We use cookies to improve your experience and to show relevant advertising.",
    "accept": "Accept all",
    "decline": "Reject",
    "search": "Search",
    "by": "By",
    "newsletter": "Get the morning briefing in your inbox every weekday.",
    "subscribe": "Sign up",
    "share": "Share this article",
    "rights": "All rights reserved.",
    "fiction": "Every person, place and event on this site is invented.",
    "about": "About us",
    "privacy": "Privacy policy",
    "photo": "Photo: staff photographer",
    "days": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
NB_WORDS: dict[str, object] = {
    "read_also": "Les også:",
    "more": "Mer fra redaksjonen",
    "cookies": "Vi bruker informasjonskapsler for å gi deg en bedre opplevelse.",
    "accept": "Godta alle",
    "decline": "Avvis",
    "search": "Søk",
    "by": "Av",
    "newsletter": "Få morgenbrevet vårt rett i innboksen.",
    "subscribe": "Meld deg på",
    "share": "Del saken",
    "rights": "Alle rettigheter forbeholdt.",
    "fiction": "Alle personer, steder og hendelser på dette nettstedet er oppdiktet.",
    "about": "Om oss",
    "privacy": "Personvern",
    "photo": "Foto: redaksjonen",
    "days": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
}
DE_WORDS: dict[str, object] = {
    "read_also": "Lesen Sie auch:",
    "more": "Mehr aus der Redaktion",
    "cookies": "Wir verwenden Cookies, um Ihnen ein besseres Nutzungserlebnis zu bieten.",
    "accept": "Alle akzeptieren",
    "decline": "Ablehnen",
    "search": "Suche",
    "by": "Von",
    "newsletter": "Der Morgen-Newsletter: jeden Werktag die wichtigsten Nachrichten.",
    "subscribe": "Abonnieren",
    "share": "Artikel teilen",
    "rights": "Alle Rechte vorbehalten.",
    "fiction": "Alle Personen, Orte und Ereignisse auf dieser Seite sind erfunden.",
    "about": "Impressum",
    "privacy": "Datenschutz",
    "photo": "Foto: Redaktion",
    "days": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
}
ES_WORDS: dict[str, object] = {
    "read_also": "Lee también:",
    "more": "Más noticias",
    "cookies": "Utilizamos cookies para mejorar tu experiencia y mostrarte publicidad relevante.",
    "accept": "Aceptar todas",
    "decline": "Rechazar",
    "search": "Buscar",
    "by": "Por",
    "newsletter": "Recibe cada mañana las noticias más importantes en tu correo.",
    "subscribe": "Suscribirme",
    "share": "Compartir",
    "rights": "Todos los derechos reservados.",
    "fiction": "Todas las personas, lugares y hechos de este sitio son inventados.",
    "about": "Quiénes somos",
    "privacy": "Privacidad",
    "photo": "Foto: redacción",
    "days": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}

_OUTLETS = [
    Outlet(
        "corvenna-ledger",
        "The Corvenna Ledger",
        "en",
        "VD",
        1,
        "rss",
        "classic",
        "Independent news from the capital of Valdoria since 1888.",
        ("News", "Business", "World", "Sport", "Culture"),
        ("world", "business"),
        EN_WORDS,
        jsonld=True,
    ),
    Outlet(
        "northgate-post",
        "Northgate Post",
        "en",
        "VD",
        1,
        "atom",
        "modern",
        "World news, every hour.",
        ("Home", "World", "Economy", "Science", "Opinion"),
        ("world",),
        EN_WORDS,
        extra_entries=(("/northgate-post/world/valdoria-ferry-inquiry.html", 4, "18:20"),),
    ),
    Outlet(
        "eidsvika-dagblad",
        "Eidsvika Dagblad",
        "nb",
        "FM",
        1,
        "rss",
        "modern",
        "Nyheter fra Eidsvika og hele Fjellmark.",
        ("Nyheter", "Økonomi", "Utenriks", "Sport"),
        ("world", "local"),
        NB_WORDS,
        jsonld=True,
        extra_entries=(("/eidsvika-dagblad/galleri/bilder-fra-uka.html", 5, "16:00"),),
    ),
    Outlet(
        "fjordposten",
        "Fjordposten",
        "nb",
        "FM",
        1,
        "json",
        "plain",
        "Avisa for kysten.",
        ("Forsiden", "Nyheter", "Næringsliv", "Kultur"),
        ("world", "local"),
        NB_WORDS,
    ),
    Outlet(
        "hallenburger-rundschau",
        "Hallenburger Rundschau",
        "de",
        "BT",
        1,
        "atom",
        "classic",
        "Die Zeitung für Hallenburg und Brandtal.",
        ("Startseite", "Politik", "Wirtschaft", "Wissen", "Sport"),
        ("world", "business"),
        DE_WORDS,
        jsonld=True,
    ),
    Outlet(
        "tagesbote",
        "Brandtaler Tagesbote",
        "de",
        "BT",
        1,
        "rss",
        "plain",
        "Nachrichten aus Brandtal und der Welt.",
        ("Aktuell", "Wirtschaft", "Welt", "Sport"),
        ("world",),
        DE_WORDS,
        extra_feeds=("/tagesbote/sport.xml",),
    ),
    Outlet(
        "el-faro",
        "El Faro de San Aurelio",
        "es",
        "CL",
        -3,
        "rss",
        "classic",
        "El diario de San Aurelio y de toda Costaluna.",
        ("Portada", "Costaluna", "Mundo", "Economía", "Deportes"),
        ("world",),
        ES_WORDS,
        jsonld=True,
    ),
    Outlet(
        "diario-costeno",
        "Diario Costeño",
        "es",
        "CL",
        -3,
        "json",
        "modern",
        "Noticias de la costa, al minuto.",
        ("Inicio", "País", "Internacional", "Deportes"),
        ("world", "local"),
        ES_WORDS,
        extra_feeds=("/diario-costeno/ultima-hora.json",),
    ),
]
OUTLETS: dict[str, Outlet] = {o.slug: o for o in _OUTLETS}

from events_business import ARTICLES as BUSINESS  # noqa: E402
from events_port import ARTICLES as PORT  # noqa: E402
from events_quakes import ARTICLES as QUAKES  # noqa: E402
from events_various import ARTICLES as VARIOUS  # noqa: E402
from local_news import ARTICLES as LOCAL  # noqa: E402
from posts import POSTS  # noqa: E402

ARTICLES: list[Article] = [*PORT, *QUAKES, *BUSINESS, *VARIOUS, *LOCAL]
STORYLINES: dict[str, list[str]] = {
    "marosa-port-strike": ["port-strike-called", "port-talks", "port-deal", "port-reopens"],
}

__all__ = ["ARTICLES", "OUTLETS", "POSTS", "STORYLINES", "Article", "Outlet"]
