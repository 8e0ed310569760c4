"""Figure 7 of the bench: receipts, settlements and claims (issue 6: "Generate receipts for 100,000
renewals (through Celery, in chunks): total time and rate; compute one insurer's monthly settlement
over 50,000 receipts; claims board with 100k claims").

One brokerage of our own (cloned, bench_<pid>_pf) with figure 6's catalog (10 insurers, 30 autos
products plus one product of every other line) and users. Then:

a) receipts for `--pf-renewals` renewals: that many policies in force, each the renewal of a
   previous term (renewal_of set), written in SQL with figure 6's seeding (INSERT ... SELECT
   generate_series; the services would write 100k audit events). Their ids go in chunks of 1.000
   as Celery tasks (bench.portfolio.receipts_chunk, which runs apps.collections.tasks.
   receipts_generate_chunk, i.e. receipts_generate_many, and returns how long it took) to a real
   worker subprocess (`celery -A bench.portfolio_load worker -c 2 --pool prefork` on a queue of
   this run) when REDIS_URL is set, eagerly in this process otherwise. Total seconds from the first
   send to the last result, receipts/s, policies/s, per-chunk seconds (median, p95) in the worker.
b) one insurer's monthly settlement over `--pf-settlement-receipts` receipts: that many monthly
   policies of the first insurer with the receipt of last month collected (4 in 5 by the broker),
   its COLLECTION movement and its EARNED commission row, 2 % returned (RETURN movement and
   REVERSED commission row), all in SQL. Then settlement_preview (3 runs) and settlement_close with
   its posting (invoice and entry through accounting): seconds and queries.
c) claims board at `--pf-claims` claims: written in SQL over the policies of a), states spread
   like a real book (40 % closed), three handlers; then the board /siniestros/ and the list
   (first page, filtered by state and insurer) in-process (django.test.Client) as Dirección and
   as Comercial (own clients only: a third of the book): median, p95, queries.

Every part records its own error and the others still run; the brokerage is dropped at the end.
"""
from __future__ import annotations

import datetime
import os
import re
import subprocess
import time
import warnings

from aitcore.celery import app
from bench.common import (
    PID, ROOT, drop_tenant, error_text, figure_done, median, percentile, run_part, say, section_ran, step,
)

CHUNK = 1000
QUEUE = f"bench-{PID}-pf"
WORKER = f"bench-{PID}-pf@%h"
CLAIM_STATES = (["reported"] * 10 + ["in_review"] * 15 + ["accepted"] * 10 + ["rejected"] * 10 + ["paid"] * 10
                + ["closed"] * 40 + ["reopened"] * 5)
CAUSES = ["collision", "theft", "water", "fire", "weather", "glass", "liability", "injury", "assistance", "legal"]


@app.task(name="bench.portfolio.receipts_chunk")
def receipts_chunk(policy_ids: list[int]) -> dict:
    """One chunk of figure 7a, timed inside the worker: H1's task body for these ids."""
    from apps.collections.tasks import receipts_generate_chunk

    started = time.perf_counter()
    made = receipts_generate_chunk.run(policy_ids)
    return {"made": made if isinstance(made, int) else (made or {}).get("receipts"),
            "seconds": time.perf_counter() - started}


def _timings(values: list[float], unit: str = "ms") -> dict:
    scale = 1000 if unit == "ms" else 1
    return {"runs": len(values), f"median_{unit}": round(median(values) * scale, 3 if unit == "s" else 1),
            f"p95_{unit}": round(percentile(values, 95) * scale, 3 if unit == "s" else 1),
            f"max_{unit}": round(max(values) * scale, 3 if unit == "s" else 1)}


