"""LDS evidence per policy (issue 12, item 7): recorded through the service it shows on the policy
page; the demands-and-needs test keeps its answers and the product's suitability statement; the
remuneration nature defaults from the commission setting; what the quote proves is taken from it;
refusals write nothing."""
import datetime
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.insurance.models import Quote
from apps.regulatory.choices import DeliveryChannel, EvidenceKind, RemunerationNature
from apps.regulatory.errors import RegulatoryError
from apps.regulatory.models import DistributionEvidence
from apps.regulatory.services.evidence import evidence_from_quote, evidence_record, remuneration_default
from tests.conftest import host_client
from tests.fixtures.insurance import make_insurer, make_product

ANSWERS = {"cover_wanted": "Proteger a mi familia si fallezco", "priority": "coverages", "budget": "600.00"}


def _page(client, policy):
    response = client.get(f"/seguros/polizas/{policy.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_evidence_recorded_through_the_service_appears_on_the_policy_page(issued_policy, admin_a, client_a):
    policy = issued_policy()
    html = _page(client_a, policy)
    assert 'id="policy-lds"' in html and 'data-kind="ipid" data-done="0"' in html
    evidence_record(actor=admin_a, policy=policy, kind=EvidenceKind.IPID, channel=DeliveryChannel.EMAIL,
                    delivered_at=datetime.datetime(2025, 12, 20, 10, 0, tzinfo=datetime.UTC))
    evidence_record(actor=admin_a, policy=policy, kind=EvidenceKind.DEMANDS_NEEDS, channel=DeliveryChannel.PAPER,
                    delivered_at=datetime.date(2025, 12, 18), answers=ANSWERS)
    html = _page(client_a, policy)
    assert 'data-kind="ipid" data-done="1"' in html
    assert 'data-kind="demands_needs" data-done="1"' in html
    assert 'data-kind="precontract_info" data-done="0"' in html
    assert "20/12/2025" in html and "Correo electrónico" in html
    assert "Proteger a mi familia si fallezco" in html and "La amplitud de coberturas" in html
    assert "se ajusta a las exigencias y necesidades" in html


def test_demands_needs_keeps_answers_and_the_products_suitability_statement(issued_policy, admin_a):
    policy = issued_policy()
    evidence = evidence_record(actor=admin_a, policy=policy, kind=EvidenceKind.DEMANDS_NEEDS,
                               channel=DeliveryChannel.SIGNATURE, answers=ANSWERS)
    assert evidence.answers == ANSWERS
    assert policy.product.name in evidence.statement and policy.insurer.name in evidence.statement
    assert evidence.recorded_by == admin_a and evidence.remuneration_nature == ""
    event = AuditEvent.objects.filter(verb="distribution_evidence_record").latest("id")
    assert event.object_id == str(evidence.pk) and event.changes["obligación"] == [None, "demands_needs"]


def test_remuneration_nature_defaults_from_the_commission_setting(issued_policy, coll_catalog, admin_a):
    policy = issued_policy()
    assert remuneration_default(policy) == RemunerationNature.COMMISSION
    evidence = evidence_record(actor=admin_a, policy=policy, kind=EvidenceKind.REMUNERATION,
                               channel=DeliveryChannel.EMAIL)
    assert evidence.remuneration_nature == RemunerationNature.COMMISSION
    chosen = evidence_record(actor=admin_a, policy=policy, kind=EvidenceKind.REMUNERATION,
                             channel=DeliveryChannel.EMAIL, remuneration_nature=RemunerationNature.COMBINED)
    assert chosen.remuneration_nature == RemunerationNature.COMBINED
    # a product of an insurer without any commission agreement: the client pays fees
    other = make_product("ctest", make_insurer("Mutua Sin Acuerdo"), code="SA1")
    assert remuneration_default(SimpleNamespace(insurer_id=other.insurer_id, product_id=other.pk)) \
        == RemunerationNature.FEES


@pytest.mark.parametrize("kwargs, code", [
    ({"kind": EvidenceKind.DEMANDS_NEEDS}, "evidence_answers_missing"),
    ({"kind": EvidenceKind.IPID, "delivered_at": timezone.now() + datetime.timedelta(days=2)}, "evidence_date_future"),
    ({"kind": EvidenceKind.IPID, "channel": "fax"}, "evidence_channel_invalid"),
    ({"kind": "training"}, "evidence_kind_invalid"),
])
def test_refusals_write_nothing(issued_policy, admin_a, kwargs, code):
    policy = issued_policy()
    values = {"channel": DeliveryChannel.EMAIL, **kwargs}
    with pytest.raises(RegulatoryError) as error:
        evidence_record(actor=admin_a, policy=policy, **values)
    assert error.value.code == code
    assert not DistributionEvidence.objects.filter(policy=policy).exists()


def test_a_document_of_another_record_is_refused(issued_policy, admin_a, coll_holder):
    from apps.documents.models import Document

    policy, other = issued_policy(), issued_policy()
    foreign = Document.objects.create(content_type=ContentType.objects.get_for_model(type(other)),
                                      object_id=other.pk, title="IPID firmado")
    with pytest.raises(RegulatoryError) as error:
        evidence_record(actor=admin_a, policy=policy, kind=EvidenceKind.IPID, channel=DeliveryChannel.PAPER,
                        document=foreign)
    assert error.value.code == "evidence_document_foreign"
    own = Document.objects.create(content_type=ContentType.objects.get_for_model(type(policy)), object_id=policy.pk,
                                  title="IPID firmado")
    evidence = evidence_record(actor=admin_a, policy=policy, kind=EvidenceKind.IPID, channel=DeliveryChannel.PAPER,
                               document=own)
    assert evidence.document == own


def test_record_page_saves_the_questionnaire_and_returns_to_the_policy(issued_policy, client_a):
    policy = issued_policy()
    url = f"/regulatorio/poliza/{policy.pk}/entrega/"
    assert client_a.get(url + "?kind=demands_needs").status_code == 200
    response = client_a.post(url, {
        "kind": "demands_needs", "delivered_on": "2025-12-15", "channel": "papel", "document": "",
        "remuneration_nature": "", "statement": "", "notes": "Entregado en oficina",
        "needs-cover_wanted": "Capital para la hipoteca", "needs-priority": "price"})
    assert response.status_code == 302 and response["Location"].endswith("#policy-lds")
    evidence = DistributionEvidence.objects.get(policy=policy)
    assert evidence.answers == {"cover_wanted": "Capital para la hipoteca", "priority": "price"}
    assert evidence.delivered_at.date() == datetime.date(2025, 12, 15) and evidence.notes == "Entregado en oficina"
    # missing answers: the page says so and nothing is written
    response = client_a.post(url, {"kind": "demands_needs", "delivered_on": "2025-12-15", "channel": "papel"})
    assert response.status_code == 400 and DistributionEvidence.objects.filter(policy=policy).count() == 1


def test_comercial_and_contabilidad_see_the_panel_but_cannot_record(issued_policy, client_for):
    policy = issued_policy()  # its holder's account manager is the «comercial»
    html = _page(client_for("comercial"), policy)
    assert 'id="policy-lds"' in html and 'id="lds-record"' not in html
    assert client_for("comercial").get(f"/regulatorio/poliza/{policy.pk}/entrega/").status_code == 403


def test_evidence_taken_from_the_quote(issued_policy, admin_a, coll_holder, coll_catalog):
    quote = Quote.objects.create(number="P-2025-000077", client=coll_holder, line=coll_catalog.line, owner=admin_a,
                                 effective_date=datetime.date(2026, 1, 1), valid_until=datetime.date(2026, 1, 31),
                                 demands_and_needs=ANSWERS, needs_statement="Necesita un capital de 120.000 €.",
                                 sent_at=datetime.datetime(2025, 12, 10, 9, 30, tzinfo=datetime.UTC))
    policy = issued_policy()
    policy.quote = quote
    policy.save(update_fields=["quote"])
    made = evidence_from_quote(actor=admin_a, policy=policy)
    assert sorted(row.kind for row in made) == ["demands_needs", "ipid", "precontract_info"]
    needs = next(row for row in made if row.kind == "demands_needs")
    assert needs.answers == ANSWERS and needs.statement == "Necesita un capital de 120.000 €."
    ipid = next(row for row in made if row.kind == "ipid")
    assert ipid.channel == DeliveryChannel.EMAIL and ipid.delivered_at == quote.sent_at
    with pytest.raises(RegulatoryError):  # nothing new the second time
        evidence_from_quote(actor=admin_a, policy=policy)


def test_api_records_and_lists_evidence(issued_policy, tenants, api_token_a):
    policy = issued_policy()
    client = host_client(tenants.alfa_host)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_a}"}
    response = client.post("/api/v1/regulatory/evidence/", {
        "policy": policy.pk, "kind": "remuneration_disclosure", "channel": "email"},
        content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    assert response.json()["remuneration_nature"] == "comision"
    response = client.post("/api/v1/regulatory/evidence/", {"policy": policy.pk, "kind": "demands_needs",
                                                            "channel": "email"}, content_type="application/json", **auth)
    assert response.status_code == 400 and "respuestas" in response.content.decode()
    listed = client.get(f"/api/v1/regulatory/evidence/?policy={policy.pk}", **auth).json()
    assert [row["kind"] for row in listed["results"]] == ["remuneration_disclosure"]
