"""Moderation, the suggestion queue and the Webmention logs in the admin."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from hodie.almanac import fragments
from hodie.almanac.markup import plain_text
from hodie.site import caching

from .jobs import poll_partner
from .models import Author, Comment, FeedState, Mention, Partner, Sent, Suggestion
from .partners import accept


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("author_name", "short_body", "target_label", "status", "comment_type", "badge", "created")
    list_filter = ("status", "comment_type", "badge")
    search_fields = ("author_name", "author_email", "body", "source_url")
    date_hierarchy = "created"
    raw_id_fields = ("article", "entry", "parent")
    actions = ["approve", "mark_spam", "move_to_trash"]
    readonly_fields = ("ip_hash", "import_hash", "source_id", "notified")

    @admin.display(description="Comment")
    def short_body(self, obj: Comment) -> str:
        return obj.body[:80]

    def _set(self, request: HttpRequest, queryset: QuerySet[Comment], status: str, label: str) -> None:
        count = queryset.update(status=status)
        caching.bump()  # update() sends no signal; approved, spam or trash, the pages change
        fragments.comments_changed()  # ... and the stored comment blocks
        self.message_user(request, f"{count} comment(s) {label}.", messages.SUCCESS)

    @admin.action(description="Approve the selected comments")
    def approve(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._set(request, queryset, "approved", "approved")

    @admin.action(description="Mark the selected comments as spam")
    def mark_spam(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._set(request, queryset, "spam", "marked as spam")

    @admin.action(description="Move the selected comments to the trash")
    def move_to_trash(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._set(request, queryset, "trash", "moved to the trash")


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ("title", "excerpt_preview", "partner", "published", "entry_date", "collection", "status")
    list_filter = ("status", "partner")
    search_fields = ("title", "link")
    readonly_fields = ("guid", "found", "article")
    actions = ["make_excerpt", "make_cowritten_excerpt", "dismiss"]

    @admin.display(description="Excerpt")
    def excerpt_preview(self, suggestion: Suggestion) -> str:
        """The excerpt's opening words as plain text, so an editor can judge it from the list."""
        text = plain_text(suggestion.excerpt)
        return text if len(text) <= 180 else text[:179].rsplit(" ", 1)[0] + "…"

    def _accept(self, request: HttpRequest, queryset: QuerySet[Suggestion], cowritten: bool) -> None:
        made = [accept(s, cowritten=cowritten) for s in queryset.select_related("partner", "collection")]
        self.message_user(
            request,
            f"{len(made)} excerpt article(s) published; their entries are marked for review.",
            messages.SUCCESS,
        )

    @admin.action(description="Publish as excerpt articles")
    def make_excerpt(self, request: HttpRequest, queryset: QuerySet[Suggestion]) -> None:
        self._accept(request, queryset, cowritten=False)

    @admin.action(description="Publish as excerpt articles written together with the partner")
    def make_cowritten_excerpt(self, request: HttpRequest, queryset: QuerySet[Suggestion]) -> None:
        self._accept(request, queryset, cowritten=True)

    @admin.action(description="Dismiss")
    def dismiss(self, request: HttpRequest, queryset: QuerySet[Suggestion]) -> None:
        queryset.filter(status="new").update(status="dismissed")


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ("source", "target", "status", "detail", "received", "verified_at")
    list_filter = ("status",)
    readonly_fields = ("comment",)


@admin.register(Sent)
class SentAdmin(admin.ModelAdmin):
    list_display = ("target", "source", "status", "endpoint", "attempts", "response_status", "updated")
    list_filter = ("status",)


@admin.register(FeedState)
class FeedStateAdmin(admin.ModelAdmin):
    list_display = ("partner", "polled_at", "last_status", "etag", "last_modified")


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ("name", "site_url", "feed_url")
    prepopulated_fields = {"slug": ("name",)}
    actions = ["poll_now"]

    @admin.action(description="Poll the selected partners' feeds (in the background)")
    def poll_now(self, request: HttpRequest, queryset: QuerySet[Partner]) -> None:
        for partner in queryset:
            poll_partner.enqueue(partner.pk)
        self.message_user(request, f"{queryset.count()} poll(s) queued; see Suggestions.", messages.SUCCESS)


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ("name", "partner")
