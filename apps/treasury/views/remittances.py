"""Pages of SEPA remittances: /tesoreria/remesas/ lists them (filters, sort, CSV/XLSX, total);
«Nueva remesa» asks the due range, lists every candidate receipt with the reason it cannot go and
creates the remittance (returned receipts presented again carry a «Reintento» badge); the detail shows
the debits and totals, generates and downloads the pain.008, charges it or cancels it (reason and
confirmation box) and shows its activity. Thin: every change is one call to
apps.treasury.services.remittances."""
from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aitcore.registry import MenuEntry
from apps.audit.selectors import history_for
from apps.core.errors import DomainError
from apps.core.exports import csv_response, xlsx_response
from apps.core.tables import Column
from apps.insurance.forms.risk_pages import style_form
from apps.insurance.views.quotes import needs
from apps.treasury.choices import RemittanceState
from apps.treasury.models import BankAccount, Remittance
from apps.treasury.selectors_remittances import (remittance_items, remittance_totals, remittances_filtered,
                                                 remittances_total)
from apps.treasury.services.remittances import (remittance_cancel, remittance_candidates, remittance_charge,
                                                remittance_create, remittance_generate)

SECTION = _l("Tesorería")
TITLE = _l("Remesas SEPA")
VIEW, CHANGE = "treasury.view_remittance", "treasury.change_remittance"
PAGE_SIZE = 50
EXPORT_COLUMNS = [("number", _l("Número"), False), ("bank_name", _l("Cuenta"), False),
                  ("collection_date", _l("Fecha de cargo"), False), ("state", _l("Estado"), False),
                  ("count", _l("Adeudos"), True), ("total", _l("Importe"), True)]


