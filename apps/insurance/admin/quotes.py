"""Admin: quotes. Read and search here; state changes go through the quote services (actions
below), which check the allowed transitions and write the audit trail. Options are read-only."""
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.core.errors import DomainError
from apps.insurance.models import Quote, QuoteOption
from apps.insurance.services.quotes import quote_expire, quote_reject, quote_send


class QuoteOptionInline(admin.TabularInline):
    model = QuoteOption
    extra = 0
    can_delete = False
    fields = ["rank", "product", "eligible", "decline_reason", "net_premium", "ips", "consorcio", "clea",
              "total_premium", "commission_pct"]
    readonly_fields = fields
    ordering = ["rank", "pk"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("product__insurer")


def _run(modeladmin, request, queryset, service, done):
    if not request.user.has_perm("insurance.change_quote"):
        messages.error(request, _("Su rol no permite esta operación."))
        return
    for quote in queryset:
        try:
            service(actor=request.user, quote=quote)
        except DomainError as exc:
            messages.error(request, f"{quote.number}: {exc.message}")
        else:
            messages.success(request, done % quote.number)


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["number", "client", "line", "state", "effective_date", "valid_until", "owner", "created_at"]
    list_filter = ["state", "line", "advice_kind"]
    search_fields = ["number", "client__display_name", "client__tax_id", "risk_summary"]
    list_select_related = ["client", "line", "owner"]
    date_hierarchy = "created_at"
    readonly_fields = ["number", "client", "line", "owner", "state", "effective_date", "valid_until", "risk_data",
                       "risk_summary", "demands_and_needs", "needs_statement", "advice_kind",
                       "objective_analysis_statement", "accepted_option", "sent_at", "decided_at", "notes",
                       "created_at", "created_by", "updated_at", "updated_by", "version"]
    inlines = [QuoteOptionInline]
    actions = ["send_quotes", "reject_quotes", "expire_overdue"]

    def has_add_permission(self, request):
        return False  # quotes are rated by the service: the «Proyectos» pages or the API

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_l("Marcar como enviados"), permissions=["view"])
    def send_quotes(self, request, queryset):
        _run(self, request, queryset, quote_send, _("Proyecto %s enviado."))

    @admin.action(description=_l("Rechazar"), permissions=["view"])
    def reject_quotes(self, request, queryset):
        _run(self, request, queryset, quote_reject, _("Proyecto %s rechazado."))

    @admin.action(description=_l("Caducar los enviados fuera de plazo (todos)"), permissions=["view"])
    def expire_overdue(self, request, queryset):
        if not request.user.has_perm("insurance.change_quote"):
            messages.error(request, _("Su rol no permite esta operación."))
            return
        count = quote_expire(actor=request.user)
        messages.success(request, _("%d proyectos caducados.") % count)
