"""Pages of the collections area «receipts»: the list (filters by state, due date range, insurer,
line, collector, policy number and policyholder; sortable; totals of the filtered set above the
table; CSV/XLSX export; a capped count like the policy list) and the receipt page (amounts, period,
collector, state, movements and commission rows with their sums, audit history) with one POST per
action: collect, return, cancel. Thin: every change is one call to
apps.collections.services.receipts. A Comercial sees only its clients' receipts."""
import dataclasses

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_POST

from aitcore.registry import MenuEntry, registry
from apps.audit.selectors import history_for
from apps.collections.choices import ReceiptState
from apps.collections.filtersets import ReceiptFilterSet
from apps.collections.forms.receipts import CancelForm, CollectForm, ReturnForm
from apps.collections.models import Receipt
from apps.collections.selectors_pages import (
    RECEIPT_OWNER_FIELD, UNPAID_STATES, commission_sums, movement_sums, receipt_for_page, receipt_list_queryset,
    receipt_totals,
)
from apps.collections.services.receipts import receipt_cancel, receipt_collect, receipt_return
from apps.core.errors import DomainError
from apps.core.exports import csv_response, xlsx_response
from apps.core.templatetags.live_records import row_keys
from apps.core.tables import columns_for, display_value
from apps.insurance.forms.risk_pages import style_form
from apps.insurance.views.quotes import needs

SECTION = _l("Cobros y comisiones")
TITLE = _l("Recibos")
PAGE_SIZE = 25
COUNT_CAP = 10_000
LIST_FIELDS = ["number", "policyholder", "insurer", "line", "kind", "due_date", "total_premium", "collected_amount",
               "commission_amount", "collector", "state"]
SORTABLE = {"number", "due_date", "total_premium", "collected_amount", "commission_amount", "state"}
# Which actions each state offers (the services refuse the rest with a clear message anyway).
ACTIONS_BY_STATE = {
    ReceiptState.ISSUED: {"collect", "cancel"},
    ReceiptState.PARTIAL: {"collect", "return"},
    ReceiptState.COLLECTED: {"return"},
    ReceiptState.RETURNED: {"collect", "cancel"},
    ReceiptState.CANCELLED: set(),
}


