"""Pages of the accounting area «entries»: the list of asientos (filters, export), one entry with its
apuntes and the post/reverse/delete buttons, the manual entry form; journals through the generic
Resource pages. Every change goes through apps.accounting.services.posting. MENU entries are
registered by apps.accounting.navigation."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods

from aitcore.registry import MenuEntry, registry
from apps.accounting.choices import EntryKind, EntryState
from apps.accounting.filtersets import EntryFilterSet
from apps.accounting.forms.chart import ReverseForm
from apps.accounting.forms.entries import (
    ADD_ROWS, EntryForm, add_entry_errors, formset_totals, line_formset,
)
from apps.accounting.models import Entry, Journal
from apps.accounting.services.posting import (
    entry_draft_delete, entry_draft_update, entry_post, entry_post_draft, entry_reverse,
)
from apps.accounting.views.guards import confirm_page, needs
from apps.audit.selectors import history_for
from apps.core.errors import DomainError
from apps.core.exports import csv_response, xlsx_response
from apps.core.forms import add_service_errors
from apps.core.resources import Resource
from apps.core.tables import columns_for, display_value

ACCOUNTING = _l("Contabilidad")
LIST_FIELDS = ["number", "date", "journal", "description", "total", "kind", "state"]
EXPORT_FIELDS = ["fiscal_year", *LIST_FIELDS, "source"]
PAGE_SIZE = 25

JOURNALS = Resource(
    model=Journal, section=ACCOUNTING, icon="bi-journals", list_fields=["code", "name", "kind", "is_active"],
    search_fields=["code", "name"], filter_fields=["kind", "is_active"], form_fields=["name", "kind", "is_active"],
    detail_fields=["code", "name", "kind", "is_active"], default_ordering=("code",),
    can_create=False, can_delete=False, menu_order=14,
)
registry.register_resource(JOURNALS)


def entry_url(entry) -> str:
    return reverse("accounting:entry-detail", args=[entry.pk])


def _entry_or_404(pk, queryset=None) -> Entry:
    if queryset is None:
        queryset = Entry.objects.select_related("fiscal_year", "journal")
    entry = queryset.filter(pk=pk).first()
    if entry is None:
        raise Http404(_("No existe el asiento."))
    return entry


def _search(queryset, query: str):
    condition = Q(description__icontains=query)
    if query.isdigit():
        condition |= Q(number=int(query))
    return queryset.filter(condition)


@needs("accounting.view_entry")
@require_GET
def entry_list_view(request):
    queryset = Entry.objects.select_related("fiscal_year", "journal").order_by("-date", "-number", "-pk")
    filterset = EntryFilterSet(request.GET or None, queryset=queryset, request=request)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    query = request.GET.get("q", "").strip()
    if query:
        qs = _search(qs, query)
    columns = columns_for(Entry, LIST_FIELDS)
    order = request.GET.get("o", "")
    if order.lstrip("-") in {c.name for c in columns if c.sortable}:
        qs = qs.order_by(order, "-pk")
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return (csv_response if export == "csv" else xlsx_response)(qs, columns_for(Entry, EXPORT_FIELDS),
                                                                    slugify(_("asientos")))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    # The first column reads «2026/15» (or «Borrador #7»): the number with its fiscal year.
    rows = [(entry_url(obj), [(str(obj), False)] + [(display_value(obj, c.name), c.numeric) for c in columns[1:]])
            for obj in page.object_list]
    params = request.GET.copy()
    params.pop("page", None)
    sort_params = params.copy()
    sort_params.pop("o", None)
    context = {
        "title": _("Asientos"), "list_url": reverse("accounting:entry-list"),
        "create_url": reverse("accounting:entry-create"), "can_create": request.user.has_perm("accounting.add_entry"),
        "filterset": filterset, "columns": columns, "rows": rows, "page": page, "query": query, "order": order,
        "querystring": params.urlencode(), "sort_querystring": sort_params.urlencode(),
        "resource": {"search_fields": ["description"]},
    }
    template = "accounting/entries/list.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "record-table":
        template = "core/generic/_table.html"
    return render(request, template, context)


def _related(entry, name):
    try:
        return getattr(entry, name)
    except Entry.DoesNotExist:
        return None


@needs("accounting.view_entry")
@require_GET
def entry_detail_view(request, pk):
    entry = _entry_or_404(pk, Entry.objects.select_related(
        "fiscal_year", "period", "journal", "posted_by", "created_by", "reversal_of__fiscal_year",
        "reversed_by__fiscal_year"))
    lines = list(entry.lines.select_related("account", "party", "tax", "insurer").order_by("line_no"))
    reversed_by = _related(entry, "reversed_by")
    user = request.user
    is_draft = entry.state == EntryState.DRAFT
    return render(request, "accounting/entries/detail.html", {
        "title": _("Asientos"), "object": entry, "lines": lines, "list_url": reverse("accounting:entry-list"),
        "debit_total": sum((line.debit for line in lines), 0), "credit_total": sum((line.credit for line in lines), 0),
        "reversal_of": entry.reversal_of, "reversed_by": reversed_by, "history": history_for(entry),
        "record_panels": registry.panels_for("accounting.entry", entry, request),
        "can_post": is_draft and user.has_perm("accounting.change_entry"),
        "can_edit": is_draft and user.has_perm("accounting.change_entry"),
        "can_delete": is_draft and user.has_perm("accounting.delete_entry"),
        "can_reverse": (not is_draft and reversed_by is None and entry.kind != EntryKind.REVERSAL
                        and user.has_perm("accounting.add_entry")),
        "account_urls": {line.account.code: reverse("accounting:account-detail", args=[line.account.code])
                         for line in lines},
    })


def _unbound_copy(data):
    """The same rows as blank, unvalidated forms (for «Añadir filas» without showing errors yet)."""
    from apps.accounting.forms.entries import EntryLineFormSet

    total = int(data.get("lines-TOTAL_FORMS") or 0)
    initial = [{name: data.get(f"lines-{i}-{name}", "") for name in ("account", "party", "description", "debit",
                                                                         "credit")} for i in range(total)]
    formset = EntryLineFormSet(initial=initial, prefix="lines")
    formset.extra = ADD_ROWS
    form = EntryForm(initial={name: data.get(name, "") for name in ("date", "journal", "description")})
    return form, formset


def _entry_form_page(request, form, formset, *, entry=None, status=200):
    return render(request, "accounting/entries/form.html", {
        "title": _("Asientos"), "form": form, "formset": formset, "object": entry,
        "totals": formset_totals(formset), "service_errors": getattr(formset, "service_errors", []),
        "list_url": reverse("accounting:entry-list"), "cancel_url": entry_url(entry) if entry else
        reverse("accounting:entry-list"), "can_post": request.user.has_perm("accounting.change_entry"),
    }, status=status)


def _save_entry(request, form, formset, entry=None):
    """Runs the service; returns the saved entry or None (errors left on the forms)."""
    if not (form.is_valid() & formset.is_valid()):
        return None
    specs, row_forms = formset.line_specs()
    data = form.cleaned_data
    post_now = request.POST.get("save") == "post"
    try:
        with transaction.atomic():
            if entry is None:
                return entry_post(actor=request.user, date=data["date"], description=data["description"],
                                  lines=specs, journal=data["journal"], draft=not post_now)
            entry = entry_draft_update(actor=request.user, entry=entry, date=data["date"],
                                       description=data["description"], lines=specs, journal=data["journal"])
            return entry_post_draft(actor=request.user, entry=entry) if post_now else entry
    except DomainError as exc:
        add_entry_errors(exc, form, formset, row_forms)
        return None


def _saved_message(request, entry):
    if entry.state == EntryState.POSTED:
        messages.success(request, _("Asiento %s contabilizado.") % entry)
    else:
        messages.success(request, _("Borrador guardado; contabilícelo cuando esté completo."))


@needs("accounting.add_entry")
@require_http_methods(["GET", "POST"])
def entry_create_view(request):
    if request.method == "GET":
        journal = request.GET.get("journal") or "GEN"
        form = EntryForm(initial={"date": timezone.localdate(), "journal": journal})
        return _entry_form_page(request, form, line_formset())
    if request.POST.get("save") == "post" and not request.user.has_perm("accounting.change_entry"):
        messages.error(request, _("Su rol no permite contabilizar asientos; guárdelo como borrador."))
        return _entry_form_page(request, *_unbound_copy(request.POST), status=403)
    if "add_rows" in request.POST:
        return _entry_form_page(request, *_unbound_copy(request.POST))
    form, formset = EntryForm(request.POST), line_formset(request.POST)
    entry = _save_entry(request, form, formset)
    if entry is None:
        return _entry_form_page(request, form, formset, status=400)
    _saved_message(request, entry)
    return redirect(entry_url(entry))


@needs("accounting.change_entry")
@require_http_methods(["GET", "POST"])
def entry_update_view(request, pk):
    entry = _entry_or_404(pk)
    if entry.state != EntryState.DRAFT:
        messages.error(request, _("El asiento %s está contabilizado: no se modifica, se anula con otro asiento.") % entry)
        return redirect(entry_url(entry))
    if request.method == "GET":
        form = EntryForm(initial={"date": entry.date, "journal": entry.journal.code, "description": entry.description})
        return _entry_form_page(request, form, line_formset(entry=entry), entry=entry)
    if "add_rows" in request.POST:
        return _entry_form_page(request, *_unbound_copy(request.POST), entry=entry)
    form, formset = EntryForm(request.POST), line_formset(request.POST)
    saved = _save_entry(request, form, formset, entry=entry)
    if saved is None:
        return _entry_form_page(request, form, formset, entry=entry, status=400)
    _saved_message(request, saved)
    return redirect(entry_url(saved))


def _crumbs(entry):
    return [(reverse("accounting:entry-list"), _("Asientos")), (entry_url(entry), str(entry))]


@needs("accounting.change_entry")
@require_http_methods(["GET", "POST"])
def entry_post_view(request, pk):
    entry = _entry_or_404(pk)
    if request.method == "POST":
        try:
            entry = entry_post_draft(actor=request.user, entry=entry)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Asiento %s contabilizado.") % entry)
        return redirect(entry_url(entry))
    return confirm_page(
        request, title=_("Asientos"), cancel_url=entry_url(entry), breadcrumbs=_crumbs(entry),
        heading=_("Contabilizar el borrador"), button=_("Sí, contabilizar"), icon="bi-check2-square",
        message=_("El asiento recibirá el siguiente número del ejercicio %s y ya no se podrá modificar ni borrar, "
                  "solo anular.") % entry.fiscal_year.name)


@needs("accounting.add_entry")
@require_http_methods(["GET", "POST"])
def entry_reverse_view(request, pk):
    entry = _entry_or_404(pk)
    form = ReverseForm(request.POST or None, initial={"date": max(entry.date, min(timezone.localdate(),
                                                                               entry.fiscal_year.end_date))})
    if request.method == "POST" and form.is_valid():
        try:
            mirror = entry_reverse(actor=request.user, entry=entry, date=form.cleaned_data["date"],
                                   description=form.cleaned_data["description"])
        except DomainError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Asiento %(entry)s anulado con el asiento %(mirror)s.")
                             % {"entry": entry, "mirror": mirror})
            return redirect(entry_url(mirror))
    return confirm_page(
        request, title=_("Asientos"), cancel_url=entry_url(entry), breadcrumbs=_crumbs(entry), form=form,
        heading=_("Anular el asiento %s") % entry, button=_("Sí, anular"), danger=True, icon="bi-arrow-counterclockwise",
        message=_("Se contabilizará un asiento espejo (debe y haber intercambiados) que deja a cero el efecto de "
                  "«%s». El original no se modifica.") % entry.description,
        status=400 if form.errors else 200)


@needs("accounting.delete_entry")
@require_http_methods(["GET", "POST"])
def entry_delete_view(request, pk):
    entry = _entry_or_404(pk)
    if entry.state != EntryState.DRAFT:
        messages.error(request, _("El asiento %s está contabilizado: no se modifica ni se borra, se anula con otro "
                                  "asiento.") % entry)
        return redirect(entry_url(entry))
    if request.method == "POST":
        try:
            entry_draft_delete(actor=request.user, entry=entry)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(entry_url(entry))
        messages.success(request, _("Borrador eliminado."))
        return redirect("accounting:entry-list")
    return confirm_page(
        request, title=_("Asientos"), cancel_url=entry_url(entry), breadcrumbs=_crumbs(entry), danger=True,
        heading=_("Borrar el borrador"), button=_("Sí, borrar"), icon="bi-trash",
        message=_("Se borrará el borrador «%s» con sus apuntes. Quedará constancia en la auditoría.")
        % entry.description)


MENU = [
    MenuEntry(ACCOUNTING, _l("Asientos"), "accounting:entry-list", "bi-journal-text", "accounting.view_entry", 11),
]
urlpatterns = [
    path("asientos/", entry_list_view, name="entry-list"),
    path("asientos/nuevo/", entry_create_view, name="entry-create"),
    path("asientos/<int:pk>/", entry_detail_view, name="entry-detail"),
    path("asientos/<int:pk>/editar/", entry_update_view, name="entry-update"),
    path("asientos/<int:pk>/contabilizar/", entry_post_view, name="entry-post"),
    path("asientos/<int:pk>/anular/", entry_reverse_view, name="entry-reverse"),
    path("asientos/<int:pk>/borrar/", entry_delete_view, name="entry-delete"),
]
