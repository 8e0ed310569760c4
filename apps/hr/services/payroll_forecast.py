"""Payroll in the treasury cash forecast: the net pay on each month's payment date (the run's own date,
else the last day of the month) and the Social Security contributions (employee + employer, form RLC)
on the last day of the following month. A month with a run uses its figures; a month after the latest run is
estimated with its figures. A PAID run's net is left out: its transfer order is already a source."""
import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.hr.choices import PayrollRunState
from apps.hr.models import PayrollRun
from apps.hr.services.payroll import month_end

KEY = "payroll"


def _months(start: datetime.date, end: datetime.date):
    year, month = (start.year, start.month - 1) if start.month > 1 else (start.year - 1, 12)
    while datetime.date(year, month, 1) <= end:
        yield year, month
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)


def payroll_items(start: datetime.date | None, end: datetime.date) -> list[tuple]:
    """(date, amount, label, run or None) of the payroll money going out up to `end` (from `start`)."""
    runs = {(run.year, run.month): run for run in PayrollRun.objects.filter(
        year__gte=(start or end).year - 1, year__lte=end.year)}
    latest = PayrollRun.objects.order_by("-year", "-month").first()
    if latest is None:
        return []
    items = []
    for year, month in _months(start or datetime.date(end.year, 1, 1), end):
        run = runs.get((year, month))
        if run is None and (year, month) < (latest.year, latest.month):
            continue  # a month before the first runs kept here: nothing to estimate from
        model = run or latest
        net_date = run.payment_date if run else month_end(year, month)
        if run is None or run.state != PayrollRunState.PAID:
            items.append((net_date, model.net_total, _("Nómina %02d/%s (líquido)") % (month, year), run))
        ss_date = month_end(year + (month == 12), 1 if month == 12 else month + 1)
        items.append((ss_date, model.ss_employee_total + model.ss_employer_total,
                      _("Seguros sociales %02d/%s") % (month, year), run))
    return [item for item in items if item[0] <= end and (start is None or item[0] >= start) and item[1]]


def payroll_flows(start: datetime.date, end: datetime.date):
    from apps.treasury.services.forecast import flows_by_day

    by_day = {}
    for day, amount, _label, _run in payroll_items(start, end):
        total, count = by_day.get(day, (0, 0))
        by_day[day] = (total + amount, count + 1)
    return flows_by_day(((day, total, count) for day, (total, count) in sorted(by_day.items())), start=start,
                        source=KEY, label=str(_("Nóminas y seguros sociales")), sign=-1)


def payroll_records(date_from: datetime.date | None, date_to: datetime.date):
    from apps.treasury.services.forecast import Record

    return [Record(date=day, reference=label, party=_("Plantilla"), amount=amount,
                   url=reverse("hr:payroll-run-detail", args=[run.pk]) if run else "")
            for day, amount, label, run in payroll_items(date_from, date_to)]


def register() -> None:
    from apps.treasury.services.forecast import register_source

    register_source(payroll_flows, details={KEY: payroll_records}, labels={KEY: _l("Nóminas")})
