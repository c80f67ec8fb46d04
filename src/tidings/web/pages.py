"""The site's pages: home, story, storyline, topic, search, about, privacy, reports, consent.

Every view only reads the store through `reading`, except the two things readers give:
an inaccuracy report, and (after they accept) a count of the page they viewed.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from . import i18n, reading
from .feedback import MAX_CONTACT, MAX_MESSAGE, ReportProblem, add_report, count_view
from .i18n import N_
from .reading import StoryCard
from .site import CONSENT_COOKIE, CONSENT_MAX_AGE, CONSENT_VALUES, Site, safe_return_path

__all__ = ["TOPIC_LABELS", "page_routes", "topic_label"]

log = logging.getLogger(__name__)


TOPIC_LABELS = {
    "world": N_("World"),
    "business": N_("Business"),
    "tech": N_("Technology"),
    "science": N_("Science"),
    "sport": N_("Sport"),
    "health": N_("Health"),
    "politics": N_("Politics"),
    "climate": N_("Climate"),
    "culture": N_("Culture"),
    "europe": N_("Europe"),
}
REPORT_PROBLEMS = {
    "empty": N_("Please tell us what is wrong."),
    "too-long": N_("Please keep your report under 5,000 characters."),
    "contact-too-long": N_("That contact address is too long."),
    "expired": N_("The form expired. Please check your report and send it again."),
}


def topic_label(name: str) -> str:
    """A topic's name in the current language."""
    known = TOPIC_LABELS.get(name)
    return i18n.gettext(known) if known else name.replace("-", " ").title()


