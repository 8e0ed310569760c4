"""Financial engines: VaR and CVaR (historical and parametric) of a portfolio of returns, NPV and IRR of
cash flows (scipy brentq), and French-system loan amortisation in Decimal money (the last instalment absorbs
the rounding).

Conventions: returns are per period as decimals (0,012 = 1,2 %); VaR and CVaR are positive losses as a
share of the portfolio value. Historical VaR at confidence c is the loss at the empirical (1 - c) quantile
with the inverted-CDF rule (the k-th worst return, k = ceil(n·(1 - c))) and CVaR the mean of the k worst;
parametric VaR is -(μ + σ·z₁₋c) and CVaR -μ + σ·φ(z_c)/(1 - c) with μ and σ (sample) of the series."""
import csv
import io
import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

import numpy as np
from django.utils.translation import gettext as _
from scipy import optimize, stats

from apps.core.money import CENT, format_eur
from apps.predictive.errors import EngineInputError

MIN_RETURNS = 10


def _dec(text: str) -> float:
    """'1.234,56' / '1234.56' / '-0,012' / '1,2%' -> float."""
    value = str(text).strip().replace(" ", "").replace("€", "")
    percent = value.endswith("%")
    value = value.rstrip("%")
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    number = float(value)
    return number / 100 if percent else number


def parse_returns_csv(text: str) -> tuple[list[str], np.ndarray]:
    """Columns of returns (a header row is optional; ';' or ',' or tab separated) -> (names, n x k array)."""
    text = (text or "").strip()
    if not text:
        raise EngineInputError(_("Pegue o suba una serie de rentabilidades."))
    if ";" in text or "\t" in text:
        dialect_delim = ";" if ";" in text else "\t"
    else:  # commas separate columns only with decimal points; "0,012" alone is one Spanish decimal
        dialect_delim = "," if "." in text else "\n"
    if dialect_delim == "\n":
        rows = [[line] for line in text.splitlines() if line.strip()]
    else:
        rows = [row for row in csv.reader(io.StringIO(text), delimiter=dialect_delim) if any(c.strip() for c in row)]
    names = None
    try:
        [_dec(c) for c in rows[0]]
    except ValueError:
        names, rows = [c.strip() for c in rows[0]], rows[1:]
    width = len(rows[0]) if rows else 0
    values = []
    for number, row in enumerate(rows, start=2 if names else 1):
        if len(row) != width:
            raise EngineInputError(_("La fila %(n)s tiene %(got)s columnas y la primera %(want)s.")
                                   % {"n": number, "got": len(row), "want": width})
        try:
            values.append([_dec(c) for c in row])
        except ValueError:
            raise EngineInputError(_("La fila %(n)s tiene un valor no numérico: «%(row)s». Solo se admiten "
                                     "rentabilidades numéricas.") % {"n": number, "row": ";".join(row)}) from None
    names = names or [_("Serie %(n)s") % {"n": i + 1} for i in range(width)]
    return names, np.asarray(values, dtype=float).reshape(len(values), width)


def portfolio_returns(matrix: np.ndarray, weights=None) -> np.ndarray:
    if matrix.shape[1] == 1 and not weights:
        return matrix[:, 0]
    weights = np.asarray(weights if weights else [1 / matrix.shape[1]] * matrix.shape[1], dtype=float)
    if weights.size != matrix.shape[1]:
        raise EngineInputError(_("Hay %(w)s pesos para %(c)s series de rentabilidades.")
                               % {"w": weights.size, "c": matrix.shape[1]})
    if not math.isclose(weights.sum(), 1.0, abs_tol=1e-6):
        raise EngineInputError(_("Los pesos deben sumar 1 (suman %(s)s).") % {"s": round(float(weights.sum()), 6)})
    return matrix @ weights


def historical_var(returns, confidence: float) -> tuple[float, float]:
    data = np.sort(np.asarray(returns, dtype=float))
    k = max(1, math.ceil(round(data.size * (1 - confidence), 9)))
    return float(-data[k - 1]), float(-data[:k].mean())


def parametric_var(mu: float, sigma: float, confidence: float) -> tuple[float, float]:
    z = stats.norm.ppf(confidence)
    return float(sigma * z - mu), float(sigma * stats.norm.pdf(z) / (1 - confidence) - mu)


