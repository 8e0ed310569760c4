"""Shared pieces of the bench (bench/run.py): constants, printing, stats, and the database checks
and cleanup that keep everything this run creates under bench_<pid>_* / bench-<pid>-*."""
from __future__ import annotations

import math
import os
import re
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PID = os.getpid()
SCHEMA_PREFIX = f"bench_{PID}_"
DOMAIN_PREFIX = f"bench-{PID}-"
STALE_SCHEMA = re.compile(r"^bench_(\d+)_")
PASSWORD = "Clave-Segura-2026"
TAX_ID = "B12345674"
ROWS = 50
SEED_EVENTS = 60
SERVER_SETTINGS = "bench.settings"
RESULTS_DIR = ROOT / "bench" / "results"


class BenchError(Exception):
    """A failure with a message meant for the person running the bench."""


def say(message: str = "") -> None:
    print(message, flush=True)


def step(message: str) -> None:
    say(f"[bench] {message}")


def median(values):
    return statistics.median(values) if values else None


def percentile(values, q: float):
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


# --- figures over one bench tenant ---------------------------------------------------------------

def run_part(key: str, run, *, schema: str, result: dict, errors: dict, label: str) -> None:
    """One part of a figure: result[key] = run() in the tenant's schema, or errors[key] and None when it
    raises (the figure goes on with the next part); prints «<label> <key>: <s> s»."""
    from django_tenants.utils import schema_context

    t0 = time.perf_counter()
    try:
        with schema_context(schema):
            result[key] = run()
    except Exception as exc:  # noqa: BLE001 - record it, go on with the next part
        errors[key] = error_text(exc)
        result[key] = None
    failed = f" (FAILED: {errors[key]})" if key in errors else ""
    step(f"{label} {key}: {time.perf_counter() - t0:.1f} s{failed}")


def figure_done(result: dict, started: float) -> dict:
    """The figure's result with its wall time; its errors (result["errors"]) None when there were none."""
    result["wall_s"] = round(time.perf_counter() - started, 1)
    result["errors"] = result["errors"] or None
    return result


def section_ran(data, title: str, why: str) -> bool:
    """Whether the figure behind a section of run.py's table ran; when not, prints its `title` and `why`."""
    if not data:
        say(f"{title}\n   {why}")
    return bool(data)


# --- database housekeeping -----------------------------------------------------------------------

def database_label() -> str:
    from django.db import connection

    if os.environ.get("DATABASE_URL"):
        s = connection.settings_dict
        return f"DATABASE_URL postgres://{s.get('USER') or ''}@{s.get('HOST') or ''}:{s.get('PORT') or ''}/{s.get('NAME')}"
    return "embedded pgserver (.var/pg)"


def database_check() -> None:
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any driver error means the same thing here
        where = "DATABASE_URL" if os.environ.get("DATABASE_URL") else "the embedded PostgreSQL in .var/pg"
        raise BenchError(f"cannot reach the database ({where}): {exc}") from exc


def own_schemas(prefix: str = SCHEMA_PREFIX) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s) ORDER BY 1", [prefix])
        return [row[0] for row in cursor.fetchall()]


def drop_tenant(tenant) -> None:
    from django.db import connection

    from apps.tenancy.models import Domain

    connection.set_schema_to_public()
    Domain.objects.filter(tenant=tenant).delete()
    tenant.delete(force_drop=True)


def cleanup(schema_prefix: str = SCHEMA_PREFIX, domain_prefix: str = DOMAIN_PREFIX) -> list[str]:
    """Drops every tenant row, domain and schema this run made. Returns what is still left."""
    from django.db import connection

    from apps.tenancy.models import Domain, Tenant

    try:
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - a broken connection: start a fresh one
        connection.close()
        connection.set_schema_to_public()
    problems = []
    for tenant in Tenant.objects.filter(schema_name__startswith=schema_prefix):
        try:
            drop_tenant(tenant)
        except Exception as exc:  # noqa: BLE001 - keep cleaning the rest
            problems.append(f"tenant {tenant.schema_name}: {exc}")
            connection.close()
    Domain.objects.filter(domain__startswith=domain_prefix).delete()
    # A schema without a tenant row (a run that died between CREATE SCHEMA and saving the row).
    for name in own_schemas(schema_prefix):
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    left = [f"schema {name}" for name in own_schemas(schema_prefix)]
    left += [f"tenant {t}" for t in Tenant.objects.filter(schema_name__startswith=schema_prefix)
             .values_list("schema_name", flat=True)]
    left += [f"domain {d}" for d in Domain.objects.filter(domain__startswith=domain_prefix)
             .values_list("domain", flat=True)]
    return problems + left


def stale_runs() -> list[int]:
    """Pids of earlier bench runs that left bench_<pid>_* schemas, tenant rows or domains behind
    and are no longer running."""
    from django.db import connection

    from apps.tenancy.models import Domain, Tenant

    names = own_schemas("bench_")
    if Tenant._meta.db_table in connection.introspection.table_names():  # not yet on a never-migrated database
        names += list(Tenant.objects.filter(schema_name__startswith="bench_").values_list("schema_name", flat=True))
        names += [d.replace("-", "_") for d in Domain.objects.filter(domain__startswith="bench-")
                  .values_list("domain", flat=True)]
    pids = set()
    for name in names:
        match = STALE_SCHEMA.match(name)
        if match and int(match.group(1)) != PID:
            pids.add(int(match.group(1)))
    dead = []
    for pid in sorted(pids):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            dead.append(pid)
        except PermissionError:
            pass  # alive, someone else's
    return dead
