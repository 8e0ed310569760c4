"""Employment contracts: sign (no two contracts of an employee overlap; temporary and training contracts end;
part-time below 40 hours; SEPE code coherent with the kind and the working day), extend, change terms and
terminate. The contract row holds the current terms, its events the history; every step is audited."""
import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.events import publish
from apps.hr.choices import ContractEventKind, ContractKind, ContractState, TerminationReason
from apps.hr.errors import HRError
from apps.hr.models import Contract, ContractEvent, Employee
from apps.hr.selectors import in_force_q, with_effective_end

FULL_WEEK = Decimal("40.00")
CHANGEABLE = ("annual_salary", "full_time", "weekly_hours", "agreement", "agreement_group", "contribution_group",
              "payments_per_year", "sepe_code")


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _decimal(value, field: str, message: str) -> Decimal:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise HRError(message, code="hr_contract_number", field=field) from None


def _check_terms(terms: dict) -> dict:
    terms["annual_salary"] = _decimal(terms["annual_salary"], "annual_salary", _("Indique el salario bruto anual."))
    if terms["annual_salary"] <= 0:
        raise HRError(_("El salario bruto anual debe ser mayor que cero."), code="hr_contract_salary",
                      field="annual_salary")
    terms["full_time"] = bool(terms["full_time"])
    hours = terms.get("weekly_hours")
    terms["weekly_hours"] = FULL_WEEK if terms["full_time"] and hours in (None, "") else _decimal(
        hours, "weekly_hours", _("Indique las horas semanales."))
    if not terms["full_time"] and not Decimal(0) < terms["weekly_hours"] < FULL_WEEK:
        raise HRError(_("Un contrato a tiempo parcial debe tener menos de 40 horas semanales."),
                      code="hr_contract_part_time", field="weekly_hours")
    if terms["full_time"] and not Decimal(0) < terms["weekly_hours"] <= FULL_WEEK:
        raise HRError(_("La jornada completa no puede pasar de 40 horas semanales."), code="hr_contract_hours",
                      field="weekly_hours")
    terms["payments_per_year"], terms["contribution_group"] = (int(terms["payments_per_year"]),
                                                               int(terms["contribution_group"]))
    if terms["payments_per_year"] not in (12, 14):
        raise HRError(_("Las pagas al año son 12 (prorrateadas) o 14."), code="hr_contract_payments",
                      field="payments_per_year")
    if not 1 <= terms["contribution_group"] <= 11:
        raise HRError(_("El grupo de cotización va del 1 al 11."), code="hr_contract_group", field="contribution_group")
    for field in ("agreement", "agreement_group", "sepe_code"):
        terms[field] = (terms.get(field) or "").strip()
    _check_sepe(terms["sepe_code"], terms["kind"], terms["full_time"])
    return terms


def _check_sepe(code: str, kind: str, full_time: bool) -> None:
    """Clave de contrato: 3 digits; 1xx/2xx/3xx indefinite (full, part-time, fijo discontinuo), 4xx/5xx temporary
    and training (full, part-time)."""
    if not code:
        return
    if len(code) != 3 or not code.isdigit() or code[0] not in "12345":
        raise HRError(_("La clave de contrato del SEPE son 3 cifras que empiezan por 1 a 5 (p. ej. 100, 200, 402)."),
                      code="hr_contract_sepe", field="sepe_code")
    indefinite = kind == ContractKind.INDEFINITE
    if indefinite != (code[0] in "123"):
        raise HRError(_("La clave %(code)s no corresponde a un contrato %(kind)s.")
                      % {"code": code, "kind": ContractKind(kind).label.lower()}, code="hr_contract_sepe",
                      field="sepe_code")
    if full_time != (code[0] in "14"):
        raise HRError(_("La clave %s no corresponde a la jornada indicada (1xx y 4xx completa; 2xx, 3xx y 5xx "
                        "parcial).") % code, code="hr_contract_sepe", field="sepe_code")


