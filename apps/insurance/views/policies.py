"""Pages of the insurance area «policies»: the list (filters by line, insurer, product, state,
expiry month, policyholder and number; sortable; CSV/XLSX export; a capped count so the first
page stays fast on 500k policies), the policy page (terms, risk with the line's labels, insured
and beneficiaries, coverages, versions with compare, state history, activity, actions), the new
policy without a quote in two steps (terms; then the line's risk form), the endorsement page (the
line's form prefilled with the current risk) and one POST per action. Thin: every change is one
call to apps.insurance.services.policies / endorsements. A Comercial sees only its clients'
policies (selectors_policies.policies_for)."""
import dataclasses
import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aitcore.registry import MenuEntry, Panel, registry
from apps.audit.selectors import history_for
from apps.audit.sensitive import mask_health
from apps.core.edit_conflicts import edit_conflict, edit_guard, posted_version
from apps.core.errors import DomainError, StaleObjectError
from apps.core.exports import csv_response, xlsx_response
from apps.core.templatetags.live_records import row_keys
from apps.core.tables import columns_for, display_value
from apps.insurance.forms.risk_pages import add_row, apply_errors, style_all, style_form
from apps.insurance.choices import PolicyState
from apps.insurance.filtersets import PolicyFilterSet
from apps.insurance.forms.policies import (
    CancelForm, CompareForm, EndorseForm, PolicyStartForm, RenewForm, StateChangeForm,
)
from apps.insurance.lines import get_line
from apps.insurance.models import Policy
from apps.insurance.selectors_policies import (
    POLICY_OWNER_FIELD, policies_of_party, policy_for_page, policy_list_queryset, version_diff,
)
from apps.insurance.services.endorsements import policy_endorse
from apps.insurance.services.policies import (
    ENDORSABLE_STATES, REACTIVABLE_REASONS, policy_cancel, policy_create, policy_issue, policy_reactivate,
    policy_renew, policy_resume, policy_suspend,
)
from apps.insurance.services.risks import (
    display_risk_value, risk_forms, risk_from_forms, risk_labels, risk_row_tables,
)
from apps.insurance.views.quotes import needs

INSURANCE = _l("Seguros")
TITLE = _l("Pólizas")
PAGE_SIZE = 25
COUNT_CAP = 10_000
LIST_FIELDS = ["number", "policyholder", "insurer", "product", "line", "risk_summary", "state", "start_date",
               "expiry_date", "total_premium"]
SORTABLE = {"number", "start_date", "expiry_date", "total_premium", "state"}


def policy_url(policy) -> str:
    return reverse("insurance:policy-detail", args=[policy.pk])


def _policy_or_404(request, pk) -> Policy:
    policy = policy_for_page(request.user, pk)
    if policy is None:
        raise Http404(_("No existe la póliza."))
    return policy


def _spec_or_none(code):
    try:
        return get_line(code)
    except LookupError:
        return None


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows (a LIMIT inside the COUNT): on 500k policies the footer
    says «más de 10.000» instead of scanning them all (the first 400 pages stay reachable; narrow
    the filters to go further)."""

    @cached_property
    def count(self):
        return self.object_list.order_by()[:COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP




# --- List -----------------------------------------------------------------------------------------

def _list_rows(page, columns):
    return [(policy_url(obj), [(display_value(obj, c.name), c.numeric) for c in columns]) for obj in page.object_list]


@needs("insurance.view_policy")
@require_GET
def policy_list_view(request):
    queryset = policy_list_queryset(request.user).order_by("-start_date", "-pk")
    filterset = PolicyFilterSet(request.GET or None, queryset=queryset)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    query = request.GET.get("q", "").strip()
    if query:
        qs = PolicyFilterSet.search(qs, query)
    columns = [dataclasses.replace(c, sortable=c.name in SORTABLE) for c in columns_for(Policy, LIST_FIELDS)]
    order = request.GET.get("o", "")
    if order.lstrip("-") in SORTABLE:
        qs = qs.order_by(order, "-pk")
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return (csv_response if export == "csv" else xlsx_response)(qs, columns, slugify(str(TITLE)))
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    sort_params = params.copy()
    sort_params.pop("o", None)
    context = {
        "title": TITLE, "list_url": reverse("insurance:policy-list"), "create_url": reverse("insurance:policy-create"),
        "can_create": request.user.has_perm("insurance.add_policy"),
        "filterset": filterset, "columns": columns, "rows": _list_rows(page, columns), "page": page, "query": query,
        "order": order, "querystring": params.urlencode(), "sort_querystring": sort_params.urlencode(),
        "resource": {"search_fields": ["number", "policyholder"]}, "count_cap": COUNT_CAP,
        "live_keys": row_keys(page.object_list),  # the table body follows the rows shown (live-record.js)
    }
    template = "insurance/policies/list.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "record-table":
        template = "core/generic/_table.html"
    return render(request, template, context)


# --- Policy page ------------------------------------------------------------------------------------

def _row_fields(spec) -> dict:
    """field name -> form field across the line's row forms and risk form (labels and formats)."""
    fields = {}
    if spec is not None:
        fields.update(spec.risk_form().fields)
        for row_form in spec.row_forms.values():
            fields.update(row_form().fields)
    return fields


