"""Compute functions of the actuarial engines: compute(*, params, progress, actor) -> result dict
(summary cards, tables, charts, messages, data; see ENGINE-INTERFACE)."""
from decimal import Decimal

import numpy as np
from django.utils.translation import gettext as _

from apps.core.money import format_eur
from apps.engines.errors import EngineInputError
from apps.engines.services.chain_ladder import bornhuetter_ferguson, chain_ladder
from apps.engines.services.loss_ratio import loss_ratio, loss_ratio_totals
from apps.engines.services.pricing import FACTORS, fit_frequency_severity, pricing_cells, relativities
from apps.engines.services.triangles import triangle_from_claims, triangle_from_upload


def _eur(value) -> str:
    return format_eur(Decimal(str(round(float(value), 2))))


def _r(value, places=2):
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else round(float(value), places)


def _pct(value) -> str:
    return "—" if value is None else f"{value:.2f} %".replace(".", ",")


# --- loss ratio --------------------------------------------------------------------------------

def compute_loss_ratio(*, params: dict, progress, actor) -> dict:
    group_by = [g for g in ("line", "insurer", "product", "period") if g in (params.get("group_by") or ["line"])]
    progress(10, _("Calculando prima imputada y siniestralidad…"))
    rows = loss_ratio(date_from=params["date_from"], date_to=params["date_to"], group_by=group_by,
                      period=params.get("period") or "quarter", line=params.get("line"), insurer=params.get("insurer"))
    progress(80, _("Preparando el resultado…"))
    totals = loss_ratio_totals(rows)
    if not rows or (not totals["earned_premium"] and not totals["claims"]):
        raise EngineInputError(_("No hay primas ni siniestros entre esas fechas: nada que calcular."))
    key_cols = [(k, label) for k, label in (("line", _("Ramo")), ("insurer", _("Compañía")), ("product", _("Producto")),
                                            ("period_label", _("Periodo")))
                if (k if k != "period_label" else "period") in group_by]
    columns = [label for _k, label in key_cols] + [_("Prima imputada"), _("Siniestralidad incurrida"), _("Pagado"),
                                                   _("Siniestros"), _("Siniestralidad (%)")]
    table_rows = [[r[k] for k, _l in key_cols] + [float(r["earned_premium"]), float(r["incurred"]), float(r["paid"]),
                                                  r["claims"], None if r["loss_ratio"] is None else float(r["loss_ratio"])]
                  for r in rows]
    labels = [" · ".join(str(r[k]) for k, _l in key_cols) or _("Total") for r in rows]
    charts = [{"key": "loss_ratio", "title": _("Siniestralidad (%)"), "type": "line" if group_by == ["period"] else "bar",
               "labels": labels[:60],
               "datasets": [{"label": _("Siniestralidad (%)"),
                             "data": [None if r["loss_ratio"] is None else float(r["loss_ratio"]) for r in rows][:60]}]}]
    messages = []
    if len(rows) > 60:
        messages.append(_("El gráfico muestra los 60 primeros grupos; la tabla los tiene todos."))
    if any(r["loss_ratio"] is None for r in rows):
        messages.append(_("Hay grupos con siniestros pero sin prima imputada en el intervalo: su siniestralidad no se "
                          "puede calcular."))
    return {
        "summary": [{"label": _("Prima imputada"), "value": format_eur(totals["earned_premium"]),
                     "hint": _("Pro rata temporis, por días de cobertura")},
                    {"label": _("Siniestralidad incurrida"), "value": format_eur(totals["incurred"])},
                    {"label": _("Siniestralidad"), "value": _pct(totals["loss_ratio"])},
                    {"label": _("Siniestros"), "value": totals["claims"]}],
        "tables": [{"key": "loss_ratio", "title": _("Siniestralidad"), "columns": columns, "rows": table_rows}],
        "charts": charts, "messages": messages,
        "data": {"rows": [{k: (str(v) if isinstance(v, Decimal) else v) for k, v in r.items()} for r in rows],
                 "totals": {k: (str(v) if isinstance(v, Decimal) else v) for k, v in totals.items()}},
    }


