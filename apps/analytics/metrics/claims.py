"""Claims metrics: claims per month of occurrence and line (drill-down: the claims list filtered by
line and dates) and the loss ratio per line (incurred / earned premium, %).

The loss ratio comes from apps.engines.services.loss_ratio.loss_ratio(date_from, date_to, group_by)
when that engine is installed; until then (or if it answers something unexpected) a simple figure:
incurred = paid + reserve of the claims that occurred in the period; earned = net premium of the
receipts (not cancelled) whose period starts in it."""
from __future__ import annotations

import importlib
import logging
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.analytics.metrics.base import ZERO, ChartData, KpiValue, Metric, Series, money, register_metric
from apps.analytics.metrics.common import drill_month, monthly_chart
from apps.claims.models import Claim
from apps.claims.selectors import CLAIM_OWNER_FIELD
from apps.collections.choices import ReceiptState
from apps.collections.models import Receipt
from apps.core.permissions import visible_to
from apps.insurance.models import Line

CLAIMS = ("direccion", "siniestros")
LOSS_RATIO = ("direccion", "contabilidad", "siniestros")
ENGINE = "apps.engines.services.loss_ratio"
log = logging.getLogger(__name__)


def claims_queryset(user, date_from, date_to):
    return visible_to(Claim.objects.filter(loss_date__gte=date_from, loss_date__lte=date_to), user, CLAIM_OWNER_FIELD)


def claims_link(period, x: str, series: str) -> str:
    start, end = drill_month(period, x)
    query = {"loss_from": start.isoformat(), "loss_to": end.isoformat()}
    if series:
        query["line"] = series
    return f"{reverse('claims:claim-list')}?{urlencode(query)}"


def loss_link(period, x: str, series: str) -> str:
    return f"{reverse('claims:claim-list')}?" + urlencode(
        {"line": x, "loss_from": period.date_from.isoformat(), "loss_to": period.date_to.isoformat()})


def claims_chart(user, period) -> ChartData:
    rows = (claims_queryset(user, period.date_from, period.date_to).annotate(month=TruncMonth("loss_date"))
            .values("month", "line__code", "line__name").annotate(value=Count("pk")).order_by())
    return monthly_chart(period, rows, series_key="line__code", series_label="line__name", value="value", integer=True)


def claims_kpi(user, period) -> KpiValue:
    previous = period.previous()
    sums = claims_queryset(user, previous.date_from, period.date_to).aggregate(
        value=Count("pk", filter=Q(loss_date__gte=period.date_from)),
        previous=Count("pk", filter=Q(loss_date__lte=previous.date_to)))
    return KpiValue(Decimal(sums["value"]), Decimal(sums["previous"]))


# --- loss ratio ---------------------------------------------------------------------------------
def ratio(incurred, earned) -> Decimal:
    if not earned:
        return ZERO
    return (Decimal(incurred) * 100 / Decimal(earned)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _engine():
    """T1's loss-ratio function, imported lazily; None while it is not installed."""
    try:
        return importlib.import_module(ENGINE).loss_ratio
    except (ImportError, AttributeError):
        return None


def _field(row, *names):
    for name in names:
        value = row.get(name) if isinstance(row, dict) else getattr(row, name, None)
        if value is not None:
            return value
    return None


def _from_engine(date_from, date_to, group_by):
    """[(line code, line name, earned, incurred)] from the engine, or None to fall back to our figure.
    The engine answers line_id/line (name), earned_premium and incurred; the code (what the claims
    list filters by) comes from one more query. A failing engine is rolled back to a savepoint."""
    engine = _engine()
    if engine is None:
        return None
    try:
        with transaction.atomic():
            found = list(engine(date_from=date_from, date_to=date_to, group_by=(group_by,)))
            ids = {_field(row, "line_id") for row in found} - {None}
            lines = {pk: (code, name) for pk, code, name in Line.objects.filter(pk__in=ids).values_list("pk", "code", "name")}
        out = []
        for row in found:
            code, name = lines.get(_field(row, "line_id"), ("", None))
            earned = _field(row, "earned_premium", "earned")
            incurred = _field(row, "incurred", "incurred_claims")
            if earned is None or incurred is None:
                return None
            out.append((code, str(name or _field(row, "line") or code), money(earned), money(incurred)))
        return out
    except Exception:  # an engine in progress must not take the dashboards down
        log.exception("loss_ratio engine failed; using the analytics figure")
        return None


def _own(date_from, date_to):
    earned = (Receipt.objects.exclude(state=ReceiptState.CANCELLED)
              .filter(period_start__gte=date_from, period_start__lte=date_to)
              .values("line__code", "line__name").annotate(value=Sum("net_premium")).order_by())
    incurred = (Claim.objects.filter(loss_date__gte=date_from, loss_date__lte=date_to)
                .values("line__code", "line__name").annotate(value=Sum(F("paid_total") + F("reserve"))).order_by())
    rows: dict[str, list] = {}
    for row in earned:
        rows.setdefault(row["line__code"], [row["line__name"], ZERO, ZERO])[1] += money(row["value"])
    for row in incurred:
        rows.setdefault(row["line__code"], [row["line__name"], ZERO, ZERO])[2] += money(row["value"])
    return [(code, name, e, i) for code, (name, e, i) in rows.items()]


def loss_rows(date_from, date_to):
    """[(line code, line name, earned, incurred)] sorted by name."""
    rows = _from_engine(date_from, date_to, "line")
    if rows is None:
        rows = _own(date_from, date_to)
    return sorted(rows, key=lambda r: r[1])


def loss_chart(user, period) -> ChartData:
    rows = loss_rows(period.date_from, period.date_to)
    return ChartData(labels=[r[1] for r in rows], keys=[r[0] for r in rows],
                     series=[Series("ratio", _("Siniestralidad (%)"), [ratio(r[3], r[2]) for r in rows])])


def loss_table(user, period) -> list:
    return [[r[1], r[2], r[3], ratio(r[3], r[2])] for r in loss_rows(period.date_from, period.date_to)]


def loss_kpi(user, period) -> KpiValue:
    def overall(p):
        rows = loss_rows(p.date_from, p.date_to)
        return ratio(sum((r[3] for r in rows), ZERO), sum((r[2] for r in rows), ZERO))

    return KpiValue(overall(period), overall(period.previous()))


register_metric(Metric("kpi_claims", _l("Siniestros ocurridos"), "kpi", CLAIMS, unit="count", compute=claims_kpi,
                       order=30, description=_l("Número de siniestros con fecha de ocurrencia en el periodo.")))
register_metric(Metric("kpi_loss_ratio", _l("Siniestralidad"), "kpi", LOSS_RATIO, unit="pct", compute=loss_kpi,
                       order=31, description=_l("Coste de los siniestros (pagos y reservas) sobre la prima devengada.")))
register_metric(Metric("claims", _l("Siniestros por mes y ramo"), "chart", CLAIMS, unit="count", chart_type="stacked",
                       compute=claims_chart, drill_link=claims_link, order=140,
                       description=_l("Número de siniestros por mes de ocurrencia.")))
register_metric(Metric("loss_ratio", _l("Siniestralidad por ramo"), "chart", LOSS_RATIO, unit="pct",
                       compute=loss_chart, drill_link=loss_link, order=150,
                       description=_l("Coste de los siniestros ocurridos en el periodo sobre la prima de sus recibos.")))
