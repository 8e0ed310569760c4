"""/analitica/: the dashboard of the user's role (?cuadro= picks another of their roles), period filter
(this month / quarter / year / custom) with comparison to the previous period, KPI cards and charts
(static/analytics/dashboard.js draws them from json_script; a click opens the records behind the bar),
each chart with CSV/XLSX, and the whole dashboard as PDF (/analitica/pdf/)."""
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET

from aitcore.registry import MenuEntry
from apps.analytics.dashboards import VIEW_PERMISSION, user_dashboards
from apps.analytics.forms import PeriodForm
from apps.analytics.pdf import dashboard_pdf
from apps.analytics.selectors import dashboard_data, dashboard_for
from apps.analytics.views._common import SECTION, analytics_view, request_period

TITLE = _l("Cuadros de mando")


def _context(request):
    period, error = request_period(request)
    code, _metrics = dashboard_for(request.user, request.GET.get("cuadro") or None)
    return period, error, dashboard_data(request.user, code, period)


@require_GET
@analytics_view
def dashboard_view(request):
    period, error, data = _context(request)
    query = {**period.query(), "cuadro": data["code"]}
    form = PeriodForm(initial={"periodo": period.kind, "desde": period.date_from, "hasta": period.date_to})
    return render(request, "analytics/dashboard.html", {
        "title": TITLE, "dashboard": data, "dashboards": user_dashboards(request.user), "form": form,
        "error": error, "period": period, "previous": period.previous(), "query": urlencode(query),
        "period_query": urlencode(period.query()), "charts_json": [c["json"] for c in data["charts"]]})


@require_GET
@analytics_view
def dashboard_pdf_view(request):
    _period, _error, data = _context(request)
    tenant = getattr(request, "tenant", None)
    pdf = dashboard_pdf(data, brokerage=getattr(tenant, "name", ""))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (f'attachment; filename="cuadro-{data["code"]}-'
                                       f'{data["period"].date_from:%Y%m%d}-{data["period"].date_to:%Y%m%d}.pdf"')
    return response


MENU = [MenuEntry(section=SECTION, label=TITLE, url_name="analytics:dashboard", icon="bi-bar-chart-line",
                  permission=VIEW_PERMISSION, order=30, also_active=("analytics:drill",))]

urlpatterns = [
    path("", dashboard_view, name="dashboard"),
    path("pdf/", dashboard_pdf_view, name="dashboard-pdf"),
]
