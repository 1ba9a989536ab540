"""The accounts (posting hour, profile), their followers, posts and deliveries in the admin."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Actor, Delivery, Follower, Post, RemoteActor


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ("__str__", "collection", "enabled", "post_hour", "follower_count")
    list_editable = ("enabled", "post_hour")
    fields = ("collection", "enabled", "post_hour", "summary", "icon_url", "public_key_pem", "created")
    readonly_fields = ("public_key_pem", "created")

    @admin.display(description="Followers")
    def follower_count(self, obj: Actor) -> int:
        return obj.followers.count()

    def get_readonly_fields(self, request: HttpRequest, obj: Actor | None = None) -> tuple[str, ...]:
        # An account's address is its collection's slug: moving it to another collection would
        # hand its followers to a different account.
        return (*self.readonly_fields, "collection") if obj else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Actor, form, change: bool) -> None:  # type: ignore[no-untyped-def]
        if not obj.private_key_pem:
            from .signatures import generate_keys

            obj.private_key_pem, obj.public_key_pem = generate_keys()
        super().save_model(request, obj, form, change)


@admin.register(Follower)
class FollowerAdmin(admin.ModelAdmin):
    list_display = ("remote", "actor", "created")
    list_filter = ("actor",)
    readonly_fields = ("actor", "remote", "follow_id", "created")


@admin.register(RemoteActor)
class RemoteActorAdmin(admin.ModelAdmin):
    list_display = ("handle", "name", "uri", "fetched")
    search_fields = ("uri", "username", "name")
    readonly_fields = ("uri", "key_id", "public_key_pem", "inbox", "shared_inbox", "fetched")


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("actor", "day", "article", "published")
    list_filter = ("actor",)
    readonly_fields = ("actor", "day", "article", "content", "url", "published")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("activity_id", "inbox", "status", "attempts", "last_error", "updated")
    list_filter = ("status",)
    readonly_fields = ("actor", "activity_id", "body", "inbox", "status", "attempts", "last_error", "created")
