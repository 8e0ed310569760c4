"""API conventions: problem+json errors, idempotent POST, JWT lifecycle, API keys."""
from datetime import timedelta

from django.test import Client
from rest_framework_simplejwt.tokens import AccessToken

from apps.identity.models import ApiKey
from apps.identity.services.api_keys import api_key_issue, api_key_revoke
from tests.fixtures.tenants import PASSWORD


def _api(tenants):
    return Client(HTTP_HOST=tenants.alfa_host)


def test_idempotent_post_creates_once_and_replays(client_a, users_a):
    body = {"name": "Integración CRM", "user": users_a["comercial"].pk, "scopes": ["read"]}
    first = client_a.post("/api/v1/api-keys/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="op-0001")
    second = client_a.post("/api/v1/api-keys/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="op-0001")
    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == second.json()["id"] and first.json()["key"] == second.json()["key"]
    assert ApiKey.objects.filter(name="Integración CRM").count() == 1


def test_reused_idempotency_key_with_other_body_is_refused(client_a, users_a):
    url = "/api/v1/api-keys/"
    client_a.post(url, {"name": "A", "user": users_a["comercial"].pk, "scopes": ["read"]},
                  content_type="application/json", HTTP_IDEMPOTENCY_KEY="op-0002")
    response = client_a.post(url, {"name": "B", "user": users_a["comercial"].pk, "scopes": ["read"]},
                             content_type="application/json", HTTP_IDEMPOTENCY_KEY="op-0002")
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert not ApiKey.objects.filter(name="B").exists()


def test_post_without_key_creates_each_time(client_a, users_a):
    body = {"name": "Sin clave", "user": users_a["comercial"].pk, "scopes": ["read"]}
    client_a.post("/api/v1/api-keys/", body, content_type="application/json")
    client_a.post("/api/v1/api-keys/", body, content_type="application/json")
    assert ApiKey.objects.filter(name="Sin clave").count() == 2


def test_malformed_json_is_a_400_problem(client_a):
    response = client_a.post("/api/v1/api-keys/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 400 and "JSON" in response.json()["detail"]


def test_invalid_fields_are_listed_in_the_problem(client_a):
    response = client_a.post("/api/v1/api-keys/", {"scopes": ["root"]}, content_type="application/json")
    body = response.json()
    assert response.status_code == 400 and body["code"] == "validation_error"
    assert set(body["errors"]) >= {"name", "user"}


def test_token_obtain_with_bad_credentials(tenants, tenant_a):
    response = _api(tenants).post("/api/v1/auth/token/", {"email": tenants.emails["admin"], "password": "wrong"},
                                  content_type="application/json")
    assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"


def test_expired_token_is_refused(tenants, admin_a):
    token = AccessToken.for_user(admin_a)
    token["tenant"] = "alfa"
    token.set_exp(lifetime=-timedelta(minutes=1))
    response = _api(tenants).get("/api/v1/users/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_unauthenticated_request_is_a_401_problem(tenants, tenant_a):
    response = _api(tenants).get("/api/v1/users/")
    assert response.status_code == 401 and response.json()["title"] == "No autenticado"


def test_api_key_scopes_and_revocation(tenants, admin_a):
    issued = api_key_issue(actor=admin_a, user=admin_a, name="Lectura", scopes=["read"])
    client, auth = _api(tenants), {"HTTP_AUTHORIZATION": f"Api-Key {issued.plaintext}"}
    assert client.get("/api/v1/users/", **auth).status_code == 200
    issued.api_key.refresh_from_db()
    assert issued.api_key.last_used_at is not None
    denied = client.post("/api/v1/api-keys/", {"name": "x", "user": admin_a.pk, "scopes": ["read"]},
                         content_type="application/json", **auth)
    assert denied.status_code == 403 and "write" in denied.json()["detail"]
    api_key_revoke(actor=admin_a, api_key=issued.api_key)
    assert client.get("/api/v1/users/", **auth).status_code == 401
    assert ApiKey.objects.get(pk=issued.api_key.pk).key_hash != issued.plaintext


def test_role_without_module_permission_is_forbidden(tenants, tenant_a):
    client = _api(tenants)
    pair = client.post("/api/v1/auth/token/", {"email": tenants.emails["rrhh"], "password": PASSWORD},
                       content_type="application/json").json()
    response = client.get("/api/v1/audit-events/", HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"


def test_openapi_schema_and_offline_swagger(client_a):
    schema = client_a.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/users/" in schema.content
    docs = client_a.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower() and "/static/drf_spectacular_sidecar/" in docs


def test_list_endpoint_filters_orders_and_paginates(client_a):
    response = client_a.get("/api/v1/users/?ordering=-email&page_size=3&is_active=true")
    body = response.json()
    assert body["count"] >= 8 and len(body["results"]) == 3
    emails = [row["email"] for row in body["results"]]
    assert emails == sorted(emails, reverse=True)
