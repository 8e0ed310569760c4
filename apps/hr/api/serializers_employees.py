"""Serializers of the HR employee and contract API. Shapes only: the rules (and their messages) are the services'."""
from django.contrib.auth import get_user_model
from rest_framework import serializers

from apps.audit.api.sensitive import SensitiveFieldsMixin
from apps.collections.api.serializers_receipts import CodeChoiceField
from apps.hr.choices import ContractKind, ContractState, DistributionRole, TerminationReason
from apps.hr.models import Contract, ContractEvent, Department, Employee, WorkCentre


class EmployeeSerializer(SensitiveFieldsMixin, serializers.ModelSerializer):
    code = serializers.CharField(max_length=20, validators=[])
    tax_id = serializers.CharField(max_length=12, validators=[])
    ss_number = serializers.CharField(max_length=16, validators=[])
    iban = serializers.CharField(max_length=42, required=False, allow_blank=True)
    user = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all(), required=False,
                                              allow_null=True, validators=[])
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False, allow_null=True)
    manager = serializers.PrimaryKeyRelatedField(queryset=Employee.objects.all(), required=False, allow_null=True)
    work_centre = serializers.PrimaryKeyRelatedField(queryset=WorkCentre.objects.all(), required=False,
                                                     allow_null=True)
    distribution_role = CodeChoiceField(DistributionRole.choices, required=False)
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Employee
        fields = ["id", "code", "first_name", "last_name", "full_name", "tax_id", "ss_number", "birth_date", "user",
                  "email", "phone", "iban", "address", "postal_code", "city", "province", "emergency_contact_name",
                  "emergency_contact_phone", "department", "position", "manager", "work_centre", "cost_centre",
                  "distribution_role", "irpf_rate", "is_active", "version", "created_at"]
        read_only_fields = ["id", "full_name", "version", "created_at"]


class ContractEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractEvent
        fields = ["id", "kind", "date", "changes", "reason", "created_at"]


class ContractSerializer(serializers.ModelSerializer):
    employee = serializers.PrimaryKeyRelatedField(queryset=Employee.objects.all())
    kind = CodeChoiceField(ContractKind.choices)
    state = CodeChoiceField(ContractState.choices, read_only=True)
    weekly_hours = serializers.DecimalField(max_digits=4, decimal_places=2, required=False, allow_null=True)
    events = ContractEventSerializer(many=True, read_only=True)

    class Meta:
        model = Contract
        fields = ["id", "employee", "kind", "sepe_code", "full_time", "weekly_hours", "start_date", "end_date",
                  "trial_period_days", "annual_salary", "payments_per_year", "agreement", "agreement_group",
                  "contribution_group", "state", "termination_date", "termination_reason", "events", "version"]
        read_only_fields = ["id", "state", "termination_date", "termination_reason", "events", "version"]
        validators = []


class ContractExtendSerializer(serializers.Serializer):
    end_date = serializers.DateField()
    reason = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")


class ContractChangeSerializer(serializers.Serializer):
    on_date = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")
    annual_salary = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    full_time = serializers.BooleanField(required=False)
    weekly_hours = serializers.DecimalField(max_digits=4, decimal_places=2, required=False)
    agreement = serializers.CharField(max_length=150, required=False)
    agreement_group = serializers.CharField(max_length=60, required=False)
    contribution_group = serializers.IntegerField(required=False)
    payments_per_year = serializers.IntegerField(required=False)
    sepe_code = serializers.CharField(max_length=3, required=False, allow_blank=True)


class ContractTerminateSerializer(serializers.Serializer):
    on_date = serializers.DateField()
    reason = CodeChoiceField(TerminationReason.choices)
    note = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")
