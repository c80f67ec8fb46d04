"""The JSON API through the real web app: every route is described by the OpenAPI document,
and every response validates against the schema the document gives for it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from feeddata import HOSTILE, fill
from tidings.db import Store
from tidings.settings import Settings
from tidings.web.api import api_routes
from tidings.web.app import create_app

SITE = "https://news.example.org"


@pytest.fixture
def api(
    settings: Settings, store: Store
) -> Iterator[tuple[TestClient, dict[int, int], dict[str, Any]]]:
    room = fill(store)
    app = create_app(settings.model_copy(update={"site_url": SITE}), store)
    with TestClient(app) as client:
        spec = client.get("/api/v1/openapi.json").json()
        yield client, room.story_ids, spec


def _check(spec: dict[str, Any], path: str, status: int, body: Any) -> None:
    """Validate `body` against the schema the spec gives for `path` and `status`."""
    response = spec["paths"][path]["get"]["responses"][str(status)]
    schema = response["content"]["application/json"]["schema"]
    document = {"$ref": schema["$ref"], "components": spec["components"]}
    jsonschema.Draft202012Validator(document).validate(body)


def _get(
    client: TestClient, spec: dict[str, Any], template: str, url: str, status: int = 200
) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    _check(spec, template, status, body)
    return body


def test_every_route_is_in_the_spec(api: tuple[TestClient, dict[int, int], dict[str, Any]]) -> None:
    _client, _stories, spec = api
    assert spec["openapi"].startswith("3.1")
    jsonschema.Draft202012Validator.check_schema({"$defs": spec["components"]["schemas"]})
    served = set()
    for route in api_routes():
        assert isinstance(route, Route)
        if "{rest" in route.path:
            continue  # the JSON 404 for unknown API paths
        served.add(route.path.replace(":int}", "}"))
    assert served == set(spec["paths"])


def test_story_list_and_paging(api: tuple[TestClient, dict[int, int], dict[str, Any]]) -> None:
    client, stories, spec = api
    first = _get(client, spec, "/api/v1/stories", "/api/v1/stories?per_page=3")
    assert first["total"] == len(stories)
    assert [s["id"] for s in first["items"]] == [stories[14], stories[13], stories[12]]
    second = _get(client, spec, "/api/v1/stories", "/api/v1/stories?per_page=3&page=2")
    assert [s["id"] for s in second["items"]] == [stories[11]]
    ferry = first["items"][0]
    assert ferry["headline"] == HOSTILE  # JSON carries the text as written, escaped by json
    assert ferry["url"].startswith(f"{SITE}/en/story/{stories[14]}-")
    assert ferry["label"] == "Compiled automatically from 2 sources"
    assert first["items"][1]["label"] == "Reported by AI"


def test_story_filters(api: tuple[TestClient, dict[int, int], dict[str, Any]]) -> None:
    client, stories, spec = api
    line = _get(client, spec, "/api/v1/stories", "/api/v1/stories?storyline=1")
    assert {s["id"] for s in line["items"]} == {stories[11], stories[12]}
    business = _get(client, spec, "/api/v1/stories", "/api/v1/stories?topic=business&edition=nb")
    assert business["items"]
    assert all("business" in s["topics"] for s in business["items"])
    both = _get(client, spec, "/api/v1/stories", "/api/v1/stories?topic=business&storyline=2")
    assert all(s["storyline_id"] == 2 for s in both["items"])
    none = _get(client, spec, "/api/v1/stories", "/api/v1/stories?topic=astrology")
    assert none == {"items": [], "page": 1, "per_page": 20, "total": 0}


def test_one_story_has_every_sentence_with_its_sources(
    api: tuple[TestClient, dict[int, int], dict[str, Any]],
) -> None:
    client, stories, spec = api
    story = _get(client, spec, "/api/v1/stories/{story_id}", f"/api/v1/stories/{stories[11]}")
    known = {s["article_id"] for s in story["sources"]}
    assert len(known) == 3
    sentences = story["standfirst_sentences"] + [
        s for p in story["paragraphs"] for s in p["sentences"]
    ]
    assert "Engineers replaced 140 steel cables during the repairs." in [
        s["text"] for s in sentences
    ]
    for sentence in sentences:
        assert sentence["sources"]
        assert set(sentence["sources"]) <= known
    assert {s["outlet"] for s in story["sources"]} == {
        "Harbour Gazette",
        "Fjordposten",
        "Valley Courier",
    }
    assert [r["story"]["id"] for r in story["related"]] == [stories[12]]


def test_events_storylines_and_sources(
    api: tuple[TestClient, dict[int, int], dict[str, Any]],
) -> None:
    client, stories, spec = api
    events = _get(client, spec, "/api/v1/events", "/api/v1/events?storyline=2")
    assert [e["id"] for e in events["items"]] == [14, 13]
    assert events["items"][0]["story_id"] == stories[14]
    event = _get(client, spec, "/api/v1/events/{event_id}", "/api/v1/events/11")
    assert len(event["articles"]) == 3
    assert event["related"] == [{"event_id": 12, "kind": "storyline", "score": 0.8}]
    lines = _get(client, spec, "/api/v1/storylines", "/api/v1/storylines")
    assert {line["id"] for line in lines["items"]} == {1, 2}
    line = _get(
        client, spec, "/api/v1/storylines/{storyline_id}", "/api/v1/storylines/1?edition=de"
    )
    assert {e["id"] for e in line["events"]} == {11, 12}
    assert all(s["url"].startswith(f"{SITE}/de/story/") for s in line["stories"])
    outlets = _get(client, spec, "/api/v1/sources", "/api/v1/sources")
    business = {o["name"] for o in outlets["items"] if "business" in o["topics"]}
    assert business == {"Fjordposten", "Valley Courier"}


def test_search(api: tuple[TestClient, dict[int, int], dict[str, Any]]) -> None:
    client, stories, spec = api
    found = _get(client, spec, "/api/v1/search", "/api/v1/search?q=steel+cables")
    assert [r["story"]["id"] for r in found["items"]] == [stories[11]]
    odd = _get(client, spec, "/api/v1/search", "/api/v1/search?q=%22NEAR(%20*%3A&limit=5")
    assert odd["items"] == []


@pytest.mark.parametrize(
    ("template", "url", "status"),
    [
        ("/api/v1/stories/{story_id}", "/api/v1/stories/999", 404),
        ("/api/v1/events/{event_id}", "/api/v1/events/999", 404),
        ("/api/v1/storylines/{storyline_id}", "/api/v1/storylines/999", 404),
        ("/api/v1/stories", "/api/v1/stories?page=0", 400),
        ("/api/v1/stories", "/api/v1/stories?per_page=1000", 400),
        ("/api/v1/stories", "/api/v1/stories?storyline=one", 400),
        ("/api/v1/stories", "/api/v1/stories?edition=xx", 400),
        ("/api/v1/search", "/api/v1/search", 400),
    ],
)
def test_errors_are_json(
    api: tuple[TestClient, dict[int, int], dict[str, Any]], template: str, url: str, status: int
) -> None:
    client, _stories, spec = api
    body = _get(client, spec, template, url, status)
    assert body["status"] == status
    assert body["error"]


def test_unknown_api_path_is_a_json_404(
    api: tuple[TestClient, dict[int, int], dict[str, Any]],
) -> None:
    client, _stories, _spec = api
    response = client.get("/api/v1/nothing/here")
    assert response.status_code == 404
    assert response.json() == {"error": "no such API endpoint", "status": 404}
