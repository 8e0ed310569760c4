"""Validators, throttling, JSON logs with request ids, and the admin as operations panel."""
import json
import logging

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from rest_framework.throttling import SimpleRateThrottle

from apps.core.validators import validate_iban, validate_spanish_tax_id
from tests.conftest import host_client


@pytest.mark.parametrize("value", ["12345678Z", "X1234567L", "B87654323", "A28017895"])
def test_valid_spanish_tax_ids(value):
    validate_spanish_tax_id(value)


@pytest.mark.parametrize("value", ["12345678A", "B8765432", "", "XX"])
def test_invalid_spanish_tax_id_has_a_clear_message(value):
    with pytest.raises(ValidationError, match="no es un NIF, NIE o CIF válido"):
        validate_spanish_tax_id(value)


def test_iban_validation():
    validate_iban("ES91 2100 0418 4502 0005 1332")
    with pytest.raises(ValidationError, match="no es un IBAN válido"):
        validate_iban("ES00 2100 0418 4502 0005 1332")


def test_token_endpoint_is_throttled(tenants, tenant_a, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"token": "2/min", "anon": "100/min", "user": "100/min"})
    from django.core.cache import cache

    cache.clear()
    client = host_client(tenants.alfa_host)
    body = {"email": "admin@alfa.test", "password": "mal"}
    codes = [client.post("/api/v1/auth/token/", body, content_type="application/json").status_code for _ in range(3)]
    assert codes == [401, 401, 429]
    last = client.post("/api/v1/auth/token/", body, content_type="application/json")
    assert last["Content-Type"] == "application/problem+json" and last.json()["title"] == "Demasiadas peticiones"
    cache.clear()


def test_logs_are_json_with_request_id_and_schema(client_a, capsys):
    from apps.core.logging import RequestContextFilter
    from pythonjsonlogger.json import JsonFormatter

    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter("%(levelname)s %(message)s %(request_id)s %(schema)s"))
    handler.addFilter(RequestContextFilter())
    records = []
    handler.emit = lambda record: records.append(handler.format(record))
    logger = logging.getLogger("apps.probe")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    from apps.core import context

    try:
        with context.request_context(request_id="abc123def456"):
            logger.info("probando")
    finally:
        logger.removeHandler(handler)
    line = json.loads(records[0])
    assert line == {"levelname": "INFO", "message": "probando", "request_id": "abc123def456", "schema": "alfa"}


def test_each_request_is_logged_with_its_id(client_a, caplog):
    with caplog.at_level(logging.INFO, logger="aitcore.request"):
        client_a.get("/r/identity/user/", HTTP_X_REQUEST_ID="proxy-req-0002")
    record = next(r for r in caplog.records if r.name == "aitcore.request")
    assert (record.request_id, record.schema, record.status, record.path) == (
        "proxy-req-0002", "alfa", 200, "/r/identity/user/")
    assert record.duration_ms > 0 and record.user_id is not None


def test_responses_carry_the_request_id(client_a):
    response = client_a.get("/", HTTP_X_REQUEST_ID="proxy-req-0001")
    assert response["X-Request-ID"] == "proxy-req-0001"
    assert len(client_a.get("/")["X-Request-ID"]) == 32


def test_every_registered_model_has_a_working_admin_changelist(client_a):
    tenant_models = [m for m in admin.site._registry if m._meta.app_label not in ("tenancy",)]
    assert len(tenant_models) >= 8
    for model in tenant_models:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        response = client_a.get(url, {"q": "a"})
        assert response.status_code == 200, url


def test_public_admin_lists_and_suspends_brokerages(tenants, db):
    from apps.identity.models import User
    from apps.tenancy.models import Tenant

    staff = User.objects.create_superuser("plataforma@aitcore.es", "Clave-Segura-2026", first_name="Plataforma")
    client = host_client("localhost", staff)
    page = client.get("/admin/tenancy/tenant/").content.decode()
    assert "Correduría Alfa" in page and "Correduría Beta" in page
    beta = Tenant.objects.get(schema_name="beta")
    response = client.post("/admin/tenancy/tenant/", {"action": "suspend", "_selected_action": [beta.pk]})
    assert response.status_code == 302
    beta.refresh_from_db()
    assert beta.is_active is False
    bad = client.post("/admin/tenancy/tenant/add/", {"name": "Delta", "tax_id": "B1", "schema": "delta",
                                                     "domain": "delta.test", "admin_first_name": "Ana",
                                                     "admin_email": "ana@delta.test", "admin_password": "Clave-Segura-2026",
                                                     "plan": "professional"})
    assert bad.status_code == 200 and "no es un NIF, NIE o CIF válido" in bad.content.decode()
    good = client.post("/admin/tenancy/tenant/add/", {"name": "Delta", "tax_id": "B86561412", "schema": "delta",
                                                      "domain": "delta.test", "admin_first_name": "Ana",
                                                      "admin_email": "ana@delta.test", "admin_password": "Clave-Segura-2026",
                                                      "plan": "professional"})
    assert good.status_code == 302 and Tenant.objects.get(schema_name="delta").name == "Delta"
