"""API of payroll. Runs (HR only, 404 to others): GET/POST hr/payroll-runs/ {year, month, payment_date}
(calculate or recalculate), GET …/<id>/ with its payslips, POST …/<id>/post/ and …/<id>/pay/
{execution_date?}. Payslips: GET hr/payslips/ and …/<id>/ (the employee their own, HR all; managers none)
and …/<id>/pdf/. Each command is one call to services.payroll / payroll_posting."""
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.collections.api.receipts import params
from apps.core.api.idempotency import idempotent
from apps.hr.access import is_hr_staff
from apps.hr.api.permissions import HRRecordPermission
from apps.hr.models import PayrollRun, Payslip
from apps.hr.selectors_payroll import readable_payslips, runs
from apps.hr.services.payroll import payroll_run_calculate, payroll_run_post
from apps.hr.services.payroll_pdf import payslip_pdf, payslip_pdf_name
from apps.hr.services.payroll_posting import payroll_run_pay

MONEY_FIELDS = ["gross_total", "irpf_total", "ss_employee_total", "ss_employer_total", "net_total"]


class PayslipSerializer(serializers.ModelSerializer):
    employee_name = serializers.CharField(source="employee.full_name", read_only=True)
    period = serializers.CharField(source="run.__str__", read_only=True)

    class Meta:
        model = Payslip
        fields = ["id", "run", "period", "employee", "employee_name", "contract", "days", "base_salary", "extra_pay",
                  "gross", "contribution_base", "irpf_rate", "irpf", "ss_employee", "ss_employer", "net", "detail"]
        read_only_fields = fields


class PayrollRunSerializer(serializers.ModelSerializer):
    transfer_order_number = serializers.CharField(source="transfer_order.number", read_only=True, default=None)
    entry_number = serializers.IntegerField(source="entry.number", read_only=True, default=None)

    class Meta:
        model = PayrollRun
        fields = ["id", "year", "month", "state", "payment_date", *MONEY_FIELDS, "entry", "entry_number",
                  "transfer_order", "transfer_order_number"]
        read_only_fields = fields


class RunCalculateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)
    payment_date = serializers.DateField()


class RunPaySerializer(serializers.Serializer):
    execution_date = serializers.DateField(required=False)


class PayrollRunViewSet(viewsets.ReadOnlyModelViewSet):
    """Monthly payroll runs (HR)."""

    serializer_class = PayrollRunSerializer
    permission_classes = [HRRecordPermission]
    filterset_fields = ["year", "month", "state"]
    ordering = ["-year", "-month"]

    def get_queryset(self):
        return runs().order_by("-year", "-month") if is_hr_staff(self.request.user) else PayrollRun.objects.none()

    def _done(self, run, code=status.HTTP_200_OK) -> Response:
        data = PayrollRunSerializer(self.get_queryset().get(pk=run.pk)).data
        data["skipped"] = [str(e) for e in getattr(run, "skipped", [])]
        data["refused"] = [reason for _slip, reason in getattr(run, "refused", [])]
        return Response(data, status=code)

    @extend_schema(request=RunCalculateSerializer, responses={201: PayrollRunSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        run = payroll_run_calculate(actor=request.user, **params(RunCalculateSerializer, request))
        return self._done(run, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: PayrollRunSerializer})
    @action(detail=True, methods=["post"], url_path="post", url_name="post")
    def post_run(self, request, pk=None):
        return self._done(payroll_run_post(actor=request.user, run=self.get_object()))

    @extend_schema(request=RunPaySerializer, responses={200: PayrollRunSerializer})
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        data = params(RunPaySerializer, request)
        return self._done(payroll_run_pay(actor=request.user, run=self.get_object(), **data))


class PayslipViewSet(viewsets.ReadOnlyModelViewSet):
    """Payslips: an employee's own, HR all (managers none: payslips are private)."""

    serializer_class = PayslipSerializer
    permission_classes = [HRRecordPermission]
    filterset_fields = ["run", "employee"]
    ordering = ["-run__year", "-run__month", "employee__last_name"]

    def get_queryset(self):
        return readable_payslips(self.request.user).order_by("-run__year", "-run__month", "employee__last_name")

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        slip = self.get_object()
        response = HttpResponse(payslip_pdf(slip), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{payslip_pdf_name(slip)}"'
        return response


ROUTES = [("hr/payroll-runs", PayrollRunViewSet, "hr-payroll-run"), ("hr/payslips", PayslipViewSet, "hr-payslip")]
