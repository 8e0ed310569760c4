"""Turning model fields into table columns and display values (es-ES formats)."""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from apps.core.money import format_eur


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    sortable: bool
    numeric: bool


def columns_for(model, field_names) -> list[Column]:
    columns = []
    for name in field_names:
        try:
            field = model._meta.get_field(name)
            numeric = isinstance(field, (models.DecimalField, models.IntegerField, models.FloatField)) and not field.choices
            columns.append(Column(name, str(capfirst(field.verbose_name)), True, numeric))
        except FieldDoesNotExist:
            attr = getattr(model, name, None)
            attr = getattr(attr, "fget", attr)  # a property's getter carries the label
            label = getattr(attr, "short_description", name.replace("_", " "))
            columns.append(Column(name, str(capfirst(label)), False, False))
    return columns


def raw_value(obj, name):
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        value = getattr(obj, name)
        return value() if callable(value) else value
    if field.choices:
        return getattr(obj, f"get_{name}_display")()
    if field.many_to_many:
        return ", ".join(str(item) for item in getattr(obj, name).all())
    return getattr(obj, name)


def display_value(obj, name) -> str:
    return format_value(raw_value(obj, name), _money_field(obj, name))


def _money_field(obj, name) -> bool:
    try:
        return getattr(obj._meta.get_field(name), "decimal_places", None) == 2
    except FieldDoesNotExist:
        return False


def format_value(value, money: bool = False) -> str:
    """One value as people read it in es-ES (dates, Sí/No, euros, lists)."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("Sí") if value else _("No")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return format_eur(value) if money else formats.number_format(value, use_l10n=True, force_grouping=True)
    if isinstance(value, list):
        return ", ".join(format_value(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {format_value(item)}" for key, item in value.items())
    return str(value)


def export_value(obj, name):
    """Values for CSV/XLSX: real numbers and dates, choices as their labels."""
    value = raw_value(obj, name)
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (list, dict)):
        return str(value)
    return value
