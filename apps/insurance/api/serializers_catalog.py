"""Serializers of the catalog endpoints. They shape input and output; the services in
apps.insurance.services.catalog / tariffs / agreements validate and write (CIF, DGSFP code,
coverage codes, factor bands, agreement dates), so model-level unique validators are left out
here and the service's clearer message is the one the client gets."""
from rest_framework import serializers

from apps.insurance.models import (
    CommissionAgreement, Coverage, Insurer, InsurerContact, Line, Product, Tariff, TariffFactor,
)


class InsurerContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = InsurerContact
        fields = ["name", "role", "email", "phone"]
        extra_kwargs = {"name": {"allow_blank": True}}


class InsurerSerializer(serializers.ModelSerializer):
    contacts = InsurerContactSerializer(many=True, required=False)

    class Meta:
        model = Insurer
        fields = ["id", "name", "legal_name", "tax_id", "dgsfp_code", "portal_url", "phone", "email", "claims_phone",
                  "eiac_supported", "party", "is_active", "notes", "contacts", "version", "created_at", "updated_at"]
        read_only_fields = ["id", "version", "created_at", "updated_at"]
        extra_kwargs = {"name": {"validators": []}, "tax_id": {"validators": []},
                        "dgsfp_code": {"validators": []}, "portal_url": {"validators": []}}


class CoverageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Coverage
        fields = ["code", "name", "kind", "limit", "limit_text", "deductible", "description", "order"]
        extra_kwargs = {"code": {"validators": []}, "order": {"required": False}}


class ProductSerializer(serializers.ModelSerializer):
    coverages = CoverageSerializer(many=True, required=False)
    line_code = serializers.SlugRelatedField(source="line", slug_field="code", read_only=True)
    insurer_name = serializers.CharField(source="insurer.name", read_only=True)

    class Meta:
        model = Product
        fields = ["id", "insurer", "insurer_name", "line", "line_code", "code", "name", "is_active", "ipid_summary",
                  "ipid_exclusions", "ipid_restrictions", "ipid_territory", "ipid_obligations", "ipid_payment",
                  "ipid_term", "ipid_cancellation", "coverages", "version", "created_at", "updated_at"]
        read_only_fields = ["id", "version", "created_at", "updated_at"]
        validators = []


class LineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Line
        fields = ["id", "code", "name", "dgsfp_class", "is_life", "ips_applies", "clea_applies", "consorcio_basis",
                  "consorcio_rate", "is_active", "version"]
        read_only_fields = ["id", "code", "dgsfp_class", "is_life", "version"]


class AgreementSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommissionAgreement
        fields = ["id", "insurer", "product", "valid_from", "new_business_pct", "renewal_pct", "earned_on",
                  "clawback_rule", "clawback_months", "upfront", "notes", "version", "created_at"]
        read_only_fields = ["id", "version", "created_at"]
        validators = []
        extra_kwargs = {"new_business_pct": {"validators": []}, "renewal_pct": {"validators": []}}


class TariffFactorSerializer(serializers.ModelSerializer):
    class Meta:
        model = TariffFactor
        fields = ["factor", "key", "band_from", "band_to", "value"]
        extra_kwargs = {"factor": {"validators": []}, "key": {"required": False}}


class TariffSerializer(serializers.ModelSerializer):
    factors = TariffFactorSerializer(many=True, required=False)

    class Meta:
        model = Tariff
        fields = ["id", "product", "valid_from", "base_premium", "minimum_premium", "parameters", "notes", "factors",
                  "version", "created_at", "updated_at"]
        read_only_fields = ["id", "version", "created_at", "updated_at"]
        validators = []


class TariffUpdateSerializer(TariffSerializer):
    class Meta(TariffSerializer.Meta):
        read_only_fields = [*TariffSerializer.Meta.read_only_fields, "product", "valid_from"]


class TariffNewVersionSerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), required=False,
                                                 help_text="Solo al crear la primera versión (POST a la lista).")
    valid_from = serializers.DateField()
    copy_from = serializers.PrimaryKeyRelatedField(queryset=Tariff.objects.all(), required=False, allow_null=True)
