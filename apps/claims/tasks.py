"""Thin tasks: load ids, call a service. Beat fans them out per brokerage
(apps.tenancy.tasks.fan_out with "apps.claims.tasks.claim_tasks_due"): the lead wires the schedule."""
from django.db import connection

from aitcore.celery import app


@app.task(name="apps.claims.tasks.claim_tasks_due")
def claim_tasks_due():
    """Notifies each assignee of its claim tasks due today or overdue; returns how many tasks."""
    from apps.claims.services.work import claim_tasks_notify

    return {"schema": connection.schema_name, "tasks": claim_tasks_notify()}
