"""Pages of the treasury area «SEPA mandates»: the list (party, state, expired; CSV/XLSX), the mandate
page (sequence of the next debit, usable today, amend and revoke), the create form, and the
«Mandatos SEPA» panel on the client's 360° page. Thin: changes go through services.mandates."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aitcore.registry import MenuEntry, Panel, registry
from apps.audit.selectors import history_for
from apps.core.errors import DomainError
from apps.crm.selectors_pipeline import party_search
from apps.insurance.views.quotes import needs
from apps.treasury.filtersets_accounts import MandateFilterSet
from apps.treasury.forms import MandateAmendForm, MandateForm, MandateRevokeForm
from apps.treasury.models import Mandate
from apps.treasury.services.mandates import (
    mandate_amend, mandate_create, mandate_expires_on, mandate_is_usable, mandate_revoke, mandate_sequence_type,
)
from apps.treasury.views._pages import SECTION, form_error, list_page, styled

TITLE = _l("Mandatos SEPA")
LIST_FIELDS = ["reference", "party", "iban", "signature_date", "scheme", "kind", "state", "uses", "last_used_on"]
SORTABLE = {"reference", "signature_date", "last_used_on", "uses"}


def mandate_url(mandate) -> str:
    return reverse("treasury:mandate-detail", args=[mandate.pk])


@needs("treasury.view_mandate")
@require_GET
def mandate_list_view(request):
    queryset = Mandate.objects.select_related("party")
    filterset = MandateFilterSet(request.GET or None, queryset=queryset)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    query = request.GET.get("q", "").strip()
    return list_page(request, MandateFilterSet.search(qs, query), model=Mandate, fields=LIST_FIELDS,
                     sortable=SORTABLE, title=TITLE, list_url=reverse("treasury:mandate-list"), row_url=mandate_url,
                     filterset=filterset, create_url=reverse("treasury:mandate-create"),
                     can_create=request.user.has_perm("treasury.add_mandate"),
                     search_fields=("reference", "party", "iban"), wrapper_id="mandate-list", query=query)


def _detail(request, mandate, *, amend_form=None, revoke_form=None, status=200):
    today = timezone.localdate()
    usable, reason = mandate_is_usable(mandate, today)
    return render(request, "treasury/accounts/mandate_detail.html", {
        "title": TITLE, "object": mandate, "list_url": reverse("treasury:mandate-list"),
        "sequence": mandate_sequence_type(mandate), "usable": usable, "reason": reason,
        "expires_on": mandate_expires_on(mandate), "history": history_for(mandate),
        "can_change": request.user.has_perm("treasury.change_mandate") and mandate.state == "active",
        "amend_form": styled(amend_form or MandateAmendForm()),
        "revoke_form": styled(revoke_form or MandateRevokeForm())}, status=status)


@needs("treasury.view_mandate")
@require_GET
def mandate_detail_view(request, pk):
    return _detail(request, get_object_or_404(Mandate.objects.select_related("party"), pk=pk))


def _command(request, pk, form_class, run, done):
    mandate = get_object_or_404(Mandate.objects.select_related("party"), pk=pk)
    form = form_class(request.POST)
    key = "amend_form" if form_class is MandateAmendForm else "revoke_form"
    if not form.is_valid():
        return _detail(request, mandate, status=400, **{key: form})
    try:
        mandate = run(mandate, form.cleaned_data)
    except DomainError as exc:
        status = form_error(form, exc)
        return _detail(request, mandate, status=status, **{key: form})
    messages.success(request, done % mandate.reference)
    return redirect(mandate_url(mandate))


@needs("treasury.change_mandate")
@require_POST
def mandate_amend_view(request, pk):
    return _command(request, pk, MandateAmendForm, lambda mandate, data: mandate_amend(
        actor=request.user, mandate=mandate, iban=data["iban"], bic=data["bic"], on_date=data["on_date"]),
        _("Mandato %s modificado: el próximo adeudo será FRST."))


@needs("treasury.change_mandate")
@require_POST
def mandate_revoke_view(request, pk):
    return _command(request, pk, MandateRevokeForm, lambda mandate, data: mandate_revoke(
        actor=request.user, mandate=mandate, on_date=data["on_date"]), _("Mandato %s revocado."))


def _form_page(request, form, status=200):
    return render(request, "treasury/accounts/mandate_form.html", {
        "title": _("Nuevo mandato SEPA"), "form": styled(form), "list_url": reverse("treasury:mandate-list"),
        "options_url": reverse("treasury:mandate-party-options")}, status=status)


@needs("treasury.add_mandate")
@require_http_methods(["GET", "POST"])
def mandate_create_view(request):
    if request.method == "GET":
        return _form_page(request, MandateForm(user=request.user, initial={"party": request.GET.get("party", "")}))
    form = MandateForm(request.POST, user=request.user)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    try:
        mandate = mandate_create(actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        return _form_page(request, form, status=form_error(form, exc))
    messages.success(request, _("Mandato %s creado.") % mandate.reference)
    return redirect(mandate_url(mandate))


@needs("treasury.add_mandate")
@require_GET
def mandate_party_options_view(request):
    parties = party_search(request.user, request.GET.get("q", ""))
    return render(request, "crm/pipeline/_party_options.html", {"parties": parties, "query": request.GET.get("q", "")})


def _party_panel(party, request):
    mandates = list(Mandate.objects.filter(party=party).order_by("-signature_date", "-pk")[:10])
    today = timezone.localdate()
    return {"rows": [(m, mandate_is_usable(m, today)[0]) for m in mandates],
            "list_url": reverse("treasury:mandate-list") + f"?party={party.pk}",
            "create_url": reverse("treasury:mandate-create") + f"?party={party.pk}",
            "can_create": request.user.has_perm("treasury.add_mandate")}


registry.register_panel("crm.party", Panel(title=_l("Mandatos SEPA"), template="treasury/accounts/_party_panel.html",
                                           context=_party_panel, permission="treasury.view_mandate", order=35))

MENU = [
    MenuEntry(section=SECTION, label=TITLE, url_name="treasury:mandate-list", icon="bi-pen",
              permission="treasury.view_mandate", order=20),
]

urlpatterns = [
    path("mandatos/", mandate_list_view, name="mandate-list"),
    path("mandatos/nuevo/", mandate_create_view, name="mandate-create"),
    path("mandatos/terceros/", mandate_party_options_view, name="mandate-party-options"),
    path("mandatos/<int:pk>/", mandate_detail_view, name="mandate-detail"),
    path("mandatos/<int:pk>/modificar/", mandate_amend_view, name="mandate-amend"),
    path("mandatos/<int:pk>/revocar/", mandate_revoke_view, name="mandate-revoke"),
]
