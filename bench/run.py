#!/usr/bin/env python
"""AIT-CORE benchmarks, printed side by side in one run (`make bench`; see bench/README.md).

1. Tenant provisioning: clone of the template schema vs plain migrations.
2. HTTP through a real server (uvicorn, loopback): the authenticated API list vs a bare Django
   view returning the same 50 rows, and the same bare view under tenant vs public routing.
3. The whole test suite's wall time (skip with --no-suite).

Everything this run creates is named bench_<pid>_* (schemas) / bench-<pid>-* (domains) and is
dropped at the end, also when something fails or the run is interrupted.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aitcore.settings.test")

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


def _raise_exit(signum, frame):
    raise SystemExit(128 + signum)


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
    from apps.tenancy.models import Domain, Tenant

    names = own_schemas("bench_")
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


# --- 2. HTTP ----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """uvicorn serving aitcore.asgi:application with bench.settings on 127.0.0.1; always stopped."""

    def __init__(self, startup_timeout: float = 90.0):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.startup_timeout = startup_timeout
        self.proc = None
        self.log = None
        self.keep_log = False

    def __enter__(self):
        import httpx

        self.log = tempfile.NamedTemporaryFile(prefix="aitcore-bench-uvicorn-", suffix=".log", delete=False)
        env = dict(os.environ)
        env["DJANGO_SETTINGS_MODULE"] = SERVER_SETTINGS
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
        cmd = [sys.executable, "-m", "uvicorn", "aitcore.asgi:application", "--host", "127.0.0.1",
               "--port", str(self.port), "--no-access-log", "--log-level", "warning", "--lifespan", "off"]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + self.startup_timeout
        last_error = ""
        try:
            while True:
                if self.proc.poll() is not None:
                    raise BenchError(f"uvicorn exited with code {self.proc.returncode} before answering:\n{self.tail()}")
                try:
                    response = httpx.get(f"{self.base_url}/health/live", headers={"Host": "localhost"},
                                         timeout=2, trust_env=False)
                    if response.status_code == 200:
                        return self
                    last_error = f"HTTP {response.status_code}"
                except httpx.HTTPError as exc:
                    last_error = repr(exc)
                if time.monotonic() > deadline:
                    raise BenchError(f"uvicorn did not answer /health/live within {self.startup_timeout:.0f} s "
                                     f"({last_error}):\n{self.tail()}")
                time.sleep(0.2)
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc_info):
        self.stop()

    def tail(self, lines: int = 40) -> str:
        if self.log is None:
            return ""
        self.log.flush()
        text = Path(self.log.name).read_text(errors="replace").splitlines()
        return "\n".join("    " + line for line in text[-lines:]) or "    (no output)"

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.log is not None:
            self.log.close()
            if not self.keep_log and self.proc is not None and self.proc.returncode in (0, -signal.SIGTERM):
                Path(self.log.name).unlink(missing_ok=True)
            else:
                step(f"uvicorn log kept at {self.log.name}")
            self.log = None


def short_body(response) -> str:
    """The useful part of an error answer: the <title> of an HTML page, else the first 300 characters."""
    text = response.text
    title = re.search(r"<title>(.*?)</title>", text, re.S | re.I)
    return f"(HTML) {title.group(1).strip()}" if title else text[:300]


class Case:
    """One HTTP case: `concurrency` keep-alive clients (one per thread) sending the same GET."""

    def __init__(self, name: str, base_url: str, host: str, path: str, headers: dict, *, concurrency: int,
                 expect_schema: str):
        import httpx

        self.name, self.host, self.path, self.expect_schema = name, host, path, expect_schema
        self.concurrency = concurrency
        all_headers = {"Host": host, "Accept": "application/json", **headers}
        self.clients = [httpx.Client(base_url=base_url, headers=all_headers, trust_env=False, timeout=60)
                        for _ in range(concurrency)]
        self.latencies: list[float] = []
        self.wall = 0.0
        self.size = 0

    def where(self) -> str:
        return f"GET {self.path} (Host: {self.host})"

    def check(self) -> None:
        """One request, before any timing: 200, 50 rows, routed to the expected schema."""
        probe = self.clients[0].get(self.path)
        if probe.status_code != 200:
            raise BenchError(f"{self.where()} answered HTTP {probe.status_code}: {short_body(probe)}")
        body = probe.json()
        rows = len(body.get("results") or [])
        if rows != ROWS:
            raise BenchError(f"{self.where()} returned {rows} rows, expected {ROWS}")
        if "schema" in body and body["schema"] != self.expect_schema:
            raise BenchError(f"{self.where()} ran in schema {body['schema']!r}, expected {self.expect_schema!r}")
        self.size = len(probe.content)

    def phase(self, total: int, *, record: bool = True) -> None:
        """`total` requests shared by the threads; the clock runs from release to the last answer."""
        import httpx

        latencies, failures = [], []
        lock = threading.Lock()
        remaining = [total]
        gate = threading.Barrier(self.concurrency + 1)
        stop = threading.Event()

        def worker(client):
            try:
                gate.wait()
            except threading.BrokenBarrierError:
                return
            while not stop.is_set():
                with lock:
                    if remaining[0] == 0:
                        return
                    remaining[0] -= 1
                started = time.perf_counter()
                try:
                    response = client.get(self.path)
                    status = response.status_code
                    text = short_body(response) if status != 200 else ""
                except Exception as exc:  # noqa: BLE001 - reported as a failed request
                    status, text = None, repr(exc)
                elapsed = time.perf_counter() - started
                if status == 200:
                    latencies.append(elapsed)
                else:
                    failures.append((status, text))

        threads = [threading.Thread(target=worker, args=(c,), daemon=True) for c in self.clients]
        for thread in threads:
            thread.start()
        try:
            gate.wait()
            started = time.perf_counter()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - started
        except BaseException:  # Ctrl-C or SIGTERM: let the threads finish their request and stop
            stop.set()
            gate.abort()
            for thread in threads:
                thread.join(timeout=10)
            raise
        if failures:
            status, text = failures[0]
            raise BenchError(f"{self.where()}: {len(failures)} of {total} requests failed; first: HTTP {status} {text}")
        if record:
            self.latencies += latencies
            self.wall += wall

    def result(self) -> dict:
        return {
            "requests": len(self.latencies),
            "rps": round(len(self.latencies) / self.wall, 1),
            "p50_ms": round(percentile(self.latencies, 50) * 1000, 2),
            "p95_ms": round(percentile(self.latencies, 95) * 1000, 2),
            "bytes": self.size,
        }

    def close(self) -> None:
        for client in self.clients:
            client.close()


def seed_http_tenant():
    """A brokerage of our own (cloned), with SEED_EVENTS audit events so the list has 50 rows."""
    from django.contrib.auth.models import Permission
    from django_tenants.utils import schema_context

    from apps.audit.choices import AuditAction
    from apps.audit.services import audit_event_record
    from apps.identity.models import User

    tenant, domain, _wall = provision("http", use_template=True)
    with schema_context(tenant.schema_name):
        admin = User.objects.get(email=f"admin@{domain}")
        for n in range(SEED_EVENTS):
            audit_event_record(actor=admin, action=AuditAction.ACTION, verb="bench_seed", obj=admin,
                               changes={"bench": [None, n]})
        tenant_permissions = Permission.objects.count()
    with schema_context("public"):
        public_permissions = Permission.objects.count()
    for where, count in (("public", public_permissions), (tenant.schema_name, tenant_permissions)):
        if count < ROWS:
            raise BenchError(f"auth_permission in {where} has {count} rows; the routing comparison needs {ROWS}")
    return tenant, domain, admin.email


def public_host() -> str:
    from django.conf import settings

    from apps.tenancy.models import Domain

    domain = Domain.objects.filter(domain=settings.PLATFORM_DOMAIN, tenant__schema_name="public").first()
    if domain is None:
        raise BenchError(f"no Domain {settings.PLATFORM_DOMAIN!r} for the public tenant; run "
                         f"`python manage.py platform_migrate` once")
    return domain.domain


def bench_http(*, requests: int, warmup: int, concurrency: int, rounds: int) -> dict:
    tenant, domain, email = seed_http_tenant()
    public = public_host()
    step(f"HTTP tenant {tenant.schema_name} on Host {domain}; public on Host {public}")
    with Server() as server:
        step(f"uvicorn up on {server.base_url} (pid {server.proc.pid}, settings {SERVER_SETTINGS})")
        try:
            return _measure(server, tenant, domain, email, public, requests=requests, warmup=warmup,
                            concurrency=concurrency, rounds=rounds)
        except BenchError as exc:
            server.keep_log = True
            raise BenchError(f"{exc}\n  uvicorn log ({server.log.name}), last lines:\n{server.tail()}") from exc


def _measure(server, tenant, domain, email, public, *, requests, warmup, concurrency, rounds) -> dict:
    import httpx
    from django.db import connection

    cases = {}
    token = httpx.post(f"{server.base_url}/api/v1/auth/token/", json={"email": email, "password": PASSWORD},
                       headers={"Host": domain, "Accept": "application/json"}, timeout=30, trust_env=False)
    if token.status_code != 200 or "access" not in token.json():
        raise BenchError(f"POST /api/v1/auth/token/ on {domain} answered HTTP {token.status_code}: {token.text[:400]}")
    bearer = {"Authorization": f"Bearer {token.json()['access']}"}
    plan = [
        ("api_list_tenant", domain, f"/api/v1/audit-events/?page_size={ROWS}", bearer, tenant.schema_name),
        ("bare_audit_tenant", domain, "/bench/bare/audit-events/", {}, tenant.schema_name),
        ("bare_perms_tenant", domain, "/bench/bare/permissions/", {}, tenant.schema_name),
        ("bare_perms_public", public, "/bench/bare/permissions/", {}, "public"),
    ]
    runners = []
    try:
        for name, host, path, headers, schema in plan:
            runners.append(Case(name, server.base_url, host, path, headers, concurrency=concurrency,
                                expect_schema=schema))
        for case in runners:
            case.check()
            if warmup:
                case.phase(warmup, record=False)
        # Round-robin: each case gets its requests in `rounds` slices, alternating with the
        # others, so a slow patch of the machine does not land on one case only.
        per_round = [requests // rounds + (1 if r < requests % rounds else 0) for r in range(rounds)]
        for share in per_round:
            for case in runners:
                if share:
                    case.phase(share)
    finally:
        for case in runners:
            case.close()
    for case in runners:
        cases[case.name] = case.result()
        c = cases[case.name]
        step(f"{case.name:<18} {c['rps']:>8} rps  p50 {c['p50_ms']} ms  p95 {c['p95_ms']} ms")
    api, bare = cases["api_list_tenant"], cases["bare_audit_tenant"]
    ten, pub = cases["bare_perms_tenant"], cases["bare_perms_public"]
    return {
        "server": "uvicorn, 1 process, 127.0.0.1",
        "requests": requests, "warmup": warmup, "concurrency": concurrency, "rounds": rounds,
        "conn_max_age_app": connection.settings_dict.get("CONN_MAX_AGE"),
        "conn_max_age_server": 0,
        "cases": cases,
        "api_over_bare": {"time_per_request": round(bare["rps"] / api["rps"], 2),
                          "p95": round(api["p95_ms"] / bare["p95_ms"], 2)},
        "tenant_over_public": {"time_per_request": round(pub["rps"] / ten["rps"], 2),
                               "p95": round(ten["p95_ms"] / pub["p95_ms"], 2)},
    }


# --- 3. test suite ------------------------------------------------------------------------------

SUITE_COUNTS = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed|deselected)")


def bench_suite(timeout: float, extra_args: list[str]) -> dict:
    """The pytest command `make test` runs (without its install/assets prerequisites), timed."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    log_path = RESULTS_DIR / f"suite-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}-{PID}.log"
    cmd = [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadfile", "-p", "no:cacheprovider", *extra_args]
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="aitcore.settings.test")
    step(f"suite: {' '.join(cmd[1:])}  (log {log_path.relative_to(ROOT)})")
    started = time.perf_counter()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            next_beat = 60
            while proc.poll() is None:
                elapsed = time.perf_counter() - started
                if elapsed > timeout:
                    raise BenchError(f"the suite ran longer than {timeout:.0f} s; stopped (log {log_path})")
                if elapsed >= next_beat:
                    step(f"suite still running: {elapsed:.0f} s")
                    next_beat += 60
                time.sleep(0.5)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
    wall = time.perf_counter() - started
    lines = log_path.read_text(errors="replace").splitlines()
    summary = next((line.strip("= ") for line in reversed(lines) if SUITE_COUNTS.search(line) and " in " in line), "")
    counts = {}
    for number, word in SUITE_COUNTS.findall(summary):
        counts["errors" if word.startswith("error") else word] = int(number)
    result = {"wall_s": round(wall, 1), "exit_code": proc.returncode, "summary": summary or "(no pytest summary line)",
              "passed": counts.get("passed", 0), "failed": counts.get("failed", 0), "errors": counts.get("errors", 0),
              "skipped": counts.get("skipped", 0), "log": str(log_path.relative_to(ROOT))}
    if proc.returncode != 0:
        step(f"suite exited {proc.returncode}; last lines of the log:")
        for line in lines[-25:]:
            say("    " + line)
    return result