# --- triangles and chain-ladder ----------------------------------------------------------------

def _triangle(params: dict, progress):
    if params.get("source") == "csv":
        if not params.get("triangle"):
            raise EngineInputError(_("Falta el triángulo del CSV."))
        return triangle_from_upload(params["triangle"], params.get("kind") or "paid")
    return triangle_from_claims(date_from=params.get("date_from"), date_to=params.get("date_to"),
                                unit=params.get("unit") or "year", line=params.get("line"),
                                insurer=params.get("insurer"), progress=progress)


def _triangle_table(key, title, tri, origins, developments) -> dict:
    return {"key": key, "title": title, "columns": [_("Origen")] + list(developments),
            "rows": [[origins[i]] + [_r(v) for v in tri[i]] for i in range(tri.shape[0])]}


def compute_triangle(*, params: dict, progress, actor) -> dict:
    progress(5, _("Leyendo pagos y reservas…"))
    tri = _triangle(params, progress)
    tables, charts = [], []
    for kind, title in (("paid", _("Pagos acumulados")), ("incurred", _("Incurridos acumulados"))):
        values = tri.get(kind)
        if values is None:
            continue
        tables.append(_triangle_table(kind, title, values, tri.origins, tri.developments))
        increments = np.diff(np.nan_to_num(values, nan=np.nan), axis=1, prepend=0)
        tables.append(_triangle_table(f"{kind}_incremental", title.replace(_("acumulados"), _("incrementales")),
                                      increments, tri.origins, tri.developments))
        charts.append({"key": kind, "title": title, "type": "line", "labels": list(tri.developments),
                       "datasets": [{"label": o, "data": [_r(v) for v in values[i]]} for i, o in enumerate(tri.origins)]})
    progress(90, _("Triángulo listo."))
    latest = [float(np.nanmax(row)) if not np.isnan(row).all() else 0 for row in tri.get(params.get("kind") or "paid")]
    return {"summary": [{"label": _("Periodos de origen"), "value": len(tri.origins)},
                        {"label": _("Siniestros"), "value": tri.claims or "—"},
                        {"label": _("Última diagonal"), "value": _eur(sum(latest))}],
            "tables": tables, "charts": charts, "messages": tri.notes,
            "data": {"origins": tri.origins, "developments": tri.developments,
                     "paid": None if tri.paid is None else [[_r(v) for v in row] for row in tri.paid],
                     "incurred": None if tri.incurred is None else [[_r(v) for v in row] for row in tri.incurred]}}


def _origin_premiums(params: dict, tri) -> list:
    """Earned premium per origin period for Bornhuetter-Ferguson (the CSV's «prima» column or the data)."""
    if tri.premiums:
        return tri.premiums
    if params.get("source") == "csv":
        raise EngineInputError(_("Para Bornhuetter-Ferguson el CSV necesita una columna «prima»."))
    unit = params.get("unit") or "year"
    rows = loss_ratio(date_from=params["date_from"], date_to=params["date_to"], group_by=("period",), period=unit,
                      line=params.get("line"), insurer=params.get("insurer"))
    by_label = {r["period_label"]: float(r["earned_premium"]) for r in rows}
    return [by_label.get(o, 0.0) for o in tri.origins]


