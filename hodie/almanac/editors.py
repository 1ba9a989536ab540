"""The editors' page of a collection: the view over :mod:`hodie.almanac.steering`'s figures."""

from __future__ import annotations

from collections import Counter

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from hodie.dates import format_day

from . import days, discovery, steering
from .models import LANGUAGE_CHOICES, Collection, Entry
from .translations import untranslated


def missing_translations(collection: Collection) -> list[tuple[str, int]]:
    """(language, how many of the collection's entries have no title in it), for each language."""
    entries = Entry.objects.filter(membership__collection=collection)
    return [(code, entries.filter(untranslated(Entry, code)).count()) for code, _name in LANGUAGE_CHOICES]


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
        "missing_translations": missing_translations(found),
        "language_names": {code: gettext(name) for code, name in LANGUAGE_CHOICES},
    }  # fmt: skip
    response = render(request, "almanac/editors.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@staff_member_required
def editors_index(request: HttpRequest) -> HttpResponse:
    """The admin's "Editors' pages" link: one collection goes straight to its page, several are listed."""
    found = list(Collection.objects.order_by("title"))
    if len(found) == 1:
        return redirect("almanac:editors", collection=found[0].slug)
    response = render(request, "almanac/editors_index.html", {"collections": found})
    response["Cache-Control"] = "private, no-store"
    return response
