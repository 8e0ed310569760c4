"""Thin tasks: load ids, call a service. Beat fans cover_review out per brokerage
(apps.tenancy.tasks.fan_out with "apps.collections.tasks.cover_review")."""
from django.db import connection

from aitcore.celery import app


@app.task(name="apps.collections.tasks.cover_review")
def cover_review():
    """Art. 15 LCS: suspends policies with a premium unpaid a month, resumes those paid."""
    from apps.collections.services.cover import cover_review as review

    return {"schema": connection.schema_name, **review(actor=None)}


@app.task(name="apps.collections.tasks.receipts_generate_chunk")
def receipts_generate_chunk(policy_ids: list[int]):
    """Receipts for a chunk of policies (bulk generation: renewals, benchmarks)."""
    from apps.collections.services.receipts_generate import receipts_generate_many

    return {"schema": connection.schema_name, "receipts": receipts_generate_many(actor=None, policy_ids=policy_ids)}
