"""The editors' admin. The entry form reads the date as it is typed and shows how it was read
(both calendars and the day page it lands on) before anything is saved."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import path

from hodie.dates import HodieError

from .models import Alias, Article, Author, Collection, Entry, Membership, Partner, Person, Place, Source, Tag
from .reading import explain


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "region", "anniversary_policy", "language")
    prepopulated_fields = {"slug": ("title",)}


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ("name", "site_url", "feed_url")
    prepopulated_fields = {"slug": ("name",)}


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "aliases__name")
    inlines = [AliasInline]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ("name", "partner")


class SourceInline(admin.TabularInline):
    model = Source
    extra = 1


CALENDAR_CHOICES = (
    ("", "As the collection's region decides"),
    ("julian", "Julian (Old Style)"),
    ("gregorian", "Gregorian (New Style)"),
)


class EntryForm(forms.ModelForm):
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
            "policy", "observance_month", "observance_day", "people", "places", "tags", "slug",
        )  # fmt: skip
        widgets = {"date_text": forms.TextInput(attrs={"class": "vTextField hodie-date", "autocomplete": "off"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        if self.instance.pk:
            self.fields["in_collections"].initial = list(self.instance.collections.all())

    def clean(self):
        data = super().clean()
        text = data.get("date_text")
        chosen = data.get("in_collections")
        if text:
            region = chosen[0].region if chosen else "world"
            try:
                self.instance.set_date(text, region=region, calendar=data.get("calendar_choice") or None)
            except HodieError as err:
                self.add_error("date_text", str(err))
        return data


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    form = EntryForm
    list_display = ("title", "kind", "date_text", "edtf", "calendar", "standard_key", "featured")
    list_filter = ("kind", "calendar", "precision", "collections", "featured")
    search_fields = ("title", "summary", "date_text", "edtf")
    autocomplete_fields = ("people", "places", "tags")
    readonly_fields = ("how_read",)
    inlines = [SourceInline]
    fieldsets = (
        (None, {"fields": ("title", "kind", "date_text", "calendar_choice", "how_read", "in_collections")}),
        ("Text", {"fields": ("summary", "body", "featured")}),
        ("Anniversary", {"fields": ("policy", "observance_month", "observance_day"), "classes": ("collapse",)}),
        ("Links", {"fields": ("people", "places", "tags", "slug")}),
    )

    class Media:
        js = ("hodie/admin/date-preview.js",)

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
        collection = Collection.objects.filter(pk=request.GET.get("collection") or 0).first()
        text = request.GET.get("text", "")[:200]
        return JsonResponse(explain(text, collection, request.GET.get("calendar") or None))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        entry = form.instance
        wanted = list(form.cleaned_data["in_collections"])
        Membership.objects.filter(entry=entry).exclude(collection__in=wanted).delete()
        entry.join(wanted)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "publish_at", "partner", "cowritten")
    list_filter = ("status", "partner")
    search_fields = ("title", "excerpt", "body")
    autocomplete_fields = ("entries",)
    filter_horizontal = ("authors",)
    prepopulated_fields = {"slug": ("title",)}
