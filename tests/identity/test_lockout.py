"""Issue 12 item 1: 5 failures of one e-mail from one IP lock that pair for 15 minutes with a Spanish message
saying when to retry; other IPs and users are not affected; Sistemas unlocks (page and admin); all audited."""
import datetime

from axes.models import AccessAttempt
from django.utils import timezone

from apps.audit.models import AuditEvent
from tests.conftest import host_client
from tests.fixtures.tenants import PASSWORD
from tests.identity.helpers import code_for, enrol, password_step


def _fail(client, email, times):
    for _ in range(times):
        response = client.post("/cuenta/entrar/", {"username": email, "password": "no-es-la-clave"})
    return response


def test_five_failures_lock_user_and_ip_with_retry_time(tenants, users_a):
    email = users_a["comercial"].email
    client = host_client(tenants.alfa_host)
    fourth = _fail(client, email, 4)
    assert fourth.status_code == 200 and "Correo electrónico o contraseña incorrectos" in fourth.content.decode()
    fifth = _fail(client, email, 1)
    html = fifth.content.decode()
    assert fifth.status_code == 429 and "Demasiados intentos fallidos (5)" in html and "15 minutos" in html
    until = timezone.localtime(AccessAttempt.objects.get(username=email).attempt_time + datetime.timedelta(minutes=15))
    assert f"a partir de las {until:%H:%M}" in html
    # the right password is refused too while locked
    locked = client.post("/cuenta/entrar/", {"username": email, "password": PASSWORD})
    assert locked.status_code == 429 and client.get("/")["Location"].startswith("/cuenta/entrar/")
    # another IP, and another user from this IP, can still enter
    other_ip = host_client(tenants.alfa_host)
    assert other_ip.post("/cuenta/entrar/", {"username": email, "password": PASSWORD},
                         REMOTE_ADDR="10.0.0.9").status_code == 302
    assert password_step(tenants.alfa_host, users_a["cobros"].email)[1].status_code == 302
    events = AuditEvent.objects.filter(action="login_failed", changes__email=email)
    assert events.count() >= 6 and events.first().changes["ip"] == "127.0.0.1"
    assert AuditEvent.objects.filter(verb="login_locked_out", changes__email=email, changes__ip="127.0.0.1").exists()


def test_lockout_ends_after_fifteen_minutes(tenants, users_a):
    email = users_a["rrhh"].email
    client = host_client(tenants.alfa_host)
    assert _fail(client, email, 5).status_code == 429
    AccessAttempt.objects.filter(username=email).update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert client.post("/cuenta/entrar/", {"username": email, "password": PASSWORD}).status_code == 302


def test_wrong_totp_codes_count_towards_the_lockout(tenants, users_a):
    user = users_a["siniestros"]
    device, _ = enrol(user)
    client, _ = password_step(tenants.alfa_host, user.email)
    wrong = f"{(int(code_for(device)) + 500000) % 1000000:06d}"
    for _ in range(4):
        assert client.post("/cuenta/entrar/codigo/", {"code": wrong}).status_code == 400
    locked = client.post("/cuenta/entrar/codigo/", {"code": wrong})
    assert locked.status_code == 429 and "Demasiados intentos fallidos" in locked.content.decode()
    again, response = password_step(tenants.alfa_host, user.email)
    assert response.status_code == 429


def test_sistemas_unlocks_from_the_staff_page(tenants, users_a):
    email = users_a["comercial"].email
    client = host_client(tenants.alfa_host)
    assert _fail(client, email, 5).status_code == 429
    sistemas = host_client(tenants.alfa_host, users_a["sistemas"])
    page = sistemas.get("/cuenta/seguridad/bloqueos/").content.decode()
    assert email in page and "Bloqueado hasta las" in page
    done = sistemas.post("/cuenta/seguridad/bloqueos/desbloquear/", {"username": email, "ip": "127.0.0.1"}, follow=True)
    assert "desbloqueado" in done.content.decode()
    assert not AccessAttempt.objects.filter(username=email).exists()
    assert client.post("/cuenta/entrar/", {"username": email, "password": PASSWORD}).status_code == 302
    event = AuditEvent.objects.filter(verb="login_unlocked").order_by("-id").first()
    assert event.actor_id == users_a["sistemas"].pk and event.changes["email"] == email
    assert host_client(tenants.alfa_host, users_a["comercial"]).get("/cuenta/seguridad/bloqueos/").status_code == 403


def test_unlock_from_the_admin(tenants, users_a, admin_a):
    email = users_a["cobros"].email
    _fail(host_client(tenants.alfa_host), email, 5)
    ids = list(AccessAttempt.objects.filter(username=email).values_list("pk", flat=True))
    admin = host_client(tenants.alfa_host, admin_a)
    response = admin.post("/admin/axes/accessattempt/", {"action": "unlock", "_selected_action": ids})
    assert response.status_code == 302 and not AccessAttempt.objects.filter(username=email).exists()
    assert AuditEvent.objects.filter(verb="login_unlocked", changes__email=email).exists()


def test_jwt_endpoint_shares_the_lockout(tenants, users_a):
    email = users_a["contabilidad"].email
    client = host_client(tenants.alfa_host)
    for _ in range(5):
        client.post("/api/v1/auth/token/", {"email": email, "password": "mala"}, content_type="application/json")
    refused = client.post("/api/v1/auth/token/", {"email": email, "password": PASSWORD}, content_type="application/json")
    assert refused.status_code == 429 and "Demasiados intentos fallidos" in refused.content.decode()


def test_a_forged_forwarded_for_does_not_dodge_the_lockout(tenants, users_a, settings):
    """X-Forwarded-For counts only from TRUSTED_PROXIES: a client that changes the header on every try is
    still the socket address, and is locked after five failures."""
    settings.TRUSTED_PROXIES = ["10.9.9.9/32"]
    email = users_a["contabilidad"].email
    client = host_client(tenants.alfa_host)
    for n in range(5):
        response = client.post("/cuenta/entrar/", {"username": email, "password": "no-es-la-clave"},
                               HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.filter(username=email).values_list("ip_address", flat=True)) == {"127.0.0.1"}
    # behind the trusted proxy the forwarded address is the client's
    proxied = host_client(tenants.alfa_host)
    proxied.post("/cuenta/entrar/", {"username": email, "password": "no-es-la-clave"}, REMOTE_ADDR="10.9.9.9",
                 HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert AccessAttempt.objects.filter(username=email, ip_address="198.51.100.7").exists()
