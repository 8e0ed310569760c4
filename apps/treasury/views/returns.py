"""Pages of returned SEPA debits (devoluciones): /tesoreria/devoluciones/ lists them (filters by
remittance, reason code and dates, sort, CSV/XLSX export, total returned); «Registrar devolución» on
a remittance item (date, reason code, bank fee); «Importar pain.002» uploads the bank's status report,
previews what will be applied and what is refused, and applies it on confirmation. Thin: every change
is one call to apps.treasury.services. A Comercial sees only its clients' debits."""
import base64
import binascii

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods

from aitcore.registry import MenuEntry
from apps.core.errors import DomainError
from apps.core.exports import csv_response, xlsx_response
from apps.core.permissions import visible_to
from apps.core.tables import Column
from apps.insurance.forms.risk_pages import style_form
from apps.insurance.views.quotes import needs
from apps.treasury.choices import RemittanceItemState
from apps.treasury.models import RemittanceItem
from apps.treasury.services.pain002 import pain002_import, pain002_preview
from apps.treasury.services.returns import REASON_LABELS, reason_label, return_record

SECTION = _l("Tesorería")
TITLE = _l("Devoluciones")
OWNER_FIELD = "receipt__policyholder__account_manager"
VIEW, CHANGE = "treasury.view_remittanceitem", "treasury.change_remittanceitem"
PAGE_SIZE = 50
MAX_FILE = 5 * 1024 * 1024
SORTABLE = {"returned_on", "amount", "end_to_end_id", "return_code"}
EXPORT_COLUMNS = [("remittance_number", _l("Remesa"), False), ("end_to_end_id", _l("Referencia"), False),
                  ("receipt_number", _l("Recibo"), False), ("holder_name", _l("Tomador"), False),
                  ("returned_on", _l("Devuelto el"), False), ("return_code", _l("Motivo"), False),
                  ("amount", _l("Importe"), True)]


def _code_choices():
    return [(code, f"{code} · {label}") for code, label in sorted(REASON_LABELS.items())]


class ReturnForm(forms.Form):
    date = forms.DateField(label=_l("Fecha de la devolución"))
    code = forms.ChoiceField(label=_l("Motivo SEPA"), choices=_code_choices)
    fee = forms.DecimalField(label=_l("Comisión bancaria (€)"), min_value=0, max_digits=10, decimal_places=2,
                             required=False, initial=0)


class ReturnFilterForm(forms.Form):
    remesa = forms.CharField(label=_l("Remesa"), required=False)
    motivo = forms.ChoiceField(label=_l("Motivo"), required=False, choices=lambda: [("", "—"), *_code_choices()])
    desde = forms.DateField(label=_l("Desde"), required=False)
    hasta = forms.DateField(label=_l("Hasta"), required=False)


class Pain002Form(forms.Form):
    file = forms.FileField(label=_l("Fichero pain.002 del banco"))


def _returned(request):
    queryset = (RemittanceItem.objects.filter(state=RemittanceItemState.RETURNED)
                .select_related("remittance", "receipt__policyholder"))
    return visible_to(queryset, request.user, OWNER_FIELD)


def _filtered(request, form):
    queryset = _returned(request)
    if form.is_valid():
        data = form.cleaned_data
        if data["remesa"]:
            queryset = queryset.filter(remittance__number__icontains=data["remesa"])
        if data["motivo"]:
            queryset = queryset.filter(return_code=data["motivo"])
        if data["desde"]:
            queryset = queryset.filter(returned_on__gte=data["desde"])
        if data["hasta"]:
            queryset = queryset.filter(returned_on__lte=data["hasta"])
    return queryset


