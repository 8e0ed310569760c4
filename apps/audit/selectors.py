from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst

from apps.audit.models import AuditEvent


def _label(model, name: str) -> str:
    try:
        return capfirst(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return capfirst(name.replace("_", " "))


def history_for(obj, limit: int = 50):
    """The record's latest audit events, each with `change_rows` (field, label, [before, after])."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    events = list(AuditEvent.objects.filter(content_type=content_type, object_id=str(obj.pk)).order_by("-id")[:limit])
    model = type(obj)
    for event in events:
        changes = event.changes if isinstance(event.changes, dict) else {}
        event.change_rows = [(name, _label(model, name), pair) for name, pair in changes.items()]
    return events
