"""Monthly payroll runs (issue 8 item 6): calculate (CALCULATED, payslips replaced on each recalculation),
post (POSTED: one balanced GEN entry on the last day of the month) and pay (PAID: a pain.001 transfer order
of the net pay, see payroll_posting). Figures come from payroll_calc; reads from selectors_payroll."""
import calendar
import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounting.errors import ClosedPeriodError
from apps.accounting.services import LineSpec, entry_post, period_for_date
from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.events import publish
from apps.hr.choices import PayrollRunState
from apps.hr.errors import HRError
from apps.hr.models import Employee, PayrollRun, PayrollSettings, Payslip
from apps.hr.selectors import contracts_in_month
from apps.hr.services.payroll_calc import ZERO, payslip_figures

JOURNAL = "GEN"
ACCOUNTS = {"wages": "640", "employer_ss": "642", "irpf": "4751", "ss": "476", "payable": "465"}
SETTINGS_FIELDS = [f.name for f in PayrollSettings._meta.concrete_fields
                   if f.name not in ("id", "year") and f.get_internal_type() == "DecimalField"]


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def payroll_settings_for(year: int) -> PayrollSettings:
    """The rates and bases of `year`, created with the model's defaults when missing."""
    return PayrollSettings.objects.get_or_create(year=year)[0]


@transaction.atomic
def payroll_settings_update(*, actor, year: int, **values) -> PayrollSettings:
    settings = PayrollSettings.objects.select_for_update().get(pk=payroll_settings_for(year).pk)
    changes = {}
    for name, value in values.items():
        if name not in SETTINGS_FIELDS or value is None:
            continue
        if value < 0 or (name != "min_base" and name != "max_base" and value > 100):
            raise HRError(_("Valor fuera de rango."), code="hr_payroll_settings", field=name)
        if getattr(settings, name) != value:
            changes[name] = [str(getattr(settings, name)), str(value)]
            setattr(settings, name, value)
    if settings.min_base > settings.max_base:
        raise HRError(_("La base mínima no puede superar la máxima."), code="hr_payroll_settings", field="min_base")
    if changes:
        settings.updated_by = _actor(actor)
        settings.save()
        audit_event_record(actor=_actor(actor), action=AuditAction.UPDATE, obj=settings, changes=changes)
        publish("hr.payroll_settings.updated", pk=settings.pk, year=year)
    return settings


def _check_month(year: int, month: int) -> None:
    if not (1 <= int(month) <= 12) or not (2000 <= int(year) <= 2100):
        raise HRError(_("Indique un mes válido."), code="hr_payroll_month", field="month")
    try:
        period_for_date(month_end(year, month))
    except ClosedPeriodError as exc:
        raise HRError(_("No se puede calcular la nómina de %(month)02d/%(year)s: %(reason)s") % {
            "month": month, "year": year, "reason": exc.message}, code="hr_payroll_period_closed",
            field="month", status=409) from None


@transaction.atomic
def payroll_run_calculate(*, actor, year: int, month: int, payment_date: datetime.date) -> PayrollRun:
    """Calculates (or recalculates, replacing its payslips) the run of the month. Refused when the month's
    accounting period is closed or the run is already posted or paid. `run.skipped` lists the active
    employees without a contract in force that month."""
    year, month = int(year), int(month)
    _check_month(year, month)
    if not isinstance(payment_date, datetime.date):
        raise HRError(_("Indique la fecha de pago."), code="hr_payroll_payment_date", field="payment_date")
    run = PayrollRun.objects.select_for_update().filter(year=year, month=month).first()
    if run is not None and run.state != PayrollRunState.CALCULATED:
        raise HRError(_("La nómina de %(run)s ya está %(state)s: no se puede recalcular.") % {
            "run": run, "state": run.get_state_display().lower()}, code="hr_payroll_state", status=409)
    settings = payroll_settings_for(year)
    contracts = contracts_in_month(year, month)
    created = run is None
    if created:
        run = PayrollRun.objects.create(year=year, month=month, payment_date=payment_date,
                                        created_by=_actor(actor), updated_by=_actor(actor))
    else:
        run.payslips.all().delete()
        run.payment_date, run.updated_by = payment_date, _actor(actor)
    slips = []
    for contract in contracts.values():
        figures = payslip_figures(employee=contract.employee, contract=contract, settings=settings,
                                  year=year, month=month)
        if figures.days:
            slips.append(Payslip(run=run, employee=contract.employee, contract=contract, **vars(figures)))
    Payslip.objects.bulk_create(slips, batch_size=500)
    paid = {slip.employee_id for slip in slips}
    run.skipped = list(Employee.objects.filter(is_active=True).exclude(pk__in=paid).order_by("last_name"))
    for name, attr in (("gross_total", "gross"), ("irpf_total", "irpf"), ("ss_employee_total", "ss_employee"),
                       ("ss_employer_total", "ss_employer"), ("net_total", "net")):
        setattr(run, name, sum((getattr(slip, attr) for slip in slips), ZERO))
    run.version += 1
    run.save()
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="payroll_run_calculate", obj=run,
                       changes={"nóminas": [None, len(slips)], "líquido": [None, str(run.net_total)],
                                "sin contrato": [None, [str(e) for e in run.skipped]]})
    publish("hr.payroll_run.calculated", pk=run.pk, year=year, month=month, payslips=len(slips))
    return run


