"""Statistical engines: descriptive statistics of a whitelisted numeric field of a staff list (policies'
premium, receipts' amount, claims' reserve…), monthly series of production, collections and claims split
into trend and seasonality (statsmodels STL or classical decomposition) and their 12-month forecast with 80 %
and 95 % intervals (statsmodels ETS or SARIMAX).

The pure functions (describe_values, decompose_series, forecast_series) take numbers and return the result
dict of the engine convention; the compute_* functions read the tenant's data the actor may see and call
them. Bad input raises EngineInputError with a Spanish message, never a stack trace."""
import datetime
import warnings
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.core.money import format_eur
from apps.predictive.errors import EngineInputError

MIN_VALUES = 3
MIN_DECOMPOSE_MONTHS = 24  # two full years: a seasonal period of 12 seen twice
MIN_FORECAST_MONTHS = 12
DEFAULT_PERCENTILES = (5, 10, 25, 50, 75, 90, 95, 99)


@dataclass(frozen=True)
class Source:
    """A (model, field) pair of a staff list that the statistics may read."""

    key: str
    label: object
    queryset: object  # callable(user) -> QuerySet the user may see
    field: str
    date_field: str
    money: bool = True


def _policies(user):
    from apps.insurance.selectors_policies import policies_for

    return policies_for(user).exclude(state="draft")


def _receipts(user):
    from apps.collections.selectors_pages import receipts_for

    return receipts_for(user).exclude(state="cancelled")


def _claims(user):
    from apps.claims.selectors import claims_for

    return claims_for(user)


def _entries(user):
    from apps.accounting.models import Entry

    return Entry.objects.filter(state="posted") if user.has_perm("accounting.view_entry") else Entry.objects.none()


SOURCES = {s.key: s for s in [
    Source("policy.net_premium", _l("Pólizas · prima neta anual"), _policies, "net_premium", "start_date"),
    Source("policy.total_premium", _l("Pólizas · prima total anual"), _policies, "total_premium", "start_date"),
    Source("receipt.total_premium", _l("Recibos · importe total"), _receipts, "total_premium", "due_date"),
    Source("receipt.commission_amount", _l("Recibos · comisión"), _receipts, "commission_amount", "due_date"),
    Source("claim.reserve", _l("Siniestros · reserva"), _claims, "reserve", "reported_date"),
    Source("claim.paid_total", _l("Siniestros · pagado"), _claims, "paid_total", "reported_date"),
    Source("entry.total", _l("Asientos · importe"), _entries, "total", "date"),
]}
SOURCE_PERMISSION = {"policy": "insurance.view_policy", "receipt": "collections.view_receipt",
                     "claim": "claims.view_claim", "entry": "accounting.view_entry"}


def source_choices():
    return [(key, source.label) for key, source in SOURCES.items()]


def _num(value, money: bool = True) -> str:
    if money:
        return format_eur(Decimal(str(round(float(value), 2))))
    return f"{float(value):,.4f}".replace(",", "·").replace(".", ",").replace("·", ".")


def _round(value, places: int = 2):
    return None if value is None or not np.isfinite(value) else round(float(value), places)


def _as_floats(values) -> np.ndarray:
    try:
        array = np.asarray([float(v) for v in values if v is not None and v != ""], dtype=float)
    except (TypeError, ValueError):
        raise EngineInputError(_("La columna elegida no es numérica: solo se pueden describir importes o "
                                 "cantidades.")) from None
    return array[np.isfinite(array)]


# --- descriptive statistics ---------------------------------------------------------------------------

