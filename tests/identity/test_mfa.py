"""Issue 12 item 1: TOTP enrolment and login, replayed and wrong codes refused and audited, recovery codes
(shown once, hashed at rest, one use each), «require MFA» per role, and the JWT endpoint asking for «otp»."""
import re

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.audit.models import AuditEvent
from apps.identity.models import RecoveryCode, Role
from apps.identity.services.mfa import mfa_policy_set
from tests.conftest import host_client
from tests.fixtures.tenants import PASSWORD
from tests.identity.helpers import code_for, enrol, password_step


@pytest.fixture
def no_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def test_enrolment_page_shows_qr_svg_and_confirms_a_first_code(tenants, users_a):
    user = users_a["comercial"]
    client = host_client(tenants.alfa_host, user)
    page = client.get("/cuenta/seguridad/verificacion/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and 'id="mfa-secret"' in html and "<script>" not in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post("/cuenta/seguridad/verificacion/", {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and "El código no es correcto" in wrong.content.decode()
    device.throttle_reset()
    done = client.post("/cuenta/seguridad/verificacion/", {"code": code_for(device)})
    codes = re.findall(r'class="col recovery-code">([a-z0-9-]+)<', done.content.decode())
    assert done.status_code == 200 and len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    # hashed at rest: no code appears in the table
    stored = list(RecoveryCode.objects.filter(device__user=user).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not set(codes) & set(stored) and all("$" in value for value in stored)
    assert AuditEvent.objects.filter(verb="mfa_enrolled", object_id=str(user.pk)).exists()
    # shown once: the page now only says how many are left
    again = client.get("/cuenta/seguridad/verificacion/").content.decode()
    assert "Le quedan 10 códigos" in again and codes[0] not in again


def test_login_with_totp_then_replay_refused_and_audited(tenants, users_a):
    user = users_a["comercial"]
    device, _codes = enrol(user)
    client, response = password_step(tenants.alfa_host, user.email)
    assert response.status_code == 302 and response["Location"] == "/cuenta/entrar/codigo/"
    # half-way is not signed in
    assert client.get("/")["Location"].startswith("/cuenta/entrar/")
    code = code_for(device)
    done = client.post("/cuenta/entrar/codigo/", {"code": code})
    assert done.status_code == 302 and done["Location"] == "/"
    assert client.get("/").status_code == 200 and client.session[DEVICE_ID_SESSION_KEY]
    login = AuditEvent.objects.filter(action="login", object_id=str(user.pk)).order_by("-id").first()
    assert login.changes["mfa"] == "totp" and login.changes["ip"] == "127.0.0.1"

    other, _ = password_step(tenants.alfa_host, user.email)
    replay = other.post("/cuenta/entrar/codigo/", {"code": code})
    assert replay.status_code == 400 and "ya se usó" in replay.content.decode()
    assert other.get("/")["Location"].startswith("/cuenta/entrar/")
    failed = AuditEvent.objects.filter(action="login_failed").order_by("-id").first()
    assert failed.changes == {"email": user.email, "ip": "127.0.0.1", "reason": "mfa_replayed"}


def test_wrong_code_refused_with_clear_message(tenants, users_a, no_throttle):
    user = users_a["cobros"]
    device, _ = enrol(user)
    client, _ = password_step(tenants.alfa_host, user.email)
    wrong = f"{(int(code_for(device)) + 1) % 1000000:06d}"
    response = client.post("/cuenta/entrar/codigo/", {"code": wrong})
    assert response.status_code == 400 and "El código no es correcto" in response.content.decode()
    assert AuditEvent.objects.filter(action="login_failed").order_by("-id").first().changes["reason"] == "mfa_invalid"
    assert client.post("/cuenta/entrar/codigo/", {"code": code_for(device)}).status_code == 302


def test_recovery_code_works_once_and_is_audited(tenants, users_a):
    user = users_a["siniestros"]
    _device, codes = enrol(user)
    client, _ = password_step(tenants.alfa_host, user.email)
    done = client.post("/cuenta/entrar/codigo/", {"code": codes[0].upper()}, follow=True)
    assert done.status_code == 200 and "le quedan 9" in done.content.decode()
    assert AuditEvent.objects.filter(verb="mfa_recovery_code_used", object_id=str(user.pk)).exists()
    again, _ = password_step(tenants.alfa_host, user.email)
    refused = again.post("/cuenta/entrar/codigo/", {"code": codes[0]})
    assert refused.status_code == 400 and "ya se usó" in refused.content.decode()


def test_regenerated_codes_replace_the_old_ones(tenants, users_a):
    user = users_a["rrhh"]
    _device, codes = enrol(user)
    client = host_client(tenants.alfa_host, user)
    page = client.post("/cuenta/seguridad/verificacion/codigos/").content.decode()
    fresh = re.findall(r'class="col recovery-code">([a-z0-9-]+)<', page)
    assert len(fresh) == 10 and not set(fresh) & set(codes)
    login, _ = password_step(tenants.alfa_host, user.email)
    assert login.post("/cuenta/entrar/codigo/", {"code": codes[1]}).status_code == 400
    assert login.post("/cuenta/entrar/codigo/", {"code": fresh[1]}).status_code == 302


def test_role_requiring_mfa_sends_to_enrolment_and_blocks_the_rest(tenants, users_a, admin_a):
    mfa_policy_set(actor=admin_a, role=Role.objects.get(code="contabilidad"), require_mfa=True)
    user = users_a["contabilidad"]
    client, response = password_step(tenants.alfa_host, user.email)
    assert response.status_code == 302
    assert client.get("/")["Location"] == "/cuenta/seguridad/verificacion/"
    assert client.get("/contabilidad/")["Location"] == "/cuenta/seguridad/verificacion/"
    api = client.get("/api/v1/users/me/")
    assert api.status_code == 403 and api.json()["code"] == "mfa_enrolment_required"
    page = client.get("/cuenta/seguridad/verificacion/")
    assert page.status_code == 200 and "Su rol exige" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post("/cuenta/seguridad/verificacion/", {"code": code_for(device)}).status_code == 200
    assert client.get("/").status_code == 200
    # cannot switch it off while the role requires it
    client.post("/cuenta/seguridad/verificacion/desactivar/")
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_policy_page_for_sistemas_only(tenants, users_a):
    sistemas = host_client(tenants.alfa_host, users_a["sistemas"])
    assert sistemas.get("/cuenta/seguridad/roles/").status_code == 200
    sistemas.post("/cuenta/seguridad/roles/", {"require": ["rrhh"]})
    assert Role.objects.get(code="rrhh").mfa_policy.require_mfa
    assert AuditEvent.objects.filter(verb="mfa_policy_set").exists()
    assert host_client(tenants.alfa_host, users_a["comercial"]).get("/cuenta/seguridad/roles/").status_code == 403


def test_jwt_needs_otp_for_mfa_users(tenants, users_a, admin_a):
    user = users_a["comercial"]
    device, _ = enrol(user)
    client = host_client(tenants.alfa_host)
    url = "/api/v1/auth/token/"
    body = {"email": user.email, "password": PASSWORD}
    missing = client.post(url, body, content_type="application/json")
    assert missing.status_code == 401 and "Escriba el código" in missing.content.decode()
    ok = client.post(url, {**body, "otp": code_for(device)}, content_type="application/json")
    assert ok.status_code == 200 and "access" in ok.json()
    # a role requiring MFA, no authenticator: no token with a password alone
    mfa_policy_set(actor=admin_a, role=Role.objects.get(code="cobros"), require_mfa=True)
    refused = client.post(url, {"email": users_a["cobros"].email, "password": PASSWORD}, content_type="application/json")
    assert refused.status_code == 401 and "actívela en la web" in refused.content.decode()
    # users without MFA are unchanged
    assert client.post(url, {"email": users_a["rrhh"].email, "password": PASSWORD},
                       content_type="application/json").status_code == 200
