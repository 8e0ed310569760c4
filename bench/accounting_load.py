"""Figure 5 of the bench: the books at 1M entry lines (issue 4: "posting throughput; trial
balance, balance sheet, P&L and ledger over 1M lines").

One brokerage of our own (cloned, bench_<pid>_acc, PGC PYMES books set up at provisioning), with
`--acc-parties` client subaccounts (4300xxxxxx, bulk_create) and two fiscal years (last and this).

a) posting throughput: `--acc-entries` entries of 3, 4 and 5 lines through
   apps.accounting.services.posting.entry_post (validation, gapless numbering under the row
   lock, audit event): entries/s, lines/s, per-entry median and p95, queries per entry.
b) `--acc-lines` lines generated in SQL straight into accounting_entry / accounting_entryline
   (INSERT ... SELECT generate_series; 4 balanced lines per entry, posted, numbered, dated across
   both years, 2 entries in 5 touch the bank so 572 gets 10 % of the lines), then ANALYZE. Then
   trial_balance of this year vs the raw SQL the issue names
   (SELECT account_id, SUM(debit), SUM(credit) ... WHERE is_posted AND date BETWEEN ... GROUP BY
   account_id) and vs a raw SQL doing the selector's work (opening + period per account),
   round-robin, median / p95 and ratios;
c) balance_sheet (at 31/12, with the prior-year column) and profit_and_loss (the year, with the
   prior-year column) over the same data;
d) ledger of the bank account (~10 % of the lines), first page of 100 rows;
e) year-end of last year: year_end_preview and year_end_close (regularisation, closing and
   opening entries built from GROUP BY account, party over its half of the lines).

Every part records its own error and the others still run; the brokerage is dropped at the end.
"""
from __future__ import annotations

import datetime
import time

from bench.common import (
    drop_tenant, error_text, figure_done, median, percentile, run_part, say, section_ran, step,
)

LINES_PER_ENTRY = 4
BANK_CODE = "572"
# Accounts of the generated entries (all leaves of the PGC PYMES chart).
INCOME_CODES = ["705", "759", "769"]
EXPENSE_CODES = ["621", "622", "623", "624", "625", "626", "627", "628", "629", "631", "640", "642", "649", "669"]
OTHER_CODES = ["4100", "465", "4751", "476", "570", "5200"]


def _timings(values: list[float]) -> dict:
    return {"runs": len(values), "median_ms": round(median(values) * 1000, 1),
            "p95_ms": round(percentile(values, 95) * 1000, 1), "max_ms": round(max(values) * 1000, 1)}


# --- setup -----------------------------------------------------------------------------------------

def make_books(parties: int, year: int) -> dict:
    """Client parties with their 4300 subaccounts (bulk), and the fiscal years `year` - 1 and `year`."""
    from apps.accounting.models import Account, AccountingSettings
    from apps.accounting.services import fiscal_year_for_calendar_year
    from apps.crm.models import Party

    previous = fiscal_year_for_calendar_year(actor=None, year=year - 1)
    current = fiscal_year_for_calendar_year(actor=None, year=year)
    objs = [Party(kind="company", status="client", company_name=f"Cliente Bench {i:05d}, S.L.",
                  display_name=f"Cliente Bench {i:05d}, S.L.") for i in range(1, parties + 1)]
    Party.objects.bulk_create(objs, batch_size=5000)
    base = Account.objects.get(code="4300")
    digits = AccountingSettings.objects.values_list("subaccount_digits", flat=True).first() or 10
    accounts = [Account(code="4300" + str(p.pk).zfill(digits - 4), name=p.display_name, parent=base, party=p,
                        layout_tag=base.layout_tag, is_postable=True) for p in objs]
    Account.objects.bulk_create(accounts, batch_size=5000)
    Account.objects.filter(pk=base.pk).update(is_postable=False)
    by_code = dict(Account.objects.filter(code__in=INCOME_CODES + EXPENSE_CODES + OTHER_CODES + [BANK_CODE])
                   .values_list("code", "pk"))
    missing = sorted(set(INCOME_CODES + EXPENSE_CODES + OTHER_CODES + [BANK_CODE]) - set(by_code))
    if missing:
        raise RuntimeError(f"accounts missing from the chart: {missing}")
    return {"previous": previous, "current": current, "clients": [(a.pk, a.party_id) for a in accounts],
            "bank": by_code[BANK_CODE], "income": [by_code[c] for c in INCOME_CODES],
            "expense": [by_code[c] for c in EXPENSE_CODES], "other": [by_code[c] for c in OTHER_CODES]}


