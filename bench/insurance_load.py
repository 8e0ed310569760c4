"""Figure 6 of the bench: the insurance core (issue 5: "Rating one risk against 30 products of 10
insurers (median, p95); policy list with 500k policies: first page with filters (median, p95) and
its query count").

One brokerage of our own (cloned, bench_<pid>_ins). Then:

a) rating: 10 insurers with 3 autos products each (30 products, built through the catalog
   services from the line's template tariff, scaled per insurer so prices differ, with coverages
   and a commission agreement). One risk (the line's sample risk) is rated `--ins-rating-runs`
   times two ways: the rating path alone exactly as quote_create runs it (quote_products,
   tariff_tables, commission_rates: tariffs and factors loaded in a fixed number of queries, then
   rate_product for each of the 30), and the whole quote_create (risk validation, rating, ranking,
   30 options stored, the objective-analysis statement, audit). Median, p95 and queries of each.
b) policy list: `--ins-policies` policies (default 500k) spread over the 30 products plus one
   product per other line, 20k client parties, three account managers, states mostly in force,
   start dates over three years; generated in SQL (INSERT ... SELECT generate_series, then one
   version per policy and current_version set with one UPDATE: the services would take hours and
   write 500k audit events), then ANALYZE. The page /seguros/polizas/ and the API
   /api/v1/insurance/policies/ in-process (django.test.Client on the tenant host, a logged-in
   Dirección user; the API with a JWT): first page unfiltered, with line=autos&state=in_force and
   an expiry month, and as a Comercial (own clients only). Median, p95 and the query count.

Every part records its own error and the others still run; the brokerage is dropped at the end.
"""
from __future__ import annotations

import datetime
import json
import re
import time
import warnings
from decimal import Decimal

from bench.common import (
    PASSWORD, drop_tenant, error_text, figure_done, median, percentile, run_part, say, section_ran, step,
)

INSURERS = 10
PRODUCTS_PER_INSURER = 3
BENCH_LINE = "autos"
PARTIES = 20_000
PAGE_ROW = re.compile(r'data-href="/seguros/polizas/(\d+)/"')
PAGE_COUNT = re.compile(r"((?:Más de )?[\d.\u00a0\u202f ]*\d) registros?\b")


def _timings(values: list[float]) -> dict:
    return {"runs": len(values), "median_ms": round(median(values) * 1000, 2),
            "p95_ms": round(percentile(values, 95) * 1000, 2), "max_ms": round(max(values) * 1000, 2)}


# --- catalog ------------------------------------------------------------------------------------------

def _cif(n: int) -> str:
    from stdnum.es import cif

    body = f"A{46_100_000 + n * 7919 % 900_000:07d}"[:8]
    digit, _letter = cif.calc_check_digits(body)
    return body + digit


def make_catalog(admin) -> dict:
    """10 insurers x 3 products of BENCH_LINE (services), plus one product of every other line."""
    from apps.insurance.lines import registered_lines
    from apps.insurance.services.agreements import agreement_create
    from apps.insurance.services.catalog import insurer_create, product_create
    from apps.insurance.services.lines import line_for, lines_sync
    from apps.insurance.services.tariffs import tariff_create_version, tariff_update

    lines_sync()
    valid_from = datetime.date(datetime.date.today().year - 3, 1, 1)
    insurers, products, others = [], [], []
    for i in range(INSURERS):
        insurers.append(insurer_create(actor=admin, data={
            "name": f"Aseguradora Bench {i + 1:02d}, S.A.", "tax_id": _cif(i), "dgsfp_code": f"C{9100 + i}",
            "portal_url": f"https://bench{i}.example/"}))
    for spec in registered_lines():
        template = spec.tariff_template()
        coverages = [{"code": c, "name": n, "kind": k, "limit": lim, "limit_text": lt or "", "deductible": d or 0}
                     for c, n, k, lim, lt, d in template.coverages]
        line = line_for(spec.code)
        count = INSURERS * PRODUCTS_PER_INSURER if spec.code == BENCH_LINE else 1
        for n in range(count):
            insurer = insurers[n % INSURERS]
            product = product_create(actor=admin, data={"insurer": insurer, "line": line,
                                                        "code": f"{spec.code[:3].upper()}-{n:02d}",
                                                        "name": f"{spec.name} bench {n + 1}"}, coverages=coverages)
            tariff = tariff_create_version(actor=admin, product=product, valid_from=valid_from)
            scale = Decimal("0.85") + Decimal(n % 13) * Decimal("0.025")
            tariff_update(actor=admin, tariff=tariff, data={
                "base_premium": (tariff.base_premium * scale).quantize(Decimal("0.01"))})
            (products if spec.code == BENCH_LINE else others).append(product)
    for insurer in insurers:
        agreement_create(actor=admin, data={"insurer": insurer, "valid_from": valid_from,
                                            "new_business_pct": Decimal("15"), "renewal_pct": Decimal("12")})
    return {"insurers": insurers, "products": products, "others": others}


