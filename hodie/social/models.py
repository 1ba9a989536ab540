"""The partners whose articles the site carries, the authors who write them, readers' comments,
and what the partner loop and Webmention keep between jobs."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone

from hodie.almanac.models import Article, Collection, Entry
from hodie.dates import format_day

# U+202A-U+202E (embeddings, overrides) and U+2066-U+2069 (isolates): dropped from names on display.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


class Partner(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(unique=True)
    site_url = models.URLField(blank=True)
    feed_url = models.URLField(blank=True)
    attribution = models.CharField(
        max_length=300, blank=True, help_text='e.g. "written together with ExecutedToday.com"'
    )
    description = models.TextField(blank=True)

    class Meta:
        db_table = "almanac_partner"  # created by the almanac app, moved here state-only (0003)
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Author(models.Model):
    name = models.CharField(max_length=200, unique=True)
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.SET_NULL)
    url = models.URLField(blank=True)

    class Meta:
        db_table = "almanac_author"  # created by the almanac app, moved here state-only (0003)
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Comment(models.Model):
    """A reader's comment on an article, an entry or a day page: imported, posted through the
    site's form, or received as a Webmention from another site."""

    STATUSES = (("approved", "Approved"), ("pending", "Pending"), ("spam", "Spam"), ("trash", "Trash"))
    TYPES = (
        ("comment", "Comment"), ("pingback", "Pingback"), ("trackback", "Trackback"), ("webmention", "Webmention"),
        ("reply", "Reply (Webmention)"), ("like", "Like (Webmention)"), ("repost", "Repost (Webmention)"),
        ("mention", "Mention (Webmention)"),
    )  # fmt: skip
    MARKUPS = (("text", "Plain text"), ("markdown", "Markdown"), ("html", "HTML (imported)"))
    BADGES = (("", "None"), ("partner", "Partner"), ("author", "Author"))

    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    entry = models.ForeignKey(Entry, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    collection = models.ForeignKey(
        Collection, null=True, blank=True, on_delete=models.CASCADE, related_name="day_comments"
    )
    day_key = models.PositiveSmallIntegerField(null=True, blank=True, help_text="MMDD of a day page's comments.")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies")
    author_name = models.CharField(max_length=200, blank=True)
    author_email = models.EmailField(blank=True, help_text="Never shown.")
    author_url = models.URLField(blank=True, max_length=500)
    body = models.TextField()
    markup = models.CharField(max_length=10, choices=MARKUPS, default="text")
    status = models.CharField(max_length=10, choices=STATUSES, default="pending", db_index=True)
    comment_type = models.CharField(max_length=12, choices=TYPES, default="comment")
    badge = models.CharField(max_length=10, choices=BADGES, default="", blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    source_id = models.CharField(max_length=200, unique=True, null=True, blank=True)
    source_url = models.URLField(blank=True, max_length=500, help_text="The page a Webmention came from.")
    import_hash = models.CharField(max_length=40, blank=True, editable=False)
    ip_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    notified = models.BooleanField(default=False, editable=False)
    # The body as safe HTML, rendered once when the comment is stored (save), so that a page or a
    # feed never pays for a pathological text; "" for a row stored before this column existed.
    html = models.TextField(blank=True, editable=False)

    class Meta:
        db_table = "almanac_comment"  # created by the almanac app, moved here state-only (0003)
        ordering = ["created", "pk"]
        constraints = [
            models.CheckConstraint(
                name="comment_has_one_target",
                condition=(
                    models.Q(article__isnull=False, entry__isnull=True, collection__isnull=True)
                    | models.Q(article__isnull=True, entry__isnull=False, collection__isnull=True)
                    | models.Q(
                        article__isnull=True, entry__isnull=True, collection__isnull=False, day_key__isnull=False
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.author_name or 'Anonymous'} on {self.target_label}"

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> Comment:
        comment = super().from_db(db, field_names, values)
        if "html" in field_names and comment.html:  # never load a deferred column for this
            comment._html_of = (comment.body, comment.markup)
        return comment

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "html" in kwargs and self.html:  # rendered by the caller from this very body
            self._html_of = (self.body, self.markup)

    def save(self, *args: Any, **kwargs: Any) -> None:
        from hodie.almanac.markup import render_comment_source  # markup is a leaf; imported late all the same

        if getattr(self, "_html_of", None) != (self.body, self.markup):  # rendered once per text
            self.html = str(render_comment_source(self.body, self.markup))
            self._html_of = (self.body, self.markup)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "html"}
        super().save(*args, **kwargs)

    @property
    def shown_name(self) -> str:
        """The author's name as pages show it: the bidirectional overrides and isolates removed, so a
        name cannot reverse the text after it (``U+202E``) or pass for another."""
        return (self.author_name or "").translate(BIDI_CONTROLS)

    @property
    def target_label(self) -> str:
        if self.article_id:
            return str(self.article)
        if self.entry_id:
            return str(self.entry)
        if self.collection_id and self.day_key:
            return f"{self.collection} {format_day(self.day_key // 100, self.day_key % 100)}"
        return "?"

    def target_url(self) -> str:
        if self.article_id:
            return self.article.get_absolute_url()  # type: ignore[union-attr]
        if self.entry_id:
            return self.entry.get_absolute_url()  # type: ignore[union-attr]
        from hodie.almanac.days import day_slug  # days imports the almanac models

        assert self.collection is not None and self.day_key is not None
        return reverse("almanac:day", args=[self.collection.slug, day_slug(self.day_key // 100, self.day_key % 100)])

    def get_absolute_url(self) -> str:
        return f"{self.target_url()}#comment-{self.pk}"

    @property
    def depth(self) -> int:
        depth, node = 1, self
        while node.parent_id and depth < 50:
            node = node.parent  # type: ignore[assignment]
            depth += 1
        return depth


class FeedState(models.Model):
    """A partner feed's conditional-GET state. It advances only after the items it announced
    are stored, so a poll killed halfway asks for the same items again."""

    partner = models.OneToOneField(Partner, on_delete=models.CASCADE, related_name="feed_state")
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    polled_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.partner}: {self.last_status or 'never polled'}"


class Suggestion(models.Model):
    """An item of a partner's feed, waiting for an editor to make it an excerpt article."""

    STATUSES = (("new", "New"), ("accepted", "Accepted"), ("dismissed", "Dismissed"))

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="suggestions")
    guid = models.CharField(max_length=500)
    title = models.CharField(max_length=300)
    link = models.URLField(max_length=500)
    excerpt = models.TextField(blank=True, help_text="Sanitised HTML: the first paragraphs.")
    published = models.DateTimeField(null=True, blank=True)
    entry_date = models.CharField(
        max_length=100, blank=True, help_text="Suggested from the title's year and the item's day; confirm it."
    )
    entry_title = models.CharField(max_length=300, blank=True)
    collection = models.ForeignKey(Collection, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(max_length=10, choices=STATUSES, default="new", db_index=True)
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL)
    found = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published", "-pk"]
        constraints = [models.UniqueConstraint(fields=["partner", "guid"], name="suggestion_once_per_item")]

    def __str__(self) -> str:
        return self.title


class Mention(models.Model):
    """A Webmention received: verified by a job, shown through its comment."""

    STATUSES = (
        ("queued", "Queued"), ("verified", "Verified"), ("refused", "Refused"), ("deleted", "Deleted"),
    )  # fmt: skip

    source = models.URLField(max_length=500)
    target = models.URLField(max_length=500)
    status = models.CharField(max_length=10, choices=STATUSES, default="queued")
    detail = models.CharField(max_length=500, blank=True)
    comment = models.OneToOneField(Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="mention")
    received = models.DateTimeField(default=timezone.now)
    # For the budgets: who sent it (keyed hash of the address) and the source's host name.
    client = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    source_host = models.CharField(max_length=255, blank=True, editable=False, db_index=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "received Webmention"
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="mention_once_per_pair")]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


class Sent(models.Model):
    """A Webmention we send for a link in one of our articles: one row per (source, target)."""

    STATUSES = (
        ("queued", "Queued"), ("sent", "Sent"), ("no-endpoint", "No endpoint"), ("failed", "Failed"),
        ("retrying", "Retrying"),
    )  # fmt: skip

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="webmentions_sent")
    source = models.URLField(max_length=500)
    target = models.URLField(max_length=500)
    endpoint = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=12, choices=STATUSES, default="queued")
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "sent Webmention"
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="sent_once_per_pair")]

    def __str__(self) -> str:
        return f"{self.source} → {self.target} ({self.status})"


class Announced(models.Model):
    """An article whose Webmentions were queued: a scheduled article is announced once its time
    has come (by ``hodie worker``), and never twice."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="announced")
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.article} ({self.at:%Y-%m-%d %H:%M})"
