"""Loss ratio = incurred claims / earned premium, by line, insurer, product and/or period.

Earned premium, pro rata temporis: each policy version's net premium (the premium of the policy's term)
is earned evenly over the days of cover, from the version's effect to the next version (or the end of
cover: expiry, or cancellation when the policy was cancelled). A period earns premium × days of cover
inside it / days of the term. Draft policies earn nothing; policies without versions use the policy's
net premium.
Incurred claims: the claims that occurred (loss date) in the period, each valued at `valuation_date`
(default `date_to`) at the larger of its reserve then (the claim's expected total cost, last
ReserveChange on or before that day) and what was paid up to that day.
Everything is one SQL aggregation per call (no Python loops over policies or claims).
"""
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.utils.translation import gettext as _

from apps.engines.errors import EngineInputError

GROUPS = ("line", "insurer", "product", "period")
PERIODS = ("month", "quarter", "year")
CENT = Decimal("0.01")


def _tables() -> dict:
    from apps.claims.models import Claim, ClaimPayment, ReserveChange
    from apps.insurance.models import Insurer, Line, Policy, PolicyVersion, Product

    return {"policy": Policy._meta.db_table, "version": PolicyVersion._meta.db_table, "claim": Claim._meta.db_table,
            "payment": ClaimPayment._meta.db_table, "reserve": ReserveChange._meta.db_table,
            "line": Line._meta.db_table, "insurer": Insurer._meta.db_table, "product": Product._meta.db_table}


def _as_date(value, name) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise EngineInputError(_("La fecha «%(name)s» no es válida.") % {"name": name}) from None


def _period_label(start: datetime.date, period: str) -> str:
    if period == "year":
        return str(start.year)
    if period == "quarter":
        return f"{start.year}-T{(start.month - 1) // 3 + 1}"
    return f"{start.year}-{start.month:02d}"


def _sql(t: dict, group_by: tuple, period: str, filters: str) -> str:
    keys = [g for g in group_by if g != "period"]
    seg_keys = ", ".join(f"s.{k}_id" for k in keys)
    clm_keys = ", ".join(f"p.{k}_id" for k in keys)
    pkey = "pr.ps" if "period" in group_by else "NULL::date"
    group_cols = ", ".join(str(i + 1) for i in range(len(keys) + 1))  # positional: the keys and the period
    join_on = " AND ".join([f"COALESCE(e.{k}_id, -1) = COALESCE(i.{k}_id, -1)" for k in keys]
                           + ["COALESCE(e.ps, DATE '1900-01-01') = COALESCE(i.ps, DATE '1900-01-01')"])
    select_keys = ", ".join([f"COALESCE(e.{k}_id, i.{k}_id) AS {k}_id" for k in keys]
                            + ["COALESCE(e.ps, i.ps) AS ps"])
    trunc = "date_trunc('%s', gs)::date" % period
    step = {"month": "1 month", "quarter": "3 months", "year": "1 year"}[period]
    return f"""
WITH periods AS (
  SELECT GREATEST({trunc}, %(d0)s::date) AS ps,
         LEAST(({trunc} + interval '{step}' - interval '1 day')::date, %(d1)s::date) AS pe
  FROM generate_series(date_trunc('{period}', %(d0)s::date), %(d1)s::date, interval '{step}') gs
  WHERE %(by_period)s
  UNION ALL SELECT %(d0)s::date, %(d1)s::date WHERE NOT %(by_period)s
), pr AS (SELECT ps, pe FROM periods),
segments AS (
  SELECT p.line_id, p.insurer_id, p.product_id, v.net_premium AS premium,
         (p.expiry_date - p.start_date + 1) AS term_days,
         GREATEST(v.effective_date, p.start_date) AS s0,
         LEAST(COALESCE(LEAD(v.effective_date) OVER (PARTITION BY v.policy_id ORDER BY v.number) - 1,
                        COALESCE(p.cancellation_date, p.expiry_date)),
               COALESCE(p.cancellation_date, p.expiry_date)) AS s1
  FROM {t['version']} v JOIN {t['policy']} p ON p.id = v.policy_id
  WHERE p.state <> 'draft' AND v.kind <> 'cancellation' {filters}
    AND p.start_date <= %(d1)s AND COALESCE(p.cancellation_date, p.expiry_date) >= %(d0)s
  UNION ALL
  SELECT p.line_id, p.insurer_id, p.product_id, p.net_premium, (p.expiry_date - p.start_date + 1),
         p.start_date, COALESCE(p.cancellation_date, p.expiry_date)
  FROM {t['policy']} p
  WHERE p.state <> 'draft' {filters}
    AND p.start_date <= %(d1)s AND COALESCE(p.cancellation_date, p.expiry_date) >= %(d0)s
    AND NOT EXISTS (SELECT 1 FROM {t['version']} v WHERE v.policy_id = p.id)
), earned AS (
  SELECT {seg_keys}{',' if keys else ''} {pkey} AS ps,
         SUM(s.premium * (LEAST(s.s1, pr.pe) - GREATEST(s.s0, pr.ps) + 1)::numeric / NULLIF(s.term_days, 0)) AS earned
  FROM segments s JOIN pr ON s.s0 <= pr.pe AND s.s1 >= pr.ps
  WHERE s.s1 >= s.s0
  GROUP BY {group_cols}
), paid AS (
  SELECT claim_id, SUM(amount) AS paid FROM {t['payment']} WHERE date <= %(val)s GROUP BY claim_id
), incurred AS (
  SELECT {clm_keys}{',' if keys else ''} {pkey} AS ps, COUNT(*) AS claims,
         SUM(COALESCE(pd.paid, 0)) AS paid,
         SUM(GREATEST(COALESCE((SELECT r.amount FROM {t['reserve']} r WHERE r.claim_id = c.id AND r.date <= %(val)s
                                ORDER BY r.date DESC, r.id DESC LIMIT 1), 0), COALESCE(pd.paid, 0))) AS incurred
  FROM {t['claim']} c JOIN {t['policy']} p ON p.id = c.policy_id
  JOIN pr ON c.loss_date BETWEEN pr.ps AND pr.pe
  LEFT JOIN paid pd ON pd.claim_id = c.id
  WHERE c.loss_date BETWEEN %(d0)s AND %(d1)s {filters}
  GROUP BY {group_cols}
)
SELECT {select_keys}, COALESCE(e.earned, 0), COALESCE(i.incurred, 0), COALESCE(i.paid, 0), COALESCE(i.claims, 0)
FROM earned e FULL OUTER JOIN incurred i ON {join_on}
"""


