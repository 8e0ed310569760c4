"""Employees: create, update (HR), deactivate, and the contact data an employee updates themselves («Mis datos»).
Identity numbers valid and unique, the manager neither themselves nor someone below them, one employee per user.
Every change writes its audit event and publishes hr.employee.* on commit."""
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.errors import StaleObjectError
from apps.core.events import publish
from apps.hr.choices import ContractState, DistributionRole
from apps.hr.errors import HRError
from apps.hr.models import Department, Employee, WorkCentre
from apps.hr.validators import iban_clean, ss_number_clean, tax_id_clean

REQUIRED = ("code", "first_name", "last_name", "tax_id", "ss_number")
SELF_SERVICE_FIELDS = ("phone", "email", "address", "postal_code", "city", "province", "emergency_contact_name",
                       "emergency_contact_phone")
FIELDS = REQUIRED + SELF_SERVICE_FIELDS + (
    "user", "birth_date", "iban", "department", "position", "manager", "work_centre", "cost_centre",
    "distribution_role", "irpf_rate", "is_active")
RELATIONS = {"user": get_user_model(), "department": Department, "manager": Employee, "work_centre": WorkCentre}
DEFAULTS = {"distribution_role": DistributionRole.NONE, "irpf_rate": Decimal("0.00"), "is_active": True}


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _related(field: str, value):
    if value in (None, ""):
        return None
    model = RELATIONS[field]
    found = value if isinstance(value, model) else model.objects.filter(pk=value).first()
    if found is None:
        raise HRError(_("El valor elegido para «%s» no existe.") % Employee._meta.get_field(field).verbose_name,
                      code="hr_employee_relation", field=field)
    return found


def _unique(field: str, value, exclude_pk, message: str) -> None:
    if value and Employee.objects.filter(**{field: value}).exclude(pk=exclude_pk).exists():
        raise HRError(message % value, code="hr_employee_duplicate", field=field)


def _check_manager(employee_pk, manager: Employee | None) -> None:
    """The manager is not the employee and not anyone who (at any level) reports to them."""
    if manager is None or employee_pk is None:
        return
    seen, current = set(), manager
    while current is not None and current.pk not in seen:
        if current.pk == employee_pk:
            if manager.pk == employee_pk:
                raise HRError(_("Un empleado no puede ser su propio responsable."), code="hr_manager_cycle",
                              field="manager")
            raise HRError(_("%s depende de este empleado: no puede ser su responsable.") % manager,
                          code="hr_manager_cycle", field="manager")
        seen.add(current.pk)
        current = Employee.objects.filter(pk=current.manager_id).first() if current.manager_id else None


def _contact(values: dict) -> None:
    for field in SELF_SERVICE_FIELDS:
        values[field] = (values.get(field) or "").strip()
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            raise HRError(_("«%s» no es un e-mail válido.") % values["email"], code="hr_email", field="email") from None
    if values["postal_code"] and not (len(values["postal_code"]) == 5 and values["postal_code"].isdigit()):
        raise HRError(_("El código postal debe tener 5 dígitos."), code="hr_postal_code", field="postal_code")


def _clean(values: dict, *, exclude_pk=None) -> dict:
    values = dict(values)
    for field in ("code", "first_name", "last_name"):
        values[field] = (values.get(field) or "").strip()
        if not values[field]:
            raise HRError(_("Indique «%s».") % Employee._meta.get_field(field).verbose_name, code="hr_required",
                          field=field)
    values["tax_id"] = tax_id_clean(values.get("tax_id"))
    values["ss_number"] = ss_number_clean(values.get("ss_number"))
    values["iban"] = iban_clean(values.get("iban"))
    _contact(values)
    for field in ("position", "cost_centre"):
        values[field] = (values.get(field) or "").strip()
    for field in RELATIONS:
        values[field] = _related(field, values.get(field))
    _unique("code", values["code"], exclude_pk, _("Ya hay un empleado con el número %s."))
    _unique("tax_id", values["tax_id"], exclude_pk, _("Ya hay un empleado con el NIF/NIE %s."))
    _unique("ss_number", values["ss_number"], exclude_pk, _("Ya hay un empleado con el número de afiliación %s."))
    if values["user"] is not None and Employee.objects.filter(user=values["user"]).exclude(pk=exclude_pk).exists():
        raise HRError(_("El usuario %s ya está vinculado a otro empleado.") % values["user"],
                      code="hr_employee_user", field="user")
    _check_manager(exclude_pk, values["manager"])
    if values.get("distribution_role") not in DistributionRole.values:
        raise HRError(_("Elija la participación en la distribución de seguros."), code="hr_distribution_role",
                      field="distribution_role")
    try:
        values["irpf_rate"] = Decimal(str(values.get("irpf_rate") or 0)).quantize(Decimal("0.01"))
    except InvalidOperation:
        values["irpf_rate"] = Decimal("-1")
    if not Decimal(0) <= values["irpf_rate"] <= Decimal(100):
        raise HRError(_("El tipo de retención IRPF debe estar entre 0 y 100 %."), code="hr_irpf", field="irpf_rate")
    values["is_active"] = bool(values.get("is_active", True))
    return values


