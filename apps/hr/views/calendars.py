"""«Calendario laboral»: the holidays of a year (filter by scope and work centre), readable by every logged-in
user; HR adds one (national, regional by INE code, local of a work centre), deletes one, and loads the year's
official national list."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aitcore.registry import MenuEntry
from apps.core.errors import DomainError
from apps.core.views.list_pages import form_error, styled
from apps.hr.access import is_hr_staff
from apps.hr.choices import HolidayScope
from apps.hr.models import Holiday, WorkCentre
from apps.hr.services.calendars import NATIONAL_HOLIDAYS, centre_q, holiday_create, holiday_delete, \
    holidays_load_national
from apps.hr.views.employees import require_hr

SECTION = _l("Recursos humanos")
TITLE = _l("Calendario laboral")


class HolidayForm(forms.Form):
    date = forms.DateField(label=_l("Fecha"), input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                           widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/aaaa"}))
    name = forms.CharField(label=_l("Festividad"), max_length=120)
    scope = forms.ChoiceField(label=_l("Ámbito"), choices=HolidayScope.choices)
    region = forms.CharField(label=_l("Comunidad autónoma (código INE)"), max_length=2, required=False,
                             help_text=_l("Solo en los autonómicos, p. ej. 13 Madrid, 09 Cataluña, 10 C. Valenciana."))
    work_centre = forms.ModelChoiceField(label=_l("Centro de trabajo"), queryset=WorkCentre.objects.none(),
                                         required=False, help_text=_l("Solo en los locales."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_centre"].queryset = WorkCentre.objects.filter(is_active=True).order_by("name")


def _year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


@login_required
@require_GET
def holiday_list_view(request):
    year, scope = _year(request), request.GET.get("scope", "")
    centres = list(WorkCentre.objects.order_by("name"))
    centre = next((c for c in centres if str(c.pk) == request.GET.get("work_centre")), None)
    queryset = Holiday.objects.filter(date__year=year).select_related("work_centre").order_by("date", "scope")
    if scope in HolidayScope.values:
        queryset = queryset.filter(scope=scope)
    if centre is not None:
        queryset = queryset.filter(centre_q(centre))
    return render(request, "hr/calendars/holidays.html", {
        "title": TITLE, "year": year, "scope": scope, "scopes": HolidayScope.choices, "centres": centres,
        "centre": centre, "holidays": list(queryset), "can_edit": is_hr_staff(request.user),
        "can_load": year in NATIONAL_HOLIDAYS, "previous": year - 1, "next": year + 1})


@login_required
@require_http_methods(["GET", "POST"])
def holiday_create_view(request):
    require_hr(request)
    form = HolidayForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                holiday = holiday_create(actor=request.user, date=data["date"], name=data["name"],
                                         scope=data["scope"], region=data["region"], work_centre=data["work_centre"])
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, _("Festivo «%s» añadido.") % holiday)
                return redirect(f"{reverse('hr:holiday-list')}?year={holiday.date.year}")
        else:
            status = 400
    return render(request, "hr/calendars/holiday_form.html", {"title": _("Nuevo festivo"), "form": styled(form)},
                  status=status)


@login_required
@require_POST
def holiday_delete_view(request, pk):
    require_hr(request)
    holiday = get_object_or_404(Holiday, pk=pk)
    year = holiday.date.year
    holiday_delete(actor=request.user, holiday=holiday)
    messages.success(request, _("Festivo eliminado."))
    return redirect(f"{reverse('hr:holiday-list')}?year={year}")


@login_required
@require_POST
def holiday_load_view(request):
    require_hr(request)
    year = int(request.POST.get("year", "0") or 0) if request.POST.get("year", "").isdigit() else 0
    try:
        created = holidays_load_national(actor=request.user, year=year)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Fiestas nacionales de %(year)d: %(n)d añadidas.") % {"year": year, "n": created})
    return redirect(f"{reverse('hr:holiday-list')}?year={year or timezone.localdate().year}")


MENU = [MenuEntry(section=SECTION, label=TITLE, url_name="hr:holiday-list", icon="bi-calendar3", order=50)]

urlpatterns = [
    path("festivos/", holiday_list_view, name="holiday-list"),
    path("festivos/nuevo/", holiday_create_view, name="holiday-create"),
    path("festivos/cargar-nacionales/", holiday_load_view, name="holiday-load"),
    path("festivos/<int:pk>/eliminar/", holiday_delete_view, name="holiday-delete"),
]
