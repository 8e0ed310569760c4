"""Retention (issue 12 item 5): only expired records without a legal hold are anonymised; a held one is
refused with a clear message and the refusal is audited; the run leaves its log."""
import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from apps.audit.models import AuditEvent
from apps.compliance.choices import RecordType, RetentionAction
from apps.compliance.errors import ComplianceError
from apps.compliance.models import RetentionRun
from apps.compliance.services.holds import legal_hold_place, legal_hold_release
from apps.compliance.services.retention import (
    retention_apply_record, retention_preview, retention_rule_save, retention_run,
)
from apps.crm.models import Consent, Party

TODAY = datetime.date(2026, 12, 4)
OLD = datetime.date(2021, 6, 30)      # 65 months before TODAY: past the 60-month rule
RECENT = datetime.date(2022, 6, 30)   # 53 months: not yet


def _events(obj, verb):
    return AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk),
                                     verb=verb)


def test_run_anonymises_only_expired_unheld_parties(person, rules, admin_a):
    expired = person("Ana", "Vidal", updated=OLD)
    held = person("Bruno", "Sáez", updated=OLD)
    recent = person("Carla", "Núñez", updated=RECENT)
    legal_hold_place(actor=admin_a, target=held, reason="Procedimiento judicial 123/2026, Juzgado nº 4 de Madrid")

    run = retention_run(actor=admin_a, today=TODAY, record_types=[RecordType.PARTY_INACTIVE])

    expired.refresh_from_db(), held.refresh_from_db(), recent.refresh_from_db()
    assert expired.anonymised_at is not None and expired.display_name.startswith("Anonimizado")
    assert held.anonymised_at is None and held.first_name == "Bruno"
    assert recent.anonymised_at is None and recent.first_name == "Carla"
    row = run.totals[RecordType.PARTY_INACTIVE]
    assert (row["held"], row["done"], row["kept"], row["errors"]) == (1, 1, 0, 0)
    assert row["candidates"] >= 2
    assert _events(expired, "gdpr_erasure").count() == 1  # one audit event per anonymised record
    assert RetentionRun.objects.get(pk=run.pk).state == "done"
    assert _events(run, "compliance_retention_run").exists()


def test_released_hold_lets_the_next_run_anonymise(person, rules, admin_a):
    party = person("Dolores", "Gil", updated=OLD)
    hold = legal_hold_place(actor=admin_a, target=party, reason="Inspección de la AEPD")
    retention_run(actor=admin_a, today=TODAY, record_types=[RecordType.PARTY_INACTIVE])
    party.refresh_from_db()
    assert party.anonymised_at is None
    legal_hold_release(actor=admin_a, hold=hold)
    retention_run(actor=admin_a, today=TODAY, record_types=[RecordType.PARTY_INACTIVE])
    party.refresh_from_db()
    assert party.anonymised_at is not None


def test_applying_retention_to_a_held_record_is_refused_and_audited(person, rules, admin_a):
    party = person("Elena", "Prieto", updated=OLD)
    legal_hold_place(actor=admin_a, target=party, reason="Reclamación judicial en curso")
    with pytest.raises(ComplianceError) as exc:
        retention_apply_record(actor=admin_a, rule=rules[RecordType.PARTY_INACTIVE], obj=party)
    assert exc.value.code == "compliance_legal_hold"
    assert "retención legal" in exc.value.message and "Reclamación judicial en curso" in exc.value.message
    party.refresh_from_db()
    assert party.anonymised_at is None
    assert _events(party, "compliance_retention_refused").count() == 1


def test_expired_hold_no_longer_protects(person, rules, admin_a):
    party = person("Félix", "Mora", updated=OLD)
    hold = legal_hold_place(actor=admin_a, target=party, reason="Requerimiento", until=datetime.date(2026, 12, 31))
    _all, free, held = __import__("apps.compliance.services.retention", fromlist=["expired"]).expired(
        rules[RecordType.PARTY_INACTIVE], datetime.date(2027, 1, 1))
    assert not held.filter(pk=party.pk).exists() and free.filter(pk=party.pk).exists()
    assert hold.is_active(datetime.date(2026, 12, 31)) and not hold.is_active(datetime.date(2027, 1, 1))


def test_preview_counts_what_would_go_today(person, rules, admin_a):
    person("Gema", "Ruiz", updated=OLD)
    held = person("Hugo", "León", updated=OLD)
    legal_hold_place(actor=admin_a, target=held, reason="Litigio")
    rows = {row["rule"].record_type: row for row in retention_preview(today=TODAY)}
    party_row = rows[RecordType.PARTY_INACTIVE]
    assert party_row["held"] == 1
    assert held.pk not in [obj.pk for obj, _kind in party_row["sample"]]
    assert party_row["cutoff"] == datetime.date(2021, 12, 4)


def test_revoked_marketing_consent_is_deleted_after_its_period(person, rules, admin_a):
    from django.utils import timezone

    party = person("Irene", "Soto")
    old = timezone.make_aware(datetime.datetime(2022, 1, 10, 10))
    consent = Consent.objects.create(party=party, purpose="marketing", granted_at=old, channel="email",
                                     evidence="Casilla web", withdrawn_at=old)
    run = retention_run(actor=admin_a, today=TODAY, record_types=[RecordType.CONSENT_REVOKED])
    assert not Consent.objects.filter(pk=consent.pk).exists()
    assert run.totals[RecordType.CONSENT_REVOKED]["done"] >= 1
    assert AuditEvent.objects.filter(verb="compliance_retention_delete", object_id=str(consent.pk)).exists()
    assert Party.objects.filter(pk=party.pk).exists()


def test_rule_action_must_fit_the_record_type(rules, admin_a):
    with pytest.raises(ComplianceError) as exc:
        retention_rule_save(actor=admin_a, rule=rules[RecordType.PARTY_INACTIVE],
                            data={"action": RetentionAction.DELETE})
    assert exc.value.code == "compliance_rule_action"
