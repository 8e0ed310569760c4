"""Serializers of the claims endpoints: they shape input and output; the services in
apps.claims.services decide. States, causes, payees and roles are plain strings in the schema
(their codes in the help text) until ENUM_NAME_OVERRIDES names them (see the module below)."""
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework import serializers

from apps.claims.choices import ClaimCause, ClaimState, PaymentPayee, ThirdPartyRole
from apps.claims.models import Claim, ClaimDocument, ClaimPayment, ClaimStateChange, ClaimTask, ReserveChange, ThirdParty
from apps.insurance.models import Policy

MONEY = {"max_digits": 14, "decimal_places": 2}


def _codes(choices) -> str:
    return " | ".join(f"{value} ({label})" for value, label in choices)


def _read(choices, **kwargs):
    return serializers.CharField(read_only=True, help_text=_codes(choices), **kwargs)


def _choice(choices, **kwargs):
    """Input choice as a plain string (an enum named «state»/«role» collides with other apps')."""
    return serializers.CharField(help_text=_codes(choices), **kwargs)


class ThirdPartySerializer(serializers.ModelSerializer):
    role = _choice(ThirdPartyRole.choices, required=False, default=ThirdPartyRole.OTHER)

    class Meta:
        model = ThirdParty
        fields = ["id", "role", "name", "tax_id", "phone", "email", "insurer_name", "policy_number", "vehicle_plate",
                  "notes"]
        read_only_fields = ["id"]
        extra_kwargs = {name: {"required": False} for name in fields if name not in ("id", "name")}


class ReserveChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReserveChange
        fields = ["id", "date", "previous", "amount", "reason", "created_at", "created_by"]
        read_only_fields = fields


class ClaimPaymentSerializer(serializers.ModelSerializer):
    payee = _read(PaymentPayee.choices)

    class Meta:
        model = ClaimPayment
        fields = ["id", "date", "amount", "payee", "payee_name", "concept", "over_reserve_approved_by", "created_at",
                  "created_by"]
        read_only_fields = fields


class ClaimTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClaimTask
        fields = ["id", "title", "due_date", "assignee", "done_at", "notes", "created_at"]
        read_only_fields = fields


class ClaimStateChangeSerializer(serializers.ModelSerializer):
    from_state = _read(ClaimState.choices)
    to_state = _read(ClaimState.choices)

    class Meta:
        model = ClaimStateChange
        fields = ["from_state", "to_state", "reason", "created_at", "created_by"]
        read_only_fields = fields


class ClaimDocumentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ClaimDocument
        fields = ["id", "name", "content_type", "size", "description", "created_at", "created_by", "download_url"]
        read_only_fields = fields

    def get_download_url(self, document) -> str:
        return reverse("claims:claim-document-download", args=[document.claim_id, document.pk])


class ClaimListSerializer(serializers.ModelSerializer):
    state = _read(ClaimState.choices)
    cause = _read(ClaimCause.choices)
    policy_number = serializers.CharField(source="policy.number", read_only=True)
    insurer_name = serializers.CharField(source="insurer.name", read_only=True)
    line = serializers.SlugRelatedField(slug_field="code", read_only=True)
    policyholder_name = serializers.CharField(source="policyholder.display_name", read_only=True)
    reserve_left = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = ["id", "number", "state", "policy", "policy_number", "insurer", "insurer_name", "line", "policyholder",
                  "policyholder_name", "loss_date", "reported_date", "cause", "coverage_code", "coverage_name",
                  "insurer_claim_number", "handler", "reserve", "paid_total", "reserve_left", "duplicate_of",
                  "closed_on", "version"]
        read_only_fields = fields

    def get_reserve_left(self, claim) -> str:
        return str(claim.reserve - claim.paid_total)


class ClaimSerializer(ClaimListSerializer):
    third_parties = ThirdPartySerializer(many=True, read_only=True)
    reserve_changes = ReserveChangeSerializer(many=True, read_only=True)
    payments = ClaimPaymentSerializer(many=True, read_only=True)
    tasks = ClaimTaskSerializer(many=True, read_only=True)
    documents = ClaimDocumentSerializer(many=True, read_only=True)
    state_changes = ClaimStateChangeSerializer(many=True, read_only=True)

    class Meta(ClaimListSerializer.Meta):
        fields = ClaimListSerializer.Meta.fields + [
            "description", "location", "adjuster_name", "adjuster_phone", "adjuster_email", "rejection_reason",
            "third_parties", "reserve_changes", "payments", "tasks", "documents", "state_changes"]
        read_only_fields = fields


class ClaimCreateSerializer(serializers.Serializer):
    policy = serializers.PrimaryKeyRelatedField(queryset=Policy.objects.all())
    loss_date = serializers.DateField()
    reported_date = serializers.DateField()
    cause = _choice(ClaimCause.choices)
    coverage_code = serializers.CharField(max_length=40)
    description = serializers.CharField()
    location = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")
    insurer_claim_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    third_parties = ThirdPartySerializer(many=True, required=False, default=list)
    handler = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.filter(is_active=True),
                                                 required=False, allow_null=True, default=None)
    reserve = serializers.DecimalField(min_value=0, required=False, default=0, **MONEY)
    allow_duplicate = serializers.BooleanField(default=False, help_text="true: confirma que no es un duplicado.")

    def __init__(self, *args, policies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if policies is not None:
            self.fields["policy"].queryset = policies


class TransitionSerializer(serializers.Serializer):
    to_state = _choice(ClaimState.choices)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ReserveSerializer(serializers.Serializer):
    amount = serializers.DecimalField(**MONEY)
    reason = serializers.CharField(max_length=300)


class PaymentSerializer(serializers.Serializer):
    amount = serializers.DecimalField(**MONEY)
    date = serializers.DateField()
    payee = _choice(PaymentPayee.choices)
    payee_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    concept = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")
    approve_over_reserve = serializers.BooleanField(
        default=False, help_text="true: quien llama aprueba el exceso sobre la reserva (necesita el permiso).")


class TaskSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_date = serializers.DateField()
    assignee = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.filter(is_active=True),
                                                  required=False, allow_null=True, default=None)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class TaskDoneSerializer(serializers.Serializer):
    task = serializers.IntegerField()


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    description = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")


class ThirdPartyRemoveSerializer(serializers.Serializer):
    third_party = serializers.IntegerField()
