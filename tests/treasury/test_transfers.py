"""pain.001.001.03 credit transfers paying the insurers' settlements (issue 7 item 7)."""
import datetime
from decimal import Decimal

import pytest
import xmlschema
from lxml import etree

from apps.collections.models import Settlement
from apps.collections.services.accounts import insurer_party
from apps.core.errors import DomainError
from apps.crm.models import BankAccount as PartyBankAccount
from apps.treasury.services.sepa_xml import SCHEMAS
from apps.treasury.services.transfers import Payment, payments_for_settlements, transfer_file

D = Decimal
d = datetime.date
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
INSURER_IBAN = "ES6621000418401234567891"


def _settlement(insurer, number: str, amount_due: Decimal, month: int) -> Settlement:
    return Settlement.objects.create(number=number, insurer=insurer, period_start=d(2026, month, 1),
                                     period_end=d(2026, month, 28), date=d(2026, month, 28), amount_due=amount_due)


@pytest.fixture
def insurer(coll_catalog):
    return coll_catalog["product"].insurer


def test_settlements_owed_become_a_valid_pain001(insurer, bank_account, admin_a):
    PartyBankAccount.objects.create(party=insurer_party(insurer), iban=INSURER_IBAN, is_primary=True)
    insurer.refresh_from_db()
    owed = _settlement(insurer, "L-2026-000001", D("1200.00"), 1)
    owed_to_us = _settlement(insurer, "L-2026-000002", D("-50.00"), 2)
    payments = payments_for_settlements([owed, owed_to_us])
    assert payments == [Payment(name=str(insurer.party), iban=INSURER_IBAN, amount=D("1200.00"),
                                reference="L-2026-000001", description="Liquidación L-2026-000001")]

    xml = transfer_file(actor=admin_a, bank_account=bank_account, payments=payments, execution_date=d(2026, 2, 2))
    xmlschema.XMLSchema(str(SCHEMAS / "pain.001.001.03.xsd")).validate(xml)
    tree = etree.fromstring(xml.encode("utf-8"))
    assert tree.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) == "1200.00"
    assert tree.findtext(".//p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == bank_account.iban
    tx = tree.find(".//p:CdtTrfTxInf", namespaces=NS)
    assert tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS) == "L-2026-000001"
    assert tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == INSURER_IBAN


def test_insurer_without_iban_and_empty_list_are_refused(insurer, bank_account, admin_a):
    with pytest.raises(DomainError) as exc:
        payments_for_settlements([_settlement(insurer, "L-2026-000003", D("10.00"), 3)])
    assert exc.value.code == "treasury_transfer_no_iban"
    with pytest.raises(DomainError) as exc:
        transfer_file(actor=admin_a, bank_account=bank_account, payments=[])
    assert exc.value.code == "treasury_transfer_empty"
