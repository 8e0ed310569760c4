"""Page «Posición y previsión de tesorería» (/tesoreria/prevision/): cards with today's balance of each
bank account (books, last Norma 43 statement, difference), a chart of the weekly inflows and outflows
with the running balance, the weekly table whose amounts open the records behind them
(/tesoreria/prevision/detalle/), horizon and account filters and the CSV of the daily table.
Thin: everything comes from apps.treasury.services.forecast."""
import csv
import io
from decimal import Decimal

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET

from aitcore.registry import MenuEntry
from apps.core.errors import DomainError
from apps.insurance.forms.risk_pages import style_form
from apps.insurance.views.quotes import needs
from apps.treasury.models import BankAccount
from apps.treasury.services.forecast import (
    DEFAULT_HORIZON, LABELS, MAX_HORIZON, cash_forecast, forecast_records,
)
from apps.treasury.views._pages import SECTION

TITLE = _l("Posición y previsión de tesorería")
VIEW = "treasury.view_bankaccount"


class ForecastFilterForm(forms.Form):
    horizonte = forms.IntegerField(label=_l("Horizonte (días)"), min_value=1, max_value=MAX_HORIZON, required=False,
                                   initial=DEFAULT_HORIZON)
    cuenta = forms.ModelChoiceField(label=_l("Cuenta"), required=False, empty_label=_l("Todas las cuentas"),
                                    queryset=BankAccount.objects.filter(is_active=True).order_by("name"))


class DetailForm(forms.Form):
    origen = forms.CharField(max_length=40)
    desde = forms.DateField(required=False)
    hasta = forms.DateField()


def detail_url(source: str, period, first_day) -> str:
    """The records of `source` behind a day or week; the first period takes the overdue ones too."""
    query = {"origen": source, "hasta": period.end.isoformat()}
    if period.start != first_day:
        query["desde"] = period.start.isoformat()
    return f"{reverse('treasury:forecast-detail')}?{urlencode(query)}"


def _cells(period, first_day, inflow: bool) -> list[dict]:
    return [{"label": label, "amount": amount, "count": count, "url": detail_url(key, period, first_day)}
            for key, label, amount, count in period.by_source(inflow)]


def _chart(forecast) -> dict:
    return {"labels": [week.start.strftime("%d/%m") for week in forecast.weeks],
            "inflows": [f"{week.inflow:.2f}" for week in forecast.weeks],
            "outflows": [f"{-week.outflow:.2f}" for week in forecast.weeks],
            "balance": [f"{week.balance:.2f}" for week in forecast.weeks]}


def _money(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def _csv(forecast) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_("Fecha"), _("Cobros"), _("Pagos"), _("Neto"), _("Saldo"), _("Vencidos"), _("Detalle")])
    for day in forecast.days:
        detail = " | ".join(f"{flow.label}: {_money(flow.amount)} ({flow.count})" for flow in day.flows)
        writer.writerow([day.start.strftime("%d/%m/%Y"), _money(day.inflow), _money(day.outflow), _money(day.net),
                         _money(day.balance), _("Sí") if day.overdue else "", detail])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="prevision-tesoreria-{forecast.start:%Y%m%d}.csv"'
    return response


@needs(VIEW)
@require_GET
def forecast_view(request):
    form = style_form(ForecastFilterForm(request.GET or None))
    data = form.cleaned_data if form.is_valid() else {}
    forecast = cash_forecast(horizon=data.get("horizonte") or DEFAULT_HORIZON, bank_account=data.get("cuenta"))
    if request.GET.get("export") == "csv":
        return _csv(forecast)
    first = forecast.start
    weeks = [{"period": week, "inflows": _cells(week, first, True), "outflows": _cells(week, first, False)}
             for week in forecast.weeks]
    querystring = request.GET.copy()
    querystring.pop("export", None)
    return render(request, "treasury/forecast/page.html", {
        "title": TITLE, "form": form, "forecast": forecast, "position": forecast.position, "weeks": weeks,
        "chart": _chart(forecast), "querystring": querystring.urlencode(),
        "first_negative": forecast.negative_days[0] if forecast.negative_days else None})


@needs(VIEW)
@require_GET
def forecast_detail_view(request):
    form = DetailForm(request.GET)
    records, error = [], ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            records = forecast_records(source=data["origen"], date_from=data["desde"], date_to=data["hasta"])
        except DomainError as exc:
            error = exc.message
    else:
        error = _("Indique el origen y las fechas.")
    data = form.cleaned_data if form.is_valid() else {}
    return render(request, "treasury/forecast/detail.html", {
        "title": LABELS.get(data.get("origen", ""), TITLE), "records": records, "error": error,
        "date_from": data.get("desde"), "date_to": data.get("hasta"),
        "total": sum((record.amount for record in records), Decimal("0.00"))}, status=400 if error else 200)


MENU = [
    MenuEntry(section=SECTION, label=TITLE, url_name="treasury:forecast", icon="bi-graph-up-arrow",
              permission=VIEW, order=60, also_active=("treasury:forecast-detail",)),
]

urlpatterns = [
    path("prevision/", forecast_view, name="forecast"),
    path("prevision/detalle/", forecast_detail_view, name="forecast-detail"),
]
