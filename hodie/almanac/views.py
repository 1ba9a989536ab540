"""Public pages. Rendered through Jinja2; a bad date in a URL is a 404."""

from __future__ import annotations

import json
import secrets
from collections import Counter

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_POST, require_safe

from hodie.dates import HodieError, format_day, month_name
from hodie.social import comments

from . import days, discovery, search, steering
from .models import Article, Collection, Entry, Person, Place, Tag
from .onthisday import TYPES, day_feed, selected_entries


def site_url(request: HttpRequest) -> str:
    return getattr(settings, "SITE_URL", "") or request.build_absolute_uri("/").rstrip("/")


def public(response: HttpResponse, max_age: int) -> HttpResponse:
    """A response any site may fetch (CORS ``*``) and caches may keep for ``max_age`` seconds."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


def _day_context(request: HttpRequest, page: days.DayPage) -> dict:
    others = Collection.objects.exclude(pk=page.collection.pk).order_by("title")
    target = comments.Target(collection=page.collection, day_key=page.month * 100 + page.day)
    return {
        **comments.context_for(target),
        "article_comments": comments.counts_for_articles(page.articles),
        "page": page,
        "others": others,
        "canonical": f"{site_url(request)}{page.url}",
        "description": "; ".join(f"{e.display_year}: {e.title}" for e in page.entries[:6]),
    }


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    collection = days.default_collection()
    if collection is None:
        return render(request, "almanac/empty.html", {}, status=200)
    today = days.today()
    page = days.build_day(collection, today.month, today.day, on_date=today)
    return render(request, "almanac/day.html", _day_context(request, page))


@require_safe
def day(request: HttpRequest, collection: str, day_slug: str) -> HttpResponse:
    found = get_object_or_404(Collection, slug=collection)
    try:
        month, number = days.parse_day_slug(day_slug)
    except HodieError as err:
        raise Http404(str(err)) from err
    choice = request.GET.get("calendar") or None
    if choice not in (None, *days.CHOICES):
        raise Http404(f"Unknown calendar {choice!r}")
    page = days.build_day(found, month, number, choice=choice)
    return render(request, "almanac/day.html", _day_context(request, page))


@require_safe
def collection_view(request: HttpRequest, collection: str) -> HttpResponse:
    found = get_object_or_404(Collection, slug=collection)
    cells = steering.coverage(found)
    months = [
        {"name": month_name(month, found.language), "days": [c for c in cells if c.month == month]}
        for month in range(1, 13)
    ]
    return render(
        request,
        "almanac/collection.html",
        {
            "collection": found,
            "months": months,
            "total": found.entries.count(),
            "empty": sum(1 for c in cells if not c.count),
        },
    )


@require_safe
def entry(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(
        Entry.objects.prefetch_related("people", "places", "tags", "sources", "collections"), slug=slug
    )
    articles = Article.objects.published().filter(entries=found)
    filed = [
        (c, days.day_slug(k // 100, k % 100))
        for c in found.collections.all()
        if (k := found.key_for(c.anniversary_policy))
    ]
    url = f"{site_url(request)}{found.get_absolute_url()}"
    context = {
        **comments.context_for(comments.Target(entry=found)),
        "entry": found, "articles": articles, "filed": filed, "canonical": url, "og_type": "article",
        "description": f"{found.display_date()}: {found.title}", "jsonld": discovery.entry_jsonld(found, url),
    }  # fmt: skip
    return render(request, "almanac/entry.html", context)


def _listing(request: HttpRequest, template: str, obj, entries) -> HttpResponse:
    url = f"{site_url(request)}{obj.get_absolute_url()}"
    context = {"obj": obj, "entries": entries.order_by("earliest_jdn", "pk"), "canonical": url}
    if isinstance(obj, Person):
        context.update(og_type="profile", jsonld=discovery.person_jsonld(obj, url))
    return render(request, template, context)


@require_safe
def person(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Person.objects.prefetch_related("aliases"), slug=slug)
    return _listing(request, "almanac/person.html", found, found.entries.all())


@require_safe
def tag(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Tag, slug=slug)
    return _listing(request, "almanac/tag.html", found, found.entries.all())


@require_safe
def place(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Place, slug=slug)
    return _listing(request, "almanac/place.html", found, found.entries.all())


@require_safe
def article(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(
        Article.objects.published()
        .select_related("partner")
        .prefetch_related("authors", Prefetch("entries", queryset=Entry.objects.prefetch_related("collections"))),
        slug=slug,
    )
    url = f"{site_url(request)}{found.get_absolute_url()}"
    context = {
        **comments.context_for(comments.Target(article=found)),
        "article": found, "canonical": url, "og_type": "article", "jsonld": discovery.article_jsonld(found, url),
    }  # fmt: skip
    return render(request, "almanac/article.html", context)


@require_safe
def onthisday_api(request: HttpRequest, feed_type: str, mm: str, dd: str, lang: str | None = None) -> HttpResponse:
    """``/api/rest_v1/feed/onthisday/{type}/{MM}/{DD}`` in Wikimedia's shape."""

    def error(status: int, title: str, detail: str) -> JsonResponse:
        response = JsonResponse(
            {"type": "https://mediawiki.org/wiki/HyperSwitch/errors/not_found", "title": title, "detail": detail},
            status=status,
        )
        response["Access-Control-Allow-Origin"] = "*"
        return response

    if feed_type not in ("all", *TYPES):
        return error(404, "Not found.", f"Unknown type {feed_type!r}; use all, {', '.join(TYPES)}")
    try:
        month, number = days.parse_month_day(f"{mm}-{dd}")
    except HodieError as err:
        return error(404, "Not found.", str(err))
    slug = request.GET.get("collection")
    collection = Collection.objects.filter(slug=slug).first() if slug else days.default_collection()
    if collection is None:
        return error(404, "Not found.", f"No collection {slug!r}" if slug else "No collection yet")
    year = None
    if request.GET.get("year"):
        try:
            year = int(request.GET["year"])
            if not 1 <= year <= 9999:
                raise ValueError
        except ValueError:
            return error(400, "Bad request.", f"year {request.GET['year']!r} is not a year from 1 to 9999")
    page = days.build_day(collection, month, number, year=year)
    document = day_feed(page, site_url(request), feed_type, today=days.today())
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False),
        content_type='application/json; charset=utf-8; profile="https://www.mediawiki.org/wiki/Specs/onthisday/0.3.3"',
    )
    return public(response, 300)


