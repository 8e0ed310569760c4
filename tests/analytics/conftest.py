"""A small brokerage in alfa for the analytics tests, built with the ORM (fixture data, not behaviour
under test). The figures of year 2025 (compared with 2024):

Policies (net annual premium)            line       insurer   holder (manager)   state
  p1 500,00  start 10/03/2025            an-auto    Ins-1     P1 (comercial@)    in force to 09/03/2026
  p2 300,00  start 20/03/2025            an-auto    Ins-2     P2 (admin)         in force to 19/03/2026
  p3 200,00  start 05/05/2025            an-hogar   Ins-1     P2                 cancelled 01/09/2025
  p4 150,00  start 01/04/2024            an-hogar   Ins-2     P1                 in force to 31/03/2025
  p5 999,00  start 15/03/2025            an-auto    Ins-1     P1                 draft (never counts)
  p6 160,00  start 01/04/2025 renewal of p4  an-hogar Ins-2   P1                 in force to 31/03/2026
  -> production 2025: mar an-auto 800,00, may an-hogar 200,00 (total 1.000,00; 2024: 150,00);
     portfolio on 31/12/2025: Ins-1 500,00, Ins-2 460,00 (on 31/12/2024: 150,00)
Receipt movements: r1 +500 02/04, r2 +300 10/04 and -300 25/04, r3 +200 01/06/2025
  -> April collected 800,00 returned 300,00, June 200,00; returns rate 1/3 = 33,33 %
Receipts earned (period start in 2025): an-auto 800,00 (r1, r2), an-hogar 200,00 (r3)
Claims: c1 an-auto 10/06/2025 paid 200 + reserve 200; c2 an-hogar 01/07/2025 reserve 50;
        c3 an-auto 01/11/2024 reserve 100  -> loss ratio 2025 an-auto 50,00 %, an-hogar 25,00 %, total 45,00 %
Broker commissions: +50 (p1) 02/04, +30 and -30 (p2) 10/04 and 25/04/2025 -> April 50,00
Opportunities opened 01/02/2025: two «new» (one comercial@'s), one «won»
Employees: e1 (Dirección AN, since 2020), e2 (Dirección AN, 01/02-30/06/2025), e3 (no department, since 2024)
  -> headcount on 31/12/2025: Dirección AN 1, sin departamento 1 (2 in total; 2 on 31/12/2024)
"""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.claims.models import Claim
from apps.collections.models import CommissionMovement, Receipt, ReceiptMovement
from apps.crm.models import Opportunity, Party
from apps.hr.models import Contract, Department, Employee
from apps.insurance.models import Line, Policy, Product
from tests.fixtures.insurance import make_insurer

D = Decimal
d = datetime.date
YEAR = {"periodo": "year", "fecha": "2025-06-15"}


class Bag(dict):
    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def _party(name, manager):
    first, last = name.split(" ", 1)
    party = Party(first_name=first, last_name=last, account_manager=manager)
    party.save()
    return party


def _policy(number, line, insurer, holder, start, expiry, net, state="in_force", **extra):
    product = Product.objects.get_or_create(insurer=insurer, line=line, code=f"AN-{line.code}",
                                            defaults={"name": f"{line.name} {insurer.name}"})[0]
    return Policy.objects.create(insurer=insurer, number=number, product=product, line=line, policyholder=holder,
                                 state=state, start_date=start, expiry_date=expiry, net_premium=D(net),
                                 total_premium=D(net), **extra)


def _receipt(policy, state, net):
    return Receipt.objects.create(
        policy=policy, sequence=1, number=f"{policy.number}/1", insurer=policy.insurer, line=policy.line,
        policyholder=policy.policyholder, kind="new", period_start=policy.start_date, period_end=policy.expiry_date,
        due_date=policy.start_date, net_premium=D(net), total_premium=D(net), collector="broker", state=state)