# --- a) posting throughput -------------------------------------------------------------------------------

def bench_posting(books: dict, entries: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.accounting.models import Account
    from apps.accounting.services import LineSpec, entry_post

    clients = Account.objects.in_bulk([pk for pk, _party in books["clients"][:200]])
    client_list = list(clients.values())
    year = books["current"]
    layouts = [
        lambda i, c: [LineSpec(c, debit="121.00"), LineSpec("705", credit="100.00"), LineSpec("477", credit="21.00")],
        lambda i, c: [LineSpec("621", debit="1000.00"), LineSpec("472", debit="210.00"),
                      LineSpec("4751", credit="190.00"), LineSpec("4100", credit="1020.00")],
        lambda i, c: [LineSpec("640", debit="3000.00"), LineSpec("642", debit="900.00"),
                      LineSpec("476", credit="1090.00"), LineSpec("4751", credit="450.00"),
                      LineSpec("465", credit="2360.00")],
    ]
    times, lines, queries = [], 0, []
    started = time.perf_counter()
    for i in range(entries):
        specs = layouts[i % 3](i, client_list[i % len(client_list)])
        date = year.start_date + datetime.timedelta(days=i % 365)
        t0 = time.perf_counter()
        if i % 100 == 7:
            with CaptureQueriesContext(connection) as captured:
                entry_post(actor=None, date=date, description=f"Bench {i}", lines=specs)
            queries.append(len(captured))
        else:
            entry_post(actor=None, date=date, description=f"Bench {i}", lines=specs)
        times.append(time.perf_counter() - t0)
        lines += len(specs)
    wall = time.perf_counter() - started
    return {"entries": entries, "lines": lines, "wall_s": round(wall, 2),
            "entries_per_s": round(entries / wall, 1), "lines_per_s": round(lines / wall, 1),
            "queries_per_entry": median(queries), **_timings(times)}


# --- b) bulk load ------------------------------------------------------------------------------------------

ENTRY_SQL = """
INSERT INTO accounting_entry (created_at, updated_at, version, fiscal_year_id, period_id, journal_id, number, date,
                              description, state, kind, source, total, posted_at)
SELECT now(), now(), 1, fy.id, p.id, %(journal)s, fy.last_entry_number + g.n, d.day, 'Bench ' || g.n, 'posted',
       'normal', 'bench.bulk',
       ((k.n * 7919) %% 100000 + 100) / 100.0 + ((k.n * 104729) %% 50000 + 100) / 100.0, now()
FROM accounting_fiscalyear fy
CROSS JOIN LATERAL generate_series(1, %(per_year)s) AS g(n)
CROSS JOIN LATERAL (SELECT (fy.last_entry_number + g.n)::bigint AS n) k
CROSS JOIN LATERAL (SELECT fy.start_date + ((g.n - 1)::bigint * (fy.end_date - fy.start_date + 1) / %(per_year)s)::int
                    AS day) d
JOIN accounting_period p ON p.fiscal_year_id = fy.id AND d.day BETWEEN p.start_date AND p.end_date
WHERE fy.id = %(year)s
"""

LINE_SQL = """
INSERT INTO accounting_entryline (entry_id, line_no, account_id, party_id, debit, credit, description, tax_id,
                                  tax_base, line_of_business, insurer_id, branch, date, is_posted)
SELECT e.id, l.no,
       CASE l.no WHEN 1 THEN (%(clients)s::bigint[])[1 + e.number %% %(nc)s]
                 WHEN 2 THEN (%(income)s::bigint[])[1 + e.number %% %(ni)s]
                 WHEN 3 THEN (%(expense)s::bigint[])[1 + (e.number / 3) %% %(ne)s]
                 ELSE CASE WHEN e.number %% 5 < 2 THEN %(bank)s ELSE (%(other)s::bigint[])[1 + e.number %% %(no)s] END
       END,
       CASE WHEN l.no = 1 THEN (%(parties)s::bigint[])[1 + e.number %% %(nc)s] END,
       CASE l.no WHEN 1 THEN a.amount WHEN 3 THEN b.amount ELSE 0 END,
       CASE l.no WHEN 2 THEN a.amount WHEN 4 THEN b.amount ELSE 0 END,
       '', NULL, NULL, '', NULL, '', e.date, true
FROM accounting_entry e
CROSS JOIN LATERAL (SELECT ((e.number::bigint * 7919) %% 100000 + 100) / 100.0 AS amount) a
CROSS JOIN LATERAL (SELECT ((e.number::bigint * 104729) %% 50000 + 100) / 100.0 AS amount) b
CROSS JOIN (VALUES (1), (2), (3), (4)) AS l(no)
WHERE e.source = 'bench.bulk' AND e.fiscal_year_id = %(year)s
"""


def bulk_load(books: dict, lines: int, schema: str) -> dict:
    from django.db import connection, transaction

    from apps.accounting.models import Journal

    per_year = lines // LINES_PER_ENTRY // 2
    journal = Journal.objects.get(code="GEN").pk
    params = {"journal": journal, "per_year": per_year, "bank": books["bank"],
              "clients": [pk for pk, _party in books["clients"]], "parties": [p for _pk, p in books["clients"]],
              "income": books["income"], "expense": books["expense"], "other": books["other"]}
    params.update(nc=len(params["clients"]), ni=len(params["income"]), ne=len(params["expense"]),
                  no=len(params["other"]))
    started = time.perf_counter()
    for year in (books["previous"], books["current"]):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT last_entry_number FROM accounting_fiscalyear WHERE id = %s FOR UPDATE", [year.pk])
            cursor.execute(ENTRY_SQL, {**params, "year": year.pk})
            cursor.execute(LINE_SQL, {**params, "year": year.pk})
            cursor.execute("UPDATE accounting_fiscalyear SET last_entry_number = last_entry_number + %s WHERE id = %s",
                           [per_year, year.pk])
        step(f"acc bulk: year {year.name} loaded ({time.perf_counter() - started:.1f} s)")
    load_s = time.perf_counter() - started
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f'ANALYZE "{schema}"."accounting_entry", "{schema}"."accounting_entryline"')
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE account_id = %s), sum(debit) - sum(credit), "
                       "pg_total_relation_size('accounting_entryline') FROM accounting_entryline",
                       [books["bank"]])
        total, bank, difference, size = cursor.fetchone()
        cursor.execute("SELECT (SELECT sum(total) FROM accounting_entry WHERE source = 'bench.bulk') = "
                       "(SELECT sum(l.debit) FROM accounting_entryline l JOIN accounting_entry e ON e.id = l.entry_id "
                       "WHERE e.source = 'bench.bulk')")
        totals_match = cursor.fetchone()[0]
    for year in (books["previous"], books["current"]):
        year.refresh_from_db()
    return {"entries": per_year * 2, "lines_total": total, "bank_lines": bank, "debit_minus_credit": str(difference),
            "entry_totals_match_lines": totals_match,
            "load_s": round(load_s, 1), "lines_per_s": round(per_year * 2 * LINES_PER_ENTRY / load_s),
            "analyze_s": round(time.perf_counter() - t0, 1), "table_mb": round(size / 2 ** 20),
            "method": "INSERT ... SELECT generate_series (no services, no audit events)"}


