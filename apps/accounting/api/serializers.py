"""Serializers of the chart, periods and entries endpoints. They shape input and output; the
services (apps.accounting.services) validate and write."""
from django.utils.translation import gettext as _
from rest_framework import serializers

from apps.accounting.choices import EntryKind, FiscalYearState, PeriodState
from apps.accounting.models import Account, AccountMapping, Entry, EntryLine, FiscalYear, Journal, Period
from apps.accounting.services.setup import ACCOUNT_ROLES


class AccountSerializer(serializers.ModelSerializer):
    """Create with {code, name, party?}: the account hangs below the account whose code is its longest prefix."""

    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Account
        fields = ["id", "code", "name", "parent", "is_official", "is_postable", "is_active", "party", "layout_tag",
                  "version"]
        read_only_fields = ["is_official", "is_postable", "is_active", "layout_tag", "version"]
        # The service checks uniqueness and the code format, with the brokerage's messages.
        extra_kwargs = {"code": {"validators": []}}


class AccountMappingSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()
    account = serializers.SlugRelatedField(slug_field="code", queryset=Account.objects.all())
    account_name = serializers.CharField(source="account.name", read_only=True)

    class Meta:
        model = AccountMapping
        fields = ["role", "label", "account", "account_name"]
        read_only_fields = ["role"]

    def get_label(self, obj) -> str:
        return str(ACCOUNT_ROLES.get(obj.role, (None, obj.role))[1])


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = Period
        fields = ["id", "fiscal_year", "number", "start_date", "end_date", "state"]
        read_only_fields = fields


class PeriodStateSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=PeriodState.choices)


class FiscalYearSerializer(serializers.ModelSerializer):
    periods = PeriodSerializer(many=True, read_only=True)

    class Meta:
        model = FiscalYear
        fields = ["id", "name", "start_date", "end_date", "state", "last_entry_number", "periods", "version"]
        read_only_fields = ["state", "last_entry_number", "periods", "version"]
        extra_kwargs = {"name": {"validators": []}}


class FiscalYearStateSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=FiscalYearState.choices)


class JournalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Journal
        fields = ["id", "code", "name", "kind", "is_active"]
        read_only_fields = fields


class EntryLineSerializer(serializers.ModelSerializer):
    account = serializers.CharField(source="account.code", read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    tax = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = EntryLine
        fields = ["line_no", "account", "account_name", "party", "debit", "credit", "description", "tax", "tax_base",
                  "line_of_business", "insurer", "branch"]
        read_only_fields = fields


class EntryListSerializer(serializers.ModelSerializer):
    fiscal_year = serializers.CharField(source="fiscal_year.name", read_only=True)
    journal = serializers.CharField(source="journal.code", read_only=True)
    reversed_by = serializers.SerializerMethodField()

    class Meta:
        model = Entry
        fields = ["id", "fiscal_year", "number", "date", "journal", "description", "state", "kind", "total",
                  "reversal_of", "reversed_by", "source", "posted_at", "version"]
        read_only_fields = fields

    def get_reversed_by(self, obj) -> int | None:
        try:
            return obj.reversed_by.pk
        except Entry.DoesNotExist:
            return None


class EntrySerializer(EntryListSerializer):
    lines = EntryLineSerializer(many=True, read_only=True)

    class Meta(EntryListSerializer.Meta):
        fields = [*EntryListSerializer.Meta.fields, "period", "posted_by", "created_at", "lines"]
        read_only_fields = fields


class EntryLineWriteSerializer(serializers.Serializer):
    account = serializers.CharField(max_length=12, help_text="Código de una cuenta imputable, p. ej. 4300 o 705.")
    debit = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, default=0)
    credit = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, default=0)
    party = serializers.IntegerField(required=False, allow_null=True, help_text="Id del tercero del CRM.")
    description = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")
    tax = serializers.CharField(max_length=20, required=False, allow_blank=True, allow_null=True,
                                help_text="Código de impuesto: IVA21, EXENTO20, IRPF15…")
    tax_base = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    line_of_business = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    insurer = serializers.IntegerField(required=False, allow_null=True)
    branch = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class EntryWriteSerializer(serializers.Serializer):
    """A new entry (or a draft's new content). `draft: true` keeps it unnumbered until .../post/."""

    date = serializers.DateField()
    description = serializers.CharField(max_length=250)
    journal = serializers.CharField(max_length=10, default="GEN")
    kind = serializers.ChoiceField(choices=EntryKind.choices, default=EntryKind.NORMAL,
                                   help_text="Cualquiera salvo «reversal»: las anulaciones se hacen con …/reverse/.")
    source = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    draft = serializers.BooleanField(required=False, default=False)
    lines = EntryLineWriteSerializer(many=True, allow_empty=False)

    def validate_kind(self, value):
        if value == EntryKind.REVERSAL:
            raise serializers.ValidationError(_("Un asiento de anulación se crea con …/reverse/ sobre el asiento anulado."))
        return value


class EntryReverseSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True,
                                 help_text="Fecha de la anulación; por defecto la del asiento anulado.")
    description = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")