def _people(spec, items) -> dict:
    """Insured / beneficiaries (lists of dicts) as a small table, labelled by the line's fields."""
    items = [item for item in items or [] if isinstance(item, dict)]
    known = _row_fields(spec)
    headers = []
    for item in items:
        headers.extend(key for key in item if key not in headers)

    def cell(key, value):
        field = known.get(key)
        return display_risk_value(field, value) if field is not None else ("—" if value in (None, "") else value)

    return {"headers": [str(known[key].label or key) if key in known else capfirst(key.replace("_", " "))
                        for key in headers],
            "items": [[cell(key, item.get(key)) for key in headers] for item in items]}


def allowed_actions(policy, user) -> set[str]:
    """The actions the page offers: what the state machine allows and the user may do."""
    if not user.has_perm("insurance.change_policy"):
        return set()
    state = policy.state
    actions = set()
    if state == PolicyState.DRAFT:
        actions |= {"issue", "cancel"}
    if state in ENDORSABLE_STATES:
        actions |= {"endorse", "cancel"}
    if state == PolicyState.IN_FORCE:
        actions |= {"suspend"}
        if getattr(policy, "renewed_by", None) is None and user.has_perm("insurance.add_policy"):
            actions.add("renew")
    if state == PolicyState.SUSPENDED:
        actions.add("resume")
    if state == PolicyState.CANCELLED and policy.cancellation_reason in REACTIVABLE_REASONS:
        actions.add("reactivate")
    return actions


def _renewal_or_none(policy):
    try:
        return policy.renewed_by
    except Policy.DoesNotExist:
        return None


@needs("insurance.view_policy")
@require_GET
def policy_detail_view(request, pk):
    policy = _policy_or_404(request, pk)
    policy.renewed_by = _renewal_or_none(policy)
    spec = _spec_or_none(policy.line.code)
    current = policy.current_version
    versions = list(policy.versions.all())
    risk = mask_health(current.risk_data) if current else {}  # health keys masked (apps.audit.sensitive)
    can = allowed_actions(policy, request.user)
    compare = CompareForm(initial={"a": max(len(versions) - 1, 1), "b": len(versions)})
    context = {
        "title": TITLE, "object": policy, "list_url": reverse("insurance:policy-list"), "current": current,
        "risk": risk_labels(spec, risk) if spec and current else [], "risk_rows": risk_row_tables(spec, risk),
        "insured": _people(spec, mask_health(current.insured) if current else []),
        "beneficiaries": _people(spec, current.beneficiaries if current else []),
        "coverages": current.coverages if current else [], "versions": list(reversed(versions)),
        "state_changes": list(policy.state_changes.all()), "history": history_for(policy),
        "can": can, "compare_form": style_form(compare) if len(versions) > 1 else None,
        "cancel_form": style_form(CancelForm()) if "cancel" in can else None,
        "state_form": style_form(StateChangeForm()) if can & {"suspend", "resume", "reactivate"} else None,
        "renew_form": style_form(RenewForm()) if "renew" in can else None,
        # receipts, claims, documents... add their sections here when those apps exist
        "record_panels": registry.panels_for("insurance.policy", policy, request),
    }
    return render(request, "insurance/policies/detail.html", context)


