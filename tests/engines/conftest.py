"""A worked loss-ratio example in alfa (ORM fixture data, not behaviour under test), first half of 2025:

Policy (net premium of the term)   cover                          days in H1 2025  earned
  LR-A 365,00  01/01/2025-31/12/2025 (365 days)                     181             181,00
  LR-B 730,00  01/04/2025-31/03/2026 (365 days)                      91             182,00
  LR-C 365,00  01/07/2024-30/06/2025, cancelled 31/03/2025           90              90,00
  LR-D 999,00  draft (never earns)                                   -                 -
                                                                         earned total 453,00
Claims                 reserve changes                 payments            incurred at 30/06/2025
  S1 on A 10/02/2025   15/02 0 -> 300                  01/03 100,00        max(300, 100) = 300,00
  S2 on B 05/05/2025   06/05 0 -> 200, 10/07 -> 500    01/06 250,00        max(200, 250) = 250,00
  S3 on C 20/12/2024   reserve 1.000 (outside H1 2025: not counted)
-> loss ratio = 550,00 / 453,00 = 121,41 %; Q1: 300 / (90 + 90) = 166,67 %; Q2: 250 / (91 + 182) = 91,58 %
"""
import datetime
from decimal import Decimal

import pytest

from apps.claims.models import Claim, ClaimPayment, ReserveChange
from apps.crm.models import Party
from apps.insurance.models import Line, Policy, Product
from tests.fixtures.insurance import make_insurer

d = datetime.date
D = Decimal


@pytest.fixture
def lr_data(tenant_a, users_a):
    line = Line.objects.create(code="lr-auto", name="Autos LR", dgsfp_class="03")
    insurer = make_insurer("Aseguradora LR")
    product = Product.objects.create(insurer=insurer, line=line, code="LR-P", name="Autos LR producto")
    holder = Party(first_name="Lucía", last_name="Ratio", account_manager=users_a["admin"])
    holder.save()

    def policy(number, start, expiry, net, state="in_force", **extra):
        return Policy.objects.create(insurer=insurer, number=number, product=product, line=line, policyholder=holder,
                                     state=state, start_date=start, expiry_date=expiry, net_premium=D(net),
                                     total_premium=D(net), **extra)

    a = policy("LR-A", d(2025, 1, 1), d(2025, 12, 31), "365.00")
    b = policy("LR-B", d(2025, 4, 1), d(2026, 3, 31), "730.00")
    c = policy("LR-C", d(2024, 7, 1), d(2025, 6, 30), "365.00", state="cancelled", cancellation_date=d(2025, 3, 31))
    policy("LR-D", d(2025, 1, 1), d(2025, 12, 31), "999.00", state="draft")
    Policy.objects.filter(pk__in=[a.pk, b.pk, c.pk]).update(expiry_date=models_expiry(a, b, c))

    def claim(number, pol, loss, reserve):
        return Claim.objects.create(number=number, policy=pol, insurer=insurer, line=line, policyholder=holder,
                                    state="in_review", loss_date=loss, reported_date=loss, cause="collision",
                                    coverage_code="rc", description="Prueba", reserve=D(reserve))

    s1, s2, s3 = claim("LR-S1", a, d(2025, 2, 10), "300"), claim("LR-S2", b, d(2025, 5, 5), "500"), \
        claim("LR-S3", c, d(2024, 12, 20), "1000")
    for cl, day, prev, amount in [(s1, d(2025, 2, 15), "0", "300"), (s2, d(2025, 5, 6), "0", "200"),
                                  (s2, d(2025, 7, 10), "200", "500"), (s3, d(2024, 12, 21), "0", "1000")]:
        ReserveChange.objects.create(claim=cl, date=day, previous=D(prev), amount=D(amount), reason="prueba")
    for cl, day, amount in [(s1, d(2025, 3, 1), "100.00"), (s2, d(2025, 6, 1), "250.00")]:
        ClaimPayment.objects.create(claim=cl, date=day, amount=D(amount), payee="policyholder")
    return {"line": line, "insurer": insurer, "product": product, "policies": (a, b, c), "claims": (s1, s2, s3)}


def models_expiry(*policies):
    """Policy.save() may derive expiry_date: the fixture's dates are the ones written above."""
    from django.db.models import Case, When

    dates = {"LR-A": d(2025, 12, 31), "LR-B": d(2026, 3, 31), "LR-C": d(2025, 6, 30)}
    return Case(*[When(number=p.number, then=dates[p.number]) for p in policies])