# --- a) rating --------------------------------------------------------------------------------------

def bench_rating(catalog: dict, client_party, admin, runs: int) -> dict:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from apps.insurance.lines import get_line
    from apps.insurance.selectors_quotes import commission_rates, quote_products, tariff_tables
    from apps.insurance.services.lines import line_for
    from apps.insurance.services.quotes import quote_create
    from apps.insurance.services.rating import rate_product
    from apps.insurance.services.risks import risk_validate

    spec = get_line(BENCH_LINE)
    risk = risk_validate(line_code=BENCH_LINE, raw=spec.sample_risk())
    on_date = datetime.date.today() + datetime.timedelta(days=10)
    line = line_for(BENCH_LINE)

    def rate_only():
        products = quote_products(line=line)
        tables = tariff_tables(products, on_date)
        commission_rates(products, on_date)
        return [rate_product(product=p, risk=risk, on_date=on_date, tariff=tables[p.pk]) for p in products]

    def quote():
        return quote_create(actor=admin, client=client_party, line_code=BENCH_LINE, risk=risk, effective_date=on_date)

    result = {"products": len(catalog["products"]), "insurers": INSURERS, "line": BENCH_LINE,
              "risk": str(spec.summary(risk))}
    for name, run in (("rate_only", rate_only), ("quote_create", quote)):
        for _ in range(3):  # warm-up
            with transaction.atomic():
                answer = run()
        with CaptureQueriesContext(connection) as queries:
            with transaction.atomic():
                answer = run()
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            with transaction.atomic():
                run()
            times.append(time.perf_counter() - started)
        case = {**_timings(times), "queries": len(queries)}
        if name == "rate_only":
            eligible = sorted(r.total_premium for r in answer if r.eligible)
            case.update(eligible=len(eligible), cheapest=str(eligible[0]) if eligible else None,
                        dearest=str(eligible[-1]) if eligible else None)
        else:
            case.update(options=answer.options.count(), eligible=answer.options.filter(eligible=True).count())
        result[name] = case
    return result


# --- b) 500k policies -----------------------------------------------------------------------------

def make_users(admin, domain: str) -> dict:
    from apps.identity.services.users import user_create

    manager = user_create(actor=admin, email=f"direccion@{domain}", password=PASSWORD, first_name="Dirección",
                          last_name="Bench", role_codes=["direccion"])
    comercial = user_create(actor=admin, email=f"comercial@{domain}", password=PASSWORD, first_name="Comercial",
                            last_name="Bench", role_codes=["comercial"])
    return {"admin": admin, "manager": manager, "comercial": comercial}


