"""pain.002.001.03 rejections of a remittance applied as returns (issue 7 item 4)."""
import datetime
from decimal import Decimal

import pytest

from apps.collections.choices import ReceiptState
from apps.collections.services.accounts import insurer_account
from apps.core.errors import DomainError
from apps.treasury.choices import RemittanceItemState
from apps.treasury.services.pain002 import pain002_import, pain002_preview
from tests.accounting.conftest import balance_of
from tests.collections.conftest import coll_books, coll_catalog, coll_holder, coll_line, issued_policy  # noqa: F401
from tests.treasury.test_returns import _written, rt_bank, rt_remittance  # noqa: F401

D = Decimal
NS = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"


def pain002(message_id: str, rejections, accepted=()) -> bytes:
    """A status report of `message_id` rejecting each (end_to_end_id, code)."""
    txs = "".join(
        f"<TxInfAndSts><StsId>S{n}</StsId><OrgnlEndToEndId>{e2e}</OrgnlEndToEndId><TxSts>RJCT</TxSts>"
        f"<StsRsnInf><Rsn><Cd>{code}</Cd></Rsn></StsRsnInf></TxInfAndSts>"
        for n, (e2e, code) in enumerate(rejections))
    txs += "".join(f"<TxInfAndSts><OrgnlEndToEndId>{e2e}</OrgnlEndToEndId><TxSts>ACCP</TxSts></TxInfAndSts>"
                   for e2e in accepted)
    return (f'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="{NS}"><CstmrPmtStsRpt>'
            f"<GrpHdr><MsgId>STS-1</MsgId><CreDtTm>2026-01-09T10:00:00</CreDtTm></GrpHdr>"
            f"<OrgnlGrpInfAndSts><OrgnlMsgId>{message_id}</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.02</OrgnlMsgNmId>"
            f"<GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>"
            f"<OrgnlPmtInfAndSts><OrgnlPmtInfId>PMT-1</OrgnlPmtInfId>{txs}</OrgnlPmtInfAndSts>"
            f"</CstmrPmtStsRpt></Document>").encode()


def test_a_report_of_an_unknown_remittance_is_refused_with_nothing_applied(rt_remittance, admin_a):
    before = _written()
    with pytest.raises(DomainError) as refused:
        pain002_import(actor=admin_a, xml=pain002("MSG-OTRA", [("E2E-A", "AM04")]), confirm_partial=True)
    assert (refused.value.code, refused.value.status) == ("treasury_pain002_unknown_remittance", 409)
    assert "MSG-OTRA" in refused.value.message
    assert _written() == before


def test_one_known_and_one_unknown_id_applies_nothing_unless_confirmed(rt_remittance, admin_a):
    xml = pain002("MSG-T3-0001", [("E2E-A", "AM04"), ("E2E-ZZ", "MD01")])
    preview = pain002_preview(xml=xml)
    assert [row.end_to_end_id for row in preview.valid] == ["E2E-A"]
    assert preview.unknown == ["E2E-ZZ"] and not preview.complete
    before = _written()
    with pytest.raises(DomainError) as refused:
        pain002_import(actor=admin_a, xml=xml)
    assert (refused.value.code, refused.value.status) == ("treasury_pain002_partial", 409)
    assert "E2E-ZZ" in refused.value.message
    assert _written() == before

    result = pain002_import(actor=admin_a, xml=xml, confirm_partial=True)
    assert [(r.item.end_to_end_id, r.code) for r in result.applied] == [("E2E-A", "AM04")]
    item = rt_remittance.items.get(end_to_end_id="E2E-A")
    assert (item.state, item.return_code, item.returned_on) == (RemittanceItemState.RETURNED, "AM04",
                                                                datetime.date(2026, 1, 9))
    assert item.receipt.state == ReceiptState.RETURNED
    assert balance_of("572") == D("500.00")


def test_a_clean_report_applies_every_rejection_and_ignores_accepted_ones(rt_remittance, admin_a):
    xml = pain002("MSG-T3-0001", [("E2E-A", "AM04"), ("E2E-B", "MD06")])
    result = pain002_import(actor=admin_a, xml=xml)
    assert [(r.code, r.may_retry) for r in result.applied] == [("AM04", True), ("MD06", False)]
    account = insurer_account(rt_remittance.items.first().receipt.insurer).code
    assert (balance_of("572"), balance_of(account)) == (D("0.00"), D("0.00"))
    assert pain002_preview(xml=pain002("MSG-T3-0001", [], accepted=["E2E-A"])).valid == []


def test_an_already_returned_item_is_refused_in_the_preview(rt_remittance, admin_a):
    xml = pain002("MSG-T3-0001", [("E2E-A", "AM04")])
    pain002_import(actor=admin_a, xml=xml)
    preview = pain002_preview(xml=xml)
    assert preview.valid == [] and preview.unknown == []
    assert "ya está devuelto" in preview.refused[0].problem


@pytest.mark.parametrize("xml", [b"no es xml", b"<Document xmlns='urn:other'/>"])
def test_a_file_that_is_not_a_pain002_is_refused(xml, rt_remittance, admin_a):
    with pytest.raises(DomainError) as refused:
        pain002_import(actor=admin_a, xml=xml)
    assert (refused.value.code, refused.value.field) == ("treasury_pain002_xml", "file")


def test_api_applies_nothing_unless_confirm_partial(rt_remittance, tenants, api_token_a):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    api = Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {api_token_a}")
    xml = pain002("MSG-T3-0001", [("E2E-A", "AM04"), ("E2E-ZZ", "MD01")])
    refused = api.post("/api/v1/treasury/returns/pain002/", {"file": SimpleUploadedFile("rjct.xml", xml)})
    assert refused.status_code == 409 and refused.json()["code"] == "treasury_pain002_partial"
    assert rt_remittance.items.get(end_to_end_id="E2E-A").state == RemittanceItemState.INCLUDED
    done = api.post("/api/v1/treasury/returns/pain002/", {"file": SimpleUploadedFile("rjct.xml", xml),
                                                          "confirm_partial": "true"})
    assert done.status_code == 200, done.content
    data = done.json()
    assert [row["item"]["end_to_end_id"] for row in data["applied"]] == ["E2E-A"]
    assert [(row["end_to_end_id"], row["problem"]) for row in data["refused"]] == [
        ("E2E-ZZ", "Adeudo desconocido en esta remesa.")]


def test_page_previews_then_applies_the_valid_rejections(rt_remittance, tenants, users_a):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.conftest import host_client

    client = host_client(tenants.alfa_host, users_a["cobros"])
    url = reverse("treasury:return-pain002")
    assert client.get(url).status_code == 200
    xml = pain002("MSG-T3-0001", [("E2E-A", "AM04"), ("E2E-ZZ", "MD01")])
    preview = client.post(url, {"file": SimpleUploadedFile("rjct.xml", xml)})
    body = preview.content.decode()
    assert preview.status_code == 200 and "REM-T3-0001" in body and "Adeudo desconocido" in body
    assert rt_remittance.items.get(end_to_end_id="E2E-A").state == RemittanceItemState.INCLUDED
    applied = client.post(url, {"xml": preview.context["xml_b64"], "apply": "1"})
    assert applied.status_code == 302
    assert rt_remittance.items.get(end_to_end_id="E2E-A").state == RemittanceItemState.RETURNED
    unknown = client.post(url, {"file": SimpleUploadedFile("x.xml", pain002("MSG-OTRA", [("E2E-B", "AM04")]))})
    assert "MSG-OTRA" in unknown.content.decode()
