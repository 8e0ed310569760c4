"""Admin: claims and their tasks. Read, search and filter here; every change goes through the
claims services (actions below), which check the state machine, the reserve and write the audit.
Third parties, payments, reserve changes and tasks are read-only inlines."""
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.claims.choices import ClaimState
from apps.claims.models import Claim, ClaimPayment, ClaimTask, ReserveChange, ThirdParty
from apps.claims.services.claims import claim_transition
from apps.claims.services.work import claim_task_done, claim_tasks_notify
from apps.core.errors import DomainError


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ThirdPartyInline(_ReadOnlyInline):
    model = ThirdParty
    fields = ["role", "name", "tax_id", "phone", "email", "insurer_name", "policy_number", "vehicle_plate"]
    readonly_fields = fields


class ReserveChangeInline(_ReadOnlyInline):
    model = ReserveChange
    fields = ["date", "previous", "amount", "reason", "created_by"]
    readonly_fields = fields


class ClaimPaymentInline(_ReadOnlyInline):
    model = ClaimPayment
    fields = ["date", "amount", "payee", "payee_name", "concept", "over_reserve_approved_by", "created_by"]
    readonly_fields = fields


class ClaimTaskInline(_ReadOnlyInline):
    model = ClaimTask
    fields = ["title", "due_date", "assignee", "done_at"]
    readonly_fields = fields


def _transition_action(to_state: str, description):
    def run(modeladmin, request, queryset):
        if not request.user.has_perm("claims.change_claim"):
            messages.error(request, _("Su rol no permite esta operación."))
            return
        for claim in queryset:
            try:
                claim_transition(actor=request.user, claim=claim, to_state=to_state)
            except DomainError as exc:
                messages.error(request, f"{claim.number}: {exc.message}")
            else:
                messages.success(request, _("%(number)s: %(state)s.") % {
                    "number": claim.number, "state": ClaimState(to_state).label})

    run.__name__ = f"to_{to_state}"
    return admin.action(description=description)(run)


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["number", "policy", "policyholder", "insurer", "state", "cause", "loss_date", "reported_date",
                    "handler", "reserve", "paid_total"]
    list_filter = ["state", "cause", "insurer", "line"]
    search_fields = ["number", "policy__number", "policyholder__display_name", "policyholder__tax_id",
                     "insurer_claim_number"]
    list_select_related = ["policy", "policyholder", "insurer", "handler"]
    date_hierarchy = "reported_date"
    show_full_result_count = False
    readonly_fields = ["number", "policy", "insurer", "line", "policyholder", "state", "loss_date", "reported_date",
                       "cause", "coverage_code", "coverage_name", "description", "location", "insurer_claim_number",
                       "adjuster_name", "adjuster_phone", "adjuster_email", "handler", "reserve", "paid_total",
                       "duplicate_of", "rejection_reason", "closed_on", "created_at", "created_by", "updated_at",
                       "updated_by", "version"]
    inlines = [ThirdPartyInline, ReserveChangeInline, ClaimPaymentInline, ClaimTaskInline]
    actions = [_transition_action(ClaimState.IN_REVIEW, _l("Pasar a tramitación los siniestros seleccionados")),
               _transition_action(ClaimState.CLOSED, _l("Cerrar los siniestros seleccionados"))]

    def has_add_permission(self, request):
        return False  # opened by the service (cover checks): the «Siniestros» pages or the API

    def has_delete_permission(self, request, obj=None):
        return False  # a claim is rejected or closed, never deleted


@admin.register(ClaimTask)
class ClaimTaskAdmin(admin.ModelAdmin):
    list_display = ["title", "claim", "due_date", "assignee", "done_at"]
    list_filter = [("done_at", admin.EmptyFieldListFilter), "due_date"]
    search_fields = ["title", "claim__number"]
    list_select_related = ["claim", "assignee"]
    readonly_fields = ["claim", "title", "due_date", "assignee", "done_at", "notes", "created_at", "created_by"]
    actions = ["mark_done", "notify_due"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_l("Marcar como hechas las tareas seleccionadas"))
    def mark_done(self, request, queryset):
        if not request.user.has_perm("claims.change_claim"):
            messages.error(request, _("Su rol no permite esta operación."))
            return
        for task in queryset:
            try:
                claim_task_done(actor=request.user, task=task)
            except DomainError as exc:
                messages.error(request, f"{task.title}: {exc.message}")
        messages.success(request, _("Tareas actualizadas."))

    @admin.action(description=_l("Avisar a los responsables de las tareas que vencen hoy o están vencidas"))
    def notify_due(self, request, queryset):
        count = claim_tasks_notify(today=timezone.localdate())
        messages.success(request, _("%d tareas avisadas.") % count)
