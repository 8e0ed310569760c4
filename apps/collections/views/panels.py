"""What collections adds to other records' pages. On the policy page: the cover state today under
art. 15 LCS (coloured), the policy's receipts with their totals, the commission earned on the
policy (broker and collaborators) and the collaborators' shares with a form to set or remove one
(posting to the views below). On the client's 360° page: its issued, partly paid and returned
receipts, loaded by htmx so the 360° page pays no query for them."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_POST

from aitcore.registry import Panel, registry
from apps.collections.choices import CoverState
from apps.collections.forms.collaborators import ShareForm, ShareRemoveForm
from apps.collections.selectors_pages import ZERO, party_unpaid_receipts, policy_receipts
from apps.collections.services.collaborators import share_remove, share_set
from apps.collections.services.cover import cover_state
from apps.core.errors import DomainError
from apps.insurance.forms.risk_pages import style_form
from apps.insurance.selectors_policies import policies_for
from apps.insurance.views.quotes import needs

COVER_COLOURS = {
    CoverState.COVERED: "success", CoverState.GRACE: "warning", CoverState.RESUMING: "warning",
    CoverState.FIRST_PREMIUM_UNPAID: "danger", CoverState.SUSPENDED: "danger", CoverState.NOT_IN_FORCE: "secondary",
}


def cover_today(policy, receipts=None) -> dict:
    """The art. 15 LCS sentence for today and its colour (ok / warning / danger)."""
    status = cover_state(policy=policy, receipts=receipts)
    return {"state": status.state, "label": status.label, "message": status.message,
            "colour": COVER_COLOURS.get(status.state, "secondary"), "receipt": status.receipt}


def _policy_panel(policy, request):
    data = policy_receipts(policy)
    user = request.user
    can_share = user.has_perm("collections.change_commissionshare")
    return {
        "policy": policy, "cover": cover_today(policy, data.receipts), "receipts": data.receipts, "totals": data.totals,
        "commission": data.commission, "shares": data.shares,
        "share_form": style_form(ShareForm(prefix="share")) if can_share else None, "can_share": can_share,
        "list_url": reverse("collections:receipt-list") + f"?policy={policy.number}",
    }


registry.register_panel("insurance.policy", Panel(title=_l("Recibos y comisiones"),
                                                   template="collections/panels/_policy.html",
                                                   context=_policy_panel, permission="collections.view_receipt",
                                                   order=10))


def _party_panel(party, request):
    return {"url": reverse("collections:party-receipts", args=[party.pk]),
            "list_url": reverse("collections:receipt-list") + f"?policyholder={party.tax_id or party.display_name}"}


registry.register_panel("crm.party", Panel(title=_l("Recibos pendientes y devueltos"),
                                           template="collections/panels/_party.html", context=_party_panel,
                                           permission="collections.view_receipt", order=30))


@needs("collections.view_receipt")
@require_GET
def party_receipts_view(request, party_pk):
    """The client's unpaid receipts (issued, partial, returned) as the 360° panel's body."""
    from apps.crm.selectors import parties_for

    party = parties_for(request.user).filter(pk=party_pk).first()
    if party is None:
        raise Http404(_("No existe el cliente."))
    receipts = party_unpaid_receipts(party, request.user)
    return render(request, "collections/panels/_party_receipts.html", {
        "receipts": receipts, "outstanding": sum((r.outstanding for r in receipts), ZERO)})


# --- Shares set from the policy panel ----------------------------------------------------------------

def _policy_or_404(request, pk):
    policy = policies_for(request.user).filter(pk=pk).first()
    if policy is None:
        raise Http404(_("No existe la póliza."))
    return policy


def _back(policy):
    return redirect(reverse("insurance:policy-detail", args=[policy.pk]) + "#policy-receipts")


def _errors(request, form):
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@needs("collections.change_commissionshare")
@require_POST
def share_set_view(request, pk):
    policy = _policy_or_404(request, pk)
    form = ShareForm(request.POST, prefix="share")
    if not form.is_valid():
        _errors(request, form)
        return _back(policy)
    collaborator, pct = form.cleaned_data["collaborator"], form.cleaned_data["share_pct"]
    try:
        share_set(actor=request.user, policy=policy, collaborator=collaborator, pct=pct)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(code)s participa con el %(pct)s %% de la comisión de la póliza %(number)s.") % {
            "code": collaborator.code, "pct": pct, "number": policy.number})
    return _back(policy)


@needs("collections.change_commissionshare")
@require_POST
def share_remove_view(request, pk):
    policy = _policy_or_404(request, pk)
    form = ShareRemoveForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return _back(policy)
    collaborator = form.cleaned_data["collaborator"]
    try:
        share_remove(actor=request.user, policy=policy, collaborator=collaborator)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(code)s ya no participa en la comisión de la póliza %(number)s.") % {
            "code": collaborator.code, "number": policy.number})
    return _back(policy)


urlpatterns = [
    path("cliente/<int:party_pk>/", party_receipts_view, name="party-receipts"),
    path("poliza/<int:pk>/participaciones/", share_set_view, name="share-set"),
    path("poliza/<int:pk>/participaciones/quitar/", share_remove_view, name="share-remove"),
]
