"""The engine result dicts of the ML engines (summary cards, top-risk table, score histogram)."""
import numpy as np
from django.utils.translation import gettext as _

from apps.predictive.models import Score

TOP = 25


def _pct(value) -> str:
    return f"{value * 100:.1f} %".replace(".", ",")


def scores_result(version, *, title: str, extra_summary: list | None = None, charts: list | None = None) -> dict:
    values = list(version.scores.values_list("score", flat=True))
    top = list(Score.objects.filter(model_version=version).order_by("-score", "pk")[:TOP])
    counts, edges = np.histogram(values or [0], bins=10, range=(0, 1))
    return {
        "summary": [{"label": _("Versión"), "value": version.version},
                    {"label": _("Registros puntuados"), "value": len(values)},
                    {"label": _("Riesgo alto (≥ 50 %)"), "value": sum(1 for v in values if v >= 0.5)},
                    *(extra_summary or [])],
        "tables": [{"key": "top", "title": title, "columns": [_("Registro"), _("Puntuación"), _("Motivos")],
                    "rows": [[s.target_label, _pct(s.score), "; ".join(s.reasons)] for s in top]}],
        "charts": [*(charts or []),
                   {"key": "distribution", "title": _("Distribución de puntuaciones"), "type": "bar",
                    "labels": [f"{int(e * 100)}-{int(edges[i + 1] * 100)} %" for i, e in enumerate(edges[:-1])],
                    "datasets": [{"label": _("Registros"), "data": [int(c) for c in counts]}]}],
        "messages": [],
        "data": {"model_version": version.pk, "kind": version.kind, "version": version.version,
                 "metrics": version.metrics, "features": version.features},
    }