@needs("insurance.view_policy")
@require_GET
def policy_compare_view(request, pk):
    policy = _policy_or_404(request, pk)
    versions = {v.number: v for v in policy.versions.all()}
    form = CompareForm(request.GET)
    if not form.is_valid() or form.cleaned_data["a"] not in versions or form.cleaned_data["b"] not in versions:
        messages.error(request, _("Elija dos versiones de la póliza para compararlas."))
        return redirect(policy_url(policy))
    diff = version_diff(versions[form.cleaned_data["a"]], versions[form.cleaned_data["b"]])
    return render(request, "insurance/policies/compare.html", {
        "title": TITLE, "object": policy, "diff": diff, "list_url": reverse("insurance:policy-list"),
        "compare_form": style_form(CompareForm(initial=form.cleaned_data)),
        "only_changes": request.GET.get("all") != "1"})


# --- New policy (without a quote) -------------------------------------------------------------------

@needs("insurance.add_policy")
@require_GET
def policy_create_view(request):
    """Step 1: policyholder, insurer, product, number, dates and payment. Sent by GET to step 2."""
    initial = {"start_date": timezone_today(), "term_months": 12, "policyholder": request.GET.get("policyholder", ""),
               "insurer": request.GET.get("insurer", ""), "product": request.GET.get("product", "")}
    form = style_form(PolicyStartForm(user=request.user, initial=initial))
    return render(request, "insurance/policies/start.html", {
        "title": _("Nueva póliza"), "form": form, "list_url": reverse("insurance:policy-list"),
        "options_url": reverse("insurance:quote-client-options")})


def timezone_today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


def _risk_page(request, *, template, context, form, formsets, spec, errors=(), status=200):
    style_all(form, formsets)
    return render(request, template, {
        **context, "spec": spec, "form": form, "errors": errors,
        "formsets": [(name, spec.row_labels.get(name, name), formset) for name, formset in formsets.items()],
        "list_url": reverse("insurance:policy-list")}, status=status)


@needs("insurance.add_policy")
@require_http_methods(["GET", "POST"])
def policy_risk_view(request):
    """Step 2: the product's line risk form; POST rates the product and places the policy."""
    start = PolicyStartForm(request.GET, user=request.user)
    if not start.is_valid():
        style_form(start)
        return render(request, "insurance/policies/start.html", {
            "title": _("Nueva póliza"), "form": start, "list_url": reverse("insurance:policy-list"),
            "options_url": reverse("insurance:quote-client-options")}, status=400)
    terms = start.cleaned_data
    product = terms["product"]
    spec = get_line(product.line.code)
    context = {"title": _("Nueva póliza"), "start": start, "terms": terms,
               "back_url": reverse("insurance:policy-create") + "?" + request.GET.urlencode()}
    template = "insurance/policies/risk.html"
    if request.method == "GET":
        form, formsets = risk_forms(spec)
        return _risk_page(request, template=template, context=context, form=form, formsets=formsets, spec=spec)
    data = request.POST
    if data.get("add_row") in spec.row_forms:
        form, formsets = risk_forms(spec, data=add_row(data, data["add_row"]))
        return _risk_page(request, template=template, context=context, form=form, formsets=formsets, spec=spec)
    form, formsets = risk_forms(spec, data=data)
    errors = []
    try:
        risk = risk_from_forms(spec, form, formsets)
        policy = policy_create(
            actor=request.user, insurer=terms["insurer"], number=terms["number"], product=product,
            policyholder=terms["policyholder"], start_date=terms["start_date"], term_months=terms["term_months"],
            payment_frequency=terms["payment_frequency"], payment_method=terms["payment_method"], risk=risk,
            issue=data.get("issue", "1") == "1")
    except ValidationError as exc:
        errors = apply_errors(exc, form, formsets)
    except DomainError as exc:
        errors = [exc.message]
    else:
        messages.success(request, _("Póliza %s dada de alta.") % policy.number)
        return redirect(policy_url(policy))
    return _risk_page(request, template=template, context=context, form=form, formsets=formsets, spec=spec,
                      errors=errors, status=400)


# --- Endorsement -----------------------------------------------------------------------------------

