"""Claims triangles (paid and incurred, by accident period and development period).

Built from the claims data with one SQL aggregation per chunk of origin periods (payments and reserve
changes up to the valuation date), or parsed from an uploaded CSV. Incurred = per claim, the larger of
its reserve (the expected total cost) and what was paid, at the end of each development period.
"""
import csv
import datetime
import io
import re
from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from django.utils.translation import gettext as _

from apps.engines.errors import EngineInputError
from apps.engines.services.loss_ratio import _as_date, _tables

MAX_PERIODS = 40
CHUNK = 5  # origin periods per query (progress and cancellation between chunks)


@dataclass
class Triangle:
    origins: list[str]
    developments: list[str]
    paid: np.ndarray | None = None          # cumulative, NaN below the diagonal
    incurred: np.ndarray | None = None
    premiums: list | None = None
    source: str = "data"
    claims: int = 0
    notes: list = field(default_factory=list)

    def get(self, kind: str) -> np.ndarray:
        return self.incurred if kind == "incurred" else self.paid


def _index_sql(column: str, unit: str) -> str:
    if unit == "quarter":
        return f"(EXTRACT(YEAR FROM {column})::int * 4 + EXTRACT(QUARTER FROM {column})::int - 1)"
    return f"EXTRACT(YEAR FROM {column})::int"


def _index(day: datetime.date, unit: str) -> int:
    return day.year * 4 + (day.month - 1) // 3 if unit == "quarter" else day.year


def _label(idx: int, unit: str) -> str:
    return f"{idx // 4}-T{idx % 4 + 1}" if unit == "quarter" else str(idx)


def _period_start(idx: int, unit: str) -> datetime.date:
    return datetime.date(idx // 4, (idx % 4) * 3 + 1, 1) if unit == "quarter" else datetime.date(idx, 1, 1)


def _chunk_sql(t: dict, unit: str, filters: str) -> str:
    origin, moved = _index_sql("c.loss_date", unit), _index_sql("m.date", unit)
    return f"""
WITH mv AS (
  SELECT m.claim_id, {origin} AS origin_idx, GREATEST({moved} - {origin}, 0) AS dev_idx, m.paid, m.res
  FROM (SELECT claim_id, date, amount AS paid, 0::numeric AS res FROM {t['payment']} WHERE date <= %(val)s
        UNION ALL
        SELECT claim_id, date, 0::numeric, amount - previous FROM {t['reserve']} WHERE date <= %(val)s) m
  JOIN {t['claim']} c ON c.id = m.claim_id
  JOIN {t['policy']} p ON p.id = c.policy_id
  WHERE c.loss_date BETWEEN %(c0)s AND %(c1)s {filters}
), k AS (
  SELECT claim_id, origin_idx, dev_idx, SUM(paid) AS paid, SUM(res) AS res FROM mv GROUP BY 1, 2, 3
), lv AS (
  SELECT claim_id, origin_idx, dev_idx, paid,
         GREATEST(SUM(res) OVER w, SUM(paid) OVER w) AS level
  FROM k WINDOW w AS (PARTITION BY claim_id ORDER BY dev_idx)
), inc AS (
  SELECT origin_idx, dev_idx, paid,
         level - COALESCE(LAG(level) OVER (PARTITION BY claim_id ORDER BY dev_idx), 0) AS incurred
  FROM lv
)
SELECT origin_idx, dev_idx, SUM(paid), SUM(incurred) FROM inc GROUP BY 1, 2
"""


def triangle_from_claims(*, date_from, date_to, unit: str = "year", line=None, insurer=None, product=None,
                         progress=None) -> Triangle:
    """Accident periods from `date_from` to `date_to` (the valuation date), development periods of the same
    unit (year or quarter). Raises EngineInputError when there is no claim in the range."""
    date_from, date_to = _as_date(date_from, "desde"), _as_date(date_to, "hasta")
    if date_from > date_to:
        raise EngineInputError(_("La fecha inicial es posterior a la final."))
    if unit not in ("year", "quarter"):
        raise EngineInputError(_("El periodo debe ser año o trimestre."))
    first, last = _index(date_from, unit), _index(date_to, unit)
    n = last - first + 1
    if n < 3:
        raise EngineInputError(_("Se necesitan al menos 3 periodos de origen: amplíe el intervalo de fechas."))
    if n > MAX_PERIODS:
        raise EngineInputError(_("Como mucho %(max)s periodos de origen.") % {"max": MAX_PERIODS})
    filters, params = "", {"val": date_to}
    for name, value in (("line", line), ("insurer", insurer), ("product", product)):
        if value:
            filters += f" AND p.{name}_id = %({name})s"
            params[name] = getattr(value, "pk", value)
    t, sql = _tables(), None
    sql = _chunk_sql(t, unit, filters)
    paid_inc, incurred_inc = np.zeros((n, n)), np.zeros((n, n))
    chunks = list(range(0, n, CHUNK))
    for step, start in enumerate(chunks):
        end = min(start + CHUNK, n) - 1
        c0 = max(_period_start(first + start, unit), date_from)
        nxt = _period_start(first + end + 1, unit) - datetime.timedelta(days=1)
        params.update(c0=c0, c1=min(nxt, date_to))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for origin_idx, dev_idx, paid, incurred in cursor.fetchall():
                i, k = origin_idx - first, dev_idx
                if 0 <= i < n and 0 <= k < n:
                    paid_inc[i, k] += float(paid or 0)
                    incurred_inc[i, k] += float(incurred or 0)
        if progress is not None:
            progress(10 + int(50 * (step + 1) / len(chunks)), _("Triángulo: %(done)s de %(n)s periodos de origen")
                     % {"done": end + 1, "n": n})
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {t['claim']} c JOIN {t['policy']} p ON p.id = c.policy_id "
                       f"WHERE c.loss_date BETWEEN %(d0)s AND %(val)s {filters}", {**params, "d0": date_from})
        claims = cursor.fetchone()[0]
    if not claims:
        raise EngineInputError(_("No hay siniestros entre %(d0)s y %(d1)s con esos filtros.")
                               % {"d0": date_from.strftime("%d/%m/%Y"), "d1": date_to.strftime("%d/%m/%Y")})
    mask = np.add.outer(np.arange(n), np.arange(n)) >= n   # below the latest diagonal
    paid, incurred = np.cumsum(paid_inc, axis=1), np.cumsum(incurred_inc, axis=1)
    paid[mask], incurred[mask] = np.nan, np.nan
    labels = [_label(first + i, unit) for i in range(n)]
    step = 12 if unit == "year" else 3
    return Triangle(origins=labels, developments=[str(step * (k + 1)) for k in range(n)], paid=paid,
                    incurred=incurred, source="data", claims=claims)


