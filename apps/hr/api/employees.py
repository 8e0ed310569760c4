"""API of employees: GET/POST hr/employees/, GET/PUT/PATCH hr/employees/<id>/ and POST …/<id>/deactivate/.
HR staff see and change everyone; anyone else reads only the employees apps.hr.access lets them see (their
own record, their team) with the IBAN masked — any other id answers 404. Errors are problem+json bodies."""
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api.idempotency import idempotent
from apps.hr.access import visible_employees
from apps.hr.api.permissions import HRRecordPermission
from apps.hr.api.serializers_employees import EmployeeSerializer
from apps.hr.filtersets_employees import EmployeeFilterSet
from apps.hr.services.employees import employee_create, employee_deactivate, employee_update


class EmployeeViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The brokerage's employees (NIF/NIE, Social Security number, department, manager, work centre)."""

    serializer_class = EmployeeSerializer
    permission_classes = [HRRecordPermission]
    filterset_class = EmployeeFilterSet
    search_fields = ["code", "first_name", "last_name", "tax_id", "position"]
    ordering_fields = ["code", "last_name", "created_at"]
    ordering = ["last_name", "first_name"]

    def get_queryset(self):
        return visible_employees(self.request.user).select_related("department", "work_centre", "manager")

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = employee_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = employee_update(actor=self.request.user, employee=serializer.instance,
                                              **serializer.validated_data)

    @extend_schema(request=None, responses={200: EmployeeSerializer})
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        employee = employee_deactivate(actor=request.user, employee=self.get_object())
        return Response(self.get_serializer(employee).data)


ROUTES = [("hr/employees", EmployeeViewSet, "hr-employee")]