@needs("insurance.change_policy")
@require_http_methods(["GET", "POST"])
def policy_endorse_view(request, pk):
    """The line's risk form prefilled with the current risk, plus date, reason and re-rating."""
    policy = _policy_or_404(request, pk)
    spec = _spec_or_none(policy.line.code)
    if policy.state not in ENDORSABLE_STATES or spec is None:
        messages.error(request, _("Solo se hacen suplementos de pólizas en vigor o suspendidas."))
        return redirect(policy_url(policy))
    context = {"title": _("Suplemento"), "object": policy, "back_url": policy_url(policy),
               "edit_guard": edit_guard(request, policy)}
    template = "insurance/policies/endorse.html"
    if request.method == "GET":
        form, formsets = risk_forms(spec, initial=policy.current_version.risk_data)
        context["endorse_form"] = style_form(EndorseForm(initial={"effective_date": timezone_today(), "rerate": True}))
        return _risk_page(request, template=template, context=context, form=form, formsets=formsets, spec=spec)
    data = request.POST
    endorse_form = EndorseForm(data)
    context["endorse_form"] = endorse_form
    if data.get("add_row") in spec.row_forms:
        form, formsets = risk_forms(spec, data=add_row(data, data["add_row"]))
        style_form(endorse_form)
        return _risk_page(request, template=template, context=context, form=form, formsets=formsets, spec=spec)
    form, formsets = risk_forms(spec, data=data)
    errors = []
    try:
        risk = risk_from_forms(spec, form, formsets)
    except ValidationError as exc:
        errors, risk = apply_errors(exc, form, formsets), None
    # The policy changed since the page was opened (or «Comparar»): the risk compared, nothing saved.
    conflict = edit_conflict(request, form=form, instance=policy, current_values=policy.current_version.risk_data)
    if conflict is None and endorse_form.is_valid() and risk is not None:
        terms = endorse_form.cleaned_data
        try:
            version = policy_endorse(actor=request.user, policy=policy, effective_date=terms["effective_date"],
                                     reason=terms["reason"], risk=risk, rerate=terms["rerate"],
                                     expected_version=posted_version(request))
        except StaleObjectError:
            conflict = edit_conflict(request, form=form, instance=policy,
                                     current_values=policy.current_version.risk_data, stale=True)
        except ValidationError as exc:
            errors = apply_errors(exc, form, formsets)
        except DomainError as exc:
            if exc.field in endorse_form.fields:
                endorse_form.add_error(exc.field, exc.message)
            else:
                errors.append(exc.message)
        else:
            messages.success(request, _("Suplemento registrado: versión %(n)d de la póliza %(number)s.") % {
                "n": version.number, "number": policy.number})
            return redirect(policy_url(policy) + "#versions")
    style_form(endorse_form)
    if conflict is not None:
        context["edit_guard"] = edit_guard(request, policy, conflict=conflict)
    return _risk_page(request, template=template, context=context, form=form, formsets=formsets, spec=spec,
                      errors=errors, status=conflict.status if conflict else 400)


# --- Commands --------------------------------------------------------------------------------------

