"""Serializers of the compliance API."""
from rest_framework import serializers

from apps.compliance.choices import ComplaintOutcome, NotAdmittedReason, RequestState
from apps.compliance.models import (
    Complaint, DataSubjectRequest, LegalHold, ProcessingActivity, RetentionRule, RetentionRun,
)


class ProcessingActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcessingActivity
        fields = ["id", "code", "name", "purpose", "legal_basis", "legal_basis_detail", "subject_categories",
                  "data_categories", "special_categories", "special_categories_detail", "recipients",
                  "international_transfers", "retention_period", "security_measures", "is_active", "order", "version"]
        read_only_fields = ["version"]


class RetentionRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = RetentionRule
        fields = ["id", "record_type", "period_months", "action", "legal_reference", "is_active", "version"]
        read_only_fields = fields


class RetentionRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = RetentionRun
        fields = ["id", "trigger", "state", "today", "started_at", "finished_at", "actor", "totals", "problems"]
        read_only_fields = fields


class LegalHoldSerializer(serializers.ModelSerializer):
    record = serializers.SerializerMethodField()

    class Meta:
        model = LegalHold
        fields = ["id", "record", "object_id", "reason", "held_by", "until", "released_at", "released_by", "created_at"]
        read_only_fields = fields

    def get_record(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


class LegalHoldCreateSerializer(serializers.Serializer):
    record = serializers.ChoiceField(choices=["crm.party", "claims.claim", "insurance.quote", "crm.consent",
                                              "documents.document"])
    object_id = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=2000)
    until = serializers.DateField(required=False, allow_null=True, default=None)


class DataSubjectRequestSerializer(serializers.ModelSerializer):
    party_name = serializers.CharField(source="party.display_name", read_only=True)
    due_date = serializers.DateField(read_only=True)

    class Meta:
        model = DataSubjectRequest
        fields = ["id", "number", "kind", "party", "party_name", "channel", "received_on", "deadline",
                  "extended_deadline", "extension_reason", "due_date", "description", "handler", "state",
                  "rectification_notes", "resolution", "denial_reason", "resolved_on", "version"]
        read_only_fields = fields


class DataSubjectRequestCreateSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataSubjectRequest
        fields = ["kind", "party", "channel", "received_on", "description", "handler"]


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class NotesSerializer(serializers.Serializer):
    notes = serializers.CharField(max_length=4000)


class CloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[RequestState.RESOLVED, RequestState.DENIED])
    text = serializers.CharField(max_length=4000)
    resolved_on = serializers.DateField(required=False, allow_null=True, default=None)


class ComplaintSerializer(serializers.ModelSerializer):
    party_name = serializers.CharField(source="party.display_name", read_only=True)

    class Meta:
        model = Complaint
        fields = ["id", "number", "kind", "party", "party_name", "is_consumer", "channel", "received_on", "deadline",
                  "reason", "description", "handler", "policy", "claim", "amount_claimed", "state", "outcome",
                  "not_admitted_reason", "resolution", "criteria", "amount_granted", "resolved_on", "version"]
        read_only_fields = fields


class ComplaintCreateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Complaint
        fields = ["kind", "party", "is_consumer", "channel", "received_on", "reason", "description", "handler",
                  "policy", "claim", "amount_claimed"]


class ResolveSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ComplaintOutcome.choices)
    resolution = serializers.CharField(max_length=8000)
    resolved_on = serializers.DateField(required=False, allow_null=True, default=None)
    not_admitted_reason = serializers.ChoiceField(choices=NotAdmittedReason.choices, required=False, default="",
                                                  allow_blank=True)
    criteria = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    amount_granted = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True,
                                              default=None, min_value=0)