def receipt_url(receipt) -> str:
    return reverse("collections:receipt-detail", args=[receipt.pk])


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows: on a million receipts the footer says «más de 10.000»."""

    @cached_property
    def count(self):
        return self.object_list.order_by()[:COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP


def _receipt_or_404(request, pk) -> Receipt:
    receipt = receipt_for_page(request.user, pk)
    if receipt is None:
        raise Http404(_("No existe el recibo."))
    return receipt


# --- List -----------------------------------------------------------------------------------------

def filtered_receipts(request):
    """(filterset, queryset) of the list page and its export, filters, search and sort applied."""
    queryset = receipt_list_queryset(request.user).order_by("-due_date", "-pk")
    filterset = ReceiptFilterSet(request.GET or None, queryset=queryset)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    qs = ReceiptFilterSet.search(qs, request.GET.get("q", ""))
    order = request.GET.get("o", "")
    if order.lstrip("-") in SORTABLE:
        qs = qs.order_by(order, "-pk")
    return filterset, qs


@needs("collections.view_receipt")
@require_GET
def receipt_list_view(request):
    filterset, qs = filtered_receipts(request)
    columns = [dataclasses.replace(c, sortable=c.name in SORTABLE) for c in columns_for(Receipt, LIST_FIELDS)]
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return (csv_response if export == "csv" else xlsx_response)(qs, columns, slugify(str(TITLE)))
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    sort_params = params.copy()
    sort_params.pop("o", None)
    context = {
        "title": TITLE, "list_url": reverse("collections:receipt-list"), "filterset": filterset, "columns": columns,
        "rows": [(receipt_url(obj), [(display_value(obj, c.name), c.numeric) for c in columns])
                 for obj in page.object_list],
        "page": page, "query": request.GET.get("q", "").strip(), "order": request.GET.get("o", ""),
        "querystring": params.urlencode(), "sort_querystring": sort_params.urlencode(),
        "resource": {"search_fields": ["number", "policyholder"]}, "count_cap": COUNT_CAP,
        "totals": receipt_totals(qs),
        # The table body follows the rows shown and refreshes the totals with them (live-record.js).
        "live_keys": row_keys(page.object_list), "live_also": "receipt-totals",
    }
    template = "collections/receipts/list.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "receipt-results":
        template = "collections/receipts/_results.html"
    return render(request, template, context)


# --- Receipt page ----------------------------------------------------------------------------------

def allowed_actions(receipt, user) -> set[str]:
    if not user.has_perm("collections.change_receipt"):
        return set()
    return set(ACTIONS_BY_STATE.get(ReceiptState(receipt.state), set()))


def _page(request, receipt, *, forms=None, status=200):
    can = allowed_actions(receipt, request.user)
    forms = forms or {}
    movements = list(receipt.movements.all())
    commission_rows = list(receipt.commission_movements.all())
    context = {
        "title": TITLE, "object": receipt, "list_url": reverse("collections:receipt-list"), "can": can,
        "movements": movements, "movement_sums": movement_sums(movements),
        "commission_rows": commission_rows, "commission": commission_sums(commission_rows),
        "history": history_for(receipt), "outstanding": receipt.outstanding if receipt.state in UNPAID_STATES else None,
        "collect_form": style_form(forms.get("collect") or CollectForm(
            initial={"amount": receipt.outstanding, "date": timezone.localdate()})) if "collect" in can else None,
        "return_form": style_form(forms.get("return") or ReturnForm()) if "return" in can else None,
        "cancel_form": style_form(forms.get("cancel") or CancelForm()) if "cancel" in can else None,
    }
    return render(request, "collections/receipts/detail.html", context, status=status)


@needs("collections.view_receipt")
@require_GET
def receipt_detail_view(request, pk):
    return _page(request, _receipt_or_404(request, pk))


def _action_view(form_class, name: str, call, success):
    """POST of one action: form errors and DomainError come back on the page (status 400/409) with
    what the user typed; success redirects to the receipt with a message."""

    @needs("collections.view_receipt", "collections.change_receipt")
    @require_POST
    def view(request, pk):
        receipt = _receipt_or_404(request, pk)
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, _("Revise los datos del formulario."))
            return _page(request, receipt, forms={name: form}, status=400)
        try:
            call(request.user, receipt, form)
        except DomainError as exc:
            if exc.field in form.fields:
                form.add_error(exc.field, exc.message)
            else:
                form.add_error(None, exc.message)
            messages.error(request, exc.message)
            return _page(request, _receipt_or_404(request, pk), forms={name: form}, status=exc.status)
        messages.success(request, success % receipt.number)
        return redirect(receipt_url(receipt))

    return view


def _collect(actor, receipt, form):
    data = form.cleaned_data
    return receipt_collect(actor=actor, receipt=receipt, date=data["date"], amount=data["amount"],
                           channel=data["channel"])


def _return(actor, receipt, form):
    return receipt_return(actor=actor, receipt=receipt, date=form.cleaned_data["date"], reason=form.reason)


def _cancel(actor, receipt, form):
    data = form.cleaned_data
    return receipt_cancel(actor=actor, receipt=receipt, date=data["date"], reason=data["reason"])


receipt_collect_view = _action_view(CollectForm, "collect", _collect, _l("Cobro registrado en el recibo %s."))
receipt_return_view = _action_view(ReturnForm, "return", _return, _l("Devolución registrada en el recibo %s."))
receipt_cancel_view = _action_view(CancelForm, "cancel", _cancel, _l("Recibo %s anulado."))


registry.register_search_index({"model": Receipt, "fields": ["number", "insurer_number", "policyholder__display_name"],
                                "url_name": "collections:receipt-detail", "owner_field": RECEIPT_OWNER_FIELD})

MENU = [
    MenuEntry(section=SECTION, label=TITLE, url_name="collections:receipt-list", icon="bi-receipt",
              permission="collections.view_receipt", order=40),
]

urlpatterns = [
    path("", receipt_list_view, name="receipt-list"),
    path("<int:pk>/", receipt_detail_view, name="receipt-detail"),
    path("<int:pk>/cobrar/", receipt_collect_view, name="receipt-collect"),
    path("<int:pk>/devolver/", receipt_return_view, name="receipt-return"),
    path("<int:pk>/anular/", receipt_cancel_view, name="receipt-cancel"),
]
