"""Field encryption (issue 12, item 4): what the database holds, the blind indexes, key rotation and
the key configuration. The masking/reveal rules are in test_encryption_access.py."""
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import override_settings

from apps.core import encryption
from apps.crm.models import BankAccount
from apps.crm.services.parties import party_create
from apps.hr.models import Employee
from apps.hr.services.employees import employee_create

IBAN = "ES9121000418450200051332"
NAF = "281234567840"
ROOT = Path(__file__).resolve().parents[2]


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


@pytest.fixture
def party(tenant_a):
    return party_create(actor=None, data={"kind": "person", "first_name": "Lucía", "last_name": "Prieto Gómez",
                                          "tax_id": "12345678Z"}, bank_accounts=[{"iban": IBAN, "is_primary": True}])


@pytest.fixture
def employee(tenant_a, admin_a):
    return employee_create(actor=admin_a, code="E900", first_name="Laura", last_name="Gil Martín",
                           tax_id="12345678Z", ss_number=NAF, iban="ES91 2100 0418 4502 0005 1332")


def test_bank_account_iban_is_ciphertext_in_the_database_and_clear_through_the_orm(party):
    account = party.bank_accounts.get()
    stored, index = _raw("SELECT iban, iban_hash FROM crm_bankaccount WHERE id = %s", [account.pk])
    assert stored.startswith("gAAAAA") and IBAN not in stored and "1332" not in stored
    assert len(index) == 64 and IBAN not in index
    assert BankAccount.objects.get(pk=account.pk).iban == IBAN


def test_equality_lookups_use_the_blind_index(party):
    account = party.bank_accounts.get()
    assert BankAccount.objects.filter(iban="es91 2100 0418 4502 0005 1332").get() == account
    assert BankAccount.objects.filter(iban__in=[IBAN, "ES7620770024003102575766"]).count() == 1
    assert party.__class__.objects.filter(bank_accounts__iban=IBAN).get() == party
    assert not BankAccount.objects.filter(iban="ES7620770024003102575766").exists()


def test_iban_stays_unique_per_party(party):
    with pytest.raises(IntegrityError), transaction.atomic():
        BankAccount.objects.create(party=party, iban="ES91 2100 0418 4502 0005 1332")
    other = party_create(actor=None, data={"kind": "person", "first_name": "Mario", "last_name": "Sanz",
                                           "tax_id": "87654321X"}, bank_accounts=[{"iban": IBAN}])
    assert other.bank_accounts.get().iban == IBAN  # the same account for another client is allowed


def test_ss_number_and_payroll_iban_encrypted_and_ss_number_unique(employee, admin_a):
    stored_naf, index, stored_iban = _raw("SELECT ss_number, ss_number_hash, iban FROM hr_employee WHERE id = %s",
                                          [employee.pk])
    assert stored_naf.startswith("gAAAAA") and NAF not in stored_naf and NAF not in index
    assert stored_iban.startswith("gAAAAA") and "1332" not in stored_iban
    fresh = Employee.objects.get(pk=employee.pk)
    assert (fresh.ss_number, fresh.iban) == (NAF, IBAN)
    from apps.hr.errors import HRError

    with pytest.raises(HRError, match="número de afiliación 28"):
        employee_create(actor=admin_a, code="E901", first_name="Otra", last_name="Persona", tax_id="23456789D",
                        ss_number="28 12345678 40")
    with pytest.raises(IntegrityError), transaction.atomic():
        Employee.objects.create(code="E902", first_name="X", last_name="Y", tax_id="34567890V", ss_number=NAF)


def test_audit_event_of_the_employee_hides_the_ss_number(employee):
    from apps.audit.models import AuditEvent

    event = AuditEvent.objects.filter(object_id=str(employee.pk), action="create").latest("id")
    assert event.changes["ss_number"] == [None, "***"]
    assert NAF not in str(event.changes)


def test_collaborator_iban_is_ciphertext(party, admin_a):
    from apps.collections.models import Collaborator

    collaborator = Collaborator.objects.create(party=party, kind="auxiliary", code="AUX-1", iban=IBAN)
    (stored,) = _raw("SELECT iban FROM collections_collaborator WHERE id = %s", [collaborator.pk])
    assert stored.startswith("gAAAAA") and "1332" not in stored
    assert Collaborator.objects.get(pk=collaborator.pk).iban == IBAN


def test_rotation_new_key_first_then_rotate_command(party, tenant_a):
    account = party.bank_accounts.get()
    (old_token,) = _raw("SELECT iban FROM crm_bankaccount WHERE id = %s", [account.pk])
    current = _current_keys()
    new_key = Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key, *current], FIELD_HASH_KEY=_current_hash()):
        assert BankAccount.objects.get(pk=account.pk).iban == IBAN  # old rows still readable
        call_command("rotate_field_keys", schema=[tenant_a.schema_name], stdout=open(os.devnull, "w"))
        (new_token,) = _raw("SELECT iban FROM crm_bankaccount WHERE id = %s", [account.pk])
        assert new_token != old_token
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key], FIELD_HASH_KEY=_current_hash()):
        assert BankAccount.objects.get(pk=account.pk).iban == IBAN  # old key gone: still readable
        assert BankAccount.objects.filter(iban=IBAN).exists()
    with override_settings(FIELD_ENCRYPTION_KEYS=current, FIELD_HASH_KEY=_current_hash()):
        with pytest.raises(encryption.KeyConfigurationError):
            BankAccount.objects.get(pk=account.pk)  # rotated away from the old key