def _names(table: str, ids: set) -> dict:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, name FROM {table} WHERE id = ANY(%s)", [list(ids)])
        return dict(cursor.fetchall())


def loss_ratio(*, date_from, date_to, group_by=("line",), period: str = "month", valuation_date=None,
               line=None, insurer=None, product=None) -> list[dict]:
    """Rows (dicts) sorted by the group keys: line_id/line, insurer_id/insurer, product_id/product,
    period (ISO date of its first day) and period_label when grouped by them, plus earned_premium,
    incurred, paid (Decimal, 2 places), claims (int) and loss_ratio (Decimal percentage, None when
    nothing was earned). `line`, `insurer`, `product` filter (object or id)."""
    date_from, date_to = _as_date(date_from, "desde"), _as_date(date_to, "hasta")
    valuation = _as_date(valuation_date, "valoración") if valuation_date else date_to
    if date_from > date_to:
        raise EngineInputError(_("La fecha inicial es posterior a la final."))
    if isinstance(group_by, str):
        group_by = (group_by,)
    group_by = tuple(g for g in GROUPS if g in set(group_by or ()))
    unknown = set(group_by) - set(GROUPS)
    if unknown or period not in PERIODS:
        raise EngineInputError(_("Agrupación o periodo no válidos."))
    filters, params = "", {"d0": date_from, "d1": date_to, "val": valuation, "by_period": "period" in group_by}
    for name, value in (("line", line), ("insurer", insurer), ("product", product)):
        if value:
            filters += f" AND p.{name}_id = %({name})s"
            params[name] = getattr(value, "pk", value)
    t = _tables()
    with connection.cursor() as cursor:
        cursor.execute(_sql(t, group_by, period, filters), params)
        raw = cursor.fetchall()
    keys = [g for g in group_by if g != "period"]
    names = {k: _names(t[k], {row[i] for row in raw}) for i, k in enumerate(keys)}
    rows = []
    for row in raw:
        item = {}
        for i, k in enumerate(keys):
            item[f"{k}_id"] = row[i]
            item[k] = names[k].get(row[i], _("(sin %(k)s)") % {"k": k})
        ps = row[len(keys)]
        if "period" in group_by:
            item["period"] = ps.isoformat()
            item["period_label"] = _period_label(ps, period)
        earned, incurred, paid, claims = row[len(keys) + 1:]
        earned = Decimal(earned).quantize(CENT, ROUND_HALF_UP)
        incurred = Decimal(incurred).quantize(CENT, ROUND_HALF_UP)
        item.update(earned_premium=earned, incurred=incurred, paid=Decimal(paid).quantize(CENT, ROUND_HALF_UP),
                    claims=int(claims),
                    loss_ratio=(incurred * 100 / earned).quantize(CENT, ROUND_HALF_UP) if earned else None)
        rows.append(item)
    rows.sort(key=lambda r: tuple(str(r.get(k, "")) for k in keys) + (r.get("period", ""),))
    return rows


def loss_ratio_totals(rows: list[dict]) -> dict:
    earned = sum((r["earned_premium"] for r in rows), Decimal("0.00"))
    incurred = sum((r["incurred"] for r in rows), Decimal("0.00"))
    return {"earned_premium": earned, "incurred": incurred, "claims": sum(r["claims"] for r in rows),
            "paid": sum((r["paid"] for r in rows), Decimal("0.00")),
            "loss_ratio": (incurred * 100 / earned).quantize(CENT, ROUND_HALF_UP) if earned else None}
