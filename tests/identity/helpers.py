"""Shared steps of the login-hardening tests: a TOTP code for a device now, an enrolled user, a login."""
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.identity.services.mfa import mfa_enrolment_confirm, mfa_enrolment_start
from tests.conftest import host_client
from tests.fixtures.tenants import PASSWORD


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    device = mfa_enrolment_start(user=user)
    codes = mfa_enrolment_confirm(actor=user, device=device, code=code_for(device))
    device.refresh_from_db()
    # The enrolment used this time step: later logins in the same 30 s would be replays, so start afresh.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return device, codes


def password_step(host: str, email: str, password: str = PASSWORD, client=None):
    client = client or host_client(host)
    response = client.post("/cuenta/entrar/", {"username": email, "password": password})
    return client, response