def describe_values(values, *, percentiles=DEFAULT_PERCENTILES, bins: int = 20, money: bool = True,
                    title: str = "") -> dict:
    """Mean, median, standard deviation (sample), quartiles, percentiles and a histogram of `values`."""
    data = _as_floats(values)
    if data.size < MIN_VALUES:
        raise EngineInputError(_("Hay %(n)s valores: se necesitan al menos %(min)s para describir la "
                                 "distribución.") % {"n": data.size, "min": MIN_VALUES})
    q1, median, q3 = np.percentile(data, [25, 50, 75])
    stats = {"n": int(data.size), "mean": float(data.mean()), "median": float(median),
             "std": float(data.std(ddof=1)), "min": float(data.min()), "max": float(data.max()),
             "q1": float(q1), "q3": float(q3), "iqr": float(q3 - q1), "sum": float(data.sum())}
    pcts = sorted({float(p) for p in percentiles if 0 <= float(p) <= 100})
    pct_values = dict(zip(pcts, np.percentile(data, pcts).tolist())) if pcts else {}
    counts, edges = np.histogram(data, bins=max(1, min(int(bins), 100)))
    fmt = (lambda v: _num(v, money))
    labels = [f"{fmt(edges[i])} – {fmt(edges[i + 1])}" for i in range(len(counts))]
    rows = [[_("Número de valores"), stats["n"]], [_("Media"), fmt(stats["mean"])],
            [_("Mediana"), fmt(stats["median"])], [_("Desviación típica"), fmt(stats["std"])],
            [_("Mínimo"), fmt(stats["min"])], [_("Primer cuartil (Q1)"), fmt(stats["q1"])],
            [_("Tercer cuartil (Q3)"), fmt(stats["q3"])], [_("Rango intercuartílico"), fmt(stats["iqr"])],
            [_("Máximo"), fmt(stats["max"])], [_("Suma"), fmt(stats["sum"])]]
    return {
        "summary": [{"label": _("Valores"), "value": stats["n"]},
                    {"label": _("Media"), "value": fmt(stats["mean"])},
                    {"label": _("Mediana"), "value": fmt(stats["median"])},
                    {"label": _("Desviación típica"), "value": fmt(stats["std"])}],
        "tables": [
            {"key": "statistics", "title": title or _("Estadísticos"), "columns": [_("Estadístico"), _("Valor")],
             "rows": rows},
            {"key": "percentiles", "title": _("Percentiles"), "columns": [_("Percentil"), _("Valor")],
             "rows": [[f"P{p:g}", fmt(v)] for p, v in pct_values.items()]},
            {"key": "histogram", "title": _("Histograma"), "columns": [_("Intervalo"), _("Frecuencia")],
             "rows": [[label, int(c)] for label, c in zip(labels, counts)]},
        ],
        "charts": [{"key": "histogram", "title": _("Distribución"), "type": "bar", "labels": labels,
                    "datasets": [{"label": _("Frecuencia"), "data": [int(c) for c in counts]}]}],
        "messages": [],
        "data": {**{k: _round(v, 4) for k, v in stats.items()},
                 "percentiles": {f"{p:g}": _round(v, 4) for p, v in pct_values.items()},
                 "histogram": {"edges": [_round(e, 4) for e in edges], "counts": [int(c) for c in counts]}},
    }


def _check_source(key: str, actor):
    source = SOURCES.get(key)
    if source is None:
        raise EngineInputError(_("Ese campo no está entre los que se pueden analizar."))
    if not actor.has_perm(SOURCE_PERMISSION[key.split(".")[0]]):
        raise EngineInputError(_("Su rol no permite consultar «%(source)s».") % {"source": source.label})
    return source


def _date_filter(source: Source, date_from, date_to) -> dict:
    filters = {}
    if date_from:
        filters[f"{source.date_field}__gte"] = date_from
    if date_to:
        filters[f"{source.date_field}__lte"] = date_to
    return filters


def _dates(params) -> tuple:
    parse = lambda v: datetime.date.fromisoformat(v) if isinstance(v, str) and v else v  # noqa: E731
    date_from, date_to = parse(params.get("date_from")), parse(params.get("date_to"))
    if date_from and date_to and date_from > date_to:
        raise EngineInputError(_("La fecha inicial es posterior a la final."))
    return date_from, date_to


