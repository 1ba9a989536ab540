"""Public pages. Rendered through Jinja2; a bad date in a URL is a 404."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import NamedTuple

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_POST, require_safe
from markupsafe import Markup, escape

from hodie.dates import HodieError, month_name
from hodie.search import related
from hodie.site.addresses import address, filler
from hodie.site.crossorigin import same_site_post
from hodie.site.problems import TEXT, Problem, answers

from . import article_sql, day_sql, days, discovery, entry_sql, fragments, keyset, lines, search, steering
from .models import Article, Collection, Entry, Person, Place, Tag
from .onthisday import select
from .translations import asked_language
from .translations import shown as tr_shown
from .web import public, site_url


def _line_variant(request: HttpRequest, collection: Collection) -> str:
    preferences = discovery.preferences(request)
    return lines.variant(preferences["interface_language"], preferences["os_first"], collection.language)


def _fragment_keys(request: HttpRequest, collection: Collection, month: int, day: int):
    """What a day page reads with its rules in one statement: its articles' leads, its comment block."""
    language = discovery.preferences(request)["interface_language"]

    def keys(articles: list[Article]) -> list[str]:
        found = [fragments.lead_key(article.pk, language) for article in articles]
        for more in fragments.DAY_PAGE_KEYS:
            found += more(request, collection, month * 100 + day, articles)
        return found

    return keys


def _day_context(
    request: HttpRequest, page: days.DayPage, variant: str, collections: list[Collection] | None = None
) -> dict:
    url = f"{site_url(request)}{page.url}"
    preferences = discovery.preferences(request)
    language = preferences["interface_language"]
    # The day in each other collection, every link from one reverse() (addresses.filler): a reverse()
    # and a translation lookup per link in the template were a third of the day page on a site of
    # 100 collections.
    in_other = filler("almanac:day", [None, page.slug], 0)
    others = [
        (in_other(c.slug), tr_shown(c, "title", language))
        for c in collections or days.all_collections()
        if c.pk != page.collection.pk
    ]
    shown, events = lines.page_lines(page.entries, page.told_in, preferences, page.collection.language, variant)
    return {
        "page": page,
        "lines": shown,
        "leads": fragments.leads(page.articles, preferences["interface_language"], page.fragments),
        "others": others,
        "canonical": url,
        "description": _day_description(page, language),
        "jsonld": discovery.day_jsonld(page, url, events, language),
        "og_image": site_url(request) + address("almanac:day-card", [page.collection.slug, page.slug]),
    }


def _day_description(page: days.DayPage, language: str) -> str:
    """The day's first lines whose titles the reader can read in their language (the page is in
    it); the page's title when none is."""
    said = [f"{e.display_year}: {t.text}" for e in page.entries if not (t := tr_shown(e, "title", language)).fallback]
    return "; ".join(said[:6]) or page.title_in(language)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    collections = days.all_collections()  # the default one and the others, one query
    collection = days.default_collection(collections)
    if collection is None:
        return render(request, "almanac/empty.html", {}, status=200)
    request.hodie_collection = collection  # type: ignore[attr-defined]  # for discovery.alternates
    today = days.today()
    variant = _line_variant(request, collection)
    page = days.build_day(
        collection, today.month, today.day, on_date=today, page_number=1, line_variant=variant,
        fragment_keys=_fragment_keys(request, collection, today.month, today.day),
    )  # fmt: skip
    return render(request, "almanac/day.html", _day_context(request, page, variant, collections))


@require_safe
def day(request: HttpRequest, collection: str, day_slug: str) -> HttpResponse:
    collections = days.all_collections()  # the page's own and the others, one query
    found = next((c for c in collections if c.slug == collection), None)
    if found is None:
        raise Http404(f"No collection {collection!r}")
    try:
        month, number = days.parse_day_slug(day_slug)
    except HodieError as err:
        raise Http404(str(err)) from err
    choice = request.GET.get("calendar") or None
    if choice not in (None, *days.CHOICES):
        raise Http404(f"Unknown calendar {choice!r}")
    page_number = request.GET.get("page", "1")
    if not page_number.isdigit() or int(page_number) < 1:
        raise Http404(f"No page {page_number!r}")
    request.hodie_collection = found  # type: ignore[attr-defined]  # for discovery.alternates
    variant = _line_variant(request, found)
    page = days.build_day(
        found, month, number, choice=choice, page_number=int(page_number), line_variant=variant,
        fragment_keys=_fragment_keys(request, found, month, number),
    )  # fmt: skip
    if page_number != "1" and not page.entries:
        raise Http404(f"No page {page_number} of this day")
    return render(request, "almanac/day.html", _day_context(request, page, variant, collections))


@require_safe
def collection_view(request: HttpRequest, collection: str) -> HttpResponse:
    found = get_object_or_404(Collection, slug=collection)
    cells = steering.coverage(found)
    now = days.today()
    language = discovery.interface_language()
    return render(
        request,
        "almanac/collection.html",
        {
            "collection": found,
            "meta_language": (said_in := discovery.meta_language(found, language)),
            "description": discovery.describe(found, said_in),
            "months": _month_grids(found, cells, now, language),
            "total": found.entries.count(),
            "empty": sum(1 for c in cells if not c.count),
        },
    )