def _locked(run) -> PayrollRun:
    return PayrollRun.objects.select_for_update().get(pk=getattr(run, "pk", run))


def _state_error(run, doing: str) -> HRError:
    return HRError(_("La nómina de %(run)s está «%(state)s»: no se puede %(doing)s.") % {
        "run": run, "state": run.get_state_display(), "doing": doing}, code="hr_payroll_state", status=409)


def entry_lines(run: PayrollRun, slips) -> list[LineSpec]:
    """Dr 640 gross, Dr 642 employer SS / Cr 4751 IRPF, Cr 476 both SS, Cr 465 one line per employee."""
    period = f"{run.month:02d}/{run.year}"
    lines = [LineSpec(account=ACCOUNTS["wages"], debit=run.gross_total, description=_("Sueldos %s") % period),
             LineSpec(account=ACCOUNTS["employer_ss"], debit=run.ss_employer_total,
                      description=_("Seguridad Social a cargo de la empresa %s") % period),
             LineSpec(account=ACCOUNTS["irpf"], credit=run.irpf_total, description=_("Retenciones IRPF %s") % period),
             LineSpec(account=ACCOUNTS["ss"], credit=run.ss_employee_total + run.ss_employer_total,
                      description=_("Seguridad Social %s") % period)]
    lines += [LineSpec(account=ACCOUNTS["payable"], credit=slip.net,
                       description=(_("Nómina %(period)s %(name)s (%(nif)s)") % {
                           "period": period, "name": slip.employee.full_name, "nif": slip.employee.tax_id})[:250])
              for slip in slips if slip.net]
    return [line for line in lines if line.debit or line.credit]


@transaction.atomic
def payroll_run_post(*, actor, run: PayrollRun) -> PayrollRun:
    """Posts the CALCULATED run: one balanced entry dated the last day of the month; state POSTED."""
    run = _locked(run)
    if run.state != PayrollRunState.CALCULATED:
        raise _state_error(run, _("contabilizar"))
    slips = list(run.payslips.select_related("employee").order_by("employee__last_name", "employee__first_name"))
    if not slips:
        raise HRError(_("La nómina no tiene recibos: no hay nada que contabilizar."), code="hr_payroll_empty",
                      status=409)
    _check_month(run.year, run.month)
    entry = entry_post(actor=actor, date=month_end(run.year, run.month), journal=JOURNAL,
                       description=_("Nómina de %s") % run, source=f"hr.payroll_run:{run.pk}",
                       lines=entry_lines(run, slips))
    run.entry, run.state, run.updated_by = entry, PayrollRunState.POSTED, _actor(actor)
    run.version += 1
    run.save(update_fields=["entry", "state", "updated_by", "updated_at", "version"])
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="payroll_run_post", obj=run,
                       changes={"estado": [PayrollRunState.CALCULATED, PayrollRunState.POSTED],
                                "asiento": [None, entry.number]})
    publish("hr.payroll_run.posted", pk=run.pk, entry=entry.pk)
    return run