# --- b) trial balance vs raw SQL ------------------------------------------------------------------------

RAW_PERIOD = ("SELECT account_id, SUM(debit), SUM(credit) FROM accounting_entryline "
              "WHERE is_posted AND date BETWEEN %s AND %s GROUP BY account_id")
RAW_SAME_WORK = ("SELECT account_id, SUM(debit - credit) FILTER (WHERE date < %s), "
                 "SUM(debit) FILTER (WHERE date >= %s), "
                 "SUM(credit) FILTER (WHERE date >= %s) FROM accounting_entryline WHERE is_posted AND date <= %s "
                 "GROUP BY account_id")


def _raw(sql: str, params: list) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return len(cursor.fetchall())


def bench_reports(books: dict, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.accounting.models import Account
    from apps.accounting.selectors_books import balance_sheet, ledger, profit_and_loss, trial_balance

    year = books["current"]
    start, end = year.start_date, year.end_date
    bank_code = Account.objects.get(pk=books["bank"]).code
    cases = {
        "trial_balance": lambda: len(trial_balance(date_from=start, date_to=end)["rows"]),
        "raw_period": lambda: _raw(RAW_PERIOD, [start, end]),
        "raw_same_work": lambda: _raw(RAW_SAME_WORK, [start, start, start, end]),
        "trial_balance_level3": lambda: len(trial_balance(date_from=start, date_to=end, level=3)["rows"]),
        "balance_sheet": lambda: len(balance_sheet(date=end, compare=True)["sections"]),
        "profit_and_loss": lambda: len(profit_and_loss(date_from=start, date_to=end, compare=True)["sections"]),
        "ledger_bank_p1": lambda: len(ledger(account=bank_code, date_from=books["previous"].start_date, date_to=end,
                                             page=1, page_size=100)["rows"]),
    }
    result, times = {}, {}
    for name, run in cases.items():  # warm-up, rows and queries of one call
        with CaptureQueriesContext(connection) as captured:
            rows = run()
        result[name] = {"rows": rows, "queries": len(captured)}
        times[name] = []
    for _ in range(requests):  # round-robin: a slow moment of the machine hits every case
        for name, run in cases.items():
            t0 = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - t0)
    for name, values in times.items():
        result[name].update(_timings(values))
    tb, raw, same = (result[k]["median_ms"] for k in ("trial_balance", "raw_period", "raw_same_work"))
    ledger_total = ledger(account=bank_code, date_from=books["previous"].start_date, date_to=end, page_size=1)
    return {"requests": requests, "cases": result, "period": f"{start:%d/%m/%Y}-{end:%d/%m/%Y}",
            "ratio_tb_over_raw_period": round(tb / raw, 2), "ratio_tb_over_raw_same_work": round(tb / same, 2),
            "ledger_account_lines": ledger_total["totals"]["count"]}


