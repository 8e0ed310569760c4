from django.contrib import admin

from apps.core.models import IdempotencyRecord

admin.site.site_header = "AIT-CORE"
admin.site.site_title = "AIT-CORE"
admin.site.index_title = "Panel de operaciones"


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    list_display = ["created_at", "key", "user_id", "path", "status_code"]
    search_fields = ["key", "path"]
    list_filter = ["status_code"]
