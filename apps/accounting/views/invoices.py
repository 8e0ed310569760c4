"""Pages of the accounting area «invoices»: issued and received lists (filters, search, export),
one invoice (lines, taxes per rate, entry, PDF, validate / rectify), the draft form with its lines,
and the series through the generic Resource pages. Thin: every change is a call to
apps.accounting.services.invoices. MENU entries are registered by apps.accounting.navigation."""
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aitcore.registry import MenuEntry, registry
from apps.accounting.choices import InvoiceKind, InvoiceState
from apps.accounting.forms.invoices import (
    ADD_ROWS, InvoiceFilterSet, InvoiceForm, RectifyForm, add_invoice_errors, line_formset,
)
from apps.accounting.models import Invoice, InvoiceSeries
from apps.accounting.services.invoices import (
    invoice_create, invoice_draft_delete, invoice_rectify, invoice_update, invoice_validate,
)
from apps.accounting.services.invoices_lines import compute_totals
from apps.accounting.services.invoices_pdf import es_number, invoice_pdf, invoice_pdf_filename
from apps.accounting.services.invoices_series import invoice_series_create, invoice_series_update
from apps.audit.selectors import history_for
from apps.core.errors import DomainError
from apps.core.exports import csv_response, xlsx_response
from apps.core.resources import Resource
from apps.core.tables import columns_for, display_value

ACCOUNTING = _l("Contabilidad")
PAGE_SIZE = 25
SLUGS = {InvoiceKind.ISSUED: "emitidas", InvoiceKind.RECEIVED: "recibidas"}
TITLES = {InvoiceKind.ISSUED: _l("Facturas emitidas"), InvoiceKind.RECEIVED: _l("Facturas recibidas")}
LIST_FIELDS = {
    InvoiceKind.ISSUED: ["full_number", "issue_date", "party_name", "party_tax_id", "base_total",
                         "vat_total", "withholding_total", "total", "state"],
    InvoiceKind.RECEIVED: ["full_number", "number", "issue_date", "accounting_date", "party_name", "party_tax_id",
                           "base_total", "vat_total", "withholding_total", "total", "state"],
}

SERIES = Resource(
    model=InvoiceSeries, section=ACCOUNTING, icon="bi-123",
    list_fields=["code", "name", "kind", "is_rectifying", "journal", "is_active"], search_fields=["code", "name"],
    filter_fields=["kind", "is_active"], form_fields=["code", "name", "kind", "is_rectifying", "journal", "is_active"],
    select_related=("journal",), default_ordering=("code",), can_delete=False, menu_order=32,
    create=invoice_series_create, update=invoice_series_update,
)
registry.register_resource(SERIES)


def needs(*perms: str):
    """login_required plus every permission (403 for a logged-in user without them)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not all(request.user.has_perm(perm) for perm in perms):
                raise PermissionDenied(_("Su rol no permite esta operación."))
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator


def invoice_url(invoice) -> str:
    return reverse("accounting:invoice-detail", args=[invoice.pk])


def list_url(kind: str) -> str:
    return reverse(f"accounting:invoice-{kind}-list")


def entry_url(entry) -> str:
    try:
        return reverse("accounting:entry-detail", args=[entry.pk])
    except NoReverseMatch:
        return f"/contabilidad/asientos/{entry.pk}/"


def _invoice_or_404(pk) -> Invoice:
    invoice = Invoice.objects.select_related("series__journal", "party", "rectifies", "entry__fiscal_year",
                                             "created_by").filter(pk=pk).first()
    if invoice is None:
        raise Http404(_("No existe la factura."))
    return invoice


def _kind(kind: str) -> str:
    if kind not in InvoiceKind.values:
        raise Http404(_("Tipo de factura desconocido."))
    return kind


def _amounts(invoice) -> dict:
    """The invoice's totals as es-ES text (1.234,56)."""
    return {name: es_number(getattr(invoice, name)) for name in ("base_total", "vat_total", "surcharge_total",
                                                                 "withholding_total", "total")}


# --- List ---------------------------------------------------------------------------------------

