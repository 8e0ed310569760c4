from django.contrib import admin

from apps.notifications.models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at", "shown_in_app", "digest_pending"]
    list_filter = ["kind", "read_at", "shown_in_app", "digest_pending"]
    search_fields = ["title", "recipient__email"]
    raw_id_fields = ["recipient"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    """Read-only here: people change their own on «Preferencias de notificación» (audited)."""

    list_display = ["user", "kind", "in_app", "email_immediate", "email_digest", "updated_at"]
    list_filter = ["kind", "in_app", "email_immediate", "email_digest"]
    search_fields = ["user__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
