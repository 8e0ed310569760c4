"""Pages, panels and API of the scores: who sees which kind (Comercial churn of its own clients, Siniestros
fraud, Contabilidad anomalies, Dirección all), the record panels and the query count of the list."""
import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection

from aitcore.registry import registry
from apps.predictive.services.churn import churn_score, churn_train
from tests.conftest import host_client


@pytest.fixture
def churn_scores(renewal_history, admin_a):
    version = churn_train(actor=admin_a)
    churn_score(actor=admin_a, version=version)
    return version


def test_direccion_sees_every_kind_and_the_top_churn_list(tenants, users_a, churn_scores, renewal_history):
    client = host_client(tenants.alfa_host, users_a["direccion"])
    response = client.get("/prediccion/")
    assert response.status_code == 200
    body = response.content.decode()
    for label in ("Abandono en la renovación", "Anomalías en asientos", "Indicios de fraude en siniestros"):
        assert label in body
    assert body.count(">PRED-01") == 30  # the 30 policies in force, linked
    assert "AUC" in body
    assert client.get("/prediccion/?tipo=fraud").status_code == 200
    assert "Aún no hay un modelo" in client.get("/prediccion/?tipo=fraud").content.decode()
    assert client.get("/prediccion/modelos/").status_code == 200


def test_comercial_sees_churn_of_its_own_clients_only(tenants, users_a, churn_scores, renewal_history):
    client = host_client(tenants.alfa_host, users_a["comercial"])
    body = client.get("/prediccion/").content.decode()
    assert "Abandono en la renovación" in body and "Indicios de fraude" not in body
    mine = [p for p in renewal_history["in_force"] if p.policyholder.account_manager_id == users_a["comercial"].pk]
    assert 0 < len(mine) < 30
    assert body.count(">PRED-01") == len(mine)
    other = next(p for p in renewal_history["in_force"] if p not in mine)
    assert client.get(f"/prediccion/panel/churn/{mine[0].pk}/").status_code == 200
    assert client.get(f"/prediccion/panel/churn/{other.pk}/").status_code == 404
    assert client.get(f"/prediccion/panel/fraud/{mine[0].pk}/").status_code == 403


@pytest.mark.parametrize("role, kinds", [("siniestros", ["fraud"]), ("contabilidad", ["anomaly"]),
                                          ("rrhh", [])])
def test_each_role_sees_its_kind(tenants, users_a, role, kinds):
    client = host_client(tenants.alfa_host, users_a[role])
    response = client.get("/prediccion/")
    if not kinds:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert [code for code, _label in response.context["tabs"]] == kinds


def test_policy_page_panel_loads_the_score(tenants, users_a, churn_scores, renewal_history):
    policy = renewal_history["in_force"][3]
    client = host_client(tenants.alfa_host, users_a["direccion"])
    page = client.get(f"/seguros/polizas/{policy.pk}/").content.decode()
    assert "Riesgo de no renovación" in page and f"/prediccion/panel/churn/{policy.pk}/" in page
    body = client.get(f"/prediccion/panel/churn/{policy.pk}/").content.decode()
    assert 'id="risk-score"' in body and "Sin renovación tácita" in body
    # the panel is registered for the claim and journal entry pages too
    assert {p.title for p in registry.panels["claims.claim"]} >= {"Indicios de fraude"}
    assert {p.title for p in registry.panels["accounting.entry"]} >= {"Anomalías del asiento"}


def test_top_risk_page_queries_do_not_grow_with_scores(tenants, users_a, churn_scores):
    client = host_client(tenants.alfa_host, users_a["direccion"])
    client.get("/prediccion/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/prediccion/").status_code == 200
    assert len(queries) <= 12, [q["sql"] for q in queries]


def test_scores_api(tenants, users_a, churn_scores, renewal_history):
    client = host_client(tenants.alfa_host, users_a["comercial"])
    response = client.get("/api/v1/predictive/scores/?kind=churn&ordering=-score")
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    mine = {p.pk for p in renewal_history["in_force"] if p.policyholder.account_manager_id == users_a["comercial"].pk}
    assert {row["object_id"] for row in rows} == mine
    assert rows[0]["score"] >= rows[-1]["score"] and rows[0]["version"] == 1
    models = host_client(tenants.alfa_host, users_a["direccion"]).get("/api/v1/predictive/models/").json()
    assert models["results"][0]["metrics"]["auc"] > 0.65 and "fitted_model" not in models["results"][0]
    assert host_client(tenants.alfa_host, users_a["rrhh"]).get("/api/v1/predictive/scores/").status_code == 403


def test_engines_are_registered_with_the_engine_framework():
    registry = pytest.importorskip("apps.engines.registry")
    keys = {engine.key for engine in registry.all()}
    assert {"statistics.describe", "statistics.decompose", "statistics.forecast", "financial.var",
            "financial.npv_irr", "financial.amortization", "ml.churn", "ml.anomalies", "ml.fraud"} <= keys
    assert registry.get("ml.churn").permission == "predictive.add_modelversion"
    assert registry.get("financial.var").category == "financial"
