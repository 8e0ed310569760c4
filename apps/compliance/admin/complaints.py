"""Admin of the customer service's complaints: read-only (the «Cumplimiento» pages and the API create and
resolve them through the services)."""
from django.contrib import admin

from apps.compliance.admin.gdpr import ReadOnlyAdmin
from apps.compliance.models import Complaint


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "party", "received_on", "deadline", "state", "outcome", "resolved_on",
                    "amount_claimed", "amount_granted"]
    list_filter = ["kind", "state", "outcome", "reason", "is_consumer"]
    search_fields = ["number", "party__display_name"]
    list_select_related = ["party"]
    date_hierarchy = "received_on"