def compute_chain_ladder(*, params: dict, progress, actor) -> dict:
    kind = params.get("kind") or "paid"
    progress(5, _("Construyendo el triángulo…"))
    tri = _triangle(params, progress)
    progress(65, _("Calculando factores de desarrollo…"))
    cl = chain_ladder(tri.get(kind), mack=bool(params.get("mack", True)))
    origins, devs = tri.origins, tri.developments
    factor_cols = [f"{devs[k]}-{devs[k + 1]}" for k in range(len(cl.factors))]
    tables = [
        {"key": "factors", "title": _("Factores de desarrollo (ponderados por volumen)"),
         "columns": [_("Concepto")] + factor_cols + [_("Último-Último")],
         "rows": [[_("Factor")] + [_r(f, 4) for f in cl.factors] + [1.0],
                  [_("Factor a último")] + [_r(f, 4) for f in cl.cdf]]},
    ]
    columns = [_("Origen"), _("Última diagonal"), _("Factor a último"), _("Último"), _("IBNR")]
    last_idx = [int(np.max(np.where(~np.isnan(row))[0])) for row in cl.triangle]
    rows = [[origins[i], _r(cl.latest[i]), _r(cl.cdf[last_idx[i]], 4), _r(cl.ultimate[i]), _r(cl.ibnr[i])]
            for i in range(len(origins))]
    if cl.mack_se is not None:
        columns += [_("Error estándar (Mack)"), _("CV (%)")]
        for i, row in enumerate(rows):
            row += [_r(cl.mack_se[i]), _r(100 * cl.mack_se[i] / cl.ibnr[i]) if cl.ibnr[i] > 0 else None]
    summary = [{"label": _("IBNR total"), "value": _eur(cl.ibnr_total), "hint": _("Chain-ladder")},
               {"label": _("Último total"), "value": _eur(cl.ultimate.sum())},
               {"label": _("Última diagonal"), "value": _eur(cl.latest.sum())}]
    if cl.mack_total_se is not None:
        summary.append({"label": _("Error estándar de Mack (total)"), "value": _eur(cl.mack_total_se),
                        "hint": _("CV %(cv)s") % {"cv": _pct(100 * cl.mack_total_se / cl.ibnr_total)
                                                  if cl.ibnr_total else "—"}})
    data = {"origins": origins, "developments": devs, "kind": kind, "factors": [_r(f, 6) for f in cl.factors],
            "cdf": [_r(f, 6) for f in cl.cdf], "latest": [_r(v) for v in cl.latest],
            "ultimate": [_r(v) for v in cl.ultimate], "ibnr": [_r(v) for v in cl.ibnr],
            "ibnr_total": _r(cl.ibnr_total),
            "mack_se": None if cl.mack_se is None else [_r(v) for v in cl.mack_se],
            "mack_total_se": _r(cl.mack_total_se), "triangle": [[_r(v) for v in row] for row in cl.triangle]}
    charts = [{"key": "ibnr", "title": _("IBNR por periodo de origen"), "type": "bar", "labels": origins,
               "datasets": [{"label": _("IBNR chain-ladder"), "data": data["ibnr"]}]}]
    messages = []
    if params.get("bf"):
        progress(80, _("Bornhuetter-Ferguson…"))
        elr = float(params.get("expected_loss_ratio") or 0) / 100
        premiums = _origin_premiums(params, tri)
        bf = bornhuetter_ferguson(cl, premiums, elr)
        columns += [_("Prima"), _("IBNR B-F"), _("Último B-F")]
        for i, row in enumerate(rows):
            row += [_r(premiums[i]), _r(bf["ibnr"][i]), _r(bf["ultimate"][i])]
        summary.append({"label": _("IBNR total (Bornhuetter-Ferguson)"), "value": _eur(bf["ibnr"].sum()),
                        "hint": _("Siniestralidad esperada %(elr)s") % {"elr": _pct(elr * 100)}})
        charts[0]["datasets"].append({"label": _("IBNR Bornhuetter-Ferguson"), "data": [_r(v) for v in bf["ibnr"]]})
        data["bf"] = {"premiums": [_r(v) for v in premiums], "ibnr": [_r(v) for v in bf["ibnr"]],
                      "ibnr_total": _r(bf["ibnr"].sum()), "expected_loss_ratio": elr}
        if not any(premiums):
            messages.append(_("No hay prima imputada en los periodos de origen: el IBNR B-F es cero."))
    rows.append([_("Total"), _r(cl.latest.sum()), None, _r(cl.ultimate.sum()), _r(cl.ibnr_total)]
                + ([_r(cl.mack_total_se), None] if cl.mack_se is not None else [])
                + ([None, data["bf"]["ibnr_total"], _r(bf["ultimate"].sum())] if params.get("bf") else []))
    tables.insert(0, {"key": "reserves", "title": _("Últimos e IBNR por origen"), "columns": columns, "rows": rows})
    tables.append(_triangle_table("triangle", _("Triángulo acumulado (%(kind)s)") % {
        "kind": _("pagos") if kind == "paid" else _("incurridos")}, cl.triangle, origins, devs))
    tables.append(_triangle_table("projected", _("Triángulo completado"), cl.projected, origins, devs))
    if any(f < 1 for f in cl.factors):
        messages.append(_("Hay factores de desarrollo menores que 1 (recobros o reservas liberadas)."))
    progress(95, _("Resultado listo."))
    return {"summary": summary, "tables": tables, "charts": charts, "messages": messages, "data": data}