class RemittanceFilterForm(forms.Form):
    numero = forms.CharField(label=_l("Número"), required=False)
    estado = forms.ChoiceField(label=_l("Estado"), required=False, choices=[("", "—"), *RemittanceState.choices])
    cuenta = forms.ModelChoiceField(label=_l("Cuenta"), required=False, queryset=BankAccount.objects.all())
    desde = forms.DateField(label=_l("Cargo desde"), required=False)
    hasta = forms.DateField(label=_l("Cargo hasta"), required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(required=False, max_length=300)
    confirm = forms.BooleanField(required=False)


class CandidateForm(forms.Form):
    bank_account = forms.ModelChoiceField(label=_l("Cuenta de abono"),
                                          queryset=BankAccount.objects.filter(is_active=True))
    due_from = forms.DateField(label=_l("Vencimiento desde"))
    due_to = forms.DateField(label=_l("Vencimiento hasta"))
    collection_date = forms.DateField(label=_l("Fecha de cargo"))

    def clean(self):
        data = super().clean()
        if data.get("due_from") and data.get("due_to") and data["due_from"] > data["due_to"]:
            self.add_error("due_to", _("La fecha final es anterior a la inicial."))
        return data


@needs(VIEW)
@require_GET
def remittance_list_view(request):
    form = style_form(RemittanceFilterForm(request.GET or None))
    data = form.cleaned_data if form.is_valid() else {}
    order = request.GET.get("o", "")
    queryset = remittances_filtered(state=data.get("estado", ""), bank_account=data.get("cuenta"),
                                    date_from=data.get("desde"), date_to=data.get("hasta"),
                                    number=data.get("numero", ""), order=order)
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        rows = queryset.annotate(bank_name=F("bank_account__name"))
        columns = [Column(name, str(label), False, numeric) for name, label, numeric in EXPORT_COLUMNS]
        return (csv_response if fmt == "csv" else xlsx_response)(rows, columns, "remesas")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    for key in ("export", "page", "o"):
        querystring.pop(key, None)
    return render(request, "treasury/remittances/list.html", {
        "title": TITLE, "filter_form": form, "page": page, "total": remittances_total(queryset),
        "count": page.paginator.count, "order": order, "querystring": querystring.urlencode(),
        "can_change": request.user.has_perm(CHANGE)})


def _new_context(form, *, rows=None, error=""):
    ok = [row for row in rows or [] if row.ok]
    return {"title": _("Nueva remesa"), "form": form, "rows": rows, "error": error, "ok_count": len(ok),
            "ok_total": sum((row.amount for row in ok), 0),
            "refused_count": len(rows or []) - len(ok)}


@needs(VIEW, CHANGE)
@require_http_methods(["GET", "POST"])
def remittance_new_view(request):
    source = request.POST if request.method == "POST" else (request.GET or None)
    initial = {"bank_account": BankAccount.objects.filter(is_default=True).first(),
               "collection_date": timezone.localdate()}
    form = style_form(CandidateForm(source, initial=initial))
    if not form.is_valid():
        return render(request, "treasury/remittances/new.html", _new_context(form))
    data = form.cleaned_data
    rows = remittance_candidates(bank_account=data["bank_account"], due_from=data["due_from"],
                                 due_to=data["due_to"], collection_date=data["collection_date"])
    if request.method == "POST":
        chosen = {int(pk) for pk in request.POST.getlist("receipts") if pk.isdigit()}
        try:
            remittance = remittance_create(actor=request.user, bank_account=data["bank_account"],
                                           collection_date=data["collection_date"],
                                           receipts=[row.receipt for row in rows if row.receipt.pk in chosen],
                                           skip_invalid=request.POST.get("skip_invalid") == "on")
        except DomainError as exc:
            context = _new_context(form, rows=rows, error=exc.message)
            return render(request, "treasury/remittances/new.html", context, status=exc.status)
        messages.success(request, _("Remesa %(number)s creada con %(n)s adeudos.") % {
            "number": remittance.number, "n": remittance.count})
        return redirect(reverse("treasury:remittance-detail", args=[remittance.pk]))
    return render(request, "treasury/remittances/new.html", _new_context(form, rows=rows))


@needs(VIEW)
@require_GET
def remittance_detail_view(request, pk):
    remittance = get_object_or_404(Remittance.objects.select_related("bank_account", "entry"), pk=pk)
    return render(request, "treasury/remittances/detail.html", {
        "title": remittance.number, "remittance": remittance, "items": remittance_items(remittance),
        "totals": remittance_totals(remittance), "can_change": request.user.has_perm(CHANGE),
        "history": history_for(remittance), "today": timezone.localdate()})


@needs(VIEW, CHANGE)
@require_POST
def remittance_generate_view(request, pk):
    remittance = get_object_or_404(Remittance, pk=pk)
    try:
        remittance_generate(actor=request.user, remittance=remittance)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Fichero pain.008 de la remesa %s generado.") % remittance.number)
    return redirect(reverse("treasury:remittance-detail", args=[pk]))


@needs(VIEW, CHANGE)
@require_POST
def remittance_charge_view(request, pk):
    remittance = get_object_or_404(Remittance, pk=pk)
    date = forms.DateField(required=False).clean(request.POST.get("date") or None)
    try:
        remittance_charge(actor=request.user, remittance=remittance, date=date)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Remesa %s cargada: recibos cobrados.") % remittance.number)
    return redirect(reverse("treasury:remittance-detail", args=[pk]))


@needs(VIEW, CHANGE)
@require_POST
def remittance_cancel_view(request, pk):
    remittance = get_object_or_404(Remittance, pk=pk)
    form = CancelForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["confirm"]:
        messages.error(request, _("Marque la casilla de confirmación."))
        return redirect(reverse("treasury:remittance-detail", args=[pk]))
    try:
        remittance_cancel(actor=request.user, remittance=remittance, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Remesa %s anulada: sus recibos quedan libres para otra remesa.")
                         % remittance.number)
    return redirect(reverse("treasury:remittance-detail", args=[pk]))


@needs(VIEW)
@require_GET
def remittance_xml_view(request, pk):
    remittance = get_object_or_404(Remittance, pk=pk)
    if not remittance.xml:
        raise Http404(_("La remesa aún no tiene fichero generado."))
    response = HttpResponse(remittance.xml, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{remittance.number}.xml"'
    return response


MENU = [
    MenuEntry(section=SECTION, label=TITLE, url_name="treasury:remittance-list", icon="bi-bank",
              permission=VIEW, order=30, also_active=("treasury:remittance-new", "treasury:remittance-detail")),
]

urlpatterns = [
    path("remesas/", remittance_list_view, name="remittance-list"),
    path("remesas/nueva/", remittance_new_view, name="remittance-new"),
    path("remesas/<int:pk>/", remittance_detail_view, name="remittance-detail"),
    path("remesas/<int:pk>/generar/", remittance_generate_view, name="remittance-generate"),
    path("remesas/<int:pk>/cargar/", remittance_charge_view, name="remittance-charge"),
    path("remesas/<int:pk>/anular/", remittance_cancel_view, name="remittance-cancel"),
    path("remesas/<int:pk>/pain008.xml", remittance_xml_view, name="remittance-xml"),
]
