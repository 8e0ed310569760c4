"""Pages of the bank statements (extractos Norma 43) and their reconciliation: /tesoreria/extractos/
lists the statements with the import form; a statement's page shows its movements by state with the
confirm/undo buttons; /tesoreria/extractos/pendientes/ lists what is not reconciled yet (search, amount,
state, CSV/XLSX export, totals) with a manual reconciliation form per movement (any registered target kind,
found by its number). Thin: every change is one
call to apps.treasury.services.norma43 / reconciliation."""
from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_POST

from aitcore.registry import MenuEntry
from apps.core.errors import DomainError
from apps.core.exports import csv_response, xlsx_response
from apps.core.tables import Column
from apps.insurance.forms.risk_pages import style_form
from apps.insurance.views.quotes import needs
from apps.treasury.choices import StatementLineState
from apps.treasury.models import Reconciliation, Statement, StatementLine
from apps.treasury.selectors_statements import (
    lines_totals, parse_amount, statement_lines, statements_list, unreconciled_lines,
)
from apps.treasury.services.norma43 import statement_import
from apps.treasury.services.reconciliation import (
    reconcile_auto, reconcile_confirm, reconcile_manual, reconcile_undo,
)
from apps.treasury.services.reconciliation_targets import kind_named, kinds

SECTION = _l("Tesorería")
TITLE = _l("Extractos bancarios")
VIEW, IMPORT, RECONCILE = "treasury.view_statement", "treasury.add_statement", "treasury.change_statementline"
PAGE_SIZE = 50
MAX_FILE = 5 * 1024 * 1024
EXPORT_COLUMNS = [("operation_date", _l("Fecha"), False), ("value_date", _l("Fecha valor"), False),
                  ("description", _l("Concepto"), False), ("reference1", _l("Referencia 1"), False),
                  ("reference2", _l("Referencia 2"), False), ("state", _l("Estado"), False),
                  ("amount", _l("Importe"), True)]


class ImportForm(forms.Form):
    file = forms.FileField(label=_l("Fichero Norma 43 del banco"))


class UnreconciledFilterForm(forms.Form):
    q = forms.CharField(label=_l("Buscar"), required=False)
    importe = forms.CharField(label=_l("Importe"), required=False)
    estado = forms.ChoiceField(label=_l("Estado"), required=False, choices=[
        ("", "—"), (StatementLineState.PENDING, StatementLineState.PENDING.label),
        (StatementLineState.PROPOSED, StatementLineState.PROPOSED.label)])


def target_choices() -> list:
    """The registered target kinds (remittance, transfer order, receipt, settlement, invoice, ...)."""
    return [(kind.key, kind.label) for kind in kinds()]


class ManualForm(forms.Form):
    target_type = forms.ChoiceField(label=_l("Tipo"), choices=target_choices)
    number = forms.CharField(label=_l("Número"), max_length=60)


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@needs(VIEW)
@require_GET
def statement_list_view(request):
    page = Paginator(statements_list().order_by("-end_date", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "treasury/statements/list.html", {
        "title": TITLE, "page": page, "form": style_form(ImportForm()), "can_import": request.user.has_perm(IMPORT),
        "can_reconcile": request.user.has_perm(RECONCILE)})


@needs(VIEW, IMPORT)
@require_POST
def statement_import_view(request):
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Elija el fichero Norma 43 que ha enviado el banco."))
        return redirect(reverse("treasury:statement-list"))
    upload = form.cleaned_data["file"]
    if upload.size > MAX_FILE:
        messages.error(request, _("El fichero supera los 5 MB."))
        return redirect(reverse("treasury:statement-list"))
    try:
        result = statement_import(actor=request.user, data=upload.read(), file_name=upload.name)
    except DomainError as exc:
        messages.error(request, _("No se ha importado %(file)s: %(error)s") % {"file": upload.name,
                                                                              "error": exc.message})
        return redirect(reverse("treasury:statement-list"))
    if result.duplicate:
        messages.warning(request, _("El fichero %s ya estaba importado: no se ha añadido nada.") % upload.name)
        return redirect(reverse("treasury:statement-list"))
    messages.success(request, _("Extracto importado: %(n)d movimientos nuevos, %(s)d ya importados antes.") % {
        "n": result.created, "s": result.skipped})
    return redirect(reverse("treasury:statement-detail", args=[result.statements[0].pk]))


@needs(VIEW)
@require_GET
def statement_detail_view(request, pk):
    statement = get_object_or_404(statements_list(), pk=pk)
    groups = statement_lines(statement)
    sections = [(state, label, groups[state]) for state, label in StatementLineState.choices]
    return render(request, "treasury/statements/detail.html", {
        "title": str(statement), "statement": statement, "sections": sections,
        "can_reconcile": request.user.has_perm(RECONCILE), "here": request.get_full_path()})


@needs(VIEW)
@require_GET
def unreconciled_view(request):
    form = style_form(UnreconciledFilterForm(request.GET or None))
    data = form.cleaned_data if form.is_valid() else {}
    amount_text = data.get("importe", "")
    amount = parse_amount(amount_text)
    if amount_text and amount is None:
        form.add_error("importe", _("Escriba un importe, por ejemplo 1.500,00."))
    queryset = unreconciled_lines(search=data.get("q", ""), amount=amount, state=data.get("estado", ""))
    queryset = queryset.order_by("operation_date", "pk")
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        columns = [Column(name, str(label), False, numeric) for name, label, numeric in EXPORT_COLUMNS]
        return (csv_response if fmt == "csv" else xlsx_response)(queryset, columns, "movimientos-sin-conciliar")
    totals = lines_totals(queryset)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    for key in ("export", "page"):
        querystring.pop(key, None)
    return render(request, "treasury/statements/unreconciled.html", {
        "title": _("Movimientos sin conciliar"), "filter_form": form, "page": page, "totals": totals,
        "querystring": querystring.urlencode(), "can_reconcile": request.user.has_perm(RECONCILE),
        "target_choices": target_choices(), "here": request.get_full_path()})


@needs(VIEW, RECONCILE)
@require_POST
def reconcile_auto_view(request):
    statement = Statement.objects.filter(pk=request.POST.get("statement") or 0).first()
    lines = list(statement.lines.values_list("pk", flat=True)) if statement else None
    try:
        summary = reconcile_auto(actor=request.user, lines=lines)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Conciliados: %(r)d · propuestos: %(p)d · pendientes: %(n)d.") % {
            "r": summary.reconciled, "p": summary.proposed, "n": summary.pending})
    return _back(request, reverse("treasury:statement-unreconciled"))


