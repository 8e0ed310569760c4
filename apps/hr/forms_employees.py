"""Forms of the employee, «Mis datos» and contract pages. They only collect values: the rules are the services'."""
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _l

from apps.hr.choices import ContractKind, DistributionRole, TerminationReason
from apps.hr.models import Department, Employee, WorkCentre
from apps.hr.services.employees import SELF_SERVICE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EMPLOYEE_FIELDS = ["code", "first_name", "last_name", "tax_id", "ss_number", "birth_date", "user", "email", "phone",
                   "iban", "address", "postal_code", "city", "province", "emergency_contact_name",
                   "emergency_contact_phone", "department", "position", "manager", "work_centre", "cost_centre",
                   "distribution_role", "irpf_rate", "is_active"]


class EmployeeForm(forms.Form):
    code = forms.CharField(label=_l("Número de empleado"), max_length=20)
    first_name = forms.CharField(label=_l("Nombre"), max_length=100)
    last_name = forms.CharField(label=_l("Apellidos"), max_length=150)
    tax_id = forms.CharField(label=_l("NIF/NIE"), max_length=12)
    ss_number = forms.CharField(label=_l("Número de afiliación a la Seguridad Social"), max_length=16,
                                help_text=_l("12 dígitos: provincia, número y dígitos de control."))
    birth_date = forms.DateField(label=_l("Fecha de nacimiento"), widget=DATE, required=False)
    user = forms.ModelChoiceField(label=_l("Usuario"), queryset=get_user_model().objects.none(), required=False)
    email = forms.CharField(label=_l("E-mail"), max_length=254, required=False)
    phone = forms.CharField(label=_l("Teléfono"), max_length=20, required=False)
    iban = forms.CharField(label=_l("IBAN para la nómina"), max_length=42, required=False)
    address = forms.CharField(label=_l("Dirección"), max_length=250, required=False)
    postal_code = forms.CharField(label=_l("Código postal"), max_length=5, required=False)
    city = forms.CharField(label=_l("Localidad"), max_length=120, required=False)
    province = forms.CharField(label=_l("Provincia"), max_length=60, required=False)
    emergency_contact_name = forms.CharField(label=_l("Contacto de emergencia"), max_length=150, required=False)
    emergency_contact_phone = forms.CharField(label=_l("Teléfono de emergencia"), max_length=20, required=False)
    department = forms.ModelChoiceField(label=_l("Departamento"), queryset=Department.objects.none(), required=False)
    position = forms.CharField(label=_l("Puesto"), max_length=120, required=False)
    manager = forms.ModelChoiceField(label=_l("Responsable"), queryset=Employee.objects.none(), required=False)
    work_centre = forms.ModelChoiceField(label=_l("Centro de trabajo"), queryset=WorkCentre.objects.none(),
                                         required=False)
    cost_centre = forms.CharField(label=_l("Centro de coste"), max_length=20, required=False)
    distribution_role = forms.ChoiceField(label=_l("Participación en la distribución de seguros"),
                                          choices=DistributionRole.choices, initial=DistributionRole.NONE)
    irpf_rate = forms.DecimalField(label=_l("Tipo de retención IRPF (%)"), max_digits=5, decimal_places=2,
                                   initial=0)
    is_active = forms.BooleanField(label=_l("En plantilla"), required=False, initial=True)

    def __init__(self, *args, instance: Employee | None = None, **kwargs):
        if instance is not None and not args and not kwargs.get("data"):
            kwargs.setdefault("initial", {field: getattr(instance, field) for field in EMPLOYEE_FIELDS
                                          if field not in ("user", "department", "manager", "work_centre")}
                              | {"user": instance.user_id, "department": instance.department_id,
                                 "manager": instance.manager_id, "work_centre": instance.work_centre_id})
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = get_user_model().objects.filter(is_active=True).order_by("email")
        self.fields["department"].queryset = Department.objects.order_by("name")
        managers = Employee.objects.filter(is_active=True)
        self.fields["manager"].queryset = managers.exclude(pk=instance.pk) if instance else managers
        self.fields["work_centre"].queryset = WorkCentre.objects.filter(is_active=True).order_by("name")


