"""Day pages: which entries and articles belong on a collection's day."""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from hodie.dates import HodieError, InvalidDate, check_month_day, day_key, format_day
from hodie.dates.names import EN_MONTHS
from hodie.dates.recurring import parse_rule

from .models import Article, Collection, Entry, HolidayRule

MONTH_SLUGS = [name.lower() for name in EN_MONTHS]
CHOICES = ("standard", "julian", "observance")
ORDER = ("event", "birth", "death", "holiday")


def day_slug(month: int, day: int) -> str:
    return f"{MONTH_SLUGS[month - 1]}-{day}"


def parse_day_slug(slug: str) -> tuple[int, int]:
    """``february-20`` -> (2, 20); :class:`InvalidDate` for ``february-30`` or ``smarch-1``."""
    name, _, number = slug.rpartition("-")
    if name not in MONTH_SLUGS or not number.isdigit() or len(number) > 2:
        raise InvalidDate(f"{slug!r} is not a day; days look like february-20")
    return check_month_day(MONTH_SLUGS.index(name) + 1, int(number))


def parse_month_day(text: str) -> tuple[int, int]:
    """``02-20`` or ``2/20`` (month first) -> (2, 20)."""
    parts = text.replace("/", "-").split("-")
    if len(parts) != 2 or not all(part.isdigit() and 1 <= len(part) <= 2 for part in parts):
        raise InvalidDate(f"{text!r} is not a day; give it as MM-DD, e.g. 02-20")
    return check_month_day(int(parts[0]), int(parts[1]))


def neighbours(month: int, day: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """The previous and next day pages, through 29 February, wrapping at the year's ends."""
    ordinal = ALL_DAYS.index((month, day))
    return ALL_DAYS[ordinal - 1], ALL_DAYS[(ordinal + 1) % len(ALL_DAYS)]


def _ordinals() -> list[tuple[int, int]]:
    # The 366 day pages, taken from a leap year.
    return [(m, d) for m in range(1, 13) for d in range(1, stdlib_calendar.monthrange(2000, m)[1] + 1)]


ALL_DAYS = _ordinals()


def today() -> dt.date:
    return timezone.localdate()


def default_collection() -> Collection | None:
    slug = getattr(settings, "HODIE_DEFAULT_COLLECTION", "")
    if slug:
        found = Collection.objects.filter(slug=slug).first()
        if found:
            return found
    return Collection.objects.order_by("pk").first()


def entries_for_day(
    collection: Collection, month: int, day: int, choice: str | None = None, with_leap_day: bool = False
) -> QuerySet[Entry]:
    """The collection's entries on a day. ``choice`` None follows the collection's policy; else
    ``standard``, ``julian`` (entries whose Old Style label is that day) or ``observance``."""
    keys = [day_key((month, day))]
    if with_leap_day:
        keys.append(day_key((2, 29)))
    entries = Entry.objects.all()
    if choice is None:
        entries = entries.filter(membership__collection=collection, membership__day_key__in=keys)
    elif choice in CHOICES:
        entries = entries.filter(membership__collection=collection, **{f"{choice}_key__in": keys})
    else:
        raise InvalidDate(f"Unknown calendar choice {choice!r}; use one of {', '.join(CHOICES)}")
    return entries.order_by("earliest_jdn", "pk")


@dataclass
class DayPage:
    collection: Collection
    month: int
    day: int
    is_today: bool = False
    choice: str | None = None
    entries: list[Entry] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    year: int = 0
    moving: list[HolidayRule] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return format_day(self.month, self.day, self.collection.language)

    @property
    def title(self) -> str:
        if self.collection.language == "ru":
            return f"{self.heading}: {self.collection.title}"
        return f"{self.heading} in {self.collection.title}"

    @property
    def slug(self) -> str:
        return day_slug(self.month, self.day)

    @property
    def url(self) -> str:
        return reverse("almanac:day", args=[self.collection.slug, self.slug])

    def by_kind(self, kind: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.kind == kind]

    @property
    def sections(self) -> list[tuple[str, list[Entry]]]:
        names = {"event": "Events", "birth": "Births", "death": "Deaths", "holiday": "Holidays"}
        return [(names[kind], self.by_kind(kind)) for kind in ORDER if self.by_kind(kind)]

    @property
    def previous(self) -> str:
        return day_slug(*neighbours(self.month, self.day)[0])

    @property
    def next(self) -> str:
        return day_slug(*neighbours(self.month, self.day)[1])


def build_day(
    collection: Collection,
    month: int,
    day: int,
    choice: str | None = None,
    on_date: dt.date | None = None,
    year: int | None = None,
) -> DayPage:
    """Assemble a day page. ``on_date`` is set for today's page: then, in a non-leap year,
    28 February also lists the 29 February entries (``HODIE_LEAP_DAY_ON_FEB28``). Moving holidays
    are computed for ``year``, else the year of ``on_date`` or of today."""
    leap = bool(
        on_date
        and (month, day) == (2, 28)
        and not stdlib_calendar.isleap(on_date.year)
        and getattr(settings, "HODIE_LEAP_DAY_ON_FEB28", True)
    )
    entries = list(
        entries_for_day(collection, month, day, choice, with_leap_day=leap).prefetch_related("people", "tags")
    )
    ids = [entry.pk for entry in entries]
    articles = list(
        Article.objects.published()
        .filter(entries__in=ids)
        .distinct()
        .select_related("partner")
        .prefetch_related("authors")
        .order_by("-publish_at")
    )
    year = year or (on_date or today()).year
    moving = moving_holidays(collection, month, day, year)
    return DayPage(collection, month, day, on_date is not None, choice, entries, articles, year, moving)


def moving_holidays(collection: Collection, month: int, day: int, year: int) -> list[HolidayRule]:
    """The collection's moving holidays (Easter-2, 03/SunSecond ...) that fall on this day in ``year``."""
    found = []
    for rule in collection.holiday_rules.all():
        try:
            if parse_rule(rule.rule).on(year) == (month, day):
                found.append(rule)
        except HodieError:
            continue
    return found
