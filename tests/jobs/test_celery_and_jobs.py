"""Tasks run in their brokerage's schema; JobRun progress reaches the owner's channel group."""
import pytest
from django.conf import settings
from django_tenants.utils import schema_context

from aitcore.celery import app
from apps.jobs.choices import JobStatus
from apps.jobs.models import JobRun
from apps.jobs.tasks import audit_verify_job, whereami


@pytest.fixture(scope="module")
def worker(tenants, django_db_blocker):
    """A real Celery worker thread consuming from Redis when REDIS_URL is set; eager otherwise."""
    if not settings.REDIS_URL:
        yield None
        return
    from celery.contrib.testing.worker import start_worker

    with django_db_blocker.unblock(), start_worker(app, pool="threads", concurrency=1, perform_ping_check=False,
                                                    shutdown_timeout=10):
        yield "redis"


def test_task_runs_in_the_schema_it_was_sent_from(worker, tenants, db):
    with schema_context("beta"):
        result = whereami.delay().get(timeout=20)
    assert result == {"schema": "beta", "users": 8}
    with schema_context("alfa"):
        assert whereami.delay().get(timeout=20)["schema"] == "alfa"


def test_fan_out_sends_one_task_per_active_brokerage(worker, tenants, db):
    from apps.tenancy.tasks import fan_out

    schemas = fan_out.delay("apps.jobs.tasks.whereami").get(timeout=20)
    assert {"alfa", "beta"} <= set(schemas)
    assert "public" not in schemas and settings.TENANT_BASE_SCHEMA not in schemas


def test_job_progress_reaches_the_owner_live(live_port, tenants, admin_a, django_capture_on_commit_callbacks):
    from rest_framework_simplejwt.tokens import AccessToken

    from tests.fixtures.live import WsClient

    token = AccessToken.for_user(admin_a)
    token["tenant"] = "alfa"
    job = JobRun.objects.create(user=admin_a, task_name=audit_verify_job.name, label="Verificar auditoría")
    with WsClient(live_port, tenants.alfa_host, f"/ws/notifications/?token={token}") as ws:
        assert ws.next()["type"] == "hello"
        with django_capture_on_commit_callbacks(execute=True):
            audit_verify_job.apply(args=[job.pk])
        seen = [ws.next() for _ in range(4)]
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.progress == 100 and job.result["ok"] is True
    assert [m["progress"] for m in seen] == [0, 10, 90, 100]
    assert seen[-1]["status_label"] == "Terminado"


def test_failed_job_records_the_error(admin_a):
    job = JobRun.objects.create(user=admin_a, task_name="x", label="Proceso")
    from apps.jobs.tracking import tracked_task

    @tracked_task("tests.boom")
    def boom(job, progress):
        progress(30, "a medias")
        raise ValueError("fichero Norma 43 truncado")

    boom.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.progress == 30 and "Norma 43 truncado" in job.error
    boom.apply(args=[job.pk])  # redelivered: a finished job is not run again
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


def test_job_page_shows_the_progress_bar(client_a, admin_a):
    job = JobRun.objects.create(user=admin_a, task_name="x", label="Cálculo de provisiones", progress=40,
                                status=JobStatus.RUNNING)
    page = client_a.get(f"/r/jobs/jobrun/{job.pk}/").content.decode()
    assert 'role="progressbar"' in page and 'aria-valuenow="40"' in page and "Cálculo de provisiones" in page


def test_start_audit_verification_from_the_dashboard(client_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=not settings.REDIS_URL):
        response = client_a.post("/procesos/verificar-auditoria/")
    assert response.status_code == 302
    job = JobRun.objects.latest("created_at")
    assert job.label == "Verificar la cadena de auditoría"
    if not settings.REDIS_URL:
        job.refresh_from_db()
        assert job.status == JobStatus.SUCCEEDED
