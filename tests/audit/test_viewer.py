"""The audit viewer (issue 12, item 9): filters by user, record, action, dates and text; CSV/XLSX export of
the filtered events; the latest hash-chain verification shown to administrators with «Verificar ahora»."""
import datetime
from io import BytesIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from apps.audit.choices import AuditAction
from apps.audit.models import AuditEvent, AuditVerification
from apps.audit.services import audit_event_record, audit_verification_run
from tests.conftest import host_client

URL = "/auditoria/"


@pytest.fixture
def events(admin_a, users_a):
    """Three events: admin changes comercial's phone, rrhh logs in, admin deletes cobros' token."""
    comercial, rrhh, cobros = users_a["comercial"], users_a["rrhh"], users_a["cobros"]
    first = audit_event_record(actor=admin_a, action=AuditAction.UPDATE, obj=comercial,
                               changes={"phone": ["600000001", "600111222"]})
    second = audit_event_record(actor=rrhh, action=AuditAction.LOGIN, obj=rrhh)
    third = audit_event_record(actor=admin_a, action=AuditAction.DELETE, obj=cobros, changes={"token": "x"})
    return first, second, third


def _ids(response):
    body = response.content.decode()
    return body


def test_filters_by_user_record_action_dates_and_text(client_a, events, admin_a, users_a):
    first, second, third = events
    user_type = ContentType.objects.get_for_model(users_a["comercial"])
    by_user = client_a.get(URL, {"actor": users_a["rrhh"].pk}).content.decode()
    assert f"/r/audit/auditevent/{second.pk}/" in by_user and f"/r/audit/auditevent/{first.pk}/" not in by_user
    by_record = client_a.get(URL, {"content_type": user_type.pk, "object_id": users_a["comercial"].pk})
    page = by_record.content.decode()
    assert f"/r/audit/auditevent/{first.pk}/" in page and f"/r/audit/auditevent/{third.pk}/" not in page
    by_action = client_a.get(URL, {"action": "delete"}).content.decode()
    assert f"/r/audit/auditevent/{third.pk}/" in by_action and f"/r/audit/auditevent/{first.pk}/" not in by_action
    today = timezone.localdate()
    in_range = client_a.get(URL, {"date_from": today.isoformat(), "date_to": today.isoformat()}).content.decode()
    assert f"/r/audit/auditevent/{first.pk}/" in in_range
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    assert f"/r/audit/auditevent/{first.pk}/" not in client_a.get(URL, {"date_to": yesterday}).content.decode()
    by_text = client_a.get(URL, {"q": "rrhh@alfa"}).content.decode()
    assert f"/r/audit/auditevent/{second.pk}/" in by_text and f"/r/audit/auditevent/{third.pk}/" not in by_text


def test_export_csv_and_xlsx_of_the_filtered_events_is_audited(client_a, events, admin_a):
    response = client_a.get(URL, {"action": "update", "export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = [line for line in text.splitlines() if line]
    assert lines[0].startswith("Fecha y hora;Usuario;Acción")
    assert all(";Modificación;" in line for line in lines[1:]) and "600111222" not in lines[0]
    exported = AuditEvent.objects.filter(verb="audit_export").latest("id")
    assert exported.actor_id == admin_a.pk and exported.changes == {"formato": "csv", "filtros": {"action": "update"}}
    xlsx = client_a.get(URL, {"action": "delete", "export": "xlsx"})
    sheet = load_workbook(BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Fecha y hora" and len(rows) == 1 + AuditEvent.objects.filter(action="delete").count()


def test_latest_verification_shown_to_administrators(client_a, events, admin_a):
    page = client_a.get(URL).content.decode()
    assert "Aún no se ha verificado" in page and "Verificar ahora" in page and "/procesos/verificar-auditoria/" in page
    verification = audit_verification_run(actor=admin_a)
    assert verification.ok and verification.checked >= 3
    page = client_a.get(URL).content.decode()
    assert f"Cadena íntegra: {verification.checked} eventos comprobados" in page


def test_broken_chain_shows_first_broken_link(client_a, events):
    first, _second, _third = events
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE audit_auditevent SET changes = %s WHERE id = %s", ['{"phone": ["0", "666"]}', first.pk])
        cursor.execute("SET LOCAL session_replication_role = origin")
    verification = audit_verification_run(actor=None)
    assert not verification.ok and verification.first_broken_id == first.pk
    page = client_a.get(URL).content.decode()
    assert "Cadena ROTA" in page and f"#{first.pk}" in page and "contenido alterado" in page


def test_verify_now_job_stores_the_result(admin_a, django_capture_on_commit_callbacks):
    from apps.jobs.models import JobRun
    from apps.jobs.tasks import audit_verify_job

    job = JobRun.objects.create(user=admin_a, task_name=audit_verify_job.name, label="Verificar auditoría")
    audit_verify_job.apply(args=[job.pk])
    stored = AuditVerification.objects.latest("id")
    assert stored.job_id == job.pk and stored.ok and stored.actor_label == admin_a.email
    job.refresh_from_db()
    assert job.result["checked"] == stored.checked


def test_panel_hidden_and_page_forbidden_by_role(tenants, users_a, events):
    assert host_client(tenants.alfa_host, users_a["comercial"]).get(URL).status_code == 403
    sistemas = host_client(tenants.alfa_host, users_a["sistemas"]).get(URL)
    assert sistemas.status_code == 200 and "Verificar ahora" in sistemas.content.decode()


def test_record_page_links_to_its_audit_history(client_a, users_a):
    colleague = users_a["comercial"]
    page = client_a.get(f"/r/identity/user/{colleague.pk}/").content.decode()
    user_type = ContentType.objects.get_for_model(colleague)
    assert f"/auditoria/?content_type={user_type.pk}&amp;object_id={colleague.pk}" in page


def test_viewer_query_count_is_pinned(client_a, admin_a, django_assert_max_num_queries):
    for n in range(30):
        audit_event_record(actor=admin_a, action=AuditAction.UPDATE, obj=admin_a, changes={"phone": [n, n + 1]})
    audit_verification_run(actor=admin_a)
    with django_assert_max_num_queries(20):
        response = client_a.get(URL)
    assert response.status_code == 200
