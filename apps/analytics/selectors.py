"""What the dashboard pages, the API, the exports and the PDF read: a dashboard's KPI cards and
charts for a period, one metric's data, its drill-down rows. Each metric answers with a fixed number
of aggregate queries whatever the data (the dashboard test pins the total)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from apps.analytics.dashboards import DASHBOARDS, can_see, dashboard_metrics, user_dashboards
from apps.analytics.metrics import METRICS, ChartData, KpiValue, Metric
from apps.analytics.metrics.base import DrillRows
from apps.analytics.periods import Period



def metric_for(user, key: str) -> Metric:
    metric = METRICS.get(key)
    if metric is None:
        raise Http404(_("No existe la métrica «%s».") % key)
    if not can_see(user, metric):
        raise PermissionDenied(_("Su rol no permite ver esta métrica."))
    return metric


def chart_json(metric: Metric, period: Period, data: ChartData) -> dict:
    """What static/analytics/dashboard.js draws: labels, datasets (numbers as strings) and, per
    dataset and label, the URL of the records behind the bar (None when there is no drill-down)."""
    has_drill = metric.drill is not None or metric.drill_link is not None
    return {
        "key": metric.key, "title": str(metric.title), "type": metric.chart_type, "unit": metric.unit,
        "labels": [str(label) for label in data.labels], "keys": list(data.keys),
        "datasets": [{"key": s.key, "label": str(s.label), "data": [str(v) for v in s.values]} for s in data.series],
        "drill": [[metric.drill_url(period, x, s.key if len(data.series) > 1 else "") if has_drill else None
                   for x in data.keys] for s in data.series],
    }


def kpi_json(metric: Metric, value: KpiValue) -> dict:
    return {"key": metric.key, "title": str(metric.title), "unit": metric.unit, "value": str(value.value),
            "previous": str(value.previous), "change": None if value.change is None else str(value.change)}


def metric_data(user, metric: Metric, period: Period):
    return metric.compute(user, period)


def dashboard_for(user, code: str | None) -> tuple[str, list[Metric]]:
    """The dashboard `code` of this user (their first one by default); 403 when it is not theirs."""
    mine = [c for c, _label in user_dashboards(user)]
    if not mine:
        raise PermissionDenied(_("Su rol no tiene cuadros de mando."))
    code = code or mine[0]
    if code not in mine:
        raise PermissionDenied(_("Este cuadro de mando no es de su rol."))
    return code, dashboard_metrics(code)


def dashboard_data(user, code: str, period: Period) -> dict:
    _code, metrics = dashboard_for(user, code)
    kpis, charts = [], []
    for metric in metrics:
        data = metric.compute(user, period)
        if metric.kind == "kpi":
            kpis.append({"metric": metric, "value": data, "json": kpi_json(metric, data)})
        else:
            as_json = chart_json(metric, period, data)
            charts.append({"metric": metric, "data": data, "json": as_json, "table": _table(data, as_json)})
    return {"code": code, "title": DASHBOARDS[code], "period": period, "previous": period.previous(),
            "kpis": kpis, "charts": charts}


def _table(data: ChartData, as_json: dict) -> list[dict]:
    """The chart as rows for the page's data table, each value linked to its drill-down."""
    return [{"label": label, "cells": [{"value": s.values[i], "url": as_json["drill"][j][i]}
                                       for j, s in enumerate(data.series)]}
            for i, label in enumerate(data.labels)]


def drill_rows(user, metric: Metric, period: Period, x: str, series: str) -> DrillRows:
    if metric.drill is None:
        raise Http404(_("Esta métrica no tiene detalle."))
    return metric.drill(user, period, x, series)
