"""Pages of transfer orders (pain.001): /tesoreria/transferencias/ lists them (state, account, dates,
number or payee; sort, CSV/XLSX, totals); «Nueva orden» asks the paying account, the execution date and
the source (settlements, claim payments, supplier invoices), lists every candidate with the reason it
cannot go and creates the order; the detail shows the items with links to what they pay, downloads the
stored XML, cancels it or marks it as charged (each with a confirmation box) and shows its activity.
Thin: every change is one call to apps.treasury.services.transfer_orders."""
from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpResponse
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
from apps.treasury.choices import TransferItemKind, TransferOrderState
from apps.treasury.models import BankAccount, TransferOrder
from apps.treasury.selectors_transfers import transfer_order_items, transfer_orders_filtered, transfer_orders_total
from apps.treasury.services.transfer_orders import transfer_order_cancel, transfer_order_create, transfer_order_settle
from apps.treasury.services.transfer_sources import SOURCES, PaymentRequest, transfer_candidates
from apps.treasury.views._pages import SECTION

TITLE = _l("Transferencias")
VIEW, CHANGE = "treasury.view_transferorder", "treasury.change_transferorder"
PAGE_SIZE = 50
EXPORT_COLUMNS = [("number", _l("Número"), False), ("bank_name", _l("Cuenta"), False),
                  ("execution_date", _l("Fecha de ejecución"), False), ("state", _l("Estado"), False),
                  ("count", _l("Pagos"), True), ("total", _l("Importe"), True)]


class TransferFilterForm(forms.Form):
    numero = forms.CharField(label=_l("Número o beneficiario"), required=False)
    estado = forms.ChoiceField(label=_l("Estado"), required=False, choices=[("", "—"), *TransferOrderState.choices])
    cuenta = forms.ModelChoiceField(label=_l("Cuenta"), required=False, queryset=BankAccount.objects.all())
    desde = forms.DateField(label=_l("Ejecución desde"), required=False)
    hasta = forms.DateField(label=_l("Ejecución hasta"), required=False)


class CandidateForm(forms.Form):
    bank_account = forms.ModelChoiceField(label=_l("Cuenta de cargo"),
                                          queryset=BankAccount.objects.filter(is_active=True))
    execution_date = forms.DateField(label=_l("Fecha de ejecución"))
    source = forms.ChoiceField(label=_l("Qué se paga"), choices=SOURCES)
    date_from = forms.DateField(label=_l("Fechas desde"), required=False)
    date_to = forms.DateField(label=_l("Fechas hasta"), required=False)


class ConfirmForm(forms.Form):
    date = forms.DateField(required=False)
    reason = forms.CharField(required=False, max_length=300)
    confirm = forms.BooleanField(required=False)


@needs(VIEW)
@require_GET
def transfer_list_view(request):
    form = style_form(TransferFilterForm(request.GET or None))
    data = form.cleaned_data if form.is_valid() else {}
    order = request.GET.get("o", "")
    queryset = transfer_orders_filtered(state=data.get("estado", ""), bank_account=data.get("cuenta"),
                                        date_from=data.get("desde"), date_to=data.get("hasta"),
                                        number=data.get("numero", ""), order=order)
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        rows = queryset.annotate(bank_name=F("bank_account__name"))
        columns = [Column(name, str(label), False, numeric) for name, label, numeric in EXPORT_COLUMNS]
        return (csv_response if fmt == "csv" else xlsx_response)(rows, columns, "transferencias")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    for key in ("export", "page", "o"):
        querystring.pop(key, None)
    return render(request, "treasury/transfers/list.html", {
        "title": TITLE, "filter_form": form, "page": page, "totals": transfer_orders_total(queryset),
        "count": page.paginator.count, "order": order, "querystring": querystring.urlencode(),
        "can_change": request.user.has_perm(CHANGE)})


def _new_context(form, *, rows=None, error="", chosen=None, ibans=None):
    ok = [row for row in rows or [] if row.ok]
    ibans = ibans or {}
    lines = [(row, row.ok if chosen is None else row.target_id in chosen, ibans.get(row.target_id, ""))
             for row in rows or []]
    return {"title": _("Nueva orden de transferencias"), "form": form, "rows": rows, "lines": lines, "error": error,
            "ok_count": len(ok), "ok_total": sum((row.amount for row in ok), 0),
            "refused_count": len(rows or []) - len(ok),
            "is_claims": form.is_bound and form.data.get("source") == TransferItemKind.CLAIM_PAYMENT}


