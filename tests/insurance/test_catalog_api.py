"""Catalog API: list/create/400 problem bodies for insurers, products (nested coverages,
filters), lines (tax PATCH), agreements and tariffs (new-version action, 409 when in use);
403 for a role without the module; pinned query counts for the products list."""
import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.insurance.models import Quote, QuoteOption, Tariff
from apps.insurance.services.catalog import product_create
from tests.insurance.test_catalog_support import (  # noqa: F401  (fixtures)
    COVERAGES, cat_line, insurer, insurer_b, product,
)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/insurance"


@pytest.fixture
def api(tenants, api_token_a):
    return Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {api_token_a}")


def post(api, url, data):
    return api.post(url, data, content_type="application/json")


def patch(api, url, data):
    return api.patch(url, data, content_type="application/json")


def test_insurers_list_and_create(api, insurer):
    body = api.get(f"{BASE}/insurers/").json()
    assert [row["dgsfp_code"] for row in body["results"]] == ["C0058"]
    assert body["results"][0]["contacts"][0]["name"] == "Lucía Pérez"
    response = post(api, f"{BASE}/insurers/", {"name": "Allianz", "tax_id": "A28007748", "dgsfp_code": "c0124",
                                               "contacts": [{"name": "Ana"}]})
    assert response.status_code == 201, response.content
    assert response.json()["dgsfp_code"] == "C0124" and response.json()["contacts"][0]["name"] == "Ana"