def _check_overlap(employee, start: datetime.date, end: datetime.date | None, exclude_pk=None) -> None:
    others = with_effective_end(Contract.objects.filter(employee=employee).exclude(pk=exclude_pk))
    clash = others.filter(in_force_q(start, end or datetime.date.max)).order_by("start_date").first()
    if clash is not None:
        values = {"employee": employee, "start": clash.start_date.strftime("%d/%m/%Y"),
                  "end": clash.effective_end.strftime("%d/%m/%Y") if clash.effective_end else ""}
        message = (_("El periodo se solapa con otro contrato de %(employee)s (del %(start)s al %(end)s).")
                   if clash.effective_end else
                   _("El periodo se solapa con otro contrato de %(employee)s (en vigor desde el %(start)s, sin fecha "
                     "de fin)."))
        raise HRError(message % values, code="hr_contract_overlap", field="start_date", status=409)


def audit_safe(values: dict) -> dict:
    """Dates as dd/mm/yyyy and amounts as text, ready for JSON and for people."""
    def show(value):
        if isinstance(value, datetime.date):
            return value.strftime("%d/%m/%Y")
        return None if value is None else str(value)
    return {key: show(value) for key, value in values.items()}


def _event(contract, kind, on_date, changes, reason, actor) -> ContractEvent:
    return ContractEvent.objects.create(contract=contract, kind=kind, date=on_date, changes=changes, reason=reason,
                                        created_by=_actor(actor))


def _locked(contract: Contract) -> Contract:
    contract = Contract.objects.select_for_update(of=("self",)).select_related("employee").get(pk=contract.pk)
    if contract.state != ContractState.ACTIVE:
        raise HRError(_("El contrato ya está extinguido."), code="hr_contract_ended", status=409)
    return contract


def _save(contract: Contract, actor, diff: dict, verb: str) -> None:
    contract.updated_by = _actor(actor)
    contract.version += 1
    contract.save()
    audit_event_record(actor=_actor(actor), action=AuditAction.UPDATE, obj=contract, changes=diff, verb=verb)
    publish(f"hr.contract.{verb.removeprefix('hr_contract_')}", pk=contract.pk, employee=contract.employee_id)


@transaction.atomic
def contract_create(*, actor, employee: Employee, kind: str, start_date: datetime.date, annual_salary,
                    end_date: datetime.date | None = None, full_time: bool = True, weekly_hours=None,
                    sepe_code: str = "", trial_period_days: int = 0, payments_per_year: int = 14,
                    agreement: str = "", agreement_group: str = "", contribution_group: int = 5) -> Contract:
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if not employee.is_active:
        raise HRError(_("%s está de baja: no se le pueden firmar contratos.") % employee, code="hr_employee_inactive")
    if kind not in ContractKind.values:
        raise HRError(_("Elija la modalidad del contrato."), code="hr_contract_kind", field="kind")
    if kind != ContractKind.INDEFINITE and end_date is None:
        raise HRError(_("Un contrato temporal o formativo debe tener fecha de fin."), code="hr_contract_end",
                      field="end_date")
    if end_date is not None and end_date < start_date:
        raise HRError(_("La fecha de fin no puede ser anterior a la de inicio."), code="hr_contract_dates",
                      field="end_date")
    terms = _check_terms({"kind": kind, "annual_salary": annual_salary, "full_time": full_time,
                          "weekly_hours": weekly_hours, "payments_per_year": payments_per_year,
                          "contribution_group": contribution_group, "agreement": agreement,
                          "agreement_group": agreement_group, "sepe_code": sepe_code})
    _check_overlap(employee, start_date, end_date)
    contract = Contract.objects.create(employee=employee, start_date=start_date, end_date=end_date,
                                       trial_period_days=int(trial_period_days or 0), **terms,
                                       created_by=_actor(actor), updated_by=_actor(actor))
    signed = {"kind": ContractKind(kind).label, "start_date": start_date, "end_date": end_date,
              "annual_salary": terms["annual_salary"], "weekly_hours": terms["weekly_hours"],
              "agreement_group": terms["agreement_group"]}
    _event(contract, ContractEventKind.SIGNED, start_date, audit_safe(signed), "", actor)
    audit_event_record(actor=_actor(actor), action=AuditAction.CREATE, obj=contract,
                       changes={key: [None, value] for key, value in audit_safe(signed).items()})
    publish("hr.contract.created", pk=contract.pk, employee=employee.pk)
    return contract


