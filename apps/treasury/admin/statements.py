"""Admin: Norma 43 statements, their movements and reconciliations. Imports and reconciliations go
through the services (actions below); movements are read-only here."""
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.core.errors import DomainError
from apps.treasury.models import Reconciliation, Statement, StatementLine
from apps.treasury.services.reconciliation import reconcile_auto, reconcile_confirm, reconcile_undo

RECONCILE = "treasury.change_statementline"


def _allowed(request) -> bool:
    if request.user.has_perm(RECONCILE):
        return True
    messages.error(request, _("Su rol no permite esta operación."))
    return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ["bank_account", "start_date", "end_date", "opening_balance", "closing_balance", "file_name",
                    "imported_at", "imported_by"]
    list_filter = ["bank_account"]
    search_fields = ["file_name", "bank_account__iban", "bank_account__name"]
    list_select_related = ["bank_account", "imported_by"]
    date_hierarchy = "end_date"


@admin.register(StatementLine)
class StatementLineAdmin(ReadOnlyAdmin):
    list_display = ["operation_date", "value_date", "amount", "description", "reference1", "state", "bank_account"]
    list_filter = ["state", "bank_account", "common_concept"]
    search_fields = ["description", "reference1", "reference2", "document_number"]
    list_select_related = ["bank_account"]
    date_hierarchy = "operation_date"
    show_full_result_count = False
    actions = ["reconcile_selected"]

    @admin.action(description=_l("Conciliar automáticamente los movimientos seleccionados"))
    def reconcile_selected(self, request, queryset):
        if not _allowed(request):
            return
        try:
            summary = reconcile_auto(actor=request.user, lines=list(queryset.values_list("pk", flat=True)))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Conciliados: %(r)d · propuestos: %(p)d · pendientes: %(n)d.") % {
                "r": summary.reconciled, "p": summary.proposed, "n": summary.pending})


@admin.register(Reconciliation)
class ReconciliationAdmin(ReadOnlyAdmin):
    list_display = ["line", "target_type", "target_id", "amount", "rule", "score", "confirmed", "entry", "posted",
                    "created_at", "undone_at"]
    list_filter = ["rule", "confirmed", "target_type"]
    search_fields = ["line__description", "line__reference1"]
    list_select_related = ["line", "target_type", "entry"]
    actions = ["confirm_selected", "undo_selected"]

    def _each(self, request, queryset, call, success: str):
        if not _allowed(request):
            return
        for reconciliation in queryset:
            try:
                call(reconciliation)
            except DomainError as exc:
                messages.error(request, f"{reconciliation.line}: {exc.message}")
            else:
                messages.success(request, success % reconciliation.line)

    @admin.action(description=_l("Confirmar las conciliaciones seleccionadas"))
    def confirm_selected(self, request, queryset):
        self._each(request, queryset, lambda r: reconcile_confirm(actor=request.user, reconciliation=r),
                   _("Conciliación confirmada: %s."))

    @admin.action(description=_l("Deshacer las conciliaciones seleccionadas"))
    def undo_selected(self, request, queryset):
        self._each(request, queryset, lambda r: reconcile_undo(actor=request.user, reconciliation=r),
                   _("Conciliación deshecha: %s."))
