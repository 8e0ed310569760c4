"""Figure of the actuarial engines (issue 10): one brokerage of our own (cloned, bench_<pid>_eng).

Set-up (fixture data, not measured): `policies` policies with their versions (bench.insurance_load.seed_policies,
SQL; then an endorsement on every 5th policy and the cancellation versions, seed_endorsements), `claims` claims
(bench.portfolio_load.seed_claims, SQL) with loss dates spread over 20 years, and
`movements` claim movements (half payments, half reserve changes) in SQL over generate_series.
  a) chain-ladder on a 20x20 triangle from the claims data: triangle_from_claims (SQL aggregation per chunk
     of origin years) + chain_ladder (Mack): wall s from claims data to result, and the IBNR;
  b) loss ratio over all policies and claims of the last three years (one SQL aggregation; earned premium
     from running totals per day of change, so the number of periods hardly matters) by line, line x quarter,
     line x month and insurer x product: wall s.
Usage: .venv/bin/python -m bench.engines_load [policies claims movements]  (defaults 500000 100000 1000000)
"""
from __future__ import annotations

import datetime
import sys
import time

from bench.common import drop_tenant, error_text, figure_done, run_part, say, step


def seed_movements(movements: int, schema: str) -> dict:
    from django.db import connection, transaction

    from apps.claims.models import Claim, ClaimPayment, ReserveChange

    started = time.perf_counter()
    c, pay, res = Claim._meta.db_table, ClaimPayment._meta.db_table, ReserveChange._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        # loss dates over the last 20 years (the triangle's origins)
        cursor.execute(f"UPDATE {c} SET loss_date = date_trunc('year', current_date)::date - 1 - ((id * 7919) % 7300)::int, "
                       f"reported_date = date_trunc('year', current_date)::date - 1 - ((id * 7919) % 7300)::int + 5")
        cursor.execute(f"SELECT min(id), count(*) FROM {c}")
        first, claims = cursor.fetchone()
        half = movements // 2
        cursor.execute(f"""
            INSERT INTO {pay} (claim_id, date, amount, payee, payee_name, concept, created_at)
            SELECT cl.id, LEAST(cl.loss_date + ((g * 613) %% 3650)::int, current_date - 1), 50 + (g %% 50) * 10,
                   'policyholder', '', 'bench', now()
            FROM generate_series(0, %(n)s - 1) g
            JOIN {c} cl ON cl.id = %(first)s + (g %% %(claims)s)""", {"n": half, "first": first, "claims": claims})
        cursor.execute(f"""
            INSERT INTO {res} (claim_id, date, previous, amount, reason, created_at)
            SELECT cl.id, LEAST(cl.loss_date + ((g * 389) %% 2000)::int, current_date - 1), 0, 100 + (g %% 30) * 25,
                   'bench', now()
            FROM generate_series(0, %(n)s - 1) g
            JOIN {c} cl ON cl.id = %(first)s + (g %% %(claims)s)""", {"n": movements - half, "first": first, "claims": claims})
        for table in (c, pay, res):
            cursor.execute(f'ANALYZE "{schema}"."{table}"')
    return {"movements": movements, "claims": claims, "seconds": round(time.perf_counter() - started, 1)}


