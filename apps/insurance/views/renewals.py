"""Pages of the renewal portfolio: /seguros/renovaciones/?mes=YYYY-MM shows one month's proposals
(totals per state, current vs proposed premium and % change, progress decided/total, filters by
state, owner, insurer and line, sort, CSV/XLSX export) with one POST form per decision (insurer's
premium, confirm, decline with reason), «prepare now» and the settings form. The policy page gets a
«Renovación» panel loaded by htmx (no query on the policy page itself). Thin: every change is one
call to apps.insurance.services.renewals. A Comercial sees only its clients' proposals."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_POST

from aitcore.registry import MenuEntry, Panel, registry
from apps.core.errors import DomainError
from apps.core.exports import csv_response, xlsx_response
from apps.core.tables import Column
from apps.insurance.choices import NonRenewalReason, RenewalState
from apps.insurance.forms.renewals import (
    ConfirmForm, DeclineForm, MonthForm, RenewalFilterSet, RenewalSettingsForm, SetPremiumForm,
)
from apps.insurance.forms.risk_pages import style_form
from apps.insurance.selectors_renewals import (
    current_month, percent_change, portfolio_totals, renewal_for_policy, renewal_list_queryset, renewals_for,
    shift_month,
)
from apps.insurance.services.renewals import (
    renewal_confirm, renewal_decline, renewal_set_premium, renewal_settings, renewal_settings_update,
    renewals_build,
)
from apps.insurance.views.quotes import needs

INSURANCE = _l("Seguros")
TITLE = _l("Renovaciones")
PAGE_SIZE = 50
SORTABLE = {"expiry_date", "current_total_premium", "proposed_total_premium", "state"}
DECIDE = "insurance.change_renewalproposal"
# export columns: annotated names (see _export) and model fields
EXPORT_COLUMNS = [
    ("policy_number", _l("Póliza"), False), ("policyholder_name", _l("Tomador"), False),
    ("insurer_name", _l("Compañía"), False), ("line_name", _l("Ramo"), False),
    ("expiry_date", _l("Vencimiento"), False), ("owner_email", _l("Responsable"), False),
    ("state", _l("Estado"), False), ("current_total_premium", _l("Prima total actual"), True),
    ("proposed_total_premium", _l("Prima total propuesta"), True), ("premium_source", _l("Origen"), False),
    ("non_renewal_reason", _l("Motivo de no renovación"), False), ("rating_note", _l("Nota de tarificación"), False),
]


def list_url(month: str | None = None) -> str:
    url = reverse("insurance:renewal-list")
    return f"{url}?mes={month}" if month else url


def _month(request) -> str:
    form = MonthForm(request.GET)
    if form.is_valid() and form.cleaned_data["mes"]:
        return form.cleaned_data["mes"]
    return current_month()


def _export(queryset, fmt: str, month: str):
    queryset = queryset.annotate(policy_number=F("policy__number"),
                                 policyholder_name=F("policy__policyholder__display_name"),
                                 insurer_name=F("policy__insurer__name"), line_name=F("policy__line__name"),
                                 owner_email=F("owner__email"))
    columns = [Column(name, str(label), False, numeric) for name, label, numeric in EXPORT_COLUMNS]
    return (csv_response if fmt == "csv" else xlsx_response)(queryset, columns, f"{slugify(str(TITLE))}-{month}")


@needs("insurance.view_renewalproposal")
@require_GET
def renewal_list_view(request):
    month = _month(request)
    month_error = bool(request.GET.get("mes")) and not MonthForm(request.GET).is_valid()
    base = renewal_list_queryset(request.user, month)
    data = request.GET.copy()
    data.pop("month", None)
    filterset = RenewalFilterSet(data or None, queryset=base)
    del filterset.filters["month"]
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    order = request.GET.get("o", "")
    qs = qs.order_by(order, "pk") if order.lstrip("-") in SORTABLE else qs.order_by("expiry_date", "pk")
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return _export(qs, export, month)
    without_state = data.copy()
    without_state.pop("state", None)
    totals_filter = RenewalFilterSet(without_state or None, queryset=base)
    totals_qs = totals_filter.qs if totals_filter.is_bound and totals_filter.is_valid() else base
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("export", None)
    sort_params = params.copy()
    sort_params.pop("o", None)
    can_decide = request.user.has_perm(DECIDE)
    can_settings = request.user.has_perm("insurance.change_renewalsettings")
    settings = renewal_settings()
    context = {
        "title": TITLE, "month": month, "month_error": month_error,
        "month_form": MonthForm(initial={"mes": month}), "prev_url": list_url(shift_month(month, -1)),
        "next_url": list_url(shift_month(month, 1)), "filterset": filterset, "page": page,
        "rows": [(p, percent_change(p.current_total_premium, p.proposed_total_premium)) for p in page.object_list],
        "portfolio": portfolio_totals(totals_qs), "order": order, "querystring": params.urlencode(),
        "sort_querystring": sort_params.urlencode(),
        "here": request.get_full_path(), "can_decide": can_decide,
        "can_confirm": can_decide and request.user.has_perms(["insurance.add_policy", "insurance.change_policy"]),
        "reasons": NonRenewalReason.choices, "pending": RenewalState.PENDING, "settings": settings,
        "settings_form": style_form(RenewalSettingsForm(initial={
            "days_before": settings.days_before, "rerate_by_default": settings.rerate_by_default}))
        if can_settings else None,
    }
    return render(request, "insurance/renewals/list.html", context)


# --- Decisions -----------------------------------------------------------------------------------

def _proposal_or_404(request, pk):
    proposal = renewals_for(request.user).select_related("policy").filter(pk=pk).first()
    if proposal is None:
        raise Http404(_("No existe la propuesta de renovación."))
    return proposal


def _back(request, proposal=None):
    target = request.POST.get("next", "")
    if target.startswith(reverse("insurance:renewal-list")) and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(list_url(f"{proposal.expiry_date:%Y-%m}" if proposal else None))


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _run(request, proposal, call, success: str):
    try:
        call()
    except DomainError as exc:
        messages.error(request, f"{proposal.policy.number}: {exc.message}")
    except ValidationError as exc:
        messages.error(request, f"{proposal.policy.number}: {' '.join(exc.messages)}")
    else:
        messages.success(request, success)
    return _back(request, proposal)


@needs(DECIDE)
@require_POST
def renewal_premium_view(request, pk):
    proposal = _proposal_or_404(request, pk)
    form = SetPremiumForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(request, proposal)
    data = form.cleaned_data
    return _run(request, proposal, lambda: renewal_set_premium(actor=request.user, proposal=proposal,
                                                               net_premium=data["net_premium"], notes=data["notes"]),
                _("Prima de la compañía registrada para la póliza %s.") % proposal.policy.number)


@needs(DECIDE, "insurance.add_policy", "insurance.change_policy")
@require_POST
def renewal_confirm_view(request, pk):
    proposal = _proposal_or_404(request, pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(request, proposal)
    return _run(request, proposal, lambda: renewal_confirm(actor=request.user, proposal=proposal,
                                                           number=form.cleaned_data["number"] or None),
                _("Póliza %s renovada.") % proposal.policy.number)


@needs(DECIDE)
@require_POST
def renewal_decline_view(request, pk):
    proposal = _proposal_or_404(request, pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(request, proposal)
    data = form.cleaned_data
    return _run(request, proposal, lambda: renewal_decline(actor=request.user, proposal=proposal,
                                                           reason=data["reason"], notes=data["notes"]),
                _("Póliza %s: no se renueva.") % proposal.policy.number)


@needs(DECIDE)
@require_POST
def renewal_build_view(request):
    try:
        count = renewals_build(actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Cartera preparada: %d propuestas nuevas.") % count)
    return _back(request)


@needs("insurance.change_renewalsettings")
@require_POST
def renewal_settings_view(request):
    form = RenewalSettingsForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(request)
    try:
        renewal_settings_update(actor=request.user, days_before=form.cleaned_data["days_before"],
                                rerate_by_default=form.cleaned_data["rerate_by_default"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Configuración de renovaciones guardada."))
    return _back(request)


# --- The policy page's panel ----------------------------------------------------------------------

def _policy_panel(policy, request):
    return {"url": reverse("insurance:renewal-policy", args=[policy.pk])}


@needs("insurance.view_renewalproposal")
@require_GET
def renewal_policy_view(request, policy_pk):
    """The panel's body: the policy's proposal (state, premiums, decision) or when it will be built."""
    proposal = renewal_for_policy(request.user, policy_pk)
    return render(request, "insurance/renewals/_policy_renewal.html", {
        "proposal": proposal, "days_before": renewal_settings().days_before if proposal is None else None,
        "list_url": list_url(f"{proposal.expiry_date:%Y-%m}") if proposal else list_url()})


registry.register_panel("insurance.policy", Panel(title=_l("Renovación"),
                                                  template="insurance/renewals/_policy_panel.html",
                                                  context=_policy_panel, permission="insurance.view_renewalproposal",
                                                  order=50))

MENU = [
    MenuEntry(section=INSURANCE, label=TITLE, url_name="insurance:renewal-list", icon="bi-arrow-repeat",
              permission="insurance.view_renewalproposal", order=35),
]

urlpatterns = [
    path("renovaciones/", renewal_list_view, name="renewal-list"),
    path("renovaciones/preparar/", renewal_build_view, name="renewal-build"),
    path("renovaciones/configuracion/", renewal_settings_view, name="renewal-settings"),
    path("renovaciones/poliza/<int:policy_pk>/", renewal_policy_view, name="renewal-policy"),
    path("renovaciones/<int:pk>/prima/", renewal_premium_view, name="renewal-premium"),
    path("renovaciones/<int:pk>/confirmar/", renewal_confirm_view, name="renewal-confirm"),
    path("renovaciones/<int:pk>/no-renovar/", renewal_decline_view, name="renewal-decline"),
]
