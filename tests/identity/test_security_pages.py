"""Shape and query counts of the security pages; the admin reset of a lost authenticator; API keys unchanged."""
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.audit.models import AuditEvent
from apps.identity.models import UserSession
from apps.identity.services.api_keys import api_key_issue
from tests.conftest import host_client
from tests.identity.helpers import enrol, password_step


def _fail(client, email, times):
    for _ in range(times):
        client.post("/cuenta/entrar/", {"username": email, "password": "no-es-la-clave"})


def test_sessions_page_queries_do_not_grow(tenants, users_a, django_assert_max_num_queries):
    email = users_a["comercial"].email
    clients = [password_step(tenants.alfa_host, email)[0] for _ in range(6)]
    with django_assert_max_num_queries(12):
        page = clients[0].get("/cuenta/seguridad/sesiones/")
    assert page.content.decode().count("Cerrar esta sesión") == 6


def test_lockouts_page_queries_do_not_grow(tenants, users_a, django_assert_max_num_queries):
    for code in ("comercial", "cobros", "rrhh", "siniestros"):
        _fail(host_client(tenants.alfa_host), users_a[code].email, 5)
    sistemas = host_client(tenants.alfa_host, users_a["sistemas"])
    with django_assert_max_num_queries(12):
        page = sistemas.get("/cuenta/seguridad/bloqueos/")
    assert page.content.decode().count("Bloqueado hasta las") == 4


def test_admin_resets_a_lost_authenticator_and_closes_sessions(tenants, users_a, admin_a):
    user = users_a["comercial"]
    enrol(user)
    password_step(tenants.alfa_host, user.email)  # half-way: no session row yet
    host_client(tenants.alfa_host, user)
    assert UserSession.objects.filter(user=user).exists()
    admin = host_client(tenants.alfa_host, admin_a)
    admin.post("/admin/identity/user/", {"action": "reset_mfa", "_selected_action": [user.pk]})
    assert not TOTPDevice.objects.filter(user=user).exists() and not UserSession.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(verb="mfa_removed", object_id=str(user.pk), actor_id=admin_a.pk).exists()


def test_api_keys_are_not_asked_for_a_code(tenants, users_a, admin_a):
    user = users_a["comercial"]
    enrol(user)
    issued = api_key_issue(actor=admin_a, user=user, name="ERP", scopes=["read"], expires_at=None)
    response = host_client(tenants.alfa_host).get("/api/v1/users/me/", HTTP_X_API_KEY=issued.plaintext)
    assert response.status_code == 200 and response.json()["email"] == user.email


def test_security_templates_have_no_inline_script(tenants, users_a):
    client = host_client(tenants.alfa_host, users_a["sistemas"])
    for url in ("/cuenta/seguridad/verificacion/", "/cuenta/seguridad/sesiones/", "/cuenta/seguridad/bloqueos/",
                "/cuenta/seguridad/roles/"):
        html = client.get(url).content.decode()
        assert "<script>" not in html and " onclick=" not in html and "javascript:" not in html, url
