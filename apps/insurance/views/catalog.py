"""Staff pages of the catalog: Compañías (list, detail, form with contacts), Productos (list,
detail with coverages, tariffs and agreement in force, form with coverages, IPID page and PDF),
Tarifas (edit a dated version with its factor table; «nueva versión»), Acuerdos de comisiones
(list, create) and Ramos (tax settings). Thin: every change is a call to a catalog service.
MENU entries are registered by apps.insurance.navigation; search indexes here, at import time."""
import dataclasses
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.forms import formset_factory
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods

from aitcore.registry import MenuEntry, registry
from apps.audit.selectors import history_for
from apps.core.errors import DomainError
from apps.core.exports import csv_response, xlsx_response
from apps.core.forms import add_service_errors
from apps.core.tables import Column, columns_for, display_value
from apps.insurance.forms.catalog import (
    AgreementFilterSet, AgreementForm, ContactForm, CoverageForm, FactorForm, InsurerFilterSet, InsurerForm,
    LineForm, NewTariffVersionForm, ProductFilterSet, ProductForm, TariffForm, add_row_errors, rows_from_formset,
)
from apps.insurance.models import CommissionAgreement, Insurer, Line, Product, Tariff
from apps.insurance.selectors_catalog import (
    agreement_in_force, agreements_queryset, insurer_detail, insurers_queryset, ipid_context, lines_queryset,
    product_detail, product_tariffs, products_queryset, tariffs_with_amounts, with_amounts,
)
from apps.insurance.services.agreements import agreement_create
from apps.insurance.services.catalog import (
    insurer_create, insurer_update, ipid_pdf, ipid_pdf_filename, line_update, product_create, product_update,
)
from apps.insurance.services.tariffs import tariff_create_version, tariff_editable, tariff_update

INSURANCE = _l("Seguros")
PAGE_SIZE = 25
EXTRA_ROWS = 2
ContactFormSet = formset_factory(ContactForm, extra=EXTRA_ROWS)
CoverageFormSet = formset_factory(CoverageForm, extra=EXTRA_ROWS)
FactorFormSet = formset_factory(FactorForm, extra=EXTRA_ROWS)


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


def _or_404(value, message):
    if value is None:
        raise Http404(message)
    return value


# --- Generic list ---------------------------------------------------------------------------------

def _list_page(request, *, queryset, model, fields, filterset_class, search, title, list_url, url_for,
               create_url="", can_create=False, filename="", labels=None):
    filterset = filterset_class(request.GET or None, queryset=queryset)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    query = request.GET.get("q", "").strip()
    if query and search:
        condition = Q()
        for name in search:
            condition |= Q(**{f"{name}__icontains": query})
        qs = qs.filter(condition)
    columns = [Column(c.name, str(labels[c.name]), c.sortable, True) if labels and c.name in labels else c
               for c in columns_for(model, fields)]
    order = request.GET.get("o", "")
    if order.lstrip("-") in {c.name for c in columns if c.sortable}:
        qs = qs.order_by(order, "pk")
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return (csv_response if export == "csv" else xlsx_response)(qs, columns, filename or slugify(str(title)))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(url_for(obj), [(display_value(obj, c.name), c.numeric) for c in columns]) for obj in page.object_list]
    params = request.GET.copy()
    params.pop("page", None)
    sort_params = params.copy()
    sort_params.pop("o", None)
    context = {
        "title": title, "list_url": list_url, "create_url": create_url, "can_create": can_create,
        "filterset": filterset, "columns": columns, "rows": rows, "page": page, "query": query, "order": order,
        "querystring": params.urlencode(), "sort_querystring": sort_params.urlencode(),
        "resource": {"search_fields": search},
    }
    template = "core/generic/list.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "record-table":
        template = "core/generic/_table.html"
    return render(request, template, context)


def _formset_rows(formset):
    """Valid formset rows or None (row errors stay on the forms)."""
    if not formset.is_valid():
        return None, []
    return rows_from_formset(formset)


# --- Insurers -------------------------------------------------------------------------------------

