"""Continuing training of the people who distribute insurance (LDS, RD 287/2021 art. 11). HR keeps the course
catalogue (hours > 0, the end not before the start), records who completed which course (hours default to the
course's and never exceed them; one record per employee and course; the certificate file, if any, goes to the
employee's documents through services.documents in the same transaction) and may change the yearly hours
each level requires. Everything here is HR only and audited (verbs hr_training_*)."""
import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.choices import VERB_LABELS, AuditAction
from apps.audit.services import audit_event_record
from apps.core.errors import StaleObjectError
from apps.core.events import publish
from apps.hr.access import is_hr_staff
from apps.hr.choices import DistributionRole, EmployeeDocumentKind, TrainingModality
from apps.hr.errors import HRError
from apps.hr.models import Employee, EmployeeDocument, TrainingCourse, TrainingRecord, TrainingRequirement

COURSE_FIELDS = ("title", "provider", "hours", "modality", "counts_for_distribution", "start_date", "end_date")
MAX_HOURS = Decimal("9999.99")
CENT = Decimal("0.01")

VERB_LABELS.setdefault("hr_training_course_create", gettext_lazy("alta de curso de formación"))
VERB_LABELS.setdefault("hr_training_course_update", gettext_lazy("modificación de curso de formación"))
VERB_LABELS.setdefault("hr_training_record_add", gettext_lazy("registro de formación realizada"))
VERB_LABELS.setdefault("hr_training_record_delete", gettext_lazy("eliminación de formación realizada"))
VERB_LABELS.setdefault("hr_training_requirement_update", gettext_lazy("cambio de las horas de formación exigidas"))


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _d(day: datetime.date) -> str:
    return date_format(day, "d/m/Y")


def fmt_hours(value) -> str:
    """12.50 -> "12,5"; 25.00 -> "25" (for messages)."""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


def _require_hr(actor) -> None:
    if actor is not None and not is_hr_staff(actor):
        raise HRError(_("Solo RRHH gestiona la formación."), code="hr_training_hr_only", status=403)


def _hours(value, *, field: str = "hours", allow_zero: bool = False) -> Decimal:
    try:
        hours = Decimal(str(value).replace(",", ".")).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        raise HRError(_("Indique las horas con un número (por ejemplo 12,5)."), code="hr_training_hours",
                      field=field) from None
    if hours < 0 or (hours == 0 and not allow_zero):
        raise HRError(_("Las horas deben ser mayores que cero."), code="hr_training_hours", field=field)
    if hours > MAX_HOURS:
        raise HRError(_("Como máximo %s horas.") % fmt_hours(MAX_HOURS), code="hr_training_hours", field=field)
    return hours


def course_values_clean(values: dict, *, course: TrainingCourse | None = None) -> dict:
    """The course's values checked and normalised (HRError on the first wrong one); also used by the admin.
    An existing `course` may not go below the hours already recorded for one of its attendees."""
    values = {name: values.get(name) for name in COURSE_FIELDS}
    for name, limit in (("title", 200), ("provider", 200)):
        values[name] = (values[name] or "").strip()
        label = TrainingCourse._meta.get_field(name).verbose_name
        if not values[name]:
            raise HRError(_("Indique «%s».") % label, code="hr_training_course_field", field=name)
        if len(values[name]) > limit:
            raise HRError(_("«%(field)s» admite %(max)d caracteres como máximo.") % {"field": label, "max": limit},
                          code="hr_training_course_field", field=name)
    values["hours"] = _hours(values["hours"])
    values["modality"] = values["modality"] or TrainingModality.ONLINE
    if values["modality"] not in TrainingModality.values:
        raise HRError(_("Elija la modalidad del curso."), code="hr_training_modality", field="modality")
    values["counts_for_distribution"] = bool(values["counts_for_distribution"])
    start, end = values["start_date"], values["end_date"]
    if start and end and end < start:
        raise HRError(_("La fecha de fin (%(end)s) es anterior a la de inicio (%(start)s).") % {
            "end": _d(end), "start": _d(start)}, code="hr_training_course_dates", field="end_date")
    most = course.records.order_by("-hours").values_list("hours", flat=True).first() if course else None
    if most is not None and values["hours"] < most:
        raise HRError(_("Ya hay asistentes con %(most)s horas acreditadas de este curso: el curso no puede tener "
                        "menos.") % {"most": fmt_hours(most)}, code="hr_training_course_hours", field="hours")
    return values


