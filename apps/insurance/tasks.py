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


@app.task(name="apps.insurance.tasks.renewals_build")
def renewals_build():
    """The brokerage's renewal portfolio: proposals for the policies expiring within the configured days."""
    from apps.insurance.services.renewals import renewals_build as build

    return {"schema": connection.schema_name, "created": build(actor=None)}


@app.task(name="apps.insurance.tasks.renewals_confirm_chunk")
def renewals_confirm_chunk(proposal_ids, actor_id=None):
    """Confirms one chunk of proposals (one transaction); sent by insurance_renewals_confirm."""
    from django.contrib.auth import get_user_model

    from apps.insurance.services.renewals import renewals_confirm_many

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return {"schema": connection.schema_name,
            "renewed": renewals_confirm_many(actor=actor, proposal_ids=proposal_ids, chunk_size=len(proposal_ids) or 1)}
