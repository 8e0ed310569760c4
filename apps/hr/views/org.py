"""The org chart: departments (with their people) and each manager with the people who report to them,
as nested lists. HR and every employee see it (names and positions only)."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET

from aitcore.registry import MenuEntry
from apps.hr.selectors import org_chart
from apps.hr.views.employees import SECTION, has_employee_or_hr

TITLE = _l("Organigrama")


@login_required
@require_GET
def org_chart_view(request):
    allowed = has_employee_or_hr(request.user)
    return render(request, "hr/org/chart.html", {"title": TITLE, "allowed": allowed,
                                                 "chart": org_chart() if allowed else None})


MENU = [MenuEntry(section=SECTION, label=TITLE, url_name="hr:org-chart", icon="bi-diagram-3", order=15)]

urlpatterns = [path("organigrama/", org_chart_view, name="org-chart")]
