"""Settlement API: preview (nothing written), close (201, then 409 problem for the same period),
list and detail with lines, pay, PDF; permissions (Siniestros reads but cannot close; Comercial 403)."""
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.collections.models import Settlement
from tests.collections.test_settlements_support import (  # noqa: F401 (fixtures)
    collected_case, settle_case,
)
from tests.fixtures.tenants import PASSWORD

D = Decimal
URL = "/api/v1/collections/settlements/"
COLLAB_URL = "/api/v1/collections/collaborator-settlements/"


@pytest.fixture
def api(tenants, api_token_a):
    return Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {api_token_a}")


def _as(tenants, role):
    login = Client(HTTP_HOST=tenants.alfa_host).post(
        "/api/v1/auth/token/", {"email": tenants.emails[role], "password": PASSWORD}, content_type="application/json")
    return Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {login.json()['access']}")


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def _body(case, **extra):
    return {"insurer": case["insurer"].pk, "period_start": "2026-02-01", "period_end": "2026-02-28", **extra}


def test_preview_close_detail_pay_and_pdf(api, collected_case):
    preview = post(api, URL + "preview/", _body(collected_case))
    data = preview.json()
    assert preview.status_code == 200 and not Settlement.objects.exists()
    assert (D(data["premiums_collected"]), D(data["commission_total"]), D(data["amount_due"])) == (
        D("1000.00"), D("250.00"), D("750.00"))
    assert len(data["lines"]) == 2
    closed = post(api, URL + "close/", _body(collected_case, date="2026-03-05"))
    assert closed.status_code == 201, closed.content
    detail = closed.json()
    assert detail["number"] == "L-2026-000001" and D(detail["amount_due"]) == D("750.00")
    assert detail["state"] == "closed" and detail["invoice"] and detail["entry"]
    assert {line["receipt_number"] for line in detail["lines"]} == {
        collected_case["receipt_a"].number, collected_case["receipt_b"].number}
    again = post(api, URL + "close/", _body(collected_case, date="2026-03-05"))
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
    assert again.json()["code"] == "settlement_period_taken"
    assert Settlement.objects.count() == 1
    listing = api.get(URL).json()
    assert [row["number"] for row in listing["results"]] == ["L-2026-000001"]
    assert api.get(f"{URL}{detail['id']}/").json()["lines"]
    paid = post(api, f"{URL}{detail['id']}/pay/", {"date": "2026-03-06"})
    assert paid.status_code == 200 and paid.json()["state"] == "paid"
    assert post(api, f"{URL}{detail['id']}/pay/", {"date": "2026-03-07"}).status_code == 409
    pdf = api.get(f"{URL}{detail['id']}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_bad_input_is_a_problem(api, settle_case):
    empty = post(api, URL + "close/", _body(settle_case))
    assert empty.status_code == 409 and empty.json()["code"] == "settlement_empty"
    bad = post(api, URL + "preview/", {"insurer": settle_case["insurer"].pk, "period_start": "2026-02-28",
                                       "period_end": "2026-02-01"})
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"


def test_list_queries_do_not_grow(api, collected_case):
    post(api, URL + "close/", _body(collected_case, date="2026-03-05"))
    with CaptureQueriesContext(connection) as one:
        assert api.get(URL).status_code == 200
    for n in range(3):
        Settlement.objects.create(number=f"L-2025-00000{n}", insurer=collected_case["insurer"],
                                  period_start=f"2025-0{n + 1}-01", period_end=f"2025-0{n + 1}-28",
                                  date=f"2025-0{n + 1}-28")
    with CaptureQueriesContext(connection) as four:
        assert len(api.get(URL).json()["results"]) == 4
    assert len(one.captured_queries) == len(four.captured_queries)


def test_permissions(tenants, collected_case):
    siniestros = _as(tenants, "siniestros")
    assert siniestros.get(URL).status_code == 200
    assert post(siniestros, URL + "close/", _body(collected_case, date="2026-03-05")).status_code == 403
    assert not Settlement.objects.exists()
    comercial = _as(tenants, "comercial")
    assert comercial.get(URL).status_code == 403
    cobros = _as(tenants, "cobros")
    assert post(cobros, URL + "close/", _body(collected_case, date="2026-03-05")).status_code == 201
    assert cobros.get(COLLAB_URL).status_code == 200