@require_safe
def today_redirect(request: HttpRequest, collection: str) -> HttpResponse:
    found = get_object_or_404(Collection, slug=collection)
    today = days.today()
    return redirect("almanac:day", collection=found.slug, day_slug=days.day_slug(today.month, today.day))


@require_safe
def search_view(request: HttpRequest) -> HttpResponse:
    """``/search/?q=``: ranked hits with snippets; a day goes to its day page."""
    q = request.GET.get("q", "")
    collection_slug = request.GET.get("collection", "")
    try:
        century = int(request.GET.get("century") or 0) or None
        page = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        return render(request, "almanac/search.html", {"error": "century and page are whole numbers"}, status=400)
    results = search.search(
        q, kind=request.GET.get("kind", ""), century=century, collection=collection_slug,
        tag=request.GET.get("tag", ""), page=page,
    )  # fmt: skip
    if results.day is not None:
        collection = Collection.objects.filter(slug=collection_slug).first() or days.default_collection()
        if collection is not None:
            return redirect("almanac:day", collection=collection.slug, day_slug=days.day_slug(*results.day))
    context = {
        "results": results, "q": q, "collections": Collection.objects.order_by("title"),
        "filters": {k: request.GET.get(k, "") for k in ("kind", "century", "collection", "tag")},
        "page": page, "pages": (results.total + search.PER_PAGE - 1) // search.PER_PAGE,
    }  # fmt: skip
    return render(request, "almanac/search.html", context)