def _current_keys():
    from django.conf import settings

    return settings.FIELD_ENCRYPTION_KEYS or [k.decode() for k in encryption._dev_keys()[0]]


def _current_hash():
    from django.conf import settings

    return settings.FIELD_HASH_KEY or encryption._dev_keys()[1]


def test_hash_key_rotation_recomputes_blind_indexes(party, tenant_a):
    account = party.bank_accounts.get()
    new_hash = secrets.token_hex(32)
    with override_settings(FIELD_HASH_KEY=new_hash, FIELD_ENCRYPTION_KEYS=_current_keys()):
        assert not BankAccount.objects.filter(iban=IBAN).exists()
        call_command("rotate_field_keys", schema=[tenant_a.schema_name], stdout=open(os.devnull, "w"))
        assert BankAccount.objects.filter(iban=IBAN).get() == account


def test_data_migration_encrypts_clear_rows_and_is_reversible(party):
    account = party.bank_accounts.get()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE crm_bankaccount SET iban = %s, iban_hash = '' WHERE id = %s", [IBAN, account.pk])
    assert BankAccount.objects.get(pk=account.pk).iban == IBAN  # a clear legacy row is still read
    encryption.rewrite_text_column(connection, "crm_bankaccount", "iban", hash_column="iban_hash", normalise="iban")
    stored, index = _raw("SELECT iban, iban_hash FROM crm_bankaccount WHERE id = %s", [account.pk])
    assert stored.startswith("gAAAAA") and index == encryption.blind_index(IBAN, "iban")
    encryption.rewrite_text_column(connection, "crm_bankaccount", "iban", forward=False)
    assert _raw("SELECT iban FROM crm_bankaccount WHERE id = %s", [account.pk])[0] == IBAN


def test_health_keys_encrypted_inside_the_risk_json(tenant_a, admin_a):
    from apps.insurance.choices import AdviceKind
    from apps.insurance.lines import get_line
    from apps.insurance.models import Quote
    from apps.insurance.services.quotes import quote_create
    from tests.fixtures.insurance import make_product

    import datetime

    make_product("vida")
    client = party_create(actor=None, data={"kind": "person", "first_name": "Marta", "last_name": "López Ruiz",
                                            "tax_id": "12345678Z"})
    risk = {**get_line("vida").sample_risk(), "smoker": True}
    quote = quote_create(actor=admin_a, client=client, line_code="vida", risk=risk,
                         effective_date=datetime.date(2026, 3, 1), advice_kind=AdviceKind.LIMITED)
    (raw,) = _raw("SELECT risk_data::text FROM insurance_quote WHERE id = %s", [quote.pk])
    assert '"smoker": {"enc": "gAAAAA' in raw and '"smoker": true' not in raw
    assert '"death_capital": "150000.00"' in raw  # the rest stays readable for rating and reports
    fresh = Quote.objects.get(pk=quote.pk)
    assert fresh.risk_data["smoker"] is True and "Marta López Ruiz" in fresh.risk_summary
    encryption.rewrite_json_column(connection, "insurance_quote", "risk_data", forward=False)
    assert '"smoker": true' in _raw("SELECT risk_data::text FROM insurance_quote WHERE id = %s", [quote.pk])[0]


def test_required_keys_refuse_dev_fallback():
    with override_settings(FIELD_ENCRYPTION_KEYS=[], FIELD_HASH_KEY="", FIELD_ENCRYPTION_REQUIRED=True):
        with pytest.raises(encryption.KeyConfigurationError):
            encryption.encrypt_str("x")
    with override_settings(FIELD_ENCRYPTION_KEYS=["not-a-key"]):
        with pytest.raises(encryption.KeyConfigurationError, match="Fernet"):
            encryption.encrypt_str("x")


def test_dev_keys_are_deterministic_and_warn():
    with override_settings(FIELD_ENCRYPTION_KEYS=[], FIELD_HASH_KEY=""):
        with pytest.warns(RuntimeWarning, match="DESARROLLO"):
            first = encryption.blind_index(IBAN, "iban")
        assert encryption.using_dev_keys()
    with override_settings(FIELD_ENCRYPTION_KEYS=[], FIELD_HASH_KEY=""):
        with pytest.warns(RuntimeWarning):
            assert encryption.blind_index(IBAN, "iban") == first


def test_production_settings_refuse_to_start_without_keys():
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DJANGO_", "FIELD_", "JWT_")) and key != "PYTHONPATH"}
    env.update(DJANGO_SETTINGS_MODULE="aitcore.settings.production", DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
               DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres", DJANGO_ALLOWED_HOSTS=".example.com")
    code = "import django; django.setup()"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0 and "FIELD_ENCRYPTION_KEYS" in result.stderr
