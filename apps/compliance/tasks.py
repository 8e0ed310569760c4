"""Thin tasks. Beat fans the daily retention run and the deadline warnings out per brokerage
(apps.tenancy.tasks.fan_out with "apps.compliance.tasks.retention_run" / "…deadlines_warn"); a run asked
from the retention page is a tracked job (progress on the websocket)."""
from django.db import connection

from aitcore.celery import app
from apps.jobs.tracking import tracked_task


@app.task(name="apps.compliance.tasks.retention_run")
def retention_run():
    from apps.compliance.services.retention import retention_run as run

    log = run(actor=None)
    return {"schema": connection.schema_name, "run": log.pk, "processed": log.processed}


@app.task(name="apps.compliance.tasks.deadlines_warn")
def deadlines_warn():
    from apps.compliance.services.deadlines import compliance_deadlines_warn

    return {"schema": connection.schema_name, "notices": compliance_deadlines_warn()}


@tracked_task("apps.compliance.tasks.retention_run_job")
def retention_run_job(job, progress):
    from apps.compliance.choices import RunTrigger
    from apps.compliance.services.retention import retention_run as run

    log = run(actor=job.user, trigger=RunTrigger.MANUAL, progress=progress)
    return {"run": log.pk, "processed": log.processed, "totals": log.totals}
