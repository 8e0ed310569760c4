"""Fixtures of the claims tests: the insurance tests' «ptest» line (policy POL-1 of Lucía Prieto,
15/03/2026 – 14/03/2027, coverages «damage» Daños and «liability» Responsabilidad civil), a
second client's policy, and open_claim() with sensible defaults. Its own test pins the numbering."""
import datetime
from decimal import Decimal

import pytest
from django.core.files.storage import FileSystemStorage

from apps.claims.models import ClaimDocument
from apps.claims.services.claims import claim_open
from tests.conftest import host_client
from tests.insurance.test_policy_support import (  # noqa: F401  (fixtures)
    LINE, RISK, START, holder, other_holder, pcatalog, place, pline,
)

D = Decimal
date = datetime.date
TODAY = date(2026, 12, 1)


@pytest.fixture
def policy(pcatalog, holder, admin_a):
    return place(admin_a, holder, pcatalog["alfa"])


@pytest.fixture
def other_policy(pcatalog, other_holder, admin_a):
    return place(admin_a, other_holder, pcatalog["beta"], number="OTRA-1")


@pytest.fixture
def comercial(tenants, users_a):
    return host_client(tenants.alfa_host, users_a["comercial"])


@pytest.fixture
def media(tmp_path, monkeypatch):
    """Claim documents go to a temporary folder, not the project's .var/media."""
    field = ClaimDocument._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=str(tmp_path)))
    return tmp_path


def open_claim(actor, policy, **kwargs):
    params = {"loss_date": date(2026, 6, 10), "reported_date": date(2026, 6, 11), "cause": "water",
              "coverage_code": "damage", "description": "Fuga de agua en la cocina", "today": TODAY}
    params.update(kwargs)
    return claim_open(actor=actor, policy=policy, **params)


def test_claims_are_numbered_by_year(policy, admin_a):
    first = open_claim(admin_a, policy)
    second = open_claim(admin_a, policy, cause="fire")
    assert first.number.startswith("S-2026-") and len(first.number) == len("S-2026-000001")
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1
    assert (first.coverage_name, first.insurer, first.policyholder, first.handler) == (
        "Daños", policy.insurer, policy.policyholder, admin_a)