def _month_grids(collection: Collection, cells: list[steering.Cell], now: dt.date, language: str) -> Markup:
    """The twelve month grids of a collection's calendar page, each day a link titled with its count.
    Written here rather than in the template: a Jinja loop over 366 cells (escaping, attribute
    lookups and a plural form each) was two thirds of the page (docs/benchmarks.md, *Render path*).
    Each month starts on this year's weekday of its 1st, so the seven columns are real weeks
    (29 February, in a year without one, follows the 28th)."""
    day_address = filler("almanac:day", [collection.slug, None], 1)  # one reverse() for the 366 links
    weekdays = "".join(f'<li class="weekday" aria-hidden="true">{escape(WEEKDAYS_ABBR[n])}</li>' for n in range(7))
    today = (now.month, now.day)
    parts, titles = [], {}  # type: list[str], dict[int, str]
    for month in range(1, 13):
        lead = dt.date(now.year, month, 1).weekday()
        parts.append(f'\n<section class="month"><h2>{escape(month_name(month, language))}</h2>\n<ol class="days">')
        parts.append(weekdays + '<li class="blank" aria-hidden="true"></li>' * lead)
        for cell in cells:
            if cell.month != month:
                continue
            href = escape(day_address(cell.slug))
            if (title := titles.get(cell.count)) is None:  # a few counts, each worded once
                titles[cell.count] = title = escape(
                    ngettext("%(num)d entry", "%(num)d entries", cell.count) % {"num": cell.count}
                )
            state = ("has" if cell.count else "none") + (" today" if (month, cell.day) == today else "")
            current = ' aria-current="date"' if (month, cell.day) == today else ""
            parts.append(f'<li class="{state}"><a href="{href}" title="{title}"{current}>{cell.day}</a></li>')
        parts.append("</ol>\n</section>\n")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped or a number


