"""Request size limit (413, audited), the admin IP allowlist (403, audited), X-Forwarded-For only from
trusted proxies, and the hardening headers every page carries (issue 12, items 2 and 3)."""
import pytest
from django.test import RequestFactory, override_settings

from apps.audit.models import AuditEvent
from apps.core.security import audit_once_key, client_ip, counters
from apps.tenancy.models import Tenant
from apps.tenancy.services.security import tenant_admin_networks_set
from tests.conftest import host_client

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def audit_once_keys():
    """Refusals are audited once a minute per address; start each test with a fresh minute."""
    def clear():
        for schema in ("alfa", "public"):
            for verb in ("request_too_large", "admin_ip_refused"):
                for ip in ("127.0.0.1", "203.0.113.50", "198.51.100.9", "-"):
                    counters().delete(audit_once_key(schema, verb, ip))
    clear()
    yield
    clear()


# --- Request size -----------------------------------------------------------------------------------

@override_settings(REQUEST_MAX_BODY_BYTES=1 * MB)
def test_oversized_api_request_gets_413_problem_and_is_audited(tenants, api_token_a):
    client = host_client(tenants.alfa_host)
    body = b"x" * (1 * MB + 1)
    response = client.post("/api/v1/crm/parties/", data=body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {api_token_a}")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "request_too_large" and problem["status"] == 413
    assert problem["title"] == "Envío demasiado grande"
    assert "1,0\xa0MB" in problem["detail"] or "1.0\xa0MB" in problem["detail"]
    event = AuditEvent.objects.filter(verb="request_too_large").latest("id")
    assert event.changes["bytes"] == [None, 1 * MB + 1]
    assert event.changes["path"] == [None, "/api/v1/crm/parties/"]


@override_settings(REQUEST_MAX_BODY_BYTES=1 * MB)
def test_oversized_staff_upload_gets_a_page_and_one_audit_event_a_minute(client_a, admin_a):
    before = AuditEvent.objects.filter(verb="request_too_large").count()
    body = b"x" * (2 * MB)
    for _ in range(3):
        response = client_a.post("/documentos/", data=body, content_type="application/octet-stream")
        assert response.status_code == 413
        assert response["Content-Type"].startswith("text/html")
        assert "Envío demasiado grande" in response.content.decode()
    events = AuditEvent.objects.filter(verb="request_too_large")
    assert events.count() == before + 1  # a flood is not a flood of audit events
    assert events.latest("id").actor_id == admin_a.pk


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_form_fields_over_the_memory_limit_also_get_413(client_a):
    response = client_a.post("/i18n/setlang/", {"language": "es", "next": "x" * 4000})
    assert response.status_code == 413


def test_request_within_limit_passes(client_a):
    assert client_a.get("/").status_code == 200


# --- Client address -----------------------------------------------------------------------------------

def _request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_forwarded_for_is_believed_only_from_trusted_proxies():
    # A client talking to us directly cannot choose its address.
    assert client_ip(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"
    # Through our proxy: the nearest untrusted hop; what the client wrote before it is ignored.
    assert client_ip(_request("10.0.0.2", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"
    assert client_ip(_request("10.0.0.2", "203.0.113.9, 10.1.1.1")) == "203.0.113.9"
    assert client_ip(_request("10.0.0.2")) == "10.0.0.2"
    assert client_ip(_request("10.0.0.2", "nonsense")) == "10.0.0.2"


# --- Admin allowlist -----------------------------------------------------------------------------------

@pytest.fixture
def alfa_allowlist(tenants):
    tenant = Tenant.objects.get(schema_name="alfa")
    tenant_admin_networks_set(actor=None, tenant=tenant, networks=["198.51.100.0/24", "2001:db8::/48"])
    yield
    tenant_admin_networks_set(actor=None, tenant=tenant, networks=[])


def test_admin_from_an_unlisted_address_gets_403_page_and_audit(tenants, client_a, admin_a, alfa_allowlist):
    response = client_a.get("/admin/", HTTP_X_FORWARDED_FOR="203.0.113.50")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Acceso al panel no permitido desde esta red" in page
    assert "203.0.113.50" in page
    event = AuditEvent.objects.filter(verb="admin_ip_refused").latest("id")
    assert event.changes["ip"] == [None, "203.0.113.50"]
    assert event.actor_id == admin_a.pk and event.ip == "203.0.113.50"


def test_admin_from_a_listed_network_passes(client_a, alfa_allowlist):
    assert client_a.get("/admin/", HTTP_X_FORWARDED_FOR="198.51.100.9").status_code in (200, 302)


def test_rest_of_the_site_is_not_affected_by_the_admin_allowlist(client_a, alfa_allowlist):
    assert client_a.get("/", HTTP_X_FORWARDED_FOR="203.0.113.50").status_code == 200


def test_spoofed_forwarded_for_from_an_untrusted_peer_does_not_open_the_admin(tenants, admin_a, alfa_allowlist):
    client = host_client(tenants.alfa_host, admin_a)
    response = client.get("/admin/", REMOTE_ADDR="203.0.113.50", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert response.status_code == 403


def test_empty_allowlist_lets_any_address_in(client_a):
    assert client_a.get("/admin/", HTTP_X_FORWARDED_FOR="203.0.113.50").status_code in (200, 302)


def test_allowlist_is_normalised_validated_and_audited(tenants):
    from django.core.exceptions import ValidationError
    from django_tenants.utils import schema_context

    tenant = Tenant.objects.get(schema_name="alfa")
    try:
        tenant_admin_networks_set(actor=None, tenant=tenant, networks=["198.51.100.7/24", " 198.51.100.0/24 ", "10.0.0.1"])
        tenant.refresh_from_db()
        assert tenant.admin_allowed_networks == ["198.51.100.0/24", "10.0.0.1/32"]
        with schema_context("public"):
            event = AuditEvent.objects.filter(verb="admin_networks_set").latest("id")
            assert event.changes["admin_allowed_networks"][1] == ["198.51.100.0/24", "10.0.0.1/32"]
        with pytest.raises(ValidationError) as exc:
            tenant_admin_networks_set(actor=None, tenant=tenant, networks=["oficina"])
        assert "oficina" in str(exc.value)
    finally:
        tenant_admin_networks_set(actor=None, tenant=tenant, networks=[])


@override_settings(PLATFORM_ADMIN_ALLOWED_NETWORKS=["198.51.100.0/24"])
def test_platform_admin_has_its_own_allowlist(db, tenants):
    client = host_client("localhost")
    assert client.get("/admin/", HTTP_X_FORWARDED_FOR="203.0.113.50").status_code == 403
    assert client.get("/admin/", HTTP_X_FORWARDED_FOR="198.51.100.9").status_code in (200, 302)


def test_platform_admin_edits_the_allowlist(db, tenants):
    """The public platform admin's change form saves the list through the service."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    staff = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        email="plataforma@aitcore.test", password="Clave-Segura-2026")
    tenant = Tenant.objects.get(schema_name="beta")
    client = host_client("localhost", staff)
    url = f"/admin/tenancy/tenant/{tenant.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "redes con acceso al panel" in page.content.decode().lower()
    form = page.context["adminform"].form
    data = {name: form.initial.get(name, "") for name in form.fields if name not in ("logo",)}
    data.update({"admin_allowed_networks": "192.0.2.0/24", "domains-TOTAL_FORMS": "0", "domains-INITIAL_FORMS": "0",
                 "domains-MIN_NUM_FORMS": "0", "domains-MAX_NUM_FORMS": "1000"})
    data = {k: ("" if v is None else v) for k, v in data.items()}
    try:
        response = client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
        tenant.refresh_from_db()
        assert tenant.admin_allowed_networks == ["192.0.2.0/24"]
        assert AuditEvent.objects.filter(verb="admin_networks_set", object_id=str(tenant.pk)).exists()
    finally:
        tenant_admin_networks_set(actor=None, tenant=tenant, networks=[])


# --- Headers ---------------------------------------------------------------------------------------------

def test_pages_carry_csp_and_hardening_headers(client_a):
    response = client_a.get("/")
    csp = response["Content-Security-Policy"]
    for directive in ("script-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'",
                      "style-src 'self'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert 'hx-headers=\'{"X-CSRFToken": "' in response.content.decode()  # every htmx request carries the token


def test_forms_and_htmx_need_the_csrf_token(tenants, admin_a):
    from django.test import Client

    client = Client(HTTP_HOST=tenants.alfa_host, enforce_csrf_checks=True)
    client.force_login(admin_a)
    assert client.post("/i18n/setlang/", {"language": "en"}).status_code == 403
    assert client.post("/i18n/setlang/", {"language": "en"}, HTTP_HX_REQUEST="true").status_code == 403
