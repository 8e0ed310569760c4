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
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return capfirst(name.replace("_", " "))
    if not field.concrete:  # reverse relation: name it by the related rows, e.g. «Contactos de compañía»
        return capfirst(field.related_model._meta.verbose_name_plural)
    try:
        return capfirst(field.verbose_name)
    except AttributeError:
        return capfirst(name.replace("_", " "))


def _foreign_key(model, name: str):
    """The concrete foreign key (or one-to-one) called `name`, whose audited value is an id."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if field.concrete and (field.many_to_one or field.one_to_one) else None


def _related_labels(model, events) -> dict:
    """{(field name, str(id)): str(related object)} for every id the events' foreign-key changes hold:
    one query per related model on the page, whatever the number of events."""
    wanted: dict = {}
    for event in events:
        for name, pair in (event.changes if isinstance(event.changes, dict) else {}).items():
            field = _foreign_key(model, name)
            if field is None:
                continue
            for value in pair if isinstance(pair, list) else [pair]:
                if value is not None and not isinstance(value, (list, dict)):
                    wanted.setdefault((field.related_model, field.target_field.attname), set()).add(value)
    by_model: dict = {}
    for (related, attname), values in wanted.items():
        try:
            rows = related._base_manager.filter(**{f"{attname}__in": values})
            by_model[(related, attname)] = {str(getattr(row, attname)): str(row) for row in rows}
        except (ValueError, TypeError):  # an id of another type (the field changed since): shown as stored
            by_model[(related, attname)] = {}
    labels = {}
    for field in model._meta.concrete_fields:
        if field.many_to_one or field.one_to_one:
            for key, label in by_model.get((field.related_model, field.target_field.attname), {}).items():
                labels[(field.name, key)] = label
    return labels


def _format(model, name: str, value, labels: dict | None = None) -> str:
    """An audited value (stored as JSON) shown the way the record's page shows it."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return format_value(value)
    if not field.concrete:  # a reverse relation (e.g. "contacts" changed as a set): no choices or type
        return format_value(value)
    if value is not None and _foreign_key(model, name) is not None:
        label = (labels or {}).get((name, str(value)))
        return label if label is not None else f"#{value}"
    if field.choices:
        value = dict(field.flatchoices).get(value, value)
    elif isinstance(value, str) and isinstance(field, models.DateTimeField):
        value = parse_datetime(value) or value
    elif isinstance(value, str) and isinstance(field, models.DateField):
        value = parse_date(value) or value
    elif isinstance(value, str) and isinstance(field, models.DecimalField):
        value = Decimal(value)
    return format_value(value, money=getattr(field, "decimal_places", None) == 2)


def _row(model, name, pair, action, labels=None):
    """(label, before, after); before is None where there is no "before" to show (creations)."""
    if isinstance(pair, list) and len(pair) == 2:
        before = None if action == "create" else _format(model, name, pair[0], labels)
        return _label(model, name), before, _format(model, name, pair[1], labels)
    return _label(model, name), None, _format(model, name, pair, labels)


def history_for(obj, limit: int = 50):
    """The record's latest audit events, each with `change_rows` of (label, before, after)."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    events = list(AuditEvent.objects.filter(content_type=content_type, object_id=str(obj.pk)).order_by("-id")[:limit])
    model = type(obj)
    labels = _related_labels(model, events)
    for event in events:
        changes = event.changes if isinstance(event.changes, dict) else {}
        event.change_rows = [_row(model, name, pair, event.action, labels) for name, pair in changes.items()]
    return events


def latest_verification():
    """The last stored hash-chain verification of this brokerage, or None."""
    from apps.audit.models import AuditVerification

    return AuditVerification.objects.order_by("-checked_at", "-id").first()