def _chosen(request, source: str) -> tuple[list[PaymentRequest], set, dict]:
    ids = [int(pk) for pk in request.POST.getlist("targets") if pk.isdigit()]
    ibans = {pk: request.POST.get(f"iban_{pk}", "").strip() for pk in ids}
    requests = [PaymentRequest(kind=source, target_id=pk, iban=ibans[pk]) for pk in ids]
    return requests, set(ids), ibans


@needs(VIEW, CHANGE)
@require_http_methods(["GET", "POST"])
def transfer_new_view(request):
    source = request.POST if request.method == "POST" else (request.GET or None)
    initial = {"bank_account": BankAccount.objects.filter(is_default=True).first(),
               "execution_date": timezone.localdate(), "source": TransferItemKind.SETTLEMENT}
    form = style_form(CandidateForm(source, initial=initial))
    if not form.is_valid():
        return render(request, "treasury/transfers/new.html", _new_context(form))
    data = form.cleaned_data
    rows = transfer_candidates(kind=data["source"], date_from=data["date_from"], date_to=data["date_to"])
    if request.method == "POST":
        requests, chosen, ibans = _chosen(request, data["source"])
        try:
            order = transfer_order_create(actor=request.user, bank_account=data["bank_account"],
                                          execution_date=data["execution_date"], items=requests)
        except DomainError as exc:
            context = _new_context(form, rows=rows, error=exc.message, chosen=chosen, ibans=ibans)
            return render(request, "treasury/transfers/new.html", context, status=exc.status)
        messages.success(request, _("Orden %(number)s creada con %(n)s transferencias.") % {
            "number": order.number, "n": order.count})
        return redirect(reverse("treasury:transfer-detail", args=[order.pk]))
    return render(request, "treasury/transfers/new.html", _new_context(form, rows=rows))


@needs(VIEW)
@require_GET
def transfer_detail_view(request, pk):
    order = get_object_or_404(TransferOrder.objects.select_related("bank_account__account"), pk=pk)
    return render(request, "treasury/transfers/detail.html", {
        "title": order.number, "order": order, "rows": transfer_order_items(order), "history": history_for(order),
        "can_change": request.user.has_perm(CHANGE) and order.state == TransferOrderState.GENERATED,
        "today": timezone.localdate()})


def _command(request, pk, run, done: str):
    order = get_object_or_404(TransferOrder, pk=pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["confirm"]:
        messages.error(request, _("Marque la casilla de confirmación."))
        return redirect(reverse("treasury:transfer-detail", args=[pk]))
    try:
        run(order, form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done % order.number)
    return redirect(reverse("treasury:transfer-detail", args=[pk]))


@needs(VIEW, CHANGE)
@require_POST
def transfer_settle_view(request, pk):
    return _command(request, pk, lambda order, data: transfer_order_settle(
        actor=request.user, order=order, date=data["date"] or order.execution_date),
        _("Orden %s cargada: pagos contabilizados."))


@needs(VIEW, CHANGE)
@require_POST
def transfer_cancel_view(request, pk):
    return _command(request, pk, lambda order, data: transfer_order_cancel(
        actor=request.user, order=order, reason=data["reason"]), _("Orden %s anulada."))


@needs(VIEW)
@require_GET
def transfer_xml_view(request, pk):
    order = get_object_or_404(TransferOrder, pk=pk)
    response = HttpResponse(order.xml, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{order.number}.xml"'
    return response


MENU = [
    MenuEntry(section=SECTION, label=TITLE, url_name="treasury:transfer-list", icon="bi-send",
              permission=VIEW, order=45, also_active=("treasury:transfer-new", "treasury:transfer-detail")),
]

urlpatterns = [
    path("transferencias/", transfer_list_view, name="transfer-list"),
    path("transferencias/nueva/", transfer_new_view, name="transfer-new"),
    path("transferencias/<int:pk>/", transfer_detail_view, name="transfer-detail"),
    path("transferencias/<int:pk>/cargar/", transfer_settle_view, name="transfer-settle"),
    path("transferencias/<int:pk>/anular/", transfer_cancel_view, name="transfer-cancel"),
    path("transferencias/<int:pk>/pain001.xml", transfer_xml_view, name="transfer-xml"),
]
