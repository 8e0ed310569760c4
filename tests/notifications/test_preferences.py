"""Notification preferences (issue 9 item 5): defaults, notification_send honouring them (in-app row,
immediate e-mail after the commit through Celery, digest flag), old kind strings, the «Preferencias de
notificación» page, the API, and the inbox filters and mark-one-read."""
import pytest
from django.core import mail

from aitcore.celery import app
from apps.audit.models import AuditEvent
from apps.notifications.models import Notification, NotificationPreference
from apps.notifications.services.emails import absolute_link
from apps.notifications.services.notifications import notification_send, unread_count
from apps.notifications.services.preferences import preferences_for, preferences_update
from tests.conftest import host_client

PAGE = "/notificaciones/preferencias/"
API = "/api/v1/notifications/preferences/"
RECORD = "/crm/clientes/12/"


@pytest.fixture
def eager(monkeypatch):
    """Celery tasks run in-process (with REDIS_URL set the project sends them to the broker)."""
    monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture
def ana(users_a):
    return users_a["comercial"]


def _set(user, kind, **flags):
    preferences_update(actor=user, data={kind: flags})


def test_defaults_without_rows(ana):
    prefs = preferences_for(ana)
    assert list(prefs) == ["mention", "assignment", "approval", "due_activity", "renewal", "receipt_return",
                           "job_result", "other"]
    assert all(p.in_app for p in prefs.values())
    assert {k for k, p in prefs.items() if p.email_immediate} == {"mention", "approval"}
    assert {k for k, p in prefs.items() if p.email_digest} == set(prefs) - {"mention", "approval"}
    assert not NotificationPreference.objects.filter(user=ana).exists()


def test_in_app_off_creates_no_row_and_the_immediate_mail_goes_after_the_commit(
        ana, eager, django_capture_on_commit_callbacks):
    _set(ana, "renewal", in_app=False, email_immediate=True, email_digest=False)
    before, unread = Notification.objects.filter(recipient=ana).count(), unread_count(ana)
    with django_capture_on_commit_callbacks() as callbacks:
        assert notification_send(recipient=ana, title="3 pólizas para renovar", url=RECORD, kind="renewal") is None
        assert mail.outbox == []  # nothing before the commit
    assert Notification.objects.filter(recipient=ana).count() == before and unread_count(ana) == unread
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [ana.email]
    assert "3 pólizas para renovar" in mail.outbox[0].subject


