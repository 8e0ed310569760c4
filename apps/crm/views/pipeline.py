"""CRM pipeline pages: leads (list, form, conversion) and opportunities (board, list, funnel,
form, move, close). Thin doors into apps.crm.services.pipeline."""
import json
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.audit.selectors import history_for
from apps.core.errors import DomainError
from apps.core.exports import csv_response, xlsx_response
from apps.core.forms import add_service_errors
from apps.core.money import format_eur
from apps.core.permissions import perm_name
from apps.core.tables import columns_for, display_value
from apps.crm.choices import OPEN_STAGES, LeadStatus, OpportunityStage
from apps.crm.forms.pipeline import (
    LeadConvertForm, LeadFilterSet, LeadForm, OpportunityCloseForm, OpportunityFilterSet, OpportunityForm,
    OpportunityMoveForm,
)
from apps.crm.models import Lead, Opportunity
from apps.crm.selectors_pipeline import (
    BOARD_CLOSED_DAYS, activities_for, board_columns, column_totals, funnel, funnel_chart_data, leads_for,
    opportunities_for, party_matches_for_lead, party_search,
)
from apps.crm.services.pipeline import (
    CLOSED_STAGES, lead_convert, lead_create, lead_update, opportunity_close, opportunity_create, opportunity_move,
    opportunity_update,
)

NOT_FOUND = _("No existe o no tiene acceso a este registro.")
LEAD_LIST_FIELDS = ["name", "company", "email", "phone", "source", "campaign", "status", "owner", "created_at"]
OPPORTUNITY_LIST_FIELDS = ["title", "party", "line_of_business", "stage", "expected_premium", "probability",
                           "close_date", "owner", "lost_reason"]


# --- Helpers --------------------------------------------------------------------------------

def require(user, model, action: str) -> None:
    if not user.has_perm(perm_name(model, action)):
        raise PermissionDenied(_("Su rol no permite esta operación."))


