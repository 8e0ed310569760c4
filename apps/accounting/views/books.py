"""Pages of the accounting area «books»: Libro diario, Libro mayor, Balance de sumas y saldos,
Balance de situación and Cuenta de pérdidas y ganancias. Each page is a GET form (period,
account, party, level, model) over one selector of apps.accounting.selectors_books, and exports
what it shows with ?format=csv|xlsx|pdf. MENU entries are registered by apps.accounting.navigation.
"""
import datetime
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET

from aitcore.registry import MenuEntry
from apps.accounting.errors import AccountingError
from apps.accounting.reports.exports import Column, Report
from apps.accounting.reports.forms import (
    BalanceSheetForm, LedgerForm, PeriodForm, ProfitAndLossForm, TrialBalanceForm, bound,
)
from apps.accounting.selectors_books import (
    MAX_PAGE_SIZE, balance_sheet, journal_book, ledger, profit_and_loss, trial_balance,
)
from apps.accounting.views.guards import needs
from apps.accounting.views.report_pages import export, export_format, querystring, report_page

ACCOUNTING = _l("Contabilidad")
PERM = "accounting.view_entry"


def ledger_url(codes, date_from, date_to) -> str:
    """The Libro Mayor of `codes` (one code or a list of code prefixes) for the period."""
    codes = [codes] if isinstance(codes, str) else list(codes)
    params = {"account": codes[0]} if len(codes) == 1 else {"accounts": ",".join(codes)}
    params.update(date_from=date_from.isoformat(), date_to=date_to.isoformat())
    return f"{reverse('accounting:ledger')}?{urlencode(params)}"


def _period_text(date_from, date_to) -> str:
    return _("Del %(a)s al %(b)s") % {"a": date_from.strftime("%d/%m/%Y"), "b": date_to.strftime("%d/%m/%Y")}


def _page(request, template, context, *, status=200):
    context.setdefault("querystring", querystring(request, "page", "format"))
    return render(request, f"accounting/books/{template}", context, status=status)


def _book_page(request, form, title, template, build):
    return report_page(request, form, title=title, template=template, page=_page, build=build)


def _failed(request, template, form, exc, context=None):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return _page(request, template, {**(context or {}), "form": form}, status=400)


# --- Libro diario -------------------------------------------------------------------------------

def _journal_rows(date_from, date_to):
    page = 1
    while True:
        book = journal_book(date_from=date_from, date_to=date_to, page=page, page_size=MAX_PAGE_SIZE)
        for entry in book["rows"]:
            for line in entry["lines"]:
                yield [entry["reference"], entry["date"], entry["journal"], line["account_code"], line["account_name"],
                       line["party"], line["description"] or entry["description"], line["debit"], line["credit"]]
        if not book["has_next"]:
            return
        page += 1


@require_GET
@needs(PERM)
def journal_view(request):
    form = bound(PeriodForm, request.GET)
    context = {"title": _("Libro diario"), "form": form}
    if not form.is_valid():
        return _page(request, "journal.html", context, status=400)
    date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    fmt = export_format(request)
    if fmt:
        totals = journal_book(date_from=date_from, date_to=date_to, page_size=1)["totals"]
        report = Report(
            title=_("Libro diario"), subtitle=_period_text(date_from, date_to), filename="libro-diario",
            columns=[Column(_("Asiento"), width=12), Column(_("Fecha"), width=11), Column(_("Diario"), width=7),
                     Column(_("Cuenta"), width=13), Column(_("Nombre de la cuenta"), width=32),
                     Column(_("Tercero"), width=28), Column(_("Concepto"), width=40),
                     Column(_("Debe"), numeric=True), Column(_("Haber"), numeric=True)],
            rows=_journal_rows(date_from, date_to),
            footer=["", "", "", "", "", "", _("Total"), totals["debit"], totals["credit"]])
        return export(request, fmt, report, lambda: journal_view_page(request, form))
    return journal_view_page(request, form)


def journal_view_page(request, form):
    data = form.cleaned_data
    context = {"title": _("Libro diario"), "form": form}
    try:
        book = journal_book(date_from=data["date_from"], date_to=data["date_to"], page=request.GET.get("page") or 1)
    except AccountingError as exc:
        return _failed(request, "journal.html", form, exc, context)
    return _page(request, "journal.html", {**context, "book": book})


