"""The line registry: each app under apps/lines/ registers one LineSpec in its ready().

A LineSpec is everything the core needs to quote and place a risk of that line: the risk's
fields and validation (a Django form, plus row forms for lists such as members or
beneficiaries), the rating rules, how to summarise the risk, and the line's tax defaults.
The core never imports a line: quotes, policies, pages and API reach lines only through here.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms

from apps.insurance.choices import ConsorcioBasis


@dataclass(frozen=True)
class TariffTemplate:
    """A starting tariff for a product of the line (demo data, tests, a new product's first tariff)."""

    base_premium: Decimal
    minimum_premium: Decimal = Decimal("0")
    parameters: dict = field(default_factory=dict)
    # (factor, key, band_from, band_to, value); key "" for a band, bands None for a category
    factors: list[tuple] = field(default_factory=list)
    # (code, name, kind, limit, limit_text, deductible)
    coverages: list[tuple] = field(default_factory=list)


@dataclass(frozen=True)
class LineSpec:
    code: str
    name: str
    dgsfp_class: str
    risk_form: type[forms.Form]
    # rate(RatingInput) -> LineRating; raises apps.insurance.rating.Declined(reason) when the
    # product does not take the risk.
    rate: Callable
    summary: Callable[[dict], str]
    tariff_template: Callable[[], TariffTemplate]
    # sample risk (JSON-safe, as risk_validate returns it): demo data, API docs, benchmarks
    sample_risk: Callable[[], dict]
    row_forms: dict[str, type[forms.Form]] = field(default_factory=dict)
    row_labels: dict[str, str] = field(default_factory=dict)
    # whole-risk checks once fields and rows are valid: check(data) raises ValidationError
    check: Callable[[dict], None] | None = None
    sum_insured: Callable[[dict], Decimal | None] = lambda data: None
    insured: Callable[[dict], list[dict]] = lambda data: []
    beneficiaries: Callable[[dict], list[dict]] = lambda data: []
    is_life: bool = False
    ips_applies: bool = True
    clea_applies: bool = True
    consorcio_basis: str = ConsorcioBasis.NONE
    consorcio_rate: Decimal = Decimal("0")
    icon: str = "bi-shield-check"
    order: int = 100
    # demo_risk(rng: random.Random) -> a varied, valid risk for demo data and benchmarks
    demo_risk: Callable | None = None


_lines: dict[str, LineSpec] = {}


def register_line(spec: LineSpec) -> None:
    existing = _lines.get(spec.code)
    if existing is not None and existing is not spec:
        raise ValueError(f"Line {spec.code!r} is already registered")
    _lines[spec.code] = spec


def unregister_line(code: str) -> None:
    """For tests that register a throwaway line."""
    _lines.pop(code, None)


def get_line(code: str) -> LineSpec:
    try:
        return _lines[code]
    except KeyError:
        raise LookupError(f"No line registered with code {code!r}") from None


def registered_lines() -> list[LineSpec]:
    return sorted(_lines.values(), key=lambda spec: (spec.order, spec.name))