# --- report -------------------------------------------------------------------------------------

def _why(errors: dict, section: str) -> str:
    message = errors.get(section) or errors.get("setup") or errors.get("run") or "not run"
    return message if message.startswith("skipped") else f"FAILED: {message}"


def report(meta: dict, prov, http, suite, errors: dict) -> None:
    say()
    say(f"AIT-CORE bench  {meta['when']}  commit {meta['commit']}  pid {PID}")
    say(f"database: {meta['database']}  |  python {meta['python']}  |  cpus {meta['cpus']}")
    say()
    say(f"1. Tenant provisioning (tenant_provision, wall seconds; N={meta['runs']} each, interleaved)")
    if prov:
        say(f"   {'path':<12}{'median':>9}{'min':>9}{'max':>9}{'schema step':>13}   runs")
        for kind in ("clone", "migrations"):
            runs = prov[f"{kind}_runs_s"]
            say(f"   {kind:<12}{prov[f'{kind}_median_s']:>9.3f}{min(runs):>9.3f}{max(runs):>9.3f}"
                f"{prov[f'{kind}_schema_step_median_s']:>13.3f}   " + " ".join(f"{v:.3f}" for v in runs))
        r, rs = prov["ratio_migrations_over_clone"], prov["ratio_schema_step"]
        say(f"   ratio migrations/clone: x{r:.2f} whole call, x{rs:.2f} schema step alone"
            + ("  (below 1: cloning is slower today)" if r < 1 else ""))
        say(f"   note: the tenant apps have only {prov['tenant_migrations_on_disk']} migrations today "
            f"({'/'.join(map(str, sorted(set(prov['migrations_recorded']['clone'] + prov['migrations_recorded']['migrations']))))}"
            f" recorded per new schema); running migrations costs more with every app that lands while a "
            f"clone grows only with the tables, so this ratio will grow as apps land.")
    else:
        say(f"   {_why(errors, 'provisioning')}")
    say()
    if http:
        say(f"2. HTTP  ({http['server']}; {http['requests']} requests after {http['warmup']} warm-up, "
            f"concurrency {http['concurrency']})")
        say(f"   server CONN_MAX_AGE=0 (the app's settings say {http['conn_max_age_app']}"
            + ("; under ASGI that leaks one connection per request, see bench/README.md)"
               if http["conn_max_age_app"] else ")"))
    else:
        say("2. HTTP")
    if http:
        labels = {
            "api_list_tenant": "API list /api/v1/audit-events/?page_size=50, JWT (tenant)",
            "bare_audit_tenant": "bare view, same 50 audit events (tenant)",
            "bare_perms_tenant": "bare view, 50 auth_permission rows (tenant)",
            "bare_perms_public": "bare view, 50 auth_permission rows (public)",
        }
        say(f"   {'case':<58}{'rps':>9}{'p50 ms':>9}{'p95 ms':>9}{'bytes':>8}")
        for key, label in labels.items():
            c = http["cases"][key]
            say(f"   {label:<58}{c['rps']:>9.1f}{c['p50_ms']:>9.2f}{c['p95_ms']:>9.2f}{c['bytes']:>8}")
        a, t = http["api_over_bare"], http["tenant_over_public"]
        say(f"   API / bare     : x{a['time_per_request']:.2f} time per request (from rps), x{a['p95']:.2f} p95")
        say(f"   tenant / public: x{t['time_per_request']:.2f} time per request (from rps), x{t['p95']:.2f} p95")
    else:
        say(f"   {_why(errors, 'http')}")
    say()
    say("3. Test suite (pytest -n 2 --dist loadfile, as `make test`)")
    if suite:
        say(f"   wall {suite['wall_s']:.1f} s   passed {suite['passed']}   failed {suite['failed']}   "
            f"errors {suite['errors']}   skipped {suite['skipped']}   exit {suite['exit_code']}")
        say(f"   pytest: {suite['summary']}")
    else:
        say(f"   {errors.get('suite', 'skipped (--no-suite)')}")
    failures = {k: v for k, v in errors.items() if not v.startswith("skipped")}
    if failures:
        say()
        for section, message in failures.items():
            say(f"ERROR in {section}: {message}")


