"""Figure 2 of the bench: HTTP through a real server (uvicorn on loopback). Server starts and stops
it, Case drives one request pattern, bench_http seeds a brokerage and measures every case."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.common import PASSWORD, ROOT, ROWS, SEED_EVENTS, SERVER_SETTINGS, BenchError, percentile, step
from bench.provisioning import provision


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


def run_cases(make_cases, *, requests: int, warmup: int, rounds: int) -> dict:
    """Checks and warms every case, then measures them round-robin: each case gets its requests in `rounds`
    slices, alternating with the others, so a slow patch of the machine does not land on one case only.
    `make_cases` builds the Case list (closed at the end whatever happens). Returns {name: result}."""
    runners, cases = [], {}
    try:
        runners.extend(make_cases())
        for case in runners:
            case.check()
            if warmup:
                case.phase(warmup, record=False)
        per_round = [requests // rounds + (1 if r < requests % rounds else 0) for r in range(rounds)]
        for share in per_round:
            for case in runners:
                if share:
                    case.phase(share)
    finally:
        for case in runners:
            case.close()
    for case in runners:
        cases[case.name] = c = case.result()
        step(f"{case.name:<18} {c['rps']:>8} rps  p50 {c['p50_ms']} ms  p95 {c['p95_ms']} ms")
    return cases


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
    cases.update(run_cases(
        lambda: [Case(name, server.base_url, host, path, headers, concurrency=concurrency, expect_schema=schema)
                 for name, host, path, headers, schema in plan],
        requests=requests, warmup=warmup, rounds=rounds))
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
