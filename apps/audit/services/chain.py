"""Writing and verifying the audit hash chain."""
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.core import context

GENESIS = "0" * 64


def _plain(value):
    if isinstance(value, (Decimal, date, datetime)):
        return str(value) if not isinstance(value, datetime) else value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance, exclude=()) -> dict:
    """Field values of a record as JSON-friendly data (foreign keys by id)."""
    data = {}
    for f in instance._meta.concrete_fields:
        if f.name in exclude or f.primary_key:
            continue
        value = getattr(instance, f.attname)
        if getattr(f, "encrypted", False) or f.name in ("password",):
            value = "***" if value else value
        data[f.name] = _plain(value)
    return data


def _mask_changes(obj, changes: dict | None) -> dict:
    """Values of encrypted fields never reach the (clear, append-only) audit log: "***" instead."""
    if not changes or obj is None:
        return changes or {}
    encrypted = {f.name for f in obj._meta.concrete_fields if getattr(f, "encrypted", False)}
    if not encrypted & set(changes):
        return changes

    def hide(value):
        if isinstance(value, list):
            return [hide(item) for item in value]
        return "***" if value not in (None, "", "***") else value

    return {name: hide(value) if name in encrypted else value for name, value in changes.items()}


def diff_instances(before: dict, after: dict) -> dict:
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def _digest(event: AuditEvent) -> str:
    payload = {
        "prev": event.prev_hash,
        "ts": event.timestamp.isoformat(),
        "actor": [event.actor_id, event.actor_label],
        "action": [event.action, event.verb],
        "object": [event.content_type_id, event.object_id, event.object_repr],
        "changes": event.changes,
        "request": [event.request_id, event.ip, event.user_agent],
    }
    raw = json.dumps(payload, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def _lock_chain():
    """One writer at a time per schema, so each event links to the true previous one."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"audit:{connection.schema_name}"])


@transaction.atomic
def audit_event_record(*, actor, action: str, obj=None, changes: dict | None = None, verb: str = "") -> AuditEvent:
    _lock_chain()
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    ctx = context.current()
    event = AuditEvent(
        timestamp=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        actor_label=(getattr(actor, "email", "") or str(actor or ""))[:254] if actor else "",
        action=action,
        verb=verb,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        changes=json.loads(json.dumps(_mask_changes(obj, changes), cls=DjangoJSONEncoder)),
        request_id=ctx.request_id,
        ip=ctx.ip,
        user_agent=ctx.user_agent,
        prev_hash=last or GENESIS,
    )
    event.hash = _digest(event)
    event.save(force_insert=True)
    return event


@transaction.atomic
def audit_events_record(*, actor, action: str, items: list, verb: str = "") -> list[AuditEvent]:
    """Many events at once (`items`: (obj, changes) pairs), chained in order: one lock, one read and
    one insert whatever their number (bulk services such as the automatic reconciliation)."""
    if not items:
        return []
    _lock_chain()
    prev = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
    ctx, now, events = context.current(), timezone.now(), []
    for obj, changes in items:
        event = AuditEvent(
            timestamp=now, actor_id=getattr(actor, "pk", None),
            actor_label=(getattr(actor, "email", "") or str(actor or ""))[:254] if actor else "",
            action=action, verb=verb,
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk), object_repr=str(obj)[:300],
            changes=json.loads(json.dumps(_mask_changes(obj, changes), cls=DjangoJSONEncoder)),
            request_id=ctx.request_id, ip=ctx.ip, user_agent=ctx.user_agent, prev_hash=prev)
        event.hash = prev = _digest(event)
        events.append(event)
    return AuditEvent.objects.bulk_create(events)


@dataclass
class ChainReport:
    checked: int = 0
    broken: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken


def audit_chain_verify() -> ChainReport:
    """Recomputes every hash in order; reports each event whose content or link is wrong."""
    report = ChainReport()
    expected_prev = GENESIS
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        report.checked += 1
        if event.prev_hash != expected_prev:
            report.broken.append((event.pk, "enlace roto: falta o se alteró el evento anterior"))
        if _digest(event) != event.hash:
            report.broken.append((event.pk, "contenido alterado: el hash no coincide"))
        expected_prev = event.hash
    return report