def _list_view(request, kind: str):
    queryset = Invoice.objects.filter(kind=kind).select_related("series").order_by("-issue_date", "-number", "-pk")
    filterset = InvoiceFilterSet(request.GET or None, queryset=queryset, kind=kind)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(Q(full_number__icontains=query) | Q(party_name__icontains=query)
                       | Q(party_tax_id__icontains=query))
    columns = columns_for(Invoice, LIST_FIELDS[kind])
    order = request.GET.get("o", "")
    if order.lstrip("-") in {c.name for c in columns if c.sortable}:
        qs = qs.order_by(order, "-pk")
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return (csv_response if export == "csv" else xlsx_response)(qs, columns, slugify(str(TITLES[kind])))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for obj in page.object_list:
        values = [(display_value(obj, c.name), c.numeric) for c in columns]
        values[0] = (str(obj), False)  # a draft has no number yet: «Borrador #12»
        rows.append((invoice_url(obj), values))
    params = request.GET.copy()
    params.pop("page", None)
    sort_params = params.copy()
    sort_params.pop("o", None)
    context = {
        "title": TITLES[kind], "kind": kind, "list_url": list_url(kind),
        "create_url": reverse("accounting:invoice-create", args=[kind]),
        "can_create": request.user.has_perm("accounting.add_invoice"),
        "series_url": reverse(SERIES.url_name("list")),
        "filterset": filterset, "columns": columns, "rows": rows, "page": page, "query": query, "order": order,
        "querystring": params.urlencode(), "sort_querystring": sort_params.urlencode(),
        "resource": {"search_fields": ["full_number", "party_name"]},
    }
    template = "accounting/invoices/list.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "record-table":
        template = "core/generic/_table.html"
    return render(request, template, context)


@needs("accounting.view_invoice")
@require_GET
def invoice_issued_list_view(request):
    return _list_view(request, InvoiceKind.ISSUED)


@needs("accounting.view_invoice")
@require_GET
def invoice_received_list_view(request):
    return _list_view(request, InvoiceKind.RECEIVED)


# --- Detail, PDF, validate, delete -------------------------------------------------------------

@needs("accounting.view_invoice")
@require_GET
def invoice_detail_view(request, pk):
    invoice = _invoice_or_404(pk)
    lines = list(invoice.lines.select_related("account", "vat", "surcharge", "withholding", "insurer"))
    user = request.user
    draft = invoice.state == InvoiceState.DRAFT
    rectifications = list(invoice.rectifications.order_by("issue_date", "pk"))
    net_total = invoice.total + sum(r.total for r in rectifications if r.state == InvoiceState.VALIDATED)
    rows = [{"line": line, "quantity": es_number(line.quantity, 0, 3), "unit_price": es_number(line.unit_price, 2, 4),
             "discount": es_number(line.discount, 0, 2) if line.discount else "", "base": es_number(line.base)}
            for line in lines]
    summary = [{"tax": row.tax, "base": es_number(row.base), "amount": es_number(row.amount)}
               for row in compute_totals(lines).summary]
    return render(request, "accounting/invoices/detail.html", {
        "title": TITLES[invoice.kind], "object": invoice, "rows": rows, "summary": summary,
        "amounts": _amounts(invoice),
        "rectifications": [(r, es_number(r.total)) for r in rectifications],
        "list_url": list_url(invoice.kind), "entry_url": entry_url(invoice.entry) if invoice.entry_id else "",
        "history": history_for(invoice),
        "is_issued": invoice.kind == InvoiceKind.ISSUED,
        "can_edit": draft and user.has_perm("accounting.change_invoice"),
        "can_validate": draft and user.has_perm("accounting.change_invoice"),
        "can_delete": draft and user.has_perm("accounting.delete_invoice"),
        "net_total": net_total,
        "can_rectify": (invoice.state == InvoiceState.VALIDATED and not invoice.rectifies_id and net_total
                        and user.has_perm("accounting.add_invoice")),
    })


@needs("accounting.view_invoice")
@require_GET
def invoice_pdf_view(request, pk):
    invoice = _invoice_or_404(pk)
    try:
        content = invoice_pdf(invoice)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(invoice_url(invoice))
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{invoice_pdf_filename(invoice)}"'
    return response


