"""Catalog services: insurers (CIF, DGSFP code, portal, contacts), products with coverages
(replace set, unique codes, amounts ≥ 0), line tax settings; audit and versioning."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.audit.models import AuditEvent
from apps.insurance.models import Insurer, Product
from apps.insurance.services.catalog import (
    insurer_create, insurer_update, line_update, product_create, product_update,
)
from tests.insurance.test_catalog_support import (  # noqa: F401  (fixtures)
    COVERAGES, cat_line, insurer, insurer_b, product,
)

pytestmark = pytest.mark.django_db


def test_insurer_create_normalises_and_saves_contacts(insurer):
    assert insurer.tax_id == "A28141935"
    assert insurer.dgsfp_code == "C0058"
    assert insurer.eiac_supported is True
    assert [c.name for c in insurer.contacts.all()] == ["Lucía Pérez"]
    assert AuditEvent.objects.filter(object_id=str(insurer.pk)).exists()


def test_insurer_bad_cif_says_why(admin_a, tenant_a):
    with pytest.raises(ValidationError) as info:
        insurer_create(actor=admin_a, data={"name": "X", "tax_id": "A28141936", "dgsfp_code": "C0001"})
    assert "dígito de control" in info.value.message_dict["tax_id"][0]
    with pytest.raises(ValidationError) as info:
        insurer_create(actor=admin_a, data={"name": "X", "tax_id": "B1234", "dgsfp_code": "C0001"})
    assert "no es válido" in info.value.message_dict["tax_id"][0]
    assert not Insurer.objects.filter(name="X").exists()


@pytest.mark.parametrize("code", ["C058", "CC0058", "00058", "C00581", ""])
def test_insurer_bad_dgsfp_code(admin_a, tenant_a, code):
    with pytest.raises(ValidationError) as info:
        insurer_create(actor=admin_a, data={"name": "X", "tax_id": "A08055741", "dgsfp_code": code})
    assert "una letra y cuatro dígitos" in info.value.message_dict["dgsfp_code"][0]


def test_insurer_dgsfp_code_upper_cased_and_portal_checked(admin_a, tenant_a):
    insurer = insurer_create(actor=admin_a, data={"name": "X", "tax_id": " a-08055741 ", "dgsfp_code": "c0072"})
    assert (insurer.tax_id, insurer.dgsfp_code) == ("A08055741", "C0072")
    with pytest.raises(ValidationError) as info:
        insurer_update(actor=admin_a, insurer=insurer, data={"portal_url": "portal.example.com"})
    assert "portal_url" in info.value.message_dict


def test_insurer_duplicate_cif(admin_a, insurer):
    with pytest.raises(ValidationError) as info:
        insurer_create(actor=admin_a, data={"name": "Otra", "tax_id": "A28141935", "dgsfp_code": "C0999"})
    assert "CIF" in info.value.message_dict["tax_id"][0]


def test_insurer_update_replaces_contacts_and_bumps_version(admin_a, insurer):
    updated = insurer_update(actor=admin_a, insurer=insurer, data={"phone": "900 100 200"},
                             contacts=[{"name": "Ana"}, {"name": "Luis", "role": "Siniestros"}],
                             expected_version=insurer.version)
    assert updated.version == insurer.version + 1
    assert sorted(c.name for c in updated.contacts.all()) == ["Ana", "Luis"]
    with pytest.raises(ValidationError) as info:
        insurer_update(actor=admin_a, insurer=updated, data={}, contacts=[{"name": ""}])
    assert "contacts-0-name" in info.value.message_dict


def test_product_with_coverages(product):
    rows = list(product.coverages.order_by("order"))
    assert [c.code for c in rows] == ["incendio", "agua", "joyas"]
    assert rows[1].deductible == Decimal("150.00")
    assert rows[2].kind == "optional"


def test_product_duplicate_code_at_same_insurer(admin_a, product, cat_line, insurer, insurer_b):
    with pytest.raises(ValidationError) as info:
        product_create(actor=admin_a, data={"insurer": insurer, "line": cat_line, "code": "hog-plus", "name": "Otro"})
    assert "ya tiene un producto con el código «hog-plus»" in info.value.message_dict["code"][0]
    # the same code at another insurer is fine
    other = product_create(actor=admin_a, data={"insurer": insurer_b, "line": cat_line, "code": "HOG-PLUS",
                                                "name": "Hogar Mutua"})
    assert other.pk


def test_coverages_validated_and_nothing_saved(admin_a, product):
    bad = [dict(COVERAGES[0]), dict(COVERAGES[0], name="Otra"), {"code": "x", "name": "X", "deductible": "-1",
                                                                  "limit": "-5"}]
    with pytest.raises(ValidationError) as info:
        product_update(actor=admin_a, product=product, data={"name": "Cambiado"}, coverages=bad)
    errors = info.value.message_dict
    assert "repetido" in errors["coverages-1-code"][0]
    assert "negativo" in errors["coverages-2-deductible"][0]
    assert "negativo" in errors["coverages-2-limit"][0]
    product.refresh_from_db()
    assert product.name == "Hogar Plus"
    assert product.coverages.count() == 3


def test_coverages_replace_set(admin_a, product):
    product_update(actor=admin_a, product=product, data={},
                   coverages=[{"code": "rc", "name": "Responsabilidad civil", "limit": "300000"}])
    assert list(product.coverages.values_list("code", flat=True)) == ["rc"]
    event = AuditEvent.objects.filter(object_id=str(product.pk)).order_by("-id").first()
    assert "garantías" in event.changes


def test_line_update_tax_settings(admin_a, cat_line):
    line = line_update(actor=admin_a, line=cat_line, data={"consorcio_basis": "per_mille",
                                                            "consorcio_rate": Decimal("0.05"), "ips_applies": False})
    assert (line.consorcio_basis, line.consorcio_rate, line.ips_applies) == ("per_mille", Decimal("0.05"), False)
    with pytest.raises(ValidationError):
        line_update(actor=admin_a, line=line, data={"code": "otro"})
    with pytest.raises(ValidationError) as info:
        line_update(actor=admin_a, line=line, data={"consorcio_rate": Decimal("-1")})
    assert "negativo" in info.value.message_dict["consorcio_rate"][0]


def test_product_unknown_field_refused(admin_a, product):
    with pytest.raises(ValidationError):
        product_update(actor=admin_a, product=product, data={"version": 9})
    assert Product.objects.get(pk=product.pk).version == product.version