class MyDataForm(forms.Form):
    """What an employee may change of their own record."""

    email = forms.CharField(label=_l("E-mail"), max_length=254, required=False)
    phone = forms.CharField(label=_l("Teléfono"), max_length=20, required=False)
    address = forms.CharField(label=_l("Dirección"), max_length=250, required=False)
    postal_code = forms.CharField(label=_l("Código postal"), max_length=5, required=False)
    city = forms.CharField(label=_l("Localidad"), max_length=120, required=False)
    province = forms.CharField(label=_l("Provincia"), max_length=60, required=False)
    emergency_contact_name = forms.CharField(label=_l("Contacto de emergencia"), max_length=150, required=False)
    emergency_contact_phone = forms.CharField(label=_l("Teléfono de emergencia"), max_length=20, required=False)

    def __init__(self, *args, instance: Employee, **kwargs):
        if not args and not kwargs.get("data"):
            kwargs.setdefault("initial", {field: getattr(instance, field) for field in SELF_SERVICE_FIELDS})
        super().__init__(*args, **kwargs)


class ContractForm(forms.Form):
    kind = forms.ChoiceField(label=_l("Modalidad"), choices=ContractKind.choices, initial=ContractKind.INDEFINITE)
    sepe_code = forms.CharField(label=_l("Clave de contrato (SEPE)"), max_length=3, required=False,
                                help_text=_l("Por ejemplo 100 indefinido a tiempo completo, 200 a tiempo parcial."))
    start_date = forms.DateField(label=_l("Fecha de inicio"), widget=DATE)
    end_date = forms.DateField(label=_l("Fecha de fin"), widget=DATE, required=False,
                               help_text=_l("Obligatoria en los temporales y formativos."))
    full_time = forms.BooleanField(label=_l("Jornada completa"), required=False, initial=True)
    weekly_hours = forms.DecimalField(label=_l("Horas semanales"), max_digits=4, decimal_places=2, required=False)
    trial_period_days = forms.IntegerField(label=_l("Periodo de prueba (días)"), min_value=0, initial=0)
    annual_salary = forms.DecimalField(label=_l("Salario bruto anual (€)"), max_digits=12, decimal_places=2)
    payments_per_year = forms.TypedChoiceField(label=_l("Pagas al año"), coerce=int, initial=14,
                                               choices=[(14, "14"), (12, _l("12 (prorrateadas)"))])
    agreement = forms.CharField(label=_l("Convenio colectivo"), max_length=150, required=False)
    agreement_group = forms.CharField(label=_l("Grupo profesional"), max_length=60, required=False)
    contribution_group = forms.IntegerField(label=_l("Grupo de cotización"), min_value=1, max_value=11, initial=5)


class ContractExtendForm(forms.Form):
    end_date = forms.DateField(label=_l("Nueva fecha de fin"), widget=DATE)
    reason = forms.CharField(label=_l("Motivo"), max_length=250, required=False)


class ContractChangeForm(forms.Form):
    on_date = forms.DateField(label=_l("Con efecto desde"), widget=DATE)
    annual_salary = forms.DecimalField(label=_l("Salario bruto anual (€)"), max_digits=12, decimal_places=2,
                                       required=False)
    full_time = forms.TypedChoiceField(label=_l("Jornada"), required=False, empty_value=None,
                                       coerce=lambda value: value == "1",
                                       choices=[("", _l("Sin cambios")), ("1", _l("Completa")), ("0", _l("Parcial"))])
    weekly_hours = forms.DecimalField(label=_l("Horas semanales"), max_digits=4, decimal_places=2, required=False)
    agreement_group = forms.CharField(label=_l("Grupo profesional"), max_length=60, required=False)
    contribution_group = forms.IntegerField(label=_l("Grupo de cotización"), min_value=1, max_value=11,
                                            required=False)
    reason = forms.CharField(label=_l("Motivo"), max_length=250, required=False)


class ContractTerminateForm(forms.Form):
    on_date = forms.DateField(label=_l("Fecha de extinción"), widget=DATE)
    reason = forms.ChoiceField(label=_l("Causa"), choices=TerminationReason.choices)
    note = forms.CharField(label=_l("Observaciones"), max_length=250, required=False)