@needs("accounting.change_invoice")
@require_POST
def invoice_validate_view(request, pk):
    invoice = _invoice_or_404(pk)
    try:
        invoice = invoice_validate(actor=request.user, invoice=invoice)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Factura %s validada y contabilizada.") % invoice.full_number)
    return redirect(invoice_url(invoice))


@needs("accounting.delete_invoice")
@require_http_methods(["GET", "POST"])
def invoice_delete_view(request, pk):
    invoice = _invoice_or_404(pk)
    if request.method == "GET":
        return render(request, "accounting/invoices/confirm_delete.html", {
            "title": TITLES[invoice.kind], "object": invoice, "list_url": list_url(invoice.kind),
            "cancel_url": invoice_url(invoice), "amounts": _amounts(invoice)})
    try:
        invoice_draft_delete(actor=request.user, invoice=invoice)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(invoice_url(invoice))
    messages.success(request, _("Borrador de factura eliminado."))
    return redirect(list_url(invoice.kind))


# --- Create and edit a draft ----------------------------------------------------------------------

def _form_page(request, form, formset, *, kind, invoice=None, status=200):
    return render(request, "accounting/invoices/form.html", {
        "title": TITLES[kind], "kind": kind, "form": form, "formset": formset, "object": invoice,
        "service_errors": getattr(formset, "service_errors", []), "list_url": list_url(kind),
        "cancel_url": invoice_url(invoice) if invoice else list_url(kind),
        "can_validate": request.user.has_perm("accounting.change_invoice"),
    }, status=status)


def _save(request, form, formset, *, invoice=None):
    """Runs the services; the saved invoice, or None with the errors left on the forms."""
    if not (form.is_valid() & formset.is_valid()):
        return None
    lines, row_forms = formset.lines()
    validate = request.POST.get("save") == "validate"
    try:
        with transaction.atomic():
            if invoice is None:
                invoice = invoice_create(actor=request.user, kind=form.kind, lines=lines, **form.service_kwargs())
            else:
                invoice = invoice_update(actor=request.user, invoice=invoice, lines=lines, **form.service_kwargs())
            return invoice_validate(actor=request.user, invoice=invoice) if validate else invoice
    except DomainError as exc:
        add_invoice_errors(exc, form, formset, row_forms)
        return None


def _saved(request, invoice):
    if invoice.state == InvoiceState.VALIDATED:
        messages.success(request, _("Factura %s validada y contabilizada.") % invoice.full_number)
    else:
        messages.success(request, _("Borrador de factura guardado."))
    return redirect(invoice_url(invoice))


def _post_form(request, *, kind, invoice=None):
    if request.POST.get("save") == "validate" and not request.user.has_perm("accounting.change_invoice"):
        raise PermissionDenied(_("Su rol no permite validar facturas."))
    form = InvoiceForm(request.POST, kind=kind, rectifying=bool(invoice and invoice.rectifies_id))
    if "add_rows" in request.POST:
        return _form_page(request, form, line_formset(request.POST, kind=kind, extra_rows=ADD_ROWS), kind=kind,
                          invoice=invoice)
    formset = line_formset(request.POST, kind=kind)
    saved = _save(request, form, formset, invoice=invoice)
    if saved is None:
        return _form_page(request, form, formset, kind=kind, invoice=invoice, status=400)
    return _saved(request, saved)


@needs("accounting.add_invoice")
@require_http_methods(["GET", "POST"])
def invoice_create_view(request, kind):
    kind = _kind(kind)
    if request.method == "POST":
        return _post_form(request, kind=kind)
    form = InvoiceForm(kind=kind, initial={"issue_date": timezone.localdate(), "series": "F" if kind == "issued"
                                           else "P", "party": request.GET.get("party", "")})
    return _form_page(request, form, line_formset(kind=kind), kind=kind)


