"""Fiscal years and their monthly periods: open, closed, locked."""
import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounting.choices import EntryState, FiscalYearState, PeriodState
from apps.accounting.errors import AccountingError, ClosedPeriodError
from apps.accounting.models import FiscalYear, Period
from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record


def _month_ends(start: datetime.date, end: datetime.date):
    current = start
    while current <= end:
        next_month = (current.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        yield current, min(next_month - datetime.timedelta(days=1), end)
        current = next_month


@transaction.atomic
def fiscal_year_create(*, actor, name: str, start_date: datetime.date, end_date: datetime.date) -> FiscalYear:
    if end_date <= start_date:
        raise AccountingError(_("El ejercicio debe terminar después de empezar."), field="end_date")
    if (end_date - start_date).days > 31 * 18:
        raise AccountingError(_("Un ejercicio no puede durar más de 18 meses."), field="end_date")
    overlap = FiscalYear.objects.filter(start_date__lte=end_date, end_date__gte=start_date).first()
    if overlap:
        raise AccountingError(_("Se solapa con el ejercicio %s.") % overlap.name, field="start_date")
    if FiscalYear.objects.filter(name=name).exists():
        raise AccountingError(_("Ya existe el ejercicio %s.") % name, field="name")
    year = FiscalYear.objects.create(name=name, start_date=start_date, end_date=end_date,
                                     created_by=actor if getattr(actor, "pk", None) else None)
    Period.objects.bulk_create(Period(fiscal_year=year, number=i, start_date=s, end_date=e)
                               for i, (s, e) in enumerate(_month_ends(start_date, end_date), start=1))
    audit_event_record(actor=actor, action=AuditAction.CREATE, obj=year,
                       changes={"name": [None, name], "start_date": [None, str(start_date)],
                                "end_date": [None, str(end_date)]})
    return year


def fiscal_year_for_calendar_year(*, actor, year: int) -> FiscalYear:
    existing = FiscalYear.objects.filter(start_date__lte=datetime.date(year, 6, 30),
                                         end_date__gte=datetime.date(year, 6, 30)).first()
    return existing or fiscal_year_create(actor=actor, name=str(year), start_date=datetime.date(year, 1, 1),
                                          end_date=datetime.date(year, 12, 31))


def period_for_date(date: datetime.date, *, for_update: bool = False) -> Period:
    """The open period that takes postings dated `date`, or a clear refusal."""
    queryset = Period.objects.select_related("fiscal_year")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    period = queryset.filter(start_date__lte=date, end_date__gte=date).first()
    if period is None:
        raise ClosedPeriodError(_("No hay ningún ejercicio abierto que incluya el %s.") % date.strftime("%d/%m/%Y"),
                                field="date")
    if period.fiscal_year.state != FiscalYearState.OPEN:
        raise ClosedPeriodError(
            _("El ejercicio %(year)s está %(state)s: no admite asientos.")
            % {"year": period.fiscal_year.name, "state": period.fiscal_year.get_state_display().lower()}, field="date")
    if period.state != PeriodState.OPEN:
        raise ClosedPeriodError(
            _("El periodo %(period)s está %(state)s: no admite asientos con fecha %(date)s.")
            % {"period": period.start_date.strftime("%m/%Y"), "state": period.get_state_display().lower(),
               "date": date.strftime("%d/%m/%Y")}, field="date")
    return period


def _set_state(*, actor, obj, state: str):
    before = obj.state
    if before == state:
        return obj
    obj.state = state
    obj.save(update_fields=["state"])
    audit_event_record(actor=actor, action=AuditAction.ACTION, verb=f"state_{state}", obj=obj,
                       changes={"state": [before, state]})
    return obj


@transaction.atomic
def period_set_state(*, actor, period: Period, state: str) -> Period:
    period = Period.objects.select_for_update().select_related("fiscal_year").get(pk=period.pk)
    if period.state == PeriodState.LOCKED and state != PeriodState.LOCKED and not actor.has_perm(
            "accounting.change_fiscalyear"):
        raise AccountingError(_("Solo Contabilidad puede reabrir un periodo bloqueado."))
    if state == PeriodState.OPEN and period.fiscal_year.state != FiscalYearState.OPEN:
        raise AccountingError(_("Reabra antes el ejercicio %s.") % period.fiscal_year.name)
    return _set_state(actor=actor, obj=period, state=state)


@transaction.atomic
def fiscal_year_set_state(*, actor, fiscal_year: FiscalYear, state: str) -> FiscalYear:
    fiscal_year = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
    if state != FiscalYearState.OPEN and fiscal_year.entries.filter(state=EntryState.DRAFT).exists():
        raise AccountingError(_("El ejercicio %s tiene asientos en borrador: contabilícelos o bórrelos antes.")
                              % fiscal_year.name)
    return _set_state(actor=actor, obj=fiscal_year, state=state)
