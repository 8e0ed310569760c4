"""Login with two-step verification (issue 12 item 1): the median of a whole staff login.

One brokerage of our own (cloned, bench_<pid>_identity) and one Comercial user with a confirmed TOTP
authenticator. The production password hasher (Argon2) is used, not the test settings' MD5. `logins` times,
in-process with django.test.Client on the brokerage's host (a new client each time, one warm-up first):
  a) password step: POST /cuenta/entrar/ (axes lockout check, Argon2, redirect to the code page);
  b) code step: POST /cuenta/entrar/codigo/ with the current TOTP code (verification, django login, audit
     event, «Mis sesiones» row);
  whole login = a + b. Printed: median and p95 (ms) of the whole login and of the password step alone, with
  the queries of one login. A TOTP code is accepted once per 30 s window (replays are refused), so before each
  code step the device's last used step is cleared (not timed).
The brokerage is dropped at the end. Run alone: .venv/bin/python bench/identity_load.py [--logins 50]
"""
from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aitcore.settings.test")

from bench.common import (  # noqa: E402
    PASSWORD, drop_tenant, error_text, figure_done, median, percentile, say, section_ran,
)

ARGON2 = ["django.contrib.auth.hashers.Argon2PasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]


def _one_login(domain: str, device, email: str) -> tuple[float, float, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(HTTP_HOST=domain)
    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        first = client.post("/cuenta/entrar/", {"username": email, "password": PASSWORD})
        t1 = time.perf_counter()
        assert first.status_code == 302 and first["Location"] == "/cuenta/entrar/codigo/", first.status_code
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
        code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
        t2 = time.perf_counter()
        second = client.post("/cuenta/entrar/codigo/", {"code": code})
        t3 = time.perf_counter()
    assert second.status_code == 302 and second["Location"] == "/", second.status_code
    return (t1 - t0) + (t3 - t2), t1 - t0, len(queries) - 1  # minus the (untimed) reset


def bench_logins(domain: str, schema: str, logins: int) -> dict:
    from django.test.utils import override_settings
    from django_tenants.utils import schema_context

    from apps.identity.services.mfa import mfa_enrolment_confirm, mfa_enrolment_start
    from apps.identity.services.users import user_create
    from django_otp.oath import totp

    with override_settings(PASSWORD_HASHERS=ARGON2), schema_context(schema):
        email = f"bench-mfa@{domain}"
        user = user_create(actor=None, email=email, password=PASSWORD, first_name="Bench", role_codes=["comercial"])
        device = mfa_enrolment_start(user=user)
        mfa_enrolment_confirm(actor=None, device=device,
                              code=f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}")
        whole, password, queries = [], [], 0
        _one_login(domain, device, email)  # warm-up
        for _ in range(logins):
            total, first, queries = _one_login(domain, device, email)
            whole.append(total * 1000)
            password.append(first * 1000)
    return {"whole": {"median_ms": median(whole), "p95_ms": percentile(whole, 95)},
            "password": {"median_ms": median(password), "p95_ms": percentile(password, 95)}, "queries": queries}


def bench_identity(*, logins: int = 50) -> dict:
    from bench.provisioning import provision

    started = time.perf_counter()
    tenant, domain, _wall = provision("identity", use_template=True)
    schema = tenant.schema_name
    result = {"logins": logins, "schema": schema, "errors": {}}
    try:
        result["login"] = bench_logins(domain, schema, logins)
    except Exception as exc:  # noqa: BLE001
        result["errors"]["login"] = error_text(exc)
    finally:
        drop_tenant(tenant)
    return figure_done(result, started)


def identity_report(data: dict | None, why: str) -> None:
    if not section_ran(data, "Login with MFA", why):
        return
    say(f"Login with MFA (brokerage {data['schema']}, {data['logins']} logins, Argon2, whole figure "
        f"{data['wall_s']:.0f} s)")
    login = data.get("login")
    if login:
        for key, label in (("whole", "whole login (password + TOTP)"), ("password", "password step alone")):
            row = login[key]
            say(f"   {label:<32} median {row['median_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms")
        say(f"   queries of one login: {login['queries']}")
    for key, error in (data.get("errors") or {}).items():
        say(f"   {key} FAILED: {error}")


def main(argv=None) -> int:
    import argparse

    import django

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logins", type=int, default=50)
    args = parser.parse_args(argv)
    django.setup()
    from bench.common import database_check
    from bench.provisioning import ensure_platform

    database_check()
    ensure_platform()
    identity_report(bench_identity(logins=args.logins), "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