def _display(value):
    return None if value is None else str(value)


@transaction.atomic
def course_create(*, actor, title: str, provider: str, hours, modality: str = TrainingModality.ONLINE,
                  counts_for_distribution: bool = True, start_date: datetime.date | None = None,
                  end_date: datetime.date | None = None) -> TrainingCourse:
    _require_hr(actor)
    values = course_values_clean({"title": title, "provider": provider, "hours": hours, "modality": modality,
                             "counts_for_distribution": counts_for_distribution, "start_date": start_date,
                             "end_date": end_date})
    course = TrainingCourse.objects.create(**values, created_by=_actor(actor), updated_by=_actor(actor))
    audit_event_record(actor=_actor(actor), action=AuditAction.CREATE, obj=course, verb="hr_training_course_create",
                       changes={name: [None, _display(value)] for name, value in values.items()})
    publish("hr.training.course_created", pk=course.pk)
    return course


@transaction.atomic
def course_update(*, actor, course: TrainingCourse, expected_version: int | None = None,
                  **changes) -> TrainingCourse:
    """Changing the hours does not touch the hours already recorded."""
    _require_hr(actor)
    unknown = set(changes) - set(COURSE_FIELDS)
    if unknown:
        raise HRError(_("Campos desconocidos: %s.") % ", ".join(sorted(unknown)), code="hr_training_fields")
    course = TrainingCourse.objects.select_for_update().get(pk=course.pk)
    if expected_version is not None and course.version != int(expected_version):
        raise StaleObjectError(_("Otra persona ha modificado este curso mientras lo editaba: recargue la página."),
                               field="version")
    current = {name: getattr(course, name) for name in COURSE_FIELDS}
    values = course_values_clean({**current, **changes}, course=course)
    diff = {name: [_display(current[name]), _display(value)] for name, value in values.items()
            if current[name] != value}
    if diff:
        for name, value in values.items():
            setattr(course, name, value)
        course.updated_by, course.version = _actor(actor), course.version + 1
        course.save()
        audit_event_record(actor=_actor(actor), action=AuditAction.UPDATE, obj=course,
                           verb="hr_training_course_update", changes=diff)
        publish("hr.training.course_updated", pk=course.pk, fields=sorted(diff))
    return course


def _check_record(employee, course, completed_on, hours) -> Decimal:
    if completed_on is None:
        raise HRError(_("Indique la fecha en que terminó el curso."), code="hr_training_date", field="completed_on")
    if completed_on > timezone.localdate():
        raise HRError(_("La fecha de finalización (%s) es futura: registre el curso cuando se haya completado.")
                      % _d(completed_on), code="hr_training_date", field="completed_on")
    if course.start_date and completed_on < course.start_date:
        raise HRError(_("La fecha de finalización (%(done)s) es anterior al inicio del curso (%(start)s).") % {
            "done": _d(completed_on), "start": _d(course.start_date)}, code="hr_training_date", field="completed_on")
    hours = course.hours if hours in (None, "") else _hours(hours)
    if hours > course.hours:
        raise HRError(_("El curso «%(course)s» es de %(max)s horas: no se pueden acreditar %(hours)s.") % {
            "course": course.title, "max": fmt_hours(course.hours), "hours": fmt_hours(hours)},
            code="hr_training_hours_above_course", field="hours")
    if TrainingRecord.objects.filter(employee=employee, course=course).exists():
        raise HRError(_("%(name)s ya tiene registrado el curso «%(course)s».") % {
            "name": employee.full_name, "course": course.title}, code="hr_training_duplicate", field="course",
            status=409)
    return hours