_NUMBER = re.compile(r"^-?[\d.,\s]+$")


def _number(raw: str, semicolon: bool, where: str):
    text = (raw or "").strip().replace("€", "").replace("\u00a0", "").strip()
    if text == "":
        return None
    if not _NUMBER.match(text):
        raise EngineInputError(_("La celda %(where)s no es numérica: «%(value)s».") % {"where": where, "value": raw[:30]})
    text = text.replace(" ", "")
    if semicolon or ("," in text and "." in text and text.rfind(",") > text.rfind(".")):
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        raise EngineInputError(_("La celda %(where)s no es numérica: «%(value)s».")
                               % {"where": where, "value": raw[:30]}) from None


def parse_triangle_csv(text: str, *, incremental: bool = False) -> dict:
    """CSV with a header row: first column the origin period, then one column per development period,
    optionally a column «prima» (premium per origin, for Bornhuetter-Ferguson). «;» with decimal comma or
    «,» with decimal point. Returns {"origins", "developments", "values" (cumulative, None for empty),
    "premiums"} (JSON-friendly, stored as the run's inputs)."""
    text = (text or "").lstrip("\ufeff").strip()
    if not text:
        raise EngineInputError(_("El CSV del triángulo está vacío."))
    semicolon = text.splitlines()[0].count(";") >= text.splitlines()[0].count(",")
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=";" if semicolon else ",") if any(c.strip() for c in row)]
    if len(rows) < 4:
        raise EngineInputError(_("El CSV necesita una cabecera y al menos 3 periodos de origen."))
    header = [h.strip() for h in rows[0]]
    premium_col = next((i for i, h in enumerate(header) if h.lower() in ("prima", "primas", "premium")), None)
    dev_cols = [i for i in range(1, len(header)) if i != premium_col]
    origins, values, premiums = [], [], []
    for r, row in enumerate(rows[1:], start=2):
        row = row + [""] * (len(header) - len(row))
        origins.append(row[0].strip() or str(r - 1))
        cells = [_number(row[i], semicolon, _("fila %(r)s, columna «%(c)s»") % {"r": r, "c": header[i]})
                 for i in dev_cols]
        values.append(cells)
        if premium_col is not None:
            premiums.append(_number(row[premium_col], semicolon, _("fila %(r)s, columna «%(c)s»")
                                    % {"r": r, "c": header[premium_col]}))
    if incremental:
        cumulative = []
        for cells in values:
            total, out = 0.0, []
            for cell in cells:
                if cell is None:
                    out.append(None)
                else:
                    total += cell
                    out.append(total)
            cumulative.append(out)
        values = cumulative
    return {"origins": origins, "developments": [header[i] for i in dev_cols], "values": values,
            "premiums": premiums if premium_col is not None else None}


def triangle_from_upload(data: dict, kind: str) -> Triangle:
    values = np.array([[np.nan if v is None else v for v in row] for row in data["values"]], dtype=float)
    tri = Triangle(origins=data["origins"], developments=data["developments"], premiums=data.get("premiums"),
                   source="csv")
    if kind == "incurred":
        tri.incurred = values
    else:
        tri.paid = values
    return tri
