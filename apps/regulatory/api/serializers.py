"""Serializers of the regulatory API."""
from rest_framework import serializers

from apps.insurance.models import Policy
from apps.regulatory.choices import DeliveryChannel, EvidenceKind, RemunerationNature
from apps.regulatory.models import DgsfpLineMapping, DistributionEvidence

MONEY = {"max_digits": 16, "decimal_places": 2}


class DistributionEvidenceSerializer(serializers.ModelSerializer):
    policy_number = serializers.CharField(source="policy.number", read_only=True)
    recorded_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = DistributionEvidence
        fields = ["id", "policy", "policy_number", "kind", "delivered_at", "channel", "document", "answers",
                  "statement", "remuneration_nature", "notes", "recorded_by", "created_at"]
        read_only_fields = ["id", "policy_number", "recorded_by", "created_at"]


class EvidenceInputSerializer(serializers.Serializer):
    policy = serializers.PrimaryKeyRelatedField(queryset=Policy.objects.all())
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    channel = serializers.ChoiceField(choices=DeliveryChannel.choices)
    delivered_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    document = serializers.IntegerField(required=False, allow_null=True, default=None)
    answers = serializers.DictField(required=False, default=dict)
    statement = serializers.CharField(required=False, allow_blank=True, default="")
    remuneration_nature = serializers.ChoiceField(choices=RemunerationNature.choices, required=False,
                                                  allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class MappingSerializer(serializers.ModelSerializer):
    line_code = serializers.CharField(source="line.code", read_only=True)
    line_name = serializers.CharField(source="line.name", read_only=True)
    ramo_label = serializers.CharField(source="get_ramo_display", read_only=True)

    class Meta:
        model = DgsfpLineMapping
        fields = ["id", "line", "line_code", "line_name", "ramo", "ramo_label", "version"]
        read_only_fields = ["id", "line", "line_code", "line_name", "ramo_label", "version"]


class DecRowSerializer(serializers.Serializer):
    ramo = serializers.CharField()
    ramo_label = serializers.CharField()
    insurer = serializers.CharField()
    insurer_code = serializers.CharField()
    count = serializers.IntegerField()
    net = serializers.DecimalField(**MONEY)
    total = serializers.DecimalField(**MONEY)
    amount = serializers.DecimalField(**MONEY)


class DecCheckSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    dec = serializers.DecimalField(**MONEY)
    books = serializers.DecimalField(**MONEY)
    difference = serializers.DecimalField(**MONEY)
    ok = serializers.BooleanField()
    informative = serializers.BooleanField()
    source = serializers.CharField()


class DecSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    premiums_count = serializers.IntegerField()
    premiums_net = serializers.DecimalField(**MONEY)
    premiums_total = serializers.DecimalField(**MONEY)
    commissions_total = serializers.DecimalField(**MONEY)
    collected_count = serializers.IntegerField()
    collected_broker = serializers.DecimalField(**MONEY)
    collected_insurer = serializers.DecimalField(**MONEY)
    collected_amount = serializers.DecimalField(**MONEY)
    funds_total = serializers.DecimalField(**MONEY)
    checks_ok = serializers.BooleanField()
    premiums = DecRowSerializer(many=True)
    commissions = DecRowSerializer(many=True)
    collected = DecRowSerializer(many=True)
    funds = DecRowSerializer(many=True)
    checks = DecCheckSerializer(many=True)
