"""Pages of the collections area «settlements», with insurers and with collaborators alike: the
list (filters by insurer/collaborator, state and period; sortable; totals of the filtered set;
CSV/XLSX export), «new settlement» (party and period -> a preview page with the lines and totals
-> the confirm button closes it), the settlement page (lines per receipt, totals, entry and
invoice links, PDF, mark paid). Thin: every change is one call to
apps.collections.services.settlements / collaborator_settlements.

A settlement spans every client of an insurer or collaborator: roles that see only their own
clients' collections (Comercial) do not see settlements."""
import dataclasses
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aitcore.registry import MenuEntry
from apps.audit.selectors import history_for
from apps.collections.choices import SettlementState
from apps.collections.forms.settlements import (
    CollaboratorPeriodForm, CollaboratorSettlementFilterSet, PaidForm, SettlementFilterSet, SettlementPeriodForm,
)
from apps.collections.models import CollaboratorSettlement, Settlement
from apps.collections.selectors_settlements import (
    collaborator_settlement_lines, collaborator_settlement_list_queryset, settlement_lines, settlement_list_queryset,
    settlement_pdf, settlement_pdf_filename, settlement_period_label, settlement_totals,
)
from apps.collections.services.collaborator_settlements import (
    collaborator_settlement_close, collaborator_settlement_mark_paid, collaborator_settlement_preview,
)
from apps.collections.services.settlements import settlement_close, settlement_mark_paid, settlement_preview
from apps.core.errors import DomainError
from apps.core.exports import csv_response, xlsx_response
from apps.core.tables import columns_for, display_value
from apps.insurance.forms.risk_pages import style_form
from apps.insurance.views.quotes import needs

SECTION = _l("Cobros y comisiones")
PAGE_SIZE = 25


@dataclasses.dataclass(frozen=True)
class Area:
    """What differs between insurer and collaborator settlements."""

    key: str  # URL name prefix
    model: type
    title: str
    owner: str  # "insurer" / "collaborator"
    list_fields: tuple
    money_fields: tuple
    filterset: type
    period_form: type
    queryset: Callable
    lines: Callable
    preview: Callable
    close: Callable
    mark_paid: Callable

    def perm(self, action: str) -> str:
        return f"collections.{action}_{self.model._meta.model_name}"

    def url(self, name: str, *args) -> str:
        return reverse(f"collections:{self.key}-{name}", args=args)


INSURERS = Area(
    key="settlement", model=Settlement, title=_l("Liquidaciones con compañías"), owner="insurer",
    list_fields=("number", "insurer", "period_start", "period_end", "date", "premiums_collected",
                 "commission_total", "amount_due", "state", "paid_on"),
    money_fields=("premiums_collected", "commission_total", "amount_due"),
    filterset=SettlementFilterSet, period_form=SettlementPeriodForm, queryset=settlement_list_queryset,
    lines=settlement_lines, preview=settlement_preview, close=settlement_close, mark_paid=settlement_mark_paid,
)
COLLABORATORS = Area(
    key="collaborator-settlement", model=CollaboratorSettlement, title=_l("Liquidaciones a colaboradores"),
    owner="collaborator",
    list_fields=("number", "collaborator", "period_start", "period_end", "date", "commission_total", "withholding",
                 "amount_due", "state", "paid_on"),
    money_fields=("commission_total", "withholding", "amount_due"),
    filterset=CollaboratorSettlementFilterSet, period_form=CollaboratorPeriodForm,
    queryset=collaborator_settlement_list_queryset, lines=collaborator_settlement_lines,
    preview=collaborator_settlement_preview, close=collaborator_settlement_close,
    mark_paid=collaborator_settlement_mark_paid,
)
SORTABLE = {"number", "period_start", "period_end", "date", "amount_due", "commission_total", "state"}


def _all_clients_only(request) -> None:
    from apps.identity.services.roles import user_own_only_modules

    if "collections" in user_own_only_modules(request.user):
        raise PermissionDenied(_("Las liquidaciones abarcan a todos los clientes: su rol no permite verlas."))


def _link(name: str, obj) -> str:
    if obj is None:
        return ""
    try:
        return reverse(name, args=[obj.pk])
    except NoReverseMatch:
        return ""


def _object_or_404(area: Area, pk):
    obj = area.queryset().filter(pk=pk).first()
    if obj is None:
        raise Http404(_("No existe la liquidación."))
    return obj


# --- List -----------------------------------------------------------------------------------------

def _list_view(area: Area):
    @needs(area.perm("view"))
    @require_GET
    def view(request):
        _all_clients_only(request)
        queryset = area.queryset().order_by("-period_end", "-pk")
        filterset = area.filterset(request.GET or None, queryset=queryset)
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
        order = request.GET.get("o", "")
        if order.lstrip("-") in SORTABLE:
            qs = qs.order_by(order, "-pk")
        columns = [dataclasses.replace(c, sortable=c.name in SORTABLE) for c in columns_for(area.model,
                                                                                          area.list_fields)]
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            return (csv_response if export == "csv" else xlsx_response)(qs, columns, slugify(str(area.title)))
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        sort_params = params.copy()
        sort_params.pop("o", None)
        totals = settlement_totals(qs, area.money_fields)
        return render(request, "collections/settlements/list.html", {
            "title": area.title, "area": area, "list_url": area.url("list"), "create_url": area.url("create"),
            "can_create": request.user.has_perm(area.perm("add")), "filterset": filterset, "columns": columns,
            "rows": [(area.url("detail", obj.pk), [(display_value(obj, c.name), c.numeric) for c in columns])
                     for obj in page.object_list],
            "page": page, "order": order, "querystring": params.urlencode(),
            "sort_querystring": sort_params.urlencode(), "resource": {},
            "totals": [(columns_for(area.model, [name])[0].label, totals[name]) for name in area.money_fields],
        })

    return view


