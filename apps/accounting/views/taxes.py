"""Pages of the accounting area «taxes»: a hub, the Libros registro de IVA, modelos 303, 111/115,
347 and 390 (GET forms with year and period; ?format=csv|xlsx|pdf exports what the page shows)
and the VAT settlement entry (a confirmed POST calling apps.accounting.services.vat_settlement).
Reads come from apps.accounting.tax_returns. MENU entries are registered by
apps.accounting.navigation.
"""
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods

from aitcore.registry import MenuEntry
from apps.accounting.choices import InvoiceKind
from apps.accounting.errors import AccountingError
from apps.accounting.services.vat_settlement import vat_settle, vat_settlement_preview
from apps.accounting.tax_returns import (
    default_quarter, model_303, model_347, model_390, models_111_115, tax_period, vat_book,
)
from apps.accounting.tax_returns.exports import (
    boxes_report, model_347_report, vat_book_report, withholding_detail_report,
)
from apps.accounting.tax_returns.forms import BookForm, PeriodForm, SettleForm, YearForm
from apps.accounting.views.guards import needs
from apps.accounting.views.report_pages import querystring, report_page

ACCOUNTING = _l("Contabilidad")
PERM = "accounting.view_tax"
SETTLE_PERMS = ("accounting.view_tax", "accounting.add_entry")


def _page(request, template, context, *, status=200):
    context.setdefault("querystring", querystring(request, "format", "part"))
    context.setdefault("can_settle", all(request.user.has_perm(perm) for perm in SETTLE_PERMS))
    return render(request, f"accounting/taxes/{template}", context, status=status)


def _tax_page(request, form, title, template, build):
    return report_page(request, form, title=title, template=template, page=_page, build=build)


def _settle_url(tp) -> str:
    return f"{reverse('accounting:tax-vat-settle')}?{urlencode({'year': tp.year, 'period': tp.code})}"


@require_GET
@needs(PERM)
def taxes_index_view(request):
    year, code = default_quarter()
    tp = tax_period(year, code)
    current = model_303(year=year, period=code)
    preview = vat_settlement_preview(date_from=tp.date_from, date_to=tp.date_to)
    return _page(request, "index.html", {"title": _("Impuestos"), "tp": tp, "m303": current, "preview": preview,
                                         "settle_url": _settle_url(tp)})


@require_GET
@needs(PERM)
def vat_books_view(request):
    def build(data, context):
        tp = tax_period(data["year"], data["period"])
        book = vat_book(kind=data["kind"], date_from=tp.date_from, date_to=tp.date_to)
        context.update(book=book, tp=tp, received=data["kind"] == InvoiceKind.RECEIVED)
        return lambda: vat_book_report(book=book, tp=tp)

    return _tax_page(request, BookForm(request.GET), _("Libros registro de IVA"), "vat_books.html", build)


@require_GET
@needs(PERM)
def model_303_view(request):
    title = _("Modelo 303 · IVA")

    def build(data, context):
        result = model_303(year=data["year"], period=data["period"])
        tp = result["period"]
        context.update(result=result, tp=tp, settle_url=_settle_url(tp),
                       preview=vat_settlement_preview(date_from=tp.date_from, date_to=tp.date_to))
        return lambda: boxes_report(title=title, filename=f"modelo-303-{tp.year}-{tp.code}", tp=tp,
                                    returns=[("303", result["sections"])])

    return _tax_page(request, PeriodForm(request.GET), title, "model303.html", build)


@require_GET
@needs(PERM)
def models_111_115_view(request):
    title = _("Modelos 111 y 115 · Retenciones")

    def build(data, context):
        result = models_111_115(year=data["year"], period=data["period"])
        tp = result["period"]
        context.update(result=result, tp=tp)
        if request.GET.get("part") == "detail":
            return lambda: withholding_detail_report(tp=tp, detail=result["detail"])
        return lambda: boxes_report(title=title, tp=tp, filename=f"modelos-111-115-{tp.year}-{tp.code}",
                                    returns=[("111", result["m111"]["sections"]), ("115", result["m115"]["sections"])])

    return _tax_page(request, PeriodForm(request.GET), title, "withholdings.html", build)


