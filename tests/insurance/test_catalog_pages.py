"""Catalog pages: render for Dirección, 403 for RRHH; forms save through the services and show
their messages; IPID page and PDF; pinned query counts for the products list."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.insurance.models import CommissionAgreement, Insurer, Tariff
from tests.conftest import host_client
from tests.insurance.test_catalog_support import (  # noqa: F401  (fixtures)
    JUL, cat_line, insurer, insurer_b, product,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def direccion(tenants, users_a):
    return host_client(tenants.alfa_host, users_a["direccion"])


def page_urls(product, insurer):
    tariff = product.tariffs.get()
    return [
        "/seguros/companias/", f"/seguros/companias/{insurer.pk}/", "/seguros/companias/nueva/",
        f"/seguros/companias/{insurer.pk}/editar/", "/seguros/productos/", f"/seguros/productos/{product.pk}/",
        "/seguros/productos/nuevo/", f"/seguros/productos/{product.pk}/editar/",
        f"/seguros/productos/{product.pk}/ipid/",
        f"/seguros/tarifas/{tariff.pk}/", "/seguros/acuerdos/", "/seguros/acuerdos/nuevo/", "/seguros/ramos/",
        f"/seguros/ramos/{product.line_id}/editar/",
    ]


def test_pages_render_for_direccion(direccion, product, insurer):
    for url in page_urls(product, insurer):
        response = direccion.get(url)
        assert response.status_code == 200, url


def test_product_page_shows_coverages_tariff_and_agreement(direccion, product, insurer):
    CommissionAgreement.objects.create(insurer=insurer, product=product, valid_from=datetime.date(2026, 1, 1),
                                       new_business_pct=20, renewal_pct=12)
    html = direccion.get(f"/seguros/productos/{product.pk}/").content.decode()
    for text in ("Incendio y explosión", "150.000,00 €", "01/01/2026", "20,00 % nueva producción",
                 "propio del producto", f"/seguros/productos/{product.pk}/ipid/", "Nueva versión"):
        assert text in html, text


def test_pages_forbidden_for_rrhh(tenants, users_a, product, insurer):
    client = host_client(tenants.alfa_host, users_a["rrhh"])
    for url in page_urls(product, insurer) + [f"/seguros/productos/{product.pk}/ipid/pdf/"]:
        assert client.get(url).status_code == 403, url


def test_read_only_roles_see_but_do_not_edit(tenants, users_a, product, insurer):
    client = host_client(tenants.alfa_host, users_a["contabilidad"])
    assert client.get(f"/seguros/productos/{product.pk}/").status_code == 200
    assert client.get(f"/seguros/productos/{product.pk}/editar/").status_code == 403
    assert client.get("/seguros/companias/nueva/").status_code == 403


def test_menu_lists_catalog_pages(direccion, product):
    html = direccion.get("/seguros/productos/").content.decode()
    for label in ("Compañías", "Productos", "Acuerdos de comisiones", "Ramos"):
        assert label in html


def test_insurer_detail_shows_contacts_products_agreements(direccion, insurer, product, admin_a):
    CommissionAgreement.objects.create(insurer=insurer, valid_from=datetime.date(2026, 1, 1),
                                       new_business_pct=15, renewal_pct=10)
    html = direccion.get(f"/seguros/companias/{insurer.pk}/").content.decode()
    for text in ("Lucía Pérez", "Hogar Plus", "C0058", "https://www.mapfre.es/mediadores", "EIAC", "15,00 %"):
        assert text in html


def test_insurer_form_shows_cif_error(direccion, tenant_a):
    data = {"name": "Nueva", "tax_id": "A28141936", "dgsfp_code": "C0001", "is_active": "on",
            "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0", "contacts-0-name": "Ana"}
    response = direccion.post("/seguros/companias/nueva/", data)
    assert response.status_code == 400
    assert "dígito de control" in response.content.decode()
    data["tax_id"] = "A08055741"
    response = direccion.post("/seguros/companias/nueva/", data)
    assert response.status_code == 302
    insurer = Insurer.objects.get(name="Nueva")
    assert [c.name for c in insurer.contacts.all()] == ["Ana"]


def test_product_form_shows_duplicate_coverage_on_its_row(direccion, product):
    data = {"insurer": product.insurer_id, "line": product.line_id, "code": product.code, "name": product.name,
            "is_active": "on", "version": product.version,
            "coverages-TOTAL_FORMS": "2", "coverages-INITIAL_FORMS": "0",
            "coverages-0-code": "rc", "coverages-0-name": "RC", "coverages-0-kind": "included",
            "coverages-1-code": "rc", "coverages-1-name": "RC bis", "coverages-1-kind": "included"}
    response = direccion.post(f"/seguros/productos/{product.pk}/editar/", data)
    assert response.status_code == 400
    assert "está repetido" in response.content.decode()


def test_tariff_new_version_and_edit(direccion, product):
    response = direccion.post(f"/seguros/productos/{product.pk}/tarifas/nueva/", {"valid_from": "2026-07-01"})
    assert response.status_code == 302
    new = Tariff.objects.get(product=product, valid_from=JUL)
    assert response["Location"] == f"/seguros/tarifas/{new.pk}/"
    data = {"base_premium": "120", "minimum_premium": "60", "parameters_text": "per_mille = 1,3", "notes": "",
            "version": new.version, "factors-TOTAL_FORMS": "2", "factors-INITIAL_FORMS": "0",
            "factors-0-factor": "age", "factors-0-band_from": "18", "factors-0-band_to": "40", "factors-0-value": "1,2",
            "factors-1-factor": "age", "factors-1-band_from": "30", "factors-1-band_to": "100", "factors-1-value": "1"}
    response = direccion.post(f"/seguros/tarifas/{new.pk}/", data)
    assert response.status_code == 400
    assert "se solapan" in response.content.decode()
    data["factors-0-band_to"] = "30"
    response = direccion.post(f"/seguros/tarifas/{new.pk}/", data)
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.parameters == {"per_mille": "1.3"} and new.factors.count() == 2
    assert product.tariffs.get(valid_from=datetime.date(2026, 1, 1)).factors.count() == 3


def test_agreement_create_page(direccion, insurer):
    data = {"insurer": insurer.pk, "valid_from": "2026-06-01", "new_business_pct": "120", "renewal_pct": "10",
            "earned_on": "collection", "clawback_rule": "pro_rata", "clawback_months": "12"}
    response = direccion.post("/seguros/acuerdos/nuevo/", data)
    assert response.status_code == 400 and "entre 0 y 100" in response.content.decode()
    data["new_business_pct"] = "18"
    assert direccion.post("/seguros/acuerdos/nuevo/", data).status_code == 302
    assert CommissionAgreement.objects.filter(insurer=insurer).count() == 1


def test_line_tax_settings_page(direccion, cat_line):
    response = direccion.post(f"/seguros/ramos/{cat_line.pk}/editar/", {
        "name": cat_line.name, "ips_applies": "on", "clea_applies": "on", "consorcio_basis": "fixed",
        "consorcio_rate": "3.5", "is_active": "on", "version": cat_line.version})
    assert response.status_code == 302
    cat_line.refresh_from_db()
    assert cat_line.consorcio_basis == "fixed"


def test_ipid_page_shows_headings_and_coverages(direccion, product):
    html = direccion.get(f"/seguros/productos/{product.pk}/ipid/").content.decode()
    for heading in ("Documento de información sobre el producto de seguro", "¿En qué consiste este tipo de seguro?",
                    "¿Qué se asegura?", "¿Qué no está asegurado?",
                    "¿Existen restricciones en lo que respecta a la cobertura?", "¿Dónde estoy cubierto?",
                    "¿Cuáles son mis obligaciones?", "¿Cuándo y cómo tengo que efectuar los pagos?",
                    "¿Cuándo comienza y finaliza la cobertura?", "¿Cómo puedo rescindir el contrato?"):
        assert heading in html
    for text in ("Mapfre España", "Hogar Plus", "Incendio y explosión", "Daños por agua", "Joyas fuera de caja fuerte",
                 "Daños intencionados.", "franquicia de 150,00 €", "@page"):
        assert text in html


def test_ipid_pdf_is_a_pdf(direccion, product):
    response = direccion.get(f"/seguros/productos/{product.pk}/ipid/pdf/?download=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'attachment; filename="ipid-mapfre-espana-hog-plus.pdf"' == response["Content-Disposition"]


def test_products_list_filters_and_export(direccion, product, insurer_b, admin_a):
    html = direccion.get(f"/seguros/productos/?insurer={insurer_b.pk}").content.decode()
    assert "Hogar Plus" not in html
    assert "Hogar Plus" in direccion.get("/seguros/productos/?q=hogar").content.decode()
    export = direccion.get("/seguros/productos/?export=csv")
    assert b"Hogar Plus" in b"".join(export.streaming_content)


def test_products_list_query_count_is_pinned(direccion, insurer, cat_line, admin_a):
    from apps.insurance.services.catalog import product_create

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert direccion.get("/seguros/productos/").status_code == 200
        return len(queries)

    product_create(actor=admin_a, data={"insurer": insurer, "line": cat_line, "code": "P0", "name": "P0"})
    few = count()
    for n in range(1, 12):
        product_create(actor=admin_a, data={"insurer": insurer, "line": cat_line, "code": f"P{n}", "name": f"P{n}"})
    assert count() == few
    assert few == 12, few  # session/user/permissions, filter choices, count, page rows (relations joined)


def test_insurers_list_query_count_is_pinned(direccion, insurer, insurer_b):
    with CaptureQueriesContext(connection) as queries:
        response = direccion.get("/seguros/companias/")
    assert response.status_code == 200
    assert "Mutua Madrileña" in response.content.decode()
    assert len(queries) <= 16, len(queries)
