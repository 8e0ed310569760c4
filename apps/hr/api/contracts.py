"""API of contracts: GET/POST hr/contracts/ (filter ?employee=<id>), GET …/<id>/ with its history, and the
commands POST …/<id>/extend/ {end_date, reason}, …/<id>/change/ {on_date, annual_salary, weekly_hours, …} and
…/<id>/terminate/ {on_date, reason, note}, each one call to services.contracts. Reads follow apps.hr.access
(404 outside the reader's reach); salaries are shown to HR and to the employee only; writes are HR's."""
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.collections.api.receipts import params
from apps.core.api.idempotency import idempotent
from apps.hr.access import is_hr_staff, visible_employee_ids
from apps.hr.api.permissions import HRRecordPermission
from apps.hr.api.serializers_employees import (
    ContractChangeSerializer, ContractExtendSerializer, ContractSerializer, ContractTerminateSerializer,
)
from apps.hr.models import Contract, ContractEvent
from apps.hr.services.contracts import contract_change, contract_create, contract_extend, contract_terminate


class ContractViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Employment contracts with their history (signature, extensions, changes, termination)."""

    serializer_class = ContractSerializer
    permission_classes = [HRRecordPermission]
    filterset_fields = ["employee", "state", "kind"]
    ordering_fields = ["start_date", "end_date"]
    ordering = ["employee", "-start_date"]

    def get_queryset(self):
        events = Prefetch("events", queryset=ContractEvent.objects.order_by("pk"))  # in the order they happened
        queryset = Contract.objects.select_related("employee").prefetch_related(events)
        ids = visible_employee_ids(self.request.user)
        return queryset if ids is None else queryset.filter(employee_id__in=ids)

    def _data(self, contract) -> dict:
        data = ContractSerializer(contract, context=self.get_serializer_context()).data
        user = self.request.user
        if not is_hr_staff(user) and contract.employee.user_id != user.pk:
            data["annual_salary"] = None
            data["events"] = [{**event, "changes": {key: value for key, value in event["changes"].items()
                                                     if key != "annual_salary"}} for event in data["events"]]
        return data

    def _done(self, contract) -> Response:
        return Response(self._data(self.get_queryset().get(pk=contract.pk)))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([self._data(contract) for contract in page])

    def retrieve(self, request, *args, **kwargs):
        return Response(self._data(self.get_object()))

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = contract_create(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=ContractExtendSerializer, responses={200: ContractSerializer})
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        data = params(ContractExtendSerializer, request)
        return self._done(contract_extend(actor=request.user, contract=self.get_object(), **data))

    @extend_schema(request=ContractChangeSerializer, responses={200: ContractSerializer})
    @action(detail=True, methods=["post"])
    def change(self, request, pk=None):
        data = params(ContractChangeSerializer, request)
        return self._done(contract_change(actor=request.user, contract=self.get_object(), **data))

    @extend_schema(request=ContractTerminateSerializer, responses={200: ContractSerializer})
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        data = params(ContractTerminateSerializer, request)
        return self._done(contract_terminate(actor=request.user, contract=self.get_object(), **data))


ROUTES = [("hr/contracts", ContractViewSet, "hr-contract")]
