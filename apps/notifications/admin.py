from django.contrib import admin

from apps.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at"]
    list_filter = ["kind", "read_at"]
    search_fields = ["title", "recipient__email"]
    raw_id_fields = ["recipient"]
