"""«Mis datos»: an employee's own record, read-only except the contact data they may change themselves
(phone, e-mail, address, emergency contact — audited); a user without an employee record is told so."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods

from aitcore.registry import MenuEntry
from apps.core.errors import DomainError
from apps.core.views.list_pages import form_error, styled
from apps.hr.access import employee_of
from apps.hr.forms_employees import MyDataForm
from apps.hr.selectors import current_contract
from apps.hr.services.employees import employee_update_own
from apps.hr.validators import iban_masked

SECTION = _l("Mi espacio")
TITLE = _l("Mis datos")


def _page(request, employee, form=None, status=200):
    context = {"title": TITLE, "object": employee}
    if employee is not None:
        employee = type(employee).objects.select_related("department", "work_centre", "manager").get(pk=employee.pk)
        context.update({"object": employee, "iban": iban_masked(employee.iban),
                        "form": styled(form or MyDataForm(instance=employee)),
                        "contract": current_contract(employee, timezone.localdate())})
    return render(request, "hr/me/my_data.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def my_data_view(request):
    employee = employee_of(request.user)
    if request.method == "GET" or employee is None:
        return _page(request, employee)
    form = MyDataForm(request.POST, instance=employee)
    if not form.is_valid():
        return _page(request, employee, form, status=400)
    try:
        employee_update_own(actor=request.user, employee=employee, **form.cleaned_data)
    except DomainError as exc:
        return _page(request, employee, form, status=form_error(form, exc))
    messages.success(request, _("Sus datos de contacto se han guardado."))
    return redirect(reverse("hr:my-data"))


MENU = [MenuEntry(section=SECTION, label=TITLE, url_name="hr:my-data", icon="bi-person-vcard", order=5)]

urlpatterns = [path("mis-datos/", my_data_view, name="my-data")]
