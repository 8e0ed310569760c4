"""Shared fixtures of the treasury tests (bank accounts, mandates, remittances, statements).

  bank_account   the brokerage's default bank account: IBAN ES91 2100 0418 4502 0005 1332, BIC
                 CAIXESBBXXX, creditor id built from the tenant's NIF (B12345674 -> ES11000B12345674),
                 ledger account 572
  mandate_for    factory: mandate_for(party, iban="ES7921000813610123456789", signature_date=01/01/2026,
                 kind="recurrent", scheme="CORE", reference="") -> an active Mandate
Receipt fixtures come from tests/collections/conftest.py (imported below by name).
"""
import datetime

import pytest

from apps.accounting.models import Account
from apps.treasury.services.accounts import bank_account_create, tenant_creditor_id
from apps.treasury.services.mandates import mandate_create
from tests.collections.conftest import coll_books, coll_catalog, coll_holder, coll_line, issued_policy  # noqa: F401

BANK_IBAN = "ES9121000418450200051332"
DEBTOR_IBAN = "ES7921000813610123456789"
SIGNED = datetime.date(2026, 1, 1)


@pytest.fixture
def bank_account(tenant_a, admin_a):
    return bank_account_create(actor=admin_a, name="CaixaBank cobros", iban=BANK_IBAN, bic="CAIXESBBXXX",
                               creditor_id=tenant_creditor_id(), account=Account.objects.get(code="572"),
                               is_default=True)


@pytest.fixture
def mandate_for(tenant_a, admin_a):
    def make(party, *, iban: str = DEBTOR_IBAN, signature_date: datetime.date = SIGNED, kind: str = "recurrent",
             scheme: str = "CORE", reference: str = "", bic: str = "", actor=None):
        return mandate_create(actor=actor or admin_a, party=party, iban=iban, bic=bic, signature_date=signature_date,
                              kind=kind, scheme=scheme, reference=reference)

    return make
