"""API of the accounting area «chart»: accounts, account roles, fiscal years and periods.
ROUTES are (prefix, viewset, basename), registered by apps.accounting.navigation."""
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from apps.accounting.api.serializers import (
    AccountMappingSerializer, AccountSerializer, FiscalYearSerializer, FiscalYearStateSerializer, PeriodSerializer,
    PeriodStateSerializer,
)
from apps.accounting.choices import FiscalYearState
from apps.accounting.filtersets import AccountFilterSet, PeriodFilterSet
from apps.accounting.models import Account, AccountMapping, FiscalYear, Period
from apps.accounting.services.chart import account_create
from apps.accounting.services.periods import fiscal_year_create, fiscal_year_set_state, period_set_state
from apps.accounting.services.setup import account_mapping_set
from apps.core.api.idempotency import idempotent
from apps.core.api.viewsets import ReadOnlyRecordViewSet


def require(user, model, action_name: str) -> None:
    """A state change needs the change_* permission (the POST itself only asked for add_*)."""
    if not user.has_perm(f"{model._meta.app_label}.{action_name}_{model._meta.model_name}"):
        raise PermissionDenied(_("Su rol no permite esta operación."))


class AccountViewSet(mixins.CreateModelMixin, ReadOnlyRecordViewSet):
    """The chart of accounts. `?code=43` lists the accounts whose code starts with 43; `?search=` looks
    in code and name. POST {code, name, party?} adds an account below its longest existing prefix."""

    queryset = Account.objects.select_related("parent")
    serializer_class = AccountSerializer
    filterset_class = AccountFilterSet
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name"]
    ordering = ["code"]

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = account_create(actor=self.request.user, code=data["code"], name=data["name"],
                                             party=data.get("party"))


class AccountMappingViewSet(mixins.UpdateModelMixin, ReadOnlyRecordViewSet):
    """Which account each posting role uses. PUT/PATCH .../<role>/ {"account": "<code>"}."""

    http_method_names = ["get", "put", "patch", "head", "options"]
    queryset = AccountMapping.objects.select_related("account")
    serializer_class = AccountMappingSerializer
    lookup_field = "role"
    ordering = ["role"]
    filterset_fields = ["role"]

    def perform_update(self, serializer):
        serializer.instance = account_mapping_set(actor=self.request.user, role=serializer.instance.role,
                                                  account=serializer.validated_data["account"])


class FiscalYearViewSet(mixins.CreateModelMixin, ReadOnlyRecordViewSet):
    """Fiscal years with their monthly periods. POST creates a year and its periods; .../close/,
    .../lock/ and .../reopen/ change its state."""

    queryset = FiscalYear.objects.prefetch_related("periods")
    serializer_class = FiscalYearSerializer
    filterset_fields = ["state", "name"]
    ordering = ["-start_date"]

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = fiscal_year_create(actor=self.request.user, **serializer.validated_data)

    def _set_state(self, request, state):
        require(request.user, FiscalYear, "change")
        year = fiscal_year_set_state(actor=request.user, fiscal_year=self.get_object(), state=state)
        return Response(self.get_serializer(FiscalYear.objects.prefetch_related("periods").get(pk=year.pk)).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._set_state(request, FiscalYearState.CLOSED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def lock(self, request, pk=None):
        return self._set_state(request, FiscalYearState.LOCKED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._set_state(request, FiscalYearState.OPEN)

    @extend_schema(request=FiscalYearStateSerializer)
    @action(detail=True, methods=["post"], url_path="state")
    def set_state(self, request, pk=None):
        params = FiscalYearStateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        return self._set_state(request, params.validated_data["state"])


class PeriodViewSet(ReadOnlyRecordViewSet):
    """Monthly periods. POST .../<id>/state/ {"state": "open" | "closed" | "locked"}."""

    queryset = Period.objects.select_related("fiscal_year")
    serializer_class = PeriodSerializer
    filterset_class = PeriodFilterSet
    ordering = ["-start_date"]

    @extend_schema(request=PeriodStateSerializer, responses=PeriodSerializer)
    @action(detail=True, methods=["post"])
    def state(self, request, pk=None):
        require(request.user, Period, "change")
        params = PeriodStateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        period = period_set_state(actor=request.user, period=self.get_object(), state=params.validated_data["state"])
        return Response(self.get_serializer(period).data, status=status.HTTP_200_OK)


ROUTES = [
    ("accounting/accounts", AccountViewSet, "accounting-account"),
    ("accounting/account-mappings", AccountMappingViewSet, "accounting-account-mapping"),
    ("accounting/fiscal-years", FiscalYearViewSet, "accounting-fiscal-year"),
    ("accounting/periods", PeriodViewSet, "accounting-period"),
]