# --- frequency-severity GLM ---------------------------------------------------------------------

def compute_pricing(*, params: dict, progress, actor) -> dict:
    factors = [f for f in FACTORS if f in (params.get("factors") or [])]
    if not factors:
        raise EngineInputError(_("Elija al menos un factor de tarificación."))
    progress(10, _("Agregando pólizas y siniestros…"))
    frame = pricing_cells(date_from=params["date_from"], date_to=params["date_to"], factors=factors)
    progress(40, _("Ajustando los GLM de frecuencia (Poisson) y severidad (Gamma)…"))
    fit = fit_frequency_severity(frame, factors)
    progress(80, _("Calculando relatividades…"))
    rel = relativities(fit, factors)
    base_freq = float(np.exp(fit["freq"].params["const"]))
    base_sev = float(np.exp(fit["sev"].params["const"]))
    tables, charts = [], []
    for f in factors:
        tables.append({"key": f"relativities_{f}", "title": _("Relatividades: %(f)s") % {"f": FACTORS[f]},
                       "columns": [str(FACTORS[f]), _("Base"), _("Exposición (años)"), _("Siniestros"),
                                   _("Frecuencia"), _("Severidad"), _("Prima pura"), _("p-valor (frecuencia)")],
                       "rows": [[r["level"], _("Sí") if r["base"] else "", _r(r["exposure"]), r["claims"],
                                 _r(r["frequency"], 4), _r(r["severity"], 4), _r(r["pure_premium"], 4),
                                 _r(r["p_value"], 4)] for r in rel[f]]})
        charts.append({"key": f"pure_premium_{f}", "title": _("Relatividad de prima pura: %(f)s") % {"f": FACTORS[f]},
                       "type": "bar", "labels": [r["level"] for r in rel[f]],
                       "datasets": [{"label": _("Frecuencia"), "data": [_r(r["frequency"], 4) for r in rel[f]]},
                                    {"label": _("Severidad"), "data": [_r(r["severity"], 4) for r in rel[f]]},
                                    {"label": _("Prima pura"), "data": [_r(r["pure_premium"], 4) for r in rel[f]]}]})
    messages = []
    if fit["claims"] < 100:
        messages.append(_("Menos de 100 siniestros: las relatividades son orientativas."))
    return {
        "summary": [{"label": _("Frecuencia base (por año)"), "value": _r(base_freq, 4)},
                    {"label": _("Severidad base"), "value": _eur(base_sev)},
                    {"label": _("Prima pura base"), "value": _eur(base_freq * base_sev)},
                    {"label": _("Siniestros / exposición"),
                     "value": f"{fit['claims']} / {fit['exposure']:.1f}".replace(".", ",")}],
        "tables": tables, "charts": charts, "messages": messages,
        "data": {"factors": factors, "base_frequency": base_freq, "base_severity": base_sev,
                 "relativities": rel, "deviance": {"frequency": _r(fit["freq"].deviance, 4),
                                                   "severity": _r(fit["sev"].deviance, 4)},
                 "aic": {"frequency": _r(fit["freq"].aic, 4), "severity": _r(fit["sev"].aic, 4)}},
    }
