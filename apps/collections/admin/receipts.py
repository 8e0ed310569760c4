"""Admin: receipts and their money movements. Read, search and filter here; a receipt changes only
through apps.collections.services.receipts (the «cancel» action below calls receipt_cancel).
ReceiptMovement is a ledger: no add, change or delete, here or anywhere."""
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.collections.models import Receipt, ReceiptMovement
from apps.collections.services.receipts import receipt_cancel
from apps.core.errors import DomainError


class LedgerAdminMixin:
    """Rows of a ledger are written by services only and never edited or deleted."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReceiptMovementInline(LedgerAdminMixin, admin.TabularInline):
    model = ReceiptMovement
    extra = 0
    fields = ["date", "kind", "amount", "collector", "channel", "reason", "settlement", "entry", "created_at",
              "created_by"]
    readonly_fields = fields
    ordering = ["date", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("settlement", "entry", "created_by")


@admin.register(Receipt)
class ReceiptAdmin(admin.ModelAdmin):
    list_display = ["number", "policy", "insurer", "policyholder", "due_date", "total_premium", "collected_amount",
                    "state", "collector"]
    list_filter = ["state", "collector", "kind", "insurer", "line", "is_first_premium"]
    search_fields = ["number", "insurer_number", "policy__number", "policyholder__display_name",
                     "policyholder__tax_id"]
    list_select_related = ["policy", "insurer", "policyholder"]
    date_hierarchy = "due_date"
    show_full_result_count = False
    readonly_fields = [field.name for field in Receipt._meta.fields]
    inlines = [ReceiptMovementInline]
    actions = ["cancel_receipts"]

    def has_add_permission(self, request):
        return False  # generated from the policy (issue, endorsement, renewal)

    def has_delete_permission(self, request, obj=None):
        return False  # a receipt is cancelled, never deleted

    @admin.action(description=_l("Anular los recibos seleccionados (fecha de hoy)"))
    def cancel_receipts(self, request, queryset):
        if not request.user.has_perm("collections.change_receipt"):
            messages.error(request, _("Su rol no permite esta operación."))
            return
        today = timezone.localdate()
        for receipt in queryset:
            try:
                receipt_cancel(actor=request.user, receipt=receipt, date=today, reason=_("Anulado desde la administración"))
            except DomainError as exc:
                messages.error(request, f"{receipt.number}: {exc.message}")
            else:
                messages.success(request, _("Recibo %s anulado.") % receipt.number)


@admin.register(ReceiptMovement)
class ReceiptMovementAdmin(LedgerAdminMixin, admin.ModelAdmin):
    list_display = ["receipt", "kind", "date", "amount", "collector", "channel", "insurer", "settlement"]
    list_filter = ["kind", "collector", "channel", "insurer"]
    search_fields = ["receipt__number", "reason"]
    list_select_related = ["receipt", "insurer", "settlement"]
    date_hierarchy = "date"
    show_full_result_count = False

