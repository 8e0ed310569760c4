"""API of the metrics: GET /api/v1/analytics/metrics/ lists the metrics this user sees;
GET /api/v1/analytics/metrics/<key>/?period=month|quarter|year|custom(&desde=&hasta=)(&fecha=) answers a
chart's labels, datasets and drill-down URLs, or a KPI's value, previous value and change %, for the
period and the previous one. Needs analytics.view_dashboard and a role that shows the metric (403)."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from apps.analytics.dashboards import VIEW_PERMISSION, visible_metrics
from apps.analytics.periods import period_from_query
from apps.analytics.selectors import chart_json, kpi_json, metric_data, metric_for
from apps.identity.models import ApiKey


class DashboardPermission(BasePermission):
    message = "Su rol no permite ver la analítica."

    def has_permission(self, request, view):
        if isinstance(request.auth, ApiKey) and "read" not in request.auth.scopes:
            self.message = "La clave de API no tiene el ámbito «read»."
            return False
        return bool(request.user and request.user.is_authenticated and request.method in SAFE_METHODS
                    and request.user.has_perm(VIEW_PERMISSION))


def _period_json(period) -> dict:
    return {"kind": period.kind, "date_from": period.date_from, "date_to": period.date_to}


class MetricViewSet(viewsets.ViewSet):
    """Analytics metrics (issue 10 item 6)."""

    permission_classes = [DashboardPermission]
    lookup_field = "key"
    lookup_value_regex = r"[a-z0-9_]+"

    @extend_schema(operation_id="v1_analytics_metrics_list", summary="Métricas visibles", responses=OpenApiTypes.OBJECT)
    def list(self, request):
        return Response({"results": [{"key": m.key, "title": str(m.title), "kind": m.kind, "unit": m.unit,
                                      "chart_type": m.chart_type, "roles": list(m.roles)}
                                     for m in visible_metrics(request.user)]})

    @extend_schema(operation_id="v1_analytics_metrics_detail", summary="Datos de una métrica para un periodo", responses=OpenApiTypes.OBJECT, parameters=[
        OpenApiParameter("period", OpenApiTypes.STR, description="month, quarter, year (por defecto) o custom"),
        OpenApiParameter("desde", OpenApiTypes.DATE, description="Inicio (custom)"),
        OpenApiParameter("hasta", OpenApiTypes.DATE, description="Fin (custom)"),
        OpenApiParameter("fecha", OpenApiTypes.DATE, description="Un día del periodo (por defecto hoy)")])
    def retrieve(self, request, key=None):
        metric = metric_for(request.user, key)
        period = period_from_query(request.query_params)
        data = metric_data(request.user, metric, period)
        body = chart_json(metric, period, data) if metric.kind == "chart" else kpi_json(metric, data)
        body.update(kind=metric.kind, period=_period_json(period), previous_period=_period_json(period.previous()))
        return Response(body)


ROUTES = [("analytics/metrics", MetricViewSet, "analytics-metric")]
