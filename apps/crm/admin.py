from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from apps.crm.models import (
    Activity, Address, BankAccount, Campaign, CampaignRecipient, Consent, ContactPoint, ImportBatch, Lead, Opportunity,
    Party, PartyRelation, Segment, Tag,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    """Read and search here; parties are created and edited on the staff pages, which run the
    validation, duplicate checks and audit of apps.crm.services.parties."""

    list_display = ["display_name", "tax_id", "kind", "status", "account_manager", "created_at"]
    list_filter = ["kind", "status", "preferred_language", "tags", "account_manager"]
    search_fields = ["display_name", "tax_id", "contacts__normalized"]
    list_select_related = ["account_manager"]
    show_full_result_count = False
    actions = ["anonymise"]

    def get_inlines(self, request, obj):
        return [type(f"{m.__name__}Inline", (ReadOnlyInline,), {"model": m}) for m in
                (ContactPoint, Address, BankAccount, Consent)]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Anonimizar (derecho de supresión)"), permissions=["delete"])
    def anonymise(self, request, queryset):
        from django.core.exceptions import ValidationError

        from apps.crm.services.gdpr import party_anonymise

        for party in queryset:
            try:
                party_anonymise(actor=request.user, party=party, reason=_("Solicitud atendida desde el panel"))
            except ValidationError as exc:
                messages.error(request, f"{party}: {' '.join(exc.messages)}")
            else:
                messages.success(request, _("%s anonimizado.") % party)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "color"]
    search_fields = ["name"]


@admin.register(PartyRelation)
class PartyRelationAdmin(admin.ModelAdmin):
    list_display = ["from_party", "kind", "to_party"]
    list_filter = ["kind"]
    search_fields = ["from_party__display_name", "to_party__display_name"]
    raw_id_fields = ["from_party", "to_party"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["party", "purpose", "granted_at", "channel", "withdrawn_at"]
    list_filter = ["purpose", "channel", "withdrawn_at"]
    search_fields = ["party__display_name", "party__tax_id"]
    raw_id_fields = ["party"]


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "source", "status", "owner", "created_at"]
    list_filter = ["status", "source", "owner"]
    search_fields = ["name", "company", "email", "phone"]
    raw_id_fields = ["converted_party", "campaign"]


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ["title", "party", "line_of_business", "stage", "expected_premium", "probability", "close_date", "owner"]
    list_filter = ["stage", "line_of_business", "owner"]
    search_fields = ["title", "party__display_name"]
    raw_id_fields = ["party", "lead"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "owner", "due_at", "done_at", "party"]
    list_filter = ["kind", "owner", "done_at"]
    search_fields = ["subject", "party__display_name"]
    raw_id_fields = ["party", "lead", "opportunity"]


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]


class RecipientInline(admin.TabularInline):
    model = CampaignRecipient
    extra = 0
    fields = ["party", "email", "status", "error", "processed_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "segment", "status", "sent_at"]
    list_filter = ["status"]
    search_fields = ["name", "subject"]
    inlines = [RecipientInline]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["file_name", "status", "total_rows", "created_parties", "uploaded_by", "created_at"]
    list_filter = ["status"]
    search_fields = ["file_name"]
    readonly_fields = ["rows", "errors"]