def test_immediate_mail_for_a_mention_carries_the_record_link(ana, eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sent = notification_send(recipient=ana, title="Marta le ha mencionado en «Lucía Navarro»",
                                 body="¿Llamas tú?", url=RECORD, kind="mention")
    assert sent.shown_in_app and not sent.digest_pending  # in the bell too; no digest after an immediate mail
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    link = absolute_link(RECORD)
    assert link.startswith("http") and "alfa.test" in link and link.endswith(RECORD)
    assert message.to == [ana.email] and message.subject == "[AIT-CORE] Marta le ha mencionado en «Lucía Navarro»"
    assert link in message.body and "¿Llamas tú?" in message.body and "Preferencias de notificación" in message.body
    assert message.body.startswith("Hola, ")


def test_digest_kind_sends_no_immediate_mail(ana, eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sent = notification_send(recipient=ana, title="Recibo devuelto: R-1", url=RECORD, kind="receipt_return")
    assert mail.outbox == [] and sent.digest_pending and sent.shown_in_app


def test_someone_nothing_else_would_reach_still_gets_the_in_app_row(ana, users_a, django_capture_on_commit_callbacks):
    _set(ana, "other", in_app=False, email_immediate=False, email_digest=False)
    kept = notification_send(recipient=ana, title="Aviso")
    assert kept.shown_in_app and not kept.digest_pending
    nobody = users_a["direccion"]
    nobody.email = ""  # no address: e-mail cannot reach them
    _set(nobody, "mention", in_app=False)
    with django_capture_on_commit_callbacks(execute=True):
        kept = notification_send(recipient=nobody, title="Mención", kind="mention")
    assert kept.shown_in_app and mail.outbox == []


def test_old_kind_strings_keep_working(ana):
    assert notification_send(recipient=ana, title="a", kind="insurance.renewals").kind == "renewal"
    assert notification_send(recipient=ana, title="b", kind="crm.activity_overdue").kind == "due_activity"
    assert notification_send(recipient=ana, title="c", kind="warning").kind == "other"
    assert notification_send(recipient=ana, title="d", kind="no-such-kind").kind == "other"
    assert notification_send(recipient=ana, title="e").kind == "other"


def test_preferences_page_saves_and_is_audited(tenants, ana):
    client = host_client(tenants.alfa_host, ana)
    page = client.get(PAGE).content.decode()
    assert "Preferencias de notificación" in page and page.count("<tr data-kind=") == 8
    assert 'name="mention__email_immediate" id="id_mention__email_immediate" aria-label' in page
    assert "Preferencias de notificación" in client.get("/notificaciones/").content.decode()  # linked from the inbox

    checked = {f"{kind}__in_app": "on" for kind in ("mention", "assignment", "approval", "due_activity",
                                                    "receipt_return", "job_result", "other")}
    checked.update({"mention__email_immediate": "on", "renewal__email_immediate": "on", "other__email_digest": "on"})
    response = client.post(PAGE, checked)
    assert response.status_code == 302 and response["Location"] == PAGE
    prefs = preferences_for(ana)
    assert (prefs["renewal"].in_app, prefs["renewal"].email_immediate, prefs["renewal"].email_digest) == (False, True, False)
    assert (prefs["approval"].email_immediate, prefs["due_activity"].email_digest) == (False, False)
    assert prefs["mention"].email_immediate and prefs["other"].email_digest
    event = AuditEvent.objects.filter(verb="notification_preferences", actor_id=ana.pk).get()
    assert event.changes["renewal"] == {"in_app": [True, False], "email_immediate": [False, True],
                                        "email_digest": [True, False]}
    after = client.get(PAGE).content.decode()
    assert 'name="renewal__email_immediate" id="id_renewal__email_immediate" aria-label="Renovaciones: E-mail inmediato" checked' in after
    client.post(PAGE, checked)  # the same again: nothing changed, no second event
    assert AuditEvent.objects.filter(verb="notification_preferences", actor_id=ana.pk).count() == 1


def test_api_round_trip(tenants, api_token_a, admin_a):
    client = host_client(tenants.alfa_host)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_a}"}
    first = client.get(API, **auth)
    assert first.status_code == 200
    assert first.json()["mention"] == {"in_app": True, "email_immediate": True, "email_digest": False}
    assert first.json()["renewal"] == {"in_app": True, "email_immediate": False, "email_digest": True}

    changed = client.put(API, {"renewal": {"in_app": False, "email_digest": False}, "job_result": {"email_immediate": True}},
                         content_type="application/json", **auth)
    assert changed.status_code == 200, changed.content
    assert changed.json()["renewal"] == {"in_app": False, "email_immediate": False, "email_digest": False}
    assert changed.json()["job_result"] == {"in_app": True, "email_immediate": True, "email_digest": True}
    assert client.get(API, **auth).json() == changed.json()

    bad = client.put(API, {"renewal": {"in_app": "quizá"}}, content_type="application/json", **auth)
    assert bad.status_code == 400 and bad.json()["code"] == "notif_pref_flags"
    unknown = client.put(API, {"fax": {"in_app": True}, "mention": {"in_app": False}}, content_type="application/json",
                         **auth)
    assert unknown.status_code == 400 and unknown.json()["code"] == "notif_pref_kind"
    assert preferences_for(admin_a)["mention"].in_app is True  # nothing saved
    assert host_client(tenants.alfa_host).get(API).status_code in (401, 403)


def test_inbox_filters_and_mark_one_read(tenants, ana, users_a):
    other = users_a["direccion"]
    mention = notification_send(recipient=ana, title="Mención sin leer", kind="mention")
    notification_send(recipient=ana, title="Renovación sin leer", kind="renewal")
    read = notification_send(recipient=ana, title="Mención leída", kind="mention")
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    foreign = notification_send(recipient=other, title="De otra persona", kind="mention")
    client = host_client(tenants.alfa_host, ana)

    page = client.get("/notificaciones/", {"unread": "1", "kind": "mention"}).content.decode()
    assert "Mención sin leer" in page and "Renovación sin leer" not in page and "Mención leída" not in page
    assert "De otra persona" not in client.get("/notificaciones/").content.decode()

    response = client.post(f"/notificaciones/{mention.pk}/leida/", {"next": "/notificaciones/?unread=1"})
    assert response.status_code == 302 and response["Location"] == "/notificaciones/?unread=1"
    mention.refresh_from_db()
    assert mention.read_at is not None
    client.post(f"/notificaciones/{foreign.pk}/leida/", {"next": "https://evil.example/"})
    foreign.refresh_from_db()
    assert foreign.read_at is None  # another person's notification is never touched

    api = client.get("/api/v1/notifications/", {"unread": "true"}).json()
    rows = api["results"] if isinstance(api, dict) else api
    assert [row["title"] for row in rows] == ["Renovación sin leer"]
