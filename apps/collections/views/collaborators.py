"""Pages of the collections area «collaborators»: the list (kind, active, search; CSV/XLSX), the
collaborator page (its shares on policies, its commission rows with their sums), create and edit
(the party picker is the policy's client picker, searched by htmx). Thin: changes go through
apps.collections.services.collaborators. A Comercial sees the commission rows of its clients only."""
import dataclasses

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods

from aitcore.registry import MenuEntry
from apps.audit.selectors import history_for
from apps.collections.filtersets import CollaboratorFilterSet
from apps.collections.forms.collaborators import CollaboratorForm
from apps.collections.models import Collaborator
from apps.collections.selectors_pages import collaborator_for_page, collaborator_ledger, collaborator_list_queryset
from apps.collections.services.collaborators import collaborator_create, collaborator_update
from apps.collections.views.receipts import SECTION
from apps.core.errors import DomainError
from apps.core.exports import csv_response, xlsx_response
from apps.core.tables import columns_for, display_value
from apps.crm.selectors_pipeline import party_search
from apps.insurance.forms.risk_pages import style_form
from apps.insurance.views.quotes import needs

TITLE = _l("Colaboradores")
PAGE_SIZE = 25
LIST_FIELDS = ["code", "party", "kind", "default_share_pct", "withholding_pct", "dgsfp_code", "is_active"]
SORTABLE = {"code", "kind", "default_share_pct"}


def collaborator_url(collaborator) -> str:
    return reverse("collections:collaborator-detail", args=[collaborator.pk])


@needs("collections.view_collaborator")
@require_GET
def collaborator_list_view(request):
    queryset = collaborator_list_queryset().order_by("code")
    filterset = CollaboratorFilterSet(request.GET or None, queryset=queryset)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    query = request.GET.get("q", "").strip()
    qs = CollaboratorFilterSet.search(qs, query)
    order = request.GET.get("o", "")
    if order.lstrip("-") in SORTABLE:
        qs = qs.order_by(order, "pk")
    columns = [dataclasses.replace(c, sortable=c.name in SORTABLE) for c in columns_for(Collaborator, LIST_FIELDS)]
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return (csv_response if export == "csv" else xlsx_response)(qs, columns, slugify(str(TITLE)))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    sort_params = params.copy()
    sort_params.pop("o", None)
    context = {
        "title": TITLE, "list_url": reverse("collections:collaborator-list"),
        "create_url": reverse("collections:collaborator-create"),
        "can_create": request.user.has_perm("collections.add_collaborator"), "filterset": filterset,
        "columns": columns, "page": page, "query": query, "order": order,
        "rows": [(collaborator_url(obj), [(display_value(obj, c.name), c.numeric) for c in columns])
                 for obj in page.object_list],
        "querystring": params.urlencode(), "sort_querystring": sort_params.urlencode(),
        "resource": {"search_fields": ["code", "party"]}, "list_wrapper_id": "collaborator-list",
    }
    template = "core/generic/list.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "record-table":
        template = "core/generic/_table.html"
    return render(request, template, context)


def _collaborator_or_404(pk) -> Collaborator:
    collaborator = collaborator_for_page(pk)
    if collaborator is None:
        raise Http404(_("No existe el colaborador."))
    return collaborator


@needs("collections.view_collaborator")
@require_GET
def collaborator_detail_view(request, pk):
    collaborator = _collaborator_or_404(pk)
    rows, sums = collaborator_ledger(collaborator, request.user)
    return render(request, "collections/collaborators/detail.html", {
        "title": TITLE, "object": collaborator, "list_url": reverse("collections:collaborator-list"),
        "shares": list(collaborator.shares.all()), "rows": rows, "sums": sums, "history": history_for(collaborator),
        "can_change": request.user.has_perm("collections.change_collaborator")})


def _form_page(request, form, *, collaborator=None, status=200):
    style_form(form)
    return render(request, "collections/collaborators/form.html", {
        "title": _("Editar colaborador") if collaborator else _("Nuevo colaborador"), "form": form,
        "object": collaborator, "list_url": reverse("collections:collaborator-list"),
        "options_url": reverse("collections:collaborator-party-options")}, status=status)


def _save(request, form, save, collaborator=None):
    if not form.is_valid():
        return _form_page(request, form, collaborator=collaborator, status=400)
    try:
        saved = save(form)
    except DomainError as exc:
        if exc.field in form.fields and not form.fields[exc.field].widget.is_hidden:
            form.add_error(exc.field, exc.message)
        else:
            form.add_error(None, exc.message)
        return _form_page(request, form, collaborator=collaborator, status=exc.status if exc.status >= 400 else 400)
    messages.success(request, _("Colaborador %s guardado.") % saved.code)
    return redirect(collaborator_url(saved))


@needs("collections.add_collaborator")
@require_http_methods(["GET", "POST"])
def collaborator_create_view(request):
    if request.method == "GET":
        initial = {"party": request.GET.get("party", ""), "is_active": True}
        return _form_page(request, CollaboratorForm(user=request.user, initial=initial))
    form = CollaboratorForm(request.POST, user=request.user)
    return _save(request, form, lambda f: collaborator_create(actor=request.user, data=f.data_for_service))


@needs("collections.change_collaborator")
@require_http_methods(["GET", "POST"])
def collaborator_update_view(request, pk):
    collaborator = _collaborator_or_404(pk)
    if request.method == "GET":
        return _form_page(request, CollaboratorForm(user=request.user, instance=collaborator), collaborator=collaborator)
    form = CollaboratorForm(request.POST, user=request.user, instance=collaborator)
    return _save(request, form, lambda f: collaborator_update(
        actor=request.user, collaborator=collaborator, data=f.data_for_service,
        expected_version=f.cleaned_data.get("version")), collaborator)


@needs("collections.add_collaborator")
@require_GET
def collaborator_party_options_view(request):
    """<option>s of the parties matching ?q= (the party select's search box, via htmx)."""
    parties = party_search(request.user, request.GET.get("q", ""))
    return render(request, "crm/pipeline/_party_options.html", {"parties": parties, "query": request.GET.get("q", "")})


MENU = [
    MenuEntry(section=SECTION, label=TITLE, url_name="collections:collaborator-list", icon="bi-people",
              permission="collections.view_collaborator", order=60),
]

urlpatterns = [
    path("colaboradores/", collaborator_list_view, name="collaborator-list"),
    path("colaboradores/nuevo/", collaborator_create_view, name="collaborator-create"),
    path("colaboradores/terceros/", collaborator_party_options_view, name="collaborator-party-options"),
    path("colaboradores/<int:pk>/", collaborator_detail_view, name="collaborator-detail"),
    path("colaboradores/<int:pk>/editar/", collaborator_update_view, name="collaborator-update"),
]