@pytest.fixture
def an_data(tenant_a, users_a):
    comercial, admin = users_a["comercial"], users_a["admin"]
    auto = Line.objects.create(code="an-auto", name="Automóviles AN", dgsfp_class="03")
    home = Line.objects.create(code="an-hogar", name="Hogar AN", dgsfp_class="08")
    ins1, ins2 = make_insurer("Ins-1 AN"), make_insurer("Ins-2 AN")
    p1_holder, p2_holder = _party("Pedro Uno", comercial), _party("Paula Dos", admin)
    p1 = _policy("AN-1", auto, ins1, p1_holder, d(2025, 3, 10), d(2026, 3, 9), "500.00")
    p2 = _policy("AN-2", auto, ins2, p2_holder, d(2025, 3, 20), d(2026, 3, 19), "300.00")
    p3 = _policy("AN-3", home, ins1, p2_holder, d(2025, 5, 5), d(2026, 5, 4), "200.00", state="cancelled",
                 cancellation_date=d(2025, 9, 1))
    p4 = _policy("AN-4", home, ins2, p1_holder, d(2024, 4, 1), d(2025, 3, 31), "150.00", state="renewed")
    p5 = _policy("AN-5", auto, ins1, p1_holder, d(2025, 3, 15), d(2026, 3, 14), "999.00", state="draft")
    p6 = _policy("AN-6", home, ins2, p1_holder, d(2025, 4, 1), d(2026, 3, 31), "160.00", renewal_of=p4)
    r1, r2, r3 = _receipt(p1, "collected", "500.00"), _receipt(p2, "returned", "300.00"), _receipt(p3, "collected", "200.00")
    for receipt, kind, day, amount in [(r1, "collection", d(2025, 4, 2), "500.00"), (r2, "collection", d(2025, 4, 10), "300.00"),
                                       (r2, "return", d(2025, 4, 25), "-300.00"), (r3, "collection", d(2025, 6, 1), "200.00")]:
        ReceiptMovement.objects.create(receipt=receipt, insurer=receipt.insurer, kind=kind, date=day, amount=D(amount),
                                       collector="broker")
    for policy, receipt, kind, day, amount in [(p1, r1, "earned", d(2025, 4, 2), "50.00"),
                                               (p2, r2, "earned", d(2025, 4, 10), "30.00"),
                                               (p2, r2, "reversed", d(2025, 4, 25), "-30.00")]:
        CommissionMovement.objects.create(policy=policy, receipt=receipt, insurer=policy.insurer, kind=kind, date=day,
                                          amount=D(amount))
    claims = []
    for number, policy, loss, paid, reserve in [("AN-S1", p1, d(2025, 6, 10), "200.00", "200.00"),
                                                ("AN-S2", p3, d(2025, 7, 1), "0.00", "50.00"),
                                                ("AN-S3", p2, d(2024, 11, 1), "0.00", "100.00")]:
        claims.append(Claim.objects.create(
            number=number, policy=policy, insurer=policy.insurer, line=policy.line, policyholder=policy.policyholder,
            state="in_review", loss_date=loss, reported_date=loss, cause="collision", coverage_code="rc",
            description="Prueba", paid_total=D(paid), reserve=D(reserve)))
    opportunities = [Opportunity.objects.create(party=p1_holder, title=title, line_of_business="autos", stage=stage,
                                                owner=owner, expected_premium=D("100.00"))
                     for title, stage, owner in [("Op nueva 1", "new", comercial), ("Op nueva 2", "new", admin),
                                                 ("Op ganada", "won", admin)]]
    Opportunity.objects.filter(pk__in=[o.pk for o in opportunities]).update(
        created_at=timezone.make_aware(datetime.datetime(2025, 2, 1, 10, 0)))
    dept = Department.objects.create(code="AN-DIR", name="Dirección AN")
    employees = []
    for n, (department, start, end) in enumerate([(dept, d(2020, 1, 1), None), (dept, d(2025, 2, 1), d(2025, 6, 30)),
                                                  (None, d(2024, 1, 1), None)], start=1):
        employee = Employee.objects.create(code=f"AN{n}", first_name=f"Empleado{n}", last_name="Analítica",
                                           tax_id=f"X000000{n}T"[:9], ss_number=f"2800000000{n}", department=department)
        Contract.objects.create(employee=employee, kind="indefinite", start_date=start, end_date=end,
                                annual_salary=D("20000.00"))
        employees.append(employee)
    return Bag(lines=(auto, home), insurers=(ins1, ins2), policies=(p1, p2, p3, p4, p5, p6), receipts=(r1, r2, r3),
               claims=claims, opportunities=opportunities, department=dept, employees=employees,
               comercial=comercial, admin=admin)
