"""GDPR pages of a party: consents (grant, withdraw, history), access request (JSON download)
and erasure (anonymisation, refused with the reasons while a retention applies).
Thin doors into apps.crm.services.consents and apps.crm.services.gdpr."""
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.core.forms import add_service_errors
from apps.core.permissions import visible_to
from apps.crm.choices import ConsentPurpose
from apps.crm.forms.consents import AnonymiseForm, ConsentGrantForm, ConsentWithdrawForm
from apps.crm.models import Consent, Party
from apps.crm.services.consents import consent_grant, consent_withdraw, party_consent_history
from apps.crm.services.gdpr import party_anonymise, party_data_export, party_retention_reasons


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(_("Su rol no permite esta operación."))


def _party(request, pk) -> Party:
    queryset = visible_to(Party.objects.select_related("account_manager"), request.user, "account_manager")
    try:
        return queryset.get(pk=pk)
    except Party.DoesNotExist as exc:
        raise Http404(_("No existe o no tiene acceso a este cliente.")) from exc


def _page(request, party, *, grant_form=None, anonymise_form=None, status=200):
    user = request.user
    history = party_consent_history(party)
    active = {c.purpose: c for c in history if c.is_active}
    can_anonymise = user.has_perm("crm.delete_party") and not party.anonymised_at
    context = {
        "title": _("Protección de datos"),
        "party": party,
        "party_url": reverse("ui:crm-party-detail", args=[party.pk]),
        "purposes": [(value, label, active.get(value)) for value, label in ConsentPurpose.choices],
        "history": history,
        "grant_form": grant_form or ConsentGrantForm(),
        "withdraw_form": ConsentWithdrawForm(),
        "anonymise_form": anonymise_form or AnonymiseForm(),
        "retention_reasons": party_retention_reasons(party) if can_anonymise else [],
        "can_grant": user.has_perm("crm.add_consent") and not party.anonymised_at,
        "can_withdraw": user.has_perm("crm.change_consent"),
        "can_export": user.has_perm("crm.view_party"),
        "can_anonymise": can_anonymise,
    }
    return render(request, "crm/gdpr/party.html", context, status=status)


@login_required
@require_GET
def party_gdpr(request, pk):
    _require(request.user, "crm.view_consent")
    return _page(request, _party(request, pk))


@login_required
@require_POST
def consent_grant_view(request, pk):
    _require(request.user, "crm.add_consent")
    party = _party(request, pk)
    form = ConsentGrantForm(request.POST)
    if form.is_valid():
        try:
            consent = consent_grant(actor=request.user, party=party, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Consentimiento registrado: %(purpose)s.") % {
                "purpose": consent.get_purpose_display()})
            return redirect("crm:party-gdpr", pk=party.pk)
    return _page(request, party, grant_form=form, status=422 if request.headers.get("HX-Request") else 200)


@login_required
@require_POST
def consent_withdraw_view(request, pk):
    _require(request.user, "crm.change_consent")
    try:
        consent = Consent.objects.select_related("party").get(pk=pk)
    except Consent.DoesNotExist as exc:
        raise Http404(_("No existe o no tiene acceso a este consentimiento.")) from exc
    party = _party(request, consent.party_id)
    form = ConsentWithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Elija el canal por el que el cliente retira el consentimiento."))
        return redirect("crm:party-gdpr", pk=party.pk)
    try:
        consent_withdraw(actor=request.user, consent=consent, channel=form.cleaned_data["channel"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Consentimiento retirado: %(purpose)s.") % {"purpose": consent.get_purpose_display()})
    return redirect("crm:party-gdpr", pk=party.pk)


@login_required
@require_POST
def party_export(request, pk):
    """Access request (art. 15 RGPD): everything about the party as a JSON download."""
    _require(request.user, "crm.view_party")
    party = _party(request, pk)
    data = party_data_export(actor=request.user, party=party)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = slugify(party.display_name) or str(party.pk)
    response["Content-Disposition"] = f'attachment; filename="datos-{party.pk}-{name}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def party_anonymise_view(request, pk):
    _require(request.user, "crm.delete_party")
    party = _party(request, pk)
    form = AnonymiseForm(request.POST)
    if form.is_valid():
        try:
            party_anonymise(actor=request.user, party=party, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Datos personales borrados: el cliente queda anonimizado."))
            return redirect("crm:party-gdpr", pk=party.pk)
    return _page(request, party, anonymise_form=form, status=422 if request.headers.get("HX-Request") else 200)


urlpatterns = [
    path("clientes/<int:pk>/rgpd/", party_gdpr, name="party-gdpr"),
    path("clientes/<int:pk>/rgpd/consentimientos/", consent_grant_view, name="consent-grant"),
    path("consentimientos/<int:pk>/retirar/", consent_withdraw_view, name="consent-withdraw"),
    path("clientes/<int:pk>/rgpd/exportar/", party_export, name="party-export"),
    path("clientes/<int:pk>/rgpd/anonimizar/", party_anonymise_view, name="party-anonymise"),
]
