"""Fiscal years and their monthly periods: list with state badges, close/lock/reopen, next year.
Part of the «chart» area (its MENU and urlpatterns are included by apps.accounting.views.chart)."""
from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods

from aitcore.registry import MenuEntry
from apps.accounting.choices import EntryState, PeriodState
from apps.accounting.forms.chart import FiscalYearForm, next_fiscal_year_initial
from apps.accounting.models import FiscalYear, Period
from apps.accounting.services.periods import fiscal_year_create, fiscal_year_set_state, period_set_state
from apps.accounting.views.guards import confirm_page, needs
from apps.core.errors import DomainError
from apps.core.forms import add_service_errors

ACCOUNTING = _l("Contabilidad")
# target state -> (button label, confirmation text, icon)
ACTIONS = {
    "open": (_l("Reabrir"), _l("volverá a admitir asientos"), "bi-unlock"),
    "closed": (_l("Cerrar"), _l("dejará de admitir asientos; se puede reabrir"), "bi-lock"),
    "locked": (_l("Bloquear"), _l("quedará bloqueado; solo Contabilidad puede reabrirlo"), "bi-shield-lock"),
}
BADGES = {"open": "text-bg-success", "closed": "text-bg-warning", "locked": "text-bg-secondary"}


def _targets(state: str) -> list[dict]:
    return [{"state": target, "label": ACTIONS[target][0], "icon": ACTIONS[target][2]}
            for target in ("closed", "locked", "open") if target != state]


@needs("accounting.view_fiscalyear")
@require_GET
def fiscal_years_view(request):
    years = list(FiscalYear.objects.annotate(
        drafts=Count("entries", filter=Q(entries__state=EntryState.DRAFT)),
        posted=Count("entries", filter=Q(entries__state=EntryState.POSTED)),
    ).prefetch_related("periods").order_by("-start_date"))
    user = request.user
    rows = []
    for year in years:
        rows.append({
            "year": year, "badge": BADGES[year.state], "targets": _targets(year.state),
            "periods": [{"period": p, "badge": BADGES[p.state], "targets": _targets(p.state)}
                        for p in year.periods.all()],
        })
    return render(request, "accounting/periods/list.html", {
        "title": _("Ejercicios y periodos"), "rows": rows,
        "can_change_year": user.has_perm("accounting.change_fiscalyear"),
        "can_change_period": user.has_perm("accounting.change_period"),
        "can_add_year": user.has_perm("accounting.add_fiscalyear"),
        "create_url": reverse("accounting:fiscal-year-create"),
    })


def _state_page(request, *, state, label, setter, kwargs):
    if state not in ACTIONS:
        raise Http404(_("Estado desconocido."))
    list_url = reverse("accounting:fiscal-years")
    if request.method == "POST":
        try:
            setter(actor=request.user, state=state, **kwargs)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(what)s: %(state)s.") % {
                "what": label, "state": dict(PeriodState.choices)[state].lower()})
        return redirect(list_url)
    button, effect, icon = ACTIONS[state]
    return confirm_page(
        request, title=_("Ejercicios y periodos"), cancel_url=list_url,
        breadcrumbs=[(list_url, _("Ejercicios y periodos"))],
        heading=f"{button} · {label}", message=_("%(what)s %(effect)s.") % {"what": label, "effect": effect},
        button=button, danger=state != "open", icon=icon)


@needs("accounting.change_period")
@require_http_methods(["GET", "POST"])
def period_state_view(request, pk, state):
    period = get_object_or_404(Period.objects.select_related("fiscal_year"), pk=pk)
    label = _("Periodo %(month)s del ejercicio %(year)s") % {"month": period.start_date.strftime("%m/%Y"),
                                                             "year": period.fiscal_year.name}
    return _state_page(request, state=state, label=label, setter=period_set_state,
                       kwargs={"period": period})


@needs("accounting.change_fiscalyear")
@require_http_methods(["GET", "POST"])
def fiscal_year_state_view(request, pk, state):
    year = get_object_or_404(FiscalYear, pk=pk)
    return _state_page(request, state=state, label=_("Ejercicio %s") % year.name,
                       setter=fiscal_year_set_state, kwargs={"fiscal_year": year})


@needs("accounting.add_fiscalyear")
@require_http_methods(["GET", "POST"])
def fiscal_year_create_view(request):
    if request.method == "POST":
        form = FiscalYearForm(request.POST)
        if form.is_valid():
            try:
                year = fiscal_year_create(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Ejercicio %s creado con sus periodos mensuales.") % year.name)
                return redirect("accounting:fiscal-years")
    else:
        form = FiscalYearForm(initial=next_fiscal_year_initial(FiscalYear.objects.order_by("-end_date").first()))
    return render(request, "accounting/periods/create.html", {
        "title": _("Ejercicios y periodos"), "form": form, "list_url": reverse("accounting:fiscal-years"),
    }, status=400 if form.errors else 200)


MENU = [
    MenuEntry(ACCOUNTING, _l("Ejercicios y periodos"), "accounting:fiscal-years", "bi-calendar3",
              "accounting.view_fiscalyear", 12),
]
urlpatterns = [
    path("ejercicios/", fiscal_years_view, name="fiscal-years"),
    path("ejercicios/nuevo/", fiscal_year_create_view, name="fiscal-year-create"),
    path("ejercicios/<int:pk>/<str:state>/", fiscal_year_state_view, name="fiscal-year-state"),
    path("periodos/<int:pk>/<str:state>/", period_state_view, name="period-state"),
]
