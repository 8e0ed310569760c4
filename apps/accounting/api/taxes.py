"""API routes of the accounting area «taxes»: (prefix, viewset, basename).

Read-only under /api/v1/accounting/: vat-books (?year&period&kind), model-303 (?year&period),
model-111-115 (?year&period), model-347 (?year), model-390 (?year); amounts as strings
("1234.56"), dates ISO 8601, boxes by their official number. Reading needs accounting.view_tax.
vat-settlements: GET ?year&period previews the settlement entry, POST {year, period, date}
posts it (accounting.add_entry) and answers 201 with the entry; a settled period is a 409
problem, a period with nothing to settle a 400 problem.
"""
import datetime
from dataclasses import asdict, is_dataclass
from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from apps.accounting.models import Entry, Tax
from apps.accounting.services.vat_settlement import vat_settle, vat_settlement_preview
from apps.accounting.tax_returns import model_303, model_347, model_390, models_111_115, tax_period, vat_book
from apps.accounting.tax_returns.forms import BookForm, PeriodForm, SettleForm, YearForm
from apps.accounting.tax_returns.periods import TaxPeriod


def plain(value):
    """Decimals as strings, dates ISO 8601, periods and sections as dicts, recursively."""
    if isinstance(value, TaxPeriod):
        return {"year": value.year, "period": value.code, "label": value.label,
                "date_from": value.date_from.isoformat(), "date_to": value.date_to.isoformat()}
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if is_dataclass(value):
        return plain(asdict(value))
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(item) for item in value]
    return value if value is None or isinstance(value, (int, str, bool)) else str(value)


def _params(form_class, data) -> dict:
    form = form_class(data)
    if not form.is_valid():
        raise serializers.ValidationError({name: list(errors) for name, errors in form.errors.items()})
    return form.cleaned_data


YEAR = [OpenApiParameter("year", OpenApiTypes.INT, description="Ejercicio (por defecto, el que se declara ahora)")]
PERIOD = YEAR + [OpenApiParameter("period", OpenApiTypes.STR, description="1T-4T o mes 01-12")]


class _TaxesViewSet(viewsets.ViewSet):
    # The permission class reads the model from here: tax books and returns = accounting.view_tax.
    queryset = Tax.objects.none()


class VatBookViewSet(_TaxesViewSet):
    @extend_schema(summary="Libro registro de IVA", responses=OpenApiTypes.OBJECT, parameters=[
        *YEAR, OpenApiParameter("period", OpenApiTypes.STR, description="1T-4T, 01-12 o 0A (año)"),
        OpenApiParameter("kind", OpenApiTypes.STR, enum=["issued", "received"])])
    def list(self, request):
        data = _params(BookForm, request.query_params)
        tp = tax_period(data["year"], data["period"])
        book = vat_book(kind=data["kind"], date_from=tp.date_from, date_to=tp.date_to)
        return Response(plain({**book, "title": str(book["title"]), "period": tp}))


class Model303ViewSet(_TaxesViewSet):
    @extend_schema(summary="Modelo 303", parameters=PERIOD, responses=OpenApiTypes.OBJECT)
    def list(self, request):
        data = _params(PeriodForm, request.query_params)
        return Response(plain(model_303(year=data["year"], period=data["period"])))


class Models111115ViewSet(_TaxesViewSet):
    @extend_schema(summary="Modelos 111 y 115", parameters=PERIOD, responses=OpenApiTypes.OBJECT)
    def list(self, request):
        data = _params(PeriodForm, request.query_params)
        return Response(plain(models_111_115(year=data["year"], period=data["period"])))


class Model347ViewSet(_TaxesViewSet):
    @extend_schema(summary="Modelo 347", parameters=YEAR, responses=OpenApiTypes.OBJECT)
    def list(self, request):
        return Response(plain(model_347(year=_params(YearForm, request.query_params)["year"])))


class Model390ViewSet(_TaxesViewSet):
    @extend_schema(summary="Modelo 390", parameters=YEAR, responses=OpenApiTypes.OBJECT)
    def list(self, request):
        return Response(plain(model_390(year=_params(YearForm, request.query_params)["year"])))


def _preview(tp: TaxPeriod) -> dict:
    preview = vat_settlement_preview(date_from=tp.date_from, date_to=tp.date_to)
    existing = preview["existing"]
    return plain({
        "period": tp, "output": preview["output"], "input": preview["input"], "result": preview["result"],
        "lines": [{"account": code, "debit": line.debit, "credit": line.credit} for code, line in preview["lines"]],
        "settled_by": {"id": existing.pk, "reference": str(existing), "date": existing.date} if existing else None,
    })


class VatSettlementViewSet(viewsets.ViewSet):
    # Previewing needs accounting.view_entry, posting accounting.add_entry.
    queryset = Entry.objects.none()

    @extend_schema(summary="Vista previa de la liquidación de IVA", parameters=PERIOD, responses=OpenApiTypes.OBJECT)
    def list(self, request):
        data = _params(PeriodForm, request.query_params)
        return Response(_preview(tax_period(data["year"], data["period"])))

    @extend_schema(summary="Contabilizar la liquidación de IVA", request=OpenApiTypes.OBJECT,
                   responses={201: OpenApiTypes.OBJECT})
    def create(self, request):
        data = _params(SettleForm, request.data)
        tp = data["tax_period"]
        entry = vat_settle(actor=request.user, date_from=tp.date_from, date_to=tp.date_to, date=data["date"])
        lines = entry.lines.select_related("account").order_by("line_no")
        return Response(plain({
            "id": entry.pk, "reference": str(entry), "date": entry.date, "source": entry.source, "total": entry.total,
            "lines": [{"account": line.account.code, "debit": line.debit, "credit": line.credit} for line in lines],
        }), status=status.HTTP_201_CREATED)


ROUTES = [
    ("accounting/vat-books", VatBookViewSet, "accounting-vat-books"),
    ("accounting/model-303", Model303ViewSet, "accounting-model-303"),
    ("accounting/model-111-115", Models111115ViewSet, "accounting-model-111-115"),
    ("accounting/model-347", Model347ViewSet, "accounting-model-347"),
    ("accounting/model-390", Model390ViewSet, "accounting-model-390"),
    ("accounting/vat-settlements", VatSettlementViewSet, "accounting-vat-settlements"),
]