# --- Libro mayor --------------------------------------------------------------------------------

def _ledger_kwargs(data) -> dict:
    return {"account": data["account"] or None, "accounts": data["accounts"], "party": data["party"],
            "date_from": data["date_from"], "date_to": data["date_to"]}


def _ledger_rows(kwargs):
    page = 1
    while True:
        book = ledger(**kwargs, page=page, page_size=MAX_PAGE_SIZE)
        for row in book["rows"]:
            yield [row["date"], row["entry"], row["account_code"], row["party"], row["description"],
                   row["debit"], row["credit"], row["balance"]]
        if not book["has_next"]:
            return
        page += 1


def _ledger_subject(book) -> str:
    parts = []
    if book["account"]:
        parts.append(f"{book['account']['code']} {book['account']['name']}")
    elif book["accounts"]:
        parts.append(_("Cuentas %s") % ", ".join(book["accounts"]))
    if book["party"]:
        parts.append(f"{book['party']['name']} {book['party']['tax_id']}".strip())
    return " · ".join(parts) or _("Todas las cuentas")


@require_GET
@needs(PERM)
def ledger_view(request):
    form = bound(LedgerForm, request.GET)
    context = {"title": _("Libro mayor"), "form": form}
    if not form.is_valid():
        return _page(request, "ledger.html", context, status=400)
    data = form.cleaned_data
    if not (data["account"] or data["accounts"] or data["party"]):
        return _page(request, "ledger.html", {**context, "prompt": True})
    kwargs = _ledger_kwargs(data)
    try:
        book = ledger(**kwargs, page=request.GET.get("page") or 1)
    except AccountingError as exc:
        return _failed(request, "ledger.html", form, exc, context)
    fmt = export_format(request)
    if fmt:
        subject = _ledger_subject(book)
        report = Report(
            title=_("Libro mayor"), subtitle=f"{subject} · {_period_text(data['date_from'], data['date_to'])}",
            filename="libro-mayor",
            columns=[Column(_("Fecha"), width=11), Column(_("Asiento"), width=12), Column(_("Cuenta"), width=13),
                     Column(_("Tercero"), width=28), Column(_("Concepto"), width=40),
                     Column(_("Debe"), numeric=True), Column(_("Haber"), numeric=True),
                     Column(_("Saldo"), numeric=True)],
            rows=[[None, "", "", "", _("Saldo anterior"), None, None, book["opening"]], *_ledger_rows(kwargs)],
            footer=[None, "", "", "", _("Totales y saldo final"), book["totals"]["debit"], book["totals"]["credit"],
                    book["closing"]])
        context.update(book=book, subject=subject)
        return export(request, fmt, report, lambda: _page(request, "ledger.html", context))
    return _page(request, "ledger.html", {**context, "book": book, "subject": _ledger_subject(book)})


# --- Balance de sumas y saldos ------------------------------------------------------------------

@require_GET
@needs(PERM)
def trial_balance_view(request):
    def build(data, context):
        result = trial_balance(date_from=data["date_from"], date_to=data["date_to"], level=data["level"],
                               with_parents=data["with_parents"])
        for row in result["rows"]:
            row["url"] = ledger_url(row["code"], data["date_from"], data["date_to"])
        context["tb"] = result
        totals = result["totals"]
        return lambda: Report(
            title=_("Balance de sumas y saldos"), subtitle=_period_text(data["date_from"], data["date_to"]),
            filename="sumas-y-saldos",
            columns=[Column(_("Cuenta"), width=13), Column(_("Nombre"), width=40),
                     Column(_("Saldo inicial"), numeric=True), Column(_("Debe"), numeric=True),
                     Column(_("Haber"), numeric=True), Column(_("Saldo deudor"), numeric=True),
                     Column(_("Saldo acreedor"), numeric=True)],
            rows=([r["code"], r["name"], r["opening"], r["debit"], r["credit"], r["closing_debit"], r["closing_credit"]]
                  for r in result["rows"]),
            footer=["", _("Total"), totals["opening"], totals["debit"], totals["credit"], totals["closing_debit"],
                    totals["closing_credit"]])

    return _book_page(request, bound(TrialBalanceForm, request.GET), _("Balance de sumas y saldos"),
                      "trial_balance.html", build)


