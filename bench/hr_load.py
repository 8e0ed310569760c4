"""Figure 9 of run.py: HR at a brokerage of 1.000 people.

One brokerage of our own (cloned, bench_<pid>_hr). Set-up in bulk (bulk_create: fixture data, not the
behaviour measured): `employees` employees with an indefinite contract each (salaries 16.000..60.000 €,
12 or 14 payments, IRPF 2..24 %, one in ten without IBAN), the default bank account on 572.
  a) payroll of last month: payroll_run_calculate (wall s, queries, payslips), payroll_run_post (one
     entry, its lines), payroll_run_pay (pain.001 of the net pay, XSD-validated: wall s, file size, refused);
  b) the monthly time report for `people` employees through apps.hr.selectors_time.monthly_reports
     (employee_ids, year, month), each with a month of clock records (in/out and a break on every working
     day, bulk-created): wall s and queries.
Every part records its own error and the others still run; the brokerage is dropped at the end.
"""
from __future__ import annotations

import datetime
import random
import time
from decimal import Decimal

from bench.common import TAX_ID, drop_tenant, error_text, figure_done, run_part, say, section_ran
from bench.treasury_load import Queries

BANK_IBAN = "ES9121000418450200051332"
PAYEE_IBAN = "ES7921000813610123456789"


def _last_month(today: datetime.date) -> tuple[int, int]:
    first = today.replace(day=1) - datetime.timedelta(days=1)
    return first.year, first.month


def seed_hr(employees: int) -> dict:
    from apps.accounting.models import Account
    from apps.accounting.services import fiscal_year_for_calendar_year
    from apps.hr.choices import ContractKind
    from apps.hr.models import Contract, Employee
    from apps.treasury.services.accounts import bank_account_create
    from apps.treasury.validators import creditor_id_build

    t0 = time.perf_counter()
    today = datetime.date.today()
    for year in {today.year, _last_month(today)[0]}:
        fiscal_year_for_calendar_year(actor=None, year=year)
    bank_account_create(actor=None, name="Banco nóminas", iban=BANK_IBAN, bic="CAIXESBBXXX",
                        creditor_id=creditor_id_build(TAX_ID), account=Account.objects.get(code="572"), is_default=True)
    rng = random.Random(9)
    people = Employee.objects.bulk_create([
        Employee(code=f"B{n:05d}", first_name=f"Persona{n}", last_name=f"Bench {n:05d}", tax_id=f"X{n:07d}B",
                 ss_number=f"28{n:010d}", iban="" if n % 10 == 0 else PAYEE_IBAN,
                 irpf_rate=Decimal(rng.randint(2, 24))) for n in range(1, employees + 1)], batch_size=1000)
    Contract.objects.bulk_create([
        Contract(employee=person, kind=ContractKind.INDEFINITE, start_date=datetime.date(2020, 1, 1),
                 annual_salary=Decimal(rng.randrange(16_000, 60_000, 500)), payments_per_year=rng.choice((12, 14)),
                 contribution_group=rng.randint(1, 7)) for person in people], batch_size=1000)
    return {"employees": len(people), "ids": [p.pk for p in people], "seconds": time.perf_counter() - t0}


def bench_payroll(admin, year: int, month: int) -> dict:
    from apps.hr.services.payroll import month_end, payroll_run_calculate, payroll_run_post
    from apps.hr.services.payroll_posting import payroll_run_pay

    out = {"period": f"{month:02d}/{year}"}
    with Queries() as queries:
        t0 = time.perf_counter()
        run = payroll_run_calculate(actor=admin, year=year, month=month, payment_date=month_end(year, month))
        out["calculate_s"] = time.perf_counter() - t0
    out.update(calculate_queries=len(queries), payslips=run.payslips.count(), skipped=len(run.skipped),
               gross=str(run.gross_total), net=str(run.net_total))
    with Queries() as queries:
        t0 = time.perf_counter()
        run = payroll_run_post(actor=admin, run=run)
        out["post_s"] = time.perf_counter() - t0
    out.update(post_queries=len(queries), entries=1 if run.entry_id else 0, entry_lines=run.entry.lines.count())
    with Queries() as queries:
        t0 = time.perf_counter()
        run = payroll_run_pay(actor=admin, run=run)
        out["pay_s"] = time.perf_counter() - t0
    order = run.transfer_order
    out.update(pay_queries=len(queries), transfers=order.count, refused=len(run.refused),
               transfer_total=str(order.total), file_bytes=len(order.xml.encode()))
    return out


