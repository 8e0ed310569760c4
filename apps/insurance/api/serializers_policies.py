"""Serializers of the policy endpoints. They shape input and output; the services in
apps.insurance.services.policies / endorsements validate, rate and write."""
from rest_framework import serializers

from apps.audit.api.sensitive import SensitiveFieldsMixin
from apps.crm.models import Party
from apps.insurance.choices import CancellationReason, PaymentFrequency, PaymentMethod, PolicyState
from apps.insurance.models import Policy, PolicyStateChange, PolicyVersion, Product
from apps.insurance.services.policies import MAX_TERM_MONTHS


def _codes(choices) -> str:
    return " | ".join(f"{value} ({label})" for value, label in choices)


# Read-only state/reason fields are plain strings in the schema (codes listed in their help text):
# as enums they collide with the quotes' «state» and with the input enums (drf-spectacular W001).
# With ENUM_NAME_OVERRIDES for PolicyState/QuoteState/CancellationReason they could become enums.
def _state_field(**kwargs):
    return serializers.CharField(read_only=True, help_text=_codes(PolicyState.choices), **kwargs)


class PolicyVersionSerializer(SensitiveFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = PolicyVersion
        fields = ["id", "number", "kind", "effective_date", "reason", "risk_data", "risk_summary", "insured",
                  "beneficiaries", "coverages", "sum_insured", "net_premium", "ips", "consorcio", "clea",
                  "total_premium", "created_at", "created_by"]
        read_only_fields = fields


class PolicyStateChangeSerializer(serializers.ModelSerializer):
    from_state = _state_field()
    to_state = _state_field()

    class Meta:
        model = PolicyStateChange
        fields = ["from_state", "to_state", "effective_date", "reason", "created_at", "created_by"]
        read_only_fields = fields


class PolicyListSerializer(serializers.ModelSerializer):
    line = serializers.SlugRelatedField(slug_field="code", read_only=True)
    insurer_name = serializers.CharField(source="insurer.name", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    policyholder_name = serializers.CharField(source="policyholder.display_name", read_only=True)
    state = _state_field()
    cancellation_reason = serializers.CharField(read_only=True, help_text=_codes(CancellationReason.choices))

    class Meta:
        model = Policy
        fields = ["id", "number", "state", "insurer", "insurer_name", "product", "product_name", "line",
                  "policyholder", "policyholder_name", "risk_summary", "start_date", "term_months", "expiry_date",
                  "payment_frequency", "payment_method", "net_premium", "total_premium", "cancellation_date",
                  "cancellation_reason", "renewal_of", "quote", "version"]
        read_only_fields = fields


class PolicySerializer(PolicyListSerializer):
    versions = PolicyVersionSerializer(many=True, read_only=True)
    state_changes = PolicyStateChangeSerializer(many=True, read_only=True)
    current_version = serializers.IntegerField(source="current_version.number", read_only=True, allow_null=True)

    class Meta(PolicyListSerializer.Meta):
        fields = PolicyListSerializer.Meta.fields + ["notes", "current_version", "versions", "state_changes"]
        read_only_fields = fields


class PolicyCreateSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40)
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.select_related("insurer", "line"))
    policyholder = serializers.PrimaryKeyRelatedField(queryset=Party.objects.all())
    start_date = serializers.DateField()
    term_months = serializers.IntegerField(min_value=1, max_value=MAX_TERM_MONTHS, default=12)
    payment_frequency = serializers.ChoiceField(choices=PaymentFrequency.choices)
    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices)
    risk = serializers.DictField(help_text="Los campos del riesgo del ramo (GET insurance/lines-registry/); las "
                                           "filas (miembros, beneficiarios…) como listas de objetos.")
    insured = serializers.ListField(child=serializers.DictField(), required=False, allow_null=True, default=None)
    beneficiaries = serializers.ListField(child=serializers.DictField(), required=False, allow_null=True,
                                          default=None)
    issue = serializers.BooleanField(default=True, help_text="false: queda en borrador.")
    notes = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args, parties=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parties is not None:
            self.fields["policyholder"].queryset = parties


class EndorseSerializer(serializers.Serializer):
    effective_date = serializers.DateField()
    reason = serializers.CharField(max_length=300)
    risk = serializers.DictField(required=False, allow_null=True, default=None)
    coverages = serializers.ListField(child=serializers.DictField(), required=False, allow_null=True, default=None)
    insured = serializers.ListField(child=serializers.DictField(), required=False, allow_null=True, default=None)
    beneficiaries = serializers.ListField(child=serializers.DictField(), required=False, allow_null=True,
                                          default=None)
    rerate = serializers.BooleanField(default=True)


class StateChangeSerializer(serializers.Serializer):
    effective_date = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CancelSerializer(serializers.Serializer):
    effective_date = serializers.DateField()
    reason = serializers.ChoiceField(choices=CancellationReason.choices)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class RenewSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    rerate = serializers.BooleanField(default=True)