def _on_reconciliation(request, pk, call, success: str):
    reconciliation = get_object_or_404(Reconciliation.objects.select_related("line"), pk=pk)
    try:
        call(reconciliation)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return _back(request, reverse("treasury:statement-detail", args=[reconciliation.line.statement_id]))


@needs(VIEW, RECONCILE)
@require_POST
def reconciliation_confirm_view(request, pk):
    return _on_reconciliation(request, pk, lambda r: reconcile_confirm(actor=request.user, reconciliation=r),
                              _("Conciliación confirmada."))


@needs(VIEW, RECONCILE)
@require_POST
def reconciliation_undo_view(request, pk):
    return _on_reconciliation(request, pk, lambda r: reconcile_undo(actor=request.user, reconciliation=r),
                              _("Conciliación deshecha: el movimiento vuelve a pendiente."))


@needs(VIEW, RECONCILE)
@require_POST
def line_reconcile_view(request, pk):
    line = get_object_or_404(StatementLine, pk=pk)
    form = ManualForm(request.POST)
    fallback = reverse("treasury:statement-unreconciled")
    if not form.is_valid():
        messages.error(request, _("Indique el tipo y el número con el que se concilia."))
        return _back(request, fallback)
    kind = kind_named(form.cleaned_data["target_type"])
    target = kind.find(form.cleaned_data["number"].strip(), line)
    if target is None:
        messages.error(request, _("No existe %(kind)s con número %(number)s.") % {
            "kind": str(kind.label).lower(), "number": form.cleaned_data["number"]})
        return _back(request, fallback)
    try:
        reconcile_manual(actor=request.user, line=line, target=target)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Movimiento conciliado con %s.") % target)
    return _back(request, fallback)


MENU = [
    MenuEntry(section=SECTION, label=TITLE, url_name="treasury:statement-list", icon="bi-bank",
              permission=VIEW, order=50, also_active=("treasury:statement-detail",)),
    MenuEntry(section=SECTION, label=_l("Sin conciliar"), url_name="treasury:statement-unreconciled",
              icon="bi-intersect", permission=VIEW, order=55),
]

urlpatterns = [
    path("extractos/", statement_list_view, name="statement-list"),
    path("extractos/importar/", statement_import_view, name="statement-import"),
    path("extractos/pendientes/", unreconciled_view, name="statement-unreconciled"),
    path("extractos/conciliar/", reconcile_auto_view, name="statement-reconcile"),
    path("extractos/<int:pk>/", statement_detail_view, name="statement-detail"),
    path("extractos/movimiento/<int:pk>/conciliar/", line_reconcile_view, name="statement-line-reconcile"),
    path("extractos/conciliacion/<int:pk>/confirmar/", reconciliation_confirm_view, name="reconciliation-confirm"),
    path("extractos/conciliacion/<int:pk>/deshacer/", reconciliation_undo_view, name="reconciliation-undo"),
]
