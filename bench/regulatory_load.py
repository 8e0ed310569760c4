"""Figure «Regulatorio» (issue 12, items 7-8): the LDS compliance dashboard and the DEC over the demo
book at `policies` policies (bench/run.py wiring is the lead's: bench_regulatory + regulatory_report).

One brokerage of our own (cloned, bench_<pid>_regulatory). Set-up through the demo seeders (fixture
data, not the behaviour measured): insurance_demo_seed(policies), collections_demo_seed (receipts,
collections, settlements; no renewals) and regulatory_demo_seed (four duties per policy, some missing).
  a) compliance_counts (the counters) and the first page of missing_policies (50 rows): wall s, queries;
  b) dec_return for last year and this year: wall s, queries, premiums/commissions/receipts figures and
     whether every check against the books is zero.
Run alone: .venv/bin/python bench/regulatory_load.py [policies]  (prints the figures)."""
from __future__ import annotations

import datetime
import sys
import time

from bench.common import drop_tenant, error_text, figure_done, run_part, say, section_ran
from bench.treasury_load import Queries


def seed_regulatory(admin, policies: int) -> dict:
    from apps.collections.demo import collections_demo_seed
    from apps.insurance.demo import insurance_demo_seed
    from apps.regulatory.demo import regulatory_demo_seed

    from apps.crm.models import Party

    started = time.perf_counter()
    if not Party.objects.filter(status="client").exists():  # the insurance demo places policies with clients
        Party.objects.bulk_create([Party(display_name=f"Cliente Bench {n}", kind="person", tax_id=f"{20000000 + n}",
                                         first_name="Cliente", last_name=f"Bench {n}", status="client",
                                         account_manager=admin) for n in range(max(12, policies // 10))])
    insurance_demo_seed(admin=admin, policies=policies, quotes=0)
    collections_demo_seed(admin=admin, renewals=False)
    done = regulatory_demo_seed(admin=admin)
    return {**done, "seconds": time.perf_counter() - started}


def bench_dashboard(admin) -> dict:
    from apps.regulatory.selectors_lds import compliance_counts, missing_policies

    with Queries() as queries:
        started = time.perf_counter()
        counts = compliance_counts(admin)
        counts_s = time.perf_counter() - started
    with Queries() as page_queries:
        started = time.perf_counter()
        rows = list(missing_policies(admin)[:50])
        page_s = time.perf_counter() - started
    return {"counts_s": counts_s, "counts_queries": len(queries), "total": counts["total"],
            "missing_any": counts["missing_any"], "page_s": page_s, "page_queries": len(page_queries),
            "rows": len(rows)}


def bench_dec() -> dict:
    from apps.regulatory.selectors_dec import dec_return

    years = {}
    this_year = datetime.date.today().year
    for year in (this_year - 1, this_year):
        with Queries() as queries:
            started = time.perf_counter()
            dec = dec_return(year=year)
            seconds = time.perf_counter() - started
        years[year] = {"seconds": seconds, "queries": len(queries), "premiums": str(dec.premiums_net),
                       "receipts": dec.premiums_count, "commissions": str(dec.commissions_total),
                       "collected": str(dec.collected_amount), "funds": str(dec.funds_total),
                       "checks_ok": dec.checks_ok}
    return years


def bench_regulatory(*, policies: int = 3000) -> dict:
    from django_tenants.utils import schema_context

    from apps.identity.models import User
    from bench.provisioning import provision

    started = time.perf_counter()
    tenant, domain, _wall = provision("regulatory", use_template=True)
    schema = tenant.schema_name
    result = {"policies": policies, "schema": schema, "errors": {}}
    errors = result["errors"]
    try:
        with schema_context(schema):
            admin = User.objects.get(email=f"admin@{domain}")
        run_part("seed", lambda: seed_regulatory(admin, policies), schema=schema, result=result, errors=errors,
                 label="regulatory")
        if result.get("seed"):
            run_part("dashboard", lambda: bench_dashboard(admin), schema=schema, result=result, errors=errors,
                     label="regulatory")
            run_part("dec", bench_dec, schema=schema, result=result, errors=errors, label="regulatory")
    except Exception as exc:  # noqa: BLE001 - the setup failed: nothing else can run
        errors["setup"] = error_text(exc)
    finally:
        drop_tenant(tenant)
    return figure_done(result, started)


def regulatory_report(data: dict | None, why: str) -> None:
    if not section_ran(data, "Regulatorio", why):
        return
    say(f"Regulatorio  (brokerage {data['schema']}, {data['policies']} demo policies, whole figure "
        f"{data['wall_s']:.0f} s)")
    seed, board, dec, errors = data.get("seed"), data.get("dashboard"), data.get("dec"), data["errors"] or {}
    if seed:
        say(f"   seed: {seed.get('evidence', 0)} evidence rows ({seed.get('missing', 0)} duties left missing) in "
            f"{seed['seconds']:.0f} s (demo seeders)")
    if board:
        say(f"   a) compliance counts over {board['total']} live policies: {board['counts_s'] * 1000:.0f} ms "
            f"({board['counts_queries']} query); first page of {board['rows']} missing: "
            f"{board['page_s'] * 1000:.0f} ms ({board['page_queries']} query); {board['missing_any']} with a duty missing")
    for year, figures in (dec or {}).items():
        say(f"   b) DEC {year}: {figures['seconds'] * 1000:.0f} ms, {figures['queries']} queries; premiums "
            f"{figures['premiums']} EUR ({figures['receipts']} receipts), commissions {figures['commissions']} EUR, "
            f"collected {figures['collected']} EUR, clients' funds {figures['funds']} EUR; checks "
            f"{'OK' if figures['checks_ok'] else 'DIFFER'}")
    for key, text in errors.items():
        say(f"   {key} FAILED: {text}")


def main() -> None:
    import django

    django.setup()
    policies = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    regulatory_report(bench_regulatory(policies=policies), "")


if __name__ == "__main__":
    main()
