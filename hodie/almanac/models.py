"""The content model: collections of dated entries, the people, places and tags they mention,
articles that tell them, and the partners those articles are written with."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from hodie.dates import (
    POLICIES,
    REGIONS,
    HistoricalDate,
    HodieError,
    filing,
    filing_key,
    format_date,
    format_year,
    parse_date,
    parse_edtf,
)
from hodie.importers.records import KINDS, LANGUAGES
from hodie.site.addresses import address

POLICY_CHOICES = [(policy, policy.capitalize()) for policy in POLICIES]
REGION_CHOICES = [(code, region.name) for code, region in REGIONS.items()]
# The columns a hodie.dates.Filing fills, in its order: Entry.apply_date and the import writer's rows.
FILING_COLUMNS = (
    "precision", "earliest_jdn", "latest_jdn", "year", "standard_key", "julian_key", "observance_key",
)  # fmt: skip
LANGUAGE_NAMES = {"en": "English", "ru": "Russian"}
LANGUAGE_CHOICES = [(code, LANGUAGE_NAMES.get(code, code)) for code in LANGUAGES]


def unique_slug(model: type[models.Model], text: str, instance_pk: int | None = None, field: str = "slug") -> str:
    base = slugify(text, allow_unicode=False)[:80].strip("-") or model.__name__.lower()
    others = model._default_manager.exclude(pk=instance_pk)
    if not others.filter(**{field: base}).exists():
        return base
    # Start counting past the slugs that already begin with the base: counting up from 2 with a
    # query each made an import of 3,000 posts whose titles all slugify to the same base (a
    # Cyrillic title slugifies to nothing, so all become "article-N") cost 4.5 million queries.
    n = others.filter(**{f"{field}__startswith": base}).count() + 1
    while others.filter(**{field: f"{base}-{n}"}).exists():
        n += 1
    return f"{base}-{n}"


class Translatable(models.Model):
    """Text in its original ``language`` in the model's own fields, and its translations beside it
    in one JSON column (why a column and not django-parler: hodie/almanac/translations.py)."""

    language = models.CharField(
        max_length=5, choices=LANGUAGE_CHOICES, default="en", help_text="The language the text is written in."
    )
    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text='Translations of the text, by language: {"ru": {"title": "…", "summary": "…"}}.',
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        from .translations import check

        check(self)


class Collection(Translatable):
    slug = models.SlugField(unique=True, help_text="Used in URLs: /‹slug›/february-20/")
    title = models.CharField(max_length=200, help_text='As in "February 20 in ‹title›", e.g. "Russian history".')
    region = models.CharField(
        max_length=20,
        choices=REGION_CHOICES,
        default="world",
        help_text="Decides the calendar of a date typed without O.S./N.S.",
    )
    anniversary_policy = models.CharField(max_length=12, choices=POLICY_CHOICES, default="standard")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return address("almanac:collection", (self.slug,))

    def save(self, *args, **kwargs):
        policy_changed = False
        if self.pk:
            old = Collection.objects.filter(pk=self.pk).values_list("anniversary_policy", flat=True).first()
            policy_changed = old is not None and old != self.anniversary_policy
        super().save(*args, **kwargs)
        if policy_changed:
            for entry in self.entries.all():
                entry.sync_memberships()


class Named(Translatable):
    """What a person, a place and a tag share: a name, a unique slug made from it when none is
    given, and a page of the entries that mention it (URL name ``almanac:<model name>``)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True, max_length=100)

    class Meta(Translatable.Meta):
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return address(f"almanac:{self._meta.model_name}", (self.slug,))

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), self.name, self.pk)
        super().save(*args, **kwargs)


class Person(Named):
    description = models.TextField(blank=True)

    class Meta(Named.Meta):
        verbose_name_plural = "people"


