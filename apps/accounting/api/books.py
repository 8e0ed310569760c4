"""API routes of the accounting area «books»: (prefix, viewset, basename).

Read-only reports under /api/v1/accounting/: journal-book, ledger, trial-balance, balance-sheet,
profit-and-loss. Each takes its parameters from the query string (the same forms as the pages:
date_from, date_to, account, accounts, party, level, with_parents, date, model, compare, page,
page_size) and answers JSON with amounts as strings ("1234.56") and dates as ISO 8601.
Reading the books needs the permission to view entries.
"""
import datetime
from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from apps.accounting.errors import AccountingError
from apps.accounting.models import Entry
from apps.accounting.reports.forms import (
    BalanceSheetForm, LedgerForm, PeriodForm, ProfitAndLossForm, TrialBalanceForm, bound,
)
from apps.accounting.selectors_books import (
    balance_sheet, journal_book, ledger, profit_and_loss, trial_balance,
)


def plain(value):
    """Decimals as strings, dates as ISO 8601, recursively."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def _params(form_class, request) -> dict:
    form = bound(form_class, request.query_params)
    if not form.is_valid():
        raise serializers.ValidationError({name: list(errors) for name, errors in form.errors.items()})
    return form.cleaned_data


def _call(selector, **kwargs):
    try:
        return Response(plain(selector(**kwargs)))
    except AccountingError as exc:
        raise serializers.ValidationError({exc.field or "non_field_errors": [exc.message]}) from exc


PERIOD = [OpenApiParameter("date_from", OpenApiTypes.DATE), OpenApiParameter("date_to", OpenApiTypes.DATE)]
PAGING = [OpenApiParameter("page", OpenApiTypes.INT), OpenApiParameter("page_size", OpenApiTypes.INT)]
MODEL = [OpenApiParameter("model", OpenApiTypes.STR, enum=["pymes", "abreviado", "normal"]),
         OpenApiParameter("compare", OpenApiTypes.BOOL)]


class _BooksViewSet(viewsets.ViewSet):
    # The permission class reads the model from here: viewing the books = accounting.view_entry.
    queryset = Entry.objects.none()


class JournalBookViewSet(_BooksViewSet):
    @extend_schema(summary="Libro diario", parameters=PERIOD + PAGING, responses=OpenApiTypes.OBJECT)
    def list(self, request):
        data = _params(PeriodForm, request)
        return _call(journal_book, date_from=data["date_from"], date_to=data["date_to"],
                     page=request.query_params.get("page") or 1, page_size=request.query_params.get("page_size") or 100)


class LedgerViewSet(_BooksViewSet):
    @extend_schema(summary="Libro mayor", responses=OpenApiTypes.OBJECT, parameters=PERIOD + PAGING + [
        OpenApiParameter("account", OpenApiTypes.STR, description="Código o prefijo (430 = todas sus subcuentas)"),
        OpenApiParameter("accounts", OpenApiTypes.STR, description="Varios códigos separados por comas"),
        OpenApiParameter("party", OpenApiTypes.STR, description="NIF o número del tercero")])
    def list(self, request):
        data = _params(LedgerForm, request)
        return _call(ledger, account=data["account"] or None, accounts=data["accounts"], party=data["party"],
                     date_from=data["date_from"], date_to=data["date_to"],
                     page=request.query_params.get("page") or 1, page_size=request.query_params.get("page_size") or 100)


class TrialBalanceViewSet(_BooksViewSet):
    @extend_schema(summary="Balance de sumas y saldos", responses=OpenApiTypes.OBJECT, parameters=PERIOD + [
        OpenApiParameter("level", OpenApiTypes.INT, enum=[1, 2, 3, 4]),
        OpenApiParameter("with_parents", OpenApiTypes.BOOL)])
    def list(self, request):
        data = _params(TrialBalanceForm, request)
        return _call(trial_balance, date_from=data["date_from"], date_to=data["date_to"], level=data["level"],
                     with_parents=data["with_parents"])


class BalanceSheetViewSet(_BooksViewSet):
    @extend_schema(summary="Balance de situación", responses=OpenApiTypes.OBJECT,
                   parameters=[OpenApiParameter("date", OpenApiTypes.DATE), *MODEL])
    def list(self, request):
        data = _params(BalanceSheetForm, request)
        return _call(balance_sheet, date=data["date"], model=data["model"], compare=data["compare"])


class ProfitAndLossViewSet(_BooksViewSet):
    @extend_schema(summary="Cuenta de pérdidas y ganancias", responses=OpenApiTypes.OBJECT, parameters=PERIOD + MODEL)
    def list(self, request):
        data = _params(ProfitAndLossForm, request)
        return _call(profit_and_loss, date_from=data["date_from"], date_to=data["date_to"], model=data["model"],
                     compare=data["compare"])


ROUTES = [
    ("accounting/journal-book", JournalBookViewSet, "accounting-journal-book"),
    ("accounting/ledger", LedgerViewSet, "accounting-ledger"),
    ("accounting/trial-balance", TrialBalanceViewSet, "accounting-trial-balance"),
    ("accounting/balance-sheet", BalanceSheetViewSet, "accounting-balance-sheet"),
    ("accounting/profit-and-loss", ProfitAndLossViewSet, "accounting-profit-and-loss"),
]
