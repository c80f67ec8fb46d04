"""The OpenAPI 3.1 description of the JSON API, made from the same table as its routes.

Response schemas are the JSON Schemas (draft 2020-12, the dialect OpenAPI 3.1 uses) that
pydantic writes for the API's response models; every operation also names the error body.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from .. import __version__
from ..settings import Settings
from .api import API_PREFIX, ENDPOINTS, Endpoint, ErrorOut, Param

__all__ = ["component_schemas", "openapi_document", "openapi_spec"]

REF = "#/components/schemas/{model}"


@lru_cache(maxsize=1)
def component_schemas() -> dict[str, Any]:
    """The JSON Schema of every response model, by model name."""
    models: list[type[BaseModel]] = [ErrorOut, *{e.response: None for e in ENDPOINTS}]
    _keys, top = models_json_schema([(m, "serialization") for m in models], ref_template=REF)
    schemas: dict[str, Any] = top.get("$defs", {})
    return schemas


def _parameter(param: Param) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer" if param.kind is int else "string"}
    if param.minimum is not None:
        schema["minimum"] = param.minimum
    if param.maximum is not None:
        schema["maximum"] = param.maximum
    return {
        "name": param.name,
        "in": param.where,
        "required": param.required or param.where == "path",
        "description": param.description,
        "schema": schema,
    }


def _json(model: type[BaseModel], description: str) -> dict[str, Any]:
    ref = {"$ref": REF.format(model=model.__name__)}
    return {"description": description, "content": {"application/json": {"schema": ref}}}


def _operation(endpoint: Endpoint) -> dict[str, Any]:
    responses = {
        "200": _json(endpoint.response, "OK"),
        "400": _json(ErrorOut, "A parameter is missing or has a bad value"),
    }
    if "{" in endpoint.path:
        responses["404"] = _json(ErrorOut, "Nothing has this id")
    return {
        "operationId": endpoint.name,
        "summary": endpoint.summary,
        "parameters": [_parameter(p) for p in endpoint.params],
        "responses": responses,
    }


def openapi_spec(settings: Settings) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the API as served at `settings.site_url`."""
    paths: dict[str, Any] = {API_PREFIX + e.path: {"get": _operation(e)} for e in ENDPOINTS}
    paths[API_PREFIX + "/openapi.json"] = {
        "get": {
            "operationId": "openapi",
            "summary": "This description",
            "responses": {"200": {"description": "OpenAPI 3.1 document"}},
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{settings.site_name} API",
            "version": __version__,
            "description": "Stories written from many outlets' reports, every sentence with its "
            "sources; the events and storylines they belong to; the outlets read.",
        },
        "servers": [{"url": settings.site_url.rstrip("/")}],
        "paths": paths,
        "components": {"schemas": component_schemas()},
    }


def openapi_document(settings: Settings) -> bytes:
    """The OpenAPI document as JSON bytes."""
    return json.dumps(openapi_spec(settings), ensure_ascii=False, indent=1).encode("utf-8")
