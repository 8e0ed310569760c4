"""Thin tasks. Beat fans the scheduled reports out per brokerage, daily
(apps.tenancy.tasks.fan_out with "apps.analytics.tasks.analytics_reports_send")."""
from django.db import connection

from aitcore.celery import app


@app.task(name="apps.analytics.tasks.analytics_reports_send")
def analytics_reports_send():
    from apps.analytics.services.reports import reports_send_due

    return {"schema": connection.schema_name, "sent": reports_send_due(actor=None)}
