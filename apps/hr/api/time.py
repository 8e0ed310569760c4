"""API of the working-time record. GET hr/time/clock/ is the caller's day (state, next allowed kinds);
POST {kind} clocks them in, out or on a break at the server's time (no `at`: another time is a correction).
GET hr/time/records/ lists the records the caller may read (their own; a manager their team's; HR all);
hr/time/reports/?year=&month= the month totals of those people and &employee= one person's full report
(404 outside reach). GET hr/time/corrections/ lists corrections; POST {employee, replaces?, kind?, at?,
reason, voids?} records one approved by the caller (manager or HR). No PUT, PATCH or DELETE anywhere."""
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from apps.collections.api.receipts import params
from apps.hr.access import employee_of, require_readable, visible_employee_ids
from apps.hr.choices import TimeRecordKind, TimeRecordSource
from apps.hr.models import Employee, TimeRecord
from apps.hr.selectors_time import day_summary, month_report, monthly_reports
from apps.hr.services.time import clock, correction_create, next_actions
from apps.hr.services.time_export import signoff_note
from apps.identity.models import ApiKey


class TimePermission(BasePermission):
    """Any logged-in user (or API key with the scope); the services decide who may clock or correct whom."""

    message = _("Inicie sesión para usar el registro de jornada.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if isinstance(request.auth, ApiKey):
            needed = "read" if request.method in SAFE_METHODS else "write"
            if needed not in request.auth.scopes:
                self.message = _("La clave de API no tiene el ámbito «%s».") % needed
                return False
        return True


class TimeRecordSerializer(serializers.ModelSerializer):
    employee_name = serializers.CharField(source="employee.full_name", read_only=True)
    approved_by_email = serializers.CharField(source="approved_by.email", read_only=True, default=None)

    class Meta:
        model = TimeRecord
        fields = ["id", "employee", "employee_name", "kind", "at", "source", "replaces", "voids", "reason",
                  "approved_by", "approved_by_email", "created_at"]
        read_only_fields = fields


class ClockSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TimeRecordKind.choices)


class CorrectionSerializer(serializers.Serializer):
    employee = serializers.IntegerField()
    replaces = serializers.IntegerField(required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=TimeRecordKind.choices, required=False, allow_null=True)
    at = serializers.DateTimeField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=250)
    voids = serializers.BooleanField(required=False, default=False)


def _readable_employee(request, pk) -> Employee:
    ids = visible_employee_ids(request.user)
    if ids is not None and int(pk) not in ids:
        raise NotFound
    return get_object_or_404(Employee, pk=pk)


class TimeClockViewSet(viewsets.ViewSet):
    """GET: your state today (records, worked so far, the kinds you may clock next). POST {kind}: clock in,
    out or a break for yourself, at the server's time."""

    permission_classes = [TimePermission]

    @extend_schema(responses={200: dict})
    def list(self, request):
        employee = employee_of(request.user)
        if employee is None:
            return Response({"employee": None, "state": None, "next": [], "worked_minutes": 0, "records": []})
        today = day_summary(employee, timezone.localdate(), until=timezone.now())
        return Response({"employee": employee.pk, "state": today.state, "next": list(next_actions(today.state)),
                         "worked_minutes": today.worked_minutes, "break_minutes": today.break_minutes,
                         "records": TimeRecordSerializer(today.records, many=True).data})

    @extend_schema(request=ClockSerializer, responses={201: TimeRecordSerializer})
    def create(self, request):
        employee = employee_of(request.user)
        if employee is None:
            raise NotFound(_("Su usuario no está vinculado a ningún empleado."))
        record = clock(actor=request.user, employee=employee, kind=params(ClockSerializer, request)["kind"],
                       source=TimeRecordSource.API, ip=request.META.get("REMOTE_ADDR"))
        return Response(TimeRecordSerializer(record).data, status=status.HTTP_201_CREATED)


class TimeRecordViewSet(viewsets.ReadOnlyModelViewSet):
    """Clock records you may read (yours; your team's; HR all), originals and corrections alike."""

    serializer_class = TimeRecordSerializer
    permission_classes = [TimePermission]
    filterset_fields = ["employee", "kind", "source"]
    ordering = ["-at"]

    def get_queryset(self):
        queryset = TimeRecord.objects.select_related("employee", "approved_by").order_by("-at", "-pk")
        ids = visible_employee_ids(self.request.user)
        return queryset if ids is None else queryset.filter(employee_id__in=ids)


