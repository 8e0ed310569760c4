"""HR payroll reports and settings: modelo 111 (per month and quarter: perceptores, rendimientos,
retenciones; clave 01) and modelo 190 (per perceptor, clave A), both with CSV export, and the form of the
year's contribution rates and bases (PayrollSettings)."""
import csv

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.errors import DomainError
from apps.core.views.list_pages import form_error, styled
from apps.hr.models import PayrollSettings
from apps.hr.selectors_payroll import model_111, model_190
from apps.hr.services.payroll import SETTINGS_FIELDS, payroll_settings_for, payroll_settings_update
from apps.hr.views.employees import require_hr


class SettingsForm(forms.ModelForm):
    class Meta:
        model = PayrollSettings
        fields = SETTINGS_FIELDS


def _year(request) -> int:
    try:
        return max(2000, min(2100, int(request.GET.get("year") or timezone.localdate().year)))
    except ValueError:
        return timezone.localdate().year


def _csv(name: str, header: list, rows: list) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([str(value).replace(".", ",") if not isinstance(value, str) else value for value in row])
    return response


@login_required
@require_GET
def model_111_view(request):
    require_hr(request)
    year = _year(request)
    data = model_111(year)
    if request.GET.get("export") == "csv":
        return _csv(f"modelo-111-{year}", [_("Periodo"), _("Perceptores"), _("Rendimientos dinerarios (clave 01)"),
                                           _("Retenciones")],
                    [[f"{q['quarter']}T", q["perceptores"], q["rendimientos"], q["retenciones"]]
                     for q in data["quarters"]] +
                    [[f"{m['month']:02d}", m["perceptores"], m["rendimientos"], m["retenciones"]]
                     for m in data["months"]])
    return render(request, "hr/payroll/model_111.html", {"title": _("Modelo 111 · %s") % year, "year": year,
                                                         "data": data})


@login_required
@require_GET
def model_190_view(request):
    require_hr(request)
    year = _year(request)
    rows = model_190(year)
    if request.GET.get("export") == "csv":
        return _csv(f"modelo-190-{year}", [_("NIF"), _("Apellidos y nombre"), _("Clave"), _("Percepciones"),
                                           _("Retenciones")],
                    [[r["nif"], r["name"], r["clave"], r["percepciones"], r["retenciones"]] for r in rows])
    return render(request, "hr/payroll/model_190.html", {"title": _("Modelo 190 · %s") % year, "year": year,
                                                         "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def payroll_settings_view(request):
    require_hr(request)
    year = _year(request) if request.method == "GET" else int(request.POST.get("year") or _year(request))
    settings = payroll_settings_for(year)
    form = SettingsForm(request.POST or None, instance=settings)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                payroll_settings_update(actor=request.user, year=year,
                                        **{name: form.cleaned_data[name] for name in SETTINGS_FIELDS})
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, _("Parámetros de %s guardados.") % year)
                return redirect(f"{reverse('hr:payroll-settings')}?year={year}")
        else:
            status = 400
        settings.refresh_from_db()
    return render(request, "hr/payroll/settings.html", {"title": _("Parámetros de cotización %s") % year,
                                                        "year": year, "form": styled(form)}, status=status)


urlpatterns = [
    path("nominas/modelo-111/", model_111_view, name="payroll-model-111"),
    path("nominas/modelo-190/", model_190_view, name="payroll-model-190"),
    path("nominas/parametros/", payroll_settings_view, name="payroll-settings"),
]