def git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="AIT-CORE benchmarks (see bench/README.md).")
    parser.add_argument("--no-suite", action="store_true", help="skip the test-suite timing (it takes minutes)")
    parser.add_argument("--no-provisioning", action="store_true", help="skip figure 1")
    parser.add_argument("--no-http", action="store_true", help="skip figure 2")
    parser.add_argument("--runs", type=int, default=3, help="provisioning runs per path (default 3)")
    parser.add_argument("--requests", type=int, default=400, help="measured requests per HTTP case (default 400)")
    parser.add_argument("--warmup", type=int, default=50, help="warm-up requests per HTTP case (default 50)")
    parser.add_argument("--rounds", type=int, default=4,
                        help="measured requests go in this many round-robin slices across the cases (default 4)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads per HTTP case (default 8)")
    parser.add_argument("--suite-timeout", type=float, default=3600, help="seconds before the suite is stopped")
    parser.add_argument("--suite-args", default="", help="extra pytest arguments, e.g. \"-k smoke\"")
    parser.add_argument("--cleanup-stale", action="store_true",
                        help="first drop bench_<pid>_* schemas left by earlier runs whose process is gone")
    args = parser.parse_args(argv)
    if min(args.runs, args.requests, args.concurrency, args.rounds) < 1 or args.warmup < 0:
        parser.error("--runs, --requests, --concurrency and --rounds must be >= 1, --warmup >= 0")
    args.rounds = min(args.rounds, args.requests)
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _raise_exit)
    signal.signal(signal.SIGHUP, _raise_exit)

    import django

    django.setup()
    database_check()
    from django.conf import settings

    meta = {
        "when": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "commit": git_commit(),
        "database": database_label(), "python": platform.python_version(), "cpus": os.cpu_count(),
        "runs": args.runs, "settings": settings.SETTINGS_MODULE,
    }
    step(f"pid {PID}: schemas {SCHEMA_PREFIX}*, domains {DOMAIN_PREFIX}*; database {meta['database']}")
    stale = stale_runs()
    if stale and args.cleanup_stale:
        for pid in stale:
            left = cleanup(f"bench_{pid}_", f"bench-{pid}-")
            step(f"dropped leftovers of bench run {pid}" + (f"; still left: {left}" if left else ""))
    elif stale:
        step(f"WARNING: earlier bench runs {stale} left schemas, tenants or domains behind; rerun with --cleanup-stale to drop them")

    prov = http = suite = None
    errors: dict[str, str] = {}
    interrupted = None
    try:
        if args.no_provisioning:
            errors["provisioning"] = "skipped (--no-provisioning)"
        if args.no_http:
            errors["http"] = "skipped (--no-http)"
        platform_ready = False
        if not (args.no_provisioning and args.no_http):
            try:
                step(f"platform: {ensure_platform()}")
                platform_ready = True
            except Exception as exc:  # noqa: BLE001 - reported; figures 1 and 2 need it
                errors["setup"] = f"{type(exc).__name__}: {exc}"
        if platform_ready and not args.no_provisioning:
            try:
                prov = bench_provisioning(args.runs)
            except Exception as exc:  # noqa: BLE001 - report it and go on with the other figures
                errors["provisioning"] = f"{type(exc).__name__}: {exc}"
        if platform_ready and not args.no_http:
            try:
                http = bench_http(requests=args.requests, warmup=args.warmup, concurrency=args.concurrency,
                                  rounds=args.rounds)
            except Exception as exc:  # noqa: BLE001
                errors["http"] = f"{type(exc).__name__}: {exc}"
    except (KeyboardInterrupt, SystemExit) as exc:  # Ctrl-C, SIGTERM, SIGHUP: clean up, then stop
        interrupted = exc
        errors["run"] = f"interrupted ({type(exc).__name__})"
    finally:
        left = cleanup()
        if left:
            errors["cleanup"] = "could not drop: " + ", ".join(left)
        step("cleanup: every bench schema, tenant and domain dropped" if not left else f"cleanup left {left}")

    if args.no_suite:
        errors["suite"] = "skipped (--no-suite)"
    elif interrupted is None:
        try:
            suite = bench_suite(args.suite_timeout, args.suite_args.split())
            if suite["exit_code"] != 0:
                errors["suite"] = f"pytest exited {suite['exit_code']}: {suite['summary']} (log {suite['log']})"
        except (KeyboardInterrupt, SystemExit) as exc:  # pytest already stopped by bench_suite's finally
            interrupted = exc
            errors["suite"] = f"interrupted ({type(exc).__name__})"
        except Exception as exc:  # noqa: BLE001
            errors["suite"] = f"{type(exc).__name__}: {exc}"

    # The skip markers are for the printed table only; the JSON lists real failures.
    skipped = {k: v for k, v in errors.items() if v.startswith("skipped")}
    failures = {k: v for k, v in errors.items() if k not in skipped}
    report(meta, prov, http, suite, {**skipped, **failures})
    summary = {"bench": "aitcore", **meta, "provisioning": prov, "http": http, "suite": suite,
               "skipped": sorted(skipped), "errors": failures or None}
    line = json.dumps(summary, separators=(",", ":"), ensure_ascii=False)
    try:
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        (RESULTS_DIR / "latest.json").write_text(line + "\n")
    except OSError as exc:
        step(f"could not write {RESULTS_DIR}/latest.json: {exc}")
    say()
    say(line)
    if isinstance(interrupted, SystemExit):
        return interrupted.code if isinstance(interrupted.code, int) else 1
    if isinstance(interrupted, KeyboardInterrupt):
        return 130
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"[bench] ERROR: {exc}", file=sys.stderr)
        sys.exit(2)
