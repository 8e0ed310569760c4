"""Frequency-severity pricing: a Poisson GLM of claim counts (log link, offset log(exposure in years)) and a
Gamma GLM of the average claim cost (log link, weighted by the number of claims), statsmodels, fitted on
the brokerage's policies and claims. Both are fitted on cells (one row per combination of rating factor
levels) aggregated in SQL, which gives the same estimates as one row per policy. Relativities are
exp(coefficient) against the base level of each factor (the level with the most exposure)."""
import math
import warnings

import numpy as np
import pandas as pd
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.engines.errors import EngineInputError
from apps.engines.services.loss_ratio import _as_date, _tables

FACTORS = {"line": _l("Ramo"), "insurer": _l("Compañía"), "product": _l("Producto"),
           "payment_frequency": _l("Fraccionamiento")}
MIN_CLAIMS = 30
MIN_EXPOSURE_YEARS = 10.0


def pricing_cells(*, date_from, date_to, factors) -> pd.DataFrame:
    t = _tables()
    cols = ", ".join(f"p.{f}_id" if f != "payment_frequency" else "p.payment_frequency" for f in factors)
    sql = f"""
WITH pol AS (
  SELECT p.id, {cols},
         GREATEST(LEAST(COALESCE(p.cancellation_date, p.expiry_date), %(d1)s)
                  - GREATEST(p.start_date, %(d0)s) + 1, 0) / 365.25 AS exposure
  FROM {t['policy']} p
  WHERE p.state <> 'draft' AND p.start_date <= %(d1)s AND COALESCE(p.cancellation_date, p.expiry_date) >= %(d0)s
), clm AS (
  SELECT c.policy_id, COUNT(*) AS n, SUM(GREATEST(c.reserve, c.paid_total)) AS cost
  FROM {t['claim']} c WHERE c.loss_date BETWEEN %(d0)s AND %(d1)s AND GREATEST(c.reserve, c.paid_total) > 0
  GROUP BY c.policy_id
)
SELECT {', '.join(f'pol.{f}' + ('' if f == 'payment_frequency' else '_id') for f in factors)},
       SUM(pol.exposure), COALESCE(SUM(clm.n), 0), COALESCE(SUM(clm.cost), 0)
FROM pol LEFT JOIN clm ON clm.policy_id = pol.id
GROUP BY {', '.join(str(i + 1) for i in range(len(factors)))}
"""
    with connection.cursor() as cursor:
        cursor.execute(sql, {"d0": _as_date(date_from, "desde"), "d1": _as_date(date_to, "hasta")})
        rows = cursor.fetchall()
    frame = pd.DataFrame(rows, columns=list(factors) + ["exposure", "claims", "cost"])
    for col in ("exposure", "cost"):
        frame[col] = frame[col].astype(float)
    frame["claims"] = frame["claims"].astype(int)
    return frame


def _level_names(factor: str, ids) -> dict:
    if factor == "payment_frequency":
        from apps.insurance.choices import PaymentFrequency

        return {v: str(label) for v, label in PaymentFrequency.choices}
    table = _tables()[factor]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, name FROM {table} WHERE id = ANY(%s)", [[i for i in ids if i is not None]])
        return dict(cursor.fetchall())


def _design(frame: pd.DataFrame, factors, bases) -> pd.DataFrame:
    design = pd.DataFrame({"const": 1.0}, index=frame.index)
    for f in factors:
        for level in sorted(frame[f].dropna().unique(), key=str):
            if level != bases[f]:
                design[f"{f}={level}"] = (frame[f] == level).astype(float)
    return design


def fit_frequency_severity(frame: pd.DataFrame, factors) -> dict:
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import PerfectSeparationError

    frame = frame[frame["exposure"] > 0].copy()
    for f in factors:
        frame[f] = frame[f].astype(object).where(frame[f].notna(), "—")
    total_claims, total_exposure = int(frame["claims"].sum()), float(frame["exposure"].sum())
    if total_claims < MIN_CLAIMS or total_exposure < MIN_EXPOSURE_YEARS:
        raise EngineInputError(_("Datos insuficientes para ajustar el modelo: %(c)s siniestros y %(e)s años de "
                                 "exposición (se necesitan al menos %(mc)s siniestros y %(me)s años).") % {
            "c": total_claims, "e": f"{total_exposure:.1f}", "mc": MIN_CLAIMS, "me": f"{MIN_EXPOSURE_YEARS:.0f}"})
    bases = {f: frame.groupby(f)["exposure"].sum().idxmax() for f in factors}
    design = _design(frame, factors, bases)
    if design.shape[1] >= len(frame):
        raise EngineInputError(_("Hay tantos parámetros (%(p)s) como combinaciones de niveles con datos (%(n)s): "
                                 "elija menos factores.") % {"p": design.shape[1], "n": len(frame)})
    with_claims = frame["claims"] > 0
    sev_design = design[with_claims]
    sev_design = sev_design.loc[:, (sev_design != 0).any(axis=0)]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            freq = sm.GLM(frame["claims"], design, family=sm.families.Poisson(),
                          offset=np.log(frame["exposure"])).fit()
            avg = frame.loc[with_claims, "cost"] / frame.loc[with_claims, "claims"]
            sev = sm.GLM(avg, sev_design, family=sm.families.Gamma(sm.families.links.Log()),
                         var_weights=frame.loc[with_claims, "claims"]).fit()
    except (PerfectSeparationError, np.linalg.LinAlgError, ValueError) as exc:
        raise EngineInputError(_("El modelo no converge con estos datos (%(e)s): elija menos factores o un "
                                 "intervalo más amplio.") % {"e": str(exc)[:120]}) from None
    if not (np.isfinite(freq.params).all() and np.isfinite(sev.params).all()):
        raise EngineInputError(_("El modelo no converge con estos datos: elija menos factores o un intervalo más amplio."))
    return {"frame": frame, "bases": bases, "freq": freq, "sev": sev, "claims": total_claims,
            "exposure": total_exposure}


def relativities(fit: dict, factors) -> dict:
    frame, freq, sev = fit["frame"], fit["freq"], fit["sev"]
    out = {}
    for f in factors:
        names = _level_names(f, frame[f].unique())
        agg = frame.groupby(f).agg(exposure=("exposure", "sum"), claims=("claims", "sum"), cost=("cost", "sum"))
        rows = []
        for level, stats in agg.iterrows():
            key = f"{f}={level}"
            fr = math.exp(freq.params.get(key, 0.0)) if level != fit["bases"][f] else 1.0
            sv = math.exp(sev.params.get(key, 0.0)) if level != fit["bases"][f] else 1.0
            rows.append({"level": str(names.get(level, level)), "base": level == fit["bases"][f],
                         "exposure": float(stats["exposure"]), "claims": int(stats["claims"]),
                         "frequency": fr, "severity": sv, "pure_premium": fr * sv,
                         "p_value": None if key not in freq.pvalues else float(freq.pvalues[key])})
        out[f] = rows
    return out
