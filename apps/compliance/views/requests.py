"""/cumplimiento/solicitudes/: data subject requests (access, rectification, erasure, portability): list
(state, type, overdue), new, and the case page with its deadline, its actions (start, extend with reason,
attach the CRM export, record rectifications, erase, resolve or deny), its evidence documents and history."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aitcore.registry import MenuEntry
from apps.audit.selectors import history_for
from apps.compliance.choices import RequestKind, RequestState
from apps.compliance.forms import ListFilterForm, RequestActionForm, RequestForm
from apps.compliance.models import DataSubjectRequest
from apps.compliance.selectors import requests_filtered
from apps.compliance.services.requests import (
    EXPORT_KINDS, dsr_close, dsr_create, dsr_erase, dsr_export, dsr_extend, dsr_rectify, dsr_start,
)
from apps.compliance.views._common import SECTION, needs, querystring, run_command
from apps.core.errors import DomainError
from apps.core.views.list_pages import form_error

TITLE = _l("Solicitudes de derechos")
VIEW, ADD, CHANGE = ("compliance.view_datasubjectrequest", "compliance.add_datasubjectrequest",
                     "compliance.change_datasubjectrequest")
PAGE_SIZE = 50


@needs(VIEW)
@require_GET
def dsr_list_view(request):
    form = ListFilterForm(request.GET or None, states=RequestState.choices, kinds=RequestKind.choices)
    data = form.cleaned_data if form.is_valid() else {}
    queryset = requests_filtered(state=data.get("estado", ""), kind=data.get("tipo", ""),
                                 overdue=bool(data.get("vencidas")), text=data.get("q", ""))
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "compliance/requests/list.html", {
        "title": TITLE, "filter_form": form, "page": page, "today": timezone.localdate(),
        "querystring": querystring(request), "can_add": request.user.has_perm(ADD)})


@needs(VIEW, ADD)
@require_http_methods(["GET", "POST"])
def dsr_new_view(request):
    initial = {"received_on": timezone.localdate(), "party": request.GET.get("party", ""), "handler": request.user}
    form = RequestForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                case = dsr_create(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, _("Solicitud %(number)s registrada: plazo hasta el %(date)s.") % {
                    "number": case.number, "date": case.deadline.strftime("%d/%m/%Y")})
                return redirect(reverse("compliance:dsr-detail", args=[case.pk]))
    return render(request, "compliance/requests/form.html", {"title": _("Nueva solicitud de derechos"), "form": form},
                  status=status)


@needs(VIEW)
@require_GET
def dsr_detail_view(request, pk):
    from apps.crm.services.gdpr import party_retention_reasons

    case = get_object_or_404(DataSubjectRequest.objects.select_related("party", "handler"), pk=pk)
    can_change = request.user.has_perm(CHANGE) and case.is_open
    reasons = party_retention_reasons(case.party) if can_change and case.kind == RequestKind.ERASURE else []
    return render(request, "compliance/requests/detail.html", {
        "title": case.number, "case": case, "today": timezone.localdate(), "can_change": can_change,
        "can_export": case.kind in EXPORT_KINDS, "retention_reasons": reasons, "history": history_for(case),
        "days_left": (case.due_date - timezone.localdate()).days})


def _action(request, pk, call, done: str):
    case = get_object_or_404(DataSubjectRequest, pk=pk)
    form = RequestActionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    return run_command(request, lambda: call(case, data), done, reverse("compliance:dsr-detail", args=[pk]))


@needs(VIEW, CHANGE)
@require_POST
def dsr_start_view(request, pk):
    return _action(request, pk, lambda case, data: dsr_start(actor=request.user, request=case),
                   _("Solicitud en curso."))


@needs(VIEW, CHANGE)
@require_POST
def dsr_extend_view(request, pk):
    return _action(request, pk, lambda case, data: dsr_extend(actor=request.user, request=case,
                                                              reason=data.get("reason", "")),
                   _("Plazo ampliado dos meses: comunique el motivo al interesado."))


@needs(VIEW, CHANGE)
@require_POST
def dsr_export_view(request, pk):
    return _action(request, pk, lambda case, data: dsr_export(actor=request.user, request=case),
                   _("Exportación de datos adjuntada como documento de la solicitud."))


@needs(VIEW, CHANGE)
@require_POST
def dsr_rectify_view(request, pk):
    return _action(request, pk, lambda case, data: dsr_rectify(actor=request.user, request=case,
                                                               notes=data.get("notes", "")),
                   _("Rectificación anotada."))


@needs(VIEW, CHANGE, "crm.change_party")
@require_POST
def dsr_erase_view(request, pk):
    return _action(request, pk, lambda case, data: dsr_erase(actor=request.user, request=case),
                   _("Datos del interesado anonimizados; solicitud resuelta."))


@needs(VIEW, CHANGE)
@require_POST
def dsr_close_view(request, pk):
    return _action(request, pk, lambda case, data: dsr_close(
        actor=request.user, request=case, outcome=data.get("outcome") or "", text=data.get("text", ""),
        resolved_on=data.get("resolved_on")), _("Solicitud cerrada."))


MENU = [MenuEntry(section=SECTION, label=TITLE, url_name="compliance:dsr-list", icon="bi-person-lock",
                  permission=VIEW, order=30, also_active=("compliance:dsr-new", "compliance:dsr-detail"))]

urlpatterns = [
    path("solicitudes/", dsr_list_view, name="dsr-list"),
    path("solicitudes/nueva/", dsr_new_view, name="dsr-new"),
    path("solicitudes/<int:pk>/", dsr_detail_view, name="dsr-detail"),
    path("solicitudes/<int:pk>/iniciar/", dsr_start_view, name="dsr-start"),
    path("solicitudes/<int:pk>/ampliar/", dsr_extend_view, name="dsr-extend"),
    path("solicitudes/<int:pk>/exportar/", dsr_export_view, name="dsr-export"),
    path("solicitudes/<int:pk>/rectificar/", dsr_rectify_view, name="dsr-rectify"),
    path("solicitudes/<int:pk>/suprimir/", dsr_erase_view, name="dsr-erase"),
    path("solicitudes/<int:pk>/cerrar/", dsr_close_view, name="dsr-close"),
]
