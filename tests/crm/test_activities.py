"""Activities: create on any party, lead or opportunity, complete with one click, "Mi día" and
the overdue reminders the beat job sends as notifications."""
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.crm.models import Activity, Lead, Opportunity, Party
from apps.crm.selectors_pipeline import my_day
from apps.crm.services.activities import activity_create, activity_reminders_due, activity_update
from apps.notifications.models import Notification
from tests.conftest import host_client

MADRID = ZoneInfo("Europe/Madrid")


def _party(name, manager):
    first, last = name.split(" ", 1)
    return Party.objects.create(display_name=name, first_name=first, last_name=last, kind="person",
                                account_manager=manager)


def _activity(owner, subject, due_at, party, **extra):
    return Activity.objects.create(owner=owner, subject=subject, due_at=due_at, party=party, **extra)


@pytest.fixture
def comercial(users_a):
    return users_a["comercial"]


@pytest.fixture
def comercial_client(tenants, comercial):
    return host_client(tenants.alfa_host, comercial)


def _section(page: str, key: str) -> str:
    start = page.index(f'id="section-{key}"')
    return page[start:page.index("</section>", start)]


def test_my_day_splits_overdue_today_and_next_days_for_the_user_only(comercial, users_a):
    party = _party("Ana Ruiz", comercial)
    other = users_a["direccion"]
    now = datetime(2026, 3, 10, 12, 0, tzinfo=MADRID)
    _activity(comercial, "Vencida de ayer", now - timedelta(days=1), party)
    _activity(comercial, "Vencida esta mañana", now.replace(hour=9), party)
    _activity(comercial, "Esta tarde", now.replace(hour=18), party)
    _activity(comercial, "Dentro de 3 días", now + timedelta(days=3), party)
    _activity(comercial, "Dentro de 10 días", now + timedelta(days=10), party)
    _activity(comercial, "Hecha la semana pasada", now - timedelta(days=7), party, done_at=now - timedelta(days=6))
    _activity(comercial, "Hecha hoy", now - timedelta(days=2), party, done_at=now.replace(hour=10))
    _activity(other, "De Dirección", now - timedelta(days=1), party)
    day = my_day(comercial, now=now)
    assert [a.subject for a in day.overdue] == ["Vencida de ayer", "Vencida esta mañana"]
    assert [a.subject for a in day.today] == ["Esta tarde"]
    assert [a.subject for a in day.upcoming] == ["Dentro de 3 días"]
    assert [a.subject for a in day.done_today] == ["Hecha hoy"]