def seed_clock(ids: list[int], year: int, month: int) -> dict:
    from django.utils import timezone

    from apps.hr.choices import TimeRecordKind
    from apps.hr.models import TimeRecord

    t0 = time.perf_counter()
    zone = timezone.get_default_timezone()
    day, records = datetime.date(year, month, 1), []
    while day.month == month:
        if day.weekday() < 5:
            for hour, minute, kind in ((8, 30, TimeRecordKind.CLOCK_IN), (14, 0, TimeRecordKind.BREAK_START),
                                       (15, 0, TimeRecordKind.BREAK_END), (18, 0, TimeRecordKind.CLOCK_OUT)):
                at = datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
                records.extend(TimeRecord(employee_id=pk, kind=kind, at=at) for pk in ids)
        day += datetime.timedelta(days=1)
    TimeRecord.objects.bulk_create(records, batch_size=5000)
    return {"records": len(records), "seconds": time.perf_counter() - t0}


def bench_time_report(ids: list[int], year: int, month: int) -> dict:
    from apps.hr.selectors_time import monthly_reports  # written by the time-records work (issue 8 item 4)

    with Queries() as queries:
        t0 = time.perf_counter()
        reports = monthly_reports(ids, year, month)
        seconds = time.perf_counter() - t0
    return {"people": len(ids), "reports": len(reports), "seconds": seconds, "queries": len(queries)}


def bench_hr(*, employees: int = 1000, people: int = 300) -> dict:
    from django_tenants.utils import schema_context

    from apps.identity.models import User
    from bench.provisioning import provision

    started = time.perf_counter()
    tenant, domain, _wall = provision("hr", use_template=True)
    schema = tenant.schema_name
    result = {"employees": employees, "people": people, "schema": schema, "errors": {}}
    errors = result["errors"]
    year, month = _last_month(datetime.date.today())
    try:
        with schema_context(schema):
            admin = User.objects.get(email=f"admin@{domain}")
        run_part("seed", lambda: seed_hr(employees), schema=schema, result=result, errors=errors, label="hr")
        if result.get("seed"):
            ids = result["seed"].pop("ids")
            run_part("payroll", lambda: bench_payroll(admin, year, month), schema=schema, result=result,
                     errors=errors, label="hr")
            run_part("clock", lambda: seed_clock(ids[:people], year, month), schema=schema, result=result,
                     errors=errors, label="hr")
            if result.get("clock"):
                run_part("time_report", lambda: bench_time_report(ids[:people], year, month), schema=schema,
                         result=result, errors=errors, label="hr")
    except Exception as exc:  # noqa: BLE001 - the setup failed: nothing else can run
        errors["setup"] = error_text(exc)
    finally:
        drop_tenant(tenant)
    return figure_done(result, started)


def hr_report(hr: dict | None, why: str) -> None:
    """Section 9 of run.py's table. `why` is printed when the figure did not run."""
    if not section_ran(hr, "9. HR", why):
        return
    say(f"9. HR  (brokerage {hr['schema']}, whole figure {hr['wall_s']:.0f} s)")
    seed, pay, clock, report = hr.get("seed"), hr.get("payroll"), hr.get("clock"), hr.get("time_report")
    errors = hr["errors"] or {}
    if seed:
        say(f"   seed: {seed['employees']} employees with contracts in {seed['seconds']:.1f} s (bulk_create)")
    if pay:
        say(f"   a) payroll {pay['period']}: calculate {pay['calculate_s']:.2f} s ({pay['calculate_queries']} queries, "
            f"{pay['payslips']} payslips, gross {pay['gross']} EUR, net {pay['net']} EUR)")
        say(f"      post {pay['post_s']:.2f} s ({pay['post_queries']} queries, {pay['entries']} entry of "
            f"{pay['entry_lines']} lines); pay {pay['pay_s']:.2f} s ({pay['pay_queries']} queries, pain.001 of "
            f"{pay['transfers']} transfers, {pay['file_bytes'] / 1e6:.2f} MB, {pay['refused']} without IBAN)")
    elif "payroll" in errors:
        say(f"   a) FAILED: {errors['payroll']}")
    if clock:
        say(f"   b) {clock['records']} clock records bulk-created in {clock['seconds']:.1f} s")
    if report:
        say(f"      monthly_reports for {report['people']} people: {report['seconds']:.2f} s "
            f"({report['queries']} queries, {report['reports']} reports)")
    elif "time_report" in errors:
        say(f"      monthly_reports FAILED: {errors['time_report']}")
