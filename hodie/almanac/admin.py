"""The editors' admin. The entry form reads the date as it is typed and shows how it was read
(both calendars and the day page it lands on) before anything is saved."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import path

from hodie.dates import HodieError
from hodie.dates.names import EN_MONTHS

from .models import (
    LANGUAGE_CHOICES,
    Alias,
    Article,
    Collection,
    Entry,
    HolidayRule,
    Membership,
    Person,
    Place,
    Source,
    Tag,
)
from .reading import explain
from .translation_forms import TranslatedAdmin, with_translations
from .translations import untranslated


class MissingTranslation(admin.SimpleListFilter):
    """What is not yet in a language: written in another, its main text (title, name) not translated."""

    title = "translation"
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [(code, f"not in {name}") for code, name in LANGUAGE_CHOICES]

    def queryset(self, request, queryset):
        if self.value() in dict(LANGUAGE_CHOICES):
            return queryset.filter(untranslated(queryset.model, self.value()))
        return queryset


@admin.register(Collection)
class CollectionAdmin(TranslatedAdmin):
    form = with_translations(Collection)
    list_display = ("title", "slug", "region", "anniversary_policy", "language")
    list_filter = ("language", MissingTranslation)
    prepopulated_fields = {"slug": ("title",)}


@admin.register(HolidayRule)
class HolidayRuleAdmin(admin.ModelAdmin):
    """Moving holidays (Easter-2, 03/SunSecond): the Wikimedia API's summaries link here to edit one."""

    list_display = ("title", "rule", "collection")
    list_filter = ("collection",)


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1


@admin.register(Person)
class PersonAdmin(TranslatedAdmin):
    form = with_translations(Person)
    list_display = ("name", "slug", "language")
    list_filter = ("language", MissingTranslation)
    search_fields = ("name", "aliases__name")
    inlines = [AliasInline]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Place)
class PlaceAdmin(TranslatedAdmin):
    form = with_translations(Place)
    list_filter = ("language", MissingTranslation)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tag)
class TagAdmin(TranslatedAdmin):
    form = with_translations(Tag)
    list_filter = ("language", MissingTranslation)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class SourceInline(admin.TabularInline):
    model = Source
    extra = 1


CALENDAR_CHOICES = (
    ("", "As the collection's region decides"),
    ("julian", "Julian (Old Style)"),
    ("gregorian", "Gregorian (New Style)"),
)


class EntryForm(with_translations(Entry)):  # type: ignore[misc]
    in_collections = forms.ModelMultipleChoiceField(
        queryset=Collection.objects.all(),
        label="Collections",
        help_text="The first one's region decides the calendar of a date typed without O.S./N.S.",
    )
    calendar_choice = forms.ChoiceField(choices=CALENDAR_CHOICES, required=False, label="Calendar")

    class Meta:
        model = Entry
        fields = (
            "title", "kind", "date_text", "calendar_choice", "summary", "body", "featured",
            "policy", "observance_month", "observance_day", "people", "places", "tags", "slug", "language",
        )  # fmt: skip
        widgets = {"date_text": forms.TextInput(attrs={"class": "vTextField hodie-date", "autocomplete": "off"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        # Left empty, an entry is in the language of the first collection it is filed in.
        self.fields["language"].required = False
        if self.instance.pk:
            self.fields["in_collections"].initial = list(self.instance.collections.all())

    def clean(self):
        data = super().clean()
        text = data.get("date_text")
        chosen = data.get("in_collections")
        if not data.get("language"):
            data["language"] = self.instance.language = chosen[0].language if chosen else "en"
        if text:
            region = chosen[0].region if chosen else "world"
            try:
                self.instance.set_date(text, region=region, calendar=data.get("calendar_choice") or None)
            except HodieError as err:
                self.add_error("date_text", str(err))
        return data


@admin.register(Entry)
class EntryAdmin(TranslatedAdmin):
    form = EntryForm
    list_display = ("title", "kind", "date_text", "both_dates", "on_day", "featured", "needs_review")
    list_filter = (
        "needs_review",
        "kind",
        "calendar",
        "precision",
        "collections",
        "featured",
        "language",
        MissingTranslation,
    )
    search_fields = ("title", "summary", "date_text", "edtf")
    autocomplete_fields = ("people", "places", "tags")
    readonly_fields = ("how_read",)
    inlines = [SourceInline]
    fieldsets = (
        (None, {"fields": ("title", "kind", "date_text", "calendar_choice", "how_read", "in_collections")}),
        ("Text", {"fields": ("summary", "body", "featured")}),
        ("Languages", {"fields": ("language",)}),
        ("Anniversary", {"fields": ("policy", "observance_month", "observance_day"), "classes": ("collapse",)}),
        ("Links", {"fields": ("people", "places", "tags", "slug")}),
    )

    class Media:
        js = ("hodie/admin/date-preview.js",)

    @admin.display(description="Both dates")
    def both_dates(self, obj: Entry) -> str:
        """The date in both calendars, as read in the collection's region (20 February 1700 O.S. /
        3 March N.S.): what a reviewer checks an imported day post's event against."""
        return obj.display_date("en")

    @admin.display(description="Posted under")
    def on_day(self, obj: Entry) -> str:
        """The day the entry is observed on, when it is pinned to one (a day post's day), else —."""
        if obj.observance_month and obj.observance_day:
            return f"{obj.observance_day} {EN_MONTHS[obj.observance_month - 1]}"
        return "—"

    @admin.display(description="How the date was read")
    def how_read(self, obj: Entry) -> str:
        if not obj.pk:
            return "—"
        return f"{obj.display_date('en')} · {obj.display_date('ru')} · EDTF {obj.edtf} ({obj.calendar})"

    def get_urls(self):
        return [
            path("read-date/", self.admin_site.admin_view(self.read_date), name="almanac_entry_read_date"),
            *super().get_urls(),
        ]

    def read_date(self, request: HttpRequest) -> JsonResponse:
        """JSON: how ``text`` reads in collection ``collection`` (the form's live preview)."""
        pk = request.GET.get("collection", "")
        collection = Collection.objects.filter(pk=int(pk)).first() if pk.isascii() and pk.isdigit() else None
        text = request.GET.get("text", "")[:200]
        return JsonResponse(explain(text, collection, request.GET.get("calendar") or None))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        entry = form.instance
        wanted = list(form.cleaned_data["in_collections"])
        Membership.objects.filter(entry=entry).exclude(collection__in=wanted).delete()
        entry.join(wanted)


class DayPageFilter(admin.SimpleListFilter):
    """Imported posts that named no day (no entry links them to a day page), for an editor to place."""

    title = "day page"
    parameter_name = "day_page"

    def lookups(self, request, model_admin):
        return (("none", "on no day page"), ("some", "on a day page"))

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(kind="article", entries__isnull=True)
        if self.value() == "some":
            return queryset.filter(entries__isnull=False).distinct()
        return queryset


@admin.register(Article)
class ArticleAdmin(TranslatedAdmin):
    form = with_translations(Article)
    list_display = ("title", "status", "publish_at", "partner", "cowritten")
    list_filter = ("status", DayPageFilter, "partner", "language", MissingTranslation)
    search_fields = ("title", "excerpt", "body")
    autocomplete_fields = ("entries",)
    filter_horizontal = ("authors",)
    prepopulated_fields = {"slug": ("title",)}
