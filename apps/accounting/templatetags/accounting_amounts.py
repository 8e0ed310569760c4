"""Amounts as Spanish accountants read them: 1.234,56 (point for thousands, comma for cents)."""
from decimal import Decimal, InvalidOperation

from django import template

from apps.core.money import format_eur

register = template.Library()


@register.filter
def amount(value, blank_zero=False):
    """1234.5 -> '1.234,50'; '' for None (and for zero with `|amount:True`)."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    if blank_zero and not number:
        return ""
    return format_eur(number)[:-2]


@register.filter
def eur(value):
    """1234.5 -> '1.234,50 €'."""
    return "" if value in (None, "") else format_eur(Decimal(value))