def _run(request, policy, call, success: str):
    try:
        call()
    except (DomainError, ValidationError) as exc:
        messages.error(request, exc.message if isinstance(exc, DomainError) else " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect(policy_url(policy))


def _form_errors(request, policy, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return redirect(policy_url(policy))


@needs("insurance.change_policy")
@require_POST
def policy_issue_view(request, pk):
    policy = _policy_or_404(request, pk)
    return _run(request, policy, lambda: policy_issue(actor=request.user, policy=policy),
                _("Póliza %s emitida: en vigor.") % policy.number)


def _state_view(service, success):
    @needs("insurance.change_policy")
    @require_POST
    def view(request, pk):
        policy = _policy_or_404(request, pk)
        form = StateChangeForm(request.POST)
        if not form.is_valid():
            return _form_errors(request, policy, form)
        data = form.cleaned_data
        return _run(request, policy, lambda: service(actor=request.user, policy=policy,
                                                     effective_date=data["effective_date"], reason=data["reason"]),
                    success % policy.number)

    return view


policy_suspend_view = _state_view(policy_suspend, _l("Póliza %s suspendida."))
policy_resume_view = _state_view(policy_resume, _l("Póliza %s de nuevo en vigor."))
policy_reactivate_view = _state_view(policy_reactivate, _l("Póliza %s rehabilitada."))


@needs("insurance.change_policy")
@require_POST
def policy_cancel_view(request, pk):
    policy = _policy_or_404(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, policy, form)
    data = form.cleaned_data
    return _run(request, policy, lambda: policy_cancel(actor=request.user, policy=policy,
                                                       effective_date=data["effective_date"], reason=data["reason"],
                                                       notes=data["notes"]),
                _("Póliza %s anulada.") % policy.number)


@needs("insurance.change_policy", "insurance.add_policy")
@require_POST
def policy_renew_view(request, pk):
    policy = _policy_or_404(request, pk)
    form = RenewForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, policy, form)
    try:
        renewal = policy_renew(actor=request.user, policy=policy, number=form.cleaned_data["number"] or None,
                               rerate=form.cleaned_data["rerate"])
    except (DomainError, ValidationError) as exc:
        messages.error(request, exc.message if isinstance(exc, DomainError) else " ".join(exc.messages))
        return redirect(policy_url(policy))
    messages.success(request, _("Póliza %(number)s renovada desde el %(date)s.") % {
        "number": renewal.number, "date": renewal.start_date.strftime("%d/%m/%Y")})
    return redirect(policy_url(renewal))


# --- The client's 360° page -------------------------------------------------------------------------

def _party_panel(party, request):
    """The panel costs the 360° page no query: its list loads by htmx from policy_party_view."""
    return {"url": reverse("insurance:policy-party", args=[party.pk]),
            "list_url": reverse("insurance:policy-list") + f"?policyholder={party.tax_id or party.display_name}",
            "create_url": reverse("insurance:policy-create") + f"?policyholder={party.pk}"
            if request.user.has_perm("insurance.add_policy") else ""}


@needs("insurance.view_policy")
@require_GET
def policy_party_view(request, party_pk):
    """The client's policies (newest first, 20 at most) as the 360° page's panel body."""
    from apps.crm.selectors import parties_for

    party = parties_for(request.user).filter(pk=party_pk).first()
    if party is None:
        raise Http404(_("No existe el cliente."))
    policies = list(policies_of_party(party, request.user)[:20])
    return render(request, "insurance/policies/_party_policies.html", {"policies": policies})


registry.register_panel("crm.party", Panel(title=_l("Pólizas"), template="insurance/policies/_party_panel.html",
                                           context=_party_panel, permission="insurance.view_policy", order=20))


def _retention(party):
    """A policyholder's data is kept: insurance contracts must be kept (LCS, LDS, anti-money laundering)."""
    return _retention_text(Policy.objects.filter(policyholder=party).count())


def _retention_text(count: int):
    if count:
        return _("Es tomador de %(count)d póliza(s): los contratos de seguro y sus datos deben conservarse.") % {
            "count": count}
    return None


def _retention_bulk(ids) -> dict:
    """The same check over many parties in one query (the GDPR bulk erasure: apps.crm.services.gdpr_bulk)."""
    from django.db.models import Count

    rows = (Policy.objects.filter(policyholder_id__in=list(ids)).order_by().values("policyholder_id")
            .annotate(n=Count("pk")).values_list("policyholder_id", "n"))
    return {party_id: _retention_text(count) for party_id, count in rows}


_retention.bulk = _retention_bulk
registry.register_retention_check(_retention)
registry.register_search_index({"model": Policy, "fields": ["number", "policyholder__display_name", "risk_summary"],
                                "url_name": "insurance:policy-detail", "owner_field": POLICY_OWNER_FIELD})

MENU = [
    MenuEntry(section=INSURANCE, label=TITLE, url_name="insurance:policy-list", icon="bi-file-earmark-text",
              permission="insurance.view_policy", order=30),
]

urlpatterns = [
    path("polizas/", policy_list_view, name="policy-list"),
    path("polizas/nueva/", policy_create_view, name="policy-create"),
    path("polizas/nueva/riesgo/", policy_risk_view, name="policy-risk"),
    path("polizas/<int:pk>/", policy_detail_view, name="policy-detail"),
    path("polizas/cliente/<int:party_pk>/", policy_party_view, name="policy-party"),
    path("polizas/<int:pk>/comparar/", policy_compare_view, name="policy-compare"),
    path("polizas/<int:pk>/suplemento/", policy_endorse_view, name="policy-endorse"),
    path("polizas/<int:pk>/emitir/", policy_issue_view, name="policy-issue"),
    path("polizas/<int:pk>/suspender/", policy_suspend_view, name="policy-suspend"),
    path("polizas/<int:pk>/reanudar/", policy_resume_view, name="policy-resume"),
    path("polizas/<int:pk>/anular/", policy_cancel_view, name="policy-cancel"),
    path("polizas/<int:pk>/rehabilitar/", policy_reactivate_view, name="policy-reactivate"),
    path("polizas/<int:pk>/renovar/", policy_renew_view, name="policy-renew"),
]
