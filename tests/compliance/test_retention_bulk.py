"""Retention over many parties (issue 12, «retention run over 100k parties»): the run anonymises parties in
chunks through the CRM's bulk erasure with the same result as one by one; held parties stay untouched, even
when the hold arrives during the run; parties the law keeps are counted with their reason; the preview (the
dry run) writes nothing."""
import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from apps.audit.models import AuditEvent
from apps.compliance.choices import ComplaintKind, RecordType
from apps.compliance.models import RetentionRun
from apps.compliance.services.complaints import complaint_create
from apps.compliance.services.holds import legal_hold_place
from apps.compliance.services.retention import retention_preview, retention_run
from apps.crm.models import BankAccount, ContactPoint, Party
from apps.crm.services import gdpr_bulk

TODAY = datetime.date(2026, 12, 4)
OLD = datetime.date(2021, 6, 30)  # past the 60-month rule on TODAY


def _events(pks, verb="gdpr_erasure"):
    return AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(Party), verb=verb,
                                     object_id__in=[str(pk) for pk in pks])


@pytest.fixture
def old_people(person):
    """Six expired parties, each with an e-mail and an IBAN."""
    def make(count=6):
        parties = []
        for n in range(count):
            party = person(f"Nombre{n}", f"Apellido{n}", updated=OLD)
            email = f"p{n}@correo.es"
            ContactPoint.objects.create(party=party, kind="email", value=email, normalized=email)
            BankAccount.objects.create(party=party, iban="ES9121000418450200051332")
            parties.append(party)
        return parties
    return make


def test_run_anonymises_in_chunks_and_leaves_held_and_kept_parties_alone(old_people, rules, admin_a, monkeypatch):
    monkeypatch.setattr(gdpr_bulk, "CHUNK", 2)
    parties = old_people()
    held, complained = parties[1], parties[4]
    legal_hold_place(actor=admin_a, target=held, reason="Procedimiento judicial 123/2026")
    complaint = complaint_create(actor=admin_a, kind=ComplaintKind.QUEJA, party=complained, received_on=TODAY,
                                 description="Cobro indebido", handler=admin_a)
    held_before = Party.objects.values().get(pk=held.pk)

    run = retention_run(actor=admin_a, today=TODAY, record_types=[RecordType.PARTY_INACTIVE])

    row = run.totals[RecordType.PARTY_INACTIVE]
    anonymised = [p for p in parties if p not in (held, complained)]
    assert (row["held"], row["done"], row["kept"], row["errors"]) == (1, 4, 1, 0)
    for party in anonymised:
        party.refresh_from_db()
        assert party.display_name == f"Anonimizado #{party.pk}" and party.last_name == "" and party.anonymised_at
        assert not ContactPoint.objects.filter(party=party).exists() and not BankAccount.objects.filter(party=party)
    assert _events([p.pk for p in anonymised]).count() == 4  # one audit event per anonymised party
    event = _events([anonymised[0].pk]).get()
    assert f"ejecución #{run.pk}" in event.changes["motivo"] and event.changes["borrados"]["cuentas_bancarias"] == 1

    assert Party.objects.values().get(pk=held.pk) == held_before
    assert ContactPoint.objects.filter(party=held).count() == 1 and BankAccount.objects.filter(party=held).exists()
    complained.refresh_from_db()
    assert complained.anonymised_at is None and complained.first_name == "Nombre4"
    assert not _events([held.pk, complained.pk]).exists()
    problem = RetentionRun.objects.get(pk=run.pk).problems[0]
    assert problem["id"] == complained.pk and complaint.number in problem["motivo"]
    assert "quejas o reclamaciones abiertas" in problem["motivo"]


def test_a_hold_placed_during_the_run_stops_the_parties_not_yet_done(old_people, rules, admin_a, monkeypatch):
    monkeypatch.setattr(gdpr_bulk, "CHUNK", 1)
    first, late = old_people(2)

    def progress(percent, text):  # after the first chunk, someone puts the second party under hold
        if Party.objects.filter(pk=first.pk, anonymised_at__isnull=False).exists() and percent < 100:
            legal_hold_place(actor=admin_a, target=late, reason="Requerimiento judicial urgente")

    run = retention_run(actor=admin_a, today=TODAY, record_types=[RecordType.PARTY_INACTIVE], progress=progress)
    late.refresh_from_db()
    assert late.anonymised_at is None and late.first_name == "Nombre1"
    assert run.totals[RecordType.PARTY_INACTIVE]["done"] == 1


def test_preview_is_a_dry_run_that_writes_nothing(old_people, rules, admin_a):
    parties = old_people(3)
    legal_hold_place(actor=admin_a, target=parties[0], reason="Litigio")
    before = (list(Party.objects.order_by("pk").values()), AuditEvent.objects.count(), RetentionRun.objects.count(),
              ContactPoint.objects.count())

    rows = {row["rule"].record_type: row for row in retention_preview(today=TODAY)}

    party_row = rows[RecordType.PARTY_INACTIVE]
    assert party_row["held"] == 1 and party_row["count"] >= 2
    assert {p.pk for p in parties[1:]} <= {obj.pk for obj, _kind in party_row["sample"]}
    assert (list(Party.objects.order_by("pk").values()), AuditEvent.objects.count(), RetentionRun.objects.count(),
            ContactPoint.objects.count()) == before
