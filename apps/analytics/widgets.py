"""Home-page widget: the first KPI cards of the user's dashboard for this month, with the change
against last month and a link to the dashboard."""
from apps.analytics.choices import PeriodKind
from apps.analytics.dashboards import user_dashboards
from apps.analytics.periods import period_for
from apps.analytics.selectors import dashboard_for

WIDGET_KPIS = 4


def kpi_widget(request) -> dict:
    user = request.user
    if not user_dashboards(user):
        return {"kpis": []}
    period = period_for(PeriodKind.MONTH)
    _code, metrics = dashboard_for(user, None)
    kpis = [{"metric": m, "value": m.compute(user, period)} for m in metrics if m.kind == "kpi"][:WIDGET_KPIS]
    return {"kpis": kpis, "period": period}