# --- e) year-end ------------------------------------------------------------------------------------------

def bench_year_end(books: dict) -> dict:
    from apps.accounting.services.year_end import year_end_close, year_end_preview

    year = books["previous"]
    t0 = time.perf_counter()
    preview = year_end_preview(fiscal_year=year)
    preview_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    done = year_end_close(actor=None, fiscal_year=year)
    close_s = time.perf_counter() - t0
    lines = {kind: done[kind].lines.count() if done[kind] else 0 for kind in ("regularisation", "closing", "opening")}
    return {"year": year.name, "preview_s": round(preview_s, 2), "close_s": round(close_s, 2),
            "result": str(done["result"]), "lines": lines,
            "result_matches_preview": preview["result"] == done["result"]}


# --- the figure -------------------------------------------------------------------------------------------

def bench_accounting(*, lines: int = 1_000_000, entries: int = 2000, parties: int = 1000,
                     requests: int = 10) -> dict:
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from bench.provisioning import provision

    started = time.perf_counter()
    tenant, domain, _wall = provision("acc", use_template=True)
    schema = tenant.schema_name
    result = {"lines": lines, "schema": schema, "errors": {}}
    errors = result["errors"]
    try:
        with schema_context(schema):
            from apps.accounting.services import accounting_setup

            accounting_setup(actor=None, chart=tenant.chart_of_accounts)  # idempotent; provisioning did it
            books = make_books(parties, timezone.localdate().year)
        step(f"acc tenant {schema}: {parties} client subaccounts, years {books['previous'].name} and "
             f"{books['current'].name}")
        for key, run in (
            ("posting", lambda: bench_posting(books, entries)),
            ("bulk", lambda: bulk_load(books, lines, schema)),
            ("reports", lambda: bench_reports(books, requests)),
            ("year_end", lambda: bench_year_end(books)),
        ):
            if key in ("reports", "year_end") and "bulk" in errors:
                continue
            run_part(key, run, schema=schema, result=result, errors=errors, label="acc")
    except Exception as exc:  # noqa: BLE001 - the setup failed: nothing else can run
        errors["setup"] = error_text(exc)
    finally:
        drop_tenant(tenant)
    return figure_done(result, started)


