import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django_tenants.utils import schema_context, schema_exists

from apps.tenancy.models import Tenant
from apps.tenancy.services.provisioning import tenant_provision, tenant_reactivate, tenant_suspend
from tests.fixtures.tenants import PASSWORD


def test_unknown_host_gets_a_clear_404_page(tenants, db):
    response = Client(HTTP_HOST="nadie.test").get("/")
    assert response.status_code == 404
    assert "No hay ninguna correduría en «nadie.test»" in response.content.decode()


def test_unknown_host_on_the_api_gets_problem_json(tenants, db):
    response = Client(HTTP_HOST="nadie.test").get("/api/v1/users/")
    assert response.status_code == 404 and response.json()["code"] == "unknown_tenant"


def test_health_and_metrics_answer_on_any_host(tenants, db):
    client = Client(HTTP_HOST="10.0.0.7")
    ready = client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ok" and ready.json()["checks"]["database"]["ok"]
    assert client.get("/health/live").json() == {"status": "ok"}
    metrics = client.get("/metrics")
    assert metrics.status_code == 200 and b"django_http_requests_total_by_method_total" in metrics.content
    # database metrics come through ORIGINAL_BACKEND under the django-tenants backend
    assert b'django_db_execute_total{alias="default",vendor="postgresql"}' in metrics.content


def test_ready_reports_redis_when_configured(tenants, db, settings):
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL not set: the embedded defaults use no Redis")
    assert Client(HTTP_HOST="alfa.test").get("/health/ready").json()["checks"]["redis"]["ok"]


def test_suspended_brokerage_answers_403_until_reactivated(tenants, db, admin_a):
    beta = Tenant.objects.get(schema_name="beta")
    tenant_suspend(actor=None, tenant=beta, reason="impago de la cuota")
    client = Client(HTTP_HOST=tenants.beta_host)
    page = client.get("/cuenta/entrar/")
    assert page.status_code == 403 and "impago de la cuota" in page.content.decode()
    assert client.get("/api/v1/users/").json()["code"] == "tenant_suspended"
    tenant_reactivate(actor=None, tenant=beta)
    assert client.get("/cuenta/entrar/").status_code == 200


def test_public_site_and_platform_admin(tenants, db):
    client = Client(HTTP_HOST="localhost")
    assert "Dar de alta mi correduría" in client.get("/").content.decode()
    assert client.get("/admin/").status_code == 302


def test_provisioning_creates_a_working_brokerage(tenants, db):
    """Runs inside the test transaction: PostgreSQL DDL rolls back with it."""
    tenant = tenant_provision(actor=None, schema="gamma", name="Correduría Gamma", tax_id="B86561412",
                              domain="gamma.test", admin_email="jefa@gamma.test", admin_password=PASSWORD)
    assert tenant.provisioning_seconds > 0 and schema_exists("gamma")
    with schema_context("gamma"):
        from apps.identity.models import User

        admin = User.objects.get(email="jefa@gamma.test")
        assert admin.groups.count() == 7 and admin.check_password(PASSWORD)
    client = Client(HTTP_HOST="gamma.test")
    response = client.post("/cuenta/entrar/", {"username": "jefa@gamma.test", "password": PASSWORD})
    assert response.status_code == 302
    assert "Correduría Gamma" in client.get("/").content.decode()


def test_bad_provisioning_input_leaves_nothing(tenants, db):
    with pytest.raises(ValidationError) as caught:
        tenant_provision(actor=None, schema="Mal Esquema", name="", tax_id="B1234", domain="alfa.test",
                         admin_email="no-es-correo", admin_password="123")
    assert set(caught.value.message_dict) == {"schema", "name", "tax_id", "domain", "admin_email", "admin_password"}
    assert not Tenant.objects.filter(name="").exists()


def test_provision_command_prints_the_seconds(tenants, db, capsys):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="no es un NIF"):
        call_command("tenant_provision", schema="delta", name="Delta", domain="delta.test",
                     admin_email="a@delta.test", admin_password=PASSWORD, tax_id="X")


def test_failure_half_way_removes_schema_row_and_domain(tenants, db, monkeypatch):
    from apps.core.errors import DomainError
    from apps.identity.services import users
    from apps.tenancy.models import Domain

    def broken_user_create(**kwargs):
        raise RuntimeError("disco lleno")

    monkeypatch.setattr(users, "user_create", broken_user_create)
    with pytest.raises(DomainError, match="disco lleno"):
        tenant_provision(actor=None, schema="epsilon", name="Epsilon", tax_id="B86561412", domain="epsilon.test",
                         admin_email="a@epsilon.test", admin_password=PASSWORD)
    assert not Tenant.objects.filter(schema_name="epsilon").exists()
    assert not Domain.objects.filter(domain="epsilon.test").exists()
    assert not schema_exists("epsilon")
