"""Figure 1 of the bench: tenant provisioning, clone of the template schema vs plain migrations."""
from __future__ import annotations

import time
from contextlib import contextmanager

from bench.common import DOMAIN_PREFIX, PASSWORD, SCHEMA_PREFIX, TAX_ID, BenchError, drop_tenant, median, step


def ensure_platform() -> str:
    """Public schema migrated and the template schema current, so cloning is a fair comparison.

    `platform_migrate` would also migrate every existing brokerage; the bench must not touch
    them, so on a database that already has a platform it does only the two parts it needs.
    """
    from django.conf import settings
    from django.core.management import call_command
    from django_tenants.utils import schema_exists

    from apps.tenancy.models import Tenant
    from apps.tenancy.services.provisioning import template_schema_sync

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    if not Tenant.objects.filter(schema_name="public").exists():
        call_command("platform_migrate", verbosity=0)
        how = "platform_migrate (fresh database)"
    else:
        template_schema_sync(verbosity=0)
        how = "shared migrations + template sync (existing brokerages untouched)"
    if not schema_exists(settings.TENANT_BASE_SCHEMA):
        raise BenchError(f"the template schema {settings.TENANT_BASE_SCHEMA!r} is missing after {how}")
    return how


def tenant_migration_count() -> int:
    from django.apps import apps
    from django.conf import settings
    from django.db.migrations.loader import MigrationLoader

    labels = {config.label for config in apps.get_app_configs() if config.name in settings.TENANT_APPS}
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sum(1 for label, _name in loader.disk_migrations if label in labels)


def recorded_migrations(schema: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{schema}".django_migrations')
        return cursor.fetchone()[0]


@contextmanager
def schema_step_timer(spent: list):
    """Times only the schema step inside tenant_provision, in this process only: Tenant.create_schema
    (the clone) or the service's call_command("migrate_schemas") (the plain migrations). The rest
    (tenant row, domain, roles, first admin, audit events) is the same work on both paths."""
    from apps.tenancy.models import Tenant
    from apps.tenancy.services import provisioning

    def timed(function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent.append(time.perf_counter() - started)
        return wrapper

    had_own = "create_schema" in Tenant.__dict__
    original_create, original_call = Tenant.create_schema, provisioning.call_command
    Tenant.create_schema, provisioning.call_command = timed(original_create), timed(original_call)
    try:
        yield
    finally:
        provisioning.call_command = original_call
        if had_own:
            Tenant.create_schema = original_create
        else:
            del Tenant.create_schema


def provision(label: str, *, use_template: bool):
    from apps.tenancy.services.provisioning import tenant_provision

    schema = f"{SCHEMA_PREFIX}{label}".replace("-", "_")
    domain = f"{DOMAIN_PREFIX}{label}.localhost".replace("_", "-")
    started = time.perf_counter()
    tenant = tenant_provision(
        actor=None, schema=schema, name=f"Bench {label}", tax_id=TAX_ID, domain=domain,
        admin_email=f"admin@{domain}", admin_password=PASSWORD, use_template=use_template,
    )
    return tenant, domain, time.perf_counter() - started


# --- 1. provisioning ------------------------------------------------------------------------------

def bench_provisioning(runs: int) -> dict:
    from django.conf import settings
    from django.core.exceptions import ValidationError
    from django_tenants.utils import schema_exists

    walls = {"clone": [], "migrations": []}
    inside = {"clone": [], "migrations": []}
    schema_steps = {"clone": [], "migrations": []}
    recorded = {"clone": set(), "migrations": set()}
    for i in range(1, runs + 1):
        for kind in ("clone", "migrations"):  # interleaved, so drift hits both alike
            if kind == "clone" and not schema_exists(settings.TENANT_BASE_SCHEMA):
                raise BenchError("template schema vanished: the service would silently fall back to migrations")
            spent: list[float] = []
            try:
                with schema_step_timer(spent):
                    tenant, _domain, wall = provision(f"{kind}_{i}", use_template=kind == "clone")
            except ValidationError as exc:
                raise BenchError(f"tenant_provision refused the bench tenant: {exc.message_dict}") from exc
            try:
                recorded[kind].add(recorded_migrations(tenant.schema_name))
                walls[kind].append(wall)
                inside[kind].append(float(tenant.provisioning_seconds or 0))
                schema_steps[kind].append(sum(spent))
                step(f"provision {kind:<10} run {i}/{runs}: {wall:.3f} s (schema step {sum(spent):.3f} s)")
            finally:
                drop_tenant(tenant)
    clone_median, migrations_median = median(walls["clone"]), median(walls["migrations"])
    return {
        "runs": runs,
        "clone_median_s": round(clone_median, 4),
        "migrations_median_s": round(migrations_median, 4),
        "ratio_migrations_over_clone": round(migrations_median / clone_median, 2),
        "clone_runs_s": [round(v, 4) for v in walls["clone"]],
        "migrations_runs_s": [round(v, 4) for v in walls["migrations"]],
        "clone_service_median_s": round(median(inside["clone"]), 4),
        "migrations_service_median_s": round(median(inside["migrations"]), 4),
        "clone_schema_step_median_s": round(median(schema_steps["clone"]), 4),
        "migrations_schema_step_median_s": round(median(schema_steps["migrations"]), 4),
        "ratio_schema_step": round(median(schema_steps["migrations"]) / median(schema_steps["clone"]), 2),
        "tenant_migrations_on_disk": tenant_migration_count(),
        "migrations_recorded": {k: sorted(v) for k, v in recorded.items()},
    }
