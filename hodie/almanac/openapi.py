"""The OpenAPI 3.1 document that describes Hodie's own read API (:mod:`hodie.almanac.api`) and
its Wikimedia-shaped ``feed/onthisday`` endpoint (:mod:`hodie.almanac.onthisday`), served at
``/api/openapi.json``: the contract schemathesis checks the API against."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from .api import KINDS, MAX_PER_PAGE
from .keyset import CURSOR_PATTERN, NUMBERED_PAGES
from .onthisday import TYPES as ONTHISDAY_TYPES
from .translations import LANGUAGES


def _page_of(ref: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["count", "page", "per_page", "next", "previous", "results"],
        "properties": {
            "count": {"type": "integer", "minimum": 0},
            "page": {"type": ["integer", "null"], "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "next": {"type": ["string", "null"]},
            "previous": {"type": ["string", "null"]},
            "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{ref}"}},
        },
    }


def _param(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


LANG = _param(
    "lang", {"type": "string", "enum": list(LANGUAGES)},
    "Each text in this language where it is translated, else in its own (`languages` says which); "
    "each as stored without it. Another language is a 400.",
)  # fmt: skip
PAGING = [
    _param("page", {"type": "integer", "minimum": 1, "maximum": 1_000_000}, "Page number, from 1."),
    _param("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}, "Items per page."),
]
# Entries are paged by cursor (hodie/almanac/keyset.py): a number only for the first pages.
ENTRY_PAGING = [
    _param("page", {"type": "integer", "minimum": 1, "maximum": NUMBERED_PAGES},
           f"Page number, from 1, up to {NUMBERED_PAGES}; later pages are reached by the `next` links."),
    _param("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}, "Items per page."),
    _param("after", {"type": "string", "pattern": CURSOR_PATTERN},
           "The cursor the `next` and `previous` links carry: the page of entries after that one. "
           "Not with `page`. A page reached by cursor has `page` null."),
]  # fmt: skip
ERROR = {"description": "A parameter is wrong; `detail` names it (RFC 9457).",
         "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}  # fmt: skip
NOT_FOUND = {"description": "No such object.",
             "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}  # fmt: skip

# The Wikimedia-shaped endpoint answers errors as Wikimedia's own API does (HyperSwitch's problem).
WIKIMEDIA_ERROR = {"description": "Not a day, type, collection or year; `detail` says which.", "content": {
    "application/problem+json": {"schema": {"$ref": "#/components/schemas/WikimediaProblem"}}}}  # fmt: skip


def _ok(ref: str, page: bool) -> dict[str, Any]:
    schema = _page_of(ref) if page else {"$ref": f"#/components/schemas/{ref}"}
    return {"description": "OK", "content": {"application/json": {"schema": schema}}}


def openapi_document() -> dict[str, Any]:
    text = {"type": "string"}
    strings = {"type": "array", "items": text}
    two_digits = {"type": "string", "pattern": "^[0-9]{2}$"}
    language = {"type": "string", "enum": list(LANGUAGES), "description": "The language the text is written in."}
    languages = {"type": "array", "items": language, "description": "The languages it has translations into."}

    def said_in(always: list[str], sometimes: tuple[str, ...] = ()) -> dict[str, Any]:
        """Which language each text is given in (a fallback is in its own, not the one asked for)."""
        return {"type": "object", "required": always, "additionalProperties": False,
                "properties": {name: language for name in [*always, *sometimes]}}  # fmt: skip

    slug_param = {
        "name": "slug",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Hodie API", "version": "1", "description": "Dated entries, articles and collections."},
        "paths": {
            "/api/v1/entries": {"get": {
                "summary": "Entries, oldest first",
                "parameters": [
                    _param("collection", text, "Collection slug."),
                    _param("kind", {"type": "string", "enum": list(KINDS)}, "Kind of entry."),
                    _param("tag", text, "Tag slug."),
                    _param("person", text, "Person slug."),
                    _param("from", text, "Entries that end on or after this date (any form Hodie reads)."),
                    _param("to", text, "Entries that start on or before this date."),
                    _param("century", {"type": "integer", "minimum": -50, "maximum": 21, "not": {"const": 0}},
                           "19 = 1801-1900; -1 = the 1st century BC."),
                    _param("q", text, "Words to find in titles, summaries and people's names."),
                    LANG, *ENTRY_PAGING,
                ],
                "responses": {"200": _ok("Entry", True), "400": ERROR},
            }},
            "/api/v1/entries/{slug}": {"get": {
                "summary": "One entry", "parameters": [slug_param, LANG],
                "responses": {"200": _ok("Entry", False), "400": ERROR, "404": NOT_FOUND},
            }},
            "/api/v1/articles": {"get": {
                "summary": "Published articles, newest first",
                "parameters": [_param("collection", text, "Collection slug."), _param("tag", text, "Tag slug."),
                               LANG, *PAGING],
                "responses": {"200": _ok("Article", True), "400": ERROR},
            }},
            "/api/v1/articles/{slug}": {"get": {
                "summary": "One article, with its body", "parameters": [slug_param, LANG],
                "responses": {"200": _ok("Article", False), "400": ERROR, "404": NOT_FOUND},
            }},
            "/api/v1/collections": {"get": {
                "summary": "Collections", "parameters": [LANG, *PAGING],
                "responses": {"200": _ok("Collection", True), "400": ERROR},
            }},
            "/api/rest_v1/feed/onthisday/{type}/{MM}/{DD}": {"get": {
                "summary": "A day in the shape of Wikimedia's feed/onthisday (its onthisdayResponse schema)",
                "parameters": [
                    {"name": "type", "in": "path", "required": True,
                     "schema": {"type": "string", "enum": ["all", *ONTHISDAY_TYPES]}},
                    {"name": "MM", "in": "path", "required": True, "schema": two_digits,
                     "description": "Month, 01-12."},
                    {"name": "DD", "in": "path", "required": True, "schema": two_digits,
                     "description": "Day, 01-31 (02/29 included)."},
                    _param("collection", text, "Collection slug; the default collection without it."),
                    _param("year", {"type": "integer", "minimum": 1, "maximum": 9999},
                           "The year moving holidays are computed for (this year without it)."),
                    _param("lang", {"type": "string", "enum": ["", *LANGUAGES]},
                           "The language of the texts (the collection's when empty or left out); an item not "
                           "translated carries its own `lang`."),
                ],
                "responses": {
                    "200": {"description": "OK", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/OnThisDay"}}}},
                    "400": WIKIMEDIA_ERROR, "404": WIKIMEDIA_ERROR,
                },
            }},
        },
        "components": {"schemas": {
            # Wikimedia's definitions/onthisdayResponse, onthisdayList and summary (the parts Hodie
            # fills), plus Hodie's "date" extras on each item.
            "OnThisDay": {"type": "object", "additionalProperties": False, "properties": {
                name: {"type": "array", "items": {"$ref": "#/components/schemas/OnThisDayItem"}}
                for name in ONTHISDAY_TYPES}},
            "OnThisDayItem": {"type": "object", "required": ["text", "pages"], "properties": {
                "text": text, "year": {"type": "integer"},
                "pages": {"type": "array", "items": {"$ref": "#/components/schemas/PageSummary"}},
                "date": {"type": "object"}}},
            "PageSummary": {
                "type": "object",
                "required": ["type", "titles", "title", "displaytitle", "pageid", "lang", "dir", "revision",
                             "timestamp", "content_urls", "extract", "extract_html"],
                "properties": {
                    "type": {"type": "string", "enum": ["standard", "no-extract"]},
                    "titles": {"type": "object", "required": ["canonical", "normalized", "display"]},
                    "title": text, "displaytitle": text, "normalizedtitle": text, "pageid": {"type": "integer"},
                    "namespace": {"type": "object", "required": ["id", "text"]},
                    "lang": text, "dir": {"type": "string", "enum": ["ltr", "rtl"]}, "revision": text,
                    "timestamp": {"type": "string", "format": "date-time"}, "description": text,
                    "extract": text, "extract_html": text,
                    "content_urls": {"type": "object", "required": ["desktop", "mobile"], "properties": {
                        side: {"type": "object", "required": ["page", "revisions", "edit"],
                               "additionalProperties": False,
                               "properties": {"page": text, "revisions": text, "edit": text}}
                        for side in ("desktop", "mobile")}},
                },
            },
            "WikimediaProblem": {
                "type": "object", "required": ["type", "title", "detail", "method", "uri"],
                "properties": {"type": text, "title": text, "detail": text, "method": text, "uri": text}},
            "Problem": {"type": "object", "required": ["type", "title", "status", "detail"], "properties": {
                "type": text, "title": text, "status": {"type": "integer"}, "detail": text}},
            "Entry": {
                "type": "object",
                "required": ["slug", "title", "kind", "date", "summary", "language", "translations", "languages",
                             "collections", "tags", "people", "url"],
                "properties": {
                    "slug": text, "title": text, "kind": {"type": "string", "enum": list(KINDS)},
                    "date": {"type": "object", "required": ["edtf", "calendar", "display"], "properties": {
                        "text": text, "edtf": text, "calendar": {"type": "string", "enum": ["julian", "gregorian"]},
                        "precision": text, "display": text, "year": {"type": ["integer", "null"]},
                        "earliest_jdn": {"type": ["integer", "null"]}, "latest_jdn": {"type": ["integer", "null"]},
                    }},
                    "summary": text, "featured": {"type": "boolean"}, "needs_review": {"type": "boolean"},
                    "language": language, "translations": languages, "languages": said_in(["title", "summary"]),
                    "collections": strings, "tags": strings, "people": strings, "url": text,
                },
            },
            "Article": {
                "type": "object",
                "required": ["slug", "title", "kind", "published", "language", "translations", "languages", "url"],
                "properties": {
                    "language": language, "translations": languages,
                    "languages": said_in(["title", "excerpt_html"], ("body_html",)),
                    "slug": text, "title": text, "kind": {"type": "string", "enum": ["article", "page"]},
                    "published": {"type": "string"}, "partner": {"type": ["string", "null"]},
                    "cowritten": {"type": "boolean"}, "full_url": {"type": ["string", "null"]},
                    "excerpt_html": text, "body_html": text, "tags": strings, "entries": strings, "url": text,
                },
            },
            "Collection": {
                "type": "object", "required": ["slug", "title", "region", "anniversary_policy", "language",
                                               "translations", "languages", "entries"],
                "properties": {
                    "slug": text, "title": text, "region": text, "anniversary_policy": text, "language": language,
                    "translations": languages, "languages": said_in(["title"]),
                    "entries": {"type": "integer", "minimum": 0}, "url": text,
                },
            },
        }},
    }  # fmt: skip


@csrf_exempt
@require_safe
def openapi(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(json.dumps(openapi_document(), indent=1), content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response
