"""Admin: the commission ledger (read-only: reversals are new rows, never edits), collaborators and
their shares. Saving a collaborator and removing a share go through
apps.collections.services.collaborators; shares are set on the policy page (total <= 100 %)."""
from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.collections.admin.receipts import LedgerAdminMixin
from apps.collections.models import Collaborator, CommissionMovement, CommissionShare
from apps.collections.services.collaborators import (
    COLLABORATOR_FIELDS, collaborator_create, collaborator_update, share_remove,
)
from apps.core.errors import DomainError


@admin.register(CommissionMovement)
class CommissionMovementAdmin(LedgerAdminMixin, admin.ModelAdmin):
    list_display = ["date", "kind", "policy", "receipt", "insurer", "collaborator", "base", "rate", "amount",
                    "settlement", "collaborator_settlement"]
    list_filter = ["kind", "insurer", "collaborator"]
    search_fields = ["policy__number", "receipt__number", "collaborator__code", "description"]
    list_select_related = ["policy", "receipt", "insurer", "collaborator__party", "settlement",
                           "collaborator_settlement"]
    date_hierarchy = "date"
    show_full_result_count = False


class CollaboratorAdminForm(forms.ModelForm):
    class Meta:
        model = Collaborator
        fields = list(COLLABORATOR_FIELDS)

    def clean_code(self):
        return (self.cleaned_data.get("code") or "").strip().upper()


@admin.register(Collaborator)
class CollaboratorAdmin(admin.ModelAdmin):
    list_display = ["code", "party", "kind", "default_share_pct", "withholding_pct", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "party__display_name", "party__tax_id", "dgsfp_code"]
    list_select_related = ["party"]
    form = CollaboratorAdminForm
    raw_id_fields = ["party"]
    readonly_fields = ["created_at", "created_by", "updated_at", "updated_by", "version"]

    def has_delete_permission(self, request, obj=None):
        return False  # shares and ledger rows point at it: set it inactive instead

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in COLLABORATOR_FIELDS if name in form.cleaned_data}
        try:
            if change:
                saved = collaborator_update(actor=request.user, collaborator=Collaborator.objects.get(pk=obj.pk),
                                            data=data)
            else:
                saved = collaborator_create(actor=request.user, data=data)
        except DomainError as exc:  # the form's validation already covers codes, parties and ranges
            messages.error(request, exc.message)
            return
        obj.pk = saved.pk


@admin.register(CommissionShare)
class CommissionShareAdmin(admin.ModelAdmin):
    list_display = ["policy", "collaborator", "share_pct"]
    list_filter = ["collaborator"]
    search_fields = ["policy__number", "collaborator__code", "collaborator__party__display_name"]
    list_select_related = ["policy", "collaborator__party"]
    actions = ["remove_shares"]

    # Shares are set from the policy page's panel (or the API), where the service refuses a total
    # above 100 %; here they are read and removed.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # through the «remove» action (audited by the service)

    @admin.action(description=_l("Quitar las participaciones seleccionadas"))
    def remove_shares(self, request, queryset):
        if not request.user.has_perm("collections.delete_commissionshare"):
            messages.error(request, _("Su rol no permite esta operación."))
            return
        for share in queryset.select_related("policy", "collaborator"):
            try:
                share_remove(actor=request.user, policy=share.policy, collaborator=share.collaborator)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("%(code)s ya no participa en la póliza %(number)s.") % {
                    "code": share.collaborator.code, "number": share.policy.number})
