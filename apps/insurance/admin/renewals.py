"""Admin: the renewal portfolio. Read, search and filter here; decisions go through the renewal
services (actions below), which refuse a decided proposal or an already renewed policy."""
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.core.admin import OneRowPerBrokerageAdmin
from apps.core.errors import DomainError
from apps.insurance.choices import NonRenewalReason
from apps.insurance.models import RenewalProposal, RenewalSettings
from apps.insurance.services.renewals import (
    renewal_confirm, renewal_decline, renewal_settings_update, renewals_build,
)


@admin.register(RenewalProposal)
class RenewalProposalAdmin(admin.ModelAdmin):
    list_display = ["policy", "expiry_date", "owner", "state", "current_total_premium", "proposed_total_premium",
                    "premium_source", "non_renewal_reason", "decided_at"]
    list_filter = ["state", "premium_source", "non_renewal_reason", "policy__insurer", "policy__line"]
    search_fields = ["policy__number", "policy__policyholder__display_name", "policy__policyholder__tax_id"]
    list_select_related = ["policy", "owner"]
    date_hierarchy = "expiry_date"
    show_full_result_count = False
    readonly_fields = [field.name for field in RenewalProposal._meta.fields]
    actions = ["confirm_proposals", "decline_proposals", "build_now"]

    def has_add_permission(self, request):
        return False  # built by the daily job (or the «Preparar ahora» button)

    def has_delete_permission(self, request, obj=None):
        return False

    def _allowed(self, request, *perms) -> bool:
        if all(request.user.has_perm(perm) for perm in perms):
            return True
        messages.error(request, _("Su rol no permite esta operación."))
        return False

    def _each(self, request, queryset, call, success: str):
        for proposal in queryset.select_related("policy"):
            try:
                call(proposal)
            except DomainError as exc:
                messages.error(request, f"{proposal.policy.number}: {exc.message}")
            else:
                messages.success(request, success % proposal.policy.number)

    @admin.action(description=_l("Renovar las pólizas de las propuestas seleccionadas"))
    def confirm_proposals(self, request, queryset):
        if self._allowed(request, "insurance.change_renewalproposal", "insurance.add_policy",
                         "insurance.change_policy"):
            self._each(request, queryset, lambda p: renewal_confirm(actor=request.user, proposal=p),
                       _("Póliza %s renovada."))

    @admin.action(description=_l("No renovar (motivo: otro) las propuestas seleccionadas"))
    def decline_proposals(self, request, queryset):
        if self._allowed(request, "insurance.change_renewalproposal"):
            self._each(request, queryset, lambda p: renewal_decline(
                actor=request.user, proposal=p, reason=NonRenewalReason.OTHER,
                notes=_("No renovada desde el panel de administración.")), _("Póliza %s: no se renueva."))

    @admin.action(description=_l("Preparar ahora la cartera de renovaciones"))
    def build_now(self, request, queryset):
        """Works on every due policy, whatever was selected (what the daily job runs)."""
        if self._allowed(request, "insurance.change_renewalproposal"):
            count = renewals_build(actor=request.user)
            messages.success(request, _("Cartera preparada: %d propuestas nuevas.") % count)


@admin.register(RenewalSettings)
class RenewalSettingsAdmin(OneRowPerBrokerageAdmin):
    list_display = ["__str__", "days_before", "rerate_by_default"]

    def save_model(self, request, obj, form, change):
        """Through the service (limits, audit event), never a plain save."""
        try:
            saved = renewal_settings_update(actor=request.user, days_before=obj.days_before,
                                            rerate_by_default=obj.rerate_by_default)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False
