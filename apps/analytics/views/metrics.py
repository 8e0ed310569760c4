"""One metric: its data as CSV or XLSX (/analitica/metricas/<key>/csv/ and xlsx/) and the records behind
one bar or slice (/analitica/metricas/<key>/detalle/?x=...&serie=...&periodo=...)."""
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from apps.analytics.errors import AnalyticsError
from apps.analytics.exports import csv_response, xlsx_response
from apps.analytics.selectors import drill_rows, metric_data, metric_for
from apps.analytics.views._common import analytics_view, request_period


@require_GET
@analytics_view
def metric_export_view(request, key: str, fmt: str):
    metric = metric_for(request.user, key)
    if metric.kind != "chart":
        raise Http404
    period, _error = request_period(request)
    data = metric_data(request.user, metric, period)
    return (csv_response if fmt == "csv" else xlsx_response)(metric, period, data)


@require_GET
@analytics_view
def drill_view(request, key: str):
    metric = metric_for(request.user, key)
    period, error = request_period(request)
    rows, status = None, 200
    if not error:
        try:
            rows = drill_rows(request.user, metric, period, request.GET.get("x", ""), request.GET.get("serie", ""))
        except AnalyticsError as exc:
            error, status = exc.message, 400
    else:
        status = 400
    return render(request, "analytics/drill.html", {
        "title": rows.title if rows else metric.title, "metric": metric, "rows": rows, "error": error,
        "period": period, "back": urlencode(period.query())}, status=status)


urlpatterns = [
    path("metricas/<slug:key>/csv/", metric_export_view, {"fmt": "csv"}, name="metric-csv"),
    path("metricas/<slug:key>/xlsx/", metric_export_view, {"fmt": "xlsx"}, name="metric-xlsx"),
    path("metricas/<slug:key>/detalle/", drill_view, name="drill"),
]