def compute_describe(*, params: dict, progress, actor) -> dict:
    source = _check_source(params.get("source", ""), actor)
    date_from, date_to = _dates(params)
    progress(10, _("Leyendo los datos…"))
    values = list(source.queryset(actor).filter(**_date_filter(source, date_from, date_to))
                  .values_list(source.field, flat=True))
    if not values:
        raise EngineInputError(_("No hay datos de «%(source)s» en el intervalo de fechas elegido.")
                               % {"source": source.label})
    progress(60, _("Calculando estadísticos…"))
    percentiles = params.get("percentiles") or DEFAULT_PERCENTILES
    result = describe_values(values, percentiles=percentiles, bins=params.get("bins") or 20, money=source.money,
                             title=str(source.label))
    result["data"]["source"] = source.key
    return result


# --- monthly series ---------------------------------------------------------------------------------

SERIES = {
    "production": _l("Producción (prima neta de las pólizas por mes de efecto)"),
    "collections": _l("Cobros (importe cobrado por mes de cobro)"),
    "claims_count": _l("Siniestros (número por mes de ocurrencia)"),
    "claims_cost": _l("Siniestralidad (reserva más pagos por mes de ocurrencia)"),
}


def series_choices():
    return list(SERIES.items())


def monthly_series(key: str, actor, date_from=None, date_to=None) -> pd.Series:
    """The month-start indexed series `key` (months without activity are 0) the actor may see."""
    if key == "production":
        if not actor.has_perm("insurance.view_policy"):
            raise EngineInputError(_("Su rol no permite consultar las pólizas."))
        qs, date_field, value = _policies(actor), "start_date", Sum("net_premium")
    elif key == "collections":
        if not actor.has_perm("collections.view_receipt"):
            raise EngineInputError(_("Su rol no permite consultar los recibos."))
        qs, date_field, value = _receipts(actor).filter(collected_on__isnull=False), "collected_on", Sum(
            "collected_amount")
    elif key in ("claims_count", "claims_cost"):
        if not actor.has_perm("claims.view_claim"):
            raise EngineInputError(_("Su rol no permite consultar los siniestros."))
        qs, date_field = _claims(actor), "loss_date"
        value = Count("pk") if key == "claims_count" else Sum("reserve") + Sum("paid_total")
    else:
        raise EngineInputError(_("Serie desconocida."))
    if date_from:
        qs = qs.filter(**{f"{date_field}__gte": date_from})
    if date_to:
        qs = qs.filter(**{f"{date_field}__lte": date_to})
    rows = (qs.annotate(month=TruncMonth(date_field)).values("month").annotate(value=value)
            .order_by("month").values_list("month", "value"))
    points = {pd.Timestamp(month): float(v or 0) for month, v in rows}
    if not points:
        raise EngineInputError(_("No hay datos en el intervalo de fechas elegido."))
    index = pd.date_range(min(points), max(points), freq="MS")
    return pd.Series([points.get(ts, 0.0) for ts in index], index=index, name=key)


def _labels(index) -> list[str]:
    return [ts.strftime("%m/%Y") for ts in index]


