"""Catalog rows the catalog tests share: a line of their own (no line app needed), two insurers
with valid CIFs, a product with coverages and two dated tariff versions."""
import datetime
from decimal import Decimal

import pytest

from apps.insurance.models import Line, Tariff, TariffFactor
from apps.insurance.services.catalog import insurer_create, product_create

D = Decimal
JAN = datetime.date(2026, 1, 1)
JUL = datetime.date(2026, 7, 1)
COVERAGES = [
    {"code": "incendio", "name": "Incendio y explosión", "kind": "included", "limit": "150000", "deductible": "0"},
    {"code": "agua", "name": "Daños por agua", "kind": "included", "limit": "6000", "deductible": "150"},
    {"code": "joyas", "name": "Joyas fuera de caja fuerte", "kind": "optional", "limit": "3000", "deductible": "0"},
]


@pytest.fixture
def cat_line(tenant_a):
    return Line.objects.create(code="cattest", name="Ramo catálogo", dgsfp_class="08", consorcio_basis="none")


@pytest.fixture
def insurer(tenant_a, admin_a):
    return insurer_create(actor=admin_a, data={"name": "Mapfre España", "tax_id": "A28141935",
                                               "dgsfp_code": "C0058", "portal_url": "https://www.mapfre.es/mediadores",
                                               "eiac_supported": True},
                          contacts=[{"name": "Lucía Pérez", "role": "Suscripción", "email": "lucia@example.com"}])


@pytest.fixture
def insurer_b(tenant_a, admin_a):
    return insurer_create(actor=admin_a, data={"name": "Mutua Madrileña", "tax_id": "V28027118",
                                               "dgsfp_code": "M0083"})


@pytest.fixture
def product(insurer, cat_line, admin_a):
    product = product_create(actor=admin_a, data={
        "insurer": insurer, "line": cat_line, "code": "HOG-PLUS", "name": "Hogar Plus",
        "ipid_summary": "Seguro multirriesgo del hogar.", "ipid_exclusions": "Daños intencionados.",
        "ipid_territory": "España.",
    }, coverages=COVERAGES)
    tariff = Tariff.objects.create(product=product, valid_from=JAN, base_premium=D("100.00"),
                                   minimum_premium=D("60.00"), parameters={"per_mille": "1.2"})
    TariffFactor.objects.bulk_create([
        TariffFactor(tariff=tariff, factor="age", band_from=D("18"), band_to=D("30"), value=D("1.30")),
        TariffFactor(tariff=tariff, factor="age", band_from=D("30"), band_to=D("100"), value=D("1.00")),
        TariffFactor(tariff=tariff, factor="use", key="private", value=D("1.00")),
    ])
    return product
