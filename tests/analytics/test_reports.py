"""Subscriptions (page, services, admin) and the scheduled e-mail of the PDF."""
import datetime

import pytest
from django.core import mail

from apps.analytics.errors import AnalyticsError
from apps.analytics.metrics import claims as claims_metrics
from apps.analytics.models import ReportSubscription
from apps.analytics.services import reports_send_due, subscription_create, subscription_delete
from apps.analytics.tasks import analytics_reports_send
from apps.audit.models import AuditEvent
from tests.conftest import host_client

d = datetime.date


@pytest.fixture(autouse=True)
def no_engine(monkeypatch):
    monkeypatch.setattr(claims_metrics, "_engine", lambda: None)


def test_subscribe_checks_the_dashboard_and_audits(users_a):
    rrhh = users_a["rrhh"]
    sub = subscription_create(actor=rrhh, user=rrhh, dashboard="rrhh", frequency="weekly", today=d(2026, 3, 18))
    assert sub.next_send == d(2026, 3, 23)  # next Monday
    assert AuditEvent.objects.filter(object_id=str(sub.pk), action="create").exists()
    with pytest.raises(AnalyticsError):
        subscription_create(actor=rrhh, user=rrhh, dashboard="direccion", frequency="monthly")
    with pytest.raises(AnalyticsError):
        subscription_create(actor=rrhh, user=rrhh, dashboard="rrhh", frequency="weekly")
    with pytest.raises(AnalyticsError):
        subscription_create(actor=users_a["cobros"], user=rrhh, dashboard="rrhh", frequency="monthly")
    subscription_delete(actor=rrhh, subscription=sub)
    assert not ReportSubscription.objects.filter(user=rrhh).exists()


def test_due_subscriptions_get_one_email_each_and_advance(an_data, users_a):
    admin, cobros = an_data.admin, users_a["cobros"]
    monthly = subscription_create(actor=admin, user=admin, dashboard="direccion", frequency="monthly", today=d(2025, 12, 10))
    weekly = subscription_create(actor=cobros, user=cobros, dashboard="cobros", frequency="weekly", today=d(2025, 12, 29))
    later = subscription_create(actor=admin, user=admin, dashboard="direccion", frequency="weekly", today=d(2026, 1, 10))
    assert (monthly.next_send, weekly.next_send, later.next_send) == (d(2026, 1, 1), d(2026, 1, 5), d(2026, 1, 12))
    mail.outbox.clear()
    assert reports_send_due(actor=None, today=d(2026, 1, 5)) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([admin.email, cobros.email])
    report = next(m for m in mail.outbox if m.to == [admin.email])
    assert "Dirección" in report.subject and "01/12/2025 – 31/12/2025" in report.subject
    name, content, mimetype = report.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF") and name.endswith(".pdf")
    monthly.refresh_from_db(), weekly.refresh_from_db(), later.refresh_from_db()
    assert (monthly.next_send, weekly.next_send, later.next_send) == (d(2026, 2, 1), d(2026, 1, 12), d(2026, 1, 12))
    assert monthly.last_sent_at is not None and later.last_sent_at is None
    mail.outbox.clear()
    assert reports_send_due(actor=None, today=d(2026, 1, 5)) == 0 and not mail.outbox


def test_beat_task_sends_in_the_current_brokerage(an_data):
    sub = subscription_create(actor=an_data.admin, user=an_data.admin, dashboard="direccion", frequency="monthly")
    ReportSubscription.objects.filter(pk=sub.pk).update(next_send=d(2020, 1, 1))
    mail.outbox.clear()
    result = analytics_reports_send.apply().get()
    assert result["schema"] == "alfa" and result["sent"] == 1 and len(mail.outbox) == 1


def test_subscriptions_page(tenants, users_a):
    rrhh = users_a["rrhh"]
    client = host_client(tenants.alfa_host, rrhh)
    page = client.get("/analitica/suscripciones/")
    assert page.status_code == 200 and "Informes programados" in page.content.decode()
    response = client.post("/analitica/suscripciones/", {"dashboard": "rrhh", "frequency": "monthly"})
    assert response.status_code == 302
    sub = ReportSubscription.objects.get(user=rrhh)
    assert client.post("/analitica/suscripciones/", {"dashboard": "direccion", "frequency": "monthly"}).status_code == 400
    other = host_client(tenants.alfa_host, users_a["cobros"])
    assert other.post(f"/analitica/suscripciones/{sub.pk}/anular/").status_code == 404
    assert client.post(f"/analitica/suscripciones/{sub.pk}/anular/").status_code == 302
    assert not ReportSubscription.objects.filter(user=rrhh).exists()


def test_admin_lists_subscriptions(tenants, admin_a):
    subscription_create(actor=admin_a, user=admin_a, dashboard="direccion", frequency="weekly")
    client = host_client(tenants.alfa_host, admin_a)
    response = client.get("/admin/analytics/reportsubscription/")
    html = response.content.decode()
    assert response.status_code == 200 and admin_a.email in html and "Dirección" in html and "Semanal" in html


def test_demo_seeder_subscribes_the_admin_once(admin_a):
    from apps.analytics.demo import analytics_demo_seed

    assert analytics_demo_seed(admin=admin_a) == {"subscriptions": 1}
    assert analytics_demo_seed(admin=admin_a) == {}