@needs("insurance.view_insurer")
@require_GET
def insurer_list_view(request):
    return _list_page(
        request, queryset=insurers_queryset(), model=Insurer,
        fields=["name", "tax_id", "dgsfp_code", "product_count", "eiac_supported", "is_active"],
        filterset_class=InsurerFilterSet, search=["name", "legal_name", "tax_id", "dgsfp_code"],
        labels={"product_count": _("Productos activos")},
        title=_("Compañías"), list_url=reverse("insurance:insurer-list"),
        url_for=lambda obj: reverse("insurance:insurer-detail", args=[obj.pk]),
        create_url=reverse("insurance:insurer-create"), can_create=request.user.has_perm("insurance.add_insurer"),
    )


@needs("insurance.view_insurer")
@require_GET
def insurer_detail_view(request, pk):
    insurer = _or_404(insurer_detail(pk), _("No existe la compañía."))
    today = timezone.localdate()
    agreements = list(insurer.commission_agreements.all())
    in_force = {}
    for agreement in agreements:
        key = agreement.product_id
        if agreement.valid_from <= today and key not in in_force:
            in_force[key] = agreement.pk
    return render(request, "insurance/catalog/insurer_detail.html", {
        "title": _("Compañías"), "object": insurer, "list_url": reverse("insurance:insurer-list"),
        "contacts": list(insurer.contacts.all()), "products": list(insurer.products.all()),
        "agreements": agreements, "in_force_ids": set(in_force.values()), "today": today,
        "history": history_for(insurer),
        "can_edit": request.user.has_perm("insurance.change_insurer"),
        "can_add_product": request.user.has_perm("insurance.add_product"),
        "can_add_agreement": request.user.has_perm("insurance.add_commissionagreement"),
    })


@dataclasses.dataclass(frozen=True)
class RowsRecord:
    """A catalog record edited with its rows on one page (an insurer with its contacts, a product
    with its coverages): what differs between the two, so one form page and one POST serve both."""

    title: str
    new_heading: str
    saved_message: str
    form_class: type
    formset_class: type
    prefix: str
    rows_label: str
    list_url_name: str
    detail_url_name: str
    create: object  # service(actor, data, <prefix>=rows)
    update: object  # service(actor, <record>, data, <prefix>=rows, expected_version)
    record_kwarg: str
    label: object = str  # how the saved message names the record


def _rows_form_page(request, spec: RowsRecord, form, formset, obj=None, status=200):
    return render(request, "insurance/catalog/form.html", {
        "title": spec.title, "heading": _("Editar «%s»") % obj if obj else spec.new_heading,
        "object": obj, "form": form, "formsets": [(spec.rows_label, formset)],
        "list_url": reverse(spec.list_url_name),
        "cancel_url": reverse(spec.detail_url_name, args=[obj.pk]) if obj else reverse(spec.list_url_name),
    }, status=status)


def _rows_post(request, spec: RowsRecord, obj=None):
    form = spec.form_class(request.POST, instance=obj)
    formset = spec.formset_class(request.POST, prefix=spec.prefix)
    form_ok = form.is_valid()
    rows, used = _formset_rows(formset)
    if form_ok and rows is not None:
        data = form.business_data()
        try:
            with transaction.atomic():
                if obj is None:
                    saved = spec.create(actor=request.user, data=data, **{spec.prefix: rows})
                else:
                    saved = spec.update(actor=request.user, data=data, expected_version=form.cleaned_data.get("version"),
                                        **{spec.record_kwarg: obj, spec.prefix: rows})
        except (ValidationError, DomainError) as exc:
            add_row_errors(exc, form, formset, used, spec.prefix)
        else:
            messages.success(request, spec.saved_message % spec.label(saved))
            return redirect(spec.detail_url_name, pk=saved.pk)
    return _rows_form_page(request, spec, form, formset, obj, status=400)


INSURER_PAGE = RowsRecord(
    title=_l("Compañías"), new_heading=_l("Nueva compañía"), saved_message=_l("Compañía «%s» guardada."),
    form_class=InsurerForm, formset_class=ContactFormSet, prefix="contacts", rows_label=_l("Contactos"),
    list_url_name="insurance:insurer-list", detail_url_name="insurance:insurer-detail",
    create=insurer_create, update=insurer_update, record_kwarg="insurer")
PRODUCT_PAGE = RowsRecord(
    title=_l("Productos"), new_heading=_l("Nuevo producto"), saved_message=_l("Producto «%s» guardado."),
    form_class=ProductForm, formset_class=CoverageFormSet, prefix="coverages", rows_label=_l("Garantías"),
    list_url_name="insurance:product-list", detail_url_name="insurance:product-detail",
    create=product_create, update=product_update, record_kwarg="product", label=lambda product: product.name)


