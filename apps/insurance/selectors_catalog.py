"""Reads of the catalog: lists with their relations loaded, the agreement in force on a date,
a product's page data and its IPID."""
import datetime

from django.db.models import Count, Prefetch, Q

from apps.core.money import format_eur
from apps.insurance.choices import CoverageKind
from apps.insurance.models import CommissionAgreement, Coverage, Insurer, Line, Product, Tariff
from apps.insurance.services.rating import tariff_in_force


def insurers_queryset():
    return Insurer.objects.annotate(
        product_count=Count("products", filter=Q(products__is_active=True), distinct=True),
    ).order_by("name")


def products_queryset():
    return Product.objects.select_related("insurer", "line").order_by("insurer__name", "name")


def lines_queryset():
    return Line.objects.annotate(product_count=Count("products", distinct=True)).order_by("name")


def agreements_queryset():
    return CommissionAgreement.objects.select_related("insurer", "product", "created_by").order_by(
        "insurer__name", "product__name", "-valid_from", "-pk")


def agreement_in_force(*, insurer, product=None, on_date: datetime.date) -> CommissionAgreement | None:
    """The agreement that applies to `product` of `insurer` on `on_date`: the product's own
    agreement with the latest valid_from ≤ on_date, else the insurer's general one (product
    empty) with the latest valid_from ≤ on_date; None when neither exists yet."""
    insurer_id = getattr(insurer, "pk", insurer)
    product_id = getattr(product, "pk", product)
    candidates = CommissionAgreement.objects.filter(insurer_id=insurer_id, valid_from__lte=on_date)
    if product_id is not None:
        candidates = candidates.filter(Q(product_id=product_id) | Q(product__isnull=True))
    else:
        candidates = candidates.filter(product__isnull=True)
    rows = list(candidates.select_related("product").order_by("-valid_from"))
    own = [row for row in rows if row.product_id is not None]
    return (own or rows or [None])[0]


def agreements_in_force(products, on_date: datetime.date) -> dict:
    """{product pk: agreement or None} for many products in one query."""
    products = list(products)
    insurer_ids = {p.insurer_id for p in products}
    rows = list(CommissionAgreement.objects.filter(insurer_id__in=insurer_ids, valid_from__lte=on_date)
                .order_by("-valid_from"))
    answer = {}
    for product in products:
        own = [r for r in rows if r.product_id == product.pk]
        general = [r for r in rows if r.insurer_id == product.insurer_id and r.product_id is None]
        answer[product.pk] = (own or general or [None])[0]
    return answer


def insurer_detail(pk) -> Insurer | None:
    return (Insurer.objects.select_related("party", "created_by", "updated_by")
            .prefetch_related("contacts",
                              Prefetch("products", queryset=Product.objects.select_related("line").order_by("name")),
                              Prefetch("commission_agreements",
                                       queryset=CommissionAgreement.objects.select_related("product")
                                       .order_by("product__name", "-valid_from")))
            .filter(pk=pk).first())


def product_detail(pk) -> Product | None:
    return (Product.objects.select_related("insurer", "line", "created_by", "updated_by")
            .prefetch_related(Prefetch("coverages", queryset=Coverage.objects.order_by("order", "name")),
                              Prefetch("tariffs", queryset=Tariff.objects.order_by("-valid_from")))
            .filter(pk=pk).first())


def product_tariffs(product, on_date: datetime.date) -> tuple[Tariff | None, list[Tariff]]:
    """(the tariff in force on on_date, every version newest first) from the prefetched tariffs."""
    versions = list(product.tariffs.all())
    return tariff_in_force(product, on_date, tariffs=versions), versions


def with_amounts(coverages) -> list:
    """The coverages with `limit_display` and `deductible_display` as es-ES euros (1.234,56 €)."""
    coverages = list(coverages)
    for coverage in coverages:
        coverage.limit_display = format_eur(coverage.limit) if coverage.limit is not None else coverage.limit_text
        coverage.deductible_display = format_eur(coverage.deductible) if coverage.deductible else ""
    return coverages


def tariffs_with_amounts(tariffs) -> list:
    tariffs = list(tariffs)
    for tariff in tariffs:
        tariff.base_display = format_eur(tariff.base_premium)
        tariff.minimum_display = format_eur(tariff.minimum_premium)
    return tariffs


def ipid_context(product) -> dict:
    """The IPID (Reglamento de Ejecución (UE) 2017/1469) sections as data: included coverages
    answer «¿Qué se asegura?», optional ones are listed apart, the product's texts the rest."""
    coverages = with_amounts(product.coverages.all())
    return {
        "product": product, "insurer": product.insurer, "line": product.line,
        "included": [c for c in coverages if c.kind == CoverageKind.INCLUDED],
        "optional": [c for c in coverages if c.kind == CoverageKind.OPTIONAL],
        "deductibles": [c for c in coverages if c.deductible],
    }