def _site(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def _edition(request: Request) -> str:
    edition = str(request.path_params.get("edition", ""))
    if edition not in _site(request).editions:
        raise HTTPException(404)
    return edition


def _helpers(edition: str) -> dict[str, Any]:
    def story_url(card: StoryCard) -> str:
        return reading.story_path(edition, card)

    return {"story_url": story_url, "topic_label": topic_label}


def _count(request: Request, site: Site) -> None:
    if site.consent(request) != "accepted":
        return
    with site.store.session() as session:
        count_view(session, request.url.path)


def _page(
    request: Request,
    template: str,
    context: Callable[[Session, str], dict[str, Any]],
    *,
    cache: bool = True,
) -> Response:
    """A page built from the store, cached, and counted when the reader accepted."""
    site, edition = _site(request), _edition(request)

    def build() -> tuple[int, str]:
        with site.store.session() as session:
            values = context(session, edition)
        return 200, site.render(request, edition, template, {**_helpers(edition), **values})

    if cache:
        response: Response = site.cached(request, edition, build)
    else:
        response = HTMLResponse(build()[1])
    _count(request, site)
    return response


def root(request: Request) -> Response:
    """Send the reader to the edition of the language their browser prefers."""
    site = _site(request)
    edition = i18n.best_edition(request.headers.get("accept-language"), site.editions)
    return RedirectResponse(f"/{edition}/", status_code=302, headers={"Vary": "Accept-Language"})


def home(request: Request) -> Response:
    def context(session: Session, edition: str) -> dict[str, Any]:
        cards = reading.front_page(session, edition)
        top = cards[:3]
        shown = {c.id for c in top}
        rest = [c for c in cards if c.id not in shown]
        return {
            "lead": top[0] if top else None,
            "top": top[1:],
            "sections": reading.topic_sections(rest),
        }

    return _page(request, "home.html", context)


def _story_id(ref: str) -> int:
    number = ref.split("-", 1)[0]
    if not number.isdigit() or len(number) > 12:
        raise HTTPException(404)
    return int(number)


class _Moved(Exception):
    """The page lives at another path of this site."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def story(request: Request) -> Response:
    story_id = _story_id(str(request.path_params["ref"]))

    def context(session: Session, edition: str) -> dict[str, Any]:
        page = reading.story_page(session, story_id, edition)
        if page is None:
            raise HTTPException(404)
        canonical = reading.story_path(edition, page.card)
        if request.url.path != canonical:
            raise _Moved(canonical)
        return {"page": page}

    try:
        return _page(request, "story.html", context)
    except _Moved as moved:
        return RedirectResponse(moved.location, status_code=301)


def storyline(request: Request) -> Response:
    storyline_id = int(request.path_params["storyline_id"])

    def context(session: Session, edition: str) -> dict[str, Any]:
        cards = reading.storyline_stories(session, storyline_id, edition)
        if not cards:
            raise HTTPException(404)
        return {"cards": cards, "storyline_id": storyline_id}

    return _page(request, "storyline.html", context)


def topic(request: Request) -> Response:
    name = str(request.path_params["name"]).strip().lower()

    def context(session: Session, edition: str) -> dict[str, Any]:
        cards = reading.topic_stories(session, name, edition)
        if not cards:
            raise HTTPException(404)
        return {"cards": cards, "topic": name}

    return _page(request, "topic.html", context)


def about(request: Request) -> Response:
    return _page(request, "about.html", lambda session, edition: {})


def privacy(request: Request) -> Response:
    return _page(request, "privacy.html", lambda session, edition: {})


def _search_backend() -> Callable[..., Iterable[Any]] | None:
    try:
        module = importlib.import_module("tidings.web.search")
    except ImportError:
        return None
    backend: Callable[..., Iterable[Any]] | None = getattr(module, "search_stories", None)
    return backend


def _result_ids(results: Iterable[Any]) -> list[int]:
    ids = []
    for item in results:
        card = item if isinstance(item, StoryCard) else getattr(item, "card", None)
        value = item if isinstance(item, int) else getattr(item, "story_id", None)
        if value is None and isinstance(card, StoryCard):
            value = card.id
        if isinstance(value, int):
            ids.append(value)
    return ids


def search(request: Request) -> Response:
    query = request.query_params.get("q", "").strip()[:200]

    def context(session: Session, edition: str) -> dict[str, Any]:
        backend = _search_backend()
        cards: list[StoryCard] = []
        if backend is not None and query:
            cards = reading.story_cards(
                session, _result_ids(backend(session, query, edition, 30)), edition
            )
        return {"query": query, "cards": cards, "available": backend is not None}

    return _page(request, "search.html", context, cache=False)


def _report_context(
    site: Site, session: Session, edition: str, story_id: int | None
) -> dict[str, Any]:
    cards = reading.story_cards(session, [story_id], edition) if story_id is not None else []
    return {
        "story": cards[0] if cards else None,
        "token": site.form_token("report"),
        "max_message": MAX_MESSAGE,
        "max_contact": MAX_CONTACT,
    }


def _story_param(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) <= 12 else None


def report_form(request: Request) -> Response:
    site = _site(request)
    story_id = _story_param(request.query_params.get("story"))

    def context(session: Session, edition: str) -> dict[str, Any]:
        values = _report_context(site, session, edition, story_id)
        return {**values, "problem": None, "message": "", "contact": ""}

    return _page(request, "report.html", context, cache=False)


def _keep_report(site: Site, form: dict[str, str], edition: str) -> str | None:
    """Store the report; the problem's key when it cannot be kept."""
    if form.get("website"):  # a field people never see: only robots fill it in
        log.info("report with the hidden field filled in was dropped")
        return None
    try:
        with site.store.session() as session:
            add_report(
                session,
                page=form.get("page") or f"/{edition}/",
                message=form.get("message", ""),
                contact=form.get("contact"),
                story_id=_story_param(form.get("story")),
            )
    except ReportProblem as problem:
        return str(problem)
    return None


async def report_submit(request: Request) -> Response:
    site, edition = _site(request), _edition(request)
    if not site.same_origin(request):
        raise HTTPException(403)
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    problem = "expired" if not site.check_token(form.get("token"), "report") else None
    if problem is None:
        problem = await run_in_threadpool(_keep_report, site, form, edition)
    if problem is None:
        return RedirectResponse(f"/{edition}/report/thanks", status_code=303)

    def render() -> str:
        with site.store.session() as session:
            values = _report_context(site, session, edition, _story_param(form.get("story")))
        with i18n.use(edition):
            shown = i18n.gettext(REPORT_PROBLEMS.get(problem, REPORT_PROBLEMS["empty"]))
        values |= {
            "problem": shown,
            "message": form.get("message", "")[:MAX_MESSAGE],
            "contact": form.get("contact", "")[:MAX_CONTACT],
        }
        return site.render(request, edition, "report.html", {**_helpers(edition), **values})

    return HTMLResponse(await run_in_threadpool(render), status_code=400)


def report_thanks(request: Request) -> Response:
    return _page(request, "report_thanks.html", lambda session, edition: {})


async def consent(request: Request) -> Response:
    """Record the reader's choice in the one cookie the site sets, and go back."""
    site = _site(request)
    if not site.same_origin(request):
        raise HTTPException(403)
    form = await request.form()
    choice = form.get("choice")
    back = form.get("next")
    fallback = f"/{site.editions[0]}/"
    target = safe_return_path(back if isinstance(back, str) else None, fallback)
    response = RedirectResponse(target, status_code=303)
    if choice in CONSENT_VALUES:
        response.set_cookie(
            CONSENT_COOKIE,
            str(choice),
            max_age=CONSENT_MAX_AGE,
            path="/",
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response


def image(request: Request) -> Response:
    site = _site(request)
    story_id = int(request.path_params["story_id"])
    with site.store.session() as session:
        found = reading.story_image(session, story_id)
    if found is None:
        raise HTTPException(404)
    data, media_type, version = found
    etag = f'"{story_id}-{version}"'
    headers = {"Cache-Control": "public, max-age=86400", "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=media_type, headers=headers)


def page_routes() -> list[BaseRoute]:
    """The routes of the site's pages."""
    return [
        Route("/", root, name="root"),
        Route("/consent", consent, methods=["POST"], name="consent"),
        Route("/image/{story_id:int}.png", image, name="image"),
        Route("/{edition}/", home, name="home"),
        Route("/{edition}/story/{ref}", story, name="story"),
        Route("/{edition}/storyline/{storyline_id:int}", storyline, name="storyline"),
        Route("/{edition}/topic/{name}", topic, name="topic"),
        Route("/{edition}/about", about, name="about"),
        Route("/{edition}/privacy", privacy, name="privacy"),
        Route("/{edition}/search", search, name="search"),
        Route("/{edition}/report", report_form, methods=["GET"], name="report"),
        Route("/{edition}/report", report_submit, methods=["POST"], name="report_submit"),
        Route("/{edition}/report/thanks", report_thanks, name="report_thanks"),
    ]
