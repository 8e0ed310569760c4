"""Dashboard page, drill-down, exports, PDF, API and role visibility (fixture: conftest.py)."""
import csv
import io
import json
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from apps.analytics.metrics import claims as claims_metrics
from tests.analytics.conftest import YEAR
from tests.conftest import host_client

D = Decimal


@pytest.fixture(autouse=True)
def no_engine(monkeypatch):
    monkeypatch.setattr(claims_metrics, "_engine", lambda: None)


def charts_of(response) -> dict:
    found = re.search(r'<script id="analytics-charts" type="application/json">(.*?)</script>', response.content.decode(), re.S)
    return {chart["key"]: chart for chart in json.loads(found.group(1))}


def test_direction_dashboard_shows_kpis_and_charts(an_data, tenants, django_assert_max_num_queries):
    client = host_client(tenants.alfa_host, an_data.admin)
    client.get("/analitica/", YEAR)  # first request of the session: its own reads
    with django_assert_max_num_queries(28):
        response = client.get("/analitica/", YEAR)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cuadro de mando: Dirección" in html and "01/01/2025 – 31/12/2025" in html
    assert re.search(r'id="kpi-kpi_production".*?1\.000,00 €.*?150,00 €.*?\+566,70 %', html, re.S)
    assert "<script>" not in html and "onclick" not in html.lower()
    charts = charts_of(response)
    assert set(charts) >= {"production", "portfolio", "collections", "commissions", "loss_ratio", "pipeline", "headcount"}
    auto = next(s for s in charts["production"]["datasets"] if s["key"] == "an-auto")
    assert auto["data"][2] == "800.00"


def test_dashboard_query_count_does_not_grow_with_data(an_data, tenants):
    """Aggregation is in SQL: ten more policies, receipts and claims, the same number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.analytics.conftest import _policy, _receipt

    client = host_client(tenants.alfa_host, an_data.admin)
    client.get("/analitica/", YEAR)
    with CaptureQueriesContext(connection) as before:
        client.get("/analitica/", YEAR)
    p1 = an_data.policies[0]
    for n in range(10):
        policy = _policy(f"AN-X{n}", an_data.lines[n % 2], an_data.insurers[n % 2], p1.policyholder,
                         p1.start_date.replace(month=1 + n), p1.expiry_date, "100.00")
        _receipt(policy, "collected", "100.00")
    with CaptureQueriesContext(connection) as after:
        response = client.get("/analitica/", YEAR)
    assert len(after) == len(before) <= 28
    assert "2.000,00 €" in response.content.decode()  # the production KPI took the ten new ones


def test_drill_down_lists_exactly_the_records_behind_the_bar(an_data, tenants):
    client = host_client(tenants.alfa_host, an_data.admin)
    charts = charts_of(client.get("/analitica/", YEAR))
    production = charts["production"]
    series = [s["key"] for s in production["datasets"]].index("an-auto")
    url = production["drill"][series][production["keys"].index("2025-03")]
    html = client.get(url).content.decode()
    assert re.findall(r'class="app-row-title" href="[^"]+">(AN-\d)<', html) == ["AN-1", "AN-2"]
    assert "1.300,00" not in html and "800,00 €" in html  # the draft AN-5 is not there


def test_loss_ratio_drills_into_the_claims_list(an_data, tenants):
    client = host_client(tenants.alfa_host, an_data.admin)
    loss = charts_of(client.get("/analitica/", YEAR))["loss_ratio"]
    url = loss["drill"][0][loss["keys"].index("an-auto")]
    assert url.startswith("/siniestros/lista/?") and "line=an-auto" in url and "loss_from=2025-01-01" in url
    html = client.get(url).content.decode()
    assert "AN-S1" in html and "AN-S3" not in html and "AN-S2" not in html


def test_chart_csv_and_xlsx(an_data, tenants):
    client = host_client(tenants.alfa_host, an_data.admin)
    response = client.get("/analitica/metricas/production/csv/", YEAR)
    assert response["Content-Disposition"] == 'attachment; filename="production-20250101-20251231.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Concepto", "Automóviles AN", "Hogar AN"]
    assert rows[3] == ["mar 2025", "800,00", "0,00"] and rows[5] == ["may 2025", "0,00", "200,00"]
    response = client.get("/analitica/metricas/production/xlsx/", YEAR)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]] == ["Concepto", "Automóviles AN", "Hogar AN"]
    assert [c.value for c in sheet[5]] == ["mar 2025", 800, 0]


def test_dashboard_pdf(an_data, tenants):
    client = host_client(tenants.alfa_host, an_data.admin)
    response = client.get("/analitica/pdf/", YEAR)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Cuadro de mando: Dirección" in text and "Producción por mes y ramo" in text and "1.000,00 €" in text


def test_rrhh_sees_headcount_not_production(an_data, tenants, users_a):
    client = host_client(tenants.alfa_host, users_a["rrhh"])
    response = client.get("/analitica/", YEAR)
    assert response.status_code == 200
    charts = charts_of(response)
    assert set(charts) == {"headcount"} and "kpi-kpi_headcount" in response.content.decode()
    assert client.get("/analitica/metricas/production/csv/", YEAR).status_code == 403
    assert client.get("/analitica/metricas/production/detalle/", {**YEAR, "x": "2025-03"}).status_code == 403
    assert client.get("/api/v1/analytics/metrics/production/", {"period": "year"}).status_code == 403
    assert client.get("/analitica/", {**YEAR, "cuadro": "direccion"}).status_code == 403


def test_cobros_dashboard_and_sistemas_has_none(an_data, tenants, users_a):
    charts = charts_of(host_client(tenants.alfa_host, users_a["cobros"]).get("/analitica/", YEAR))
    assert set(charts) == {"collections"}
    assert host_client(tenants.alfa_host, users_a["sistemas"]).get("/analitica/").status_code == 403


def test_comercial_dashboard_is_own_only(an_data, tenants):
    client = host_client(tenants.alfa_host, an_data.comercial)
    charts = charts_of(client.get("/analitica/", YEAR))
    assert set(charts) == {"production", "portfolio", "commissions", "cancellations", "pipeline"}
    assert [s["key"] for s in charts["production"]["datasets"]] == ["an-auto"]


def test_api_metric(an_data, tenants):
    client = host_client(tenants.alfa_host, an_data.admin)
    body = client.get("/api/v1/analytics/metrics/kpi_production/", {"period": "year", "fecha": "2025-06-15"}).json()
    assert body["value"] == "1000.00" and body["previous"] == "150.00" and body["change"] == "566.7"
    assert body["period"] == {"kind": "year", "date_from": "2025-01-01", "date_to": "2025-12-31"}
    body = client.get("/api/v1/analytics/metrics/collections/", {"period": "year", "fecha": "2025-06-15"}).json()
    assert body["datasets"][0]["data"][3] == "800.00" and body["datasets"][1]["data"][3] == "300.00"
    keys = [m["key"] for m in client.get("/api/v1/analytics/metrics/").json()["results"]]
    assert "production" in keys and "headcount" in keys
    response = client.get("/api/v1/analytics/metrics/production/", {"period": "custom", "desde": "2025-02-01"})
    assert response.status_code == 400


def test_home_widget(an_data, tenants):
    html = host_client(tenants.alfa_host, an_data.admin).get("/").content.decode()
    assert "Indicadores del mes" in html and "kpi-kpi_production" in html
