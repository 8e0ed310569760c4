from decimal import Decimal

from django import template

from apps.core.money import format_eur

register = template.Library()


@register.filter
def metric_value(value, unit: str = "eur") -> str:
    """A KPI or chart value in es-ES: 1.234,50 € / 12,50 % / 1.234."""
    if value is None or value == "":
        return "—"
    if unit == "eur":
        return format_eur(value)
    if unit == "pct":
        return format_eur(value)[:-2] + " %"
    number = f"{int(Decimal(value)):,}".replace(",", ".")
    return number


@register.filter
def cell(value) -> str:
    """A drill-down cell: dates dd/mm/yyyy, amounts in euros, the rest as text."""
    import datetime

    if isinstance(value, Decimal):
        return format_eur(value)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


@register.filter
def is_amount(value) -> bool:
    return isinstance(value, Decimal)
