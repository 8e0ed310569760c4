from rest_framework import serializers

from apps.audit.api.sensitive import SensitiveFieldsMixin
from apps.crm.choices import OpportunityStage
from apps.crm.models import (
    Activity, Address, BankAccount, Campaign, Consent, ContactPoint, Lead, Opportunity, Party, PartyRelation, Segment,
)


class _RowSerializer(serializers.ModelSerializer):
    """A child row; its checks (postal code of the province, IBAN checksum…) run in the service."""

    id = serializers.IntegerField(required=False)
    delete = serializers.BooleanField(required=False, write_only=True)


class ContactSerializer(_RowSerializer):
    class Meta:
        model = ContactPoint
        fields = ["id", "kind", "value", "label", "is_primary", "delete"]


class AddressSerializer(_RowSerializer):
    class Meta:
        model = Address
        fields = ["id", "kind", "street", "postal_code", "city", "province", "country", "is_primary", "delete"]


class BankAccountSerializer(SensitiveFieldsMixin, _RowSerializer):
    class Meta:
        model = BankAccount
        fields = ["id", "iban", "bic", "holder_name", "is_primary", "delete"]
        extra_kwargs = {"iban": {"validators": []}}


class PartyListSerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["id", "kind", "status", "tax_id", "display_name", "account_manager", "version", "updated_at"]


class PartySerializer(serializers.ModelSerializer):
    """Writes go through apps.crm.services.parties (validation, duplicates, audit)."""

    contacts = ContactSerializer(many=True, required=False)
    addresses = AddressSerializer(many=True, required=False)
    bank_accounts = BankAccountSerializer(many=True, required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=60), required=False, write_only=True)

    class Meta:
        model = Party
        fields = ["id", "kind", "status", "tax_id", "first_name", "last_name", "second_last_name", "company_name",
                  "trade_name", "display_name", "birth_date", "gender", "profession", "cnae", "preferred_language",
                  "preferred_channel", "account_manager", "notes", "tags", "contacts", "addresses", "bank_accounts",
                  "anonymised_at", "version", "created_at", "updated_at"]
        read_only_fields = ["display_name", "anonymised_at", "version", "created_at", "updated_at"]
        # Uniqueness and formats are checked by the service, with the brokerage's messages.
        extra_kwargs = {"tax_id": {"validators": []}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["tags"] = [tag.name for tag in instance.tags.all()]
        return data


class RelationSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartyRelation
        fields = ["id", "from_party", "to_party", "kind", "notes"]


class ConsentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Consent
        fields = ["id", "party", "purpose", "granted_at", "channel", "evidence", "withdrawn_at", "withdrawal_channel"]


class LeadSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lead
        fields = ["id", "name", "company", "email", "phone", "source", "campaign", "status", "owner", "notes",
                  "converted_party", "version", "created_at"]
        read_only_fields = ["status", "converted_party", "version", "created_at"]


class OpportunitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Opportunity
        fields = ["id", "party", "lead", "title", "line_of_business", "expected_premium", "probability", "stage",
                  "position", "close_date", "owner", "closed_at", "lost_reason", "version", "created_at"]
        read_only_fields = ["stage", "position", "closed_at", "lost_reason", "version", "created_at"]


class OpportunityMoveSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=OpportunityStage.choices)
    position = serializers.IntegerField(min_value=0, required=False, allow_null=True)


class OpportunityCloseSerializer(serializers.Serializer):
    won = serializers.BooleanField()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Activity
        fields = ["id", "kind", "subject", "notes", "due_at", "done_at", "owner", "party", "lead", "opportunity",
                  "version", "created_at"]
        read_only_fields = ["done_at", "version", "created_at"]


class SegmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Segment
        fields = ["id", "name", "description", "filters"]


class CampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", "name", "segment", "subject", "status", "sent_at", "created_at"]