@require_safe
def entry(request: HttpRequest, slug: str) -> HttpResponse:
    found, articles = entry_sql.entry_page(slug)
    filed = [
        (c, days.day_slug(k // 100, k % 100), k // 100, k % 100)
        for c in found.collections.all()
        if (k := found.key_for(c.anniversary_policy))
    ]
    url = f"{site_url(request)}{found.get_absolute_url()}"
    said_in = discovery.meta_language(found, discovery.interface_language())
    title = tr_shown(found, "title", said_in).text
    context = {
        "entry": found, "articles": articles, "filed": filed, "canonical": url, "og_type": "article",
        "meta_language": said_in, "description": f"{found.display_date(said_in)}: {title}",
        "jsonld": discovery.entry_jsonld(found, url, said_in),
        "og_image": site_url(request) + address("almanac:entry-card", [found.slug]),
        "related": related.shown(found),
    }  # fmt: skip
    return render(request, "almanac/entry.html", context)


#: Entries per page of a tag, person or place: the page's cost is bounded at any collection size.
LISTING_PER_PAGE = 100


def _listing(request: HttpRequest, template: str, obj, entries) -> HttpResponse:
    """A tag's, person's or place's entries, in date order (the undated last), LISTING_PER_PAGE at a
    time: the first page at the bare address, each next one at ``?after=<cursor>``, the key of the
    last entry shown before it (hodie/almanac/keyset.py), so page 10,000 costs what page 1 does.

    An old numbered address ``?page=N`` is moved for good (301) to the cursor address of the same
    page while N is at most keyset.NUMBERED_PAGES (finding it reads N pages of keys); a later number
    is answered 404, saying to follow the "next" links; ``?page=1`` or a word goes to the first page."""
    base = obj.get_absolute_url()
    if "page" in request.GET:
        number = request.GET["page"]
        if not number.isdigit() or int(number) <= 1:
            return redirect(base, permanent=True)
        if int(number) > keyset.NUMBERED_PAGES:
            raise Http404(f"Pages past {keyset.NUMBERED_PAGES} have no number: follow the 'next' links")
        cursor = keyset.cursor_of_page(entries, int(number), LISTING_PER_PAGE)
        if cursor is None:
            raise Http404(f"No page {number}")
        return redirect(f"{base}?after={cursor}", permanent=True)
    try:
        after = keyset.Cursor.parse(request.GET["after"]) if "after" in request.GET else None
    except keyset.BadCursor as err:
        raise Http404(str(err)) from err
    page = keyset.page(entries, LISTING_PER_PAGE, after)
    if after is not None and not page.entries:
        raise Http404("No entries after this cursor")
    url = f"{site_url(request)}{base}" + (f"?after={after}" if after is not None else "")
    said_in = discovery.meta_language(obj, discovery.interface_language())
    context = {"obj": obj, "entries": page.entries, "listing": page, "canonical": url, "meta_language": said_in,
               "description": discovery.describe(obj, said_in),
               "lines": lines.listing_lines(page.entries, discovery.preferences(request))}  # fmt: skip
    if isinstance(obj, Person):
        context.update(og_type="profile", jsonld=discovery.person_jsonld(obj, url, said_in))
    return render(request, template, context)


@require_safe
def person(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Person.objects.prefetch_related("aliases"), slug=slug)
    links = Entry.people.through.objects.filter(person=found)
    return _listing(request, "almanac/person.html", found, keyset.within(links))


@require_safe
def tag(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Tag, slug=slug)
    return _listing(request, "almanac/tag.html", found, keyset.within(Entry.tags.through.objects.filter(tag=found)))


@require_safe
def place(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Place, slug=slug)
    links = Entry.places.through.objects.filter(place=found)
    return _listing(request, "almanac/place.html", found, keyset.within(links))


@require_safe
def article(request: HttpRequest, slug: str) -> HttpResponse:
    found = article_sql.article_page(slug)
    url = f"{site_url(request)}{found.get_absolute_url()}"
    said_in = discovery.meta_language(found, discovery.interface_language())
    context = {
        "article": found, "canonical": url, "og_type": "article", "meta_language": said_in,
        "jsonld": discovery.article_jsonld(found, url, said_in), "description": discovery.describe(found, said_in),
        "og_image": site_url(request) + address("almanac:article-card", [found.slug]),
        "related": related.shown(found),
    }  # fmt: skip
    return render(request, "almanac/article.html", context)


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


class _Key(NamedTuple):
    """What onthisday.select reads of an entry."""

    pk: int
    kind: str
    featured: bool
    year: int | None
    earliest_jdn: int | None


def _widget_entries(collection: Collection, month: int, number: int, this_year: int, limit: int) -> list[Entry]:
    """The day's highlights as the Wikimedia-shaped day selects them (onthisday.select), from the
    day's keys alone (five small columns an entry), then the ``limit`` chosen read whole, whatever
    the day's size (it built the whole day before: 19 MiB for 3,000). Three fixed statements
    (hodie/almanac/day_sql.py): compiling the ORM's four queries was most of the widget."""
    sql = day_sql.statements()
    key = days.day_key((month, number))
    told = {row[0] for row in day_sql.rows(sql["day_told"], [collection.pk, key, day_sql.published_now()])}
    keys = (_Key(*row) for row in day_sql.rows(sql["day_keys"], [collection.pk, key]))
    chosen = [found.pk for found in select(keys, told, this_year, most=limit)[:limit]]
    if not chosen:
        return []
    rows = day_sql.rows(sql["entries_by_id"].format(ids=day_sql.marks(chosen)), chosen)
    found = {entry.pk: entry for entry in (day_sql.from_row(Entry, sql["entry_names"], row) for row in rows)}
    return [found[pk] for pk in chosen]


@answers(TEXT)  # an embedding page shows a line of text, never our layout, in its frame
@xframe_options_exempt
@require_safe
def widget(request: HttpRequest, collection: str) -> HttpResponse:
    """The iframe variant of the widget: ``?date=MM-DD`` (the embedding page's today; the site's
    today without it), ``?lang=`` (the collection's language without it), the day's highlights,
    links opening in the top window."""
    found = get_object_or_404(Collection, slug=collection)
    today = days.today()
    month, number = today.month, today.day
    if request.GET.get("date"):
        try:
            month, number = days.parse_month_day(request.GET["date"])
        except HodieError as err:
            raise Problem(str(err)) from err
    try:
        limit = min(20, max(1, int(request.GET.get("limit") or 5)))
    except ValueError:
        limit = 5
    language = asked_language(request.GET.get("lang")) or found.language
    page = days.DayPage(found, month, number)  # its title and address; the entries are read below
    entries = _widget_entries(found, month, number, today.year, limit)
    context = {"page": page, "entries": entries, "site": site_url(request), "language": language}
    # The widget's own words in its language, whatever the embedding reader's browser asks for.
    with translation.override(language):
        response = render(request, "almanac/widget.html", context)
    # Any site may frame the widget; its own inline style is the only thing not from a file.
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *; base-uri 'none'; form-action 'none'"
    )
    return public(response, 3600)


@require_safe
def about_dates(request: HttpRequest) -> HttpResponse:
    """Old Style and New Style in a few paragraphs, and the reader's choice of which comes first."""
    return render(request, "almanac/about_dates.html", {"next": request.GET.get("next", "")})


@same_site_post  # no reader's token on a cached page (hodie/site/crossorigin.py)
@require_POST
def date_order(request: HttpRequest) -> HttpResponse:
    """Remember whether the reader wants the Old Style date first (a cookie, a year)."""
    order = request.POST.get("order", "")
    if order not in ("os", "ns"):
        raise Problem("order is os or ns")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("almanac:about-dates")
    response = HttpResponseRedirect(back)  # redirect("foo") would look "foo" up as a URL name
    response.set_cookie("hodie_dates", order, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response