def value_at_risk(returns, *, confidences=(0.95, 0.99), value: Decimal | None = None) -> dict:
    data = np.asarray(returns, dtype=float)
    if data.size < MIN_RETURNS:
        raise EngineInputError(_("Hay %(n)s rentabilidades: se necesitan al menos %(min)s.")
                               % {"n": data.size, "min": MIN_RETURNS})
    mu, sigma = float(data.mean()), float(data.std(ddof=1))
    rows, measures = [], {}
    for c in confidences:
        hv, hc = historical_var(data, c)
        pv, pc = parametric_var(mu, sigma, c)
        measures[f"{c:g}"] = {"historical_var": hv, "historical_cvar": hc, "parametric_var": pv,
                              "parametric_cvar": pc}
        row = [f"{c * 100:g} %", f"{hv:.4%}", f"{hc:.4%}", f"{pv:.4%}", f"{pc:.4%}"]
        if value:
            row += [format_eur(Decimal(str(round(x * float(value), 2)))) for x in (hv, hc, pv, pc)]
        rows.append(row)
    columns = [_("Confianza"), _("VaR histórico"), _("CVaR histórico"), _("VaR paramétrico"), _("CVaR paramétrico")]
    if value:
        columns += [_("VaR histórico (€)"), _("CVaR histórico (€)"), _("VaR paramétrico (€)"),
                    _("CVaR paramétrico (€)")]
    counts, edges = np.histogram(data, bins=min(30, max(5, data.size // 5)))
    first = measures[f"{confidences[0]:g}"]
    return {
        "summary": [{"label": _("Observaciones"), "value": int(data.size)},
                    {"label": _("Media"), "value": f"{mu:.4%}"}, {"label": _("Desviación típica"),
                                                                  "value": f"{sigma:.4%}"},
                    {"label": _("VaR histórico %(c)s") % {"c": f"{confidences[0] * 100:g} %"},
                     "value": f"{first['historical_var']:.4%}"},
                    {"label": _("VaR paramétrico %(c)s") % {"c": f"{confidences[0] * 100:g} %"},
                     "value": f"{first['parametric_var']:.4%}"}],
        "tables": [{"key": "var", "title": _("Valor en riesgo"), "columns": columns, "rows": rows}],
        "charts": [{"key": "returns", "title": _("Distribución de rentabilidades"), "type": "bar",
                    "labels": [f"{e:.2%}" for e in edges[:-1]],
                    "datasets": [{"label": _("Frecuencia"), "data": [int(c) for c in counts]}]}],
        "messages": [],
        "data": {"mu": mu, "sigma": sigma, "n": int(data.size), "measures": measures},
    }


def compute_var(*, params: dict, progress, actor) -> dict:
    progress(10, _("Leyendo las rentabilidades…"))
    _names, matrix = parse_returns_csv(params.get("returns_csv", ""))
    weights = params.get("weights") or None
    returns = portfolio_returns(matrix, weights)
    progress(50, _("Calculando VaR y CVaR…"))
    confidences = [float(c) for c in (params.get("confidences") or ["0.95", "0.99"])]
    value = params.get("portfolio_value")
    return value_at_risk(returns, confidences=confidences, value=Decimal(str(value)) if value else None)


# --- NPV / IRR ----------------------------------------------------------------------------------------

def npv(rate: float, flows) -> float:
    return float(sum(cf / (1 + rate) ** t for t, cf in enumerate(flows)))


def irr(flows) -> float | None:
    """The rate where NPV = 0 (brentq between -99 % and 1.000 %); None when the flows never change sign."""
    flows = [float(f) for f in flows]
    if not (any(f > 0 for f in flows) and any(f < 0 for f in flows)):
        return None
    low, high = -0.99, 10.0
    if npv(low, flows) * npv(high, flows) > 0:
        return None
    return float(optimize.brentq(lambda r: npv(r, flows), low, high, xtol=1e-12, maxiter=500))


def parse_flows(text: str) -> list[Decimal]:
    flows = []
    for number, token in enumerate([t for t in (text or "").replace(";", "\n").splitlines() if t.strip()], 1):
        try:
            flows.append(Decimal(str(_dec(token))).quantize(CENT, rounding=ROUND_HALF_UP))
        except (ValueError, InvalidOperation):
            raise EngineInputError(_("El flujo %(n)s («%(v)s») no es un importe.") % {"n": number, "v": token.strip()}
                                   ) from None
    if len(flows) < 2:
        raise EngineInputError(_("Indique al menos dos flujos: el desembolso inicial y un cobro."))
    return flows


def npv_irr(flows, rate: Decimal) -> dict:
    floats = [float(f) for f in flows]
    value = Decimal(str(npv(float(rate), floats))).quantize(CENT, rounding=ROUND_HALF_UP)
    rate_of_return = irr(floats)
    messages = [] if rate_of_return is not None else [
        _("Sin TIR: los flujos no cambian de signo o el VAN no se anula entre -99 % y 1.000 %.")]
    discounted = [Decimal(str(f / (1 + float(rate)) ** t)).quantize(CENT, rounding=ROUND_HALF_UP)
                  for t, f in enumerate(floats)]
    cumulative, running = [], Decimal("0")
    for d in discounted:
        running += d
        cumulative.append(running)
    return {
        "summary": [{"label": _("VAN"), "value": format_eur(value)},
                    {"label": _("TIR"), "value": f"{rate_of_return:.4%}" if rate_of_return is not None else "—"},
                    {"label": _("Tipo de descuento"), "value": f"{float(rate):.4%}"}],
        "tables": [{"key": "flows", "title": _("Flujos descontados"),
                    "columns": [_("Periodo"), _("Flujo"), _("Flujo descontado"), _("Acumulado")],
                    "rows": [[t, str(f), str(d), str(c)] for t, (f, d, c) in
                             enumerate(zip(flows, discounted, cumulative))]}],
        "charts": [{"key": "cumulative", "title": _("VAN acumulado"), "type": "bar",
                    "labels": [str(t) for t in range(len(flows))],
                    "datasets": [{"label": _("Acumulado"), "data": [float(c) for c in cumulative]}]}],
        "messages": messages,
        "data": {"npv": str(value), "irr": rate_of_return, "rate": str(rate)},
    }


def compute_npv_irr(*, params: dict, progress, actor) -> dict:
    progress(20, _("Calculando VAN y TIR…"))
    flows = parse_flows(params.get("flows", ""))
    return npv_irr(flows, Decimal(str(params.get("rate") or "0")) / 100)


# --- French amortisation ------------------------------------------------------------------------------

def french_schedule(principal: Decimal, annual_rate_pct: Decimal, months: int) -> list[dict]:
    """Constant instalment (sistema francés) with monthly rate = annual nominal / 12; interest and
    instalment rounded half-up to cents each month; the last instalment pays the remaining balance."""
    principal = Decimal(principal).quantize(CENT, rounding=ROUND_HALF_UP)
    if principal <= 0:
        raise EngineInputError(_("El capital debe ser mayor que cero."))
    if months < 1 or months > 600:
        raise EngineInputError(_("El plazo debe estar entre 1 y 600 meses."))
    if annual_rate_pct < 0:
        raise EngineInputError(_("El tipo de interés no puede ser negativo."))
    with localcontext() as ctx:
        ctx.prec = 34
        r = Decimal(annual_rate_pct) / Decimal(1200)
        payment = principal / months if r == 0 else principal * r / (1 - (1 + r) ** -months)
    payment = payment.quantize(CENT, rounding=ROUND_HALF_UP)
    rows, balance = [], principal
    for n in range(1, months + 1):
        interest = (balance * r).quantize(CENT, rounding=ROUND_HALF_UP)
        amortised = balance if n == months else min(payment - interest, balance)
        instalment = interest + amortised
        balance -= amortised
        rows.append({"n": n, "instalment": instalment, "interest": interest, "principal": amortised,
                     "balance": balance})
    return rows


def amortization(principal: Decimal, annual_rate_pct: Decimal, months: int) -> dict:
    rows = french_schedule(principal, annual_rate_pct, months)
    total_interest = sum((row["interest"] for row in rows), Decimal("0"))
    return {
        "summary": [{"label": _("Cuota"), "value": format_eur(rows[0]["instalment"])},
                    {"label": _("Última cuota"), "value": format_eur(rows[-1]["instalment"])},
                    {"label": _("Intereses totales"), "value": format_eur(total_interest)},
                    {"label": _("Total pagado"), "value": format_eur(total_interest + Decimal(principal))}],
        "tables": [{"key": "schedule", "title": _("Cuadro de amortización"),
                    "columns": [_("Cuota nº"), _("Cuota"), _("Intereses"), _("Amortización"), _("Capital pendiente")],
                    "rows": [[row["n"], str(row["instalment"]), str(row["interest"]), str(row["principal"]),
                              str(row["balance"])] for row in rows]}],
        "charts": [{"key": "balance", "title": _("Capital pendiente"), "type": "line",
                    "labels": [str(row["n"]) for row in rows],
                    "datasets": [{"label": _("Capital pendiente"), "data": [float(row["balance"]) for row in rows]}]}],
        "messages": [],
        "data": {"instalment": str(rows[0]["instalment"]), "last_instalment": str(rows[-1]["instalment"]),
                 "total_interest": str(total_interest)},
    }


def compute_amortization(*, params: dict, progress, actor) -> dict:
    progress(20, _("Calculando el cuadro…"))
    return amortization(Decimal(str(params.get("principal") or "0")), Decimal(str(params.get("annual_rate") or "0")),
                        int(params.get("months") or 0))