def decompose_series(series: pd.Series, *, method: str = "stl", title: str = "") -> dict:
    """Trend, seasonality and remainder of a monthly series (period 12)."""
    from statsmodels.tsa.seasonal import STL, seasonal_decompose

    series = series.astype(float).asfreq("MS", fill_value=0.0)
    if len(series) < MIN_DECOMPOSE_MONTHS:
        raise EngineInputError(_("Hay %(n)s meses de datos: se necesitan al menos %(min)s (dos años) para separar "
                                 "tendencia y estacionalidad.") % {"n": len(series), "min": MIN_DECOMPOSE_MONTHS})
    if method == "classical":
        parts = seasonal_decompose(series, model="additive", period=12, extrapolate_trend="freq")
    else:
        parts = STL(series, period=12, robust=True).fit()
    trend, seasonal, resid = parts.trend, parts.seasonal, parts.resid
    variance = float(np.var(resid + seasonal)) or 1.0
    strength = max(0.0, 1 - float(np.var(resid)) / variance)
    slope = float(np.polyfit(np.arange(len(trend)), trend.to_numpy(), 1)[0])
    profile = seasonal.groupby(seasonal.index.month).mean()
    month_names = [_("ene"), _("feb"), _("mar"), _("abr"), _("may"), _("jun"), _("jul"), _("ago"), _("sep"),
                   _("oct"), _("nov"), _("dic")]
    labels = _labels(series.index)
    r = lambda s: [_round(v) for v in s]  # noqa: E731
    return {
        "summary": [{"label": _("Meses"), "value": len(series)},
                    {"label": _("Tendencia mensual"), "value": _round(slope),
                     "hint": _("Variación media de la tendencia por mes.")},
                    {"label": _("Fuerza estacional"), "value": _round(strength, 3),
                     "hint": _("0 = sin estacionalidad, 1 = estacionalidad pura.")},
                    {"label": _("Mes más alto"), "value": str(month_names[int(profile.idxmax()) - 1])},
                    {"label": _("Mes más bajo"), "value": str(month_names[int(profile.idxmin()) - 1])}],
        "tables": [{"key": "decomposition", "title": title or _("Descomposición"),
                    "columns": [_("Mes"), _("Serie"), _("Tendencia"), _("Estacionalidad"), _("Residuo")],
                    "rows": [[lab, _round(a), _round(b), _round(c), _round(d)] for lab, a, b, c, d in
                             zip(labels, series, trend, seasonal, resid)]}],
        "charts": [{"key": "trend", "title": _("Serie y tendencia"), "type": "line", "labels": labels,
                    "datasets": [{"label": _("Serie"), "data": r(series)},
                                 {"label": _("Tendencia"), "data": r(trend)}]},
                   {"key": "seasonal", "title": _("Estacionalidad"), "type": "bar", "labels": labels,
                    "datasets": [{"label": _("Componente estacional"), "data": r(seasonal)}]}],
        "messages": [],
        "data": {"method": method, "slope": _round(slope, 4), "seasonal_strength": _round(strength, 4),
                 "seasonal_profile": {int(m): _round(v) for m, v in profile.items()}},
    }


