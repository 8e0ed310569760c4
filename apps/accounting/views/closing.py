"""Pages of the accounting area «closing»: the year-end close (regularisation, closing entry and
opening of the next year) with its preview, and its undo while the next year is untouched.
Every change goes through apps.accounting.services.year_end. MENU entries are registered by
apps.accounting.navigation."""
from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods

from aitcore.registry import MenuEntry
from apps.accounting.choices import EntryState, FiscalYearState
from apps.accounting.models import FiscalYear
from apps.accounting.services.year_end import (
    year_end_close, year_end_preview, year_end_reopen, year_end_result_message,
)
from apps.accounting.views.guards import confirm_page, needs
from apps.core.errors import DomainError
from apps.core.money import format_eur

ACCOUNTING = _l("Contabilidad")
TITLE = _l("Cierre del ejercicio")
BADGES = {"open": "text-bg-success", "closed": "text-bg-warning", "locked": "text-bg-secondary"}


def _default_year(years: list[FiscalYear]) -> FiscalYear | None:
    """The oldest open year that has ended (the one to close next), else the current one."""
    today = timezone.localdate()
    ended = [y for y in years if y.state == FiscalYearState.OPEN and y.end_date < today]
    if ended:
        return min(ended, key=lambda y: y.start_date)
    current = [y for y in years if y.start_date <= today <= y.end_date]
    return current[0] if current else (years[0] if years else None)


@needs("accounting.view_fiscalyear")
@require_GET
def closing_view(request):
    years = list(FiscalYear.objects.annotate(
        posted=Count("entries", filter=Q(entries__state=EntryState.POSTED))).order_by("-start_date"))
    selected = None
    wanted = request.GET.get("year", "")
    if wanted.isdigit():
        selected = next((y for y in years if y.pk == int(wanted)), None)
    selected = selected or _default_year(years)
    preview = year_end_preview(fiscal_year=selected) if selected else None
    return render(request, "accounting/closing/index.html", {
        "title": TITLE, "years": [{"year": y, "badge": BADGES.get(y.state, "text-bg-light")} for y in years],
        "selected": selected, "preview": preview,
        "can_change": request.user.has_perm("accounting.change_fiscalyear"),
    })


def _back(year) -> str:
    return f"{reverse('accounting:closing')}?year={year.pk}"


@needs("accounting.view_fiscalyear", "accounting.change_fiscalyear", "accounting.add_entry")
@require_http_methods(["GET", "POST"])
def close_view(request, pk):
    year = get_object_or_404(FiscalYear, pk=pk)
    if request.method == "POST":
        try:
            result = year_end_close(actor=request.user, fiscal_year=year)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, year_end_result_message(result))
        return redirect(_back(year))
    preview = year_end_preview(fiscal_year=year)
    if not preview["can_close"]:
        messages.error(request, " ".join(str(p) for p in preview["close_problems"]))
        return redirect(_back(year))
    what = _("beneficio") if preview["result"] >= 0 else _("pérdida")
    return confirm_page(
        request, title=TITLE, cancel_url=_back(year), breadcrumbs=[(_back(year), TITLE)],
        heading=_("Cerrar el ejercicio %s") % year.name, button=_("Cerrar el ejercicio"), icon="bi-lock",
        message=_("Se contabilizarán la regularización (%(what)s de %(amount)s a la cuenta 129), el asiento de "
                  "cierre a %(date)s y el de apertura del ejercicio siguiente; el ejercicio quedará cerrado. "
                  "Podrá deshacerse mientras el ejercicio siguiente no tenga otros asientos.") % {
            "what": what, "amount": format_eur(abs(preview["result"])),
            "date": year.end_date.strftime("%d/%m/%Y")})


@needs("accounting.view_fiscalyear", "accounting.change_fiscalyear", "accounting.add_entry")
@require_http_methods(["GET", "POST"])
def reopen_view(request, pk):
    year = get_object_or_404(FiscalYear, pk=pk)
    if request.method == "POST":
        try:
            reversals = year_end_reopen(actor=request.user, fiscal_year=year)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Cierre del ejercicio %(year)s deshecho: %(n)d asientos anulados; el "
                                        "ejercicio vuelve a estar abierto.") % {"year": year.name,
                                                                                 "n": len(reversals)})
        return redirect(_back(year))
    preview = year_end_preview(fiscal_year=year)
    if not preview["can_reopen"]:
        messages.error(request, " ".join(str(p) for p in preview["reopen_problems"]))
        return redirect(_back(year))
    return confirm_page(
        request, title=TITLE, cancel_url=_back(year), breadcrumbs=[(_back(year), TITLE)],
        heading=_("Deshacer el cierre del ejercicio %s") % year.name, button=_("Deshacer el cierre"),
        icon="bi-arrow-counterclockwise", danger=True,
        message=_("Se anularán con asientos inversos la apertura, el cierre y la regularización, y el ejercicio "
                  "%s volverá a admitir asientos.") % year.name)


MENU = [
    MenuEntry(ACCOUNTING, TITLE, "accounting:closing", "bi-calendar-check", "accounting.view_fiscalyear", 80),
]
urlpatterns = [
    path("cierre/", closing_view, name="closing"),
    path("cierre/<int:pk>/cerrar/", close_view, name="closing-close"),
    path("cierre/<int:pk>/deshacer/", reopen_view, name="closing-reopen"),
]
