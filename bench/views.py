"""Bare Django views for the bench: the same query as the API, no DRF, JSON via values().

Each answer carries the schema the request was routed to, so bench/run.py can check that a
"public" request really ran against public and a tenant request against the tenant.
"""
from django.contrib.auth.models import Permission
from django.db import connection
from django.http import JsonResponse

from apps.audit.models import AuditEvent

ROWS = 50
AUDIT_FIELDS = ("id", "timestamp", "actor_id", "actor_label", "action", "verb", "content_type__app_label",
                "content_type__model", "object_id", "object_repr", "changes", "request_id", "ip", "user_agent",
                "prev_hash", "hash")


def bare_audit_events(request):
    """What GET /api/v1/audit-events/?page_size=50 reads (same order, same columns), minus DRF:
    no authentication, permissions, throttling, filter backends, count query or serializer."""
    rows = list(AuditEvent.objects.order_by("-id").values(*AUDIT_FIELDS)[:ROWS])
    return JsonResponse({"schema": connection.schema_name, "results": rows})


def bare_permissions(request):
    """50 rows of auth_permission. django.contrib.auth is both a shared and a tenant app, so the
    table exists (with the same rows) in public and in every brokerage: the one query that can
    be compared across tenant and public routing without writing anything to public."""
    rows = list(Permission.objects.order_by("id").values("id", "name", "codename", "content_type_id")[:ROWS])
    return JsonResponse({"schema": connection.schema_name, "results": rows})
