"""API of leave. GET hr/leave/requests/ lists the requests the caller may read (their own; a manager their team's;
HR all; ?employee=, ?state=, ?leave_type=); POST {leave_type, start_date, end_date, notes?, employee?} asks for
leave (for yourself; HR for anyone) and answers the request with the team-overlap `warnings`; POST …/<id>/approve/
{note?}, …/<id>/reject/ {note}, …/<id>/cancel/ {note?} call the services (404 outside reach, 403 when the caller
may read but not decide). GET hr/leave/requests/preview/?leave_type=&start_date=&end_date= gives the days and the
balance left without saving. GET hr/leave/balances/?year=&employee= the balances of a year (default: yours)."""
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from apps.collections.api.receipts import params
from apps.hr.access import employee_of, visible_employee_ids
from apps.hr.models import Employee, LeaveRequest, LeaveType
from apps.hr.selectors_leave import visible_requests
from apps.hr.services.leave import (leave_request_approve, leave_request_cancel, leave_request_create,
                                    leave_request_preview, leave_request_reject)
from apps.hr.services.leave_allowances import balances
from apps.identity.models import ApiKey


class LeavePermission(BasePermission):
    """Any logged-in user (or API key with the scope); the services decide who may ask, approve or cancel."""

    message = _("Inicie sesión para consultar o pedir ausencias.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if isinstance(request.auth, ApiKey):
            needed = "read" if request.method in SAFE_METHODS else "write"
            if needed not in request.auth.scopes:
                self.message = _("La clave de API no tiene el ámbito «%s».") % needed
                return False
        return True


class LeaveRequestSerializer(serializers.ModelSerializer):
    employee_name = serializers.CharField(source="employee.full_name", read_only=True)
    leave_type_code = serializers.CharField(source="leave_type.code", read_only=True)
    leave_type_name = serializers.CharField(source="leave_type.name", read_only=True)

    class Meta:
        model = LeaveRequest
        fields = ["id", "employee", "employee_name", "leave_type", "leave_type_code", "leave_type_name",
                  "start_date", "end_date", "days", "state", "notes", "decided_by", "decided_at", "decision_note",
                  "created_at"]
        read_only_fields = fields


class LeaveCreateSerializer(serializers.Serializer):
    leave_type = serializers.PrimaryKeyRelatedField(queryset=LeaveType.objects.all())
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    notes = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")
    employee = serializers.IntegerField(required=False, allow_null=True, default=None)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")


def _days(value) -> str:
    """Days as the model serializer writes them: a string with one decimal ("17.0")."""
    return str(Decimal(value).quantize(Decimal("0.1")))


def _employee(request, pk) -> Employee:
    """The caller's own record without `pk`; else the employee `pk` if the caller may read them (404 if not)."""
    if not pk:
        own = employee_of(request.user)
        if own is None:
            raise NotFound(_("Su usuario no está vinculado a ningún empleado."))
        return own
    ids = visible_employee_ids(request.user)
    if ids is not None and int(pk) not in ids:
        raise NotFound
    return get_object_or_404(Employee.objects.select_related("work_centre"), pk=pk)


class LeaveRequestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Leave requests you may read; ask for leave, approve, reject or cancel through the services."""

    serializer_class = LeaveRequestSerializer
    permission_classes = [LeavePermission]
    filterset_fields = ["employee", "state", "leave_type"]
    ordering = ["-start_date"]

    def get_queryset(self):
        return visible_requests(self.request.user).order_by("-start_date", "-pk")

    @extend_schema(request=LeaveCreateSerializer, responses={201: dict})
    def create(self, request, *args, **kwargs):
        data = params(LeaveCreateSerializer, request)
        employee = _employee(request, data.pop("employee"))
        result = leave_request_create(actor=request.user, employee=employee, **data)
        return Response({**LeaveRequestSerializer(result.request).data, "warnings": result.warnings},
                        status=status.HTTP_201_CREATED)

    def _decide(self, request, service):
        leave = self.get_object()
        note = params(NoteSerializer, request)["note"]
        return Response(LeaveRequestSerializer(service(actor=request.user, leave=leave, note=note)).data)

    @extend_schema(request=NoteSerializer, responses={200: LeaveRequestSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, leave_request_approve)

    @extend_schema(request=NoteSerializer, responses={200: LeaveRequestSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, leave_request_reject)

    @extend_schema(request=NoteSerializer, responses={200: LeaveRequestSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._decide(request, leave_request_cancel)

    @extend_schema(parameters=[OpenApiParameter("leave_type", int), OpenApiParameter("start_date", str),
                               OpenApiParameter("end_date", str), OpenApiParameter("employee", int)],
                   responses={200: dict})
    @action(detail=False, methods=["get"])
    def preview(self, request):
        serializer = LeaveCreateSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        employee = _employee(request, data.pop("employee"))
        result = leave_request_preview(employee=employee, leave_type=data["leave_type"],
                                       start_date=data["start_date"], end_date=data["end_date"])
        return Response({"employee": employee.pk, "days": _days(result.days),
                         "available_after": None if result.available is None else _days(result.available),
                         "warnings": result.warnings})


class LeaveBalanceViewSet(viewsets.ViewSet):
    """Balances of a year (?year=, default this year) per type with an allowance: yours (none if you are not an
    employee), or ?employee= (404 outside your reach)."""

    permission_classes = [LeavePermission]

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("employee", int)],
                   responses={200: dict})
    def list(self, request):
        year = request.query_params.get("year", "")
        year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year
        pk = request.query_params.get("employee", "")
        if pk and not pk.isdigit():
            raise serializers.ValidationError({"employee": _("Empleado no válido.")})
        if not pk and employee_of(request.user) is None:
            return Response({"employee": None, "year": year, "results": []})
        employee = _employee(request, int(pk) if pk else None)
        return Response({"employee": employee.pk, "year": year, "results": [
            {"leave_type": b.leave_type.pk, "code": b.leave_type.code, "name": b.leave_type.name,
             "days": _days(b.days), "carried_over": _days(b.carried_over), "approved": _days(b.approved),
             "requested": _days(b.requested), "available": _days(b.available)} for b in balances(employee, year)]})


ROUTES = [("hr/leave/requests", LeaveRequestViewSet, "hr-leave-request"),
          ("hr/leave/balances", LeaveBalanceViewSet, "hr-leave-balance")]
