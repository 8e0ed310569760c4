"""Figure 10 of run.py: a change reaching N open pages of the same record, through the Redis layer.

One brokerage of our own (cloned, bench_<pid>_rt) and one client (crm.party). A real uvicorn serves
aitcore.asgi in its own process (bench/http_load.Server); for each N in `sizes`, N websocket clients in
this process (asyncio, the `websockets` library) open /ws/records/?key=crm.party.<pk> with a JWT of the
brokerage's admin and wait for "subscribed". Then, `rounds` times: the party is changed through
party_update in a thread of this process; an on_commit hook registered before the service runs stamps
the commit (the domain event's delivery, which calls record_changed -> group_send, comes right after it
in the same on_commit queue); every client stamps the arrival of its "record.changed". Round 0 warms up. Per round: the
latency of the last client (commit -> last arrival) and the median client; reported as median and p95
over the rounds, with the deliveries lost and the sockets that closed before the end (and why). Needs REDIS_URL: the in-memory layer does not cross processes.
"""
from __future__ import annotations

import asyncio
import json
import os
import time

from bench.common import BenchError, drop_tenant, error_text, figure_done, median, percentile, say, section_ran, step

CONNECT_BATCH = 100  # sockets opened at once (uvicorn's backlog and the handshake cost stay bounded)


def _setup(schema: str, domain: str) -> dict:
    from django_tenants.utils import schema_context
    from rest_framework_simplejwt.tokens import AccessToken

    from apps.crm.services.parties import party_create
    from apps.identity.models import User

    with schema_context(schema):
        admin = User.objects.get(email=f"admin@{domain}")
        party = party_create(actor=admin, data={"kind": "person", "first_name": "Lucía", "last_name": "Bench Tiempo Real"})
        token = AccessToken.for_user(admin)
        token["tenant"] = schema
    return {"admin": admin, "party": party, "token": str(token), "key": f"crm.party.{party.pk}"}


def _change(schema: str, admin, party_pk: int, n: int) -> float:
    """Changes the party once; returns the perf_counter() of the commit."""
    from django.db import transaction
    from django_tenants.utils import schema_context

    from apps.crm.models import Party
    from apps.crm.services.parties import party_update

    stamp = {}
    with schema_context(schema):
        with transaction.atomic():
            transaction.on_commit(lambda: stamp.setdefault("commit", time.perf_counter()))
            party = Party.objects.get(pk=party_pk)
            party_update(actor=admin, party=party, data={"notes": f"Ronda {n}"})
    return stamp["commit"]


async def _open(port: int, host: str, path: str, arrivals: list, index: int, ready: asyncio.Event, stop: asyncio.Event,
                closed: dict):
    from websockets.asyncio.client import connect

    try:
        async with connect(f"ws://{host}:{port}{path}", host="127.0.0.1", port=port, open_timeout=60,
                           max_queue=None) as ws:
            first = json.loads(await ws.recv())
            if first.get("type") != "subscribed":
                raise BenchError(f"socket {index}: expected 'subscribed', got {first}")
            ready.set()
            async for raw in ws:
                if json.loads(raw).get("type") == "record.changed":
                    arrivals[index] = time.perf_counter()
                if stop.is_set():
                    break
            if not stop.is_set():
                closed[index] = f"closed by the server ({ws.close_code} {ws.close_reason})".strip()
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # noqa: BLE001 - counted and reported: a socket that dies loses what follows
        if not stop.is_set():
            closed[index] = error_text(exc)
        raise