# --- report ------------------------------------------------------------------------------------------------

CASE_LABELS = {
    "trial_balance": "trial_balance (subaccounts, opening + year)",
    "raw_period": "raw SQL GROUP BY account_id, year only",
    "raw_same_work": "raw SQL GROUP BY account_id, opening + year",
    "trial_balance_level3": "trial_balance level=3",
    "balance_sheet": "balance_sheet at 31/12, prior-year column",
    "profit_and_loss": "profit_and_loss of the year, prior-year column",
    "ledger_bank_p1": "ledger 572, both years, page 1 of 100",
}


def accounting_report(acc: dict | None, why: str) -> None:
    """Section 5 of run.py's table. `why` is printed when the figure did not run."""
    if not section_ran(acc, "5. Accounting at 1M entry lines", why):
        return
    say(f"5. Accounting at {acc['lines']} entry lines  (brokerage {acc['schema']}, whole figure {acc['wall_s']:.0f} s)")
    p = acc.get("posting")
    if p:
        say(f"   a) entry_post: {p['entries']} entries / {p['lines']} lines in {p['wall_s']:.1f} s = "
            f"{p['entries_per_s']:.0f} entries/s, {p['lines_per_s']:.0f} lines/s; per entry median "
            f"{p['median_ms']:.1f} ms, p95 {p['p95_ms']:.1f} ms, {p['queries_per_entry']} queries")
    b = acc.get("bulk")
    if b:
        say(f"   b) bulk: {b['lines_total']} lines ({b['entries']} entries, {b['bank_lines']} on 572) in "
            f"{b['load_s']:.0f} s ({b['lines_per_s']} lines/s), ANALYZE {b['analyze_s']:.1f} s, table "
            f"{b['table_mb']} MB, debit - credit {b['debit_minus_credit']}, entry totals match lines: "
            f"{b['entry_totals_match_lines']}; {b['method']}")
    r = acc.get("reports")
    if r:
        say(f"   reports over this year {r['period']}; {r['requests']} runs per case, round-robin")
        say(f"   {'case':<50}{'median ms':>10}{'p95 ms':>9}{'max ms':>9}{'queries':>9}{'rows':>7}")
        for key, label in CASE_LABELS.items():
            c = r["cases"].get(key)
            if c:
                say(f"   {label:<50}{c['median_ms']:>10.1f}{c['p95_ms']:>9.1f}{c['max_ms']:>9.1f}{c['queries']:>9}"
                    f"{c['rows']:>7}")
        say(f"   trial_balance / raw: x{r['ratio_tb_over_raw_period']:.2f} vs the year-only GROUP BY, "
            f"x{r['ratio_tb_over_raw_same_work']:.2f} vs the same work in raw SQL; ledger account has "
            f"{r['ledger_account_lines']} lines in range")
    y = acc.get("year_end")
    if y:
        say(f"   e) year-end {y['year']}: preview {y['preview_s']:.1f} s, close {y['close_s']:.1f} s (lines: "
            f"regularisation {y['lines']['regularisation']}, closing {y['lines']['closing']}, opening "
            f"{y['lines']['opening']}), result {y['result']}, matches preview: {y['result_matches_preview']}")
    for key, message in (acc.get("errors") or {}).items():
        say(f"   FAILED {key}: {message}")


__all__ = ["accounting_report", "bench_accounting"]
