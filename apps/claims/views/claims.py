"""Pages of one claim: the new claim (pick a policy, then the claim form with that policy's
coverages; a likely duplicate asks for confirmation with a checkbox), the claim page (details,
third parties, reserve history, payments with totals and reserve left, tasks with overdue ones
highlighted, documents, state history, activity, one form per allowed transition) and one POST per
command. Thin: each change is one call to an apps.claims.services function."""
import datetime
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aitcore.registry import registry
from apps.audit.selectors import history_for
from apps.claims.choices import ClaimState
from apps.claims.forms import (
    ClaimEditForm, ClaimOpenForm, DocumentForm, PaymentForm, PolicySearchForm, ReserveForm, TaskForm, ThirdPartyForm,
    TransitionForm,
)
from apps.claims.services.claims import (
    allowed_transitions, claim_open, claim_third_party_add, claim_third_party_remove, claim_transition, claim_update,
)
from apps.claims.services.cover import coverage_choices
from apps.claims.services.payments import (
    PAYABLE_STATES, can_approve_over_reserve, claim_payment_add, claim_reserve_set, reserve_left,
)
from apps.claims.services.work import claim_document_add, claim_task_add, claim_task_done
from apps.claims.views._common import claim_or_404, claim_url, needs
from apps.core.edit_conflicts import edit_conflict, edit_guard, posted_version
from apps.core.errors import DomainError, StaleObjectError
from apps.insurance.forms.risk_pages import style_form
from apps.insurance.selectors_policies import policies_for

TRANSITION_LABELS = {ClaimState.IN_REVIEW: _l("Pasar a tramitación"), ClaimState.ACCEPTED: _l("Aceptar"),
                     ClaimState.REJECTED: _l("Rechazar"), ClaimState.PAID: _l("Dar por pagado"),
                     ClaimState.CLOSED: _l("Cerrar"), ClaimState.REOPENED: _l("Reabrir")}


# --- New claim --------------------------------------------------------------------------------------

def _policy_matches(user, query: str):
    query = query.strip()
    if not query:
        return []
    return list(policies_for(user).filter(
        Q(number__istartswith=query) | Q(policyholder__display_name__icontains=query)
        | Q(policyholder__tax_id__iexact=query)).select_related("insurer", "policyholder", "line")
        .order_by("-start_date", "-pk")[:20])


def _field_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@needs("claims.add_claim")
@require_http_methods(["GET", "POST"])
def claim_create_view(request):
    policy_pk = request.GET.get("policy", "")
    policy = policies_for(request.user).filter(pk=policy_pk).select_related(
        "insurer", "policyholder", "line").first() if policy_pk.isdigit() else None
    context = {"title": _("Nuevo siniestro"), "board_url": reverse("claims:board")}
    if policy is None:
        search = PolicySearchForm(request.GET or None)
        query = search.data.get("q", "") if search.is_bound else ""
        return render(request, "claims/create.html", {
            **context, "search_form": style_form(search), "matches": _policy_matches(request.user, query),
            "query": query}, status=404 if policy_pk else 200)
    form = ClaimOpenForm(request.POST or None, coverages=coverage_choices(policy))
    duplicate = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = claim_open(
                actor=request.user, policy=policy, loss_date=data["loss_date"], reported_date=data["reported_date"],
                cause=data["cause"], coverage_code=data["coverage_code"], description=data["description"],
                location=data["location"], insurer_claim_number=data["insurer_claim_number"],
                third_parties=form.third_parties(), handler=data["handler"], reserve=data["reserve"] or 0,
                allow_duplicate=data["allow_duplicate"])
        except DomainError as exc:
            duplicate = exc.code == "claim_duplicate"
            _field_error(form, exc)
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, _("Siniestro %s abierto.") % claim.number)
            if claim.duplicate_of_id:
                messages.warning(request, _("Marcado como posible duplicado de %s.") % claim.duplicate_of.number)
            return redirect(claim_url(claim))
    return render(request, "claims/create.html", {**context, "policy": policy, "form": style_form(form),
                                                  "duplicate": duplicate},
                  status=400 if request.method == "POST" else 200)