class Alias(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    class Meta:
        verbose_name_plural = "aliases"
        constraints = [models.UniqueConstraint(fields=["person", "name"], name="unique_alias")]

    def __str__(self) -> str:
        return self.name


class Place(Named):
    description = models.TextField(blank=True)


class Tag(Named):
    name = models.CharField(max_length=100)


class Entry(Translatable):
    """A dated thing that happened: an event, a birth, a death or a holiday.

    The date is kept as the editor typed it (``date_text``), as EDTF plus calendar (the honest
    reading), and as derived integers: Julian Day Number bounds for sorting and ranges, and
    anniversary keys (month * 100 + day) for day pages.
    """

    # The kinds an importer's record may carry (hodie.importers.records.KINDS, Django-free), as choices.
    Kind = models.TextChoices("Kind", [(kind.upper(), kind) for kind in KINDS])

    collections = models.ManyToManyField(Collection, through="Membership", related_name="entries")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EVENT)
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True, help_text="Markdown.")
    featured = models.BooleanField(default=False, help_text="Listed first among the day's highlights.")

    date_text = models.CharField(max_length=200, help_text="As typed: 1939-02-20, 26 August 1812 O.S., c. 1380 ...")
    edtf = models.CharField(max_length=100, editable=False)
    calendar = models.CharField(
        max_length=10, editable=False, choices=(("gregorian", "Gregorian"), ("julian", "Julian"))
    )
    precision = models.CharField(max_length=10, editable=False)
    earliest_jdn = models.BigIntegerField(null=True, editable=False, db_index=True)
    latest_jdn = models.BigIntegerField(null=True, editable=False)
    year = models.IntegerField(null=True, editable=False, help_text="Astronomical year of the start (-43 = 44 BC).")
    standard_key = models.PositiveSmallIntegerField(null=True, editable=False)
    julian_key = models.PositiveSmallIntegerField(null=True, editable=False)
    observance_key = models.PositiveSmallIntegerField(null=True, editable=False)
    observance_month = models.PositiveSmallIntegerField(null=True, blank=True)
    observance_day = models.PositiveSmallIntegerField(null=True, blank=True)
    policy = models.CharField(
        max_length=12, choices=POLICY_CHOICES, blank=True, help_text="Overrides the collection's anniversary policy."
    )

    people = models.ManyToManyField(Person, blank=True, related_name="entries")
    places = models.ManyToManyField(Place, blank=True, related_name="entries")
    tags = models.ManyToManyField(Tag, blank=True, related_name="entries")
    source_id = models.CharField(max_length=200, unique=True, null=True, blank=True, help_text="Stable import id.")
    import_hash = models.CharField(max_length=40, blank=True, editable=False)
    needs_review = models.BooleanField(
        default=False,
        help_text="Suggested by an importer (e.g. from a post's title); an editor should confirm the date.",
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["earliest_jdn", "pk"]
        verbose_name_plural = "entries"
        # Feeds: the newest entries, read backwards from the index's end, 50 rows whatever the size.
        # (Listings in date order read earliest_jdn's own index: hodie/almanac/keyset.py.)
        # A day under a calendar the reader chooses (?calendar=julian ...), in the day's order: a page
        # of it is read from one of these, not from the whole table (hodie/almanac/days.py). Each
        # costs every import a little (an index row written per entry).
        indexes = [
            models.Index(fields=["created", "id"], name="entry_newest"),
            models.Index(fields=["standard_key", "earliest_jdn", "id"], name="entry_standard_day"),
            models.Index(fields=["julian_key", "earliest_jdn", "id"], name="entry_julian_day"),
            models.Index(fields=["observance_key", "earliest_jdn", "id"], name="entry_observance_day"),
        ]

    def __str__(self) -> str:
        return f"{self.display_year}: {self.title}" if self.display_year else self.title

    def get_absolute_url(self) -> str:
        return address("almanac:entry", (self.slug,))

    # --------------------------------------------------------------- the date
    @property
    def date(self) -> HistoricalDate:
        return parse_edtf(self.edtf, self.calendar)  # type: ignore[arg-type]

    def set_date(self, text: str, region: str = "world", calendar: str | None = None) -> HistoricalDate:
        """Read ``text`` (raising :class:`hodie.dates.HodieError`) into ``edtf`` and ``calendar``;
        :meth:`save` derives the bounds and anniversary keys from them."""
        date = parse_date(text, region=region, calendar=calendar)  # type: ignore[arg-type]
        self.date_text = text.strip()
        self.edtf = date.edtf
        self.calendar = date.calendar
        return date

    def apply_date(self, date: HistoricalDate) -> None:
        """Derive precision, JDN bounds, year and anniversary keys from the stored date."""
        observance = (
            (self.observance_month, self.observance_day) if self.observance_month and self.observance_day else None
        )
        for column, value in zip(FILING_COLUMNS, filing(date, observance), strict=True):
            setattr(self, column, value)

    def key_for(self, policy: str) -> int | None:
        return filing_key(self, self.policy or policy)

    @property
    def display_year(self) -> str:
        """The year of a "YEAR: title" line: 1939, 44 BC; empty when the year is unknown."""
        if self.year is None or self.precision not in ("day", "month", "season", "year"):
            return ""
        return format_year(self.year)

    def display_date(self, language: str = "en", old_style_first: bool = False) -> str:
        return format_date(self.date, language, old_style_first)

    def clean(self) -> None:
        super().clean()
        if bool(self.observance_month) != bool(self.observance_day):
            raise ValidationError("Give both the observance month and day, or neither.")
        if self.observance_month and self.observance_day:
            from hodie.dates import check_month_day

            try:
                check_month_day(self.observance_month, self.observance_day)
            except HodieError as err:
                raise ValidationError({"observance_day": str(err)}) from err

    def save(self, *args, **kwargs):
        if not self.edtf and self.date_text:
            self.set_date(self.date_text)
        if self.edtf:
            self.apply_date(self.date)
        if not self.slug:
            self.slug = unique_slug(Entry, f"{self.year or ''} {self.title}", self.pk)
        super().save(*args, **kwargs)
        if self.pk:
            self.sync_memberships()

    def join(self, collections) -> None:
        """Add the (saved) entry to each collection it is not in yet, filed under that collection's policy."""
        present = set(Membership.objects.filter(entry=self).values_list("collection_id", flat=True))
        for collection in collections:
            if collection.pk not in present:
                Membership(entry=self, collection=collection).save()
                present.add(collection.pk)

    def sync_memberships(self) -> None:
        """Refile the entry's memberships after its date (or a collection's policy) changed: each
        one's day and its copy of the entry's sort key (:class:`Membership`)."""
        for membership in Membership.objects.filter(entry=self).select_related("collection"):
            key = self.key_for(membership.collection.anniversary_policy)
            if (membership.day_key, membership.entry_jdn) != (key, self.earliest_jdn):
                membership.day_key, membership.entry_jdn = key, self.earliest_jdn
                membership.save(update_fields=["day_key", "entry_jdn"])


class Membership(models.Model):
    """An entry in a collection, with the day page it is filed on under that collection's policy.

    A day lists its entries in date order, ``(earliest_jdn, id)`` of the entry. That key is copied
    here (``entry_jdn``, beside ``entry_id``), so that one index, ``(collection, day_key, entry_jdn,
    entry)``, holds each day's entries in the order shown: a page of a day is read from it, 101
    index rows, however many the day holds. Without the copy, the database read all of a day's rows
    and their entries to sort them (3,000 a day in a collection of 1,000,000: docs/benchmarks.md).
    Every writer of a membership or of an entry's date keeps the copy: :meth:`save`,
    :meth:`Entry.sync_memberships` and the import writer's rows (hodie/writer/entries.py).

    The collection's own days go through this table. The entry's day keys are indexed too, for a
    day under a calendar the reader chooses (:class:`Entry`'s indexes). ``collection`` alone is
    not: both composite indexes lead with it.
    """

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, db_index=False)
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE)
    day_key = models.PositiveSmallIntegerField(null=True, editable=False)
    entry_jdn = models.BigIntegerField(
        null=True, editable=False, help_text="A copy of the entry's earliest_jdn: a day's order, in its index."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["collection", "entry"], name="unique_membership")]
        indexes = [models.Index(fields=["collection", "day_key", "entry_jdn", "entry"], name="membership_day_order")]

    def __str__(self) -> str:
        return f"{self.entry} in {self.collection}"

    def save(self, *args, **kwargs):
        self.day_key = self.entry.key_for(self.collection.anniversary_policy)
        self.entry_jdn = self.entry.earliest_jdn
        super().save(*args, **kwargs)