# --- Balance de situación y Pérdidas y ganancias ------------------------------------------------

def _span_label(date_from, date_to) -> str:
    """«2026» for a whole calendar year, else «01/01/2026–30/06/2026» (statement column headings)."""
    if date_from == datetime.date(date_to.year, 1, 1) and date_to == datetime.date(date_to.year, 12, 31):
        return str(date_to.year)
    return f"{date_from:%d/%m/%Y}–{date_to:%d/%m/%Y}"


def _statement_report(statement, *, title, subtitle, filename, current_label, prior_label):
    columns = [Column(_("Código"), width=10), Column(_("Partida"), width=70),
               Column(current_label, numeric=True, width=16)]
    if prior_label:
        columns.append(Column(prior_label, numeric=True, width=16))
    rows = []
    for section in statement["sections"]:
        for row in section["rows"]:
            values = [row["code"], "  " * max(row["level"] - 1, 0) + row["label"], row["amount"]]
            rows.append(values + ([row["prior"]] if prior_label else []))
    return Report(title=title, subtitle=subtitle, columns=columns, rows=rows, filename=filename)


def _link_rows(statement, date_from, date_to):
    for section in statement["sections"]:
        for row in section["rows"]:
            row["url"] = ledger_url(row["accounts"], date_from, date_to) if row["accounts"] else ""


@require_GET
@needs(PERM)
def balance_sheet_view(request):
    def build(data, context):
        statement = balance_sheet(date=data["date"], model=data["model"], compare=data["compare"])
        _link_rows(statement, statement["fiscal_year_start"], statement["date"])
        context.update(statement=statement, current_label=f"{statement['date']:%d/%m/%Y}",
                       prior_label=f"{statement['prior_date']:%d/%m/%Y}" if statement["prior_date"] else None)
        return lambda: _statement_report(
            statement, title=f"{_('Balance de situación')} ({statement['title']})",
            subtitle=_("Al %s") % context["current_label"], filename="balance",
            current_label=context["current_label"], prior_label=context["prior_label"])

    return _book_page(request, bound(BalanceSheetForm, request.GET), _("Balance de situación"),
                      "balance_sheet.html", build)


@require_GET
@needs(PERM)
def profit_and_loss_view(request):
    def build(data, context):
        statement = profit_and_loss(date_from=data["date_from"], date_to=data["date_to"], model=data["model"],
                                    compare=data["compare"])
        _link_rows(statement, data["date_from"], data["date_to"])
        context.update(statement=statement, current_label=_span_label(data["date_from"], data["date_to"]),
                       prior_label=_span_label(statement["prior_from"], statement["prior_to"])
                       if statement["prior_from"] else None)
        return lambda: _statement_report(
            statement, title=f"{_('Cuenta de pérdidas y ganancias')} ({statement['title']})",
            subtitle=_period_text(data["date_from"], data["date_to"]), filename="perdidas-y-ganancias",
            current_label=context["current_label"], prior_label=context["prior_label"])

    return _book_page(request, bound(ProfitAndLossForm, request.GET), _("Pérdidas y ganancias"),
                      "profit_and_loss.html", build)


MENU = [
    MenuEntry(ACCOUNTING, _l("Libro diario"), "accounting:journal-book", "bi-journal-richtext", PERM, 40),
    MenuEntry(ACCOUNTING, _l("Libro mayor"), "accounting:ledger", "bi-book", PERM, 41),
    MenuEntry(ACCOUNTING, _l("Sumas y saldos"), "accounting:trial-balance", "bi-list-columns-reverse", PERM, 42),
    MenuEntry(ACCOUNTING, _l("Balance"), "accounting:balance-sheet", "bi-bank", PERM, 43),
    MenuEntry(ACCOUNTING, _l("Pérdidas y ganancias"), "accounting:profit-and-loss", "bi-graph-up-arrow", PERM, 44),
]
urlpatterns = [
    path("diario/", journal_view, name="journal-book"),
    path("mayor/", ledger_view, name="ledger"),
    path("sumas-y-saldos/", trial_balance_view, name="trial-balance"),
    path("balance/", balance_sheet_view, name="balance-sheet"),
    path("perdidas-y-ganancias/", profit_and_loss_view, name="profit-and-loss"),
]
