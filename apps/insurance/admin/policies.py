"""Admin: policies. Read, search and filter here; every change goes through the policy services
(actions below), which check the allowed transitions and write versions, state history and audit.
Versions and state changes are read-only inlines: a version is never edited."""
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.core.errors import DomainError
from apps.insurance.models import Policy, PolicyStateChange, PolicyVersion
from apps.insurance.services.policies import policies_expire_due, policy_issue


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PolicyVersionInline(_ReadOnlyInline):
    model = PolicyVersion
    fields = ["number", "kind", "effective_date", "reason", "risk_summary", "sum_insured", "net_premium", "ips",
              "consorcio", "clea", "total_premium", "created_at", "created_by"]
    readonly_fields = fields
    ordering = ["number"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")


class PolicyStateChangeInline(_ReadOnlyInline):
    model = PolicyStateChange
    fields = ["from_state", "to_state", "effective_date", "reason", "created_at", "created_by"]
    readonly_fields = fields
    ordering = ["created_at", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["number", "insurer", "product", "line", "policyholder", "state", "start_date", "expiry_date",
                    "total_premium"]
    list_filter = ["state", "line", "insurer", "payment_frequency", "payment_method", "cancellation_reason"]
    search_fields = ["number", "policyholder__display_name", "policyholder__tax_id", "risk_summary"]
    list_select_related = ["insurer", "product", "line", "policyholder"]
    date_hierarchy = "expiry_date"
    show_full_result_count = False  # no COUNT(*) over the whole table on every page
    readonly_fields = ["insurer", "number", "product", "line", "policyholder", "state", "start_date", "term_months",
                       "expiry_date", "tacit_renewal", "payment_frequency", "payment_method", "current_version",
                       "risk_summary", "net_premium", "total_premium", "quote", "renewal_of", "cancellation_date",
                       "cancellation_reason", "notes", "created_at", "created_by", "updated_at", "updated_by",
                       "version"]
    inlines = [PolicyVersionInline, PolicyStateChangeInline]
    actions = ["issue_policies", "expire_due"]

    def has_add_permission(self, request):
        return False  # placed by the service: the «Pólizas» pages, a quote or the API

    def has_delete_permission(self, request, obj=None):
        return False  # a policy is cancelled, never deleted

    @admin.action(description=_l("Emitir las pólizas en borrador seleccionadas"))
    def issue_policies(self, request, queryset):
        if not request.user.has_perm("insurance.change_policy"):
            messages.error(request, _("Su rol no permite esta operación."))
            return
        for policy in queryset:
            try:
                policy_issue(actor=request.user, policy=policy)
            except DomainError as exc:
                messages.error(request, f"{policy.number}: {exc.message}")
            else:
                messages.success(request, _("Póliza %s emitida.") % policy.number)

    @admin.action(description=_l("Dar por vencidas las pólizas con vencimiento pasado y sin renovación"))
    def expire_due(self, request, queryset):
        """Works on every due policy, whatever was selected (the sweep the nightly task runs)."""
        if not request.user.has_perm("insurance.change_policy"):
            messages.error(request, _("Su rol no permite esta operación."))
            return
        count = policies_expire_due(actor=request.user)
        messages.success(request, _("%d pólizas dadas por vencidas.") % count)
