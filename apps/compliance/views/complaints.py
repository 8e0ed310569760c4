"""/cumplimiento/quejas/: the customer service's complaints and claims: list (state, type, overdue; CSV), new,
the case page (start, resolve with a reasoned decision, evidence documents, history) and the yearly report
(art. 17 Orden ECO/734/2004) as page, PDF and CSV."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aitcore.registry import MenuEntry
from apps.audit.selectors import history_for
from apps.compliance.choices import ComplaintKind, ComplaintState
from apps.compliance.exports import yearly_report_csv, yearly_report_pdf
from apps.compliance.forms import ComplaintForm, ListFilterForm, ResolveForm
from apps.compliance.models import Complaint
from apps.compliance.selectors import complaints_filtered, complaints_yearly_report
from apps.compliance.services.complaints import complaint_create, complaint_resolve, complaint_start
from apps.compliance.views._common import SECTION, needs, querystring, run_command
from apps.core.errors import DomainError
from apps.core.exports import csv_response
from apps.core.tables import Column
from apps.core.views.list_pages import form_error

TITLE = _l("Quejas y reclamaciones")
REPORT_TITLE = _l("Informe anual del SAC")
VIEW, ADD, CHANGE = "compliance.view_complaint", "compliance.add_complaint", "compliance.change_complaint"
PAGE_SIZE = 50
EXPORT_COLUMNS = [("number", _l("Número")), ("kind", _l("Tipo")), ("party_name", _l("Cliente")),
                  ("received_on", _l("Recibida")), ("deadline", _l("Plazo")), ("state", _l("Estado")),
                  ("outcome", _l("Resolución")), ("resolved_on", _l("Resuelta")),
                  ("amount_claimed", _l("Importe reclamado")), ("amount_granted", _l("Importe reconocido"))]


@needs(VIEW)
@require_GET
def complaint_list_view(request):
    form = ListFilterForm(request.GET or None, states=ComplaintState.choices, kinds=ComplaintKind.choices)
    data = form.cleaned_data if form.is_valid() else {}
    queryset = complaints_filtered(state=data.get("estado", ""), kind=data.get("tipo", ""),
                                   overdue=bool(data.get("vencidas")), text=data.get("q", ""))
    if request.GET.get("export") == "csv":
        columns = [Column(name, str(label), False, name.startswith("amount")) for name, label in EXPORT_COLUMNS]
        return csv_response(queryset.annotate(party_name=F("party__display_name")), columns, "quejas-reclamaciones")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "compliance/complaints/list.html", {
        "title": TITLE, "filter_form": form, "page": page, "today": timezone.localdate(),
        "querystring": querystring(request), "can_add": request.user.has_perm(ADD)})


@needs(VIEW, ADD)
@require_http_methods(["GET", "POST"])
def complaint_new_view(request):
    initial = {"received_on": timezone.localdate(), "party": request.GET.get("party", ""), "handler": request.user,
               "is_consumer": True}
    form = ComplaintForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("policy_number", None)
            data.pop("claim_number", None)
            try:
                complaint = complaint_create(actor=request.user, **data)
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, _("%(number)s registrada: resolver antes del %(date)s.") % {
                    "number": complaint.number, "date": complaint.deadline.strftime("%d/%m/%Y")})
                return redirect(reverse("compliance:complaint-detail", args=[complaint.pk]))
    return render(request, "compliance/complaints/form.html", {"title": _("Nueva queja o reclamación"),
                                                               "form": form}, status=status)


@needs(VIEW)
@require_GET
def complaint_detail_view(request, pk):
    complaint = get_object_or_404(Complaint.objects.select_related("party", "handler", "policy", "claim"), pk=pk)
    can_change = request.user.has_perm(CHANGE) and complaint.is_open
    return render(request, "compliance/complaints/detail.html", {
        "title": complaint.number, "complaint": complaint, "can_change": can_change,
        "resolve_form": ResolveForm(initial={"resolved_on": timezone.localdate()}) if can_change else None,
        "history": history_for(complaint), "today": timezone.localdate(),
        "days_left": (complaint.deadline - timezone.localdate()).days})


@needs(VIEW, CHANGE)
@require_POST
def complaint_start_view(request, pk):
    complaint = get_object_or_404(Complaint, pk=pk)
    return run_command(request, lambda: complaint_start(actor=request.user, complaint=complaint),
                       _("Queja en trámite."), reverse("compliance:complaint-detail", args=[pk]))


@needs(VIEW, CHANGE)
@require_POST
def complaint_resolve_view(request, pk):
    complaint = get_object_or_404(Complaint.objects.select_related("party", "handler", "policy", "claim"), pk=pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            complaint_resolve(actor=request.user, complaint=complaint, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("%s resuelta.") % complaint.number)
            return redirect(reverse("compliance:complaint-detail", args=[pk]))
    return render(request, "compliance/complaints/detail.html", {
        "title": complaint.number, "complaint": complaint, "can_change": True, "resolve_form": form,
        "history": history_for(complaint), "today": timezone.localdate(),
        "days_left": (complaint.deadline - timezone.localdate()).days}, status=400)


@needs(VIEW)
@require_GET
def complaint_report_view(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("ejercicio") or today.year - 1)
    except ValueError:
        year = today.year - 1
    report = complaints_yearly_report(year)
    export = request.GET.get("export")
    if export == "csv":
        return yearly_report_csv(report)
    if export == "pdf":
        return yearly_report_pdf(report)
    return render(request, "compliance/complaints/report.html", {
        "title": REPORT_TITLE, "report": report, "years": list(range(today.year, today.year - 6, -1))})


MENU = [MenuEntry(section=SECTION, label=TITLE, url_name="compliance:complaint-list", icon="bi-megaphone",
                  permission=VIEW, order=40, also_active=("compliance:complaint-new", "compliance:complaint-detail")),
        MenuEntry(section=SECTION, label=REPORT_TITLE, url_name="compliance:complaint-report",
                  icon="bi-file-earmark-bar-graph", permission=VIEW, order=45)]

urlpatterns = [
    path("quejas/", complaint_list_view, name="complaint-list"),
    path("quejas/nueva/", complaint_new_view, name="complaint-new"),
    path("quejas/informe-anual/", complaint_report_view, name="complaint-report"),
    path("quejas/<int:pk>/", complaint_detail_view, name="complaint-detail"),
    path("quejas/<int:pk>/tramitar/", complaint_start_view, name="complaint-start"),
    path("quejas/<int:pk>/resolver/", complaint_resolve_view, name="complaint-resolve"),
]