def _display(value) -> str | None:
    if value is None:
        return None
    return str(value)


@transaction.atomic
def employee_create(*, actor, code: str, first_name: str, last_name: str, tax_id: str, ss_number: str,
                    **optional) -> Employee:
    unknown = set(optional) - set(FIELDS)
    if unknown:
        raise HRError(_("Campos desconocidos: %s.") % ", ".join(sorted(unknown)), code="hr_employee_fields")
    values = _clean({**DEFAULTS, **optional, "code": code, "first_name": first_name, "last_name": last_name,
                     "tax_id": tax_id, "ss_number": ss_number})
    employee = Employee.objects.create(**values, created_by=_actor(actor), updated_by=_actor(actor))
    audit_event_record(actor=_actor(actor), action=AuditAction.CREATE, obj=employee, changes={
        "code": [None, employee.code], "tax_id": [None, employee.tax_id], "ss_number": [None, employee.ss_number],
        "department": [None, _display(employee.department)], "manager": [None, _display(employee.manager)]})
    publish("hr.employee.created", pk=employee.pk)
    return employee


def _apply(employee: Employee, values: dict, current: dict) -> dict:
    diff = {}
    for field, value in values.items():
        if current[field] != value:
            diff[field] = [_display(current[field]), _display(value)]
            setattr(employee, field, value)
    return diff


@transaction.atomic
def employee_update(*, actor, employee: Employee, expected_version: int | None = None, **changes) -> Employee:
    """`expected_version`: the version the editor loaded; refused (409) when someone saved since."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise HRError(_("Campos desconocidos: %s.") % ", ".join(sorted(unknown)), code="hr_employee_fields")
    employee = Employee.objects.select_for_update(of=("self",)).get(pk=employee.pk)
    if expected_version is not None and employee.version != int(expected_version):
        raise StaleObjectError(_("Otra persona ha modificado este registro mientras lo editaba: recargue la página."),
                               field="version")
    current = {field: getattr(employee, field) for field in FIELDS}
    diff = _apply(employee, _clean({**current, **changes}, exclude_pk=employee.pk), current)
    if diff:
        employee.updated_by = _actor(actor)
        employee.version += 1
        employee.save()
        audit_event_record(actor=_actor(actor), action=AuditAction.UPDATE, obj=employee, changes=diff)
        publish("hr.employee.updated", pk=employee.pk, fields=sorted(diff))
    return employee


@transaction.atomic
def employee_update_own(*, actor, employee: Employee, **changes) -> Employee:
    """«Mis datos»: the employee changes their own phone, e-mail, address and emergency contact, nothing else."""
    if employee.user_id is None or getattr(actor, "pk", None) != employee.user_id:
        raise HRError(_("Solo el propio empleado puede cambiar sus datos de contacto aquí."), code="hr_not_own",
                      status=403)
    forbidden = set(changes) - set(SELF_SERVICE_FIELDS)
    if forbidden:
        raise HRError(_("Estos datos solo los cambia RRHH: %s.") % ", ".join(sorted(forbidden)),
                      code="hr_self_service_fields", field=sorted(forbidden)[0], status=403)
    employee = Employee.objects.select_for_update(of=("self",)).get(pk=employee.pk)
    current = {field: getattr(employee, field) for field in SELF_SERVICE_FIELDS}
    values = {**current, **changes}
    _contact(values)
    diff = _apply(employee, values, current)
    if diff:
        employee.updated_by = _actor(actor)
        employee.version += 1
        employee.save()
        audit_event_record(actor=_actor(actor), action=AuditAction.UPDATE, obj=employee, changes=diff,
                           verb="hr_self_service")
        publish("hr.employee.updated", pk=employee.pk, fields=sorted(diff))
    return employee


@transaction.atomic
def employee_deactivate(*, actor, employee: Employee) -> Employee:
    """Out of the workforce: refused while a contract is in force (terminate it first)."""
    employee = Employee.objects.select_for_update(of=("self",)).get(pk=employee.pk)
    if not employee.is_active:
        raise HRError(_("%s ya está de baja.") % employee, code="hr_employee_inactive", status=409)
    if employee.contracts.filter(state=ContractState.ACTIVE).exists():
        raise HRError(_("%s tiene un contrato en vigor: extíngalo antes de darle de baja.") % employee,
                      code="hr_employee_has_contract", status=409)
    employee.is_active = False
    employee.updated_by = _actor(actor)
    employee.version += 1
    employee.save()
    audit_event_record(actor=_actor(actor), action=AuditAction.UPDATE, obj=employee,
                       changes={"is_active": [True, False]}, verb="hr_employee_deactivate")
    publish("hr.employee.deactivated", pk=employee.pk)
    return employee
