from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst

from apps.audit.models import AuditEvent
from apps.core.tables import format_value


def _label(model, name: str) -> str:
    try:
        return capfirst(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return capfirst(name.replace("_", " "))


def _format(model, name: str, value) -> str:
    """An audited value (stored as JSON) shown the way the record's page shows it."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return format_value(value)
    if field.choices:
        value = dict(field.flatchoices).get(value, value)
    elif isinstance(value, str) and isinstance(field, models.DateTimeField):
        value = parse_datetime(value) or value
    elif isinstance(value, str) and isinstance(field, models.DateField):
        value = parse_date(value) or value
    elif isinstance(value, str) and isinstance(field, models.DecimalField):
        value = Decimal(value)
    return format_value(value, money=getattr(field, "decimal_places", None) == 2)


def _row(model, name, pair, action):
    """(label, before, after); before is None where there is no "before" to show (creations)."""
    if isinstance(pair, list) and len(pair) == 2:
        before = None if action == "create" else _format(model, name, pair[0])
        return _label(model, name), before, _format(model, name, pair[1])
    return _label(model, name), None, _format(model, name, pair)


def history_for(obj, limit: int = 50):
    """The record's latest audit events, each with `change_rows` of (label, before, after)."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    events = list(AuditEvent.objects.filter(content_type=content_type, object_id=str(obj.pk)).order_by("-id")[:limit])
    model = type(obj)
    for event in events:
        changes = event.changes if isinstance(event.changes, dict) else {}
        event.change_rows = [_row(model, name, pair, event.action) for name, pair in changes.items()]
    return events
