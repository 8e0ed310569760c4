"""LDS evidence of a policy: the «Obligaciones de distribución (LDS)» panel on the policy page (latest
delivery of each duty, what is missing, a «Registrar entrega» button), the page that records one
delivery (with the line's demands-and-needs questionnaire) and the action that takes what the quote
already proves. Thin: everything goes through apps.regulatory.services.evidence."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_POST

from aitcore.registry import Panel, registry
from apps.core.errors import DomainError
from apps.core.forms import add_service_errors, style_form
from apps.insurance.selectors_policies import policies_for
from apps.regulatory.choices import EvidenceKind
from apps.regulatory.forms import EvidenceForm
from apps.regulatory.questionnaire import answers_display, demands_form
from apps.regulatory.selectors_lds import policy_evidence
from apps.regulatory.services.evidence import evidence_from_quote, evidence_record, remuneration_default
from apps.regulatory.views._common import ADD_EVIDENCE, VIEW_LDS, needs


def _policy_panel(policy, request):
    data = policy_evidence(policy)
    can_record = request.user.has_perm(ADD_EVIDENCE)
    for item in data["latest"]:
        row = item["row"]
        item["answers"] = answers_display(policy, row.answers) if row is not None and row.answers else []
    return {"policy": policy, **data, "can_record": can_record,
            "record_url": reverse("regulatory:evidence-record", args=[policy.pk]) if can_record else "",
            "quote_url": reverse("regulatory:evidence-from-quote", args=[policy.pk])
            if can_record and policy.quote_id else ""}


registry.register_panel("insurance.policy", Panel(title=_l("Obligaciones de distribución (LDS)"),
                                                   template="regulatory/evidence/_panel.html",
                                                   context=_policy_panel, permission=VIEW_LDS, order=15))


def _policy_or_404(request, pk):
    policy = policies_for(request.user).select_related("insurer", "product", "line", "quote").filter(pk=pk).first()
    if policy is None:
        raise Http404(_("No existe la póliza."))
    return policy


def _back(policy):
    return redirect(reverse("insurance:policy-detail", args=[policy.pk]) + "#policy-lds")


@needs(ADD_EVIDENCE)
@require_http_methods(["GET", "POST"])
def evidence_record_view(request, pk):
    policy = _policy_or_404(request, pk)
    kind = request.POST.get("kind") or request.GET.get("kind") or EvidenceKind.IPID
    initial = {"kind": kind, "remuneration_nature": remuneration_default(policy)}
    form = EvidenceForm(request.POST or None, policy=policy, initial=initial)
    questions = demands_form(policy, request.POST or None, initial=policy.quote.demands_and_needs
                             if policy.quote_id else None)
    if questions is not None:
        style_form(questions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        needs_answers = data["kind"] == EvidenceKind.DEMANDS_NEEDS
        if not needs_answers or (questions is not None and questions.is_valid()):
            try:
                evidence_record(actor=request.user, policy=policy, kind=data["kind"], channel=data["channel"],
                                delivered_at=form.delivered_at(), document=data["document"],
                                answers=questions.answers() if needs_answers else None,
                                statement=data["statement"], remuneration_nature=data["remuneration_nature"],
                                notes=data["notes"])
            except DomainError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Entrega registrada: %(kind)s de la póliza %(number)s.") % {
                    "kind": EvidenceKind(data["kind"]).label, "number": policy.number})
                return _back(policy)
    return render(request, "regulatory/evidence/form.html", {
        "title": _("Registrar entrega"), "policy": policy, "form": form, "questions": questions,
        "status": 400 if request.method == "POST" else 200}, status=400 if request.method == "POST" else 200)


@needs(ADD_EVIDENCE)
@require_POST
def evidence_from_quote_view(request, pk):
    policy = _policy_or_404(request, pk)
    try:
        made = evidence_from_quote(actor=request.user, policy=policy)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Registradas desde el proyecto: %s.") % ", ".join(
            str(EvidenceKind(row.kind).label) for row in made))
    return _back(policy)


urlpatterns = [
    path("poliza/<int:pk>/entrega/", evidence_record_view, name="evidence-record"),
    path("poliza/<int:pk>/entrega/proyecto/", evidence_from_quote_view, name="evidence-from-quote"),
]
