"""Demo HR for the demo brokerage; runs after the treasury demo (apps are seeded in INSTALLED_APPS order).

1. Work centres (Madrid, Comunidad de Madrid; Valencia, Comunitat Valenciana) and six departments
   (apps.hr.demo_people), with the holidays of this year and the next (apps.hr.demo_holidays).
2. 26 employees with valid NIF/NIE, NAF and IBAN, an org chart under the general manager and their LDS level;
   those whose user exists are linked to it (direccion@, comercial@, rrhh@…). Contracts: indefinite for most,
   two temporary, one part-time, one formativo, and one terminated earlier this year (baja voluntaria).
3. Leave and last month's registro de jornada (apps.hr.demo_activity).
4. Payroll of the two months before this one: calculated, posted (one entry per month in the books the
   accounting demo opened) and, when the brokerage has a bank account, paid by a pain.001 transfer order
   the bank then charges (Dr 465 / Cr bank per employee). This month is left for HR to run.
5. This year's LDS courses with about half the distributors short of hours, and the contract PDF of two people
   (apps.hr.demo_training).

Everything goes through the HR services, so each record is validated and audited. Deterministic (a seeded
random generator) and run once: it does nothing when any employee exists."""
import datetime
import random

from django.db import connection, transaction
from django.utils import timezone

from aitcore.registry import registry
from apps.hr.access import is_hr_staff


def _real_tenant() -> None:
    """seed_demo runs inside schema_context, whose tenant is a stand-in without a name: the pain.001 of the
    net pay names the brokerage as the payer (as apps.treasury.demo does)."""
    from apps.tenancy.models import Tenant

    if not getattr(connection.tenant, "name", ""):
        tenant = Tenant.objects.filter(schema_name=connection.schema_name).first()
        if tenant is not None:
            connection.set_tenant(tenant)


def last_working_day(year: int, month: int) -> datetime.date:
    from apps.hr.services.calendars import is_working_day
    from apps.hr.services.payroll import month_end

    day = month_end(year, month)
    while not is_working_day(day, None):
        day -= datetime.timedelta(days=1)
    return day


def _payroll(*, actor, today: datetime.date) -> dict:
    from apps.accounting.errors import ClosedPeriodError
    from apps.accounting.services import period_for_date
    from apps.hr.demo_people import month_start
    from apps.hr.services.payroll import month_end, payroll_run_calculate, payroll_run_post
    from apps.hr.services.payroll_posting import payroll_run_pay
    from apps.treasury.models import BankAccount
    from apps.treasury.services.transfer_orders import transfer_order_settle

    # the payments account when there are two (the collections one is the default and carries the statement)
    bank = BankAccount.objects.filter(is_active=True).order_by("is_default", "pk").first()
    done = {"payroll_runs": 0, "payroll_paid": 0, "payslips": 0}
    for back in (2, 1):
        first = month_start(today, back)
        try:
            period_for_date(month_end(first.year, first.month))
        except ClosedPeriodError:
            continue  # no open books for that month (the accounting demo did not run): no payroll to post
        pay_day = last_working_day(first.year, first.month)
        run = payroll_run_calculate(actor=actor, year=first.year, month=first.month, payment_date=pay_day)
        run = payroll_run_post(actor=actor, run=run)
        done["payroll_runs"] += 1
        done["payslips"] += run.payslips.count()
        if bank is not None:
            run = payroll_run_pay(actor=actor, run=run, bank_account=bank)
            transfer_order_settle(actor=actor, order=run.transfer_order, date=pay_day)
            done["payroll_paid"] += 1
    return done


def _training_and_documents(*, actor, people: dict, today: datetime.date) -> dict:
    """This year's courses and who completed them, and a contract PDF for two people (apps.hr.demo_training)."""
    from apps.hr.demo_training import documents_seed, training_seed

    if not is_hr_staff(actor):
        return {}  # both are for HR only
    return {**training_seed(actor=actor, people=people, today=today),
            "documents": documents_seed(actor=actor, people=people)}


def hr_demo_seed(*, admin, today: datetime.date | None = None) -> dict:
    """The demo's HR (see the module doc); {} when there are employees already."""
    from apps.hr.demo_activity import hr_actor, leave_seed, time_seed
    from apps.hr.demo_holidays import holidays_seed
    from apps.hr.demo_people import demo_users, org_seed, people_seed
    from apps.hr.models import Employee

    if Employee.objects.exists():
        return {}
    today = today or timezone.localdate()
    rng = random.Random(2026_8)
    _real_tenant()
    with transaction.atomic():
        users = demo_users(admin)
        hr = hr_actor(admin, users)
        centres, departments = org_seed(actor=admin)
        done = {"work_centres": len(centres), "departments": len(departments)}
        done["holidays"] = holidays_seed(actor=hr if is_hr_staff(hr) else None,
                                         years=(today.year, today.year + 1), centres=centres)
        people = people_seed(actor=admin, users=users, rng=rng, today=today, centres=centres,
                             departments=departments)
        done["employees"] = len(people)
        done["linked_users"] = sum(1 for employee in people.values() if employee.user_id)
        done.update(leave_seed(admin=admin, hr=hr, rng=rng, people=people, today=today))
        done.update(time_seed(rng=rng, people=people, today=today))
        done.update(_payroll(actor=hr, today=today))
        done.update(_training_and_documents(actor=hr, people=people, today=today))
    return done


registry.register_demo_seeder(hr_demo_seed)
