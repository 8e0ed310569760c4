"""Pages: the top-risk list per kind (churn, fraud, anomalies), the model versions with their validation
metrics, and the body of the «Riesgo» panel that the policy, claim and journal entry pages load after
rendering (so the host page pays no query)."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.predictive.choices import ModelKind
from apps.predictive.models import ModelVersion
from apps.predictive.selectors import active_version, kinds_for, latest_score, top_scores, visible_targets

DETAIL_URL = {ModelKind.CHURN: "insurance:policy-detail", ModelKind.FRAUD: "claims:claim-detail",
              ModelKind.ANOMALY: "accounting:entry-detail"}
TOP_ROWS = 50


def _kinds_or_403(user) -> list[str]:
    kinds = kinds_for(user)
    if not kinds:
        raise PermissionDenied(_("Su rol no permite ver las puntuaciones de riesgo."))
    return kinds


@login_required
@require_GET
def top_risk_view(request):
    kinds = _kinds_or_403(request.user)
    kind = request.GET.get("tipo") if request.GET.get("tipo") in kinds else kinds[0]
    version = active_version(kind)
    rows = [{"score": s, "url": reverse(DETAIL_URL[kind], args=[s.object_id])}
            for s in top_scores(kind, request.user, limit=TOP_ROWS, version=version)]
    return render(request, "predictive/top_risk.html", {
        "title": _("Riesgos: los más altos"), "kind": kind, "kind_label": ModelKind(kind).label,
        "tabs": [(k, ModelKind(k).label) for k in kinds], "version": version, "rows": rows,
        "can_train": request.user.has_perm("predictive.add_modelversion"),
    })


@login_required
@require_GET
def model_list_view(request):
    kinds = _kinds_or_403(request.user)
    versions = list(ModelVersion.objects.filter(kind__in=kinds).select_related("trained_by")
                    .defer("fitted_model").order_by("kind", "-version")[:100])
    return render(request, "predictive/models.html", {"title": _("Modelos predictivos"), "versions": versions})


@login_required
@require_GET
def panel_body_view(request, kind, object_id):
    if kind not in kinds_for(request.user):
        raise PermissionDenied(_("Su rol no permite ver esta puntuación."))
    if not visible_targets(kind, request.user).filter(pk=object_id).exists():
        raise Http404(_("No existe el registro."))
    score = latest_score(kind, object_id)
    list_url = reverse("predictive:top-risk") + f"?tipo={kind}"
    return render(request, "predictive/_panel_body.html", {"score": score, "kind": kind, "list_url": list_url})
