"""Operations panel for the books. Read and search here; changes go through the services (actions
below), which keep numbering, periods and the audit trail right. A posted entry is never deleted."""
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.accounting.choices import FiscalYearState, PeriodState
from apps.accounting.models import Account, AccountMapping, Entry, EntryLine, FiscalYear, Journal, Period, Tax
from apps.core.errors import DomainError


def _run(request, queryset, service, done: str) -> None:
    """Calls `service(obj)` for each selected row; reports each result or refusal."""
    for obj in queryset:
        try:
            result = service(obj)
        except DomainError as exc:
            messages.error(request, f"{obj}: {exc.message}")
        else:
            messages.success(request, done % {"obj": obj, "result": result})


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInlineMixin:
    """Inline rows shown, never added or changed (readonly_fields = fields on the inline)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _allowed(request, perm: str, refusal) -> bool:
    """Whether the user has `perm`; when not, says `refusal` and the action does nothing."""
    if request.user.has_perm(perm):
        return True
    messages.error(request, str(refusal))
    return False


class StateActionsMixin:
    """«Cerrar» and «Reabrir» (and any other state) through a service, for users with `state_perm`.

    Subclasses set `state_perm`, `state_choices`, `state_done` (the message before the state's name)
    and `set_state(request, obj, state)`, which calls the service."""

    state_perm = ""
    state_choices = None
    state_done = ""

    def set_state(self, request, obj, state):
        raise NotImplementedError

    def _set(self, request, queryset, state):
        if not request.user.has_perm(self.state_perm):
            return
        _run(request, queryset, lambda obj: self.set_state(request, obj, state),
             str(self.state_done) + str(self.state_choices(state).label).lower() + ".")

    @admin.action(description=_l("Cerrar"), permissions=["view"])
    def close(self, request, queryset):
        self._set(request, queryset, self.state_choices.CLOSED)

    @admin.action(description=_l("Reabrir"), permissions=["view"])
    def reopen(self, request, queryset):
        self._set(request, queryset, self.state_choices.OPEN)


class DraftsOnlyAdminMixin:
    """Rows read-only; only drafts are deleted, each through `delete_model` (the service), also by the
    «Borrar borradores» action for users with `draft_delete_perm` (else `draft_delete_refused`)."""

    draft_delete_perm = ""
    draft_delete_refused = ""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.state != "draft":
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # it would not ask each row whether it is still a draft
        return actions

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    @admin.action(description=_l("Borrar borradores"), permissions=["view"])
    def delete_drafts(self, request, queryset):
        if _allowed(request, self.draft_delete_perm, self.draft_delete_refused):
            _run(request, queryset, lambda obj: self.delete_model(request, obj), _("Borrador %(obj)s eliminado."))


@admin.register(Account)
class AccountAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Accounts are added on the chart page (account_create), never deleted; only taken out of use."""

    list_display = ["code", "name", "parent", "is_postable", "is_official", "is_active", "party"]
    list_filter = ["is_postable", "is_official", "is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["parent", "party"]
    show_full_result_count = False
    ordering = ["code"]
    actions = ["deactivate", "reactivate"]

    def _set_active(self, request, queryset, active):
        from apps.accounting.services.accounts import account_set_active

        _run(request, queryset, lambda a: account_set_active(actor=request.user, account=a, active=active),
             _("%(obj)s: dada de alta.") if active else _("%(obj)s: dada de baja."))

    @admin.action(description=_l("Dar de baja (no admite más apuntes)"), permissions=["view"])
    def deactivate(self, request, queryset):
        if request.user.has_perm("accounting.change_account"):
            self._set_active(request, queryset, False)

    @admin.action(description=_l("Reactivar"), permissions=["view"])
    def reactivate(self, request, queryset):
        if request.user.has_perm("accounting.change_account"):
            self._set_active(request, queryset, True)


class PeriodInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Period
    extra = 0
    can_delete = False
    fields = ["number", "start_date", "end_date", "state"]
    readonly_fields = fields


@admin.register(FiscalYear)
class FiscalYearAdmin(StateActionsMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date", "state", "last_entry_number"]
    list_filter = ["state"]
    inlines = [PeriodInline]
    actions = ["close", "lock", "reopen"]
    state_perm = "accounting.change_fiscalyear"
    state_choices = FiscalYearState
    state_done = _l("Ejercicio %(obj)s: ")

    def set_state(self, request, obj, state):
        from apps.accounting.services.periods import fiscal_year_set_state

        return fiscal_year_set_state(actor=request.user, fiscal_year=obj, state=state)

    @admin.action(description=_l("Bloquear"), permissions=["view"])
    def lock(self, request, queryset):
        self._set(request, queryset, FiscalYearState.LOCKED)


@admin.register(Period)
class PeriodAdmin(StateActionsMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "start_date", "end_date", "state"]
    list_filter = ["state", "fiscal_year"]
    list_select_related = ["fiscal_year"]
    actions = ["close", "reopen"]
    state_perm = "accounting.change_period"
    state_choices = PeriodState
    state_done = _l("%(obj)s: ")

    def set_state(self, request, obj, state):
        from apps.accounting.services.periods import period_set_state

        return period_set_state(actor=request.user, period=obj, state=state)


@admin.register(Journal)
class JournalAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]


@admin.register(Tax)
class TaxAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "rate", "account", "exemption_cause", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["account"]


@admin.register(AccountMapping)
class AccountMappingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Edited on the «Cuentas por función» page (account_mapping_set)."""

    list_display = ["role", "account"]
    search_fields = ["role", "account__code", "account__name"]
    list_select_related = ["account"]


class EntryLineInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = EntryLine
    extra = 0
    can_delete = False
    fields = ["line_no", "account", "party", "description", "debit", "credit", "tax", "tax_base"]
    readonly_fields = fields


@admin.register(Entry)
class EntryAdmin(DraftsOnlyAdminMixin, admin.ModelAdmin):
    """Entries are read-only here. Drafts can be deleted (entry_draft_delete); a posted entry cannot,
    it is reversed with the «Anular asientos» action (entry_reverse)."""

    list_display = ["__str__", "date", "journal", "description", "total", "state", "kind"]
    list_filter = ["state", "kind", "journal", "fiscal_year"]
    search_fields = ["description", "source"]
    list_select_related = ["fiscal_year", "journal"]
    date_hierarchy = "date"
    show_full_result_count = False
    inlines = [EntryLineInline]
    actions = ["reverse_entries", "delete_drafts"]
    readonly_fields = ["fiscal_year", "period", "journal", "number", "date", "description", "state", "kind",
                       "reversal_of", "source", "total", "posted_at", "posted_by", "created_by", "created_at"]
    fields = readonly_fields
    draft_delete_perm = "accounting.delete_entry"
    draft_delete_refused = _l("Su rol no permite borrar asientos.")

    def delete_model(self, request, obj):
        from apps.accounting.services.posting import entry_draft_delete

        entry_draft_delete(actor=request.user, entry=obj)

    @admin.action(description=_l("Anular asientos (asiento espejo)"), permissions=["view"])
    def reverse_entries(self, request, queryset):
        from apps.accounting.services.posting import entry_reverse

        if not _allowed(request, "accounting.add_entry", _("Su rol no permite anular asientos.")):
            return
        _run(request, queryset.order_by("date", "number"), lambda e: entry_reverse(actor=request.user, entry=e),
             _("Asiento %(obj)s anulado con el %(result)s."))


# --- Invoices (registered below by the invoices area) ---------------------------------------
# Invoices are created, validated and rectified on the staff pages or the API (services in
# apps.accounting.services.invoices). Here: read and search, validate drafts, delete drafts.

from apps.accounting.models import Invoice, InvoiceLine, InvoiceSeries  # noqa: E402


class InvoiceLineInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = InvoiceLine
    extra = 0
    can_delete = False
    fields = ["line_no", "description", "quantity", "unit_price", "discount", "base", "account", "vat",
              "vat_amount", "surcharge", "surcharge_amount", "withholding", "withholding_amount"]
    readonly_fields = fields


@admin.register(Invoice)
class InvoiceAdmin(DraftsOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "kind", "series", "issue_date", "party_name", "party_tax_id", "total", "state"]
    list_filter = ["kind", "state", "series"]
    search_fields = ["full_number", "party_name", "party_tax_id"]
    list_select_related = ["series"]
    date_hierarchy = "issue_date"
    show_full_result_count = False
    inlines = [InvoiceLineInline]
    actions = ["validate_drafts", "delete_drafts"]
    readonly_fields = ["kind", "series", "year", "number", "full_number", "party", "party_name", "party_tax_id",
                       "issue_date", "operation_date", "accounting_date", "due_date", "state", "rectifies",
                       "rectification_code", "rectification_reason", "base_total", "vat_total", "surcharge_total",
                       "withholding_total", "total", "entry", "notes", "created_by", "created_at"]
    fields = readonly_fields
    draft_delete_perm = "accounting.delete_invoice"
    draft_delete_refused = _l("Su rol no permite borrar facturas.")

    def delete_model(self, request, obj):
        from apps.accounting.services.invoices import invoice_draft_delete

        invoice_draft_delete(actor=request.user, invoice=obj)

    @admin.action(description=_l("Validar borradores (numerar y contabilizar)"), permissions=["view"])
    def validate_drafts(self, request, queryset):
        from apps.accounting.services.invoices import invoice_validate

        if not _allowed(request, "accounting.change_invoice", _("Su rol no permite validar facturas.")):
            return
        _run(request, queryset.filter(state="draft").order_by("issue_date", "pk"),
             lambda i: invoice_validate(actor=request.user, invoice=i), _("Factura validada: %(result)s."))


@admin.register(InvoiceSeries)
class InvoiceSeriesAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Series are created and edited on the «Series de facturas» pages (invoice_series_create/update)."""

    list_display = ["code", "name", "kind", "is_rectifying", "journal", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["journal"]