@needs("insurance.add_insurer")
@require_http_methods(["GET", "POST"])
def insurer_create_view(request):
    if request.method == "POST":
        return _rows_post(request, INSURER_PAGE)
    return _rows_form_page(request, INSURER_PAGE, InsurerForm(), ContactFormSet(prefix="contacts"))


@needs("insurance.change_insurer")
@require_http_methods(["GET", "POST"])
def insurer_update_view(request, pk):
    insurer = _or_404(Insurer.objects.filter(pk=pk).first(), _("No existe la compañía."))
    if request.method == "POST":
        return _rows_post(request, INSURER_PAGE, insurer)
    initial = list(insurer.contacts.values("name", "role", "email", "phone"))
    return _rows_form_page(request, INSURER_PAGE, InsurerForm(instance=insurer),
                              ContactFormSet(prefix="contacts", initial=initial), insurer)


# --- Products -------------------------------------------------------------------------------------

@needs("insurance.view_product")
@require_GET
def product_list_view(request):
    return _list_page(
        request, queryset=products_queryset(), model=Product,
        fields=["name", "code", "insurer", "line", "is_active", "updated_at"],
        filterset_class=ProductFilterSet, search=["name", "code", "insurer__name"],
        title=_("Productos"), list_url=reverse("insurance:product-list"),
        url_for=lambda obj: reverse("insurance:product-detail", args=[obj.pk]),
        create_url=reverse("insurance:product-create"), can_create=request.user.has_perm("insurance.add_product"),
    )


@needs("insurance.view_product")
@require_GET
def product_detail_view(request, pk):
    product = _or_404(product_detail(pk), _("No existe el producto."))
    today = timezone.localdate()
    current, versions = product_tariffs(product, today)
    user = request.user
    return render(request, "insurance/catalog/product_detail.html", {
        "title": _("Productos"), "object": product, "list_url": reverse("insurance:product-list"),
        "coverages": with_amounts(product.coverages.all()), "current_tariff": current,
        "versions": tariffs_with_amounts(versions),
        "agreement": agreement_in_force(insurer=product.insurer, product=product, on_date=today), "today": today,
        "history": history_for(product),
        "can_edit": user.has_perm("insurance.change_product"),
        "can_view_tariffs": user.has_perm("insurance.view_tariff"),
        "can_add_tariff": user.has_perm("insurance.add_tariff"),
        "new_version_form": NewTariffVersionForm(product=product, initial={"valid_from": today}),
    })


@needs("insurance.add_product")
@require_http_methods(["GET", "POST"])
def product_create_view(request):
    if request.method == "POST":
        return _rows_post(request, PRODUCT_PAGE)
    return _rows_form_page(request, PRODUCT_PAGE, ProductForm(initial={"insurer": request.GET.get("insurer")}),
                              CoverageFormSet(prefix="coverages"))


@needs("insurance.change_product")
@require_http_methods(["GET", "POST"])
def product_update_view(request, pk):
    product = _or_404(Product.objects.filter(pk=pk).first(), _("No existe el producto."))
    if request.method == "POST":
        return _rows_post(request, PRODUCT_PAGE, product)
    initial = list(product.coverages.order_by("order", "name").values("code", "name", "kind", "limit", "limit_text",
                                                                       "deductible"))
    return _rows_form_page(request, PRODUCT_PAGE, ProductForm(instance=product),
                              CoverageFormSet(prefix="coverages", initial=initial), product)


@needs("insurance.view_product")
@require_GET
def product_ipid_view(request, pk):
    product = _or_404(product_detail(pk), _("No existe el producto."))
    context = ipid_context(product)
    context.update(title=_("Documento de información sobre el producto de seguro"), object=product,
                   list_url=reverse("insurance:product-list"))
    return render(request, "insurance/catalog/ipid.html", context)