def _moment(value):
    return timezone.localtime(value).isoformat() if value else None


def _totals(report) -> dict:
    return {
        "employee": report.employee.pk, "employee_name": report.employee.full_name, "year": report.year,
        "month": report.month, "worked_minutes": report.worked_minutes, "break_minutes": report.break_minutes,
        "ordinary_minutes": report.ordinary_minutes, "extra_minutes": report.extra_minutes,
        "days_worked": report.days_worked, "working_days": report.working_days,
        "daily_minutes": report.daily_minutes, "incomplete_days": report.incomplete_days,
        "corrections": report.corrections, "signed": report.signoff is not None,
        "signed_worked_minutes": report.signoff.worked_minutes if report.signoff else None,
        "signoff_differs": report.signoff_differs, "signoff_note": signoff_note(report)}


def _report_data(report) -> dict:
    return {**_totals(report), "days": [
        {"date": day.date.isoformat(), "first_in": _moment(day.first_in), "last_out": _moment(day.last_out),
         "worked_minutes": day.worked_minutes, "break_minutes": day.break_minutes,
         "extra_minutes": day.extra_minutes, "working_day": day.working_day, "holiday": day.holiday,
         "corrected": day.corrected, "incomplete": day.incomplete,
         "records": [{"id": r.pk, "kind": r.kind, "at": _moment(r.at), "source": r.source} for r in day.records]}
        for day in report.days]}


class TimeReportViewSet(viewsets.ViewSet):
    """Month reports, ?year=&month= (default: this month). With ?employee= one person's report with every
    day (404 outside your reach); without it, the totals of everyone you may read — yourself first."""

    permission_classes = [TimePermission]

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("month", int),
                               OpenApiParameter("employee", int)], responses={200: dict})
    def list(self, request):
        today = timezone.localdate()
        try:
            year = int(request.query_params.get("year") or today.year)
            month = int(request.query_params.get("month") or today.month)
            pk = int(request.query_params.get("employee") or 0)
        except ValueError:
            raise serializers.ValidationError({"detail": _("Año, mes o empleado no válidos.")}) from None
        if not (1 <= month <= 12 and 2000 <= year <= 2100):
            raise serializers.ValidationError({"detail": _("Año o mes no válidos.")})
        if pk:
            employee = require_readable(request.user, _readable_employee(request, pk))
            return Response(_report_data(month_report(employee, year, month)))
        ids = visible_employee_ids(request.user)
        if ids is None:
            ids = Employee.objects.filter(is_active=True).values_list("pk", flat=True)
        me = employee_of(request.user)
        reports = sorted(monthly_reports(ids, year, month).values(),
                         key=lambda report: report.employee.pk != getattr(me, "pk", None))
        return Response({"year": year, "month": month, "results": [_totals(report) for report in reports]})


class TimeCorrectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Corrections you may read; POST one approved by you (the person's manager or HR): the original stays."""

    serializer_class = TimeRecordSerializer
    permission_classes = [TimePermission]
    filterset_fields = ["employee"]
    ordering = ["-created_at"]

    def get_queryset(self):
        queryset = (TimeRecord.objects.filter(source=TimeRecordSource.CORRECTION)
                    .select_related("employee", "approved_by").order_by("-created_at", "-pk"))
        ids = visible_employee_ids(self.request.user)
        return queryset if ids is None else queryset.filter(employee_id__in=ids)

    @extend_schema(request=CorrectionSerializer, responses={201: TimeRecordSerializer})
    def create(self, request):
        data = params(CorrectionSerializer, request)
        employee = _readable_employee(request, data["employee"])
        replaces = (get_object_or_404(TimeRecord, pk=data["replaces"], employee=employee)
                    if data.get("replaces") else None)
        record = correction_create(actor=request.user, employee=employee, replaces=replaces, kind=data.get("kind"),
                                   at=data.get("at"), reason=data["reason"], approver=request.user,
                                   voids=data.get("voids", False))
        return Response(TimeRecordSerializer(record).data, status=status.HTTP_201_CREATED)


ROUTES = [("hr/time/clock", TimeClockViewSet, "hr-time-clock"),
          ("hr/time/records", TimeRecordViewSet, "hr-time-record"),
          ("hr/time/reports", TimeReportViewSet, "hr-time-report"),
          ("hr/time/corrections", TimeCorrectionViewSet, "hr-time-correction")]