@needs("accounting.change_invoice")
@require_http_methods(["GET", "POST"])
def invoice_update_view(request, pk):
    invoice = _invoice_or_404(pk)
    if invoice.state != InvoiceState.DRAFT:
        messages.error(request, _("La factura %s está validada: no se modifica; emita una rectificativa.") % invoice)
        return redirect(invoice_url(invoice))
    if request.method == "POST":
        return _post_form(request, kind=invoice.kind, invoice=invoice)
    initial = {name: getattr(invoice, name) for name in ("issue_date", "operation_date", "accounting_date", "due_date",
                                                           "full_number", "notes")}
    initial.update(series=invoice.series.code if invoice.series_id else "",
                   party=invoice.party.tax_id or str(invoice.party_id))
    form = InvoiceForm(kind=invoice.kind, rectifying=bool(invoice.rectifies_id), initial=initial)
    return _form_page(request, form, line_formset(kind=invoice.kind, invoice=invoice), kind=invoice.kind,
                      invoice=invoice)


# --- Rectify ----------------------------------------------------------------------------------------

def _rectify_page(request, invoice, form, formset, status=200):
    return render(request, "accounting/invoices/rectify.html", {
        "title": TITLES[invoice.kind], "object": invoice, "form": form, "formset": formset,
        "service_errors": getattr(formset, "service_errors", []), "list_url": list_url(invoice.kind),
        "cancel_url": invoice_url(invoice), "amounts": _amounts(invoice)}, status=status)


@needs("accounting.add_invoice")
@require_http_methods(["GET", "POST"])
def invoice_rectify_view(request, pk):
    invoice = _invoice_or_404(pk)
    kind = invoice.kind
    if request.method == "GET":
        form = RectifyForm(kind=kind, initial={"issue_date": timezone.localdate()})
        return _rectify_page(request, invoice, form, line_formset(kind=kind))
    form = RectifyForm(request.POST, kind=kind)
    if "add_rows" in request.POST:
        return _rectify_page(request, invoice, form, line_formset(request.POST, kind=kind, extra_rows=ADD_ROWS))
    formset = line_formset(request.POST, kind=kind)
    if form.is_valid() & formset.is_valid():
        data = form.cleaned_data
        lines, row_forms = formset.lines() if data["mode"] == RectifyForm.DIFFERENCES else (None, [])
        if lines == []:
            formset.service_errors = [_("Indique las líneas de la rectificación (en negativo para restar).")]
        else:
            try:
                rectifying = invoice_rectify(actor=request.user, invoice=invoice, issue_date=data["issue_date"],
                                             reason=data["reason"], code=data["code"], lines=lines,
                                             full_number=data.get("full_number") or "")
            except DomainError as exc:
                add_invoice_errors(exc, form, formset, row_forms)
            else:
                messages.success(request, _("Factura rectificativa %s emitida y contabilizada.")
                                 % rectifying.full_number)
                return redirect(invoice_url(rectifying))
    return _rectify_page(request, invoice, form, formset, status=400)


MENU = [
    MenuEntry(section=ACCOUNTING, label=_l("Facturas emitidas"), url_name="accounting:invoice-issued-list",
              icon="bi-receipt", permission="accounting.view_invoice", order=30),
    MenuEntry(section=ACCOUNTING, label=_l("Facturas recibidas"), url_name="accounting:invoice-received-list",
              icon="bi-receipt-cutoff", permission="accounting.view_invoice", order=31),
]

urlpatterns = [
    path("facturas/emitidas/", invoice_issued_list_view, name="invoice-issued-list"),
    path("facturas/recibidas/", invoice_received_list_view, name="invoice-received-list"),
    path("facturas/nueva/<str:kind>/", invoice_create_view, name="invoice-create"),
    path("facturas/<int:pk>/", invoice_detail_view, name="invoice-detail"),
    path("facturas/<int:pk>/editar/", invoice_update_view, name="invoice-update"),
    path("facturas/<int:pk>/validar/", invoice_validate_view, name="invoice-validate"),
    path("facturas/<int:pk>/borrar/", invoice_delete_view, name="invoice-delete"),
    path("facturas/<int:pk>/rectificar/", invoice_rectify_view, name="invoice-rectify"),
    path("facturas/<int:pk>/pdf/", invoice_pdf_view, name="invoice-pdf"),
]