# --- Claim page -------------------------------------------------------------------------------------

def _actions(claim, user) -> dict:
    if not user.has_perm("claims.change_claim"):
        return {"transitions": [], "change": False, "pay": False}
    return {"transitions": [(state, TRANSITION_LABELS[state], state == ClaimState.REJECTED)
                            for state in allowed_transitions(claim)],
            "change": True, "pay": claim.state in PAYABLE_STATES}


@needs("claims.view_claim")
@require_GET
def claim_detail_view(request, pk):
    claim = claim_or_404(request, pk, full=True)
    today = timezone.localdate()
    tasks = list(claim.tasks.all())
    for task in tasks:
        task.overdue = task.done_at is None and task.due_date < today
        task.due_today = task.done_at is None and task.due_date == today
    can = _actions(claim, request.user)
    payments = list(claim.payments.all())
    context = {
        "title": claim.number, "object": claim, "board_url": reverse("claims:board"),
        "list_url": reverse("claims:claim-list"), "third_parties": list(claim.third_parties.all()),
        "reserve_changes": list(claim.reserve_changes.all()), "payments": payments,
        "payments_total": sum((p.amount for p in payments), start=Decimal("0.00")),
        "reserve_left": reserve_left(claim), "tasks": tasks, "documents": list(claim.documents.all()),
        "state_changes": list(claim.state_changes.all()), "history": history_for(claim), "can": can,
        "today": today, "record_panels": registry.panels_for("claims.claim", claim, request),
    }
    if can["change"]:
        context.update({
            "reason_form": style_form(TransitionForm()), "reserve_form": style_form(ReserveForm()),
            "task_form": style_form(TaskForm(initial={"due_date": today + datetime.timedelta(days=7)})),
            "third_party_form": style_form(ThirdPartyForm()), "document_form": style_form(DocumentForm()),
            "payment_form": style_form(PaymentForm()) if can["pay"] else None,
            "can_approve": can_approve_over_reserve(request.user),
        })
    return render(request, "claims/detail.html", context)


@needs("claims.change_claim")
@require_http_methods(["GET", "POST"])
def claim_edit_view(request, pk):
    """The claim's details; a save over someone else's change is refused with the comparison (409)."""
    claim = claim_or_404(request, pk)
    form = ClaimEditForm(request.POST or None, instance=claim)
    conflict = None
    if request.method == "POST":
        valid = form.is_valid()
        conflict = edit_conflict(request, form=form, instance=claim)
        if valid and conflict is None:
            data = {name: form.cleaned_data[name] for name in ClaimEditForm.Meta.fields}
            try:
                claim_update(actor=request.user, claim=claim, data=data, expected_version=posted_version(request))
            except StaleObjectError:
                conflict = edit_conflict(request, form=form, instance=claim, stale=True)
            except DomainError as exc:
                _field_error(form, exc)
            else:
                messages.success(request, _("Siniestro %s actualizado.") % claim.number)
                return redirect(claim_url(claim))
    status = conflict.status if conflict else (400 if request.method == "POST" else 200)
    return render(request, "claims/edit.html", {"title": _("Modificar siniestro"), "object": claim,
                                                "form": style_form(form), "back_url": claim_url(claim),
                                                "edit_guard": edit_guard(request, claim, conflict=conflict, form=form)},
                  status=status)


# --- Commands --------------------------------------------------------------------------------------

def _run(request, claim, call, success: str, anchor: str = ""):
    try:
        call()
    except DomainError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect(claim_url(claim, anchor))


def _invalid(request, claim, form, anchor: str = ""):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return redirect(claim_url(claim, anchor))


def _command(form_class, anchor: str, run):
    """A POST view: the claim (404 if not visible), the form, then run(request, claim, data) -> (call, message)."""
    @needs("claims.change_claim")
    @require_POST
    def view(request, pk):
        claim = claim_or_404(request, pk)
        form = form_class(request.POST, request.FILES) if form_class is DocumentForm else form_class(request.POST)
        if not form.is_valid():
            return _invalid(request, claim, form, anchor)
        call, success = run(request, claim, form.cleaned_data)
        return _run(request, claim, call, success, anchor)

    return view


