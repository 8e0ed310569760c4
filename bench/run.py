#!/usr/bin/env python
"""AIT-CORE benchmarks, printed side by side in one run (`make bench`; see bench/README.md).

1. Tenant provisioning: clone of the template schema vs plain migrations.
2. HTTP through a real server (uvicorn, loopback): the authenticated API list vs a bare Django
   view returning the same 50 rows, and the same bare view under tenant vs public routing.
3. The whole test suite's wall time (skip with --no-suite).
4. CRM at 100k parties (bench/crm_load.py): list page and API, duplicate check, 10k-row import.
5. Accounting at 1M entry lines (bench/accounting_load.py): entry_post throughput, trial balance vs
   raw SQL, balance sheet, P&L, ledger first page, year-end close.
6. Insurance (bench/insurance_load.py): rating one risk against 30 products of 10 insurers; the
   policy list page and API over 500k policies (first page with filters).
7. Receipts, settlements and claims (bench/portfolio_load.py): receipts for 100k renewals through
   Celery in chunks of 1.000; one insurer's monthly settlement over 50k receipts; the claims board
   and list at 100k claims.
8. Treasury (bench/treasury_load.py): pain.008 of 10.000 debits (create, XML build, XSD validation,
   file size); a Norma 43 statement of 50.000 movements: import and reconcile_auto with the share
   reconciled automatically, proposed and pending.
9. HR (bench/hr_load.py): payroll of 1.000 employees (calculate, post: one entry, pay: pain.001); the
   monthly time report of 300 people with a month of clock records each.
10. Realtime (bench/realtime_load.py): one change to a record reaching N = 100, 500 and 1.000 open
   pages of it over websockets through the Redis channel layer (commit -> last client; needs REDIS_URL).
11. Search (bench/search_load.py): the PostgreSQL backend over 1.000.000 indexed records: bulk load,
   indexing rate of the real path, median and p95 of typical queries as an admin and as a Comercial.
12. Documents (bench/documents_load.py): PDF generation time per document for each template (render, then
   render + store as a document of its record) and a mail merge's letters per second.
13. Actuarial engines (bench/engines_load.py): chain-ladder on a 20x20 triangle built from 1.000.000 claim
   movements (claims data to result); loss ratio over 500k policies and 100k claims.
14. Statistics, finance and ML engines (bench/predictive_load.py): churn fit/validate/score, journal anomalies,
   forecasts, VaR/CVaR (compute cores on synthetic data).
15. Analytics (bench/analytics_load.py): each role's dashboard over the demo data (median, p95, queries).
16. Login with MFA (bench/identity_load.py): password + TOTP sign-in through the pages.
17. API rate limiting (bench/ratelimit_load.py): requests/s with and without the throttle, ratio.
18. GDPR retention (bench/compliance_load.py): a retention run over 100k parties with legal holds.
19. Regulatory (bench/regulatory_load.py): the DEC return and the LDS dashboard.

`--only <section>` runs one figure alone (e.g. `python bench/run.py --only insurance`).

Everything this run creates is named bench_<pid>_* (schemas) / bench-<pid>-* (domains) and is
dropped at the end, also when something fails or the run is interrupted.
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Callable
import json
import os
import platform
import signal
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aitcore.settings.test")

from bench.common import (  # noqa: E402 - after the sys.path line above, for `python bench/run.py`
    DOMAIN_PREFIX, PID, RESULTS_DIR, SCHEMA_PREFIX, BenchError, cleanup, database_check, database_label, say,
    section_ran, stale_runs, step,
)
from bench.accounting_load import accounting_report, bench_accounting  # noqa: E402
from bench.crm_load import bench_crm, crm_report  # noqa: E402
from bench.http_load import bench_http  # noqa: E402
from bench.insurance_load import bench_insurance, insurance_report  # noqa: E402
from bench.portfolio_load import bench_portfolio, portfolio_report  # noqa: E402
from bench.provisioning import bench_provisioning, ensure_platform  # noqa: E402
from bench.treasury_load import bench_treasury, treasury_report  # noqa: E402
from bench.hr_load import bench_hr, hr_report  # noqa: E402
from bench.realtime_load import bench_realtime, realtime_report  # noqa: E402
from bench.search_load import bench_search, search_report  # noqa: E402
from bench.documents_load import bench_documents, documents_report  # noqa: E402
from bench.engines_load import bench_engines, engines_report  # noqa: E402
from bench.predictive_load import bench_predictive, predictive_report  # noqa: E402
from bench.analytics_load import analytics_report, bench_analytics  # noqa: E402
from bench.identity_load import bench_identity, identity_report  # noqa: E402
from bench.ratelimit_load import bench_ratelimit, ratelimit_report  # noqa: E402
from bench.compliance_load import bench_compliance, compliance_report  # noqa: E402
from bench.regulatory_load import bench_regulatory, regulatory_report  # noqa: E402
from bench.suite import bench_suite  # noqa: E402


def _raise_exit(signum, frame):
    raise SystemExit(128 + signum)


# --- report -------------------------------------------------------------------------------------

def _why(errors: dict, section: str) -> str:
    message = errors.get(section) or errors.get("setup") or errors.get("run") or "not run"
    return message if message.startswith("skipped") else f"FAILED: {message}"


def report(meta: dict, prov, http, suite, figures: dict, errors: dict) -> None:
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
    say()
    for figure in FIGURES:
        figure.report(figures.get(figure.section), _why(errors, figure.section))
        say()
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


@dataclass(frozen=True)
class Figure:
    """A figure from 4 on: its bench call (from the parsed arguments) returns a dict whose "errors" lists the
    parts that failed (the other parts still ran); its report prints the section."""

    section: str
    skip_help: str
    run: Callable[[argparse.Namespace], dict]
    report: Callable[[dict | None, str], None]


FIGURES = (
    Figure("crm", "skip figure 4 (CRM at 100k parties)",
           lambda a: bench_crm(parties=a.crm_parties, requests=a.crm_requests, import_rows=a.crm_import_rows),
           crm_report),
    Figure("accounting", "skip figure 5 (accounting at 1M lines)",
           lambda a: bench_accounting(lines=a.acc_lines, entries=a.acc_entries, parties=a.acc_parties,
                                      requests=a.acc_requests), accounting_report),
    Figure("insurance", "skip figure 6 (insurance: rating, 500k policies)",
           lambda a: bench_insurance(policies=a.ins_policies, requests=a.ins_requests,
                                     rating_runs=a.ins_rating_runs), insurance_report),
    Figure("portfolio", "skip figure 7 (receipts for 100k renewals, a 50k-receipt settlement, 100k claims)",
           lambda a: bench_portfolio(renewals=a.pf_renewals, settlement_receipts=a.pf_settlement_receipts,
                                     claims=a.pf_claims, requests=a.pf_requests), portfolio_report),
    Figure("treasury", "skip figure 8 (pain.008 of 10k debits, Norma 43 of 50k movements)",
           lambda a: bench_treasury(debits=a.tr_debits, movements=a.tr_movements), treasury_report),
    Figure("hr", "skip figure 9 (payroll of 1.000, time report of 300)",
           lambda a: bench_hr(employees=a.hr_employees, people=a.hr_people), hr_report),
    Figure("realtime", "skip figure 10 (websocket fan-out to 100/500/1.000 clients; needs REDIS_URL)",
           lambda a: bench_realtime(sizes=a.rt_sizes, rounds=a.rt_rounds), realtime_report),
    Figure("search", "skip figure 11 (search over 1.000.000 records)",
           lambda a: bench_search(records=a.se_records, rounds=a.se_rounds), search_report),
    Figure("documents", "skip figure 12 (PDF generation time per document)",
           lambda a: bench_documents(runs=a.doc_runs, merge_parties=a.doc_merge_parties), documents_report),
    Figure("engines", "skip figure 13 (chain-ladder from 1M movements, loss ratio over 500k policies)",
           lambda a: bench_engines(policies=a.eng_policies, claims=a.eng_claims, movements=a.eng_movements),
           lambda data, why: section_ran(data, "Actuarial engines", why) and engines_report(data)),
    Figure("predictive", "skip figure 14 (statistics, finance and ML engines)",
           lambda a: bench_predictive(renewals=a.pred_renewals, policies=a.pred_renewals, entries=a.pred_entries),
           predictive_report),
    Figure("analytics", "skip figure 15 (dashboards over the demo data)",
           lambda a: bench_analytics(requests=a.an_requests), analytics_report),
    Figure("identity", "skip figure 16 (login with MFA)",
           lambda a: bench_identity(logins=a.id_logins), identity_report),
    Figure("ratelimit", "skip figure 17 (API with and without rate limiting)",
           lambda a: bench_ratelimit(requests=a.requests, warmup=a.warmup, concurrency=a.concurrency,
                                     rounds=a.rounds), ratelimit_report),
    Figure("compliance", "skip figure 18 (retention run over 100k parties)",
           lambda a: bench_compliance(parties=a.gdpr_parties), compliance_report),
    Figure("regulatory", "skip figure 19 (DEC return and LDS dashboard)",
           lambda a: bench_regulatory(policies=a.reg_policies), regulatory_report),
)
SECTIONS = ("provisioning", "http", "suite") + tuple(figure.section for figure in FIGURES)


def _run_figure(figure: Figure, args, errors: dict) -> dict | None:
    try:
        data = figure.run(args)
    except Exception as exc:  # noqa: BLE001 - report it and go on with the other figures
        errors[figure.section] = f"{type(exc).__name__}: {exc}"
        return None
    if data.get("errors"):
        errors[figure.section] = "; ".join(f"{k}: {v}" for k, v in data["errors"].items())
    return data


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="AIT-CORE benchmarks (see bench/README.md).")
    parser.add_argument("--no-suite", action="store_true", help="skip the test-suite timing (it takes minutes)")
    parser.add_argument("--no-provisioning", action="store_true", help="skip figure 1")
    parser.add_argument("--no-http", action="store_true", help="skip figure 2")
    parser.add_argument("--crm-parties", type=int, default=100_000, help="parties seeded for figure 4 (default 100000)")
    parser.add_argument("--crm-requests", type=int, default=30, help="measured requests per CRM list case (default 30)")
    parser.add_argument("--crm-import-rows", type=int, default=10_000, help="rows of the CRM import (default 10000)")
    parser.add_argument("--acc-lines", type=int, default=1_000_000, help="entry lines bulk-loaded for figure 5 (default 1000000)")
    parser.add_argument("--acc-entries", type=int, default=2000, help="entries posted through entry_post (default 2000)")
    parser.add_argument("--acc-parties", type=int, default=1000, help="client subaccounts for figure 5 (default 1000)")
    parser.add_argument("--acc-requests", type=int, default=10, help="measured runs per report case (default 10)")
    parser.add_argument("--ins-policies", type=int, default=500_000, help="policies generated for figure 6 (default 500000)")
    parser.add_argument("--ins-requests", type=int, default=30, help="measured requests per policy list case (default 30)")
    parser.add_argument("--ins-rating-runs", type=int, default=50, help="measured runs per rating case (default 50)")
    parser.add_argument("--pf-renewals", type=int, default=100_000,
                        help="renewals whose receipts are generated through Celery for figure 7 (default 100000)")
    parser.add_argument("--pf-settlement-receipts", type=int, default=50_000,
                        help="receipts of the insurer's monthly settlement for figure 7 (default 50000)")
    parser.add_argument("--pf-claims", type=int, default=100_000, help="claims seeded for figure 7 (default 100000)")
    parser.add_argument("--pf-requests", type=int, default=30, help="measured requests per claims page case (default 30)")
    parser.add_argument("--tr-debits", type=int, default=10_000, help="debits of figure 8's pain.008 (default 10000)")
    parser.add_argument("--tr-movements", type=int, default=50_000,
                        help="movements of figure 8's Norma 43 statement (default 50000)")
    parser.add_argument("--hr-employees", type=int, default=1000, help="employees of figure 9's payroll (default 1000)")
    parser.add_argument("--hr-people", type=int, default=300, help="people of figure 9's time report (default 300)")
    parser.add_argument("--rt-sizes", default="100,500,1000", help="clients per record of figure 10 (default 100,500,1000)")
    parser.add_argument("--rt-rounds", type=int, default=20, help="changes measured per size of figure 10 (default 20)")
    parser.add_argument("--se-records", type=int, default=1_000_000, help="index entries of figure 11 (default 1000000)")
    parser.add_argument("--se-rounds", type=int, default=20, help="runs of each typical query of figure 11 (default 20)")
    parser.add_argument("--doc-runs", type=int, default=20, help="renders of each PDF template for figure 12 (default 20)")
    parser.add_argument("--doc-merge-parties", type=int, default=200,
                        help="parties of figure 12's mail merge (default 200; 0 skips it)")
    parser.add_argument("--eng-policies", type=int, default=500_000, help="policies of figure 13 (default 500000)")
    parser.add_argument("--eng-claims", type=int, default=100_000, help="claims of figure 13 (default 100000)")
    parser.add_argument("--eng-movements", type=int, default=1_000_000,
                        help="claim movements of figure 13's triangle (default 1000000)")
    parser.add_argument("--pred-renewals", type=int, default=100_000,
                        help="renewals fitted and policies scored by figure 14's churn model (default 100000)")
    parser.add_argument("--pred-entries", type=int, default=50_000, help="journal entries of figure 14 (default 50000)")
    parser.add_argument("--an-requests", type=int, default=30, help="requests per dashboard of figure 15 (default 30)")
    parser.add_argument("--id-logins", type=int, default=50, help="MFA logins measured by figure 16 (default 50)")
    parser.add_argument("--gdpr-parties", type=int, default=100_000, help="parties of figure 18 (default 100000)")
    parser.add_argument("--reg-policies", type=int, default=3000, help="policies of figure 19 (default 3000)")
    for figure in FIGURES:
        parser.add_argument(f"--no-{figure.section}", action="store_true", help=figure.skip_help)
    parser.add_argument("--only", choices=SECTIONS, help="run this figure alone (the others are skipped)")
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
    if args.only:
        for section in SECTIONS:
            if section != args.only:
                setattr(args, f"no_{section}", True)
    if min(args.ins_policies, args.ins_requests, args.ins_rating_runs) < 1:
        parser.error("--ins-policies, --ins-requests and --ins-rating-runs must be >= 1")
    if min(args.pf_renewals, args.pf_settlement_receipts, args.pf_claims, args.pf_requests) < 1:
        parser.error("--pf-renewals, --pf-settlement-receipts, --pf-claims and --pf-requests must be >= 1")
    if args.tr_debits < 1 or args.tr_movements < 1000:
        parser.error("--tr-debits must be >= 1 and --tr-movements >= 1000")
    try:
        args.rt_sizes = [int(size) for size in args.rt_sizes.split(",")]
    except ValueError:
        parser.error("--rt-sizes must be numbers separated by commas, e.g. 100,500,1000")
    if min(args.rt_sizes) < 1 or args.rt_rounds < 1:
        parser.error("--rt-sizes and --rt-rounds must be >= 1")
    if args.se_records < 10_000 or args.se_rounds < 1:
        parser.error("--se-records must be >= 10000 and --se-rounds >= 1")
    if args.hr_employees < 1 or not 1 <= args.hr_people <= args.hr_employees:
        parser.error("--hr-employees must be >= 1 and --hr-people between 1 and --hr-employees")
    if min(args.runs, args.requests, args.concurrency, args.rounds, args.crm_parties, args.crm_requests,
           args.crm_import_rows, args.acc_lines, args.acc_entries, args.acc_parties, args.acc_requests) < 1 \
            or args.warmup < 0:
        parser.error("--runs, --requests, --concurrency, --rounds and the --crm-* counts must be >= 1, --warmup >= 0")
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
    figures: dict[str, dict | None] = {}
    errors: dict[str, str] = {}
    interrupted = None
    try:
        if args.no_provisioning:
            errors["provisioning"] = "skipped (--no-provisioning)"
        if args.no_http:
            errors["http"] = "skipped (--no-http)"
        for figure in FIGURES:
            if getattr(args, f"no_{figure.section}"):
                errors[figure.section] = f"skipped (--no-{figure.section})"
        platform_ready = False
        if not (args.no_provisioning and args.no_http
                and all(getattr(args, f"no_{figure.section}") for figure in FIGURES)):
            try:
                step(f"platform: {ensure_platform()}")
                platform_ready = True
            except Exception as exc:  # noqa: BLE001 - reported; figures 1, 2 and 4 need it
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
        for figure in FIGURES:
            if platform_ready and not getattr(args, f"no_{figure.section}"):
                figures[figure.section] = _run_figure(figure, args, errors)
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
    report(meta, prov, http, suite, figures, {**skipped, **failures})
    summary = {"bench": "aitcore", **meta, "provisioning": prov, "http": http, "suite": suite,
               **{figure.section: figures.get(figure.section) for figure in FIGURES},
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
