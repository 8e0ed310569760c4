"""Chain-ladder reserving on a cumulative claims triangle (pure numpy, no database).

Rows are origin (accident) periods, columns development periods; cells below the latest diagonal
are NaN. Volume-weighted development factors f_k = Σ C[i,k+1] / Σ C[i,k] over the origins that know
both, ultimates = latest × the cumulative factor to ultimate, IBNR = ultimate - latest.
Mack (1993): σ²_k and the standard error of each origin's reserve and of the total.
Bornhuetter-Ferguson: ultimate = latest + premium × expected loss ratio × (1 - 1/CDF).
"""
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from apps.engines.errors import EngineInputError


@dataclass
class ChainLadder:
    triangle: np.ndarray          # cumulative, NaN below the diagonal
    factors: np.ndarray           # n-1 age-to-age factors
    cdf: np.ndarray               # n cumulative factors to ultimate per development age
    latest: np.ndarray            # latest diagonal per origin
    ultimate: np.ndarray
    ibnr: np.ndarray
    projected: np.ndarray         # the full square
    sigma2: np.ndarray | None = None
    mack_se: np.ndarray | None = None
    mack_total_se: float | None = None

    @property
    def ibnr_total(self) -> float:
        return float(self.ibnr.sum())


def validate_triangle(values) -> np.ndarray:
    """A square-ish run-off triangle: the upper-left part (row i has n - i cells) complete, numeric,
    non-negative, the rest empty. Raises EngineInputError with the cell that is wrong."""
    try:
        tri = np.array(values, dtype=float)
    except (TypeError, ValueError):
        raise EngineInputError(_("El triángulo tiene celdas no numéricas.")) from None
    if tri.ndim != 2 or tri.shape[0] < 3 or tri.shape[1] < 3:
        raise EngineInputError(_("El triángulo necesita al menos 3 periodos de origen y 3 de desarrollo."))
    n_orig, n_dev = tri.shape
    if n_dev < n_orig:
        raise EngineInputError(_("Hay más periodos de origen (%(o)s) que de desarrollo (%(d)s).")
                               % {"o": n_orig, "d": n_dev})
    for i in range(n_orig):
        known = n_dev - i   # the latest diagonal: row i knows n_dev - i development periods
        for k in range(n_dev):
            cell = tri[i, k]
            if k < known:
                if np.isnan(cell):
                    raise EngineInputError(_("Falta la celda del origen %(i)s, desarrollo %(k)s: el triángulo "
                                             "debe estar completo hasta la diagonal.") % {"i": i + 1, "k": k + 1})
                if cell < 0:
                    raise EngineInputError(_("La celda del origen %(i)s, desarrollo %(k)s es negativa (%(v)s): "
                                             "los importes acumulados no pueden ser negativos.")
                                           % {"i": i + 1, "k": k + 1, "v": f"{cell:g}"})
            else:
                tri[i, k] = np.nan
    return tri


def _age_to_age(tri: np.ndarray) -> np.ndarray:
    n = tri.shape[1]
    factors = np.ones(n - 1)
    for k in range(n - 1):
        mask = ~np.isnan(tri[:, k + 1]) & ~np.isnan(tri[:, k])
        denominator = tri[mask, k].sum()
        if mask.sum() == 0:
            continue
        if denominator <= 0:
            raise EngineInputError(_("El desarrollo %(k)s suma cero: no se puede calcular su factor (¿triángulo "
                                     "vacío en esa columna?).") % {"k": k + 1})
        factors[k] = tri[mask, k + 1].sum() / denominator
    return factors


def chain_ladder(values, *, mack: bool = True) -> ChainLadder:
    tri = validate_triangle(values)
    n_orig, n = tri.shape
    factors = _age_to_age(tri)
    cdf = np.append(np.cumprod(factors[::-1])[::-1], 1.0)
    last_idx = np.array([np.max(np.where(~np.isnan(row))[0]) for row in tri])
    latest = tri[np.arange(n_orig), last_idx]
    projected = tri.copy()
    for i in range(n_orig):
        for k in range(last_idx[i] + 1, n):
            projected[i, k] = projected[i, k - 1] * factors[k - 1]
    ultimate = projected[:, -1]
    result = ChainLadder(triangle=tri, factors=factors, cdf=cdf, latest=latest, ultimate=ultimate,
                         ibnr=ultimate - latest, projected=projected)
    if mack and n_orig == n and n >= 4:
        _mack(result, last_idx)
    return result


def _mack(cl: ChainLadder, last_idx: np.ndarray) -> None:
    """Mack (1993), "Distribution-free calculation of the standard error of chain ladder reserve estimates"."""
    tri, f, proj = cl.triangle, cl.factors, cl.projected
    n = tri.shape[1]
    sigma2 = np.zeros(n - 1)
    for k in range(n - 1):
        rows = [i for i in range(tri.shape[0]) if not np.isnan(tri[i, k + 1])]
        if len(rows) > 1:
            c = tri[rows, k]
            ratio = tri[rows, k + 1] / np.where(c == 0, np.nan, c)
            sigma2[k] = np.nansum(c * (ratio - f[k]) ** 2) / (len(rows) - 1)
        elif k >= 2 and sigma2[k - 2] > 0:   # the last factor: Mack's extrapolation
            sigma2[k] = min(sigma2[k - 1] ** 2 / sigma2[k - 2], sigma2[k - 2], sigma2[k - 1])
    column_sums = np.array([np.nansum(tri[:n - 1 - k, k]) for k in range(n - 1)])
    mse = np.zeros(tri.shape[0])
    for i in range(tri.shape[0]):
        ks = range(last_idx[i], n - 1)
        mse[i] = proj[i, -1] ** 2 * sum(sigma2[k] / f[k] ** 2 * (1 / proj[i, k] + 1 / column_sums[k]) for k in ks)
    total = mse.sum()
    for i in range(tri.shape[0]):
        later = proj[i + 1:, -1].sum()
        ks = range(last_idx[i], n - 1)
        total += proj[i, -1] * later * sum(2 * sigma2[k] / f[k] ** 2 / column_sums[k] for k in ks)
    cl.sigma2, cl.mack_se, cl.mack_total_se = sigma2, np.sqrt(mse), float(np.sqrt(total))


def bornhuetter_ferguson(cl: ChainLadder, premiums, expected_loss_ratio: float) -> dict:
    """Ultimate = latest + premium × ELR × (1 - 1/CDF at the origin's age)."""
    premiums = np.asarray(premiums, dtype=float)
    if premiums.shape != cl.latest.shape or np.isnan(premiums).any() or (premiums < 0).any():
        raise EngineInputError(_("Bornhuetter-Ferguson necesita una prima no negativa por cada periodo de origen."))
    last_idx = np.array([np.max(np.where(~np.isnan(row))[0]) for row in cl.triangle])
    cdf_at_age = cl.cdf[last_idx]
    unreported = 1 - 1 / cdf_at_age
    ibnr = premiums * expected_loss_ratio * unreported
    return {"ibnr": ibnr, "ultimate": cl.latest + ibnr, "pct_unreported": unreported}