claim_transition_view = _command(TransitionForm, "", lambda request, claim, data: (
    lambda: claim_transition(actor=request.user, claim=claim, to_state=data["to_state"], reason=data["reason"]),
    _("Siniestro %(number)s: %(state)s.") % {
        "number": claim.number,
        "state": ClaimState(data["to_state"]).label if data["to_state"] in ClaimState.values else data["to_state"]}))
claim_reserve_view = _command(ReserveForm, "reserve", lambda request, claim, data: (
    lambda: claim_reserve_set(actor=request.user, claim=claim, amount=data["amount"], reason=data["reason"]),
    _("Reserva actualizada.")))
claim_payment_view = _command(PaymentForm, "payments", lambda request, claim, data: (
    lambda: claim_payment_add(actor=request.user, claim=claim, amount=data["amount"], date=data["date"],
                              payee=data["payee"], payee_name=data["payee_name"], concept=data["concept"],
                              approved_by=request.user if data["approve_over_reserve"] else None),
    _("Pago registrado.")))
claim_task_view = _command(TaskForm, "tasks", lambda request, claim, data: (
    lambda: claim_task_add(actor=request.user, claim=claim, title=data["title"], due_date=data["due_date"],
                           assignee=data["assignee"]),
    _("Tarea añadida.")))
claim_third_party_view = _command(ThirdPartyForm, "third-parties", lambda request, claim, data: (
    lambda: claim_third_party_add(actor=request.user, claim=claim, data=data), _("Tercero añadido.")))
claim_document_view = _command(DocumentForm, "documents", lambda request, claim, data: (
    lambda: claim_document_add(actor=request.user, claim=claim, file=data["file"], description=data["description"]),
    _("Documento adjuntado.")))


@needs("claims.change_claim")
@require_POST
def claim_task_done_view(request, pk, task_pk):
    claim = claim_or_404(request, pk)
    task = claim.tasks.filter(pk=task_pk).first()
    if task is None:
        raise Http404(_("No existe la tarea."))
    return _run(request, claim, lambda: claim_task_done(actor=request.user, task=task),
                _("Tarea «%s» hecha.") % task.title, "tasks")


@needs("claims.change_claim")
@require_POST
def claim_third_party_remove_view(request, pk, party_pk):
    claim = claim_or_404(request, pk)
    party = claim.third_parties.filter(pk=party_pk).first()
    if party is None:
        raise Http404(_("No existe el tercero."))
    return _run(request, claim, lambda: claim_third_party_remove(actor=request.user, third_party=party),
                _("Tercero quitado."), "third-parties")


@needs("claims.view_claim")
@require_GET
def claim_document_download_view(request, pk, document_pk):
    claim = claim_or_404(request, pk)
    document = claim.documents.filter(pk=document_pk).first()
    if document is None:
        raise Http404(_("No existe el documento."))
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("El archivo no está disponible.")) from None
    return FileResponse(handle, as_attachment=True, filename=document.name,
                        content_type=document.content_type or "application/octet-stream")


urlpatterns = [
    path("nuevo/", claim_create_view, name="claim-create"),
    path("<int:pk>/", claim_detail_view, name="claim-detail"),
    path("<int:pk>/modificar/", claim_edit_view, name="claim-edit"),
    path("<int:pk>/estado/", claim_transition_view, name="claim-transition"),
    path("<int:pk>/reserva/", claim_reserve_view, name="claim-reserve"),
    path("<int:pk>/pagos/", claim_payment_view, name="claim-payment"),
    path("<int:pk>/tareas/", claim_task_view, name="claim-task"),
    path("<int:pk>/tareas/<int:task_pk>/hecha/", claim_task_done_view, name="claim-task-done"),
    path("<int:pk>/terceros/", claim_third_party_view, name="claim-third-party"),
    path("<int:pk>/terceros/<int:party_pk>/quitar/", claim_third_party_remove_view, name="claim-third-party-remove"),
    path("<int:pk>/documentos/", claim_document_view, name="claim-document"),
    path("<int:pk>/documentos/<int:document_pk>/", claim_document_download_view, name="claim-document-download"),
]
