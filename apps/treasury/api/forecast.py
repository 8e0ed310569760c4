"""API of the cash position and forecast: GET /api/v1/treasury/forecast/?horizon=90(&bank_account=id)
answers the position of each active bank account (books, last statement, difference), the totals and
one row per day (inflow, outflow, net, balance, negative, flows with their source) with amounts as
Decimal strings. A horizon outside 1..365 is a 400 problem body. Needs treasury.view_bankaccount."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from apps.treasury.models import BankAccount
from apps.treasury.services.forecast import cash_forecast

MONEY = {"max_digits": 16, "decimal_places": 2}


class ForecastFlowSerializer(serializers.Serializer):
    date = serializers.DateField()
    source = serializers.CharField()
    label = serializers.CharField()
    amount = serializers.DecimalField(**MONEY)
    count = serializers.IntegerField()
    overdue = serializers.BooleanField()


class ForecastDaySerializer(serializers.Serializer):
    date = serializers.DateField(source="start")
    inflow = serializers.DecimalField(**MONEY)
    outflow = serializers.DecimalField(**MONEY)
    net = serializers.DecimalField(**MONEY)
    balance = serializers.DecimalField(**MONEY)
    negative = serializers.BooleanField()
    flows = ForecastFlowSerializer(many=True)


class ForecastAccountSerializer(serializers.Serializer):
    bank_account = serializers.IntegerField(source="bank_account.pk")
    name = serializers.CharField(source="bank_account.name")
    iban = serializers.CharField(source="bank_account.iban")
    ledger_account = serializers.CharField(source="bank_account.account.code")
    balance = serializers.DecimalField(**MONEY)
    statement_date = serializers.DateField(allow_null=True)
    statement_balance = serializers.DecimalField(allow_null=True, **MONEY)
    difference = serializers.DecimalField(allow_null=True, **MONEY)


class ForecastPositionSerializer(serializers.Serializer):
    date = serializers.DateField()
    accounts = ForecastAccountSerializer(many=True)
    total = serializers.DecimalField(**MONEY)
    statement_total = serializers.DecimalField(allow_null=True, **MONEY)
    difference_total = serializers.DecimalField(allow_null=True, **MONEY)


class ForecastSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    horizon = serializers.IntegerField()
    position = ForecastPositionSerializer()
    opening = serializers.DecimalField(**MONEY)
    inflow = serializers.DecimalField(**MONEY)
    outflow = serializers.DecimalField(**MONEY)
    closing = serializers.DecimalField(**MONEY)
    days = ForecastDaySerializer(many=True)


class ForecastQuerySerializer(serializers.Serializer):
    bank_account = serializers.PrimaryKeyRelatedField(queryset=BankAccount.objects.filter(is_active=True),
                                                      required=False, allow_null=True, default=None)


class ForecastViewSet(viewsets.ViewSet):
    """Cash position today and the forecast of inflows and outflows (issue 7 item 8)."""

    # The permission class reads the model from here: the forecast = treasury.view_bankaccount.
    queryset = BankAccount.objects.none()

    @extend_schema(summary="Posición y previsión de tesorería", responses=ForecastSerializer, parameters=[
        OpenApiParameter("horizon", OpenApiTypes.INT, description="Días de previsión (1-365, por defecto 90)"),
        OpenApiParameter("bank_account", OpenApiTypes.INT, description="Solo el saldo de esta cuenta")])
    def list(self, request):
        query = ForecastQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        forecast = cash_forecast(horizon=request.query_params.get("horizon"),
                                 bank_account=query.validated_data["bank_account"])
        return Response(ForecastSerializer(forecast).data)


ROUTES = [
    ("treasury/forecast", ForecastViewSet, "treasury-forecast"),
]
