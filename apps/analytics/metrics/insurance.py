"""Insurance metrics: new production by month and line, portfolio in force by insurer, cancellations
(churn). Production = net annual premium of the new policies (not renewals, not drafts) whose start
date falls in the period; the portfolio = net premium of the policies in force on the period's last
day (or today). Comercial sees only its clients' policies (own_only through visible_to)."""
from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.analytics.metrics.base import ChartData, DrillRows, KpiValue, Metric, Series, money, register_metric
from apps.analytics.metrics.common import at_date, drill_int, drill_month, monthly_chart, total
from apps.core.permissions import visible_to
from apps.insurance.choices import PolicyState
from apps.insurance.models import Policy
from apps.insurance.selectors_policies import POLICY_OWNER_FIELD

SALES = ("direccion", "comercial")
DRILL_LIMIT = 1000


def _policies(user):
    return visible_to(Policy.objects.exclude(state=PolicyState.DRAFT), user, POLICY_OWNER_FIELD)


def production_queryset(user, date_from, date_to):
    return _policies(user).filter(renewal_of__isnull=True, start_date__gte=date_from, start_date__lte=date_to)


def in_force_queryset(user, day):
    return _policies(user).filter(start_date__lte=day, expiry_date__gte=day).filter(
        Q(cancellation_date__isnull=True) | Q(cancellation_date__gt=day))


def cancelled_queryset(user, date_from, date_to):
    return _policies(user).filter(state=PolicyState.CANCELLED, cancellation_date__gte=date_from,
                                  cancellation_date__lte=date_to)


def policy_rows(title: str, queryset) -> DrillRows:
    policies = list(queryset.select_related("policyholder", "insurer", "line").order_by("start_date", "pk")[:DRILL_LIMIT])
    return DrillRows(
        title=title,
        columns=[_("Póliza"), _("Tomador"), _("Compañía"), _("Ramo"), _("Efecto"), _("Estado"), _("Prima neta anual")],
        rows=[{"cells": [p.number, p.policyholder.display_name, p.insurer.name, p.line.name, p.start_date,
                         p.get_state_display(), p.net_premium],
               "url": reverse("insurance:policy-detail", args=[p.pk])} for p in policies],
        total=total(p.net_premium for p in policies), count=len(policies))


# --- production ---------------------------------------------------------------------------------
def production_chart(user, period) -> ChartData:
    rows = (production_queryset(user, period.date_from, period.date_to).annotate(month=TruncMonth("start_date"))
            .values("month", "line__code", "line__name").annotate(value=Sum("net_premium")).order_by())
    return monthly_chart(period, rows, series_key="line__code", series_label="line__name", value="value")


def production_drill(user, period, x: str, series: str) -> DrillRows:
    start, end = drill_month(period, x)
    queryset = production_queryset(user, start, end)
    if series:
        queryset = queryset.filter(line__code=series)
    return policy_rows(_("Nueva producción %(month)s") % {"month": x}, queryset)


def production_kpi(user, period) -> KpiValue:
    previous = period.previous()
    sums = production_queryset(user, previous.date_from, period.date_to).aggregate(
        value=Sum("net_premium", filter=Q(start_date__gte=period.date_from)),
        previous=Sum("net_premium", filter=Q(start_date__lte=previous.date_to)))
    return KpiValue(money(sums["value"]), money(sums["previous"]))


# --- portfolio ----------------------------------------------------------------------------------
def portfolio_chart(user, period) -> ChartData:
    rows = list(in_force_queryset(user, at_date(period)).values("insurer_id", "insurer__name")
                .annotate(value=Sum("net_premium")).order_by("-value", "insurer__name"))
    return ChartData(labels=[r["insurer__name"] for r in rows], keys=[str(r["insurer_id"]) for r in rows],
                     series=[Series("premium", _("Prima neta en vigor"), [money(r["value"]) for r in rows])])


def portfolio_drill(user, period, x: str, series: str) -> DrillRows:
    day = at_date(period)
    return policy_rows(_("Cartera en vigor a %(day)s") % {"day": f"{day:%d/%m/%Y}"},
                       in_force_queryset(user, day).filter(insurer_id=drill_int(x)))


def portfolio_kpi(user, period) -> KpiValue:
    day, before = at_date(period), at_date(period.previous())
    base = _policies(user).filter(start_date__lte=max(day, before), expiry_date__gte=min(day, before))

    def alive(d):
        return Q(start_date__lte=d, expiry_date__gte=d) & (Q(cancellation_date__isnull=True) | Q(cancellation_date__gt=d))

    sums = base.aggregate(value=Sum("net_premium", filter=alive(day)), previous=Sum("net_premium", filter=alive(before)))
    return KpiValue(money(sums["value"]), money(sums["previous"]))


# --- cancellations (churn) ----------------------------------------------------------------------
def cancellations_chart(user, period) -> ChartData:
    rows = (cancelled_queryset(user, period.date_from, period.date_to).annotate(month=TruncMonth("cancellation_date"))
            .values("month", "line__code", "line__name").annotate(value=Count("pk")).order_by())
    return monthly_chart(period, rows, series_key="line__code", series_label="line__name", value="value", integer=True)


def cancellations_drill(user, period, x: str, series: str) -> DrillRows:
    start, end = drill_month(period, x)
    queryset = cancelled_queryset(user, start, end)
    if series:
        queryset = queryset.filter(line__code=series)
    return policy_rows(_("Pólizas anuladas %(month)s") % {"month": x}, queryset)


register_metric(Metric("kpi_production", _l("Nueva producción"), "kpi", SALES, compute=production_kpi, order=10,
                       description=_l("Prima neta anual de las pólizas nuevas con efecto en el periodo.")))
register_metric(Metric("kpi_portfolio", _l("Cartera en vigor"), "kpi", SALES, compute=portfolio_kpi, order=11,
                       description=_l("Prima neta anual de las pólizas en vigor al final del periodo.")))
register_metric(Metric("production", _l("Producción por mes y ramo"), "chart", SALES, chart_type="stacked",
                       compute=production_chart, drill=production_drill, order=100,
                       description=_l("Prima neta anual de la nueva producción (sin renovaciones).")))
register_metric(Metric("portfolio", _l("Cartera por compañía"), "chart", SALES, chart_type="doughnut",
                       compute=portfolio_chart, drill=portfolio_drill, order=110,
                       description=_l("Prima neta de las pólizas en vigor al final del periodo (o hoy).")))
register_metric(Metric("cancellations", _l("Anulaciones por mes y ramo"), "chart", SALES, unit="count",
                       chart_type="stacked", compute=cancellations_chart, drill=cancellations_drill, order=160,
                       description=_l("Número de pólizas anuladas con fecha de anulación en el periodo.")))
