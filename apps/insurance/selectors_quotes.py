"""Reads for quotes: the products a quote compares with their tariffs, factors, coverages and
commission rates in a fixed number of queries whatever the number of products; the quote list
as a user may see it; the comparison (options side by side, coverages as rows)."""
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from apps.core.permissions import visible_to
from apps.insurance.choices import CoverageKind
from apps.insurance.models import Coverage, Product, Quote, QuoteOption, Tariff, TariffFactor
from apps.insurance.rating import TariffTable
from apps.insurance.services.rating import tariff_in_force

QUOTE_OWNER_FIELD = "client__account_manager"


def quote_products(*, line, product_ids=None) -> list[Product]:
    """Active products of the line whose insurer is active (or exactly `product_ids`, which must be
    of the line), with insurer, line and coverages loaded: 2 queries."""
    queryset = Product.objects.filter(line=line).select_related("insurer", "line").prefetch_related(
        Prefetch("coverages", queryset=Coverage.objects.order_by("order", "name")))
    if product_ids is None:
        queryset = queryset.filter(is_active=True, insurer__is_active=True)
    else:
        queryset = queryset.filter(pk__in=list(product_ids))
    return list(queryset.order_by("insurer__name", "name", "pk"))


def tariff_tables(products, on_date: datetime.date) -> dict[int, TariffTable | None]:
    """product id -> the TariffTable in force on `on_date` (None without one): 2 queries (the
    tariffs, then the factors of those in force)."""
    by_product = defaultdict(list)
    for tariff in Tariff.objects.filter(product__in=[p.pk for p in products], valid_from__lte=on_date):
        by_product[tariff.product_id].append(tariff)
    in_force = {product.pk: tariff_in_force(product, on_date, tariffs=by_product[product.pk]) for product in products}
    factors = defaultdict(list)
    tariff_ids = [tariff.pk for tariff in in_force.values() if tariff is not None]
    if tariff_ids:
        for row in TariffFactor.objects.filter(tariff__in=tariff_ids).order_by("factor", "band_from", "key"):
            factors[row.tariff_id].append(row)
    return {pk: TariffTable(tariff, factors=factors[tariff.pk]) if tariff is not None else None
            for pk, tariff in in_force.items()}


def commission_rates(products, on_date: datetime.date) -> dict[int, Decimal | None]:
    """product id -> new-business commission % of the agreement in force on `on_date` (the
    product's own agreement, else the insurer's general one): 1 query, through the catalog's
    selector so quotes and receipts read agreements the same way."""
    from apps.insurance.selectors_catalog import agreements_in_force

    agreements = agreements_in_force(products, on_date)
    return {pk: agreement.new_business_pct if agreement is not None else None for pk, agreement in agreements.items()}


def coverages_snapshot(product) -> list[dict]:
    """The product's coverages as the quote keeps them (JSON-safe)."""
    return [{"code": c.code, "name": c.name, "kind": c.kind,
             "limit": str(c.limit) if c.limit is not None else None, "limit_text": c.limit_text,
             "deductible": str(c.deductible) if c.deductible else "0"} for c in product.coverages.all()]


# --- Lists and detail --------------------------------------------------------------------------

def quotes_for(user):
    """Quotes this user may see (a Comercial: its clients' quotes only)."""
    return visible_to(Quote.objects.all(), user, QUOTE_OWNER_FIELD)


def quote_for_page(user, pk) -> Quote | None:
    """One quote with client, line, owner and options (product, insurer) loaded: 2 queries."""
    options = QuoteOption.objects.select_related("product__insurer").order_by("rank", "total_premium", "pk")
    return (quotes_for(user).select_related("client", "line", "owner", "accepted_option")
            .prefetch_related(Prefetch("options", queryset=options)).filter(pk=pk).first())


@dataclass
class CoverageRow:
    code: str
    name: str
    # one cell per eligible option, in rank order: {"kind", "limit", "limit_text", "deductible"} or None
    cells: list = field(default_factory=list)


@dataclass
class Comparison:
    eligible: list
    declined: list
    recommended: QuoteOption | None
    coverage_rows: list[CoverageRow]
    insurers: int


def quote_comparison(quote) -> Comparison:
    """Options side by side from the loaded quote (no queries if options are prefetched)."""
    options = list(quote.options.all())
    eligible = sorted([o for o in options if o.eligible], key=lambda o: (o.rank or 0, o.pk))
    declined = sorted([o for o in options if not o.eligible], key=lambda o: (o.product.insurer.name, o.product.name))
    rows: dict[str, CoverageRow] = {}
    for index, option in enumerate(eligible):
        for coverage in option.coverages or []:
            row = rows.get(coverage["code"])
            if row is None:
                row = rows[coverage["code"]] = CoverageRow(coverage["code"], coverage["name"], [None] * len(eligible))
            row.cells[index] = {
                "kind": coverage.get("kind") or CoverageKind.INCLUDED,
                "limit": Decimal(coverage["limit"]) if coverage.get("limit") not in (None, "") else None,
                "limit_text": coverage.get("limit_text") or "",
                "deductible": Decimal(coverage.get("deductible") or "0"),
            }
    return Comparison(eligible=eligible, declined=declined, recommended=eligible[0] if eligible else None,
                      coverage_rows=list(rows.values()),
                      insurers=len({o.product.insurer_id for o in eligible}))
