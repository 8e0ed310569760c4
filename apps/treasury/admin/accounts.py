"""Admin: bank accounts and SEPA mandates, read-only (the «Tesorería» pages and the API change them
through the services). Actions: mark a bank account as the default one; revoke mandates."""
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.core.errors import DomainError
from apps.treasury.models import BankAccount, Mandate
from apps.treasury.services.accounts import bank_account_update
from apps.treasury.services.mandates import mandate_revoke, mandate_sequence_type


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BankAccount)
class BankAccountAdmin(_ReadOnlyAdmin):
    list_display = ["name", "iban", "bic", "creditor_id", "account", "is_default", "is_active"]
    list_filter = ["is_default", "is_active"]
    search_fields = ["name", "iban", "creditor_id"]
    list_select_related = ["account"]
    actions = ["make_default"]

    @admin.action(description=_l("Marcar como cuenta de cobros por defecto"), permissions=["view"])
    def make_default(self, request, queryset):
        account = queryset.first()
        if queryset.count() != 1 or not request.user.has_perm("treasury.change_bankaccount"):
            self.message_user(request, _("Elija una sola cuenta."), messages.ERROR)
            return
        try:
            bank_account_update(actor=request.user, bank_account=account, is_default=True)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        self.message_user(request, _("%s es ahora la cuenta de cobros por defecto.") % account.name)


@admin.register(Mandate)
class MandateAdmin(_ReadOnlyAdmin):
    list_display = ["reference", "party", "iban", "signature_date", "scheme", "kind", "state", "uses", "last_used_on",
                    "next_sequence"]
    list_filter = ["state", "scheme", "kind"]
    search_fields = ["reference", "party__display_name", "party__tax_id", "iban"]
    list_select_related = ["party"]
    date_hierarchy = "signature_date"
    actions = ["revoke"]

    @admin.display(description=_l("próximo adeudo"))
    def next_sequence(self, obj):
        return mandate_sequence_type(obj)

    @admin.action(description=_l("Revocar los mandatos elegidos"), permissions=["view"])
    def revoke(self, request, queryset):
        if not request.user.has_perm("treasury.change_mandate"):
            self.message_user(request, _("Su rol no permite esta operación."), messages.ERROR)
            return
        done = 0
        for mandate in queryset:
            try:
                mandate_revoke(actor=request.user, mandate=mandate)
                done += 1
            except DomainError as exc:
                self.message_user(request, exc.message, messages.WARNING)
        self.message_user(request, _("Mandatos revocados: %d.") % done)
