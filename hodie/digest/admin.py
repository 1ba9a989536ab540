from django.contrib import admin

from .models import Delivery, Subscriber


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ("date", "status", "sent_at", "attempts", "error")
    readonly_fields = fields
    ordering = ("-date",)

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ("email", "collection", "status", "hour", "time_zone", "confirmed_at", "disabled_reason")
    list_filter = ("status", "collection")
    search_fields = ("email", "name")
    readonly_fields = ("confirmed_at", "changed_at", "disabled_reason")
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("subscriber", "date", "status", "sent_at", "attempts", "error")
    list_filter = ("status", "date")
    search_fields = ("subscriber__email",)
    readonly_fields = ("subscriber", "date", "message_id", "touched", "attempts", "sent_at", "error")
