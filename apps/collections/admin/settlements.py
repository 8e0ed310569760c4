"""Admin: settlements with insurers and collaborators, read-only. They are closed and paid through
the services (the «Liquidaciones» pages or the API), never edited or deleted here: the rows
they took point at them. Links go to the settlement page, its PDF and its entry."""
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _l

from apps.collections.models import CollaboratorSettlement, Settlement


def _url(name: str, pk) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


class _ReadOnlySettlementAdmin(admin.ModelAdmin):
    page_key = ""
    date_hierarchy = "period_end"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_l("enlaces"))
    def links(self, obj):
        page = _url(f"collections:{self.page_key}-detail", obj.pk)
        pdf = _url(f"collections:{self.page_key}-pdf", obj.pk)
        entry = _url("accounting:entry-detail", obj.entry_id) if obj.entry_id else ""
        parts = [format_html('<a href="{}">{}</a>', url, label) for url, label in
                 ((page, _l("ficha")), (pdf, "PDF"), (entry, _l("asiento"))) if url]
        return format_html(" · ".join(["{}"] * len(parts)), *parts) if parts else "—"


@admin.register(Settlement)
class SettlementAdmin(_ReadOnlySettlementAdmin):
    page_key = "settlement"
    list_display = ["number", "insurer", "period_start", "period_end", "date", "premiums_collected",
                    "commission_total", "amount_due", "state", "paid_on", "links"]
    list_filter = ["state", "insurer"]
    search_fields = ["number", "insurer__name"]
    list_select_related = ["insurer"]


@admin.register(CollaboratorSettlement)
class CollaboratorSettlementAdmin(_ReadOnlySettlementAdmin):
    page_key = "collaborator-settlement"
    list_display = ["number", "collaborator", "period_start", "period_end", "date", "commission_total",
                    "withholding", "amount_due", "state", "paid_on", "links"]
    list_filter = ["state"]
    search_fields = ["number", "collaborator__code", "collaborator__party__display_name"]
    list_select_related = ["collaborator__party"]