def test_insurer_create_400_problem(api, tenant_a):
    response = post(api, f"{BASE}/insurers/", {"name": "Mala", "tax_id": "A28141936", "dgsfp_code": "58"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    errors = response.json()["errors"]
    assert "dígito de control" in errors["tax_id"][0]
    assert "una letra y cuatro dígitos" in errors["dgsfp_code"][0]


def test_products_nested_coverages_and_filters(api, product, insurer_b, cat_line, admin_a):
    product_create(actor=admin_a, data={"insurer": insurer_b, "line": cat_line, "code": "X1", "name": "Otro",
                                        "is_active": False})
    body = api.get(f"{BASE}/products/?insurer={product.insurer_id}").json()
    assert [row["code"] for row in body["results"]] == ["HOG-PLUS"]
    assert [c["code"] for c in body["results"][0]["coverages"]] == ["incendio", "agua", "joyas"]
    assert body["results"][0]["line_code"] == "cattest"
    assert [r["code"] for r in api.get(f"{BASE}/products/?is_active=false").json()["results"]] == ["X1"]
    assert len(api.get(f"{BASE}/products/?line__code=cattest").json()["results"]) == 2


def test_product_create_and_400(api, insurer, cat_line, product):
    data = {"insurer": insurer.pk, "line": cat_line.pk, "code": "NEW", "name": "Nuevo",
            "coverages": [{"code": "a", "name": "A", "kind": "included", "limit": "1000", "deductible": "0"}]}
    response = post(api, f"{BASE}/products/", data)
    assert response.status_code == 201, response.content
    assert response.json()["coverages"][0]["limit"] == "1000.00"
    bad = dict(data, code="HOG-PLUS", coverages=[{"code": "a", "name": "A"}, {"code": "a", "name": "B",
                                                                             "deductible": "-1"}])
    response = post(api, f"{BASE}/products/", bad)
    assert response.status_code == 400
    assert "HOG-PLUS" in response.json()["errors"]["code"][0]
    bad["code"] = "OTHER"
    errors = post(api, f"{BASE}/products/", bad).json()["errors"]
    assert "repetido" in errors["coverages-1-code"][0] and "negativo" in errors["coverages-1-deductible"][0]


def test_product_patch_replaces_coverages(api, product):
    response = patch(api, f"{BASE}/products/{product.pk}/", {"coverages": [{"code": "rc", "name": "RC"}]})
    assert response.status_code == 200, response.content
    assert [c["code"] for c in response.json()["coverages"]] == ["rc"]


def test_lines_read_and_tax_patch(api, cat_line):
    rows = api.get(f"{BASE}/lines/?code=cattest").json()["results"]
    assert rows[0]["dgsfp_class"] == "08"
    response = patch(api, f"{BASE}/lines/{cat_line.pk}/", {"consorcio_basis": "per_mille", "consorcio_rate": "0.08"})
    assert response.status_code == 200 and response.json()["consorcio_rate"] == "0.0800"
    response = patch(api, f"{BASE}/lines/{cat_line.pk}/", {"consorcio_rate": "-1"})
    assert response.status_code == 400
    assert post(api, f"{BASE}/lines/", {"code": "x"}).status_code == 405


def test_agreements_create_list_and_400(api, insurer, product):
    data = {"insurer": insurer.pk, "valid_from": "2026-01-01", "new_business_pct": "15", "renewal_pct": "10"}
    assert post(api, f"{BASE}/agreements/", data).status_code == 201
    response = post(api, f"{BASE}/agreements/", data)
    assert response.status_code == 400 and "01/01/2026" in response.json()["errors"]["valid_from"][0]
    response = post(api, f"{BASE}/agreements/", dict(data, valid_from="2026-02-01", renewal_pct="150"))
    assert response.status_code == 400 and "entre 0 y 100" in response.json()["errors"]["renewal_pct"][0]
    assert len(api.get(f"{BASE}/agreements/?insurer={insurer.pk}").json()["results"]) == 1


def test_tariffs_with_factors_new_version_and_update(api, product):
    tariff = product.tariffs.get()
    body = api.get(f"{BASE}/tariffs/?product={product.pk}").json()
    assert len(body["results"][0]["factors"]) == 3
    response = post(api, f"{BASE}/tariffs/{tariff.pk}/new-version/", {"valid_from": "2027-01-01"})
    assert response.status_code == 201, response.content
    new = response.json()
    assert new["valid_from"] == "2027-01-01" and len(new["factors"]) == 3
    response = patch(api, f"{BASE}/tariffs/{new['id']}/", {"factors": [
        {"factor": "age", "band_from": "18", "band_to": "40", "value": "1.2"},
        {"factor": "age", "band_from": "30", "band_to": "100", "value": "1"}]})
    assert response.status_code == 400 and "se solapan" in response.json()["errors"]["factors-1-band_from"][0]
    response = patch(api, f"{BASE}/tariffs/{new['id']}/", {"base_premium": "111.00", "valid_from": "2020-01-01"})
    assert response.status_code == 200 and response.json()["valid_from"] == "2027-01-01"
    assert Tariff.objects.get(pk=tariff.pk).base_premium == 100
    response = post(api, f"{BASE}/tariffs/", {"product": product.pk, "valid_from": "2027-01-01"})
    assert response.status_code == 400


def test_tariff_in_use_and_in_force_is_409(api, product):
    from apps.crm.models import Party

    tariff = product.tariffs.get()
    party = Party.objects.create(display_name="Cliente API", kind="person")
    quote = Quote.objects.create(client=party, line=product.line, effective_date=tariff.valid_from,
                                 valid_until=tariff.valid_from + datetime.timedelta(days=30), number="API-1")
    QuoteOption.objects.create(quote=quote, product=product, tariff=tariff)
    response = patch(api, f"{BASE}/tariffs/{tariff.pk}/", {"base_premium": "1"})
    assert response.status_code == 409
    assert response.json()["code"] == "tariff_in_use"


def test_rrhh_gets_403(tenants, users_a, product):
    client = Client(HTTP_HOST=tenants.alfa_host)
    client.force_login(users_a["rrhh"])
    for name in ("insurers", "products", "lines", "agreements", "tariffs"):
        assert client.get(f"{BASE}/{name}/").status_code == 403, name


def test_products_list_query_count_is_pinned(api, insurer, cat_line, admin_a):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api.get(f"{BASE}/products/").status_code == 200
        return len(queries)

    product_create(actor=admin_a, data={"insurer": insurer, "line": cat_line, "code": "P0", "name": "P0"},
                   coverages=COVERAGES)
    few = count()
    for n in range(1, 8):
        product_create(actor=admin_a, data={"insurer": insurer, "line": cat_line, "code": f"P{n}", "name": f"P{n}"},
                       coverages=COVERAGES)
    assert count() == few
    assert few == 7, few  # auth and permissions, count, page rows (insurer and line joined), coverages
