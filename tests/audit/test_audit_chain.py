import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from apps.audit.choices import AuditAction
from apps.audit.models import AuditEvent
from apps.audit.services import audit_chain_verify, audit_event_record
from apps.core.context import request_context


def _record_three(actor):
    for n in range(3):
        audit_event_record(actor=actor, action=AuditAction.UPDATE, obj=actor, changes={"phone": [str(n), str(n + 1)]})


def test_chain_links_each_event_to_the_previous(admin_a):
    _record_three(admin_a)
    events = list(AuditEvent.objects.order_by("-id")[:3])[::-1]
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    assert audit_chain_verify().ok


def test_event_carries_request_context(admin_a):
    with request_context(request_id="req-12345678", ip="10.1.2.3", user_agent="pytest-agent"):
        event = audit_event_record(actor=admin_a, action=AuditAction.LOGIN, obj=admin_a)
    assert (event.request_id, event.ip, event.user_agent, event.actor_label) == (
        "req-12345678", "10.1.2.3", "pytest-agent", "admin@alfa.test")


def test_database_refuses_to_edit_an_event(admin_a):
    _record_three(admin_a)
    event = AuditEvent.objects.order_by("-id").first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(object_repr="changed")


def test_edited_row_is_detected_by_verify_and_by_the_command(admin_a, tenant_a):
    _record_three(admin_a)
    target = AuditEvent.objects.order_by("-id")[1]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # what a superuser tamperer does
        cursor.execute("UPDATE audit_auditevent SET changes = %s WHERE id = %s", ['{"phone": ["0", "666"]}', target.pk])
        cursor.execute("SET LOCAL session_replication_role = origin")
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken[0][0] == target.pk and "alterado" in report.broken[0][1]
    with pytest.raises(CommandError, match="alterada"):
        call_command("audit_verify", schema=tenant_a.schema_name, stdout=open("/dev/null", "w"))


def test_deleted_row_breaks_the_link(admin_a):
    _record_three(admin_a)
    middle = AuditEvent.objects.order_by("-id")[1]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # what a superuser tamperer does
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [middle.pk])
        cursor.execute("SET LOCAL session_replication_role = origin")
    report = audit_chain_verify()
    assert any("enlace roto" in reason for _, reason in report.broken)


def test_record_page_shows_its_history(client_a, admin_a):
    from apps.identity.models import User
    from apps.core.services.records import record_update

    colleague = User.objects.get(email="comercial@alfa.test")
    record_update(actor=admin_a, instance=colleague, data={"phone": "600111222"}, expected_version=colleague.version)
    page = client_a.get(f"/r/identity/user/{colleague.pk}/").content.decode()
    assert "Historial" in page and "600111222" in page and "admin@alfa.test" in page


def test_history_shows_related_records_by_name_in_a_fixed_number_of_queries(admin_a, users_a):
    from django.test.utils import CaptureQueriesContext

    from apps.audit.selectors import history_for
    from apps.crm.models import Party
    from apps.crm.services.parties import party_update

    comercial, boss = users_a["comercial"], users_a["direccion"]
    party = Party.objects.create(display_name="Ana Ruiz", first_name="Ana", last_name="Ruiz", account_manager=comercial)
    party = party_update(actor=admin_a, party=party, data={"account_manager": boss})
    rows = [row for event in history_for(party) for row in event.change_rows if row[0] == "Gestor"]
    assert rows == [("Gestor", str(comercial), str(boss))]
    assert str(comercial.pk) not in (rows[0][1], rows[0][2])

    with CaptureQueriesContext(connection) as one:
        history_for(party)
    for manager in (comercial, boss, admin_a, comercial):
        party = party_update(actor=admin_a, party=party, data={"account_manager": manager})
    with CaptureQueriesContext(connection) as five:
        events = history_for(party)
    assert len(one) == len(five)  # one query for the events, one for the users they name
    assert [row[1:] for event in events for row in event.change_rows if row[0] == "Gestor"][0] == (str(admin_a), str(comercial))