async def _measure(port: int, host: str, setup: dict, schema: str, clients: int, rounds: int) -> dict:
    path = f"/ws/records/?key={setup['key']}&token={setup['token']}"
    arrivals: list = [None] * clients
    closed: dict[int, str] = {}  # sockets that ended before the measure did, and why
    stop = asyncio.Event()
    tasks, readies = [], []
    t0 = time.perf_counter()
    for start in range(0, clients, CONNECT_BATCH):
        batch = []
        for index in range(start, min(clients, start + CONNECT_BATCH)):
            ready = asyncio.Event()
            readies.append(ready)
            batch.append(ready)
            tasks.append(asyncio.create_task(_open(port, host, path, arrivals, index, ready, stop, closed)))
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in batch)), timeout=120)
    connect_s = time.perf_counter() - t0
    last, middle, missing = [], [], 0
    for n in range(rounds + 1):  # round 0 warms the path up (first group_send, first queries) and is not kept
        arrivals[:] = [None] * clients
        committed = await asyncio.to_thread(_change, schema, setup["admin"], setup["party"].pk, n)
        deadline = time.perf_counter() + 10
        while any(a is None for a in arrivals) and time.perf_counter() < deadline:
            await asyncio.sleep(0.005)
        got = [a - committed for a in arrivals if a is not None]
        if n == 0:
            continue
        missing += clients - len(got)
        if len(got) < clients:
            step(f"realtime {clients} clients, round {n}: {clients - len(got)} missing, {len(closed)} sockets closed")
        if got:
            last.append(max(got) * 1000)
            middle.append(median(got) * 1000)
        await asyncio.sleep(0.2)  # the next round starts from quiet sockets
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    reasons = sorted({reason for reason in closed.values()})
    return {"clients": clients, "rounds": rounds, "connect_s": connect_s, "missing": missing,
            "sockets_closed": len(closed), "close_reasons": reasons[:5],
            "last_median_ms": median(last), "last_p95_ms": percentile(last, 95),
            "client_median_ms": median(middle), "client_p95_ms": percentile(middle, 95)}


def bench_realtime(*, sizes=(100, 500, 1000), rounds: int = 20) -> dict:
    from bench.http_load import Server
    from bench.provisioning import provision

    if not os.environ.get("REDIS_URL"):
        raise BenchError("figure 10 needs REDIS_URL (the in-memory channel layer does not cross processes)")
    started = time.perf_counter()
    tenant, domain, _wall = provision("rt", use_template=True)
    result = {"schema": tenant.schema_name, "sizes": list(sizes), "errors": {}, "runs": []}
    try:
        setup = _setup(tenant.schema_name, domain)
        with Server() as server:
            step(f"uvicorn up on port {server.port} for figure 10")
            for clients in sizes:
                try:
                    run = asyncio.run(_measure(server.port, domain, setup, tenant.schema_name, clients, rounds))
                    result["runs"].append(run)
                    step(f"realtime {clients} clients: last {run['last_median_ms']:.1f} ms median")
                except Exception as exc:  # noqa: BLE001 - the next size still runs
                    result["errors"][str(clients)] = error_text(exc)
    except Exception as exc:  # noqa: BLE001 - the setup failed: nothing else can run
        result["errors"]["setup"] = error_text(exc)
    finally:
        drop_tenant(tenant)
    return figure_done(result, started)


def realtime_report(rt: dict | None, why: str) -> None:
    """Section 10 of run.py's table. `why` is printed when the figure did not run."""
    if not section_ran(rt, "10. Realtime", why):
        return
    say(f"10. Realtime: one change to N open pages of a record, Redis layer (whole figure {rt['wall_s']:.0f} s)")
    say("   clients | connect (s) | last client: median / p95 (ms) | median client: median / p95 (ms) | lost")
    for run in rt["runs"]:
        say(f"   {run['clients']:>7} | {run['connect_s']:>11.1f} | {run['last_median_ms']:>12.1f} / "
            f"{run['last_p95_ms']:<12.1f} | {run['client_median_ms']:>13.1f} / {run['client_p95_ms']:<10.1f} | "
            f"{run['missing']}")
    for run in rt["runs"]:
        if run.get("sockets_closed"):
            say(f"   {run['clients']} clients: {run['sockets_closed']} sockets closed before the end: "
                + "; ".join(run["close_reasons"]))
    for size, error in (rt["errors"] or {}).items():
        say(f"   {size}: FAILED: {error}")