def seed_policies(catalog: dict, users: dict, count: int, schema: str) -> dict:
    """Parties (bulk_create), then policies and their versions in SQL (see the module doc)."""
    from django.db import connection, transaction

    from apps.crm.models import Party
    from apps.insurance.lines import get_line
    from apps.insurance.models import Policy, PolicyVersion
    from apps.insurance.services.rating import rate_product
    from apps.insurance.services.risks import risk_validate

    started = time.perf_counter()
    managers = [users["admin"], users["manager"], users["comercial"]]
    parties = [Party(kind="person", status="client", first_name="Cliente", last_name=f"Bench {i:05d}",
                     display_name=f"Cliente Bench {i:05d}", tax_id=f"{20_000_000 + i}",
                     account_manager=managers[i % 3]) for i in range(PARTIES)]
    Party.objects.bulk_create(parties, batch_size=10_000)
    party_ids = [p.pk for p in parties]
    products = catalog["products"] + catalog["others"]
    today = datetime.date.today()
    # one rated risk per product: its summary and premiums are the policies' (the rating is not measured here)
    rows = []
    for product in products:
        spec = get_line(product.line.code)
        risk = risk_validate(line_code=spec.code, raw=spec.sample_risk())
        rating = rate_product(product=product, risk=risk, on_date=today)
        net = rating.net_premium if rating.eligible else Decimal("300.00")
        taxes = rating.taxes
        rows.append((product.pk, product.insurer_id, product.line_id, str(spec.summary(risk))[:300],
                     json.dumps(risk), net, taxes.ips if taxes else 0, taxes.consorcio if taxes else 0,
                     taxes.clea if taxes else 0, rating.total_premium if rating.eligible else net))
    # the BENCH_LINE products come first and take about two policies in three
    weights = [1] * len(catalog["products"]) + [2] * len(catalog["others"])
    slots = [i for i, w in enumerate(weights) for _ in range(w)]
    p_table, v_table = Policy._meta.db_table, PolicyVersion._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_products (slot int, product_id int, insurer_id int, line_id int, "
                       "summary text, risk jsonb, net numeric, ips numeric, consorcio numeric, clea numeric, "
                       "total numeric) ON COMMIT DROP")
        cursor.executemany("INSERT INTO bench_products VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                           [(slot, *rows[i]) for slot, i in enumerate(slots)])
        cursor.execute(f"""
            INSERT INTO {p_table} (created_at, updated_at, version, insurer_id, number, product_id, line_id,
                policyholder_id, state, start_date, term_months, expiry_date, tacit_renewal, payment_frequency,
                payment_method, risk_summary, net_premium, total_premium, cancellation_date, cancellation_reason,
                notes)
            SELECT now(), now(), 1, bp.insurer_id, 'B' || lpad(g::text, 9, '0'), bp.product_id, bp.line_id,
                (%(parties)s::int[])[(1 + (g * 7919) %% %(nparties)s)::int], s.state, s.start_date, 12,
                (s.start_date + interval '12 months' - interval '1 day')::date, true,
                (ARRAY['annual','annual','semiannual','quarterly','monthly'])[(1 + g %% 5)::int],
                (ARRAY['broker_sepa','broker_sepa','insurer','broker_other'])[(1 + g %% 4)::int],
                bp.summary, bp.net, bp.total,
                CASE WHEN s.state = 'cancelled' THEN s.start_date + 30 END,
                CASE WHEN s.state = 'cancelled' THEN 'client' ELSE '' END, ''
            FROM generate_series(1::bigint, %(count)s) AS g
            JOIN bench_products bp ON bp.slot = g %% %(nslots)s
            CROSS JOIN LATERAL (SELECT
                CASE WHEN g %% 20 < 15 THEN 'in_force' WHEN g %% 20 < 17 THEN 'cancelled'
                     WHEN g %% 20 = 17 THEN 'expired' WHEN g %% 20 = 18 THEN 'suspended' ELSE 'renewed' END AS state,
                CASE WHEN g %% 20 < 15 OR g %% 20 = 18 THEN %(today)s::date - ((g * 31) %% 365)::int
                     ELSE %(today)s::date - 366 - ((g * 31) %% 700)::int END AS start_date) AS s
        """, {"parties": party_ids, "nparties": len(party_ids), "count": count, "nslots": len(slots),
              "today": today})
        cursor.execute(f"""
            INSERT INTO {v_table} (policy_id, number, kind, effective_date, reason, risk_data, risk_summary, insured,
                beneficiaries, coverages, sum_insured, net_premium, ips, consorcio, clea, total_premium, created_at)
            SELECT p.id, 1, 'issue', p.start_date, '', bp.risk, p.risk_summary, '[]'::jsonb, '[]'::jsonb,
                '[]'::jsonb, NULL, bp.net, bp.ips, bp.consorcio, bp.clea, bp.total, now()
            FROM {p_table} p JOIN (SELECT DISTINCT ON (product_id) * FROM bench_products) bp
                ON bp.product_id = p.product_id
        """)
        cursor.execute(f"UPDATE {p_table} p SET current_version_id = v.id FROM {v_table} v WHERE v.policy_id = p.id")
    seed_s = time.perf_counter() - started
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f'ANALYZE "{schema}"."{p_table}", "{schema}"."{v_table}", "{schema}"."{Party._meta.db_table}"')
    analyze_s = time.perf_counter() - t0
    month = Policy.objects.filter(state="in_force", line__code=BENCH_LINE).order_by("expiry_date").values_list(
        "expiry_date", flat=True)[count // 8]
    return {"policies": Policy.objects.count(), "versions": PolicyVersion.objects.count(), "parties": PARTIES,
            "seconds": round(seed_s, 1), "analyze_s": round(analyze_s, 1),
            "policies_per_s": round(count / seed_s), "expiry_month": month.strftime("%Y-%m"),
            "comercial_sees": Policy.objects.filter(policyholder__account_manager=users["comercial"]).count(),
            "method": "INSERT ... SELECT generate_series + one UPDATE for current_version (bypasses the services)"}


def _clients(domain: str, users: dict, schema: str) -> dict:
    from django.test import Client
    from django_tenants.utils import schema_context

    clients = {}
    with schema_context(schema):
        for name in ("manager", "comercial"):
            client = Client(HTTP_HOST=domain)
            client.force_login(users[name])
            clients[name] = client
    api = Client(HTTP_HOST=domain, HTTP_ACCEPT="application/json")
    token = api.post("/api/v1/auth/token/", data=json.dumps({"email": users["manager"].email, "password": PASSWORD}),
                     content_type="application/json")
    if token.status_code != 200 or "access" not in token.json():
        raise RuntimeError(f"POST /api/v1/auth/token/ answered HTTP {token.status_code}: {token.content[:300]!r}")
    clients["api"] = Client(HTTP_HOST=domain, HTTP_ACCEPT="application/json",
                            HTTP_AUTHORIZATION=f"Bearer {token.json()['access']}")
    return clients


def _inspect(case: str, response) -> dict:
    if case.startswith("api"):
        body = response.json()
        pks = [r.get("id") for r in body.get("results") or []]
        return {"rows": len(pks), "count": body.get("count")}
    html = response.content.decode(errors="replace")
    found = PAGE_COUNT.search(html)
    return {"rows": len(PAGE_ROW.findall(html)), "count": found.group(1) if found else None}


def bench_lists(domain: str, users: dict, schema: str, month: str, *, requests: int, warmup: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    clients = _clients(domain, users, schema)
    filters = f"line={BENCH_LINE}&state=in_force&expiry_month={month}"
    plan = {
        "page_unfiltered": ("manager", "/seguros/polizas/"),
        "page_filtered": ("manager", f"/seguros/polizas/?{filters}"),
        "page_comercial_filtered": ("comercial", f"/seguros/polizas/?{filters}"),
        "api_unfiltered": ("api", "/api/v1/insurance/policies/?page_size=50"),
        "api_filtered": ("api", f"/api/v1/insurance/policies/?page_size=50&{filters}"),
    }
    cases, times, failed = {}, {}, {}
    for name, (who, path) in plan.items():
        client = clients[who]
        try:
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"GET {path} answered HTTP {response.status_code}: {response.content[:200]!r}")
            for _ in range(warmup):
                client.get(path)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
            cases[name] = {"user": {"manager": "direccion", "api": "direccion (JWT)"}.get(who, who), "path": path,
                           "queries": len(queries), "bytes": len(response.content), **_inspect(name, response),
                           "slowest_query_ms": round(float(slowest["time"]) * 1000, 1),
                           "slowest_query": re.sub(r"^SELECT .*? FROM", "SELECT ... FROM", slowest["sql"],
                                                   count=1, flags=re.S)[:600]}
            times[name] = []
        except Exception as exc:  # noqa: BLE001 - this case fails, the others go on
            failed[name] = error_text(exc)
    for _ in range(requests):  # round-robin: a slow moment of the machine hits every case
        for name in list(times):
            who, path = plan[name]
            started = time.perf_counter()
            response = clients[who].get(path)
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                failed[name] = f"GET {path} answered HTTP {response.status_code} while timing"
                del times[name]
                continue
            times[name].append(elapsed)
    for name, values in times.items():
        cases[name].update(requests=len(values), median_ms=round(median(values) * 1000, 1),
                           p95_ms=round(percentile(values, 95) * 1000, 1), max_ms=round(max(values) * 1000, 1))
    for name in failed:
        cases.pop(name, None)
    return {"requests": requests, "warmup": warmup, "cases": cases, "failed": failed or None}


# --- the figure -------------------------------------------------------------------------------------

def bench_insurance(*, policies: int = 500_000, requests: int = 30, rating_runs: int = 50, warmup: int = 3) -> dict:
    from django_tenants.utils import schema_context

    from apps.crm.models import Party
    from apps.identity.models import User
    from bench.provisioning import provision

    started = time.perf_counter()
    tenant, domain, _wall = provision("ins", use_template=True)
    schema = tenant.schema_name
    result = {"policies": policies, "schema": schema, "host": domain, "errors": {}}
    errors = result["errors"]
    try:
        with schema_context(schema):
            admin = User.objects.get(email=f"admin@{domain}")
            users = make_users(admin, domain)
            t0 = time.perf_counter()
            catalog = make_catalog(admin)
            holder = Party.objects.create(kind="person", status="client", first_name="Ana", last_name="Rating",
                                          display_name="Ana Rating", tax_id="12345678Z", account_manager=admin)
            result["catalog_s"] = round(time.perf_counter() - t0, 1)
        step(f"ins tenant {schema} on Host {domain}: {INSURERS} insurers, {len(catalog['products'])} {BENCH_LINE} "
             f"products + {len(catalog['others'])} of other lines ({result['catalog_s']} s, through the services)")
        run_part("rating", lambda: bench_rating(catalog, holder, admin, rating_runs), schema=schema, result=result,
                 errors=errors, label="ins")
        run_part("seed", lambda: seed_policies(catalog, users, policies, schema), schema=schema, result=result,
                 errors=errors, label="ins")
        if result.get("seed"):
            run_part("lists", lambda: bench_lists(domain, users, schema, result["seed"]["expiry_month"],
                                                  requests=requests, warmup=warmup),
                     schema=schema, result=result, errors=errors, label="ins")
            if result["lists"] and result["lists"]["failed"]:
                errors.update({f"lists.{k}": v for k, v in result["lists"]["failed"].items()})
    except Exception as exc:  # noqa: BLE001 - the setup failed: nothing else can run
        errors["setup"] = error_text(exc)
    finally:
        drop_tenant(tenant)
    return figure_done(result, started)


# --- report ---------------------------------------------------------------------------------------------

LIST_LABELS = {
    "page_unfiltered": "page /seguros/polizas/ (direccion)",
    "page_filtered": "page ?line=autos&state=in_force&expiry_month",
    "page_comercial_filtered": "same filters as comercial (own clients)",
    "api_unfiltered": "API /api/v1/insurance/policies/?page_size=50",
    "api_filtered": "API, same filters",
}


def insurance_report(ins: dict | None, why: str) -> None:
    """Section 6 of run.py's table. `why` is printed when the figure did not run."""
    if not section_ran(ins, "6. Insurance", why):
        return
    say(f"6. Insurance  (brokerage {ins['schema']}, whole figure {ins['wall_s']:.0f} s)")
    rating = ins.get("rating")
    if rating:
        say(f"   rating one risk ({rating['risk']}) against {rating['products']} {rating['line']} products of "
            f"{rating['insurers']} insurers, {rating['rate_only']['runs']} runs each")
        say(f"   {'case':<52}{'median ms':>10}{'p95 ms':>9}{'max ms':>9}{'queries':>9}")
        for key, label in (("rate_only", "rating path of quote_create (load + rate 30)"),
                           ("quote_create", "quote_create (validate, rate, store 30 options)")):
            c = rating[key]
            say(f"   {label:<52}{c['median_ms']:>10.1f}{c['p95_ms']:>9.1f}{c['max_ms']:>9.1f}{c['queries']:>9}")
        r = rating["rate_only"]
        say(f"   eligible {r['eligible']} of {rating['products']}, total premium {r['cheapest']} .. {r['dearest']} EUR")
    seed = ins.get("seed")
    if seed:
        say(f"   seed: {seed['policies']} policies + {seed['versions']} versions, {seed['parties']} parties in "
            f"{seed['seconds']:.1f} s ({seed['policies_per_s']} policies/s), ANALYZE {seed['analyze_s']:.1f} s; "
            f"comercial sees {seed['comercial_sees']}")
        say(f"   seed method: {seed['method']}")
    lists = ins.get("lists")
    if lists:
        say(f"   policy list, in-process django.test.Client (Host {ins['host']}); {lists['requests']} requests per "
            f"case after {lists['warmup']} warm-up, round-robin; expiry_month={seed['expiry_month'] if seed else '?'}")
        say(f"   {'case':<48}{'median ms':>10}{'p95 ms':>9}{'queries':>9}{'rows':>6}  count")
        for key, label in LIST_LABELS.items():
            c = lists["cases"].get(key)
            if c:
                say(f"   {label:<48}{c['median_ms']:>10.1f}{c['p95_ms']:>9.1f}{c['queries']:>9}{c['rows']:>6}  "
                    f"{c['count'] if c['count'] is not None else '?'}")
            else:
                say(f"   {label:<48}  FAILED: {(lists['failed'] or {}).get(key, 'not run')}")
        slow = sorted(lists["cases"].items(), key=lambda kv: -kv[1]["slowest_query_ms"])[:2]
        for key, c in slow:
            say(f"   slowest query of {key}: {c['slowest_query_ms']:.0f} ms  {c['slowest_query'][:400]}")
