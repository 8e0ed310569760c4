"""Figure: the cost of the API rate limits (apps/core/throttling.py) through a real server.

Two uvicorn servers (bench.http_load.Server, bench.settings) on the same cloned brokerage, started with
API_RATE_LIMITS=true and =false; the limits themselves are far above the load (bench.settings), so every
answer is a 200 and what is measured is the counter (one INCR+EXPIRE round trip to Redis per request).
The same JWT-authenticated GET /api/v1/audit-events/?page_size=50 (figure 2's API case) is sent to both,
in interleaved rounds so a slow patch of the machine hits both alike. Also the counter alone, in process:
`hit()` calls per second against the throttle cache.

Standalone: `python bench/ratelimit_load.py [--requests N --concurrency C --rounds R]`; for run.py:
bench_ratelimit(...) -> dict and ratelimit_report(result, why).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aitcore.settings.test")

from bench.common import PASSWORD, ROWS, BenchError, drop_tenant, say, step  # noqa: E402
from bench.http_load import Case, Server, run_cases, seed_http_tenant  # noqa: E402

PATH = f"/api/v1/audit-events/?page_size={ROWS}"


class _Env:
    """Sets environment variables for a server started inside the block, restores them afterwards."""

    def __init__(self, **values):
        self.values, self.saved = values, {}

    def __enter__(self):
        for key, value in self.values.items():
            self.saved[key] = os.environ.get(key)
            os.environ[key] = value

    def __exit__(self, *exc):
        for key, value in self.saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _token(server: Server, domain: str, email: str) -> str:
    import httpx

    response = httpx.post(f"{server.base_url}/api/v1/auth/token/", json={"email": email, "password": PASSWORD},
                          headers={"Host": domain, "Accept": "application/json"}, timeout=30, trust_env=False)
    if response.status_code != 200:
        raise BenchError(f"token on {domain}: HTTP {response.status_code} {response.text[:300]}")
    return response.json()["access"]


def counter_only(calls: int) -> dict:
    """hit() against the throttle cache, in this process: calls per second and mean microseconds."""
    from django.conf import settings

    from apps.core.throttling import hit

    started = time.perf_counter()
    for n in range(calls):
        hit(f"throttle:bench:{os.getpid()}:counter:{n % 50}", 61)
    wall = time.perf_counter() - started
    return {"calls": calls, "per_s": round(calls / wall, 1), "mean_us": round(wall / calls * 1e6, 1),
            "backend": settings.CACHES["throttle"]["BACKEND"]}


def bench_ratelimit(*, requests: int = 2000, warmup: int = 100, concurrency: int = 8, rounds: int = 4) -> dict:
    tenant, domain, email = seed_http_tenant()
    try:
        with _Env(API_RATE_LIMITS="true"), Server() as limited, _Env(API_RATE_LIMITS="false"), Server() as free:
            cases = run_cases(
                lambda: [Case(name, server.base_url, domain, PATH,
                              {"Authorization": f"Bearer {_token(server, domain, email)}"},
                              concurrency=concurrency, expect_schema=tenant.schema_name)
                         for name, server in (("limited", limited), ("unlimited", free))],
                requests=requests, warmup=warmup, rounds=rounds)
        lim, free_ = cases["limited"], cases["unlimited"]
        return {
            "server": "uvicorn, 1 process each, 127.0.0.1", "path": PATH, "requests": requests, "warmup": warmup,
            "concurrency": concurrency, "rounds": rounds, "cases": cases,
            "ratio_rps_limited_over_unlimited": round(lim["rps"] / free_["rps"], 3),
            "ratio_p95_limited_over_unlimited": round(lim["p95_ms"] / free_["p95_ms"], 3),
            "counter": counter_only(5000),
        }
    finally:
        drop_tenant(tenant)


def ratelimit_report(result: dict | None, why: str = "") -> None:
    say("Rate limits (bench/ratelimit_load.py): API requests/s with and without the per user / per key limiter")
    if not result:
        say(f"   {why}")
        return
    say(f"   GET {result['path']} (JWT), {result['requests']} requests each after {result['warmup']} warm-up, "
        f"concurrency {result['concurrency']}, {result['rounds']} interleaved rounds; {result['server']}")
    say(f"   {'case':<34}{'rps':>9}{'p50 ms':>9}{'p95 ms':>9}")
    for key, label in (("limited", "with rate limiting (Redis counter)"), ("unlimited", "without (API_RATE_LIMITS=false)")):
        c = result["cases"][key]
        say(f"   {label:<34}{c['rps']:>9.1f}{c['p50_ms']:>9.2f}{c['p95_ms']:>9.2f}")
    say(f"   ratio with/without: x{result['ratio_rps_limited_over_unlimited']:.3f} requests/s, "
        f"x{result['ratio_p95_limited_over_unlimited']:.3f} p95")
    c = result["counter"]
    say(f"   the counter alone ({c['backend']}): {c['per_s']:.0f} hits/s, {c['mean_us']:.0f} µs each")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from bench.provisioning import ensure_platform

    step(f"platform: {ensure_platform()}")
    result = bench_ratelimit(requests=args.requests, warmup=args.warmup, concurrency=args.concurrency,
                             rounds=args.rounds)
    say()
    ratelimit_report(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
