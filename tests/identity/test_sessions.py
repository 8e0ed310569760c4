"""«Mis sesiones» (record, close one, close all: the Django session rows go too), idle sign-out after
IDLE_TIMEOUT minutes with a message on the login page, the password policy."""
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError

from apps.audit.models import AuditEvent
from apps.identity.models import User, UserSession
from apps.identity.services.login_events import LAST_ACTIVITY_KEY
from tests.conftest import host_client
from tests.fixtures.tenants import PASSWORD
from tests.identity.helpers import password_step


def test_sessions_listed_and_closed_one_by_one(tenants, users_a):
    email = users_a["comercial"].email
    laptop, _ = password_step(tenants.alfa_host, email)
    phone, _ = password_step(tenants.alfa_host, email, client=None)
    rows = UserSession.objects.filter(user=users_a["comercial"])
    assert rows.count() == 2 and all(row.ip == "127.0.0.1" for row in rows)
    page = laptop.get("/cuenta/seguridad/sesiones/").content.decode()
    assert "Esta sesión" in page and page.count("Cerrar esta sesión") == 2
    assert "también anula los tokens de la API" in page
    phone_key = phone.session.session_key
    laptop.post("/cuenta/seguridad/sesiones/cerrar/", {"session_key": phone_key})
    assert not Session.objects.filter(session_key=phone_key).exists()
    assert phone.get("/")["Location"].startswith("/cuenta/entrar/") and laptop.get("/").status_code == 200
    assert AuditEvent.objects.filter(verb="sessions_revoked", changes__scope="one").exists()


def test_another_users_session_cannot_be_closed(tenants, users_a):
    victim, _ = password_step(tenants.alfa_host, users_a["cobros"].email)
    attacker, _ = password_step(tenants.alfa_host, users_a["comercial"].email)
    attacker.post("/cuenta/seguridad/sesiones/cerrar/", {"session_key": victim.session.session_key})
    assert victim.get("/").status_code == 200


def test_sign_out_everywhere(tenants, users_a):
    email = users_a["rrhh"].email
    clients = [password_step(tenants.alfa_host, email)[0] for _ in range(3)]
    keys = [c.session.session_key for c in clients]
    response = clients[0].post("/cuenta/seguridad/sesiones/cerrar-todas/")
    assert response["Location"] == "/cuenta/entrar/"
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=users_a["rrhh"]).exists()
    assert all(c.get("/")["Location"].startswith("/cuenta/entrar/") for c in clients)
    assert AuditEvent.objects.filter(verb="sessions_revoked", changes__sessions=3, changes__scope="all").exists()


def test_sign_out_everywhere_ends_the_api_tokens_too(tenants, users_a):
    user = users_a["contabilidad"]
    api = host_client(tenants.alfa_host)
    tokens = api.post("/api/v1/auth/token/", {"email": user.email, "password": PASSWORD},
                      content_type="application/json").json()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {tokens['access']}"}
    assert api.get("/api/v1/users/me/", **bearer).status_code == 200
    # the token was issued at least a second before the sign-out (iat has whole seconds)
    time.sleep(1.05)
    web, _ = password_step(tenants.alfa_host, user.email)
    web.post("/cuenta/seguridad/sesiones/cerrar-todas/")
    refused = api.get("/api/v1/users/me/", **bearer)
    assert refused.status_code == 401 and "todos los dispositivos" in refused.content.decode()
    again = api.post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]}, content_type="application/json")
    assert again.status_code == 401
    fresh = api.post("/api/v1/auth/token/", {"email": user.email, "password": PASSWORD},
                     content_type="application/json").json()
    assert api.get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Bearer {fresh['access']}").status_code == 200


def test_idle_session_is_signed_out_with_a_message(tenants, users_a, settings):
    settings.IDLE_TIMEOUT_MINUTES = 30
    client, _ = password_step(tenants.alfa_host, users_a["cobros"].email)
    assert client.get("/").status_code == 200
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/recibos/")
    assert response.status_code == 302 and response["Location"].startswith("/cuenta/entrar/?inactividad=1")
    page = client.get(response["Location"]).content.decode()
    assert "Su sesión se cerró tras 30 minutos sin actividad" in page
    assert client.get("/")["Location"].startswith("/cuenta/entrar/")
    assert AuditEvent.objects.filter(action="logout", changes__reason="idle").exists()


def test_recent_activity_keeps_the_session(tenants, users_a):
    client, _ = password_step(tenants.alfa_host, users_a["cobros"].email)
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - 29 * 60
    session.save()
    assert client.get("/").status_code == 200
    assert client.session[LAST_ACTIVITY_KEY] >= int(time.time()) - 5


@pytest.mark.parametrize("password, message", [
    ("Corta-2026", "por lo menos 12"),
    ("password1234", "demasiado común"),
    ("907465128390", "completamente numérica"),
    ("comercial-alfa", "demasiado similar"),
])
def test_password_policy(tenant_a, password, message):
    user = User(email="comercial-alfa@alfa.test", first_name="Comercial")
    with pytest.raises(ValidationError) as exc:
        validate_password(password, user=user)
    assert message in " ".join(exc.value.messages)