class Source(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="sources")
    url = models.URLField(blank=True, max_length=500)
    title = models.CharField(max_length=300, blank=True)
    publisher = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.title or self.url


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status__in=("published", "scheduled"), publish_at__lte=timezone.now())

    def at_any_url(self, *urls: str):
        """Articles whose permalink or full-text URL is one of ``urls`` (empty ones ignored): the same
        page reached from another source, a blog's export and a partner's feed, say."""
        wanted = [url for url in urls if url]
        if not wanted:
            return self.none()
        return self.filter(models.Q(permalink__in=wanted) | models.Q(full_url__in=wanted))


class Article(Translatable):
    STATUSES = (("draft", "Draft"), ("scheduled", "Scheduled"), ("published", "Published"))
    KINDS = (("article", "Article"), ("page", "Page"))
    MARKUPS = (("markdown", "Markdown"), ("html", "HTML (imported)"))

    kind = models.CharField(max_length=10, choices=KINDS, default="article")
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=100, unique=True)
    excerpt = models.TextField(blank=True, help_text="Markdown. Shown on day pages; a few paragraphs.")
    body = models.TextField(blank=True, help_text="Markdown. Empty when the full text lives on the partner's site.")
    authors = models.ManyToManyField("social.Author", blank=True, related_name="articles")
    partner = models.ForeignKey(
        "social.Partner", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    cowritten = models.BooleanField(default=False, help_text='Shows "written together with ‹partner›".')
    full_url = models.URLField(blank=True, max_length=500, help_text="The full article on the partner's site.")
    status = models.CharField(max_length=10, choices=STATUSES, default="draft")
    publish_at = models.DateTimeField(default=timezone.now)
    entries = models.ManyToManyField(Entry, blank=True, related_name="articles")
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    markup = models.CharField(max_length=10, choices=MARKUPS, default="markdown")
    permalink = models.URLField(blank=True, max_length=500, help_text="Where an imported post used to live.")
    sticky = models.BooleanField(default=False)
    source_id = models.CharField(max_length=200, unique=True, null=True, blank=True)
    import_hash = models.CharField(max_length=40, blank=True, editable=False)
    updated = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at"]
        # An import finds each old link's article by its permalink (it scanned every article per link).
        # An index, not db_index: on SQLite, altering the field would rebuild the table and drop its
        # full-text triggers.
        indexes = [models.Index(fields=["permalink"], name="article_permalink")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return address("almanac:article", (self.slug,))

    def clean(self) -> None:
        super().clean()
        if self.cowritten and not self.partner_id:
            raise ValidationError({"cowritten": "A co-written article names its partner."})
        if not self.body and not self.full_url and self.status != "draft":
            raise ValidationError("A published article needs a body or the URL of its full text.")

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Article, self.title, self.pk)
        super().save(*args, **kwargs)


class HolidayRule(models.Model):
    """A holiday whose day moves: Easter-2, Пасха+39, the second Sunday of March.

    The rule is read by :func:`hodie.dates.recurring.parse_rule`; day pages compute it for the
    year they show, Orthodox Easter by the Julian computus.
    """

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="holiday_rules")
    title = models.CharField(max_length=300)
    rule = models.CharField(max_length=60, help_text="Easter-2, OrthodoxEaster+39, 03/SunSecond, May Sun+2 ...")
    source_id = models.CharField(max_length=200, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.rule})"

    def clean(self) -> None:
        from hodie.dates.recurring import parse_rule

        try:
            parse_rule(self.rule)
        except HodieError as err:
            raise ValidationError({"rule": str(err)}) from err


# The pieces of pages rendered once and kept, by-products of rendering (their own module).
from .stored import EntryLine as EntryLine  # noqa: E402 - it refers to Entry above
from .stored import Fragment as Fragment  # noqa: E402
