from rest_framework import serializers

from apps.accounting.models import Account
from apps.collections.api.serializers_receipts import CodeChoiceField
from apps.crm.models import Party
from apps.treasury.choices import MandateKind, MandateScheme, MandateState
from apps.treasury.models import BankAccount, Mandate
from apps.treasury.services.mandates import mandate_expires_on, mandate_sequence_type


class TreasuryBankAccountSerializer(serializers.ModelSerializer):
    iban = serializers.CharField(max_length=42, validators=[])  # uniqueness and format: the service's messages
    account = serializers.PrimaryKeyRelatedField(queryset=Account.objects.all())
    account_code = serializers.CharField(source="account.code", read_only=True)

    class Meta:
        model = BankAccount
        fields = ["id", "name", "iban", "bic", "creditor_id", "account", "account_code", "is_default", "is_active",
                  "created_at"]
        read_only_fields = ["id", "account_code", "created_at"]


class MandateSerializer(serializers.ModelSerializer):
    party = serializers.PrimaryKeyRelatedField(queryset=Party.objects.all())
    party_name = serializers.CharField(source="party.display_name", read_only=True)
    reference = serializers.CharField(max_length=35, required=False, allow_blank=True, validators=[])
    iban = serializers.CharField(max_length=42)
    scheme = CodeChoiceField(MandateScheme.choices, required=False)
    kind = CodeChoiceField(MandateKind.choices, required=False)
    state = CodeChoiceField(MandateState.choices, read_only=True)
    sequence_type = serializers.SerializerMethodField(help_text="FRST, RCUR u OOFF: el tipo del próximo adeudo.")
    expires_on = serializers.SerializerMethodField()

    class Meta:
        model = Mandate
        fields = ["id", "reference", "party", "party_name", "iban", "bic", "signature_date", "scheme", "kind", "state",
                  "uses", "last_used_on", "previous_iban", "amended_on", "revoked_on", "sequence_type", "expires_on",
                  "created_at"]
        read_only_fields = ["id", "party_name", "state", "uses", "last_used_on", "previous_iban", "amended_on",
                            "revoked_on", "created_at"]

    def get_sequence_type(self, obj) -> str:
        return mandate_sequence_type(obj)

    def get_expires_on(self, obj) -> str:
        return mandate_expires_on(obj).isoformat()


class MandateAmendSerializer(serializers.Serializer):
    iban = serializers.CharField(max_length=42)
    bic = serializers.CharField(max_length=11, required=False, allow_blank=True, default="")
    on_date = serializers.DateField(required=False, allow_null=True, default=None)


class MandateRevokeSerializer(serializers.Serializer):
    on_date = serializers.DateField(required=False, allow_null=True, default=None)
