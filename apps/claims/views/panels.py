"""Sections the claims app adds to other pages: the policy page («Siniestros» of the policy, with
an «open claim» link) and the client's 360° page (the client's claims). Both cost their host
page no query: the list loads by htmx from the views below (visible_to applies)."""
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET

from aitcore.registry import Panel, registry
from apps.claims.models import Claim
from apps.claims.selectors import CLAIM_OWNER_FIELD, claims_of_party, claims_of_policy
from apps.claims.views._common import needs
from apps.insurance.selectors_policies import policies_for

PANEL_ROWS = 20


def _policy_panel(policy, request):
    can_open = request.user.has_perm("claims.add_claim") and policy.state != "draft"
    return {"url": reverse("claims:claim-policy", args=[policy.pk]),
            "list_url": reverse("claims:claim-list") + f"?policy={policy.pk}",
            "create_url": reverse("claims:claim-create") + f"?policy={policy.pk}" if can_open else ""}


def _party_panel(party, request):
    return {"url": reverse("claims:claim-party", args=[party.pk]),
            "list_url": reverse("claims:claim-list") + f"?policyholder={party.pk}"}


@needs("claims.view_claim")
@require_GET
def policy_claims_view(request, policy_pk):
    policy = policies_for(request.user).filter(pk=policy_pk).first()
    if policy is None:
        raise Http404(_("No existe la póliza."))
    return render(request, "claims/_panel_rows.html",
                  {"claims": list(claims_of_policy(policy, request.user)[:PANEL_ROWS]), "show_policy": False})


@needs("claims.view_claim")
@require_GET
def party_claims_view(request, party_pk):
    from apps.crm.selectors import parties_for

    party = parties_for(request.user).filter(pk=party_pk).first()
    if party is None:
        raise Http404(_("No existe el cliente."))
    return render(request, "claims/_panel_rows.html",
                  {"claims": list(claims_of_party(party, request.user)[:PANEL_ROWS]), "show_policy": True})


registry.register_panel("insurance.policy", Panel(title=_l("Siniestros"), template="claims/_panel.html",
                                                  context=_policy_panel, permission="claims.view_claim", order=40))
registry.register_panel("crm.party", Panel(title=_l("Siniestros"), template="claims/_panel.html",
                                           context=_party_panel, permission="claims.view_claim", order=40))
registry.register_search_index({"model": Claim, "fields": ["number", "policy__number", "policyholder__display_name",
                                                           "insurer_claim_number"],
                                "url_name": "claims:claim-detail", "owner_field": CLAIM_OWNER_FIELD})

urlpatterns = [
    path("poliza/<int:policy_pk>/", policy_claims_view, name="claim-policy"),
    path("cliente/<int:party_pk>/", party_claims_view, name="claim-party"),
]