@staff_member_required
@require_safe
def editors(request: HttpRequest, collection: str) -> HttpResponse:
    """The editors' view of a collection: coverage map, empty days, scheduled articles, round
    anniversaries coming up, entries to check, and the collection over the centuries."""
    found = get_object_or_404(Collection, slug=collection)
    try:
        ahead_days = min(366, max(1, int(request.GET.get("days") or 30)))
    except ValueError:
        ahead_days = 30
    cells = steering.coverage(found)
    scheduled, until = steering.scheduled_ahead(found)
    rows = steering.timeline(found)
    flags = steering.quality_flags(found)
    flag_counts = Counter(f.kind for f in flags)
    language = discovery.interface_language()
    context = {
        "collection": found, "coverage_svg": steering.coverage_svg(found, cells, language),
        "empty": [c for c in cells if c.count == 0], "filled": sum(1 for c in cells if c.count),
        "scheduled": scheduled, "until": until, "ahead_days": ahead_days,
        "upcoming": steering.upcoming_anniversaries(found, days.today(), ahead_days),
        "flags": flags, "flag_counts": flag_counts, "timeline_svg": steering.timeline_svg(found, rows, language),
        "format_day": format_day, "century_label": steering.century_label, "rows": rows,
        "civil_date": lambda when: steering.civil_date(when, language),
    }  # fmt: skip
    response = render(request, "almanac/editors.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def go_to_day(request: HttpRequest) -> HttpResponse:
    """The calendar picker: ``?collection=&month=&day=`` to that day page (29 February included)."""
    slug = request.GET.get("collection")
    found = get_object_or_404(Collection, slug=slug) if slug else days.default_collection()
    if found is None:
        raise Http404("No collection yet")
    try:
        month, number = int(request.GET.get("month", "")), int(request.GET.get("day", ""))
        days.parse_month_day(f"{month:02d}-{number:02d}")
    except (ValueError, HodieError) as err:
        message = str(err) if isinstance(err, HodieError) else "month and day are numbers"
        return render(request, "almanac/search.html", {"error": f"No such day: {message}"}, status=400)
    return redirect("almanac:day", collection=found.slug, day_slug=days.day_slug(month, number))


@require_safe
def random_day(request: HttpRequest, collection: str) -> HttpResponse:
    """A day of the collection that has entries, chosen at random."""
    found = get_object_or_404(Collection, slug=collection)
    keys = list(found.membership_set.exclude(day_key=None).values_list("day_key", flat=True).distinct())
    if not keys:
        return redirect("almanac:collection", collection=found.slug)
    key = secrets.choice(keys)
    response = redirect("almanac:day", collection=found.slug, day_slug=days.day_slug(key // 100, key % 100))
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def random_entry(request: HttpRequest, collection: str) -> HttpResponse:
    found = get_object_or_404(Collection, slug=collection)
    ids = found.entries.values_list("pk", flat=True)
    count = ids.count()
    if not count:
        return redirect("almanac:collection", collection=found.slug)
    entry = found.entries.order_by("pk")[secrets.randbelow(count)]
    response = redirect(entry.get_absolute_url())
    response["Cache-Control"] = "no-store"
    return response


@xframe_options_exempt
@require_safe
def widget(request: HttpRequest, collection: str) -> HttpResponse:
    """The iframe variant of the widget: ``?date=MM-DD`` (the embedding page's today; the site's
    today without it), the day's highlights, links opening in the top window."""
    found = get_object_or_404(Collection, slug=collection)
    today = days.today()
    month, number = today.month, today.day
    if request.GET.get("date"):
        try:
            month, number = days.parse_month_day(request.GET["date"])
        except HodieError as err:
            return HttpResponse(f"{err}\n", status=400, content_type="text/plain; charset=utf-8")
    try:
        limit = min(20, max(1, int(request.GET.get("limit") or 5)))
    except ValueError:
        limit = 5
    page = days.build_day(found, month, number)
    entries = selected_entries(page, today.year)[:limit]
    response = render(request, "almanac/widget.html", {"page": page, "entries": entries, "site": site_url(request)})
    # Any site may frame the widget; its own inline style is the only thing not from a file.
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *; base-uri 'none'; form-action 'none'"
    )
    return public(response, 3600)


@require_safe
def about_dates(request: HttpRequest) -> HttpResponse:
    """Old Style and New Style in a few paragraphs, and the reader's choice of which comes first."""
    return render(request, "almanac/about_dates.html", {"next": request.GET.get("next", "")})


@require_POST
def date_order(request: HttpRequest) -> HttpResponse:
    """Remember whether the reader wants the Old Style date first (a cookie, a year)."""
    order = request.POST.get("order", "")
    if order not in ("os", "ns"):
        return HttpResponse("order is os or ns\n", status=400, content_type="text/plain; charset=utf-8")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("almanac:about-dates")
    response = redirect(back)
    response.set_cookie("hodie_dates", order, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response