def get_visible(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist as exc:
        raise Http404(NOT_FOUND) from exc


def is_json(request) -> bool:
    return request.content_type == "application/json"


def json_payload(request) -> dict:
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError as exc:
        raise DomainError(_("La petición no es un JSON válido."), code="bad_json") from exc
    if not isinstance(payload, dict):
        raise DomainError(_("La petición no es un JSON válido."), code="bad_json")
    return payload


def version_of(value) -> int | None:
    """The record version the page was loaded with (None when absent or not a number)."""
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def error_payload(exc) -> tuple[dict, int]:
    """A service error as the JSON the board shows in its alert."""
    if isinstance(exc, DomainError):
        return {"ok": False, "error": exc.message, "code": exc.code, "errors": {exc.field or "__all__": [exc.message]}}, exc.status
    errors = getattr(exc, "message_dict", {"__all__": exc.messages})
    return {"ok": False, "error": " ".join(m for msgs in errors.values() for m in msgs), "code": "invalid", "errors": errors}, 400


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def record_list(request, *, queryset, filterset_class, search_fields, list_fields, row_url, context, template):
    """Filter, search, sort, paginate and export, the way the generic list pages do."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    query = request.GET.get("q", "").strip()
    if query:
        condition = Q()
        for name in search_fields:
            condition |= Q(**{f"{name}__icontains": query})
        qs = qs.filter(condition)
    columns = columns_for(queryset.model, list_fields)
    order = request.GET.get("o", "")
    if order.lstrip("-") in {c.name for c in columns if c.sortable}:
        qs = qs.order_by(order, "-pk")
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        filename = slugify(str(queryset.model._meta.verbose_name_plural))
        return (csv_response if export == "csv" else xlsx_response)(qs, columns, filename)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    rows = [(row_url(obj), [(display_value(obj, c.name), c.numeric) for c in columns]) for obj in page.object_list]
    params = request.GET.copy()
    params.pop("page", None)
    sort_params = params.copy()
    sort_params.pop("o", None)
    context.update(
        filterset=filterset, columns=columns, rows=rows, page=page, query=query, order=order,
        querystring=params.urlencode(), sort_querystring=sort_params.urlencode(),
        resource={"search_fields": search_fields},
    )
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "record-table":
        template = "core/generic/_table.html"
    return render(request, template, context)


def pipeline_nav(request, current: str) -> dict:
    user = request.user
    return {
        "pipeline_tab": current,
        "can_view_leads": user.has_perm("crm.view_lead"),
        "can_view_opportunities": user.has_perm("crm.view_opportunity"),
    }


# --- Leads ----------------------------------------------------------------------------------

@login_required
@require_GET
def lead_list(request):
    require(request.user, Lead, "view")
    queryset = leads_for(request.user).select_related("owner", "campaign").order_by("-created_at", "-pk")
    context = {
        **pipeline_nav(request, "leads"),
        "title": _("Contactos comerciales"),
        "list_url": reverse("crm:lead-list"),
        "create_url": reverse("crm:lead-create"),
        "can_create": request.user.has_perm("crm.add_lead"),
    }
    return record_list(
        request, queryset=queryset, filterset_class=LeadFilterSet, search_fields=["name", "company", "email", "phone"],
        list_fields=LEAD_LIST_FIELDS, row_url=lambda lead: reverse("crm:lead-update", args=[lead.pk]),
        context=context, template="crm/pipeline/lead_list.html",
    )


def _lead_page(request, form, lead=None, status=200):
    context = {
        **pipeline_nav(request, "leads"),
        "title": _("Contactos comerciales"),
        "form": form,
        "object": lead,
        "list_url": reverse("crm:lead-list"),
        "can_convert": bool(lead) and lead.status != LeadStatus.CONVERTED and request.user.has_perm("crm.add_opportunity"),
    }
    if lead is not None:
        context.update(
            history=history_for(lead),
            activities=list(activities_for(request.user).filter(lead=lead).select_related("owner").order_by("done_at", "due_at")[:20]),
            opportunities=list(opportunities_for(request.user).filter(lead=lead).select_related("party")),
            activity_create_url=f"{reverse('crm:activity-create')}?lead={lead.pk}",
            can_add_activity=request.user.has_perm("crm.add_activity"),
            now=timezone.now(),
        )
    return render(request, "crm/pipeline/lead_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def lead_create_view(request):
    require(request.user, Lead, "add")
    form = LeadForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            lead = lead_create(actor=request.user, data=form.business_data())
        except (ValidationError, DomainError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contacto comercial «%(name)s» guardado.") % {"name": lead})
            return redirect("crm:lead-update", pk=lead.pk)
    return _lead_page(request, form, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def lead_update_view(request, pk):
    require(request.user, Lead, "view")
    lead = get_visible(leads_for(request.user).select_related("owner", "converted_party", "campaign"), pk)
    if request.method == "POST":
        require(request.user, Lead, "change")
    form = LeadForm(request.POST or None, instance=lead, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            lead = lead_update(actor=request.user, lead=lead, data=form.business_data(),
                               expected_version=form.cleaned_data.get("version"))
        except (ValidationError, DomainError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contacto comercial «%(name)s» guardado.") % {"name": lead})
            return redirect("crm:lead-update", pk=lead.pk)
    return _lead_page(request, form, lead, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def lead_convert_view(request, pk):
    require(request.user, Lead, "change")
    require(request.user, Opportunity, "add")
    lead = get_visible(leads_for(request.user).select_related("owner", "converted_party"), pk)
    matches = party_matches_for_lead(lead, request.user)
    initial = {"title": lead.company or lead.name}
    if matches:
        initial.update(mode=LeadConvertForm.EXISTING, party=matches[0].pk)
    form = LeadConvertForm(request.POST or None, initial=initial, user=request.user, extra_parties=matches)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = lead_convert(actor=request.user, lead=lead, party=form.cleaned_data.get("party"),
                                  opportunity_data=form.opportunity_data())
        except (ValidationError, DomainError) as exc:
            add_service_errors(form, exc)
            status = getattr(exc, "status", 400)
        else:
            if result.party_created:
                text = _("Contacto convertido: se creó el cliente «%(party)s» y la oportunidad «%(opp)s».")
            else:
                text = _("Contacto convertido: se vinculó al cliente «%(party)s» y se abrió la oportunidad «%(opp)s».")
            messages.success(request, text % {"party": result.party, "opp": result.opportunity})
            return redirect("crm:opportunity-update", pk=result.opportunity.pk)
    elif form.errors:
        status = 400
    return render(request, "crm/pipeline/lead_convert.html", {
        **pipeline_nav(request, "leads"),
        "title": _("Convertir contacto"), "lead": lead, "form": form, "matches": matches,
        "already_converted": lead.status == LeadStatus.CONVERTED,
    }, status=status)


# --- Opportunities: board, list, funnel -----------------------------------------------------

@login_required
@require_GET
def opportunity_board(request):
    require(request.user, Opportunity, "view")
    columns = board_columns(request.user)
    return render(request, "crm/pipeline/board.html", {
        **pipeline_nav(request, "board"),
        "title": _("Oportunidades"),
        "open_columns": [c for c in columns if c.is_open],
        "closed_columns": [c for c in columns if not c.is_open],
        "stage_choices": OpportunityStage.choices,
        "closed_stages": CLOSED_STAGES,
        "closed_days": BOARD_CLOSED_DAYS,
        "can_change": request.user.has_perm("crm.change_opportunity"),
        "can_create": request.user.has_perm("crm.add_opportunity"),
        "close_form": OpportunityCloseForm(auto_id="close_%s"),
    })


@login_required
@require_GET
def opportunity_list(request):
    require(request.user, Opportunity, "view")
    queryset = opportunities_for(request.user).select_related("party", "owner").order_by("stage", "position", "-pk")
    context = {
        **pipeline_nav(request, "list"),
        "title": _("Oportunidades"),
        "list_url": reverse("crm:opportunity-list"),
        "create_url": reverse("crm:opportunity-create"),
        "can_create": request.user.has_perm("crm.add_opportunity"),
    }
    return record_list(
        request, queryset=queryset, filterset_class=OpportunityFilterSet,
        search_fields=["title", "party__display_name"], list_fields=OPPORTUNITY_LIST_FIELDS,
        row_url=lambda opp: reverse("crm:opportunity-update", args=[opp.pk]),
        context=context, template="crm/pipeline/opportunity_list.html",
    )


@login_required
@require_GET
def funnel_view(request):
    require(request.user, Opportunity, "view")
    rows = funnel(request.user)
    return render(request, "crm/pipeline/funnel.html", {
        **pipeline_nav(request, "funnel"),
        "title": _("Embudo de ventas"),
        "rows": rows,
        "total_count": sum(row.count for row in rows),
        "total": format_eur(sum((row.total for row in rows), start=Decimal("0.00"))),
        "weighted": format_eur(sum((row.weighted for row in rows), start=Decimal("0.00"))),
        "chart": funnel_chart_data(rows),
    })


@login_required
@require_GET
def party_options(request):
    """<option>s of the parties matching ?q= (the party select's search box, via htmx)."""
    if not (request.user.has_perm("crm.add_opportunity") or request.user.has_perm("crm.change_lead")):
        raise PermissionDenied(_("Su rol no permite esta operación."))
    parties = party_search(request.user, request.GET.get("q", ""))
    return render(request, "crm/pipeline/_party_options.html", {"parties": parties, "query": request.GET.get("q", "")})


# --- Opportunities: form, move, close -------------------------------------------------------

def _opportunity_page(request, form, opportunity=None, status=200):
    context = {
        **pipeline_nav(request, "board"),
        "title": _("Oportunidades"),
        "form": form,
        "object": opportunity,
        "board_url": reverse("crm:opportunity-board"),
    }
    if opportunity is not None:
        user = request.user
        context.update(
            history=history_for(opportunity),
            activities=list(activities_for(user).filter(opportunity=opportunity).select_related("owner")
                            .order_by("done_at", "due_at")[:20]),
            activity_create_url=f"{reverse('crm:activity-create')}?opportunity={opportunity.pk}",
            can_add_activity=user.has_perm("crm.add_activity"),
            can_close=opportunity.stage in OPEN_STAGES and user.has_perm("crm.change_opportunity"),
            is_closed=opportunity.stage in CLOSED_STAGES,
            now=timezone.now(),
        )
    return render(request, "crm/pipeline/opportunity_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_create_view(request):
    require(request.user, Opportunity, "add")
    initial = {}
    if request.GET.get("party", "").isdigit():
        initial["party"] = int(request.GET["party"])
    form = OpportunityForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = opportunity_create(actor=request.user, data=form.business_data())
        except (ValidationError, DomainError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Oportunidad «%(name)s» creada en la fase «Nueva».") % {"name": opportunity})
            return redirect("crm:opportunity-board")
    return _opportunity_page(request, form, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_update_view(request, pk):
    require(request.user, Opportunity, "view")
    opportunity = get_visible(opportunities_for(request.user).select_related("party", "owner", "lead"), pk)
    if request.method == "POST":
        require(request.user, Opportunity, "change")
    form = OpportunityForm(request.POST or None, instance=opportunity, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = opportunity_update(actor=request.user, opportunity=opportunity, data=form.business_data(),
                                             expected_version=form.cleaned_data.get("version"))
        except (ValidationError, DomainError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Oportunidad «%(name)s» guardada.") % {"name": opportunity})
            return redirect("crm:opportunity-update", pk=opportunity.pk)
    return _opportunity_page(request, form, opportunity, status=400 if form.errors else 200)


def _card_json(request, opportunity, stages) -> dict:
    return {
        "ok": True,
        "id": opportunity.pk,
        "stage": opportunity.stage,
        "stage_label": opportunity.get_stage_display(),
        "position": opportunity.position,
        "probability": opportunity.probability,
        "version": opportunity.version,
        "columns": column_totals(request.user, [s for s in OpportunityStage.values if s in stages]),
    }


@login_required
@require_POST
def opportunity_move_view(request, pk):
    """Board drag and drop (JSON) or the stage select on a card (form post without JavaScript)."""
    wants_json = is_json(request)
    if not request.user.has_perm("crm.change_opportunity"):
        if wants_json:
            return JsonResponse({"ok": False, "error": _("Su rol no permite mover oportunidades.")}, status=403)
        raise PermissionDenied(_("Su rol no permite mover oportunidades."))
    try:
        opportunity = opportunities_for(request.user).get(pk=pk)
    except Opportunity.DoesNotExist as exc:
        if wants_json:
            return JsonResponse({"ok": False, "error": NOT_FOUND, "code": "not_found"}, status=404)
        raise Http404(NOT_FOUND) from exc
    source = opportunity.stage
    try:
        if wants_json:
            payload = json_payload(request)
            stage, position, version = payload.get("stage"), payload.get("position"), version_of(payload.get("version"))
        else:
            form = OpportunityMoveForm(request.POST)
            if not form.is_valid():
                raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
            stage, position, version = form.cleaned_data["stage"], form.cleaned_data["position"], form.cleaned_data["version"]
            if stage in CLOSED_STAGES:  # closing needs the won/lost dialog
                outcome = "won" if stage == OpportunityStage.WON else "lost"
                return redirect(f"{reverse('crm:opportunity-close', args=[pk])}?outcome={outcome}")
        updated = opportunity_move(actor=request.user, opportunity=opportunity, stage=stage, position=position,
                                   expected_version=version)
    except (DomainError, ValidationError) as exc:
        body, status = error_payload(exc)
        if wants_json:
            return JsonResponse(body, status=status)
        messages.error(request, body["error"])
        return redirect("crm:opportunity-board")
    if wants_json:
        return JsonResponse(_card_json(request, updated, {source, updated.stage}))
    messages.success(request, _("«%(name)s» movida a «%(stage)s».") % {"name": updated, "stage": updated.get_stage_display()})
    return redirect("crm:opportunity-board")


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_close_view(request, pk):
    """Won/lost with reason: the board's dialog posts JSON; the page is the no-JavaScript path."""
    wants_json = request.method == "POST" and is_json(request)
    if not request.user.has_perm("crm.change_opportunity"):
        if wants_json:
            return JsonResponse({"ok": False, "error": _("Su rol no permite cerrar oportunidades.")}, status=403)
        raise PermissionDenied(_("Su rol no permite cerrar oportunidades."))
    try:
        opportunity = opportunities_for(request.user).select_related("party").get(pk=pk)
    except Opportunity.DoesNotExist as exc:
        if wants_json:
            return JsonResponse({"ok": False, "error": NOT_FOUND, "code": "not_found"}, status=404)
        raise Http404(NOT_FOUND) from exc
    source = opportunity.stage
    if wants_json:
        try:
            payload = json_payload(request)
            outcome = payload.get("outcome")
            if outcome not in ("won", "lost"):
                raise ValidationError({"outcome": [_("Indique si la oportunidad se ganó o se perdió.")]})
            updated = opportunity_close(actor=request.user, opportunity=opportunity, won=outcome == "won",
                                        reason=str(payload.get("reason") or ""),
                                        expected_version=version_of(payload.get("version")))
        except (DomainError, ValidationError) as exc:
            body, status = error_payload(exc)
            return JsonResponse(body, status=status)
        return JsonResponse(_card_json(request, updated, {source, updated.stage}))

    initial = {"outcome": request.GET.get("outcome") if request.GET.get("outcome") in ("won", "lost") else None,
               "version": opportunity.version}
    form = OpportunityCloseForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                updated = opportunity_close(
                    actor=request.user, opportunity=opportunity, won=form.cleaned_data["outcome"] == "won",
                    reason=form.cleaned_data["reason"], expected_version=form.cleaned_data.get("version"),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error("reason" if field == "lost_reason" else None, error)
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(request, _("Oportunidad «%(name)s» cerrada como «%(stage)s».")
                                 % {"name": updated, "stage": updated.get_stage_display()})
                return redirect(safe_next(request, reverse("crm:opportunity-board")))
    return render(request, "crm/pipeline/close.html", {
        **pipeline_nav(request, "board"), "title": _("Cerrar oportunidad"), "object": opportunity, "form": form,
        "is_closed": opportunity.stage in CLOSED_STAGES,
    }, status=status)


urlpatterns = [
    path("contactos-comerciales/", lead_list, name="lead-list"),
    path("contactos-comerciales/nuevo/", lead_create_view, name="lead-create"),
    path("contactos-comerciales/<int:pk>/", lead_update_view, name="lead-update"),
    path("contactos-comerciales/<int:pk>/convertir/", lead_convert_view, name="lead-convert"),
    path("oportunidades/", opportunity_board, name="opportunity-board"),
    path("oportunidades/lista/", opportunity_list, name="opportunity-list"),
    path("oportunidades/embudo/", funnel_view, name="funnel"),
    path("oportunidades/nueva/", opportunity_create_view, name="opportunity-create"),
    path("oportunidades/clientes/", party_options, name="party-options"),
    path("oportunidades/<int:pk>/", opportunity_update_view, name="opportunity-update"),
    path("oportunidades/<int:pk>/mover/", opportunity_move_view, name="opportunity-move"),
    path("oportunidades/<int:pk>/cerrar/", opportunity_close_view, name="opportunity-close"),
]
