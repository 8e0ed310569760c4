"""The pain.008.001.02 of a remittance: valid against the XSD shipped with sepaxml, FRST for the
mandate's first debit and RCUR for the next remittance once the first was charged."""
import datetime
from decimal import Decimal

import xmlschema
from lxml import etree

from apps.collections.selectors_receipts import receipts_for_policy
from apps.core.errors import DomainError
from apps.treasury.choices import RemittanceState
from apps.treasury.services.mandates import mandate_revoke
from apps.treasury.services.remittances import remittance_charge, remittance_create, remittance_generate
from apps.treasury.services.sepa_xml import SCHEMAS, xml_validate

D = Decimal
d = datetime.date
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}


def _tree(xml: str):
    return etree.fromstring(xml.encode("utf-8"))


def test_first_debit_is_frst_and_the_next_remittance_rcur(issued_policy, coll_holder, mandate_for, bank_account,
                                                        admin_a):
    mandate = mandate_for(coll_holder, reference="MND-ORTEGA-1")
    receipts = list(receipts_for_policy(issued_policy(net=D("12000.00"))).order_by("due_date")[:2])
    january = remittance_create(actor=admin_a, bank_account=bank_account, collection_date=d(2026, 1, 5),
                                receipts=[receipts[0]])
    xml = remittance_generate(actor=admin_a, remittance=january)

    xmlschema.XMLSchema(str(SCHEMAS / "pain.008.001.02.xsd")).validate(xml)
    tree = _tree(xml)
    assert tree.findtext(".//p:PmtInf/p:PmtTpInf/p:SeqTp", namespaces=NS) == "FRST"
    assert tree.findtext(".//p:CdtrSchmeId//p:Id/p:PrvtId/p:Othr/p:Id", namespaces=NS) == bank_account.creditor_id
    tx = tree.find(".//p:DrctDbtTxInf", namespaces=NS)
    assert tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS) == january.items.get().end_to_end_id
    assert tx.findtext("p:InstdAmt", namespaces=NS) == "1000.00"
    assert tx.findtext(".//p:MndtRltdInf/p:MndtId", namespaces=NS) == "MND-ORTEGA-1"
    assert tx.findtext(".//p:MndtRltdInf/p:DtOfSgntr", namespaces=NS) == mandate.signature_date.isoformat()
    assert tx.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == mandate.iban
    january.refresh_from_db()
    assert january.state == RemittanceState.GENERATED and january.xml == xml
    assert january.message_id == tree.findtext("p:CstmrDrctDbtInitn/p:GrpHdr/p:MsgId", namespaces=NS)
    remittance_charge(actor=admin_a, remittance=january)

    february = remittance_create(actor=admin_a, bank_account=bank_account, collection_date=d(2026, 2, 5),
                                 receipts=[receipts[1]])
    xml = remittance_generate(actor=admin_a, remittance=february)
    xmlschema.XMLSchema(str(SCHEMAS / "pain.008.001.02.xsd")).validate(xml)
    assert _tree(xml).findtext(".//p:PmtInf/p:PmtTpInf/p:SeqTp", namespaces=NS) == "RCUR"
    assert february.items.get().sequence_type == "RCUR"


def test_a_file_that_breaks_the_schema_is_refused():
    try:
        xml_validate("<Document xmlns='urn:iso:std:iso:20022:tech:xsd:pain.008.001.02'/>", "pain.008.001.02")
    except DomainError as exc:
        assert exc.code == "treasury_xml_invalid"
    else:
        raise AssertionError("an empty Document must not validate")


def test_generate_refuses_a_mandate_revoked_since_the_remittance_was_made(issued_policy, coll_holder, mandate_for,
                                                                         bank_account, admin_a):
    mandate = mandate_for(coll_holder)
    receipt = receipts_for_policy(issued_policy(net=D("12000.00"))).order_by("due_date").first()
    remittance = remittance_create(actor=admin_a, bank_account=bank_account, collection_date=d(2026, 1, 5),
                                   receipts=[receipt])
    mandate_revoke(actor=admin_a, mandate=mandate)
    try:
        remittance_generate(actor=admin_a, remittance=remittance)
    except DomainError as exc:
        assert exc.code == "treasury_mandate_unusable" and receipt.number in exc.message
    else:
        raise AssertionError("a revoked mandate must not be debited")
    remittance.refresh_from_db()
    assert (remittance.state, remittance.xml) == (RemittanceState.DRAFT, "")