@needs("insurance.view_product")
@require_GET
def product_ipid_pdf_view(request, pk):
    product = _or_404(product_detail(pk), _("No existe el producto."))
    response = HttpResponse(ipid_pdf(product), content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{ipid_pdf_filename(product)}"'
    return response


# --- Tariffs --------------------------------------------------------------------------------------

@needs("insurance.add_tariff")
@require_http_methods(["POST"])
def tariff_new_version_view(request, pk):
    product = _or_404(Product.objects.select_related("line").filter(pk=pk).first(), _("No existe el producto."))
    form = NewTariffVersionForm(request.POST, product=product)
    if form.is_valid():
        try:
            tariff = tariff_create_version(actor=request.user, product=product, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Nueva versión de la tarifa en vigor desde el %s: revise sus cifras.")
                             % tariff.valid_from.strftime("%d/%m/%Y"))
            return redirect("insurance:tariff-edit", pk=tariff.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("insurance:product-detail", pk=product.pk)


def _tariff_page(request, tariff, form, formset, status=200):
    editable, why = tariff_editable(tariff)
    return render(request, "insurance/catalog/tariff_form.html", {
        "title": _("Tarifas"), "object": tariff, "product": tariff.product, "form": form, "formset": formset,
        "editable": editable and request.user.has_perm("insurance.change_tariff"), "locked_reason": why,
        "versions": tariffs_with_amounts(tariff.product.tariffs.order_by("-valid_from")),
        "list_url": reverse("insurance:product-list"),
        "product_url": reverse("insurance:product-detail", args=[tariff.product_id]),
        "can_add_tariff": request.user.has_perm("insurance.add_tariff"),
        "new_version_form": NewTariffVersionForm(product=tariff.product, initial={"valid_from": timezone.localdate(),
                                                                                  "copy_from": tariff.pk}),
        "history": history_for(tariff),
    }, status=status)


@needs("insurance.view_tariff")
@require_http_methods(["GET", "POST"])
def tariff_edit_view(request, pk):
    tariff = _or_404(Tariff.objects.select_related("product__insurer", "product__line").filter(pk=pk).first(),
                     _("No existe la tarifa."))
    if request.method == "GET":
        initial = list(tariff.factors.order_by("factor", "band_from", "key").values(
            "factor", "key", "band_from", "band_to", "value"))
        return _tariff_page(request, tariff, TariffForm(instance=tariff), FactorFormSet(prefix="factors",
                                                                                         initial=initial))
    if not request.user.has_perm("insurance.change_tariff"):
        raise PermissionDenied(_("Su rol no permite modificar tarifas."))
    form = TariffForm(request.POST, instance=tariff)
    formset = FactorFormSet(request.POST, prefix="factors")
    form_ok = form.is_valid()
    factors, used = _formset_rows(formset)
    if form_ok and factors is not None:
        try:
            tariff = tariff_update(actor=request.user, tariff=tariff, data=form.business_data(), factors=factors,
                                   expected_version=form.cleaned_data.get("version"))
        except (ValidationError, DomainError) as exc:
            add_row_errors(exc, form, formset, used, "factors")
        else:
            messages.success(request, _("Tarifa guardada."))
            return redirect("insurance:tariff-edit", pk=tariff.pk)
    return _tariff_page(request, tariff, form, formset, status=400)


# --- Commission agreements ------------------------------------------------------------------------

@needs("insurance.view_commissionagreement")
@require_GET
def agreement_list_view(request):
    return _list_page(
        request, queryset=agreements_queryset(), model=CommissionAgreement,
        fields=["insurer", "product", "valid_from", "new_business_pct", "renewal_pct", "earned_on", "clawback_rule"],
        filterset_class=AgreementFilterSet, search=["insurer__name", "product__name"],
        title=_("Acuerdos de comisiones"), list_url=reverse("insurance:agreement-list"),
        url_for=lambda obj: reverse("insurance:insurer-detail", args=[obj.insurer_id]) + "#agreements",
        create_url=reverse("insurance:agreement-create"),
        can_create=request.user.has_perm("insurance.add_commissionagreement"),
    )


@needs("insurance.add_commissionagreement")
@require_http_methods(["GET", "POST"])
def agreement_create_view(request):
    if request.method == "POST":
        form = AgreementForm(request.POST)
        if form.is_valid():
            try:
                agreement = agreement_create(actor=request.user, data=form.cleaned_data)
            except (ValidationError, DomainError) as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Acuerdo de comisiones guardado: aplica desde el %s.")
                                 % agreement.valid_from.strftime("%d/%m/%Y"))
                return redirect(reverse("insurance:insurer-detail", args=[agreement.insurer_id]) + "#agreements")
        status = 400
    else:
        form = AgreementForm(initial={"insurer": request.GET.get("insurer"), "product": request.GET.get("product"),
                                      "valid_from": timezone.localdate()})
        status = 200
    return render(request, "insurance/catalog/form.html", {
        "title": _("Acuerdos de comisiones"), "heading": _("Nuevo acuerdo de comisiones"), "form": form,
        "formsets": [], "list_url": reverse("insurance:agreement-list"),
        "cancel_url": reverse("insurance:agreement-list"),
        "intro": _("Un acuerdo nuevo no sustituye a los anteriores: aplica a los recibos desde su fecha; los "
                   "anteriores conservan sus porcentajes."),
    }, status=status)


# --- Lines ----------------------------------------------------------------------------------------

@needs("insurance.view_line")
@require_GET
def line_list_view(request):
    lines = list(lines_queryset())
    return render(request, "insurance/catalog/line_list.html", {
        "title": _("Ramos"), "lines": lines, "can_edit": request.user.has_perm("insurance.change_line"),
    })


@needs("insurance.change_line")
@require_http_methods(["GET", "POST"])
def line_update_view(request, pk):
    line = _or_404(Line.objects.filter(pk=pk).first(), _("No existe el ramo."))
    form = LineForm(request.POST or None, instance=line)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                line_update(actor=request.user, line=line, data=form.business_data(),
                            expected_version=form.cleaned_data.get("version"))
            except (ValidationError, DomainError) as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Ramo «%s» guardado.") % line.name)
                return redirect("insurance:line-list")
    return render(request, "insurance/catalog/form.html", {
        "title": _("Ramos"), "heading": _("Impuestos y recargos de «%s»") % line.name, "object": line, "form": form,
        "formsets": [], "list_url": reverse("insurance:line-list"), "cancel_url": reverse("insurance:line-list"),
        "intro": _("Clase DGSFP %(cls)s. IPS 8 %% de la prima neta (exento en vida); CLEA 0,15 %% en no vida; "
                   "recargo de riesgos extraordinarios del Consorcio según la base elegida.")
        % {"cls": line.get_dgsfp_class_display()},
    }, status=status)


MENU = [
    MenuEntry(section=INSURANCE, label=_l("Compañías"), url_name="insurance:insurer-list", icon="bi-building",
              permission="insurance.view_insurer", order=60),
    MenuEntry(section=INSURANCE, label=_l("Productos"), url_name="insurance:product-list", icon="bi-box-seam",
              permission="insurance.view_product", order=61, also_active=("insurance:tariff-edit",)),
    MenuEntry(section=INSURANCE, label=_l("Acuerdos de comisiones"), url_name="insurance:agreement-list",
              icon="bi-percent", permission="insurance.view_commissionagreement", order=62),
    MenuEntry(section=INSURANCE, label=_l("Ramos"), url_name="insurance:line-list", icon="bi-diagram-3",
              permission="insurance.view_line", order=63),
]

urlpatterns = [
    path("companias/", insurer_list_view, name="insurer-list"),
    path("companias/nueva/", insurer_create_view, name="insurer-create"),
    path("companias/<int:pk>/", insurer_detail_view, name="insurer-detail"),
    path("companias/<int:pk>/editar/", insurer_update_view, name="insurer-update"),
    path("productos/", product_list_view, name="product-list"),
    path("productos/nuevo/", product_create_view, name="product-create"),
    path("productos/<int:pk>/", product_detail_view, name="product-detail"),
    path("productos/<int:pk>/editar/", product_update_view, name="product-update"),
    path("productos/<int:pk>/ipid/", product_ipid_view, name="product-ipid"),
    path("productos/<int:pk>/ipid/pdf/", product_ipid_pdf_view, name="product-ipid-pdf"),
    path("productos/<int:pk>/tarifas/nueva/", tariff_new_version_view, name="tariff-new-version"),
    path("tarifas/<int:pk>/", tariff_edit_view, name="tariff-edit"),
    path("acuerdos/", agreement_list_view, name="agreement-list"),
    path("acuerdos/nuevo/", agreement_create_view, name="agreement-create"),
    path("ramos/", line_list_view, name="line-list"),
    path("ramos/<int:pk>/editar/", line_update_view, name="line-update"),
]

registry.register_search_index({"model": Insurer, "fields": ["name", "legal_name", "tax_id", "dgsfp_code"],
                                "url_name": "insurance:insurer-detail"})
registry.register_search_index({"model": Product, "fields": ["name", "code", "insurer__name"],
                                "url_name": "insurance:product-detail"})
