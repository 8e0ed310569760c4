"""Catalog admin: insurers and products save through the services (validated, audited, inline
contacts and coverages as one change); tariffs are read-only there; agreements are added through
agreement_create and never edited."""
import pytest

from apps.audit.models import AuditEvent
from apps.insurance.models import CommissionAgreement, Insurer
from tests.insurance.test_catalog_support import (  # noqa: F401  (fixtures)
    cat_line, insurer, product,
)

pytestmark = pytest.mark.django_db


def inline(prefix, rows, initial=0):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{k}": v for k, v in row.items()})
    return data


def test_admin_adds_insurer_through_service(client_a, tenant_a):
    data = {"name": "Generali", "tax_id": "a28007268", "dgsfp_code": "c0072", "is_active": "on",
            **inline("contacts", [{"name": "Marta", "role": "Producción"}])}
    response = client_a.post("/admin/insurance/insurer/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    insurer = Insurer.objects.get(name="Generali")
    assert (insurer.tax_id, insurer.dgsfp_code) == ("A28007268", "C0072")
    assert [c.name for c in insurer.contacts.all()] == ["Marta"]
    assert AuditEvent.objects.filter(object_id=str(insurer.pk), action="create").exists()


def test_admin_shows_cif_error(client_a, tenant_a):
    data = {"name": "Mala", "tax_id": "A28141936", "dgsfp_code": "C0001", **inline("contacts", [])}
    response = client_a.post("/admin/insurance/insurer/add/", data)
    assert response.status_code == 200
    assert "dígito de control" in response.content.decode()


def test_admin_product_change_with_coverages(client_a, product):
    data = {"insurer": product.insurer_id, "line": product.line_id, "code": product.code, "name": "Hogar Plus 2",
            "is_active": "on",
            **inline("coverages", [{"code": "rc", "name": "RC", "kind": "included", "deductible": "0", "order": "0"}])}
    response = client_a.post(f"/admin/insurance/product/{product.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    product.refresh_from_db()
    assert product.name == "Hogar Plus 2" and product.version == 2


def test_admin_tariff_read_only_and_agreement_add(client_a, product, insurer):
    tariff = product.tariffs.get()
    assert client_a.get(f"/admin/insurance/tariff/{tariff.pk}/change/").status_code == 200
    assert client_a.get("/admin/insurance/tariff/add/").status_code == 403
    data = {"insurer": insurer.pk, "valid_from": "2026-01-01", "new_business_pct": "15", "renewal_pct": "10",
            "earned_on": "collection", "clawback_rule": "pro_rata", "clawback_months": "12"}
    assert client_a.post("/admin/insurance/commissionagreement/add/", data).status_code == 302
    response = client_a.post("/admin/insurance/commissionagreement/add/", data)
    assert response.status_code == 200 and "01/01/2026" in response.content.decode()
    assert CommissionAgreement.objects.count() == 1
    for url in ("/admin/insurance/insurer/", "/admin/insurance/product/", "/admin/insurance/line/",
                "/admin/insurance/tariff/", "/admin/insurance/commissionagreement/",
                f"/admin/insurance/insurer/{insurer.pk}/change/", f"/admin/insurance/line/{product.line_id}/change/"):
        assert client_a.get(url).status_code == 200, url
