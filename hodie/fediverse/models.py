"""What the fediverse side keeps: each collection's actor (its keys and posting hour), the
accounts that follow it, the posts it made, one row per delivery to a remote inbox, and the
remote actors whose keys signed requests to us."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from hodie.almanac.models import Article, Collection


class Actor(models.Model):
    """A collection's fediverse account. Made on first use, with a fresh RSA key pair."""

    collection = models.OneToOneField(Collection, on_delete=models.CASCADE, related_name="actor")
    enabled = models.BooleanField(default=True, help_text="Off: the account answers 404 and posts nothing.")
    post_hour = models.PositiveSmallIntegerField(
        default=8,
        validators=[MaxValueValidator(23)],
        help_text="The hour (0-23, in the site's time zone, HODIE_TIME_ZONE) of the daily post.",
    )
    summary = models.TextField(blank=True, help_text="The profile's bio; empty: the collection's description.")
    icon_url = models.URLField(blank=True, help_text="The profile picture; empty: the site's icon.")
    public_key_pem = models.TextField(editable=False)
    private_key_pem = models.TextField(editable=False)
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "fediverse account"

    def __str__(self) -> str:
        return f"@{self.collection.slug}"


class Follower(models.Model):
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="followers")
    remote = models.ForeignKey("RemoteActor", on_delete=models.CASCADE, related_name="follows")
    follow_id = models.URLField(max_length=500, help_text="The id of the Follow activity.")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["actor", "remote"], name="follow_once")]

    def __str__(self) -> str:
        return f"{self.remote} follows {self.actor}"


class RemoteActor(models.Model):
    """An account on another server, as its server describes it; its key is what signed requests
    from it are checked against, fetched again when it no longer verifies (keys rotate)."""

    uri = models.URLField(max_length=500, unique=True)
    key_id = models.URLField(max_length=500, unique=True)
    public_key_pem = models.TextField()
    inbox = models.URLField(max_length=500)
    shared_inbox = models.URLField(max_length=500, blank=True)
    username = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    fetched = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.handle

    @property
    def handle(self) -> str:
        from urllib.parse import urlsplit

        return f"@{self.username or '?'}@{urlsplit(self.uri).hostname}"


class Post(models.Model):
    """A Note the actor made: the day's entries (``day``) or an article gone live (``article``)."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="posts")
    day = models.DateField(null=True, blank=True, help_text="The date whose entries the daily Note lists.")
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="fedi_posts")
    content = models.TextField(help_text="The Note's HTML.")
    url = models.URLField(max_length=500, help_text="The page the Note links to.")
    published = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["actor", "day"], name="one_daily_post"),
            models.UniqueConstraint(fields=["actor", "article"], name="one_post_per_article"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.day or self.article}"


class Delivery(models.Model):
    """One activity for one inbox. Each is its own job, so a dead server delays only its own rows."""

    STATUSES = (("queued", "Queued"), ("retrying", "Retrying"), ("sent", "Sent"), ("failed", "Gave up"))

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="deliveries")
    activity_id = models.URLField(max_length=500)
    body = models.TextField(help_text="The JSON sent, exactly as signed.")
    inbox = models.URLField(max_length=500)
    status = models.CharField(max_length=10, choices=STATUSES, default="queued", db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [models.UniqueConstraint(fields=["activity_id", "inbox"], name="deliver_once_per_inbox")]

    def __str__(self) -> str:
        return f"{self.activity_id} → {self.inbox}: {self.status}"
