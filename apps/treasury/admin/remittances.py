"""Admin: SEPA remittances and their debits, read-only (the «Tesorería» pages and the API change them
through the services). Actions: generate the pain.008; charge on the collection date; cancel a draft or
generated one (the file was not sent)."""
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.core.errors import DomainError
from apps.treasury.models import Remittance, RemittanceItem
from apps.treasury.services.remittances import remittance_cancel, remittance_charge, remittance_generate


class RemittanceItemInline(admin.TabularInline):
    model = RemittanceItem
    extra = 0
    can_delete = False
    fields = ["end_to_end_id", "receipt", "mandate", "sequence_type", "amount", "state", "return_code"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Remittance)
class RemittanceAdmin(admin.ModelAdmin):
    list_display = ["number", "bank_account", "collection_date", "state", "count", "total", "message_id"]
    list_filter = ["state", "bank_account"]
    search_fields = ["number", "message_id"]
    date_hierarchy = "collection_date"
    list_select_related = ["bank_account"]
    readonly_fields = ["number", "bank_account", "collection_date", "state", "total", "count", "message_id", "entry",
                       "xml"]
    exclude = ["created_by", "updated_by"]
    inlines = [RemittanceItemInline]
    actions = ["generate", "charge", "cancel"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _run(self, request, queryset, service, done):
        if not request.user.has_perm("treasury.change_remittance"):
            self.message_user(request, _("Su rol no permite esta operación."), messages.ERROR)
            return
        for remittance in queryset:
            try:
                service(actor=request.user, remittance=remittance)
            except DomainError as exc:
                self.message_user(request, f"{remittance.number}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, done % remittance.number, messages.SUCCESS)

    @admin.action(description=_l("Generar el fichero pain.008"), permissions=["view"])
    def generate(self, request, queryset):
        self._run(request, queryset, remittance_generate, _("Fichero de la remesa %s generado."))

    @admin.action(description=_l("Cargar en la fecha de cargo"), permissions=["view"])
    def charge(self, request, queryset):
        self._run(request, queryset, remittance_charge, _("Remesa %s cargada."))

    @admin.action(description=_l("Anular (fichero no enviado al banco)"), permissions=["view"])
    def cancel(self, request, queryset):
        def run(*, actor, remittance):
            return remittance_cancel(actor=actor, remittance=remittance, reason=_("Anulada desde la administración"))

        self._run(request, queryset, run, _("Remesa %s anulada."))


@admin.register(RemittanceItem)
class RemittanceItemAdmin(admin.ModelAdmin):
    list_display = ["end_to_end_id", "remittance", "receipt", "mandate", "sequence_type", "amount", "state",
                    "return_code"]
    list_filter = ["state", "sequence_type", "return_code"]
    search_fields = ["end_to_end_id", "receipt__number", "mandate__reference", "remittance__number"]
    list_select_related = ["remittance", "receipt", "mandate"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
