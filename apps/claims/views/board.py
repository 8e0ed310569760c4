"""The claims board (/siniestros/: a column per open state with its count and latest 20 cards,
links to the closed states and the user's overdue tasks) and the list (filters by
state, insurer, line, handler, cause, loss date range; search by claim or policy number and
policyholder; sortable; CSV/XLSX export; capped count; reserve/paid totals). Both keep a fixed
number of queries whatever the number of claims. A Comercial sees only its clients' claims."""
import dataclasses

from django.shortcuts import render
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET

from aitcore.registry import MenuEntry
from apps.claims.choices import OPEN_STATES, ClaimState
from apps.claims.filtersets import ClaimFilterSet
from apps.claims.models import Claim
from apps.claims.selectors import claim_board, claim_list_queryset, claim_totals, overdue_tasks
from apps.claims.views import _common
from apps.claims.views._common import SECTION, CappedPaginator, claim_url, needs
from apps.core.exports import csv_response, xlsx_response
from apps.core.templatetags.live_records import row_keys
from apps.core.tables import columns_for, display_value

TITLE = _l("Siniestros")
LIST_TITLE = _l("Lista de siniestros")
PAGE_SIZE = 25
LIST_FIELDS = ["number", "policy", "policyholder", "insurer", "line", "state", "cause", "loss_date",
               "reported_date", "handler", "reserve", "paid_total"]
SORTABLE = {"number", "loss_date", "reported_date", "state", "reserve", "paid_total"}
CLOSED_STATES = [state for state in ClaimState.values if state not in OPEN_STATES]


@needs("claims.view_claim")
@require_GET
def claim_board_view(request):
    board = claim_board(request.user)
    closed = [(state, ClaimState(state).label) for state in CLOSED_STATES]
    late = list(overdue_tasks(assignee=request.user)[:10])
    return render(request, "claims/board.html", {
        "title": TITLE, "board": board, "closed": closed, "late_tasks": late,
        "list_url": reverse("claims:claim-list"), "create_url": reverse("claims:claim-create"),
        "can_create": request.user.has_perm("claims.add_claim")})


def _rows(page, columns):
    return [(claim_url(obj), [(display_value(obj, c.name), c.numeric) for c in columns]) for obj in page.object_list]


@needs("claims.view_claim")
@require_GET
def claim_list_view(request):
    queryset = claim_list_queryset(request.user).order_by("-reported_date", "-pk")
    filterset = ClaimFilterSet(request.GET or None, queryset=queryset)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    query = request.GET.get("q", "").strip()
    if query:
        qs = ClaimFilterSet.search(qs, query)
    columns = [dataclasses.replace(c, sortable=c.name in SORTABLE) for c in columns_for(Claim, LIST_FIELDS)]
    order = request.GET.get("o", "")
    if order.lstrip("-") in SORTABLE:
        qs = qs.order_by(order, "-pk")
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return (csv_response if export == "csv" else xlsx_response)(qs, columns, slugify(str(TITLE)))
    page = CappedPaginator(qs, PAGE_SIZE, cap=_common.COUNT_CAP).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    sort_params = params.copy()
    sort_params.pop("o", None)
    context = {
        "title": LIST_TITLE, "list_url": reverse("claims:claim-list"), "board_url": reverse("claims:board"),
        "create_url": reverse("claims:claim-create"), "can_create": request.user.has_perm("claims.add_claim"),
        "filterset": filterset, "columns": columns, "rows": _rows(page, columns), "page": page, "query": query,
        "order": order, "querystring": params.urlencode(), "sort_querystring": sort_params.urlencode(),
        "resource": {"search_fields": ["number", "policy", "policyholder"]}, "count_cap": _common.COUNT_CAP,
        "totals": claim_totals(qs),
        # The table body follows the rows shown and refreshes the totals with them (live-record.js).
        "live_keys": row_keys(page.object_list), "live_also": "claim-totals",
    }
    template = "claims/list.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "record-table":
        template = "claims/_table.html"
    return render(request, template, context)


MENU = [
    MenuEntry(section=SECTION, label=_l("Tablero de siniestros"), url_name="claims:board", icon="bi-kanban",
              permission="claims.view_claim", order=60),
    MenuEntry(section=SECTION, label=LIST_TITLE, url_name="claims:claim-list", icon="bi-list-ul",
              permission="claims.view_claim", order=61),
]

urlpatterns = [
    path("", claim_board_view, name="board"),
    path("lista/", claim_list_view, name="claim-list"),
]
