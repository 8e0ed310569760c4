"""Serializers of the settlement endpoints. They shape input and output; the services in
apps.collections.services.settlements / collaborator_settlements validate and write."""
from rest_framework import serializers

from apps.collections.choices import SettlementState
from apps.collections.models import Collaborator, CollaboratorSettlement, Settlement
from apps.insurance.models import Insurer

STATE_HELP = " | ".join(f"{value} ({label})" for value, label in SettlementState.choices)
MONEY = {"max_digits": 14, "decimal_places": 2, "read_only": True}


class SettlementLineSerializer(serializers.Serializer):
    receipt = serializers.IntegerField(source="receipt_id", allow_null=True)
    receipt_number = serializers.CharField()
    policy_number = serializers.CharField()
    holder = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    collector = serializers.CharField(help_text="broker | insurer")
    premium = serializers.DecimalField(**MONEY)
    commission = serializers.DecimalField(**MONEY)
    kinds = serializers.ListField(child=serializers.CharField())


class SettlementListSerializer(serializers.ModelSerializer):
    insurer_name = serializers.CharField(source="insurer.name", read_only=True)
    state = serializers.CharField(read_only=True, help_text=STATE_HELP)

    class Meta:
        model = Settlement
        fields = ["id", "number", "insurer", "insurer_name", "period_start", "period_end", "date", "state",
                  "premiums_collected", "commission_on_collected", "commission_insurer_collected", "other_commission",
                  "commission_total", "amount_due", "entry", "invoice", "paid_on", "payment_entry", "version"]
        read_only_fields = fields


class SettlementSerializer(SettlementListSerializer):
    lines = SettlementLineSerializer(many=True, read_only=True)

    class Meta(SettlementListSerializer.Meta):
        fields = [*SettlementListSerializer.Meta.fields, "lines"]
        read_only_fields = fields


class DraftSerializer(serializers.Serializer):
    """A preview: the figures a settlement would have and its lines (nothing written)."""

    period_start = serializers.DateField()
    period_end = serializers.DateField()
    premiums_collected = serializers.DecimalField(**MONEY)
    commission_on_collected = serializers.DecimalField(**MONEY)
    commission_insurer_collected = serializers.DecimalField(**MONEY)
    other_commission = serializers.DecimalField(**MONEY)
    commission_total = serializers.DecimalField(**MONEY)
    amount_due = serializers.DecimalField(**MONEY)
    is_empty = serializers.BooleanField()
    lines = SettlementLineSerializer(many=True)


class SettlementPeriodSerializer(serializers.Serializer):
    insurer = serializers.PrimaryKeyRelatedField(queryset=Insurer.objects.all())
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    date = serializers.DateField(required=False, help_text="Fecha de la liquidación (cerrar); por defecto, el fin "
                                                           "del periodo.")


class PaidSerializer(serializers.Serializer):
    date = serializers.DateField()


class CollaboratorSettlementListSerializer(serializers.ModelSerializer):
    collaborator_code = serializers.CharField(source="collaborator.code", read_only=True)
    state = serializers.CharField(read_only=True, help_text=STATE_HELP)

    class Meta:
        model = CollaboratorSettlement
        fields = ["id", "number", "collaborator", "collaborator_code", "period_start", "period_end", "date", "state",
                  "commission_total", "withholding", "amount_due", "entry", "paid_on", "payment_entry", "version"]
        read_only_fields = fields


class CollaboratorSettlementSerializer(CollaboratorSettlementListSerializer):
    lines = SettlementLineSerializer(many=True, read_only=True)

    class Meta(CollaboratorSettlementListSerializer.Meta):
        fields = [*CollaboratorSettlementListSerializer.Meta.fields, "lines"]
        read_only_fields = fields


class CollaboratorDraftSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    commission_total = serializers.DecimalField(**MONEY)
    withholding = serializers.DecimalField(**MONEY)
    amount_due = serializers.DecimalField(**MONEY)
    is_empty = serializers.BooleanField()
    lines = SettlementLineSerializer(many=True)


class CollaboratorPeriodSerializer(serializers.Serializer):
    collaborator = serializers.PrimaryKeyRelatedField(queryset=Collaborator.objects.all())
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    date = serializers.DateField(required=False, help_text="Fecha de la liquidación (cerrar); por defecto, el fin "
                                                           "del periodo.")
