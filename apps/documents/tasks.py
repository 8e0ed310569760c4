"""Thin tasks: the documents' daily jobs, fanned out per brokerage by beat (apps.tenancy.tasks.fan_out with
"apps.documents.tasks.documents_expiry_remind" / "…documents_retention_purge", aitcore settings)."""
from django.db import connection

from aitcore.celery import app


@app.task(name="apps.documents.tasks.documents_expiry_remind")
def documents_expiry_remind():
    from apps.documents.services.lifecycle import documents_expiry_remind as remind

    return {"schema": connection.schema_name, "notices": remind()}


@app.task(name="apps.documents.tasks.documents_retention_purge")
def documents_retention_purge():
    from apps.documents.services.lifecycle import documents_retention_purge as purge

    return {"schema": connection.schema_name, "deleted": purge()}


from apps.documents.tasks_generation import mail_merge_job  # noqa: E402,F401  (the mail merge, issue 11 item 3)
