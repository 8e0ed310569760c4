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


class OneRowPerBrokerageAdmin(admin.ModelAdmin):
    """Settings kept as one row per brokerage: addable once, and never from the platform admin (public
    schema), which lists tenant models too but has no such table."""

    def has_add_permission(self, request):
        from django.db import connection
        from django_tenants.utils import get_public_schema_name

        return (super().has_add_permission(request) and connection.schema_name != get_public_schema_name()
                and not self.model.objects.exists())
