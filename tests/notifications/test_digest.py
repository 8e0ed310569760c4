"""The daily digest (issue 9 item 5): notices of digest kinds wait (digest_pending) and the beat task mails
each person one message listing theirs, then marks them sent; a second run sends nothing."""
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from aitcore.celery import app
from apps.notifications.models import Notification
from apps.notifications.services.emails import absolute_link, notifications_digest_send
from apps.notifications.services.notifications import notification_send, unread_count
from apps.notifications.services.preferences import preferences_update
from apps.notifications.tasks import notifications_digest_send as digest_task


@pytest.fixture
def eager(monkeypatch):
    monkeypatch.setitem(app.conf, "task_always_eager", True)


def test_three_digest_notices_make_one_mail_and_a_second_run_sends_none(users_a, eager,
                                                                        django_capture_on_commit_callbacks):
    ana = users_a["comercial"]
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipient=ana, title="2 pólizas para renovar", body="Primer vencimiento el 31/01/2027",
                          url="/seguros/renovaciones/?mes=2027-01", kind="renewal")
        notification_send(recipient=ana, title="Recibo devuelto: R-2026-7", url="/recibos/7/", kind="receipt_return")
        notification_send(recipient=ana, title="Actividad vencida: Llamar a Ana", url="/crm/mi-dia/",
                          kind="crm.activity_overdue")
    assert mail.outbox == []  # no immediate mail for digest kinds
    assert Notification.objects.filter(recipient=ana, digest_pending=True).count() == 3

    result = digest_task.apply().get()
    assert result == {"schema": "alfa", "sent": 1}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ana.email] and message.subject == "[AIT-CORE] Resumen diario: 3 avisos"
    body = message.body
    positions = [body.index(t) for t in ("2 pólizas para renovar", "Recibo devuelto: R-2026-7",
                                         "Actividad vencida: Llamar a Ana")]
    assert positions == sorted(positions)  # oldest first
    assert "Renovaciones" in body and "Recibos devueltos" in body and "Actividades y tareas vencidas" in body
    assert absolute_link("/recibos/7/") in body and absolute_link("/notificaciones/") in body
    assert not Notification.objects.filter(recipient=ana, digest_pending=True).exists()
    assert Notification.objects.filter(recipient=ana, digest_sent_at__isnull=False).count() == 3

    assert digest_task.apply().get()["sent"] == 0  # idempotent
    assert notifications_digest_send() == 0 and len(mail.outbox) == 1


def test_each_person_gets_only_their_own_notices(users_a):
    ana, boss = users_a["comercial"], users_a["direccion"]
    notification_send(recipient=ana, title="Para Ana", kind="renewal")
    notification_send(recipient=boss, title="Para Dirección", kind="renewal")
    notification_send(recipient=boss, title="Mención inmediata", kind="mention")  # not in any digest
    assert notifications_digest_send() == 2
    by_to = {m.to[0]: m.body for m in mail.outbox}
    assert "Para Ana" in by_to[ana.email] and "Para Dirección" not in by_to[ana.email]
    assert "Para Dirección" in by_to[boss.email] and "Para Ana" not in by_to[boss.email]
    assert "Mención inmediata" not in by_to[boss.email]


def test_digest_only_notices_stay_out_of_the_bell(users_a):
    ana = users_a["comercial"]
    preferences_update(actor=ana, data={"job_result": {"in_app": False}})
    unread = unread_count(ana)
    hidden = notification_send(recipient=ana, title="Proceso terminado: Importación", kind="job_result")
    assert hidden is not None and not hidden.shown_in_app and hidden.digest_pending
    assert unread_count(ana) == unread
    assert notifications_digest_send() == 1 and "Proceso terminado: Importación" in mail.outbox[0].body


def test_notices_created_after_the_run_started_wait_for_the_next_one(users_a):
    ana = users_a["comercial"]
    notification_send(recipient=ana, title="Llega tarde", kind="renewal")
    assert notifications_digest_send(now=timezone.now() - timedelta(minutes=1)) == 0
    assert notifications_digest_send() == 1


def test_the_digest_is_a_daily_beat_job_fanned_out_per_brokerage():
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-daily-digest"]
    assert entry["task"] == "apps.tenancy.tasks.fan_out"
    assert entry["args"] == ["apps.notifications.tasks.notifications_digest_send"]
    assert entry["schedule"] == 24 * 3600
    assert "apps.notifications.tasks.notifications_digest_send" in app.tasks
