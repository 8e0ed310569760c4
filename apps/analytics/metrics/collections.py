"""Collections metrics: money collected and returned per month (receipt movements: + collection,
- return), the returns rate (returned debits / collections, by count) and the broker's own net
commissions per month (commission movements without collaborator: earned, reversed, restored...)."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.analytics.metrics.base import ZERO, ChartData, DrillRows, KpiValue, Metric, Series, money, register_metric
from apps.analytics.metrics.common import drill_month, total
from apps.analytics.periods import month_label
from apps.collections.choices import ReceiptMovementKind
from apps.collections.models import CommissionMovement, ReceiptMovement
from apps.core.permissions import visible_to

COLLECTIONS = ("direccion", "contabilidad", "cobros")
COMMISSIONS = ("direccion", "comercial", "contabilidad")
MOVEMENT_OWNER = "receipt__policyholder__account_manager"
COMMISSION_OWNER = "policy__policyholder__account_manager"
KINDS = (ReceiptMovementKind.COLLECTION, ReceiptMovementKind.RETURN)
DRILL_LIMIT = 1000


def movements(user, date_from, date_to):
    return visible_to(ReceiptMovement.objects.filter(kind__in=KINDS, date__gte=date_from, date__lte=date_to),
                      user, MOVEMENT_OWNER)


def commissions(user, date_from, date_to):
    return visible_to(CommissionMovement.objects.filter(collaborator__isnull=True, date__gte=date_from, date__lte=date_to),
                      user, COMMISSION_OWNER)


def rate(returned: int, collected: int) -> Decimal:
    if not collected:
        return ZERO
    return (Decimal(returned) * 100 / Decimal(collected)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _months(period):
    months = period.months()
    return months, {f"{m:%Y-%m}": i for i, m in enumerate(months)}


def collections_chart(user, period) -> ChartData:
    months, index = _months(period)
    collected, returned = [ZERO] * len(months), [ZERO] * len(months)
    rows = (movements(user, period.date_from, period.date_to).annotate(month=TruncMonth("date"))
            .values("month", "kind").annotate(value=Sum("amount")).order_by())
    for row in rows:
        i = index[f"{row['month']:%Y-%m}"]
        if row["kind"] == ReceiptMovementKind.COLLECTION:
            collected[i] += money(row["value"])
        else:
            returned[i] += -money(row["value"])
    return ChartData(labels=[month_label(m) for m in months], keys=[f"{m:%Y-%m}" for m in months],
                     series=[Series(ReceiptMovementKind.COLLECTION, _("Cobrado"), collected),
                             Series(ReceiptMovementKind.RETURN, _("Devuelto"), returned)])


def collections_drill(user, period, x: str, series: str) -> DrillRows:
    start, end = drill_month(period, x)
    queryset = movements(user, start, end)
    if series:
        queryset = queryset.filter(kind=series)
    items = list(queryset.select_related("receipt", "receipt__policyholder", "insurer").order_by("date", "pk")[:DRILL_LIMIT])
    return DrillRows(
        title=_("Cobros y devoluciones %(month)s") % {"month": x},
        columns=[_("Recibo"), _("Tomador"), _("Compañía"), _("Fecha"), _("Tipo"), _("Importe")],
        rows=[{"cells": [m.receipt.number, m.receipt.policyholder.display_name, m.insurer.name, m.date,
                         m.get_kind_display(), m.amount],
               "url": reverse("collections:receipt-detail", args=[m.receipt_id])} for m in items],
        total=total(m.amount for m in items), count=len(items))


def _counts(user, period):
    previous = period.previous()
    cur, prev = Q(date__gte=period.date_from), Q(date__lte=previous.date_to)
    collection, back = Q(kind=ReceiptMovementKind.COLLECTION), Q(kind=ReceiptMovementKind.RETURN)
    return movements(user, previous.date_from, period.date_to).aggregate(
        paid=Sum("amount", filter=cur & collection), paid_prev=Sum("amount", filter=prev & collection),
        collected=Count("pk", filter=cur & collection), collected_prev=Count("pk", filter=prev & collection),
        returned=Count("pk", filter=cur & back), returned_prev=Count("pk", filter=prev & back))


def collected_kpi(user, period) -> KpiValue:
    sums = _counts(user, period)
    return KpiValue(money(sums["paid"]), money(sums["paid_prev"]))


def returns_rate_kpi(user, period) -> KpiValue:
    sums = _counts(user, period)
    return KpiValue(rate(sums["returned"], sums["collected"]), rate(sums["returned_prev"], sums["collected_prev"]))


def commissions_chart(user, period) -> ChartData:
    months, index = _months(period)
    values = [ZERO] * len(months)
    rows = (commissions(user, period.date_from, period.date_to).annotate(month=TruncMonth("date"))
            .values("month").annotate(value=Sum("amount")).order_by())
    for row in rows:
        values[index[f"{row['month']:%Y-%m}"]] += money(row["value"])
    return ChartData(labels=[month_label(m) for m in months], keys=[f"{m:%Y-%m}" for m in months],
                     series=[Series("net", _("Comisión neta de la correduría"), values)])


def commissions_drill(user, period, x: str, series: str) -> DrillRows:
    start, end = drill_month(period, x)
    items = list(commissions(user, start, end).select_related("policy", "insurer", "receipt")
                 .order_by("date", "pk")[:DRILL_LIMIT])
    return DrillRows(
        title=_("Comisiones %(month)s") % {"month": x},
        columns=[_("Póliza"), _("Recibo"), _("Compañía"), _("Fecha"), _("Tipo"), _("Importe")],
        rows=[{"cells": [c.policy.number, c.receipt.number if c.receipt_id else "", c.insurer.name, c.date,
                         c.get_kind_display(), c.amount],
               "url": reverse("insurance:policy-detail", args=[c.policy_id])} for c in items],
        total=total(c.amount for c in items), count=len(items))


def commissions_kpi(user, period) -> KpiValue:
    previous = period.previous()
    sums = commissions(user, previous.date_from, period.date_to).aggregate(
        value=Sum("amount", filter=Q(date__gte=period.date_from)), previous=Sum("amount", filter=Q(date__lte=previous.date_to)))
    return KpiValue(money(sums["value"]), money(sums["previous"]))


register_metric(Metric("kpi_collected", _l("Cobrado"), "kpi", COLLECTIONS, compute=collected_kpi, order=20,
                       description=_l("Importe de los cobros de recibos registrados en el periodo.")))
register_metric(Metric("kpi_returns_rate", _l("Tasa de devoluciones"), "kpi", COLLECTIONS, unit="pct",
                       compute=returns_rate_kpi, order=21,
                       description=_l("Devoluciones sobre cobros del periodo, en número de movimientos.")))
register_metric(Metric("kpi_commissions", _l("Comisiones netas"), "kpi", COMMISSIONS, compute=commissions_kpi, order=22,
                       description=_l("Comisiones de la correduría devengadas menos retrocedidas en el periodo.")))
register_metric(Metric("collections", _l("Cobros y devoluciones por mes"), "chart", COLLECTIONS,
                       compute=collections_chart, drill=collections_drill, order=120,
                       description=_l("Importes cobrados y devueltos de los recibos, por mes.")))
register_metric(Metric("commissions", _l("Comisiones por mes"), "chart", COMMISSIONS,
                       compute=commissions_chart, drill=commissions_drill, order=130,
                       description=_l("Comisión neta de la correduría (sin la parte de colaboradores), por mes.")))