@require_GET
@needs(PERM)
def model_347_view(request):
    def build(data, context):
        result = model_347(year=data["year"])
        context.update(result=result, tp=result["period"])
        return lambda: model_347_report(result)

    return _tax_page(request, YearForm(request.GET), _("Modelo 347 · Operaciones con terceros"), "model347.html",
                     build)


@require_GET
@needs(PERM)
def model_390_view(request):
    title = _("Modelo 390 · Resumen anual de IVA")

    def build(data, context):
        result = model_390(year=data["year"])
        tp = result["period"]
        context.update(result=result, tp=tp)
        return lambda: boxes_report(title=title, filename=f"modelo-390-{tp.year}", tp=tp,
                                    returns=[("390", result["sections"])])

    return _tax_page(request, YearForm(request.GET), title, "model390.html", build)


@require_http_methods(["GET", "POST"])
@needs(*SETTLE_PERMS)
def vat_settle_view(request):
    """GET: what the settlement of the period would post; POST: post it."""
    if request.method == "POST":
        form = SettleForm(request.POST)
    else:
        year, code = default_quarter()
        form = SettleForm({"year": request.GET.get("year") or year, "period": request.GET.get("period") or code,
                           "date": request.GET.get("date") or ""})
    context = {"title": _("Liquidación de IVA"), "form": form}
    if not form.is_valid():
        return _page(request, "settle.html", context, status=400)
    tp = form.cleaned_data["tax_period"]
    context.update(tp=tp, preview=vat_settlement_preview(date_from=tp.date_from, date_to=tp.date_to),
                   m303_url=f"{reverse('accounting:tax-303')}?{urlencode({'year': tp.year, 'period': tp.code})}")
    if request.method == "POST":
        try:
            entry = vat_settle(actor=request.user, date_from=tp.date_from, date_to=tp.date_to,
                               date=form.cleaned_data["date"])
        except AccountingError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return _page(request, "settle.html", context, status=400)
        messages.success(request, _("Liquidación de IVA de %(period)s contabilizada en el asiento %(entry)s.")
                         % {"period": tp.label, "entry": entry})
        return redirect("accounting:entry-detail", entry.pk)
    return _page(request, "settle.html", context)


MENU = [
    MenuEntry(ACCOUNTING, _l("Impuestos"), "accounting:taxes", "bi-bank2", PERM, 50,
              also_active=("accounting:tax-vat-settle",)),
    MenuEntry(ACCOUNTING, _l("Libros de IVA"), "accounting:tax-vat-books", "bi-journal-text", PERM, 51),
    MenuEntry(ACCOUNTING, _l("Modelo 303"), "accounting:tax-303", "bi-percent", PERM, 52),
    MenuEntry(ACCOUNTING, _l("Modelos 111 y 115"), "accounting:tax-111-115", "bi-person-badge", PERM, 53),
    MenuEntry(ACCOUNTING, _l("Modelo 347"), "accounting:tax-347", "bi-people", PERM, 54),
    MenuEntry(ACCOUNTING, _l("Modelo 390"), "accounting:tax-390", "bi-calendar3", PERM, 55),
]

urlpatterns = [
    path("impuestos/", taxes_index_view, name="taxes"),
    path("impuestos/libros-iva/", vat_books_view, name="tax-vat-books"),
    path("impuestos/modelo-303/", model_303_view, name="tax-303"),
    path("impuestos/modelos-111-115/", models_111_115_view, name="tax-111-115"),
    path("impuestos/modelo-347/", model_347_view, name="tax-347"),
    path("impuestos/modelo-390/", model_390_view, name="tax-390"),
    path("impuestos/liquidacion-iva/", vat_settle_view, name="tax-vat-settle"),
]
