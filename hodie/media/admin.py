from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import ImageHost, MediaFile


@admin.action(description="Fetch again (a job for hodie worker), and copy the posts' other images")
def fetch_again(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[MediaFile]) -> None:
    from .jobs import copy_images

    copy_images.enqueue(retry_ids=list(queryset.values_list("pk", flat=True)))
    modeladmin.message_user(request, "Queued: hodie worker fetches them and rewrites the posts.", messages.SUCCESS)


@admin.register(MediaFile)
class MediaFileAdmin(admin.ModelAdmin):
    actions = [fetch_again]
    list_display = ("source_url", "status", "file", "size", "fetched_at")
    list_filter = ("status",)
    search_fields = ("source_url", "file", "title")
    readonly_fields = ("file", "content_type", "size", "sha256", "fetched_at")


@admin.register(ImageHost)
class ImageHostAdmin(admin.ModelAdmin):
    list_display = ("host", "allowed", "note")
    list_editable = ("allowed",)
    search_fields = ("host",)
