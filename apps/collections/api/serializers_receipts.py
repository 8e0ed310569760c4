"""Serializers of the receipt, commission-movement and collaborator endpoints. They shape input and
output; the services in apps.collections.services decide and write."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.audit.api.sensitive import SensitiveFieldsMixin
from apps.collections.choices import (
    CollaboratorKind, CollectionChannel, CommissionMovementKind, ReceiptCollector, ReceiptKind, ReceiptMovementKind,
    ReceiptState,
)
from apps.collections.models import Collaborator, CommissionMovement, CommissionShare, Receipt, ReceiptMovement
from apps.crm.models import Party
from apps.insurance.models import Policy


def _codes(choices) -> str:
    return " | ".join(f"{value} ({label})" for value, label in choices)


# Codes are plain strings in the schema (listed in the help text), as the policy endpoints do: as
# enums «state», «kind» and «channel» collide with other apps' enums (drf-spectacular W001).
def _code(choices, **kwargs):
    return serializers.CharField(read_only=True, help_text=_codes(choices), **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class CodeChoiceField(serializers.ChoiceField):
    """An input choice that the schema shows as a string (codes in the help text)."""

    def __init__(self, choices, **kwargs):
        kwargs.setdefault("help_text", _codes(choices))
        super().__init__(choices, **kwargs)


class ReceiptMovementSerializer(serializers.ModelSerializer):
    kind = _code(ReceiptMovementKind.choices)
    collector = _code(ReceiptCollector.choices)
    channel = _code(CollectionChannel.choices)

    class Meta:
        model = ReceiptMovement
        fields = ["id", "kind", "date", "amount", "collector", "channel", "reason", "reverses", "settlement", "entry",
                  "created_at", "created_by"]
        read_only_fields = fields


class CommissionMovementSerializer(serializers.ModelSerializer):
    kind = _code(CommissionMovementKind.choices)
    collaborator_code = serializers.CharField(source="collaborator.code", read_only=True, allow_null=True,
                                              default=None)
    policy_number = serializers.CharField(source="policy.number", read_only=True)
    receipt_number = serializers.CharField(source="receipt.number", read_only=True, allow_null=True, default=None)

    class Meta:
        model = CommissionMovement
        fields = ["id", "kind", "date", "policy", "policy_number", "receipt", "receipt_number", "insurer",
                  "collaborator", "collaborator_code", "base", "rate", "amount", "description", "reverses", "source",
                  "settlement", "collaborator_settlement", "created_at"]
        read_only_fields = fields


class ReceiptListSerializer(serializers.ModelSerializer):
    policy_number = serializers.CharField(source="policy.number", read_only=True)
    insurer_name = serializers.CharField(source="insurer.name", read_only=True)
    line = serializers.SlugRelatedField(slug_field="code", read_only=True)
    policyholder_name = serializers.CharField(source="policyholder.display_name", read_only=True)
    kind = _code(ReceiptKind.choices)
    state = _code(ReceiptState.choices)
    collector = _code(ReceiptCollector.choices)
    channel = _code(CollectionChannel.choices)
    outstanding = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = Receipt
        fields = ["id", "number", "sequence", "policy", "policy_number", "insurer", "insurer_name", "insurer_number",
                  "line", "policyholder", "policyholder_name", "kind", "is_first_premium", "period_start",
                  "period_end", "due_date", "net_premium", "ips", "consorcio", "clea", "total_premium", "collector",
                  "state", "collected_amount", "outstanding", "collected_on", "collected_at", "channel",
                  "returned_on", "return_reason", "cancelled_on", "commission_rate", "commission_amount",
                  "advance_offset", "version"]
        read_only_fields = fields


class ReceiptSerializer(ReceiptListSerializer):
    movements = ReceiptMovementSerializer(many=True, read_only=True)
    commission_movements = CommissionMovementSerializer(many=True, read_only=True)

    class Meta(ReceiptListSerializer.Meta):
        fields = ReceiptListSerializer.Meta.fields + ["agreement", "notes", "movements", "commission_movements"]
        read_only_fields = fields


class ReceiptTotalsSerializer(serializers.Serializer):
    total_premium = serializers.DecimalField(max_digits=14, decimal_places=2)
    outstanding = serializers.DecimalField(max_digits=14, decimal_places=2)
    collected = serializers.DecimalField(max_digits=14, decimal_places=2)
    commission = serializers.DecimalField(max_digits=14, decimal_places=2)


class ReceiptCollectSerializer(serializers.Serializer):
    date = serializers.DateField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True, default=None,
                                      help_text="Vacío: lo pendiente. Menos que lo pendiente: cobro parcial.")
    channel = CodeChoiceField(CollectionChannel.choices)


class ReceiptReturnSerializer(serializers.Serializer):
    date = serializers.DateField()
    reason = serializers.CharField(max_length=200, help_text="Código SEPA (AC04, AM04, MD01, MD06, MS02, MS03) o texto.")


class ReceiptCancelSerializer(serializers.Serializer):
    date = serializers.DateField()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class CommissionShareSerializer(serializers.ModelSerializer):
    policy_number = serializers.CharField(source="policy.number", read_only=True)

    class Meta:
        model = CommissionShare
        fields = ["id", "policy", "policy_number", "share_pct"]
        read_only_fields = fields


class CollaboratorSerializer(SensitiveFieldsMixin, serializers.ModelSerializer):
    kind = CodeChoiceField(CollaboratorKind.choices)
    party = serializers.PrimaryKeyRelatedField(queryset=Party.objects.all())
    party_name = serializers.CharField(source="party.display_name", read_only=True)
    code = serializers.CharField(max_length=20, validators=[])  # uniqueness: the service's clear message

    class Meta:
        model = Collaborator
        fields = ["id", "party", "party_name", "kind", "code", "default_share_pct", "withholding_pct", "dgsfp_code",
                  "iban", "is_active", "notes", "version", "created_at"]
        read_only_fields = ["id", "party_name", "version", "created_at"]


class CollaboratorDetailSerializer(CollaboratorSerializer):
    shares = CommissionShareSerializer(many=True, read_only=True)

    class Meta(CollaboratorSerializer.Meta):
        fields = CollaboratorSerializer.Meta.fields + ["shares"]


class ShareSetSerializer(serializers.Serializer):
    policy = serializers.PrimaryKeyRelatedField(queryset=Policy.objects.all())
    share_pct = serializers.DecimalField(max_digits=5, decimal_places=2)


class ShareRemoveSerializer(serializers.Serializer):
    policy = serializers.PrimaryKeyRelatedField(queryset=Policy.objects.all())
