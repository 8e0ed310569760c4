"""The «Riesgo» panel on the policy (churn), claim (fraud) and journal entry (anomalies) pages: the frame
costs its host page no query; its body loads by htmx from views.panel_body_view."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _l

from aitcore.registry import Panel, registry
from apps.predictive.choices import KIND_PERMISSION, TARGET_MODEL, ModelKind

TITLES = {ModelKind.CHURN: _l("Riesgo de no renovación"), ModelKind.FRAUD: _l("Indicios de fraude"),
          ModelKind.ANOMALY: _l("Anomalías del asiento")}


def _context_for(kind):
    def context(obj, request):
        if not request.user.has_perm(KIND_PERMISSION[kind]):
            return None
        return {"url": reverse("predictive:panel", args=[kind, obj.pk]),
                "list_url": reverse("predictive:top-risk") + f"?tipo={kind}"}

    return context


for _kind in ModelKind.values:
    registry.register_panel(TARGET_MODEL[_kind], Panel(title=TITLES[_kind], template="predictive/_panel.html",
                                                       context=_context_for(_kind), permission="predictive.view_score",
                                                       order=80))
