"""Money is Decimal with 2 places, rounded half-up per line. Never float."""
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_money(value) -> Decimal:
    if isinstance(value, float):
        raise TypeError("Money never comes from float; pass a str or Decimal.")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_eur(value) -> str:
    """1234.5 -> '1.234,50 €' (es-ES)."""
    amount = to_money(value)
    sign = "-" if amount < 0 else ""
    integer, _, cents = f"{abs(amount):.2f}".partition(".")
    groups = []
    while integer:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    return f"{sign}{'.'.join(groups)},{cents} €"
