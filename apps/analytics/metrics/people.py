"""CRM pipeline funnel (opportunities opened in the period, by their stage now) and HR headcount
(employees with a contract in force on the period's last day, or today, per department)."""
from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.analytics.metrics.base import ChartData, DrillRows, KpiValue, Metric, Series, register_metric
from apps.analytics.metrics.common import at_date, drill_int, total
from apps.core.permissions import visible_to
from apps.crm.choices import OpportunityStage
from apps.crm.models import Opportunity
from apps.hr.models import Employee

SALES = ("direccion", "comercial")
HR = ("direccion", "rrhh")
DRILL_LIMIT = 1000


def opportunities(user, date_from, date_to):
    return visible_to(Opportunity.objects.filter(created_at__date__gte=date_from, created_at__date__lte=date_to),
                      user, "owner")


def funnel_chart(user, period) -> ChartData:
    found = {row["stage"]: row for row in opportunities(user, period.date_from, period.date_to)
             .values("stage").annotate(n=Count("pk")).order_by()}
    stages = list(OpportunityStage)
    return ChartData(labels=[s.label for s in stages], keys=[s.value for s in stages], series=[
        Series("count", _("Oportunidades"), [int(found.get(s.value, {}).get("n") or 0) for s in stages])])


def funnel_drill(user, period, x: str, series: str) -> DrillRows:
    items = list(opportunities(user, period.date_from, period.date_to).filter(stage=x)
                 .select_related("party", "owner").order_by("created_at", "pk")[:DRILL_LIMIT])
    return DrillRows(
        title=_("Oportunidades en fase «%(stage)s»") % {"stage": dict(OpportunityStage.choices).get(x, x)},
        columns=[_("Oportunidad"), _("Cliente"), _("Ramo"), _("Responsable"), _("Alta"), _("Prima prevista")],
        rows=[{"cells": [o.title, o.party.display_name, o.get_line_of_business_display(), str(o.owner or ""),
                         o.created_at.date(), o.expected_premium],
               "url": reverse("crm:opportunity-update", args=[o.pk])} for o in items],
        total=total(o.expected_premium for o in items), count=len(items))


def _in_force(day):
    return (Q(contracts__start_date__lte=day) & (Q(contracts__end_date__isnull=True) | Q(contracts__end_date__gte=day)))


def headcount_chart(user, period) -> ChartData:
    day = at_date(period)
    rows = list(Employee.objects.filter(_in_force(day)).values("department_id", "department__name")
                .annotate(n=Count("pk", distinct=True)).order_by("department__name"))
    return ChartData(labels=[r["department__name"] or _("Sin departamento") for r in rows],
                     keys=[str(r["department_id"] or "none") for r in rows],
                     series=[Series("headcount", _("Plantilla"), [int(r["n"]) for r in rows])])


def headcount_drill(user, period, x: str, series: str) -> DrillRows:
    day = at_date(period)
    department = drill_int(x)
    queryset = Employee.objects.filter(_in_force(day)).distinct()
    queryset = queryset.filter(department_id=department) if department else queryset.filter(department__isnull=True)
    items = list(queryset.select_related("department").order_by("last_name", "first_name", "pk")[:DRILL_LIMIT])
    return DrillRows(
        title=_("Plantilla a %(day)s") % {"day": f"{day:%d/%m/%Y}"},
        columns=[_("Número"), _("Nombre"), _("Departamento"), _("Puesto")],
        rows=[{"cells": [e.code, f"{e.last_name}, {e.first_name}", e.department.name if e.department_id else "",
                         e.position], "url": reverse("hr:employee-detail", args=[e.pk])} for e in items],
        count=len(items))


def headcount_kpi(user, period) -> KpiValue:
    day, before = at_date(period), at_date(period.previous())
    sums = Employee.objects.aggregate(value=Count("pk", filter=_in_force(day), distinct=True),
                                      previous=Count("pk", filter=_in_force(before), distinct=True))
    return KpiValue(Decimal(sums["value"]), Decimal(sums["previous"]))


register_metric(Metric("kpi_opportunities", _l("Oportunidades abiertas en el periodo"), "kpi", SALES, unit="count",
                       order=12, compute=lambda user, period: _opportunity_kpi(user, period),
                       description=_l("Oportunidades dadas de alta en el periodo.")))
register_metric(Metric("kpi_headcount", _l("Plantilla"), "kpi", HR, unit="count", compute=headcount_kpi, order=40,
                       description=_l("Personas con contrato en vigor al final del periodo (o hoy).")))
register_metric(Metric("pipeline", _l("Embudo comercial"), "chart", SALES, unit="count", chart_type="hbar",
                       compute=funnel_chart, drill=funnel_drill, order=170,
                       description=_l("Oportunidades dadas de alta en el periodo según su fase actual.")))
register_metric(Metric("headcount", _l("Plantilla por departamento"), "chart", HR, unit="count",
                       compute=headcount_chart, drill=headcount_drill, order=180,
                       description=_l("Personas con contrato en vigor al final del periodo (o hoy).")))


def _opportunity_kpi(user, period) -> KpiValue:
    previous = period.previous()
    sums = opportunities(user, previous.date_from, period.date_to).aggregate(
        value=Count("pk", filter=Q(created_at__date__gte=period.date_from)),
        previous=Count("pk", filter=Q(created_at__date__lte=previous.date_to)))
    return KpiValue(Decimal(sums["value"]), Decimal(sums["previous"]))