def seed_endorsements(schema: str) -> dict:
    """Mid-term endorsements (every 5th policy, 120 days in, premium x 1.2) and the cancellation versions of
    the cancelled policies, so the loss ratio's earned premium follows versions as in real portfolios."""
    from django.db import connection, transaction

    from apps.insurance.models import Policy, PolicyVersion

    started = time.perf_counter()
    p, v = Policy._meta.db_table, PolicyVersion._meta.db_table
    columns = ("number, kind, effective_date, reason, risk_data, risk_summary, insured, beneficiaries, coverages, "
               "net_premium, ips, consorcio, clea, total_premium, created_at, policy_id")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO {v} ({columns})
            SELECT (SELECT max(number) FROM {v} x WHERE x.policy_id = p.id) + 1, 'endorsement', p.start_date + 120,
                   'bench', '{{}}', '', '[]', '[]', '[]', round(p.net_premium * 1.2, 2), 0, 0, 0,
                   round(p.net_premium * 1.2, 2), now(), p.id
            FROM {p} p WHERE mod(p.id, 5) = 0 AND p.start_date + 120 <= COALESCE(p.cancellation_date, p.expiry_date)""")
        endorsements = cursor.rowcount
        cursor.execute(f"""
            INSERT INTO {v} ({columns})
            SELECT (SELECT max(number) FROM {v} x WHERE x.policy_id = p.id) + 1, 'cancellation', p.cancellation_date,
                   'bench', '{{}}', '', '[]', '[]', '[]', 0, 0, 0, 0, 0, now(), p.id
            FROM {p} p WHERE p.cancellation_date IS NOT NULL""")
        cancellations = cursor.rowcount
        cursor.execute(f'ANALYZE "{schema}"."{v}"')
    return {"endorsements": endorsements, "cancellations": cancellations,
            "seconds": round(time.perf_counter() - started, 1)}


def bench_chain_ladder() -> dict:
    from apps.engines.services.chain_ladder import chain_ladder
    from apps.engines.services.triangles import triangle_from_claims

    today = datetime.date.today()
    out = {}
    for kind in ("paid", "incurred"):
        t0 = time.perf_counter()
        tri = triangle_from_claims(date_from=datetime.date(today.year - 20, 1, 1),
                                   date_to=datetime.date(today.year - 1, 12, 31), unit="year")
        t1 = time.perf_counter()
        cl = chain_ladder(tri.get(kind), mack=True)
        t2 = time.perf_counter()
        out[kind] = {"shape": list(tri.get(kind).shape), "triangle_s": round(t1 - t0, 2), "chain_ladder_s": round(t2 - t1, 3),
                     "total_s": round(t2 - t0, 2), "ibnr_total": round(cl.ibnr_total, 2),
                     "mack_total_se": round(cl.mack_total_se or 0, 2), "claims": tri.claims}
    return out


def bench_loss_ratio() -> dict:
    from apps.engines.services.loss_ratio import loss_ratio

    today = datetime.date.today()
    out = {}
    for name, group_by, period in (("by_line", ["line"], "quarter"), ("by_line_quarter", ["line", "period"], "quarter"),
                                   ("by_line_month", ["line", "period"], "month"),
                                   ("by_insurer_product", ["insurer", "product"], "quarter")):
        t0 = time.perf_counter()
        rows = loss_ratio(date_from=datetime.date(today.year - 3, 1, 1), date_to=today, group_by=group_by,
                          period=period)
        out[name] = {"seconds": round(time.perf_counter() - t0, 2), "rows": len(rows)}
    return out


def bench_engines(*, policies: int = 500_000, claims: int = 100_000, movements: int = 1_000_000) -> dict:
    from django_tenants.utils import schema_context

    from apps.identity.models import User
    from bench.insurance_load import make_catalog, make_users, seed_policies
    from bench.portfolio_load import seed_claims
    from bench.provisioning import provision

    started = time.perf_counter()
    tenant, domain, _wall = provision("eng", use_template=True)
    schema = tenant.schema_name
    result = {"policies": policies, "claims": claims, "movements": movements, "schema": schema, "errors": {}}
    errors = result["errors"]
    try:
        with schema_context(schema):
            admin = User.objects.get(email=f"admin@{domain}")
            users = make_users(admin, domain)
            catalog = make_catalog(admin)
        step(f"eng tenant {schema}: seeding {policies} policies, {claims} claims, {movements} movements")
        run_part("seed_policies", lambda: seed_policies(catalog, users, policies, schema), schema=schema,
                 result=result, errors=errors, label="eng")
        run_part("seed_endorsements", lambda: seed_endorsements(schema), schema=schema, result=result,
                 errors=errors, label="eng")
        run_part("seed_claims", lambda: seed_claims(users, claims, schema), schema=schema, result=result,
                 errors=errors, label="eng")
        run_part("seed_movements", lambda: seed_movements(movements, schema), schema=schema, result=result,
                 errors=errors, label="eng")
        run_part("chain_ladder", bench_chain_ladder, schema=schema, result=result, errors=errors, label="eng")
        run_part("loss_ratio", bench_loss_ratio, schema=schema, result=result, errors=errors, label="eng")
    except Exception as exc:  # noqa: BLE001
        errors["setup"] = error_text(exc)
    finally:
        drop_tenant(tenant)
    return figure_done(result, started)


def engines_report(result: dict) -> None:
    say(f"Actuarial engines (brokerage {result['schema']}, whole figure {result['wall_s']:.0f} s)")
    for kind, fig in (result.get("chain_ladder") or {}).items():
        say(f"  chain-ladder {kind} {fig['shape'][0]}x{fig['shape'][1]} from {result['movements']} movements: "
            f"{fig['total_s']} s (triangle SQL {fig['triangle_s']} s, chain-ladder+Mack {fig['chain_ladder_s']} s), "
            f"IBNR {fig['ibnr_total']:,.2f}")
    versions = result.get("seed_endorsements") or {}
    for name, fig in (result.get("loss_ratio") or {}).items():
        say(f"  loss ratio {name} over {result['policies']} policies (+{versions.get('endorsements', 0)} "
            f"endorsements) / {result['claims']} claims: {fig['seconds']} s ({fig['rows']} rows)")
    if result.get("errors"):
        say(f"  errors: {result['errors']}")


def run(report) -> None:
    result = bench_engines()
    report["engines"] = result
    engines_report(result)


def main() -> None:
    import django

    django.setup()
    sizes = [int(a) for a in sys.argv[1:4]]
    result = bench_engines(**dict(zip(("policies", "claims", "movements"), sizes)))
    engines_report(result)


if __name__ == "__main__":
    main()