def forecast_series(series: pd.Series, *, horizon: int = 12, method: str = "ets", title: str = "") -> dict:
    """Point forecast `horizon` months ahead with 80 % and 95 % prediction intervals."""
    series = series.astype(float).asfreq("MS", fill_value=0.0)
    n = len(series)
    if n < MIN_FORECAST_MONTHS:
        raise EngineInputError(_("Hay %(n)s meses de datos: se necesitan al menos %(min)s para prever.")
                               % {"n": n, "min": MIN_FORECAST_MONTHS})
    if not 1 <= horizon <= 36:
        raise EngineInputError(_("El horizonte debe estar entre 1 y 36 meses."))
    seasonal = n >= MIN_DECOMPOSE_MONTHS
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if method == "sarimax":
                from statsmodels.tsa.statespace.sarimax import SARIMAX

                model = SARIMAX(series, order=(1, 1, 1), seasonal_order=(0, 1, 1, 12) if n >= 36 else (0, 0, 0, 0),
                                trend="n").fit(disp=False)
                forecast = model.get_forecast(horizon)
                mean = forecast.predicted_mean
                bands = {level: forecast.conf_int(alpha=1 - level / 100).to_numpy() for level in (80, 95)}
                algorithm = "SARIMAX(1,1,1)" + ("(0,1,1,12)" if n >= 36 else "")
            else:
                from statsmodels.tsa.exponential_smoothing.ets import ETSModel

                model = ETSModel(series, error="add", trend="add", damped_trend=True,
                                 seasonal="add" if seasonal else None, seasonal_periods=12 if seasonal else None
                                 ).fit(disp=False)
                prediction = model.get_prediction(start=n, end=n + horizon - 1)
                mean = prediction.predicted_mean
                bands = {}
                for level in (80, 95):
                    frame = prediction.summary_frame(alpha=1 - level / 100)
                    bands[level] = frame[["pi_lower", "pi_upper"]].to_numpy()
                algorithm = "ETS(A,Ad,A)" if seasonal else "ETS(A,Ad,N)"
        except (ValueError, np.linalg.LinAlgError) as exc:
            raise EngineInputError(_("No se pudo ajustar el modelo a esta serie (%(error)s): pruebe otro método "
                                     "o un intervalo de fechas más largo.") % {"error": exc}) from None
    future = pd.date_range(series.index[-1] + pd.offsets.MonthBegin(1), periods=horizon, freq="MS")
    widths = (bands[95][:, 1] - bands[95][:, 0]).tolist()
    labels = _labels(series.index) + _labels(future)
    pad = [None] * n
    r = lambda s: [_round(v) for v in s]  # noqa: E731
    rows = [[lab, _round(m), _round(b80[0]), _round(b80[1]), _round(b95[0]), _round(b95[1])]
            for lab, m, b80, b95 in zip(_labels(future), mean, bands[80], bands[95])]
    messages = [] if seasonal else [_("Con menos de 24 meses la previsión no modela la estacionalidad.")]
    return {
        "summary": [{"label": _("Meses de historia"), "value": n},
                    {"label": _("Previsión total a %(h)s meses") % {"h": horizon}, "value": _round(float(mean.sum()))},
                    {"label": _("Modelo"), "value": algorithm}],
        "tables": [{"key": "forecast", "title": title or _("Previsión"),
                    "columns": [_("Mes"), _("Previsión"), _("Mín. 80 %"), _("Máx. 80 %"), _("Mín. 95 %"),
                                _("Máx. 95 %")], "rows": rows}],
        "charts": [{"key": "forecast", "title": _("Histórico y previsión"), "type": "line", "labels": labels,
                    "datasets": [{"label": _("Histórico"), "data": r(series) + [None] * horizon},
                                 {"label": _("Previsión"), "data": pad + r(mean)},
                                 {"label": _("Mín. 95 %"), "data": pad + r(bands[95][:, 0])},
                                 {"label": _("Máx. 95 %"), "data": pad + r(bands[95][:, 1])},
                                 {"label": _("Mín. 80 %"), "data": pad + r(bands[80][:, 0])},
                                 {"label": _("Máx. 80 %"), "data": pad + r(bands[80][:, 1])}]}],
        "messages": messages,
        "data": {"algorithm": algorithm, "months": _labels(future), "mean": r(mean),
                 "lower80": r(bands[80][:, 0]), "upper80": r(bands[80][:, 1]),
                 "lower95": r(bands[95][:, 0]), "upper95": r(bands[95][:, 1]), "width95": r(widths)},
    }


def compute_decompose(*, params: dict, progress, actor) -> dict:
    date_from, date_to = _dates(params)
    progress(10, _("Leyendo la serie mensual…"))
    series = monthly_series(params.get("series", ""), actor, date_from, date_to)
    progress(50, _("Separando tendencia y estacionalidad…"))
    return decompose_series(series, method=params.get("method") or "stl", title=str(SERIES[series.name]))


def compute_forecast(*, params: dict, progress, actor) -> dict:
    date_from, date_to = _dates(params)
    progress(10, _("Leyendo la serie mensual…"))
    series = monthly_series(params.get("series", ""), actor, date_from, date_to)
    progress(40, _("Ajustando el modelo…"))
    return forecast_series(series, horizon=int(params.get("horizon") or 12), method=params.get("method") or "ets",
                           title=str(SERIES[series.name]))