# --- New settlement: form -> preview -> close -----------------------------------------------------

def _preview(area: Area, data: dict):
    return area.preview(**{area.owner: data[area.owner]}, period_start=data["period_start"],
                        period_end=data["period_end"])


LINES_PER_PAGE = 200


def _lines_context(request, lines: list) -> dict:
    """A settlement can take tens of thousands of receipts: the page shows them 200 at a time (the
    totals and the PDF cover them all)."""
    page = Paginator(lines, LINES_PER_PAGE).get_page(request.GET.get("lineas"))
    params = request.GET.copy()
    params.pop("lineas", None)
    return {"lines": page.object_list, "lines_page": page, "lines_count": len(lines),
            "lines_querystring": params.urlencode()}


def _new_page(request, area: Area, form, *, draft=None, errors=(), status=200):
    return render(request, "collections/settlements/new.html", {
        **(_lines_context(request, draft.lines) if draft else {}),
        "title": area.title, "area": area, "list_url": area.url("list"), "form": style_form(form), "draft": draft,
        "errors": errors, "is_collaborator": area is COLLABORATORS,
        "period": settlement_period_label(draft.period_start, draft.period_end) if draft else "",
        "confirm_url": area.url("create"),
    }, status=status)


def _create_view(area: Area):
    @needs(area.perm("view"), area.perm("add"))
    @require_http_methods(["GET", "POST"])
    def view(request):
        _all_clients_only(request)
        if request.method == "GET":
            if area.owner not in request.GET:
                return _new_page(request, area, area.period_form())
            form = area.period_form(request.GET)
            if not form.is_valid():
                return _new_page(request, area, form, status=400)
            try:
                draft = _preview(area, form.cleaned_data)
            except DomainError as exc:
                return _new_page(request, area, form, errors=[exc.message], status=exc.status)
            return _new_page(request, area, form, draft=draft)
        form = area.period_form(request.POST)
        if not form.is_valid():
            return _new_page(request, area, form, status=400)
        data = form.cleaned_data
        try:
            settlement = area.close(actor=request.user, **{area.owner: data[area.owner]},
                                    period_start=data["period_start"], period_end=data["period_end"],
                                    date=data["date"])
        except DomainError as exc:
            messages.error(request, exc.message)
            return _new_page(request, area, form, errors=[exc.message], status=exc.status)
        messages.success(request, _("Liquidación %s cerrada.") % settlement.number)
        return redirect(area.url("detail", settlement.pk))

    return view


# --- Settlement page -------------------------------------------------------------------------------

def _detail_view(area: Area):
    @needs(area.perm("view"))
    @require_GET
    def view(request, pk):
        _all_clients_only(request)
        obj = _object_or_404(area, pk)
        can_pay = obj.state == SettlementState.CLOSED and request.user.has_perm(area.perm("change"))
        return render(request, "collections/settlements/detail.html", {
            "title": area.title, "area": area, "object": obj, "list_url": area.url("list"),
            "is_collaborator": area is COLLABORATORS, **_lines_context(request, area.lines(obj)),
            "period": settlement_period_label(obj.period_start, obj.period_end),
            "entry_url": _link("accounting:entry-detail", obj.entry),
            "payment_entry_url": _link("accounting:entry-detail", obj.payment_entry),
            "invoice_url": _link("accounting:invoice-detail", getattr(obj, "invoice", None)),
            "pdf_url": area.url("pdf", obj.pk), "pay_url": area.url("pay", obj.pk),
            "paid_form": style_form(PaidForm()) if can_pay else None, "history": history_for(obj),
        })

    return view


def _pdf_view(area: Area):
    @needs(area.perm("view"))
    @require_GET
    def view(request, pk):
        _all_clients_only(request)
        obj = _object_or_404(area, pk)
        response = HttpResponse(settlement_pdf(obj), content_type="application/pdf")
        disposition = "attachment" if request.GET.get("download") else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{settlement_pdf_filename(obj)}"'
        return response

    return view


def _pay_view(area: Area):
    @needs(area.perm("view"), area.perm("change"))
    @require_POST
    def view(request, pk):
        _all_clients_only(request)
        obj = _object_or_404(area, pk)
        form = PaidForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Indique la fecha del pago."))
            return redirect(area.url("detail", obj.pk))
        try:
            area.mark_paid(actor=request.user, settlement=obj, date=form.cleaned_data["date"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Liquidación %s pagada.") % obj.number)
        return redirect(area.url("detail", obj.pk))

    return view


MENU = [
    MenuEntry(section=SECTION, label=INSURERS.title, url_name="collections:settlement-list", icon="bi-journal-check",
              permission="collections.view_settlement", order=60),
    MenuEntry(section=SECTION, label=COLLABORATORS.title, url_name="collections:collaborator-settlement-list",
              icon="bi-person-check", permission="collections.view_collaboratorsettlement", order=70),
]


def _patterns(prefix: str, area: Area) -> list:
    return [
        path(f"{prefix}/", _list_view(area), name=f"{area.key}-list"),
        path(f"{prefix}/nueva/", _create_view(area), name=f"{area.key}-create"),
        path(f"{prefix}/<int:pk>/", _detail_view(area), name=f"{area.key}-detail"),
        path(f"{prefix}/<int:pk>/pdf/", _pdf_view(area), name=f"{area.key}-pdf"),
        path(f"{prefix}/<int:pk>/pagar/", _pay_view(area), name=f"{area.key}-pay"),
    ]


urlpatterns = _patterns("liquidaciones", INSURERS) + _patterns("colaboradores/liquidaciones", COLLABORATORS)
