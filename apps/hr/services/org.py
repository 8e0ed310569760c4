"""Departments and work centres: create and update with unique codes, a department never below itself,
a work centre with its region (INE code) for the holiday calendar. Audited, hr.department.* / hr.work_centre.*."""
from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.events import publish
from apps.hr.errors import HRError
from apps.hr.models import Department, Employee, WorkCentre

DEPARTMENT_FIELDS = ("code", "name", "parent", "cost_centre", "head")
CENTRE_FIELDS = ("code", "name", "address", "postal_code", "municipality", "region", "is_active")
REGIONS = {f"{n:02d}" for n in range(1, 20)}  # INE: 01 Andalucía … 17 La Rioja, 18 Ceuta, 19 Melilla


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _text(values: dict, field: str, label: str, *, required: bool = True) -> None:
    values[field] = (values.get(field) or "").strip()
    if required and not values[field]:
        raise HRError(_("Indique «%s».") % label, code="hr_required", field=field)


def _instance(model, value, field: str):
    if value in (None, ""):
        return None
    found = value if isinstance(value, model) else model.objects.filter(pk=value).first()
    if found is None:
        raise HRError(_("El valor elegido no existe."), code="hr_org_relation", field=field)
    return found


def _department_clean(values: dict, *, exclude_pk=None) -> dict:
    _text(values, "code", _("código"))
    _text(values, "name", _("nombre"))
    _text(values, "cost_centre", _("centro de coste"), required=False)
    if Department.objects.filter(code=values["code"]).exclude(pk=exclude_pk).exists():
        raise HRError(_("Ya hay un departamento con el código %s.") % values["code"], code="hr_org_duplicate",
                      field="code")
    values["parent"] = _instance(Department, values.get("parent"), "parent")
    values["head"] = _instance(Employee, values.get("head"), "head")
    current, seen = values["parent"], set()
    while current is not None and exclude_pk is not None and current.pk not in seen:
        if current.pk == exclude_pk:
            raise HRError(_("Un departamento no puede depender de sí mismo ni de uno que dependa de él."),
                          code="hr_department_cycle", field="parent")
        seen.add(current.pk)
        current = current.parent
    return values


def _centre_clean(values: dict, *, exclude_pk=None) -> dict:
    _text(values, "code", _("código"))
    _text(values, "name", _("nombre"))
    _text(values, "municipality", _("municipio"))
    _text(values, "address", _("dirección"), required=False)
    _text(values, "postal_code", _("código postal"), required=False)
    _text(values, "region", _("comunidad autónoma"))
    if values["region"] not in REGIONS:
        raise HRError(_("La comunidad autónoma es su código INE de dos cifras (01 a 19)."), code="hr_region",
                      field="region")
    if values["postal_code"] and not (len(values["postal_code"]) == 5 and values["postal_code"].isdigit()):
        raise HRError(_("El código postal debe tener 5 dígitos."), code="hr_postal_code", field="postal_code")
    if WorkCentre.objects.filter(code=values["code"]).exclude(pk=exclude_pk).exists():
        raise HRError(_("Ya hay un centro de trabajo con el código %s.") % values["code"], code="hr_org_duplicate",
                      field="code")
    values["is_active"] = bool(values.get("is_active", True))
    return values


def _text_or_none(value) -> str | None:
    return None if value is None else str(value)


def _create(model, values: dict, actor, event: str):
    obj = model.objects.create(**values, created_by=_actor(actor), updated_by=_actor(actor))
    audit_event_record(actor=_actor(actor), action=AuditAction.CREATE, obj=obj,
                       changes={"code": [None, obj.code], "name": [None, obj.name]})
    publish(f"hr.{event}.created", pk=obj.pk)
    return obj


def _update(obj, fields, clean, changes: dict, actor, event: str):
    unknown = set(changes) - set(fields)
    if unknown:
        raise HRError(_("Campos desconocidos: %s.") % ", ".join(sorted(unknown)), code="hr_org_fields")
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    current = {field: getattr(obj, field) for field in fields}
    diff = {}
    for field, value in clean({**current, **changes}, exclude_pk=obj.pk).items():
        if current[field] != value:
            diff[field] = [_text_or_none(current[field]), _text_or_none(value)]
            setattr(obj, field, value)
    if diff:
        obj.updated_by = _actor(actor)
        obj.version += 1
        obj.save()
        audit_event_record(actor=_actor(actor), action=AuditAction.UPDATE, obj=obj, changes=diff)
        publish(f"hr.{event}.updated", pk=obj.pk, fields=sorted(diff))
    return obj


@transaction.atomic
def department_create(*, actor, code: str, name: str, parent=None, cost_centre: str = "", head=None) -> Department:
    values = _department_clean({"code": code, "name": name, "parent": parent, "cost_centre": cost_centre,
                                "head": head})
    return _create(Department, values, actor, "department")


@transaction.atomic
def department_update(*, actor, department: Department, **changes) -> Department:
    return _update(department, DEPARTMENT_FIELDS, _department_clean, changes, actor, "department")


@transaction.atomic
def work_centre_create(*, actor, code: str, name: str, municipality: str, region: str, address: str = "",
                       postal_code: str = "", is_active: bool = True) -> WorkCentre:
    values = _centre_clean({"code": code, "name": name, "municipality": municipality, "region": region,
                            "address": address, "postal_code": postal_code, "is_active": is_active})
    return _create(WorkCentre, values, actor, "work_centre")


@transaction.atomic
def work_centre_update(*, actor, work_centre: WorkCentre, **changes) -> WorkCentre:
    return _update(work_centre, CENTRE_FIELDS, _centre_clean, changes, actor, "work_centre")
