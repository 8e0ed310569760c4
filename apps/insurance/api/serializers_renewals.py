"""Serializers of the renewal endpoints: they shape input and output; apps.insurance.services.renewals
validates and writes. (RenewalState, RenewalPremiumSource and NonRenewalReason have their enum names
in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].)"""
from decimal import Decimal

from rest_framework import serializers

from apps.insurance.choices import NonRenewalReason, RenewalPremiumSource
from apps.insurance.models import RenewalProposal


class RenewalProposalSerializer(serializers.ModelSerializer):
    policy_number = serializers.CharField(source="policy.number", read_only=True)
    policyholder = serializers.IntegerField(source="policy.policyholder_id", read_only=True)
    policyholder_name = serializers.CharField(source="policy.policyholder.display_name", read_only=True)
    insurer = serializers.IntegerField(source="policy.insurer_id", read_only=True)
    insurer_name = serializers.CharField(source="policy.insurer.name", read_only=True)
    line = serializers.CharField(source="policy.line.code", read_only=True)
    renewed_policy_number = serializers.CharField(source="renewed_policy.number", read_only=True, allow_null=True,
                                                  default=None)

    class Meta:
        model = RenewalProposal
        fields = ["id", "policy", "policy_number", "policyholder", "policyholder_name", "insurer", "insurer_name",
                  "line", "expiry_date", "owner", "state", "current_net_premium", "current_total_premium",
                  "premium_source", "proposed_net_premium", "proposed_ips", "proposed_consorcio", "proposed_clea",
                  "proposed_total_premium", "rating_note", "notified_at", "renewed_policy", "renewed_policy_number",
                  "non_renewal_reason", "decided_at", "decided_by", "notes", "created_at", "version"]
        read_only_fields = fields


class RenewalSetPremiumSerializer(serializers.Serializer):
    net_premium = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    source = serializers.ChoiceField(choices=RenewalPremiumSource.choices, default=RenewalPremiumSource.INSURER)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class RenewalConfirmSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="",
                                   help_text="Número de la póliza renovada; vacío: el mismo.")


class RenewalDeclineSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=NonRenewalReason.choices)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class RenewalBuildResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