@needs(VIEW)
@require_GET
def return_list_view(request):
    form = style_form(ReturnFilterForm(request.GET or None))
    queryset = _filtered(request, form)
    order = request.GET.get("o", "")
    queryset = queryset.order_by(order, "pk") if order.lstrip("-") in SORTABLE else queryset.order_by(
        "-returned_on", "-pk")
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        rows = queryset.annotate(remittance_number=F("remittance__number"), receipt_number=F("receipt__number"),
                                 holder_name=F("receipt__policyholder__display_name"))
        columns = [Column(name, str(label), False, numeric) for name, label, numeric in EXPORT_COLUMNS]
        return (csv_response if fmt == "csv" else xlsx_response)(rows, columns, "devoluciones")
    total = queryset.aggregate(total=Sum("amount"))["total"]
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page:
        item.return_label = reason_label(item.return_code)
    querystring = request.GET.copy()
    for key in ("export", "page"):
        querystring.pop(key, None)
    return render(request, "treasury/returns/list.html", {
        "title": TITLE, "filter_form": form, "page": page, "total": total or 0, "count": page.paginator.count,
        "order": order, "querystring": querystring.urlencode(), "can_change": request.user.has_perm(CHANGE)})


@needs(VIEW, CHANGE)
@require_http_methods(["GET", "POST"])
def return_record_view(request, pk):
    item = get_object_or_404(visible_to(RemittanceItem.objects.select_related(
        "remittance", "receipt__policyholder", "mandate"), request.user, OWNER_FIELD), pk=pk)
    form = style_form(ReturnForm(request.POST or None, initial={"date": timezone.localdate(), "fee": 0}))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = return_record(actor=request.user, item=item, date=data["date"], code=data["code"],
                                   fee=data["fee"] or 0)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            advice = (_("Puede presentarse en la próxima remesa.") if result.may_retry
                      else _("No se volverá a presentar: revise el mandato."))
            told = (_("Aviso enviado al cliente a %s.") % result.client_email if result.client_email
                    else _("El cliente no tiene e-mail: no se le ha avisado."))
            messages.success(request, _("Devolución del adeudo %(e2e)s registrada. %(advice)s %(told)s") % {
                "e2e": item.end_to_end_id, "advice": advice, "told": told})
            messages.info(request, result.cover)
            return redirect(reverse("treasury:return-list"))
    return render(request, "treasury/returns/record.html", {"title": _("Registrar devolución"), "item": item,
                                                            "form": form})


def _uploaded_xml(request, form, problems: list) -> bytes | None:
    """The report: the one being confirmed (kept base64 in the preview form) or a new upload."""
    if request.POST.get("xml"):
        try:
            return base64.b64decode(request.POST["xml"], validate=True)
        except (binascii.Error, ValueError):
            problems.append(_("El fichero no se ha podido leer; vuelva a subirlo."))
            return None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_FILE:
            problems.append(_("El fichero supera los 5 MB."))
            return None
        return upload.read()
    return None


@needs(VIEW, CHANGE)
@require_http_methods(["GET", "POST"])
def pain002_view(request):
    confirming = bool(request.POST.get("xml"))
    bound = request.method == "POST" and not confirming
    form = style_form(Pain002Form(request.POST, request.FILES) if bound else Pain002Form())
    preview, xml, problems = None, None, []
    if request.method == "POST":
        xml = _uploaded_xml(request, form, problems)
    if xml is not None:
        try:
            if confirming and request.POST.get("apply"):
                result = pain002_import(actor=request.user, xml=xml, confirm_partial=True)
                mailed = sum(1 for row in result.applied if row.client_email)
                messages.success(request, _("Informe %(msg)s aplicado: %(n)d devolución(es) registradas; "
                                            "%(m)d cliente(s) avisados por e-mail.") % {
                    "msg": result.message_id, "n": len(result.applied), "m": mailed})
                return redirect(reverse("treasury:return-list"))
            preview = pain002_preview(xml=xml)
        except DomainError as error:
            problems.append(error.message)
    return render(request, "treasury/returns/pain002.html", {
        "title": _("Importar pain.002"), "form": form, "preview": preview, "problems": problems,
        "xml_b64": base64.b64encode(xml).decode() if preview else ""})


MENU = [
    MenuEntry(section=SECTION, label=TITLE, url_name="treasury:return-list", icon="bi-arrow-counterclockwise",
              permission=VIEW, order=40, also_active=("treasury:return-record", "treasury:return-pain002")),
]

urlpatterns = [
    path("devoluciones/", return_list_view, name="return-list"),
    path("devoluciones/adeudo/<int:pk>/", return_record_view, name="return-record"),
    path("devoluciones/pain002/", pain002_view, name="return-pain002"),
]
