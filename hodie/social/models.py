"""What the partner loop and Webmention keep between jobs."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from hodie.almanac.models import Article, Collection, Comment, Partner


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
