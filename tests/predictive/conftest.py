"""Fixture data of the predictive tests, written with the ORM on purpose (data, not behaviour under test):

  renewal_history  240 past terms of car and home policies in alfa that reached expiry between 2023 and
                   2026, renewed or not; the chance of not renewing grows with the proposed premium rise,
                   with no tacit renewal and with monthly payment (plus noise), as in a real portfolio;
                   60 % of them went through a renewal proposal. Plus 30 policies in force to score,
                   assigned half to the Comercial (account manager) and half to the admin.
"""
import datetime
import math
import random
from decimal import Decimal

import pytest

from apps.insurance.models import Policy, RenewalProposal
from tests.fixtures.insurance import make_insurer, make_product

TODAY = datetime.date(2026, 12, 4)


def _party(i: int, manager=None):
    from apps.crm.models import Party

    return Party.objects.create(display_name=f"Cliente Predictivo {i}", kind="person", tax_id=f"{20000000 + i}",
                                first_name="Cliente", last_name=f"Predictivo {i}", status="client",
                                account_manager=manager)


def _policy(n, product, party, *, start, state, tacit=True, frequency="annual", premium=Decimal("400.00")):
    return Policy.objects.create(
        insurer=product.insurer, number=f"PRED-{n:05d}", product=product, line=product.line, policyholder=party,
        state=state, start_date=start, expiry_date=start + datetime.timedelta(days=364), tacit_renewal=tacit,
        payment_frequency=frequency, net_premium=premium, total_premium=premium * Decimal("1.08"))


@pytest.fixture
def products(tenant_a):
    insurer = make_insurer("Aseguradora Predictiva")
    return [make_product("autos", insurer), make_product("hogar", insurer)]


@pytest.fixture
def renewal_history(products, users_a):
    rng = random.Random(42)
    parties = [_party(i, users_a["comercial"] if i % 2 else users_a["admin"]) for i in range(60)]
    labels = []
    for n in range(240):
        start = datetime.date(2022, 12, 1) + datetime.timedelta(days=rng.randint(0, 3 * 365 - 30))
        tacit = rng.random() < 0.7
        frequency = rng.choice(["annual", "annual", "semiannual", "monthly"])
        rise = rng.uniform(-0.02, 0.15)
        logit = -3.0 + 25 * rise + 2.5 * (not tacit) + 1.2 * (frequency == "monthly") + rng.gauss(0, 0.3)
        churn = rng.random() < 1 / (1 + math.exp(-logit))
        premium = Decimal(str(round(rng.uniform(200, 900), 2)))
        policy = _policy(n, rng.choice(products), rng.choice(parties), start=start,
                         state="expired" if churn else "renewed", tacit=tacit, frequency=frequency, premium=premium)
        if n % 5 < 3:  # 60 % through a renewal proposal with its proposed premium
            RenewalProposal.objects.create(
                policy=policy, expiry_date=policy.expiry_date, state="not_renewed" if churn else "renewed",
                current_net_premium=premium,
                proposed_net_premium=(premium * Decimal(str(1 + rise))).quantize(Decimal("0.01")))
        labels.append(churn)
    in_force = []
    for n in range(30):
        start = TODAY - datetime.timedelta(days=rng.randint(30, 330))
        in_force.append(_policy(1000 + n, rng.choice(products), parties[n % len(parties)], start=start,
                                state="in_force", tacit=n % 3 != 0, frequency="monthly" if n % 2 else "annual"))
    return {"labels": labels, "in_force": in_force, "parties": parties}