def _sql(statement: str, params=None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def _table(model) -> str:
    return model._meta.db_table


# --- a) renewals' receipts through Celery -----------------------------------------------------------

def seed_renewals(catalog: dict, users: dict, count: int, schema: str) -> dict:
    """Figure 6's policies, then made renewal terms: in force, started in the last year, each with a
    previous term (state renewed) it renews."""
    from django.db import transaction

    from apps.insurance.models import Policy, PolicyVersion
    from bench.insurance_load import seed_policies

    started = time.perf_counter()
    seeded = seed_policies(catalog, users, count, schema)
    p, v = _table(Policy), _table(PolicyVersion)
    start = "(current_date - ((id * 31) % 365)::int)"
    with transaction.atomic():
        _sql(f"UPDATE {p} SET state = 'in_force', cancellation_date = NULL, cancellation_reason = '', "
             f"start_date = {start}, expiry_date = ({start} + interval '12 months' - interval '1 day')::date")
        _sql(f"UPDATE {v} ver SET effective_date = pol.start_date FROM {p} pol WHERE pol.id = ver.policy_id")
        _sql(f"""INSERT INTO {p} (created_at, updated_at, version, insurer_id, number, product_id, line_id,
                     policyholder_id, state, start_date, term_months, expiry_date, tacit_renewal, payment_frequency,
                     payment_method, risk_summary, net_premium, total_premium, cancellation_reason, notes)
                 SELECT now(), now(), 1, insurer_id, number, product_id, line_id, policyholder_id, 'renewed',
                     (start_date - interval '12 months')::date, 12, start_date - 1, true, payment_frequency,
                     payment_method, risk_summary, net_premium, total_premium, '', ''
                 FROM {p}""")
        _sql(f"""UPDATE {p} cur SET renewal_of_id = prev.id FROM {p} prev
                 WHERE prev.state = 'renewed' AND cur.state = 'in_force' AND prev.insurer_id = cur.insurer_id
                   AND prev.number = cur.number AND prev.expiry_date = cur.start_date - 1""")
    _sql(f'ANALYZE "{schema}"."{p}"')
    renewals = Policy.objects.filter(renewal_of__isnull=False).count()
    return {**seeded, "renewals": renewals, "previous_terms": Policy.objects.filter(state="renewed").count(),
            "seconds": round(time.perf_counter() - started, 1),
            "method": seeded["method"] + "; then made renewal terms with an INSERT of the previous terms"}


def _worker_start():
    """A real Celery worker on this run's own queue, or None when Celery is eager (no REDIS_URL)."""
    from django.conf import settings

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [str(ROOT / ".venv" / "bin" / "celery"), "-A", "bench.portfolio_load", "worker", "-c", "2",
               "--pool", "prefork", "-Q", QUEUE, "-n", WORKER, "--without-gossip", "--without-mingle",
               "-l", "warning"]
    log = open(ROOT / "bench" / "results" / f"worker-{PID}.log", "w")  # noqa: SIM115 - closed with the worker
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    process.log = log
    name = WORKER.replace("%h", os.uname().nodename)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Celery worker exited with {process.returncode} (log {log.name})")
        if app.control.ping(destination=[name], timeout=1.0):
            return process
    _worker_stop(process)
    raise RuntimeError(f"the Celery worker did not answer within 90 s (log {log.name})")


def _worker_stop(process) -> None:
    if process is None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    process.log.close()


def bench_receipts(schema: str) -> dict:
    from django.db.models import Count
    from django_tenants.utils import schema_context

    from apps.collections.models import Receipt
    from apps.insurance.models import Policy

    ids = list(Policy.objects.filter(renewal_of__isnull=False).order_by("pk").values_list("pk", flat=True))
    chunks = [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    worker = _worker_start()
    try:
        mode = (f"real worker subprocess (celery prefork -c 2, queue {QUEUE}, broker REDIS_URL)" if worker
                else "eager (no REDIS_URL: tasks run in this process)")
        started = time.perf_counter()
        with schema_context(schema):  # tenant-schemas-celery sends the schema with each task
            pending = [receipts_chunk.apply_async(args=[chunk], queue=QUEUE) for chunk in chunks]
        answers = [result.get(timeout=1800) for result in pending]
        wall = time.perf_counter() - started
    finally:
        _worker_stop(worker)
    receipts = Receipt.objects.filter(policy__renewal_of__isnull=False).count()
    kinds = dict(Receipt.objects.values_list("kind").annotate(n=Count("pk")).order_by())
    return {"mode": mode, "policies": len(ids), "chunks": len(chunks), "chunk_size": CHUNK,
            "receipts": receipts, "kinds": kinds, "seconds": round(wall, 1),
            "receipts_per_s": round(receipts / wall), "policies_per_s": round(len(ids) / wall),
            "chunk": _timings([a["seconds"] for a in answers], "s")}


# --- b) one insurer's settlement over 50k receipts ------------------------------------------------------

def seed_settlement(catalog: dict, count: int, schema: str) -> dict:
    """`count` monthly policies of the first insurer, last month's receipt of each collected, in SQL."""
    from django.db import transaction

    from apps.collections.models import CommissionMovement, Receipt, ReceiptMovement
    from apps.insurance.models import CommissionAgreement, Policy

    started = time.perf_counter()
    product = catalog["products"][0]
    insurer = product.insurer
    agreement = CommissionAgreement.objects.filter(insurer=insurer, product__isnull=True).first()
    first = (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    p, r = _table(Policy), _table(Receipt)
    rm, cm = _table(ReceiptMovement), _table(CommissionMovement)
    holder = Policy.objects.values_list("policyholder_id", flat=True).first()
    params = {"count": count, "insurer": insurer.pk, "product": product.pk, "line": product.line_id,
              "holder": holder, "first": first, "last": last, "agreement": agreement.pk if agreement else None}
    with transaction.atomic():
        _sql(f"""INSERT INTO {p} (created_at, updated_at, version, insurer_id, number, product_id, line_id,
                     policyholder_id, state, start_date, term_months, expiry_date, tacit_renewal, payment_frequency,
                     payment_method, risk_summary, net_premium, total_premium, cancellation_reason, notes)
                 SELECT now(), now(), 1, %(insurer)s, 'L' || lpad(g::text, 9, '0'), %(product)s, %(line)s,
                     %(holder)s, 'in_force', s.start, 12, (s.start + interval '12 months' - interval '1 day')::date,
                     true, 'monthly', CASE WHEN g %% 5 = 0 THEN 'insurer' ELSE 'broker_sepa' END, 'Bench liquidación',
                     (40 + g %% 50) * 12, (40 + g %% 50) * 12 * 1.08, '', ''
                 FROM generate_series(1, %(count)s) g
                 CROSS JOIN LATERAL (SELECT (%(first)s::date + (g %% 28) - ((g %% 11) || ' months')::interval)::date
                                     AS start) s""", params)
        _sql(f"""INSERT INTO {r} (created_at, updated_at, version, policy_id, sequence, number, insurer_number,
                     insurer_id, line_id, policyholder_id, kind, is_first_premium, period_start, period_end, due_date,
                     net_premium, ips, consorcio, clea, total_premium, collector, state, collected_amount,
                     collected_on, collected_at, channel, return_reason, agreement_id, commission_rate,
                     commission_amount, advance_offset, notes)
                 SELECT now(), now(), 1, p.id, x.seq, p.number || '/' || lpad(x.seq::text, 3, '0'), '', p.insurer_id,
                     p.line_id, p.policyholder_id, 'renewal', false, x.ps,
                     (x.ps + interval '1 month' - interval '1 day')::date, x.ps, p.net_premium / 12,
                     round(p.net_premium / 12 * 0.08, 2), 0, 0, round(p.net_premium / 12 * 1.08, 2),
                     CASE WHEN p.payment_method = 'insurer' THEN 'insurer' ELSE 'broker' END, 'collected',
                     round(p.net_premium / 12 * 1.08, 2), least(x.ps + 2, %(last)s), now(),
                     CASE WHEN p.payment_method = 'insurer' THEN 'insurer' ELSE 'sepa' END, '', %(agreement)s, 15,
                     round(p.net_premium / 12 * 0.15, 2), 0, ''
                 FROM {p} p CROSS JOIN LATERAL (SELECT (%(first)s::date + (extract(day FROM p.start_date)::int - 1))
                     AS ps, 1 + (extract(year FROM age(%(first)s::date, date_trunc('month', p.start_date)))::int * 12
                     + extract(month FROM age(%(first)s::date, date_trunc('month', p.start_date)))::int) AS seq) x
                 WHERE p.number LIKE 'L%%' AND p.insurer_id = %(insurer)s""", params)
        _sql(f"""INSERT INTO {rm} (receipt_id, insurer_id, kind, date, amount, collector, channel, reason, created_at)
                 SELECT id, insurer_id, 'collection', collected_on, total_premium, collector, channel, '', now()
                 FROM {r} WHERE number LIKE 'L%%'""")
        _sql(f"""INSERT INTO {cm} (receipt_id, policy_id, insurer_id, kind, date, base, rate, amount, description,
                     created_at)
                 SELECT id, policy_id, insurer_id, 'earned', collected_on, net_premium, 15, commission_amount,
                     'Devengo por cobro', now() FROM {r} WHERE number LIKE 'L%%'""")
        # 2 % returned later in the month: the RETURN row and the REVERSED commission row
        _sql(f"""INSERT INTO {rm} (receipt_id, insurer_id, kind, date, amount, collector, channel, reason, reverses_id,
                     created_at)
                 SELECT m.receipt_id, m.insurer_id, 'return', least(m.date + 5, %(last)s), -m.amount, m.collector,
                     m.channel, 'MD06', m.id, now()
                 FROM {rm} m JOIN {r} rc ON rc.id = m.receipt_id
                 WHERE rc.number LIKE 'L%%' AND rc.collector = 'broker' AND rc.policy_id %% 50 = 7""", params)
        _sql(f"""INSERT INTO {cm} (receipt_id, policy_id, insurer_id, kind, date, base, rate, amount, description,
                     reverses_id, created_at)
                 SELECT c.receipt_id, c.policy_id, c.insurer_id, 'reversed', least(c.date + 5, %(last)s), c.base,
                     c.rate, -c.amount, 'Retrocesión por devolución', c.id, now()
                 FROM {cm} c JOIN {r} rc ON rc.id = c.receipt_id
                 WHERE rc.number LIKE 'L%%' AND rc.collector = 'broker' AND rc.policy_id %% 50 = 7""", params)
        _sql(f"""UPDATE {r} SET state = 'returned', collected_amount = 0, returned_on = least(collected_on + 5,
                     %(last)s), return_reason = 'MD06'
                 WHERE number LIKE 'L%%' AND collector = 'broker' AND policy_id %% 50 = 7""", params)
    for table in (p, r, rm, cm):
        _sql(f'ANALYZE "{schema}"."{table}"')
    receipts = Receipt.objects.filter(insurer=insurer, number__startswith="L")
    return {"insurer": str(insurer), "insurer_id": insurer.pk, "period_start": first.isoformat(),
            "period_end": last.isoformat(), "receipts": receipts.count(),
            "returned": receipts.filter(state="returned").count(),
            "broker_collected": receipts.filter(collector="broker").count(),
            "receipt_movements": ReceiptMovement.objects.filter(insurer=insurer).count(),
            "commission_rows": CommissionMovement.objects.filter(insurer=insurer).count(),
            "seconds": round(time.perf_counter() - started, 1)}


def bench_settlement(admin, seed: dict, runs: int = 3) -> dict:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from apps.accounting.services import fiscal_year_for_calendar_year
    from apps.collections.services.settlements import settlement_close, settlement_preview
    from apps.insurance.models import Insurer

    insurer = Insurer.objects.get(pk=seed["insurer_id"])
    first, last = datetime.date.fromisoformat(seed["period_start"]), datetime.date.fromisoformat(seed["period_end"])
    close_date = last + datetime.timedelta(days=5)
    for year in {last.year, close_date.year}:
        fiscal_year_for_calendar_year(actor=admin, year=year)
    times, queries = [], None
    for _ in range(runs):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            draft = settlement_preview(insurer=insurer, period_start=first, period_end=last)
        times.append(time.perf_counter() - started)
        queries = len(captured)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        settlement = settlement_close(actor=admin, insurer=insurer, period_start=first, period_end=last,
                                      date=close_date)
    close_s = time.perf_counter() - started
    figures = {k: str(getattr(settlement, k)) for k in ("premiums_collected", "commission_on_collected",
                                                        "commission_insurer_collected", "commission_total",
                                                        "amount_due")}
    lines = getattr(draft, "lines", None)
    return {"preview": {**_timings(times, "s"), "queries": queries,
                        "lines": len(lines) if lines is not None else None},
            "close": {"seconds": round(close_s, 2), "queries": len(captured), "number": settlement.number,
                      "entry": bool(settlement.entry_id), "invoice": bool(settlement.invoice_id)},
            "figures": figures}


# --- c) claims board at 100k --------------------------------------------------------------------------

def seed_claims(users: dict, count: int, schema: str) -> dict:
    from django.db import transaction

    from apps.claims.models import Claim
    from apps.insurance.models import Policy

    started = time.perf_counter()
    c, p = _table(Claim), _table(Policy)
    handlers = [users["admin"].pk, users["manager"].pk, users["comercial"].pk]
    with transaction.atomic():
        _sql(f"""INSERT INTO {c} (created_at, updated_at, version, number, policy_id, insurer_id, line_id,
                     policyholder_id, state, loss_date, reported_date, cause, coverage_code, coverage_name,
                     description, location, insurer_claim_number, adjuster_name, adjuster_phone, adjuster_email,
                     handler_id, reserve, paid_total, rejection_reason, closed_on)
                 SELECT now(), now(), 1, 'S-B-' || lpad(g::text, 8, '0'), pol.id, pol.insurer_id, pol.line_id,
                     pol.policyholder_id, (%(states)s::text[])[1 + g %% 100], x.loss, x.loss + (g %% 10),
                     (%(causes)s::text[])[1 + g %% 10], 'rc', 'Responsabilidad civil', 'Siniestro de prueba ' || g,
                     '', '', '', '', '', (%(handlers)s::int[])[1 + g %% 3], 500 + (g %% 40) * 100,
                     CASE WHEN (%(states)s::text[])[1 + g %% 100] IN ('paid', 'closed') THEN 300 + (g %% 20) * 10
                          ELSE 0 END,
                     CASE WHEN (%(states)s::text[])[1 + g %% 100] = 'rejected' THEN 'Fuera de cobertura' ELSE '' END,
                     CASE WHEN (%(states)s::text[])[1 + g %% 100] = 'closed' THEN x.loss + 60 END
                 FROM generate_series(1, %(count)s) g
                 JOIN (SELECT id, insurer_id, line_id, policyholder_id, row_number() OVER (ORDER BY id) AS n
                       FROM {p} WHERE state = 'in_force') pol ON pol.n = 1 + g %% (SELECT count(*) FROM {p}
                                                                                  WHERE state = 'in_force')
                 CROSS JOIN LATERAL (SELECT current_date - 10 - ((g * 37) %% 1000)::int AS loss) x""",
             {"states": CLAIM_STATES, "causes": CAUSES, "handlers": handlers, "count": count})
    _sql(f'ANALYZE "{schema}"."{c}"')
    comercial = Claim.objects.filter(policyholder__account_manager=users["comercial"]).count()
    return {"claims": Claim.objects.count(), "comercial_sees": comercial,
            "seconds": round(time.perf_counter() - started, 1)}


def bench_claim_pages(domain: str, users: dict, schema: str, insurer_id: int, *, requests: int,
                      warmup: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django_tenants.utils import schema_context

    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    clients = {}
    with schema_context(schema):
        for name in ("manager", "comercial"):
            clients[name] = Client(HTTP_HOST=domain)
            clients[name].force_login(users[name])
        board, listing = reverse("claims:board"), reverse("claims:claim-list")
    filters = f"state=in_review&insurer={insurer_id}"
    plan = {"board_direccion": ("manager", board), "board_comercial": ("comercial", board),
            "list_direccion": ("manager", listing), "list_filtered_direccion": ("manager", f"{listing}?{filters}"),
            "list_filtered_comercial": ("comercial", f"{listing}?{filters}")}
    cases, times, failed = {}, {}, {}
    for name, (who, path) in plan.items():
        try:
            response = clients[who].get(path)
            if response.status_code != 200:
                raise RuntimeError(f"GET {path} answered HTTP {response.status_code}")
            for _ in range(warmup):
                clients[who].get(path)
            with CaptureQueriesContext(connection) as queries:
                response = clients[who].get(path)
            slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
            cases[name] = {"user": "direccion" if who == "manager" else who, "path": path, "queries": len(queries),
                           "bytes": len(response.content),
                           "rows": len(set(re.findall(r'href="/siniestros/(\d+)/"', response.content.decode()))),
                           "slowest_query_ms": round(float(slowest["time"]) * 1000, 1),
                           "slowest_query": re.sub(r"^SELECT .*? FROM", "SELECT ... FROM", slowest["sql"], count=1,
                                                   flags=re.S)[:500]}
            times[name] = []
        except Exception as exc:  # noqa: BLE001 - this case fails, the others go on
            failed[name] = error_text(exc)
    for _ in range(requests):  # round-robin: a slow moment of the machine hits every case
        for name in list(times):
            who, path = plan[name]
            started = time.perf_counter()
            response = clients[who].get(path)
            times[name].append(time.perf_counter() - started)
    for name, values in times.items():
        cases[name].update(requests=len(values), **_timings(values))
    return {"requests": requests, "warmup": warmup, "cases": cases, "failed": failed or None}


# --- the figure -------------------------------------------------------------------------------------

def bench_portfolio(*, renewals: int = 100_000, settlement_receipts: int = 50_000, claims: int = 100_000,
                    requests: int = 30, warmup: int = 3) -> dict:
    from django_tenants.utils import schema_context

    from apps.identity.models import User
    from bench.insurance_load import make_catalog, make_users
    from bench.provisioning import provision

    started = time.perf_counter()
    tenant, domain, _wall = provision("pf", use_template=True)
    schema = tenant.schema_name
    result = {"renewals": renewals, "settlement_receipts": settlement_receipts, "claims": claims, "schema": schema,
              "host": domain, "errors": {}}
    errors = result["errors"]
    try:
        with schema_context(schema):
            admin = User.objects.get(email=f"admin@{domain}")
            users = make_users(admin, domain)
            catalog = make_catalog(admin)
        step(f"pf tenant {schema} on Host {domain}: catalog of figure 6 through the services")
        run_part("seed_renewals", lambda: seed_renewals(catalog, users, renewals, schema), schema=schema,
                 result=result, errors=errors, label="pf")
        if result.get("seed_renewals"):
            run_part("receipts", lambda: bench_receipts(schema), schema=schema, result=result, errors=errors,
                     label="pf")
        run_part("seed_settlement", lambda: seed_settlement(catalog, settlement_receipts, schema), schema=schema,
                 result=result, errors=errors, label="pf")
        if result.get("seed_settlement"):
            run_part("settlement", lambda: bench_settlement(admin, result["seed_settlement"]), schema=schema,
                     result=result, errors=errors, label="pf")
        if result.get("seed_renewals"):
            run_part("seed_claims", lambda: seed_claims(users, claims, schema), schema=schema, result=result,
                     errors=errors, label="pf")
        if result.get("seed_claims"):
            insurer_id = catalog["insurers"][0].pk
            run_part("claim_pages", lambda: bench_claim_pages(domain, users, schema, insurer_id, requests=requests,
                                                              warmup=warmup),
                     schema=schema, result=result, errors=errors, label="pf")
            if result["claim_pages"] and result["claim_pages"]["failed"]:
                errors.update({f"claim_pages.{k}": v for k, v in result["claim_pages"]["failed"].items()})
    except Exception as exc:  # noqa: BLE001 - the setup failed: nothing else can run
        errors["setup"] = error_text(exc)
    finally:
        drop_tenant(tenant)
    return figure_done(result, started)


# --- report ---------------------------------------------------------------------------------------------

PAGE_LABELS = {
    "board_direccion": "board /siniestros/ (direccion)",
    "board_comercial": "board as comercial (own clients)",
    "list_direccion": "list, first page (direccion)",
    "list_filtered_direccion": "list ?state=in_review&insurer (direccion)",
    "list_filtered_comercial": "same filters as comercial",
}


def portfolio_report(pf: dict | None, why: str) -> None:
    """Section 7 of run.py's table. `why` is printed when the figure did not run."""
    if not section_ran(pf, "7. Receipts, settlements, claims", why):
        return
    say(f"7. Receipts, settlements, claims  (brokerage {pf['schema']}, whole figure {pf['wall_s']:.0f} s)")
    seed, rec = pf.get("seed_renewals"), pf.get("receipts")
    if seed:
        say(f"   seed: {seed['renewals']} renewal terms (+ {seed['previous_terms']} previous terms), "
            f"{seed['parties']} parties in {seed['seconds']:.1f} s (SQL)")
    if rec:
        c = rec["chunk"]
        say(f"   a) receipts for {rec['policies']} renewals in {rec['chunks']} Celery tasks of {rec['chunk_size']}: "
            f"{rec['mode']}")
        say(f"      {rec['receipts']} receipts in {rec['seconds']:.1f} s: {rec['receipts_per_s']} receipts/s, "
            f"{rec['policies_per_s']} policies/s; chunk in the worker median {c['median_s']:.2f} s, "
            f"p95 {c['p95_s']:.2f} s, max {c['max_s']:.2f} s")
    elif "receipts" in pf["errors"]:
        say(f"   a) FAILED: {pf['errors']['receipts']}")
    sseed, sett = pf.get("seed_settlement"), pf.get("settlement")
    if sseed:
        say(f"   b) settlement of {sseed['insurer']} {sseed['period_start']}..{sseed['period_end']}: "
            f"{sseed['receipts']} receipts ({sseed['broker_collected']} collected by the broker, {sseed['returned']} "
            f"returned), {sseed['receipt_movements']} receipt movements, {sseed['commission_rows']} commission rows "
            f"(seeded in {sseed['seconds']:.1f} s)")
    if sett:
        p, c = sett["preview"], sett["close"]
        say(f"      settlement_preview: median {p['median_s']:.2f} s, p95 {p['p95_s']:.2f} s ({p['runs']} runs), "
            f"{p['queries']} queries, {p['lines']} lines")
        say(f"      settlement_close with posting: {c['seconds']:.2f} s, {c['queries']} queries ({c['number']}; "
            f"entry {'yes' if c['entry'] else 'no'}, invoice {'yes' if c['invoice'] else 'no'})")
        f = sett["figures"]
        say(f"      premiums {f['premiums_collected']}, commission {f['commission_total']}, "
            f"amount due {f['amount_due']} EUR")
    elif "settlement" in pf["errors"]:
        say(f"      FAILED: {pf['errors']['settlement']}")
    cseed, pages = pf.get("seed_claims"), pf.get("claim_pages")
    if cseed:
        say(f"   c) {cseed['claims']} claims seeded in {cseed['seconds']:.1f} s (SQL); comercial sees "
            f"{cseed['comercial_sees']}")
    if pages:
        say(f"      in-process django.test.Client (Host {pf['host']}); {pages['requests']} requests per case after "
            f"{pages['warmup']} warm-up, round-robin")
        say(f"      {'case':<46}{'median ms':>10}{'p95 ms':>9}{'queries':>9}{'rows':>6}")
        for key, label in PAGE_LABELS.items():
            c = pages["cases"].get(key)
            if c:
                say(f"      {label:<46}{c['median_ms']:>10.1f}{c['p95_ms']:>9.1f}{c['queries']:>9}{c['rows']:>6}")
            else:
                say(f"      {label:<46}  FAILED: {(pages['failed'] or {}).get(key, 'not run')}")
        slow = sorted(pages["cases"].items(), key=lambda kv: -kv[1]["slowest_query_ms"])[:1]
        for key, c in slow:
            say(f"      slowest query of {key}: {c['slowest_query_ms']:.0f} ms  {c['slowest_query'][:300]}")
