"""Thin tasks: load ids, call a service. Beat fans them out per brokerage
(apps.tenancy.tasks.fan_out with "apps.insurance.tasks.policies_expire_due")."""
from django.db import connection

from aitcore.celery import app


@app.task(name="apps.insurance.tasks.policies_expire_due")
def policies_expire_due():
    """Policies in force or suspended past their expiry without renewal become expired."""
    from apps.insurance.services.policies import policies_expire_due as expire

    return {"schema": connection.schema_name, "expired": expire(actor=None)}


@app.task(name="apps.insurance.tasks.quotes_expire")
def quotes_expire():
    """Sent quotes past their valid_until become expired."""
    from apps.insurance.services.quotes import quote_expire

    return {"schema": connection.schema_name, "expired": quote_expire(actor=None)}
