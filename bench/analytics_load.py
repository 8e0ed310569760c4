"""Analytics dashboards (issue 10 item 6): dashboard load time with the demo data.

One brokerage of our own (cloned, bench_<pid>_analytics), filled by every registered demo seeder (policies,
receipts, claims, pipeline, HR...). Then, in-process with django.test.Client as the brokerage's admin
(Dirección: every metric) and as a Comercial user (own-only data):
  a) GET /analitica/?periodo=year `requests` times after one warm-up: median, p95 and min in ms, the
     queries of one request, the KPI cards and charts drawn;
  b) the same for /analitica/?periodo=month;
  c) GET /analitica/pdf/?periodo=year (charts drawn server-side with reportlab): median ms and size.
The brokerage is dropped at the end. Run alone: .venv/bin/python bench/analytics_load.py [--requests 30]
"""
from __future__ import annotations

import os
import sys
import time
import warnings

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aitcore.settings.test")

from bench.common import (  # noqa: E402
    drop_tenant, error_text, figure_done, median, percentile, run_part, say, section_ran,
)


def seed_demo(admin) -> dict:
    from django.db import transaction

    from aitcore.registry import registry

    t0, failed = time.perf_counter(), []
    for seeder in registry.demo_seeders:
        try:
            with transaction.atomic():
                seeder(admin=admin)
        except Exception as exc:  # noqa: BLE001 - demo data is only the material here
            failed.append(f"{seeder.__module__}: {error_text(exc)}")
    return {"seconds": time.perf_counter() - t0, "seeders": len(registry.demo_seeders), "failed": failed}


def _counts() -> dict:
    from apps.claims.models import Claim
    from apps.collections.models import Receipt
    from apps.crm.models import Opportunity
    from apps.hr.models import Employee
    from apps.insurance.models import Policy

    return {"policies": Policy.objects.count(), "receipts": Receipt.objects.count(), "claims": Claim.objects.count(),
            "opportunities": Opportunity.objects.count(), "employees": Employee.objects.count()}


def _time(client, url: str, requests: int) -> dict:
    from bench.treasury_load import Queries

    first = client.get(url)  # warm-up (and the query count of one request)
    if first.status_code != 200:
        raise RuntimeError(f"GET {url} answered HTTP {first.status_code} {first.get('Location', '')}")
    with Queries() as queries:
        client.get(url)
    times = []
    for _ in range(requests):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    html = response.content.decode(errors="replace") if "html" in response["Content-Type"] else ""
    return {"median_ms": median(times), "p95_ms": percentile(times, 95), "min_ms": min(times),
            "queries": len(queries), "bytes": len(response.content),
            "kpis": html.count('class="card shadow-sm h-100 js-kpi"'), "charts": html.count("js-analytics-chart\"")}


def bench_pages(domain: str, schema: str, requests: int) -> dict:
    from django.test import Client
    from django_tenants.utils import schema_context

    from apps.identity.models import User
    from apps.identity.services.login_events import MFA_REQUIRED_KEY

    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    out = {}
    with schema_context(schema):
        users = {"direccion": User.objects.get(email=f"admin@{domain}")}
        comercial = (User.objects.filter(groups__name="Comercial", is_active=True, is_superuser=False)
                     .exclude(groups__name="Dirección").first())
        if comercial is not None:
            users["comercial"] = comercial
        out["data"] = _counts()
    for role, user in users.items():
        client = Client(HTTP_HOST=domain)
        with schema_context(schema):  # the login writes the user's last_login in the brokerage's schema
            client.force_login(user)
            session = client.session  # the page is measured, not the second login step a role may require
            session.pop(MFA_REQUIRED_KEY, None)
            session.save()
        out[f"{role}_year"] = _time(client, "/analitica/?periodo=year", requests)
        out[f"{role}_month"] = _time(client, "/analitica/?periodo=month", requests)
        if role == "direccion":
            out["pdf_year"] = _time(client, "/analitica/pdf/?periodo=year", max(3, requests // 5))
    return out


def bench_analytics(*, requests: int = 30, seed: bool = True) -> dict:
    from django_tenants.utils import schema_context

    from apps.identity.models import User
    from bench.provisioning import provision

    started = time.perf_counter()
    tenant, domain, _wall = provision("analytics", use_template=True)
    schema = tenant.schema_name
    result = {"requests": requests, "schema": schema, "errors": {}}
    errors = result["errors"]
    try:
        with schema_context(schema):
            admin = User.objects.get(email=f"admin@{domain}")
        if seed:
            run_part("seed", lambda: seed_demo(admin), schema=schema, result=result, errors=errors, label="analytics")
        result["pages"] = bench_pages(domain, schema, requests)
    except Exception as exc:  # noqa: BLE001
        errors["pages"] = error_text(exc)
    finally:
        drop_tenant(tenant)
    return figure_done(result, started)


def analytics_report(data: dict | None, why: str) -> None:
    if not section_ran(data, "Analytics dashboards", why):
        return
    say(f"Analytics dashboards (brokerage {data['schema']}, {data['requests']} requests each, whole figure "
        f"{data['wall_s']:.0f} s)")
    seed, pages = data.get("seed"), data.get("pages") or {}
    if seed:
        say(f"   seed: {seed['seeders']} demo seeders in {seed['seconds']:.1f} s")
        for failure in seed["failed"]:
            say(f"      (demo seeder failed, its records are missing: {failure[:160]})")
    if pages.get("data"):
        say("   data: " + ", ".join(f"{k} {v}" for k, v in pages["data"].items()))
    for key, row in pages.items():
        if key == "data":
            continue
        say(f"   {key:<18} median {row['median_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  min {row['min_ms']:7.1f} ms"
            f"  {row['queries']:3d} queries  {row['bytes'] / 1024:6.1f} KB  kpis {row['kpis']} charts {row['charts']}")
    for key, error in (data.get("errors") or {}).items():
        say(f"   {key} FAILED: {error}")


def main(argv=None) -> int:
    import argparse

    import django

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--no-seed", action="store_true", help="an empty brokerage (checks the figure quickly)")
    args = parser.parse_args(argv)
    django.setup()
    from bench.common import database_check
    from bench.provisioning import ensure_platform

    database_check()
    ensure_platform()
    analytics_report(bench_analytics(requests=args.requests, seed=not args.no_seed), "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
