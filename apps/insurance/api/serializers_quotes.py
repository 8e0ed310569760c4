"""Serializers of the quote endpoints and of the line registry. They shape input and output; the
services in apps.insurance.services.quotes validate the risk, rate, rank and write."""
from django import forms
from rest_framework import serializers

from apps.audit.api.sensitive import SensitiveFieldsMixin
from apps.crm.models import Party
from apps.insurance.choices import AdviceKind, PaymentFrequency, PaymentMethod
from apps.insurance.models import Quote, QuoteOption


class QuoteOptionSerializer(serializers.ModelSerializer):
    insurer = serializers.SerializerMethodField()
    product = serializers.SerializerMethodField()

    class Meta:
        model = QuoteOption
        fields = ["id", "rank", "eligible", "decline_reason", "insurer", "product", "net_premium", "ips", "consorcio",
                  "clea", "total_premium", "commission_pct", "breakdown", "coverages"]
        read_only_fields = fields

    def get_insurer(self, option) -> dict:
        insurer = option.product.insurer
        return {"id": insurer.pk, "name": insurer.name, "dgsfp_code": insurer.dgsfp_code}

    def get_product(self, option) -> dict:
        return {"id": option.product.pk, "code": option.product.code, "name": option.product.name}


class QuoteListSerializer(serializers.ModelSerializer):
    line = serializers.SlugRelatedField(slug_field="code", read_only=True)
    client_name = serializers.CharField(source="client.display_name", read_only=True)

    class Meta:
        model = Quote
        fields = ["id", "number", "state", "client", "client_name", "line", "risk_summary", "effective_date",
                  "valid_until", "advice_kind", "owner", "sent_at", "decided_at", "accepted_option", "created_at",
                  "version"]
        read_only_fields = fields


class QuoteSerializer(SensitiveFieldsMixin, QuoteListSerializer):
    options = serializers.SerializerMethodField()
    declined = serializers.SerializerMethodField()

    class Meta(QuoteListSerializer.Meta):
        fields = QuoteListSerializer.Meta.fields + [
            "risk_data", "demands_and_needs", "needs_statement", "objective_analysis_statement", "notes",
            "options", "declined"]
        read_only_fields = fields

    def _options(self, quote, eligible: bool):
        options = [o for o in quote.options.all() if o.eligible == eligible]
        options.sort(key=lambda o: (o.rank or 0, o.product.insurer.name, o.pk))
        return QuoteOptionSerializer(options, many=True).data

    def get_options(self, quote) -> list:
        """Eligible options ranked by total premium (rank 1 is the recommended one)."""
        return self._options(quote, True)

    def get_declined(self, quote) -> list:
        """Products that do not take the risk, with their reason."""
        return self._options(quote, False)


class QuoteCreateSerializer(serializers.Serializer):
    client = serializers.PrimaryKeyRelatedField(queryset=Party.objects.all())
    line = serializers.CharField(help_text="Código del ramo (GET insurance/lines-registry/).")
    risk = serializers.DictField(help_text="Los campos del riesgo del ramo; las filas (miembros, beneficiarios…) "
                                           "como listas de objetos.")
    effective_date = serializers.DateField()
    demands_and_needs = serializers.DictField(required=False, default=dict)
    needs_statement = serializers.CharField(required=False, allow_blank=True, default="")
    advice_kind = serializers.ChoiceField(choices=AdviceKind.choices, default=AdviceKind.OBJECTIVE_ANALYSIS)
    products = serializers.ListField(child=serializers.IntegerField(), required=False, allow_null=True, default=None,
                                     help_text="Ids de producto; vacío: todos los productos activos del ramo.")
    valid_days = serializers.IntegerField(min_value=1, max_value=365, default=30)
    notes = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args, parties=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parties is not None:
            self.fields["client"].queryset = parties


class QuoteRerateSerializer(serializers.Serializer):
    risk = serializers.DictField(required=False)
    effective_date = serializers.DateField(required=False)
    advice_kind = serializers.ChoiceField(choices=AdviceKind.choices, required=False)


class QuoteAcceptSerializer(serializers.Serializer):
    option = serializers.IntegerField(help_text="Id de la opción aceptada (options[].id).")
    policy_number = serializers.CharField(max_length=40)
    start_date = serializers.DateField()
    payment_frequency = serializers.ChoiceField(choices=PaymentFrequency.choices, default=PaymentFrequency.ANNUAL)
    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices, default=PaymentMethod.BROKER_SEPA)


class QuoteRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


# --- The line registry: what an integrator sends as `risk` -----------------------------------------

FIELD_TYPES = [
    (forms.BooleanField, "boolean"), (forms.DecimalField, "decimal"), (forms.IntegerField, "integer"),
    (forms.FloatField, "number"), (forms.DateField, "date"), (forms.EmailField, "email"),
    (forms.MultipleChoiceField, "multiple_choice"), (forms.ChoiceField, "choice"),
]


def field_description(name: str, field) -> dict:
    kind = next((label for cls, label in FIELD_TYPES if isinstance(field, cls)), "string")
    described = {"name": name, "label": str(field.label or name), "type": kind, "required": bool(field.required),
                 "help_text": str(field.help_text or "")}
    if getattr(field, "choices", None) is not None and kind in ("choice", "multiple_choice"):
        described["choices"] = [{"value": value, "label": str(label)} for value, label in field.choices
                                if value not in ("", None)]
    for attr in ("min_value", "max_value", "max_length"):
        value = getattr(field, attr, None)
        if value is not None:
            described[attr] = str(value) if kind == "decimal" else value
    return described


def line_description(spec) -> dict:
    form = spec.risk_form(prefix="risk")
    return {
        "code": spec.code, "name": str(spec.name), "dgsfp_class": spec.dgsfp_class, "is_life": spec.is_life,
        "fields": [field_description(name, field) for name, field in form.fields.items()],
        "rows": [{"name": name, "label": str(spec.row_labels.get(name, name)),
                  "fields": [field_description(field_name, field) for field_name, field in row_form().fields.items()]}
                 for name, row_form in spec.row_forms.items()],
        "sample_risk": spec.sample_risk(),
    }
