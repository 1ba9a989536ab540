"""Hodie's own read API (``/api/v1/...``): entries, articles and collections, paginated. The
OpenAPI 3.1 document that describes it is in :mod:`hodie.almanac.openapi`.

Every endpoint takes ``?lang=``: each text in that language where it is translated, else in its
own; ``languages`` says which language each text is given in, ``language`` the original's, and
``translations`` which languages the object has translations into.

Written with plain Django views: six read-only endpoints do not justify a framework, and the
OpenAPI document is the contract that schemathesis checks in CI.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from hodie.dates import HodieError, parse_date
from hodie.dates.centuries import century_jdn_bounds
from hodie.site.problems import PROBLEM_JSON, Problem, answers

from . import day_sql, keyset
from .markup import plain_text, render
from .models import Article, Collection, Entry, Membership
from .translations import LANGUAGES, asked_language, shown
from .web import absolute, public, site_url

MAX_PER_PAGE = 100
KINDS = tuple(Entry.Kind.values)


BadRequest = Problem  # a wrong parameter: a 400, answered as application/problem+json


def _json(data: Any, status: int = 200) -> JsonResponse:
    return public(JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False}), 300)


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
    base = absolute(request, request.path)

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


def _texts(obj: Any, fields: dict[str, str], language: str) -> tuple[dict[str, str], dict[str, str]]:
    """``obj``'s texts for a reader of ``language`` (as stored, in its own language, when empty),
    keyed by the names the API gives them (``fields``: API name to model field), and the language
    each is in: the translation where there is one, else the original (a fallback, said as such)."""
    texts, languages = {}, {}
    for name, field in fields.items():
        said = shown(obj, field, language or obj.language)
        texts[name], languages[name] = said.text, said.language
    return texts, languages


def _translated_into(obj: Any) -> list[str]:
    return sorted(code for code, texts in (obj.translations or {}).items() if texts)


def entry_data(entry: Entry, site: str, language: str = "") -> dict[str, Any]:
    texts, languages = _texts(entry, {"title": "title", "summary": "summary"}, language)
    return {
        "slug": entry.slug,
        "title": texts["title"],
        "kind": entry.kind,
        "date": {
            "text": entry.date_text,
            "edtf": entry.edtf,
            "calendar": entry.calendar,
            "precision": entry.precision,
            "display": entry.display_date(language or "en"),
            "year": entry.year,
            "earliest_jdn": entry.earliest_jdn,
            "latest_jdn": entry.latest_jdn,
        },
        "summary": plain_text(texts["summary"]),
        "language": entry.language,
        "translations": _translated_into(entry),
        "languages": languages,
        "featured": entry.featured,
        "needs_review": entry.needs_review,
        "collections": [c.slug for c in entry.collections.all()],
        "tags": [t.name for t in entry.tags.all()],
        "people": [p.name for p in entry.people.all()],
        "url": f"{site}{entry.get_absolute_url()}",
    }


def article_data(article: Article, site: str, full: bool = False, language: str = "") -> dict[str, Any]:
    fields = {"title": "title", "excerpt_html": "excerpt", **({"body_html": "body"} if full else {})}
    texts, languages = _texts(article, fields, language)
    data = {
        "slug": article.slug,
        "title": texts["title"],
        "kind": article.kind,
        "published": article.publish_at.isoformat(),
        "partner": article.partner.name if article.partner else None,
        "cowritten": article.cowritten,
        "full_url": article.full_url or None,
        "excerpt_html": str(render(texts["excerpt_html"], article.markup)),
        "language": article.language,
        "translations": _translated_into(article),
        "languages": languages,
        "tags": [t.name for t in article.tags.all()],
        "entries": [e.slug for e in article.entries.all()],
        "url": f"{site}{article.get_absolute_url()}",
    }
    if full:
        data["body_html"] = str(render(texts["body_html"], article.markup))
    return data


def _date_bounds(text: str, name: str) -> tuple[int, int]:
    try:
        date = parse_date(text)
    except HodieError as err:
        raise BadRequest(f"{name}: {err}") from err
    if date.earliest is None or date.latest is None:
        raise BadRequest(f"{name}: {text!r} has an open end")
    return date.earliest, date.latest


def _entries(request: HttpRequest) -> tuple[QuerySet[Entry], QuerySet]:
    """The entries the filters ask for, and the cheapest query that counts them (a collection's
    memberships alone when nothing else narrows it: an index-only count). Each filter is a test of
    the entry (``EXISTS``), never a join, so no entry comes twice and none needs DISTINCT, which
    would read and sort all of them before the first page (hodie/almanac/keyset.py)."""
    entries = Entry.objects.all()
    counted: QuerySet | None = None
    if slug := request.GET.get("collection"):
        collection = Collection.objects.filter(slug=slug).first()
        if collection is None:
            raise BadRequest(f"no collection {slug!r}")
        counted = Membership.objects.filter(collection=collection)
        entries = keyset.within(counted)
    narrowed = Entry.objects.none()  # anything but the collection's own count
    if (kind := request.GET.get("kind")) is not None:
        if kind not in KINDS:
            raise BadRequest(f"kind must be one of {', '.join(KINDS)}")
        entries, counted = entries.filter(kind=kind), narrowed
    if tag := request.GET.get("tag"):
        links = Entry.tags.through.objects.filter(tag__slug=tag, entry=OuterRef("pk"))
        entries, counted = entries.filter(Exists(links)), narrowed
    if person := request.GET.get("person"):
        links = Entry.people.through.objects.filter(person__slug=person, entry=OuterRef("pk"))
        entries, counted = entries.filter(Exists(links)), narrowed
    if text := request.GET.get("from"):
        entries, counted = entries.filter(latest_jdn__gte=_date_bounds(text, "from")[0]), narrowed
    if text := request.GET.get("to"):
        entries, counted = entries.filter(earliest_jdn__lte=_date_bounds(text, "to")[1]), narrowed
    if request.GET.get("century") is not None:
        century = _int(request, "century", 0, -50, 21)
        if century == 0:
            raise BadRequest("century is never 0: 1 is the first century AD, -1 the first BC")
        first, last = century_jdn_bounds(century)
        entries, counted = entries.filter(earliest_jdn__gte=first, earliest_jdn__lte=last), narrowed
    if query := request.GET.get("q", "").strip():
        for word in query.split()[:8]:
            named = Entry.people.through.objects.filter(person__name__icontains=word, entry=OuterRef("pk"))
            entries = entries.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Exists(named))
        counted = narrowed
    return entries, entries if counted is None or counted is narrowed else counted


def _keyset_page(request: HttpRequest, entries: QuerySet[Entry], counted: QuerySet, serialise) -> dict[str, Any]:
    """A page of entries in date order (the undated last), read from a cursor: ``?after=`` (the
    ``next`` and ``previous`` links carry it), so a page deep in 1,000,000 entries costs what the
    first does. ``?page=N`` is still read while N is at most keyset.NUMBERED_PAGES (its cursor
    costs N pages of keys); past it, a 400 says to follow ``next``. ``page`` is null on a page
    reached by cursor; a numbered page past the end is empty, with no links."""
    per_page = _int(request, "per_page", 20, 1, MAX_PER_PAGE)
    number = _int(request, "page", 1, 1, 1_000_000)
    after = None
    if "after" in request.GET:
        if "page" in request.GET:
            raise BadRequest("give page or after, not both")
        try:
            after = keyset.Cursor.parse(request.GET["after"])
        except keyset.BadCursor as err:
            raise BadRequest(f"after: {err}") from err
    elif number > keyset.NUMBERED_PAGES:
        raise BadRequest(
            f"page must be at most {keyset.NUMBERED_PAGES}: later pages are reached by the next links, "
            "whose after= cursor costs the same at any depth"
        )
    elif number > 1:
        after = keyset.cursor_of_page(entries, number, per_page)
    page = keyset.page(entries, per_page, after) if after is not None or number == 1 else None
    if page is not None:
        day_sql.linked(page.entries)  # people, tags, places and collections: two statements for the page
    base = absolute(request, request.path)

    def link(cursor: keyset.Cursor | None) -> str:
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("after", None)
        query["per_page"] = str(per_page)
        if cursor is not None:
            query["after"] = str(cursor)
        return f"{base}?{query.urlencode()}"

    return {
        "count": counted.count(),
        "page": None if "after" in request.GET else number,
        "per_page": per_page,
        "next": link(page.next) if page is not None and page.next is not None else None,
        "previous": link(page.previous) if page is not None and page.has_previous else None,
        "results": [serialise(entry) for entry in page.entries] if page is not None else [],
    }


def _guard(view):
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        for name, values in request.GET.lists():
            if any("\x00" in value for value in values):
                raise BadRequest(f"{name} contains a NUL character")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    # Read-only: no cookie-authenticated writes happen here, so CSRF does not apply, and any other
    # method gets 405 from require_safe rather than CSRF's 403.
    # Problems are answered by hodie.site.problems.ProblemMiddleware as problem+json.
    return answers(PROBLEM_JSON)(csrf_exempt(require_safe(wrapped)))


def _language(request: HttpRequest) -> str:
    """``?lang=``: the language texts are given in where translated (empty: each as stored); one
    Hodie does not hold is a 400 naming the parameter and the languages there are, and so is an
    empty one (``?lang=``), which names none."""
    value = request.GET.get("lang")
    if value == "":
        raise BadRequest(f"lang is empty: give one of {', '.join(LANGUAGES)}, or leave it out")
    return asked_language(value)


@_guard
def entries(request: HttpRequest) -> HttpResponse:
    site, language = site_url(request), _language(request)
    return _json(_keyset_page(request, *_entries(request), lambda e: entry_data(e, site, language)))


@_guard
def entry(request: HttpRequest, slug: str) -> HttpResponse:
    language = _language(request)
    found = Entry.objects.filter(slug=slug).first()
    if found is None:
        raise Problem(f"no entry {slug!r}", 404)
    day_sql.linked([found])
    return _json(entry_data(found, site_url(request), language))


@_guard
def articles(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    queryset = Article.objects.published().select_related("partner").prefetch_related("tags", "entries")
    if slug := request.GET.get("collection"):
        if not Collection.objects.filter(slug=slug).exists():
            raise BadRequest(f"no collection {slug!r}")
        queryset = queryset.filter(entries__membership__collection__slug=slug)
    if tag := request.GET.get("tag"):
        queryset = queryset.filter(tags__slug=tag)
    site = site_url(request)
    ordered = queryset.distinct().order_by("-publish_at", "-pk")
    return _json(_paginate(request, ordered, lambda a: article_data(a, site, language=language)))


@_guard
def article(request: HttpRequest, slug: str) -> HttpResponse:
    language = _language(request)
    found = Article.objects.published().select_related("partner").filter(slug=slug).first()
    if found is None:
        raise Problem(f"no article {slug!r}", 404)
    return _json(article_data(found, site_url(request), full=True, language=language))


@_guard
def collections(request: HttpRequest) -> HttpResponse:
    language = _language(request)

    def data(c: Collection) -> dict[str, Any]:
        texts, languages = _texts(c, {"title": "title"}, language)
        return {"slug": c.slug, "title": texts["title"], "region": c.region,
                "anniversary_policy": c.anniversary_policy, "language": c.language,
                "translations": _translated_into(c), "languages": languages, "entries": c.entries.count(),
                "url": f"{site_url(request)}{c.get_absolute_url()}"}  # fmt: skip

    return _json(_paginate(request, Collection.objects.order_by("slug"), data))