def _certificate(actor, employee, course, certificate, certificate_file) -> EmployeeDocument | None:
    if certificate_file is not None:
        from apps.hr.services.documents import document_upload

        return document_upload(actor=actor, employee=employee, kind=EmployeeDocumentKind.CERTIFICATE,
                               title=_("Certificado · %s") % course.title[:180], upload=certificate_file)
    if certificate is not None and certificate.employee_id != employee.pk:
        raise HRError(_("El certificado elegido es de otra persona."), code="hr_training_certificate",
                      field="certificate")
    return certificate


@transaction.atomic
def training_record_add(*, actor, employee: Employee, course: TrainingCourse, completed_on: datetime.date,
                        hours=None, certificate: EmployeeDocument | None = None,
                        certificate_file=None) -> TrainingRecord:
    """`certificate`: a document already in the employee's record; or `certificate_file`: an upload stored as a
    new «Certificado» document of the employee (validated by services.documents)."""
    _require_hr(actor)
    employee = Employee.objects.select_for_update(of=("self",)).get(pk=employee.pk)
    hours = _check_record(employee, course, completed_on, hours)
    document = _certificate(actor, employee, course, certificate, certificate_file)
    try:
        with transaction.atomic():
            record = TrainingRecord.objects.create(employee=employee, course=course, completed_on=completed_on,
                                                   hours=hours, certificate=document, created_by=_actor(actor))
    except IntegrityError:
        if certificate_file is not None and document is not None:  # the rollback drops its row; drop the file
            document.file.storage.delete(document.file.name)
        raise HRError(_("%(name)s ya tiene registrado el curso «%(course)s».") % {
            "name": employee.full_name, "course": course.title}, code="hr_training_duplicate", field="course",
            status=409) from None
    audit_event_record(actor=_actor(actor), action=AuditAction.CREATE, obj=record, verb="hr_training_record_add",
                       changes={"employee": [None, employee.pk], "course": [None, course.title],
                                "completed_on": [None, completed_on], "hours": [None, hours],
                                "certificate": [None, getattr(document, "pk", None)]})
    publish("hr.training.record_added", pk=record.pk, employee=employee.pk)
    return record


@transaction.atomic
def training_record_delete(*, actor, record: TrainingRecord) -> None:
    """Removes the record; its certificate stays among the employee's documents (delete it there if wrong)."""
    _require_hr(actor)
    record = TrainingRecord.objects.select_for_update().select_related("course").filter(pk=record.pk).first()
    if record is None:
        raise HRError(_("La formación indicada no existe."), code="hr_training_not_found", status=404)
    audit_event_record(actor=_actor(actor), action=AuditAction.DELETE, obj=record, verb="hr_training_record_delete",
                       changes={"employee": [record.employee_id, None], "course": [record.course.title, None],
                                "completed_on": [record.completed_on, None], "hours": [record.hours, None]})
    employee_id = record.employee_id
    record.delete()
    publish("hr.training.record_deleted", employee=employee_id)


@transaction.atomic
def training_requirement_update(*, actor, level: str, yearly_hours) -> TrainingRequirement:
    """The yearly hours a distribution level requires (0 = no requirement that year onwards)."""
    _require_hr(actor)
    if level not in DistributionRole.values or level == DistributionRole.NONE:
        raise HRError(_("Elija un nivel de distribución (1, 2 o 3)."), code="hr_training_level", field="level")
    hours = _hours(yearly_hours, field="yearly_hours", allow_zero=True)
    requirement = TrainingRequirement.objects.select_for_update().filter(level=level).first()
    before = None if requirement is None else requirement.yearly_hours
    if before == hours:
        return requirement
    if requirement is None:
        requirement = TrainingRequirement.objects.create(level=level, yearly_hours=hours)
    else:
        requirement.yearly_hours = hours
        requirement.save(update_fields=["yearly_hours"])
    audit_event_record(actor=_actor(actor), action=AuditAction.UPDATE, obj=requirement,
                       verb="hr_training_requirement_update", changes={"yearly_hours": [before, hours]})
    return requirement
