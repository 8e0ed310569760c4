from django.contrib import admin

from apps.crm.models import (
    Activity, Address, BankAccount, Campaign, CampaignRecipient, Consent, ContactPoint, ImportBatch, Lead, Opportunity,
    Party, PartyRelation, Segment, Tag,
)


class ContactInline(admin.TabularInline):
    model = ContactPoint
    extra = 0
    exclude = ["normalized"]


class AddressInline(admin.TabularInline):
    model = Address
    extra = 0


class BankAccountInline(admin.TabularInline):
    model = BankAccount
    extra = 0


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    fields = ["purpose", "granted_at", "channel", "withdrawn_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["display_name", "tax_id", "kind", "status", "account_manager", "created_at"]
    list_filter = ["kind", "status", "preferred_language", "tags", "account_manager"]
    search_fields = ["display_name", "tax_id", "contacts__normalized"]
    readonly_fields = ["display_name", "created_at", "updated_at", "created_by", "updated_by", "version", "anonymised_at"]
    raw_id_fields = ["account_manager"]
    filter_horizontal = ["tags"]
    inlines = [ContactInline, AddressInline, BankAccountInline, ConsentInline]
    list_select_related = ["account_manager"]
    show_full_result_count = False


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