@transaction.atomic
def contract_extend(*, actor, contract: Contract, end_date: datetime.date, reason: str = "",
                    on_date: datetime.date | None = None) -> Contract:
    contract = _locked(contract)
    if contract.end_date is None:
        raise HRError(_("Un contrato indefinido no se prorroga."), code="hr_contract_open_ended", field="end_date")
    if end_date <= contract.end_date:
        raise HRError(_("La nueva fecha de fin debe ser posterior a la actual (%s).")
                      % contract.end_date.strftime("%d/%m/%Y"), code="hr_contract_extension", field="end_date")
    _check_overlap(contract.employee, contract.start_date, end_date, exclude_pk=contract.pk)
    diff = audit_safe({"old": contract.end_date, "new": end_date})
    _event(contract, ContractEventKind.EXTENSION, on_date or timezone.localdate(),
           {"end_date": [diff["old"], diff["new"]]}, (reason or "").strip(), actor)
    contract.end_date = end_date
    _save(contract, actor, {"end_date": [diff["old"], diff["new"]]}, "hr_contract_extended")
    return contract


@transaction.atomic
def contract_change(*, actor, contract: Contract, on_date: datetime.date | None = None, reason: str = "",
                    **changes) -> Contract:
    """New terms (salary, hours, group…) from `on_date`; the event keeps the before → after of each."""
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise HRError(_("Estos datos no se cambian con una modificación: %s.") % ", ".join(sorted(unknown)),
                      code="hr_contract_fields")
    contract = _locked(contract)
    current = {field: getattr(contract, field) for field in CHANGEABLE}
    given = {field: value for field, value in changes.items() if value is not None}
    terms = _check_terms({"kind": contract.kind, **current, **given})
    on_date = on_date or timezone.localdate()
    if on_date < contract.start_date:
        raise HRError(_("La modificación no puede ser anterior al inicio del contrato."), code="hr_contract_dates",
                      field="on_date")
    diff = {field: [str(current[field]), str(terms[field])] for field in CHANGEABLE if current[field] != terms[field]}
    if not diff:
        raise HRError(_("No hay ningún cambio en las condiciones."), code="hr_contract_no_change")
    for field in diff:
        setattr(contract, field, terms[field])
    _event(contract, ContractEventKind.CHANGE, on_date, diff, (reason or "").strip(), actor)
    _save(contract, actor, diff, "hr_contract_changed")
    return contract


@transaction.atomic
def contract_terminate(*, actor, contract: Contract, on_date: datetime.date, reason: str, note: str = "") -> Contract:
    contract = _locked(contract)
    if reason not in TerminationReason.values:
        raise HRError(_("Elija la causa de extinción."), code="hr_contract_reason", field="reason")
    if on_date < contract.start_date:
        raise HRError(_("La extinción no puede ser anterior al inicio del contrato (%s).")
                      % contract.start_date.strftime("%d/%m/%Y"), code="hr_contract_dates", field="on_date")
    if contract.end_date is not None and on_date > contract.end_date:
        raise HRError(_("El contrato acaba el %s: la extinción no puede ser posterior.")
                      % contract.end_date.strftime("%d/%m/%Y"), code="hr_contract_dates", field="on_date")
    contract.state = ContractState.ENDED
    contract.termination_date = on_date
    contract.termination_reason = reason
    changes = {"state": [ContractState.ACTIVE.label, ContractState.ENDED.label],
               "termination_date": [None, on_date.strftime("%d/%m/%Y")],
               "termination_reason": [None, TerminationReason(reason).label]}
    _event(contract, ContractEventKind.TERMINATION, on_date, {key: [str(a) if a else None, str(b)]
                                                               for key, (a, b) in changes.items()},
           (note or "").strip(), actor)
    _save(contract, actor, {key: [str(a) if a else None, str(b)] for key, (a, b) in changes.items()},
          "hr_contract_terminated")
    return contract
