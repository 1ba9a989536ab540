"""Hodie's own read API (``/api/v1/...``): entries, articles and collections, paginated, with the
OpenAPI 3.1 document that describes it at ``/api/openapi.json``.

Written with plain Django views: six read-only endpoints do not justify a framework, and the
OpenAPI document below is the contract that schemathesis checks in CI.
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from hodie.dates import HodieError, parse_date

from .markup import plain_text, render
from .models import Article, Collection, Entry
from .views import public, site_url

MAX_PER_PAGE = 100
KINDS = ("event", "birth", "death", "holiday")


class BadRequest(Exception):
    pass


def _json(data: Any, status: int = 200) -> JsonResponse:
    return public(JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False}), 300)


def _error(message: str, status: int = 400) -> JsonResponse:
    return _json({"error": message}, status)


def _int(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as err:
        raise BadRequest(f"{name} must be a whole number, not {raw!r}") from err
    if not low <= value <= high:
        raise BadRequest(f"{name} must be between {low} and {high}")
    return value


def _paginate(request: HttpRequest, queryset: QuerySet, serialise) -> dict[str, Any]:
    page = _int(request, "page", 1, 1, 1_000_000)
    per_page = _int(request, "per_page", 20, 1, MAX_PER_PAGE)
    count = queryset.count()
    start = (page - 1) * per_page
    results = [serialise(obj) for obj in queryset[start : start + per_page]]
    base = request.build_absolute_uri(request.path)

    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        query["per_page"] = str(per_page)
        return f"{base}?{query.urlencode()}"

    return {
        "count": count,
        "page": page,
        "per_page": per_page,
        "next": link(page + 1) if start + per_page < count else None,
        "previous": link(page - 1) if page > 1 and start < count + per_page else None,
        "results": results,
    }


def entry_data(entry: Entry, site: str) -> dict[str, Any]:
    return {
        "slug": entry.slug,
        "title": entry.title,
        "kind": entry.kind,
        "date": {
            "text": entry.date_text,
            "edtf": entry.edtf,
            "calendar": entry.calendar,
            "precision": entry.precision,
            "display": entry.display_date(),
            "year": entry.year,
            "earliest_jdn": entry.earliest_jdn,
            "latest_jdn": entry.latest_jdn,
        },
        "summary": plain_text(entry.summary),
        "featured": entry.featured,
        "needs_review": entry.needs_review,
        "collections": [c.slug for c in entry.collections.all()],
        "tags": [t.name for t in entry.tags.all()],
        "people": [p.name for p in entry.people.all()],
        "url": f"{site}{entry.get_absolute_url()}",
    }


def article_data(article: Article, site: str, full: bool = False) -> dict[str, Any]:
    data = {
        "slug": article.slug,
        "title": article.title,
        "kind": article.kind,
        "published": article.publish_at.isoformat(),
        "partner": article.partner.name if article.partner else None,
        "cowritten": article.cowritten,
        "full_url": article.full_url or None,
        "excerpt_html": str(render(article.excerpt, article.markup)),
        "tags": [t.name for t in article.tags.all()],
        "entries": [e.slug for e in article.entries.all()],
        "url": f"{site}{article.get_absolute_url()}",
    }
    if full:
        data["body_html"] = str(render(article.body, article.markup))
    return data


def _date_bounds(text: str, name: str) -> tuple[int, int]:
    try:
        date = parse_date(text)
    except HodieError as err:
        raise BadRequest(f"{name}: {err}") from err
    if date.earliest is None or date.latest is None:
        raise BadRequest(f"{name}: {text!r} has an open end")
    return date.earliest, date.latest


def _century_bounds(century: int) -> tuple[int, int]:
    from hodie.dates.calendars import to_jdn

    # The 19th century is 1801-1900; the 1st century BC (-1) is 100 BC-1 BC (astronomical -99..0).
    if century > 0:
        first, last = (century - 1) * 100 + 1, century * 100
    else:
        first, last = century * 100 + 1, (century + 1) * 100
    calendar = "julian" if last < 1583 else "gregorian"
    return to_jdn(first, 1, 1, calendar), to_jdn(last, 12, 31, calendar)


def _entries(request: HttpRequest) -> QuerySet[Entry]:
    entries = Entry.objects.all()
    if slug := request.GET.get("collection"):
        if not Collection.objects.filter(slug=slug).exists():
            raise BadRequest(f"no collection {slug!r}")
        entries = entries.filter(membership__collection__slug=slug)
    if (kind := request.GET.get("kind")) is not None:
        if kind not in KINDS:
            raise BadRequest(f"kind must be one of {', '.join(KINDS)}")
        entries = entries.filter(kind=kind)
    if tag := request.GET.get("tag"):
        entries = entries.filter(tags__slug=tag)
    if person := request.GET.get("person"):
        entries = entries.filter(people__slug=person)
    if text := request.GET.get("from"):
        entries = entries.filter(latest_jdn__gte=_date_bounds(text, "from")[0])
    if text := request.GET.get("to"):
        entries = entries.filter(earliest_jdn__lte=_date_bounds(text, "to")[1])
    if request.GET.get("century") is not None:
        century = _int(request, "century", 0, -50, 21)
        if century == 0:
            raise BadRequest("century is never 0: 1 is the first century AD, -1 the first BC")
        first, last = _century_bounds(century)
        entries = entries.filter(earliest_jdn__gte=first, earliest_jdn__lte=last)
    if query := request.GET.get("q", "").strip():
        for word in query.split()[:8]:
            entries = entries.filter(
                Q(title__icontains=word) | Q(summary__icontains=word) | Q(people__name__icontains=word)
            )
    return entries.distinct().order_by("earliest_jdn", "pk").prefetch_related("collections", "tags", "people")


def _guard(view):
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            for name, values in request.GET.lists():
                if any("\x00" in value for value in values):
                    raise BadRequest(f"{name} contains a NUL character")
            return view(request, *args, **kwargs)
        except BadRequest as err:
            return _error(str(err))

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    # Read-only: no cookie-authenticated writes happen here, so CSRF does not apply, and any other
    # method gets 405 from require_safe rather than CSRF's 403.
    return csrf_exempt(require_safe(wrapped))


@_guard
def entries(request: HttpRequest) -> HttpResponse:
    site = site_url(request)
    return _json(_paginate(request, _entries(request), lambda e: entry_data(e, site)))


@_guard
def entry(request: HttpRequest, slug: str) -> HttpResponse:
    found = Entry.objects.prefetch_related("collections", "tags", "people").filter(slug=slug).first()
    if found is None:
        return _error(f"no entry {slug!r}", 404)
    return _json(entry_data(found, site_url(request)))


@_guard
def articles(request: HttpRequest) -> HttpResponse:
    queryset = Article.objects.published().select_related("partner").prefetch_related("tags", "entries")
    if slug := request.GET.get("collection"):
        if not Collection.objects.filter(slug=slug).exists():
            raise BadRequest(f"no collection {slug!r}")
        queryset = queryset.filter(entries__membership__collection__slug=slug)
    if tag := request.GET.get("tag"):
        queryset = queryset.filter(tags__slug=tag)
    site = site_url(request)
    return _json(
        _paginate(request, queryset.distinct().order_by("-publish_at", "-pk"), lambda a: article_data(a, site))
    )


@_guard
def article(request: HttpRequest, slug: str) -> HttpResponse:
    found = Article.objects.published().select_related("partner").filter(slug=slug).first()
    if found is None:
        return _error(f"no article {slug!r}", 404)
    return _json(article_data(found, site_url(request), full=True))


@_guard
def collections(request: HttpRequest) -> HttpResponse:
    def data(c: Collection) -> dict[str, Any]:
        return {"slug": c.slug, "title": c.title, "region": c.region, "anniversary_policy": c.anniversary_policy,
                "language": c.language, "entries": c.entries.count(),
                "url": f"{site_url(request)}{c.get_absolute_url()}"}  # fmt: skip

    return _json(_paginate(request, Collection.objects.order_by("slug"), data))


# --------------------------------------------------------------------------- OpenAPI
def _page_of(ref: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["count", "page", "per_page", "next", "previous", "results"],
        "properties": {
            "count": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "next": {"type": ["string", "null"]},
            "previous": {"type": ["string", "null"]},
            "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{ref}"}},
        },
    }


def _param(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


PAGING = [
    _param("page", {"type": "integer", "minimum": 1, "maximum": 1_000_000}, "Page number, from 1."),
    _param("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}, "Items per page."),
]
ERROR = {"description": "A parameter is wrong; the message names it.",
         "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}  # fmt: skip
NOT_FOUND = {"description": "No such object.",
             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}  # fmt: skip


def _ok(ref: str, page: bool) -> dict[str, Any]:
    schema = _page_of(ref) if page else {"$ref": f"#/components/schemas/{ref}"}
    return {"description": "OK", "content": {"application/json": {"schema": schema}}}


def openapi_document() -> dict[str, Any]:
    text = {"type": "string"}
    strings = {"type": "array", "items": text}
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
                    *PAGING,
                ],
                "responses": {"200": _ok("Entry", True), "400": ERROR},
            }},
            "/api/v1/entries/{slug}": {"get": {
                "summary": "One entry", "parameters": [slug_param],
                "responses": {"200": _ok("Entry", False), "404": NOT_FOUND},
            }},
            "/api/v1/articles": {"get": {
                "summary": "Published articles, newest first",
                "parameters": [_param("collection", text, "Collection slug."), _param("tag", text, "Tag slug."),
                               *PAGING],
                "responses": {"200": _ok("Article", True), "400": ERROR},
            }},
            "/api/v1/articles/{slug}": {"get": {
                "summary": "One article, with its body", "parameters": [slug_param],
                "responses": {"200": _ok("Article", False), "404": NOT_FOUND},
            }},
            "/api/v1/collections": {"get": {
                "summary": "Collections", "parameters": PAGING,
                "responses": {"200": _ok("Collection", True), "400": ERROR},
            }},
        },
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": text}},
            "Entry": {
                "type": "object",
                "required": ["slug", "title", "kind", "date", "summary", "collections", "tags", "people", "url"],
                "properties": {
                    "slug": text, "title": text, "kind": {"type": "string", "enum": list(KINDS)},
                    "date": {"type": "object", "required": ["edtf", "calendar", "display"], "properties": {
                        "text": text, "edtf": text, "calendar": {"type": "string", "enum": ["julian", "gregorian"]},
                        "precision": text, "display": text, "year": {"type": ["integer", "null"]},
                        "earliest_jdn": {"type": ["integer", "null"]}, "latest_jdn": {"type": ["integer", "null"]},
                    }},
                    "summary": text, "featured": {"type": "boolean"}, "needs_review": {"type": "boolean"},
                    "collections": strings, "tags": strings, "people": strings, "url": text,
                },
            },
            "Article": {
                "type": "object", "required": ["slug", "title", "kind", "published", "url"],
                "properties": {
                    "slug": text, "title": text, "kind": {"type": "string", "enum": ["article", "page"]},
                    "published": {"type": "string"}, "partner": {"type": ["string", "null"]},
                    "cowritten": {"type": "boolean"}, "full_url": {"type": ["string", "null"]},
                    "excerpt_html": text, "body_html": text, "tags": strings, "entries": strings, "url": text,
                },
            },
            "Collection": {
                "type": "object", "required": ["slug", "title", "region", "anniversary_policy", "language", "entries"],
                "properties": {
                    "slug": text, "title": text, "region": text, "anniversary_policy": text, "language": text,
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
