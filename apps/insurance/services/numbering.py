"""Correlative numbers per series and year (quotes P-2026-000123, claims, settlements...): the
counter row is created if missing, then locked until the caller's transaction commits, so two
people never get the same number and a rolled-back caller gives its number back."""
from apps.insurance.models import NumberCounter


def number_next(*, series: str, year: int) -> int:
    NumberCounter.objects.bulk_create([NumberCounter(series=series, year=year)], ignore_conflicts=True)
    counter = NumberCounter.objects.select_for_update().get(series=series, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def formatted_number(*, series: str, year: int, width: int = 6) -> str:
    """<series>-<year>-<zero-padded number>, e.g. S-2026-000042."""
    return f"{series}-{year}-{number_next(series=series, year=year):0{width}d}"
