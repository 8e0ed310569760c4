"""The engines of this app and of apps.engines.services.statistics/financial, registered with the engine
framework (apps.engines.registry) when it is installed."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.predictive.errors import no_progress


def compute_churn(*, params: dict, progress=no_progress, actor) -> dict:
    from apps.predictive.results import scores_result
    from apps.predictive.services.churn import churn_score, churn_train

    version = churn_train(actor=actor, progress=progress)
    if params.get("score", True):
        churn_score(actor=actor, version=version, progress=progress)
    m = version.metrics
    comparison = {"key": "validation", "title": _("Validación con renovaciones recientes"), "type": "bar",
                  "labels": [_("AUC"), _("Brier")],
                  "datasets": [{"label": _("Modelo"), "data": [m["auc"], m["brier"]]},
                               {"label": _("Constante"), "data": [m["baseline_auc"], m["baseline_brier"]]}]}
    cards = [{"label": _("AUC (constante 0,5)"), "value": m["auc"]},
             {"label": _("Brier (constante %(b)s)") % {"b": m["baseline_brier"]}, "value": m["brier"],
              "hint": _("Menor es mejor.")}]
    result = scores_result(version, title=_("Pólizas con más riesgo de no renovar"), charts=[comparison],
                           extra_summary=cards)
    if m["auc"] <= 0.5 or m["brier"] >= m["baseline_brier"]:
        result["messages"].append(_("El modelo no mejora a la predicción constante en los datos de validación: "
                                    "úselo con cautela."))
    return result


def compute_anomalies(*, params: dict, progress=no_progress, actor) -> dict:
    from apps.predictive.results import scores_result
    from apps.predictive.services.anomalies import anomalies_detect

    version = anomalies_detect(actor=actor, date_from=params.get("date_from") or None,
                               date_to=params.get("date_to") or None, progress=progress)
    return scores_result(version, title=_("Asientos más atípicos"))


def compute_fraud(*, params: dict, progress=no_progress, actor) -> dict:
    from apps.predictive.results import scores_result
    from apps.predictive.services.fraud import fraud_score

    version = fraud_score(actor=actor, progress=progress)
    return scores_result(version, title=_("Siniestros con más indicios"))


def engine_specs() -> list[dict]:
    from apps.engines.forms_financial import AmortizationForm, NpvIrrForm, VarForm
    from apps.engines.forms_statistics import DecomposeForm, DescribeForm, ForecastForm
    from apps.engines.services import financial, statistics
    from apps.predictive.forms import AnomalyForm, ChurnForm, FraudForm

    return [
        dict(key="statistics.describe", label=_l("Estadística descriptiva"), category="statistics",
             form_class=DescribeForm, compute=statistics.compute_describe,
             description=_l("Media, mediana, desviación, cuartiles, percentiles e histograma de un importe.")),
        dict(key="statistics.decompose", label=_l("Tendencia y estacionalidad"), category="statistics",
             form_class=DecomposeForm, compute=statistics.compute_decompose,
             description=_l("Serie mensual de producción, cobros o siniestros descompuesta (STL).")),
        dict(key="statistics.forecast", label=_l("Previsión a 12 meses"), category="statistics",
             form_class=ForecastForm, compute=statistics.compute_forecast,
             description=_l("Previsión ETS o SARIMAX con intervalos del 80 % y 95 %.")),
        dict(key="financial.var", label=_l("VaR y CVaR de una cartera"), category="financial", form_class=VarForm,
             compute=financial.compute_var, description=_l("Histórico y paramétrico, desde un CSV de rentabilidades.")),
        dict(key="financial.npv_irr", label=_l("VAN y TIR"), category="financial", form_class=NpvIrrForm,
             compute=financial.compute_npv_irr, description=_l("Valor actual neto y tasa interna de retorno.")),
        dict(key="financial.amortization", label=_l("Cuadro de amortización (francés)"), category="financial",
             form_class=AmortizationForm, compute=financial.compute_amortization,
             description=_l("Cuota constante; la última cuota absorbe el redondeo.")),
        dict(key="ml.churn", label=_l("Riesgo de no renovación"), category="ml", form_class=ChurnForm,
             compute=compute_churn, permission="predictive.add_modelversion",
             description=_l("Entrena con las renovaciones pasadas y puntúa las pólizas en vigor.")),
        dict(key="ml.anomalies", label=_l("Asientos atípicos"), category="ml", form_class=AnomalyForm,
             compute=compute_anomalies, permission="predictive.add_modelversion",
             description=_l("Importes atípicos por cuenta, parejas de cuentas raras y horarios inusuales.")),
        dict(key="ml.fraud", label=_l("Indicios de fraude en siniestros"), category="ml", form_class=FraudForm,
             compute=compute_fraud, permission="predictive.add_modelversion",
             description=_l("Reglas ponderadas: siniestro temprano, importe, reincidencia…")),
    ]


def register_all() -> None:
    try:
        from apps.engines import registry as engines
    except ImportError:  # the engine framework is not installed yet: the compute functions still work
        return
    for spec in engine_specs():
        if not any(e.key == spec["key"] for e in engines.all()):
            engines.register(engines.Engine(**spec))