def test_my_day_page(comercial_client, comercial, users_a):
    party = _party("Ana Ruiz", comercial)
    now = timezone.now()
    _activity(comercial, "Llamar por la renovación", now - timedelta(days=2), party)
    _activity(comercial, "Enviar propuesta de hogar", now + timedelta(days=3), party)
    _activity(users_a["direccion"], "Reunión de Dirección", now - timedelta(days=1), party)
    response = comercial_client.get("/crm/mi-dia/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Llamar por la renovación" in _section(page, "overdue")
    assert "Enviar propuesta de hogar" in _section(page, "upcoming")
    assert "Reunión de Dirección" not in page


def test_complete_with_one_click_via_htmx(comercial_client, comercial, users_a):
    party = _party("Ana Ruiz", comercial)
    mine = _activity(comercial, "Llamar", timezone.now() - timedelta(hours=3), party)
    theirs = _activity(users_a["direccion"], "Ajena", timezone.now() - timedelta(hours=3), party)
    response = comercial_client.post(f"/crm/actividades/{mine.pk}/hecha/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="activity-{mine.pk}"' in response.content.decode() and "hecha a las" in response.content.decode()
    mine.refresh_from_db()
    assert mine.done_at is not None and mine.version == 2
    # Again: nothing changes; without htmx it redirects back to "Mi día".
    response = comercial_client.post(f"/crm/actividades/{mine.pk}/hecha/")
    assert response.status_code == 302 and response["Location"] == "/crm/mi-dia/"
    assert comercial_client.post(f"/crm/actividades/{theirs.pk}/hecha/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.done_at is None


@pytest.mark.parametrize("target", ["party", "lead", "opportunity"])
def test_create_activity_with_the_target_from_the_url(comercial_client, comercial, target):
    party = _party("Ana Ruiz", comercial)
    objects = {
        "party": party,
        "lead": Lead.objects.create(name="Luis Gil", email="luis@example.es", owner=comercial),
        "opportunity": Opportunity.objects.create(party=party, title="Autos", line_of_business="autos",
                                                  expected_premium=Decimal("300.00"), owner=comercial),
    }
    obj = objects[target]
    url = f"/crm/actividades/nueva/?{target}={obj.pk}"
    assert comercial_client.get(url).status_code == 200
    response = comercial_client.post(url, {"kind": "call", "subject": "Primera llamada", "due_at": "2026-05-04T10:30",
                                           "owner": comercial.pk, "notes": ""})
    assert response.status_code == 302, response.content.decode()
    activity = Activity.objects.get(subject="Primera llamada")
    assert getattr(activity, target) == obj and activity.owner == comercial
    assert timezone.localtime(activity.due_at).strftime("%d/%m/%Y %H:%M") == "04/05/2026 10:30"
    if target == "opportunity":
        assert activity.party == party  # also shows on the client's page


def test_activity_targets_follow_the_permission_rules(tenants, comercial_client, comercial, users_a):
    theirs = _party("Jorge Vidal", users_a["direccion"])
    assert comercial_client.get(f"/crm/actividades/nueva/?party={theirs.pk}").status_code == 404
    assert comercial_client.get("/crm/actividades/nueva/").status_code == 404
    reader = host_client(tenants.alfa_host, users_a["contabilidad"])  # crm: view only
    assert reader.get(f"/crm/actividades/nueva/?party={theirs.pk}").status_code == 403
    with pytest.raises(ValidationError) as exc:
        activity_create(actor=comercial, data={"kind": "task", "subject": "Sin destino", "due_at": timezone.now()})
    assert "__all__" in exc.value.message_dict


def test_overdue_reminders_are_sent_once_as_notifications(comercial, users_a):
    from apps.crm.tasks.reminders import activity_reminders_send

    party = _party("Ana Ruiz", comercial)
    boss = users_a["direccion"]
    now = timezone.now()
    _activity(comercial, "Llamar a Ana", now - timedelta(hours=2), party)
    _activity(boss, "Revisar propuesta", now - timedelta(days=1), party)
    _activity(comercial, "Ya hecha", now - timedelta(days=1), party, done_at=now - timedelta(hours=1))
    _activity(comercial, "Para mañana", now + timedelta(days=1), party)
    _activity(comercial, "Ya avisada", now - timedelta(days=3), party, reminder_sent_at=now - timedelta(days=2))
    before = Notification.objects.count()

    result = activity_reminders_send()
    assert result["sent"] == 2
    sent = Notification.objects.order_by("pk")[before:]
    assert sorted((n.recipient_id, n.title) for n in sent) == sorted([
        (comercial.pk, "Actividad vencida: Llamar a Ana"), (boss.pk, "Actividad vencida: Revisar propuesta"),
    ])
    assert {n.url for n in sent} == {"/crm/mi-dia/"}
    assert "Cliente: Ana Ruiz" in sent[0].body

    assert activity_reminders_send()["sent"] == 0  # idempotent
    assert Notification.objects.count() == before + 2
    assert not activity_reminders_due(now=timezone.now()).exists()


def test_rescheduling_an_overdue_activity_reminds_again(comercial):
    party = _party("Ana Ruiz", comercial)
    now = timezone.now()
    activity = _activity(comercial, "Llamar", now - timedelta(hours=1), party, reminder_sent_at=now)
    activity = activity_update(actor=comercial, activity=activity, data={"due_at": now + timedelta(days=1)})
    assert activity.reminder_sent_at is None
    assert not activity_reminders_due(now=now).filter(pk=activity.pk).exists()
    assert activity_reminders_due(now=now + timedelta(days=2)).filter(pk=activity.pk).exists()


def test_reminder_task_is_registered_under_the_beat_name():
    from django.conf import settings

    from aitcore.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["crm-activity-reminders"]
    assert entry["args"] == ["apps.crm.tasks.activity_reminders_send"]
    assert "apps.crm.tasks.activity_reminders_send" in app.tasks
