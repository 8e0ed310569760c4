"""Admin: transfer orders (pain.001) and their items, read-only (the «Tesorería» pages and the API create
them through the services). Actions: mark as charged on the execution date; cancel."""
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.core.errors import DomainError
from apps.treasury.models import TransferItem, TransferOrder
from apps.treasury.services.transfer_orders import transfer_order_cancel, transfer_order_settle

CHANGE = "treasury.change_transferorder"


class TransferItemInline(admin.TabularInline):
    model = TransferItem
    extra = 0
    can_delete = False
    fields = ["end_to_end_id", "kind", "target_type", "target_id", "payee_name", "iban", "amount", "entry"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TransferOrder)
class TransferOrderAdmin(admin.ModelAdmin):
    list_display = ["number", "bank_account", "execution_date", "state", "count", "total", "settled_on"]
    list_filter = ["state", "bank_account"]
    search_fields = ["number", "message_id", "items__payee_name"]
    date_hierarchy = "execution_date"
    list_select_related = ["bank_account"]
    readonly_fields = ["number", "bank_account", "execution_date", "state", "total", "count", "message_id",
                       "settled_on", "xml"]
    exclude = ["created_by", "updated_by"]
    inlines = [TransferItemInline]
    actions = ["settle", "cancel"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _run(self, request, queryset, call, done):
        if not request.user.has_perm(CHANGE):
            self.message_user(request, _("Su rol no permite esta operación."), messages.ERROR)
            return
        for order in queryset:
            try:
                call(order)
            except DomainError as exc:
                self.message_user(request, f"{order.number}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, done % order.number, messages.SUCCESS)

    @admin.action(description=_l("Marcar como cargadas en su fecha de ejecución"), permissions=["view"])
    def settle(self, request, queryset):
        self._run(request, queryset, lambda order: transfer_order_settle(
            actor=request.user, order=order, date=order.execution_date), _("Orden %s cargada."))

    @admin.action(description=_l("Anular (fichero no enviado o rechazado)"), permissions=["view"])
    def cancel(self, request, queryset):
        self._run(request, queryset, lambda order: transfer_order_cancel(
            actor=request.user, order=order, reason=_("Anulada desde la administración")), _("Orden %s anulada."))


@admin.register(TransferItem)
class TransferItemAdmin(admin.ModelAdmin):
    list_display = ["end_to_end_id", "order", "kind", "payee_name", "iban", "amount", "entry"]
    list_filter = ["kind", "order__state"]
    search_fields = ["end_to_end_id", "payee_name", "iban", "order__number"]
    list_select_related = ["order", "entry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
