"""Segments and e-mail campaigns: list, create, edit, preview, export (consent respected) and
the «Enviar» button that starts the background send. Thin doors into
apps.crm.services.segments and apps.crm.services.campaigns."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.errors import DomainError
from apps.core.exports import csv_response, xlsx_response
from apps.core.forms import add_service_errors
from apps.core.permissions import visible_to
from apps.core.tables import columns_for
from apps.crm.choices import CampaignStatus, ConsentPurpose, RecipientStatus
from apps.crm.forms.campaigns import CampaignForm, SegmentForm
from apps.crm.models import Campaign, CampaignRecipient, Party, Segment
from apps.crm.services.campaigns import (
    campaign_audience, campaign_counts, campaign_create, campaign_job, campaign_send_start, campaign_update,
)
from apps.crm.services.consents import parties_with_consent
from apps.crm.services.segments import (
    segment_create, segment_describe, segment_parties, segment_update, segments_describe,
)

RECIPIENTS_PER_PAGE = 50
EXPORT_FIELDS = ["display_name", "tax_id", "kind", "status", "preferred_language", "account_manager"]
RECIPIENT_EXPORT_FIELDS = ["party", "email", "language", "status", "error", "processed_at"]


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(_("Su rol no permite esta operación."))


def _get(queryset, pk, message):
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist as exc:
        raise Http404(message) from exc


def _visible_parties(segment_or_filters, user):
    return visible_to(segment_parties(segment_or_filters), user, "account_manager")


def _audience_counts(segment_or_filters, user) -> dict:
    """How many parties the segment selects for this user, and how many may receive marketing."""
    try:
        parties = _visible_parties(segment_or_filters, user)
        return {"total": parties.count(),
                "with_consent": parties_with_consent(parties, ConsentPurpose.MARKETING).count(), "error": ""}
    except ValidationError as exc:
        return {"total": 0, "with_consent": 0, "error": " ".join(exc.messages)}


# --- Segments ----------------------------------------------------------------------------------

@login_required
@require_GET
def segment_list(request):
    _require(request.user, "crm.view_segment")
    rows = segments_describe(Segment.objects.annotate(n_campaigns=Count("campaigns")).order_by("name"))
    return render(request, "crm/campaigns/segment_list.html", {
        "title": _("Segmentos"), "rows": rows, "can_create": request.user.has_perm("crm.add_segment")})


def _segment_form_page(request, form, segment=None):
    preview = _audience_counts(form.filters(), request.user) if form.is_bound and form.is_valid() else None
    return render(request, "crm/campaigns/segment_form.html", {
        "title": _("Segmentos"), "form": form, "segment": segment, "preview": preview})


@login_required
@require_http_methods(["GET", "POST"])
def segment_create_view(request):
    _require(request.user, "crm.add_segment")
    form = SegmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid() and "preview" not in request.POST:
        try:
            segment = segment_create(actor=request.user, data=form.business_data())
        except (ValidationError, DomainError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Segmento guardado."))
            return redirect("crm:segment-detail", pk=segment.pk)
    return _segment_form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def segment_update_view(request, pk):
    _require(request.user, "crm.change_segment")
    segment = _get(Segment.objects.all(), pk, _("No existe este segmento."))
    form = SegmentForm(request.POST or None, user=request.user, instance=segment)
    if request.method == "POST" and form.is_valid() and "preview" not in request.POST:
        try:
            segment = segment_update(actor=request.user, instance=segment, data=form.business_data(),
                                     expected_version=form.cleaned_data.get("version"))
        except (ValidationError, DomainError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Segmento guardado."))
            return redirect("crm:segment-detail", pk=segment.pk)
    return _segment_form_page(request, form, segment)


@login_required
@require_POST
def segment_preview(request):
    """htmx: how many parties the filters being edited select (nothing is saved)."""
    _require(request.user, "crm.view_segment")
    form = SegmentForm(request.POST, user=request.user)
    form.is_valid()
    filters = form.filters() if hasattr(form, "cleaned_data") else {}
    return render(request, "crm/campaigns/_segment_count.html", {"preview": _audience_counts(filters, request.user)})


@login_required
@require_GET
def segment_detail(request, pk):
    _require(request.user, "crm.view_segment")
    segment = _get(Segment.objects.all(), pk, _("No existe este segmento."))
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        # A marketing list: only parties that consented to commercial communications.
        try:
            parties = parties_with_consent(_visible_parties(segment, request.user), ConsentPurpose.MARKETING)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("crm:segment-detail", pk=segment.pk)
        columns = columns_for(Party, EXPORT_FIELDS)
        filename = f"segmento-{slugify(segment.name) or segment.pk}"
        return (csv_response if export == "csv" else xlsx_response)(
            parties.select_related("account_manager"), columns, filename)
    counts = _audience_counts(segment, request.user)
    sample = []
    if not counts["error"]:
        sample = list(_visible_parties(segment, request.user).select_related("account_manager")[:25])
    return render(request, "crm/campaigns/segment_detail.html", {
        "title": _("Segmentos"), "segment": segment, "filters": segment_describe(segment.filters), "counts": counts,
        "sample": sample, "campaigns": list(segment.campaigns.order_by("-created_at")[:20]),
        "can_edit": request.user.has_perm("crm.change_segment"),
        "can_add_campaign": request.user.has_perm("crm.add_campaign"),
    })


# --- Campaigns ----------------------------------------------------------------------------------

@login_required
@require_GET
def campaign_list(request):
    _require(request.user, "crm.view_campaign")
    campaigns = (Campaign.objects.select_related("segment")
                 .annotate(n_sent=Count("recipients", filter=Q(recipients__status=RecipientStatus.SENT)),
                           n_recipients=Count("recipients"))
                 .order_by("-created_at"))
    return render(request, "crm/campaigns/campaign_list.html", {
        "title": _("Campañas"), "campaigns": campaigns, "can_create": request.user.has_perm("crm.add_campaign")})


def _campaign_form_page(request, form, campaign=None):
    return render(request, "crm/campaigns/campaign_form.html", {
        "title": _("Campañas"), "form": form, "campaign": campaign})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create_view(request):
    _require(request.user, "crm.add_campaign")
    initial = {"segment": request.GET.get("segment")} if request.GET.get("segment") else None
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_create(actor=request.user, data=form.business_data())
        except (ValidationError, DomainError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Campaña guardada como borrador."))
            return redirect("crm:campaign-detail", pk=campaign.pk)
    return _campaign_form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_update_view(request, pk):
    _require(request.user, "crm.change_campaign")
    campaign = _get(Campaign.objects.all(), pk, _("No existe esta campaña."))
    if campaign.status != CampaignStatus.DRAFT:
        messages.error(request, _("Solo se puede modificar una campaña en borrador."))
        return redirect("crm:campaign-detail", pk=campaign.pk)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_update(actor=request.user, instance=campaign, data=form.business_data(),
                                       expected_version=form.cleaned_data.get("version"))
        except (ValidationError, DomainError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Campaña guardada."))
            return redirect("crm:campaign-detail", pk=campaign.pk)
    return _campaign_form_page(request, form, campaign)


@login_required
@require_GET
def campaign_detail(request, pk):
    _require(request.user, "crm.view_campaign")
    campaign = _get(Campaign.objects.select_related("segment", "created_by"), pk, _("No existe esta campaña."))
    recipients = visible_to(CampaignRecipient.objects.filter(campaign=campaign), request.user,
                            "party__account_manager").select_related("party").order_by("party__display_name", "pk")
    status = request.GET.get("estado", "")
    if status in RecipientStatus.values:
        recipients = recipients.filter(status=status)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        columns = columns_for(CampaignRecipient, RECIPIENT_EXPORT_FIELDS)
        filename = f"campana-{slugify(campaign.name) or campaign.pk}-destinatarios"
        return (csv_response if export == "csv" else xlsx_response)(recipients, columns, filename)
    page = Paginator(recipients, RECIPIENTS_PER_PAGE).get_page(request.GET.get("page"))
    job = campaign_job(campaign)
    counts = campaign_counts(campaign)
    audience = None
    if campaign.status != CampaignStatus.SENT:
        try:
            parties = campaign_audience(campaign, request.user)
            audience = {"total": parties.count(),
                        "with_consent": parties_with_consent(parties, ConsentPurpose.MARKETING).count(), "error": ""}
        except ValidationError as exc:
            audience = {"total": 0, "with_consent": 0, "error": " ".join(exc.messages)}
    can_change = request.user.has_perm("crm.change_campaign")
    return render(request, "crm/campaigns/campaign_detail.html", {
        "title": _("Campañas"), "campaign": campaign, "page": page, "job": job, "audience": audience,
        "counts": [(value, label, counts[value]) for value, label in RecipientStatus.choices],
        "status_filter": status, "processed": sum(counts.values()),
        "can_edit": can_change and campaign.status == CampaignStatus.DRAFT,
        "can_send": can_change and campaign.status != CampaignStatus.SENT and (job is None or job.is_finished),
    })


@login_required
@require_POST
def campaign_send_view(request, pk):
    _require(request.user, "crm.change_campaign")
    campaign = _get(Campaign.objects.all(), pk, _("No existe esta campaña."))
    try:
        campaign_send_start(actor=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.info(request, _("Envío en marcha: puede seguir el progreso en esta página."))
    return redirect("crm:campaign-detail", pk=campaign.pk)


urlpatterns = [
    path("segmentos/", segment_list, name="segment-list"),
    path("segmentos/nuevo/", segment_create_view, name="segment-create"),
    path("segmentos/contar/", segment_preview, name="segment-preview"),
    path("segmentos/<int:pk>/", segment_detail, name="segment-detail"),
    path("segmentos/<int:pk>/editar/", segment_update_view, name="segment-update"),
    path("campanas/", campaign_list, name="campaign-list"),
    path("campanas/nueva/", campaign_create_view, name="campaign-create"),
    path("campanas/<int:pk>/", campaign_detail, name="campaign-detail"),
    path("campanas/<int:pk>/editar/", campaign_update_view, name="campaign-update"),
    path("campanas/<int:pk>/enviar/", campaign_send_view, name="campaign-send"),
]
